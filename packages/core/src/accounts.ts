/**
 * Nordic account numbers: Swedish bankgiro and plusgiro numbers, Swedish bank accounts (clearing number + account
 * number, checked by Bankgirot's "Bankernas kontonummeruppbyggnad" rules) and Norwegian bank account numbers.
 *
 * Parsers throw a {@link NordfilError} with a code (`invalid_format`, `invalid_check_digit`, `unknown_clearing`,
 * `invalid_length`); `is*` functions return booleans.
 */
import { isDigits, isLuhnValid, mod11CheckDigit } from './checkdigits.js';
import { issue, NordfilError } from './errors.js';

function reject(code: string, message: string, input: string): NordfilError {
  return new NordfilError(issue(code, message, { actual: input }));
}

function tryParse(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (e) {
    if (NordfilError.is(e)) return false;
    throw e;
  }
}

/** Removes spaces and the given separators, then leading zeros (fixed-width files pad these numbers with zeros). */
function digitsOf(input: string, separators: RegExp): string {
  return input.replace(separators, '').replace(/^0+(?=\d)/, '');
}

/** A parsed giro number (bankgiro or plusgiro). */
export interface GiroNumber {
  /** The printed form: bankgiro `NNN-NNNN` / `NNNN-NNNN`, plusgiro `N…N-C` (hyphen before the check digit). */
  readonly canonical: string;
  /** The digits without separators or leading zeros. */
  readonly digits: string;
}

/**
 * Parses a Swedish bankgiro number (a Bankgirot payment address): 7 or 8 digits with a Luhn check digit,
 * written `NNN-NNNN` or `NNNN-NNNN`. Spaces, a hyphen and leading zeros (BGMax pads to 10 digits) are ignored.
 *
 * Error codes: `invalid_format`, `invalid_check_digit`.
 *
 * @example
 * parseBankgiro('991-2346').canonical; // '991-2346'
 * parseBankgiro('0009912346').canonical; // '991-2346'
 * parseBankgiro('5050-1055').digits; // '50501055'
 */
export function parseBankgiro(input: string): GiroNumber {
  const digits = digitsOf(input, /[\s-]/g);
  if (!isDigits(digits) || digits.length < 7 || digits.length > 8) {
    throw reject('invalid_format', `a bankgiro number has 7 or 8 digits, got ${JSON.stringify(input)}`, input);
  }
  if (!isLuhnValid(digits)) throw reject('invalid_check_digit', `wrong check digit in bankgiro ${input}`, input);
  return { canonical: `${digits.slice(0, -4)}-${digits.slice(-4)}`, digits };
}

/**
 * True when `input` is a valid bankgiro number.
 *
 * @example
 * isBankgiro('991-2346'); // true
 */
export function isBankgiro(input: string): boolean {
  return tryParse(() => parseBankgiro(input));
}

/**
 * Parses a Swedish plusgiro number (PlusGirot, now Nordea): 2 to 8 digits with a Luhn check digit, printed with a
 * hyphen before the check digit (`44 11 11-2` on paper; canonical `441111-2`). Spaces, hyphens and leading zeros
 * are ignored.
 *
 * Error codes: `invalid_format`, `invalid_check_digit`.
 *
 * @example
 * parsePlusgiro('90 20 01-7').canonical; // '902001-7'
 */
export function parsePlusgiro(input: string): GiroNumber {
  const digits = digitsOf(input, /[\s-]/g);
  if (!isDigits(digits) || digits.length < 2 || digits.length > 8) {
    throw reject('invalid_format', `a plusgiro number has 2 to 8 digits, got ${JSON.stringify(input)}`, input);
  }
  if (!isLuhnValid(digits)) throw reject('invalid_check_digit', `wrong check digit in plusgiro ${input}`, input);
  return { canonical: `${digits.slice(0, -1)}-${digits.slice(-1)}`, digits };
}

/**
 * Prints a plusgiro number the way PlusGirot does: pairs of digits from the right, then `-` and the check digit.
 *
 * @throws NordfilError as {@link parsePlusgiro}.
 * @example
 * formatPlusgiro('4411112'); // '44 11 11-2'
 */
export function formatPlusgiro(input: string): string {
  const { digits } = parsePlusgiro(input);
  const base = digits.slice(0, -1);
  const groups: string[] = [];
  for (let end = base.length; end > 0; end -= 2) groups.unshift(base.slice(Math.max(0, end - 2), end));
  return `${groups.join(' ')}-${digits.slice(-1)}`;
}

