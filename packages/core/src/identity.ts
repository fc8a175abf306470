/**
 * Nordic identity numbers: the Swedish personnummer and samordningsnummer, the Swedish organisationsnummer, the
 * Norwegian fødselsnummer (with D- and H-nummer) and the Norwegian organisasjonsnummer.
 *
 * Parsers throw a {@link NordfilError} whose code says why a value was rejected (`invalid_format`,
 * `invalid_date`, `invalid_check_digit`, …); `is*` functions return booleans. Nothing here reads the clock: where
 * the answer depends on today's date (the century of a 10-digit personnummer), the caller passes `today`.
 */
import { isDigits, isLuhnValid, luhnCheckDigit, mod11CheckDigit } from './checkdigits.js';
import { issue, NordfilError } from './errors.js';

function reject(code: string, message: string, input: string): NordfilError {
  return new NordfilError(issue(code, message, { actual: input }));
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function isoDate(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** Parses a `YYYY-MM-DD` option; throws `invalid_config` otherwise. */
function parseToday(today: string): { y: number; m: number; d: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(today);
  if (m === null || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new NordfilError(
      issue('invalid_config', `today must be an ISO date YYYY-MM-DD, got ${JSON.stringify(today)}`, { field: 'today' }),
    );
  }
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

/** Legal sex as encoded in the number (odd/even digit): what the number says, nothing more. */
export type Sex = 'female' | 'male';

// ---------------------------------------------------------------------------------------------------------------
// Swedish personnummer / samordningsnummer

/** How to print a Swedish personal identity number. */
export type PersonnummerStyle = 'long' | 'long-dash' | 'short';

/** Options for {@link parsePersonnummer} and {@link isPersonnummer}. */
export interface PersonnummerOptions {
  /**
   * Today's date (`YYYY-MM-DD`), required for 10-digit input: the century follows from the separator relative to
   * this year (`-`: under 100 this year; `+`: 100 or older). With it, a birth date after today is rejected, and
   * `format('short')` can choose the separator. Passed in rather than read from the clock so results are
   * reproducible.
   */
  readonly today?: string;
  /** Accept samordningsnummer (day + 60). Default true. */
  readonly allowSamordningsnummer?: boolean;
}

/** A parsed Swedish personnummer or samordningsnummer. */
export interface Personnummer {
  /**
   * `personnummer`: Swedish personal identity number of a person who is or has been registered in Sweden;
   * `samordningsnummer`: coordination number (day of birth + 60) for people who are not.
   */
  readonly kind: 'personnummer' | 'samordningsnummer';
  /** The 12-digit form `YYYYMMDDNNNC` the population register (SPAR) uses; the day is as written (+60 kept). */
  readonly canonical: string;
  /** The birth date `YYYY-MM-DD` (for a samordningsnummer with 60 subtracted). */
  readonly birthDate: string;
  /** From the parity of the ninth digit of the 10-digit form: odd is male, even female. */
  readonly sex: Sex;
  /**
   * `long`: `YYYYMMDDNNNC`; `long-dash`: `YYYYMMDD-NNNC`; `short`: `YYMMDD-NNNC`, or `YYMMDD+NNNC` from the year
   * the person turns 100. `short` needs `today` (here or at parsing) unless the input was in the 10-digit form.
   * @throws NordfilError `today_required`.
   */
  format(style?: PersonnummerStyle, options?: { readonly today?: string }): string;
}

function splitPersonnummer(input: string): { digits: string; sep: '' | '-' | '+' } {
  const s = input.trim();
  const m = /^(\d{6}|\d{8})([-+]?)(\d{4})$/.exec(s);
  if (m === null) {
    throw reject(
      'invalid_format',
      `a personnummer is YYMMDD-NNNC or YYYYMMDDNNNC (10 or 12 digits, optional '-' or '+'), got ${JSON.stringify(input)}`,
      input,
    );
  }
  return { digits: m[1]! + m[3]!, sep: m[2] as '' | '-' | '+' };
}

/**
 * Parses a Swedish personnummer (personal identity number) or samordningsnummer (coordination number: the day of
 * birth + 60). Accepts 10 or 12 digits, with or without a `-` or `+` separator before the last four digits;
 * checks the birth number (001–999), the calendar date (leap years; day − 60 for a samordningsnummer) and the
 * Luhn check digit over YYMMDDNNN.
 *
 * The century of a 10-digit number depends on today's date, so **`today` is required for 10-digit input**
 * (nothing here reads the clock). The Skatteverket rule: with `-` (or none) the person is under 100 this year,
 * with `+` they are 100 or older. For 12-digit input the separator is ignored.
 *
 * Error codes: `invalid_format`, `century_unknown` (10 digits without `today`), `invalid_date` (no such date, or
 * after `today`), `invalid_check_digit`, `samordningsnummer_not_allowed`, `invalid_config` (bad `today`).
 *
 * @example
 * const p = parsePersonnummer('811218-9876', { today: '2026-11-23' });
 * p.canonical; // '198112189876'
 * p.birthDate; // '1981-12-18'
 * p.sex; // 'male'
 * p.format('short'); // '811218-9876'
 * parsePersonnummer('191212121212').format('long-dash'); // '19121212-1212'
 * parsePersonnummer('121212+1212', { today: '2026-11-23' }).canonical; // '191212121212'
 * parsePersonnummer('900161-1236', { today: '2026-11-23' }).kind; // 'samordningsnummer'
 */
export function parsePersonnummer(input: string, options: PersonnummerOptions = {}): Personnummer {
  const { digits, sep } = splitPersonnummer(input);
  const today = options.today === undefined ? undefined : parseToday(options.today);
  const short = digits.length === 10 ? digits : digits.slice(2);
  const yy = Number(short.slice(0, 2));
  let year: number;
  if (digits.length === 12) {
    year = Number(digits.slice(0, 4));
  } else {
    if (today === undefined) {
      throw reject(
        'century_unknown',
        `the century of a 10-digit personnummer depends on today's date: pass { today: 'YYYY-MM-DD' }`,
        input,
      );
    }
    // the latest year ending in YY that is not after this year; '+' means a hundred years earlier
    year = today.y - ((today.y - yy + 100) % 100) - (sep === '+' ? 100 : 0);
  }
  const month = Number(short.slice(2, 4));
  const day = Number(short.slice(4, 6));
  if (short.slice(6, 9) === '000') throw reject('invalid_format', `the birth number cannot be 000 in ${input}`, input);
  const samordning = day > 60;
  const birthDay = samordning ? day - 60 : day;
  if (!isCalendarDate(year, month, birthDay)) {
    throw reject('invalid_date', `${isoDate(year, month, birthDay)} is not a calendar date (${input})`, input);
  }
  if (samordning && options.allowSamordningsnummer === false) {
    throw reject('samordningsnummer_not_allowed', `${input} is a samordningsnummer (day + 60)`, input);
  }
  const birthDate = isoDate(year, month, birthDay);
  if (today !== undefined && birthDate > isoDate(today.y, today.m, today.d)) {
    throw reject('invalid_date', `birth date ${birthDate} is after today (${input})`, input);
  }
  if (!isLuhnValid(short)) {
    throw reject(
      'invalid_check_digit',
      `wrong check digit in ${input}: expected ${luhnCheckDigit(short.slice(0, 9))}`,
      input,
    );
  }
  const canonical = String(year).padStart(4, '0') + short.slice(2);
  const knownSep: '-' | '+' | undefined = digits.length === 10 ? (sep === '+' ? '+' : '-') : undefined;
  const parsedToday = options.today;
  return {
    kind: samordning ? 'samordningsnummer' : 'personnummer',
    canonical,
    birthDate,
    sex: (short.charCodeAt(8) - 48) % 2 === 1 ? 'male' : 'female',
    format(style: PersonnummerStyle = 'long', fmt: { readonly today?: string } = {}): string {
      if (style === 'long') return canonical;
      if (style === 'long-dash') return `${canonical.slice(0, 8)}-${canonical.slice(8)}`;
      const t = fmt.today ?? parsedToday;
      let s = knownSep;
      if (t !== undefined) s = parseToday(t).y - year >= 100 ? '+' : '-';
      if (s === undefined) {
        throw reject(
          'today_required',
          `the short form's separator ('-' or '+') depends on today's date: pass { today }`,
          canonical.slice(0, 8),
        );
      }
      return `${short.slice(0, 6)}${s}${short.slice(6)}`;
    },
  };
}

/**
 * True when `input` is a valid personnummer or samordningsnummer. Unlike {@link parsePersonnummer}, a 10-digit
 * value without `today` is accepted when it is valid in some century (only 29 February depends on the century).
 *
 * @example
 * isPersonnummer('811218-9876'); // true
 * isPersonnummer('811218-9875'); // false
 */
export function isPersonnummer(input: string, options: PersonnummerOptions = {}): boolean {
  try {
    if (options.today === undefined) {
      const { digits } = splitPersonnummer(input);
      if (digits.length === 10) {
        return ['18', '19', '20'].some((c) => isPersonnummer(c + digits, options));
      }
    }
    parsePersonnummer(input, options);
    return true;
  } catch (e) {
    if (NordfilError.is(e)) return false;
    throw e;
  }
}

/**
 * Redacts a personnummer for logs: keeps the date part, hides the last four digits. Never throws; anything that
 * does not look like a personnummer is hidden entirely.
 *
 * @example
 * maskPersonnummer('191212121212'); // '19121212-****'
 * maskPersonnummer('121212-1212'); // '121212-****'
 * maskPersonnummer('121212+1212'); // '121212+****'
 * maskPersonnummer('hello'); // '****'
 */
export function maskPersonnummer(pnr: string): string {
  const m = /^\s*(\d{6}|\d{8})([-+]?)\d{4}\s*$/.exec(String(pnr));
  if (m === null) return '****';
  return `${m[1]}${m[2] === '+' ? '+' : '-'}****`;
}

// ---------------------------------------------------------------------------------------------------------------
// Swedish organisationsnummer

/** A parsed Swedish organisationsnummer. */
export interface Organisationsnummer {
  /** `NNNNNN-NNNN`. */
  readonly canonical: string;
  /** The ten digits. */
  readonly digits: string;
}

/**
 * Parses a Swedish organisationsnummer (the identity number of a legal entity): 10 digits, the third one at
 * least 2 (which tells it apart from a personnummer), Luhn check digit; accepts `NNNNNN-NNNN`, `NNNNNNNNNN` and
 * the 12-digit form with the `16` prefix. A sole trader uses their personnummer instead, which this rejects.
 *
 * Error codes: `invalid_format`, `invalid_check_digit`.
 *
 * @example
 * parseOrganisationsnummer('5560360793').canonical; // '556036-0793'
 * parseOrganisationsnummer('16556036-0793').canonical; // '556036-0793'
 */
export function parseOrganisationsnummer(input: string): Organisationsnummer {
  const m = /^(?:16)?(\d{6})-?(\d{4})$/.exec(input.trim());
  if (m === null) {
    throw reject('invalid_format', `an organisationsnummer is NNNNNN-NNNN, got ${JSON.stringify(input)}`, input);
  }
  const digits = m[1]! + m[2]!;
  if (digits.charCodeAt(2) < 50) {
    throw reject('invalid_format', `the third digit of an organisationsnummer is at least 2 (${input})`, input);
  }
  if (!isLuhnValid(digits)) {
    throw reject('invalid_check_digit', `wrong check digit in organisationsnummer ${input}`, input);
  }
  return { canonical: `${m[1]}-${m[2]}`, digits };
}

/**
 * True when `input` is a valid Swedish organisationsnummer.
 *
 * @example
 * isOrganisationsnummer('556036-0793'); // true
 */
export function isOrganisationsnummer(input: string): boolean {
  return tryParse(() => parseOrganisationsnummer(input));
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

// ---------------------------------------------------------------------------------------------------------------
// Norwegian fødselsnummer / D-nummer / H-nummer

/** A parsed Norwegian national identity number. */
export interface Fodselsnummer {
  /**
   * `fodselsnummer`: fødselsnummer (national identity number); `d-nummer`: D-number for people temporarily in
   * Norway (first digit + 4); `h-nummer`: H-number, an auxiliary number used in health care (month + 40).
   */
  readonly kind: 'fodselsnummer' | 'd-nummer' | 'h-nummer';
  /** The 11 digits `DDMMYYIIIKK` as written. */
  readonly canonical: string;
  /** The birth date `YYYY-MM-DD`, century from the individual number. */
  readonly birthDate: string;
  /** From the parity of the ninth digit (the last of the individual number): odd is male, even female. */
  readonly sex: Sex;
  /** `compact`: 11 digits (default); `spaced`: `DDMMYY IIIKK`. */
  format(style?: 'compact' | 'spaced'): string;
}

const FNR_K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const FNR_K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** The century of a Norwegian birth year from the individual number (Skatteetaten's allocation). */
function norwegianYear(yy: number, individual: number): number | undefined {
  if (individual <= 499) return 1900 + yy;
  if (individual <= 749 && yy >= 54) return 1800 + yy;
  if (individual >= 900 && yy >= 40) return 1900 + yy;
  if (yy <= 39) return 2000 + yy;
  return undefined;
}

/**
 * Parses a Norwegian fødselsnummer (national identity number), D-nummer (day + 40) or H-nummer (month + 40):
 * 11 digits `DDMMYYIIIKK` (a space after the date is allowed). The century comes from the individual number
 * III (000–499: 1900s; 500–749 with YY ≥ 54: 1800s; 500–999 with YY ≤ 39: 2000s; 900–999 with YY ≥ 40: 1900s);
 * K1 and K2 are modulus 11 check digits (weights 3 7 6 1 8 9 4 5 2 and 5 4 3 2 7 6 5 4 3 2; a remainder giving 10
 * means no such number exists).
 *
 * Error codes: `invalid_format`, `invalid_individual_number` (no century for this year and individual number),
 * `invalid_date`, `invalid_check_digit`.
 *
 * @example
 * const f = parseFodselsnummer('01010750160');
 * f.birthDate; // '2007-01-01'
 * f.kind; // 'fodselsnummer'
 * parseFodselsnummer('41010750154').kind; // 'd-nummer'
 */
export function parseFodselsnummer(input: string): Fodselsnummer {
  const s = input.trim().replace(/^(\d{6}) (\d{5})$/, '$1$2');
  if (s.length !== 11 || !isDigits(s)) {
    throw reject('invalid_format', `a fødselsnummer is 11 digits DDMMYYIIIKK, got ${JSON.stringify(input)}`, input);
  }
  let day = Number(s.slice(0, 2));
  let month = Number(s.slice(2, 4));
  const yy = Number(s.slice(4, 6));
  const individual = Number(s.slice(6, 9));
  let kind: Fodselsnummer['kind'] = 'fodselsnummer';
  if (day > 40) {
    kind = 'd-nummer';
    day -= 40;
  } else if (month > 40) {
    kind = 'h-nummer';
    month -= 40;
  }
  const year = norwegianYear(yy, individual);
  if (year === undefined) {
    throw reject('invalid_individual_number', `individual number ${s.slice(6, 9)} is not used with year ${yy}`, input);
  }
  if (!isCalendarDate(year, month, day)) {
    throw reject('invalid_date', `${isoDate(year, month, day)} is not a calendar date (${input})`, input);
  }
  const k1 = mod11CheckDigit(s.slice(0, 9), { weights: FNR_K1 });
  const k2 = mod11CheckDigit(s.slice(0, 10), { weights: FNR_K2 });
  if (k1 === '-' || k2 === '-' || String(k1) !== s.charAt(9) || String(k2) !== s.charAt(10)) {
    throw reject('invalid_check_digit', `wrong check digits in fødselsnummer ${input}`, input);
  }
  return {
    kind,
    canonical: s,
    birthDate: isoDate(year, month, day),
    sex: (s.charCodeAt(8) - 48) % 2 === 1 ? 'male' : 'female',
    format: (style = 'compact') => (style === 'spaced' ? `${s.slice(0, 6)} ${s.slice(6)}` : s),
  };
}

/**
 * True when `input` is a valid Norwegian fødselsnummer, D-nummer or H-nummer.
 *
 * @example
 * isFodselsnummer('01010750160'); // true
 */
export function isFodselsnummer(input: string): boolean {
  return tryParse(() => parseFodselsnummer(input));
}

// ---------------------------------------------------------------------------------------------------------------
// Norwegian organisasjonsnummer

const ORGNR_WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2] as const;

/**
 * Parses a Norwegian organisasjonsnummer (organisation number in Enhetsregisteret): 9 digits (spaces allowed),
 * the last a modulus 11 check digit with weights 3 2 7 6 5 4 3 2. Returns the 9 digits.
 *
 * Error codes: `invalid_format`, `invalid_check_digit`.
 *
 * @example
 * parseOrganisasjonsnummer('923 609 016'); // '923609016'
 */
export function parseOrganisasjonsnummer(input: string): string {
  const s = input.replace(/\s+/g, '');
  if (s.length !== 9 || !isDigits(s)) {
    throw reject('invalid_format', `an organisasjonsnummer is 9 digits, got ${JSON.stringify(input)}`, input);
  }
  if (String(mod11CheckDigit(s.slice(0, 8), { weights: ORGNR_WEIGHTS })) !== s.charAt(8)) {
    throw reject('invalid_check_digit', `wrong check digit in organisasjonsnummer ${input}`, input);
  }
  return s;
}

/**
 * True when `input` is a valid Norwegian organisasjonsnummer.
 *
 * @example
 * isOrganisasjonsnummer('923609016'); // true
 */
export function isOrganisasjonsnummer(input: string): boolean {
  return tryParse(() => parseOrganisasjonsnummer(input));
}