/**
 * True when `input` is a valid plusgiro number.
 *
 * @example
 * isPlusgiro('4411112'); // true
 */
export function isPlusgiro(input: string): boolean {
  return tryParse(() => parsePlusgiro(input));
}

// ---------------------------------------------------------------------------------------------------------------
// Swedish bank accounts (clearing number + account number)

/**
 * How a Swedish bank checks its account numbers (Bankgirot, "Bankernas kontonummeruppbyggnad"):
 * - type 1, comment 1: clearing (4) + account (7); modulus 11 over the last three clearing digits + the account;
 * - type 1, comment 2: the same over all four clearing digits + the account;
 * - type 2, comment 1: 10-digit account, modulus 10 (Luhn) over the account;
 * - type 2, comment 2: Handelsbanken, 9-digit account, modulus 11 over the account;
 * - type 2, comment 3: Swedbank 8xxx-x (up to 10 digits) and Nordea Plusgirot (2–8 digits), modulus 10 over
 *   the account.
 */
export type ClearingRule =
  | { readonly type: 1; readonly comment: 1 | 2 }
  | { readonly type: 2; readonly comment: 1 | 2 | 3 };

type Row = readonly [from: number, to: number, rule: 11 | 12 | 21 | 22 | 23, bank: string];

// Clearing ranges from Bankgirot's "Bankernas kontonummeruppbyggnad" (2024-02-22 edition). Rule: 10 × type + comment.
const CLEARING: readonly Row[] = [
  [1100, 1199, 11, 'Nordea'],
  [1200, 1399, 11, 'Danske Bank'],
  [1400, 2099, 11, 'Nordea'],
  [2300, 2399, 12, 'Ålandsbanken'],
  [2400, 2499, 11, 'Danske Bank'],
  [3000, 3299, 11, 'Nordea'],
  [3300, 3300, 21, 'Nordea (personkonto)'],
  [3301, 3399, 11, 'Nordea'],
  [3400, 3409, 11, 'Länsförsäkringar Bank'],
  [3410, 3781, 11, 'Nordea'],
  [3782, 3782, 21, 'Nordea (personkonto)'],
  [3783, 3999, 11, 'Nordea'],
  [4000, 4999, 12, 'Nordea'],
  [5000, 5999, 11, 'SEB'],
  [6000, 6999, 22, 'Handelsbanken'],
  [7000, 7999, 11, 'Swedbank'],
  [8000, 8999, 23, 'Swedbank'],
  [9020, 9029, 12, 'Länsförsäkringar Bank'],
  [9040, 9049, 12, 'Citibank'],
  [9060, 9069, 11, 'Länsförsäkringar Bank'],
  [9070, 9079, 11, 'Multitude Bank'],
  [9100, 9109, 12, 'Nordnet Bank'],
  [9120, 9124, 11, 'SEB'],
  [9130, 9149, 11, 'SEB'],
  [9150, 9169, 12, 'Skandiabanken'],
  [9170, 9179, 11, 'IKANO Bank'],
  [9180, 9189, 21, 'Danske Bank'],
  [9190, 9199, 12, 'DNB Bank'],
  [9230, 9239, 11, 'Marginalen Bank'],
  [9250, 9259, 11, 'SBAB'],
  [9260, 9269, 12, 'DNB Bank'],
  [9270, 9279, 11, 'ICA Banken'],
  [9280, 9289, 11, 'Resurs Bank'],
  [9300, 9349, 21, 'Swedbank (formerly Sparbanken Öresund)'],
  [9390, 9399, 12, 'Landshypotek'],
  [9460, 9469, 11, 'Santander Consumer Bank'],
  [9470, 9479, 12, 'BNP Paribas'],
  [9500, 9549, 23, 'Nordea Plusgirot'],
  [9550, 9569, 12, 'Avanza Bank'],
  [9570, 9579, 21, 'Sparbanken Syd'],
  [9580, 9589, 11, 'Aion Bank'],
  [9590, 9599, 12, 'Erik Penser'],
  [9630, 9639, 11, 'Lån & Spar Bank Sverige'],
  [9640, 9649, 12, 'NOBA Bank Group'],
  [9660, 9669, 12, 'Svea Bank'],
  [9670, 9679, 12, 'JAK Medlemsbank'],
  [9680, 9689, 11, 'BlueStep Finans'],
  [9700, 9709, 12, 'Ekobanken'],
  [9710, 9719, 12, 'Lunar Bank'],
  [9750, 9759, 12, 'Northmill Bank'],
  [9780, 9789, 12, 'Klarna Bank'],
  [9880, 9889, 12, 'Riksgälden'],
  [9890, 9899, 21, 'Riksgälden'],
  [9960, 9969, 23, 'Nordea Plusgirot'],
];

/** What a clearing number tells: the bank and its check rule. */
export interface ClearingInfo {
  readonly bank: string;
  readonly rule: ClearingRule;
}

/**
 * Looks up a Swedish clearing number (clearingnummer, the 4-digit bank and branch code; Swedbank's 5-digit
 * `8xxx-x` form is looked up by its first four digits). Returns undefined for unknown ranges.
 *
 * @example
 * clearingInfo('6789')?.bank; // 'Handelsbanken'
 * clearingInfo('8327-9')?.rule; // { type: 2, comment: 3 }
 */
export function clearingInfo(clearing: string): ClearingInfo | undefined {
  const c = Number(clearing.replace(/[\s-]/g, '').slice(0, 4));
  for (const [from, to, rule, bank] of CLEARING) {
    if (c >= from && c <= to) {
      return { bank, rule: { type: Math.floor(rule / 10), comment: rule % 10 } as ClearingRule };
    }
  }
  return undefined;
}

/** Weighted modulus 11 over `s` with weights 1, 2, …, 10, 1, … from the right: valid when the sum is ≡ 0. */
function mod11Weighted(s: string): boolean {
  let sum = 0;
  for (let i = s.length - 1, w = 1; i >= 0; i--, w = w === 10 ? 1 : w + 1) sum += (s.charCodeAt(i) - 48) * w;
  return sum % 11 === 0;
}

/** A parsed Swedish bank account. */
export interface SwedishBankAccount {
  /** The clearing number: 4 digits, or 5 for Swedbank `8xxx-x` (printed with a hyphen). */
  readonly clearing: string;
  /** The account number without leading zeros beyond what the rule needs (type 1: 7 digits). */
  readonly account: string;
  readonly bank: string;
  readonly rule: ClearingRule;
  /** `clearing, account`, e.g. `5000, 1234567` or `8327-9, 9464382135`. */
  readonly canonical: string;
}

/**
 * Parses a Swedish bank account number: clearing number (4 digits, or Swedbank's 5 digits `8xxx-x` whose fifth
 * digit is a Luhn check digit) and account number, checked by the bank's rule ({@link ClearingRule}). Pass one
 * string (`'5000 1234567'`, `'8327-9, 946 438 213-5'`) or clearing and account separately.
 *
 * Error codes: `invalid_format`, `unknown_clearing`, `invalid_length`, `invalid_check_digit`.
 *
 * Caveat (also in Bankgirot's manual): some banks have accounts without a check digit that cannot be told apart,
 * so treat a failure as "please double-check", not as proof the account does not exist.
 *
 * @example
 * parseSwedishBankAccount('5000 1000004').canonical; // '5000, 1000004' (SEB, type 1)
 * parseSwedishBankAccount('6789 123456703').bank; // 'Handelsbanken'
 * parseSwedishBankAccount('8327-9', '946 438 213-5').canonical; // '8327-9, 9464382135'
 * parseSwedishBankAccount('3300', '8112189876').bank; // 'Nordea (personkonto)'
 */
export function parseSwedishBankAccount(input: string, account?: string): SwedishBankAccount {
  const raw = account === undefined ? input : `${input},${account}`;
  const all = raw.replace(/[\s,.-]/g, '');
  if (!isDigits(all)) {
    throw reject(
      'invalid_format',
      `a Swedish bank account is digits (clearing + account), got ${JSON.stringify(raw)}`,
      raw,
    );
  }
  let clearing: string;
  let acct: string;
  if (account !== undefined) {
    clearing = input.replace(/[\s-]/g, '');
    acct = account.replace(/[\s.-]/g, '');
  } else {
    const cl = all.startsWith('8') ? 5 : 4;
    clearing = all.slice(0, cl);
    acct = all.slice(cl);
  }
  if (!isDigits(clearing) || !isDigits(acct) || clearing.length < 4 || clearing.length > 5) {
    throw reject('invalid_format', `expected a 4- or 5-digit clearing number and an account number in ${raw}`, raw);
  }
  const info = clearingInfo(clearing);
  if (info === undefined) throw reject('unknown_clearing', `no Swedish bank uses clearing number ${clearing}`, raw);
  const { type, comment } = info.rule;
  if (clearing.length === 5 && (!clearing.startsWith('8') || !isLuhnValid(clearing))) {
    throw reject('invalid_check_digit', `wrong check digit in Swedbank clearing number ${clearing}`, raw);
  }
  const significant = acct.replace(/^0+(?=\d)/, '');
  if (significant === '0') throw reject('invalid_format', `an account number cannot be all zeros (${raw})`, raw);
  // leading zeros beyond the maximum are tolerated (fixed-width files pad); plusgiro accounts are 2-8 digits
  const plusgirot = info.bank === 'Nordea Plusgirot';
  const [min, max] = type === 1 ? [2, 7] : comment === 2 ? [8, 9] : comment === 1 ? [10, 10] : [2, plusgirot ? 8 : 10];
  if (significant.length > max || acct.length < min) {
    throw reject(
      'invalid_length',
      `${info.bank} account numbers have ${min === max ? max : `${min}–${max}`} digits, got ${acct.length} in ${raw}`,
      raw,
    );
  }
  const c4 = clearing.slice(0, 4);
  let ok: boolean;
  let accountOut: string;
  if (type === 1) {
    accountOut = significant.padStart(7, '0');
    ok = mod11Weighted(comment === 1 ? c4.slice(1) + accountOut : c4 + accountOut);
  } else if (comment === 2) {
    accountOut = significant.padStart(9, '0');
    ok = mod11Weighted(accountOut);
  } else {
    accountOut = comment === 1 ? significant.padStart(10, '0') : significant;
    ok = isLuhnValid(accountOut.padStart(10, '0'));
  }
  if (!ok) throw reject('invalid_check_digit', `wrong check digit in ${info.bank} account ${raw}`, raw);
  const clearingOut = clearing.length === 5 ? `${c4}-${clearing.charAt(4)}` : clearing;
  return {
    clearing: clearingOut,
    account: accountOut,
    bank: info.bank,
    rule: info.rule,
    canonical: `${clearingOut}, ${accountOut}`,
  };
}

/**
 * True when `input` (with `account`, if given separately) is a valid Swedish bank account number.
 *
 * @example
 * isSwedishBankAccount('3300 8112189876'); // true
 */
export function isSwedishBankAccount(input: string, account?: string): boolean {
  return tryParse(() => parseSwedishBankAccount(input, account));
}

// ---------------------------------------------------------------------------------------------------------------
// Norwegian bank accounts

const NO_ACCOUNT_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** A parsed Norwegian bank account number (kontonummer). */
export interface NorwegianBankAccount {
  /** `NNNN.NN.NNNNN`. */
  readonly canonical: string;
  /** The 11 digits. */
  readonly digits: string;
}

/**
 * Parses a Norwegian bank account number (kontonummer): 11 digits (spaces and dots allowed), the last a modulus 11
 * check digit with weights 5 4 3 2 7 6 5 4 3 2; numbers whose remainder gives 10 are never issued.
 *
 * Error codes: `invalid_format`, `invalid_check_digit`.
 *
 * @example
 * parseNorwegianBankAccount('8601 11 17947').canonical; // '8601.11.17947'
 */
export function parseNorwegianBankAccount(input: string): NorwegianBankAccount {
  const digits = input.replace(/[\s.]/g, '');
  if (digits.length !== 11 || !isDigits(digits)) {
    throw reject('invalid_format', `a Norwegian account number has 11 digits, got ${JSON.stringify(input)}`, input);
  }
  if (String(mod11CheckDigit(digits.slice(0, 10), { weights: NO_ACCOUNT_WEIGHTS })) !== digits.charAt(10)) {
    throw reject('invalid_check_digit', `wrong check digit in Norwegian account ${input}`, input);
  }
  return { canonical: `${digits.slice(0, 4)}.${digits.slice(4, 6)}.${digits.slice(6)}`, digits };
}

/**
 * True when `input` is a valid Norwegian bank account number.
 *
 * @example
 * isNorwegianBankAccount('86011117947'); // true
 */
export function isNorwegianBankAccount(input: string): boolean {
  return tryParse(() => parseNorwegianBankAccount(input));
}
