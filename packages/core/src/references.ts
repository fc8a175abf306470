/**
 * Nordic structured payment references: the Swedish OCR reference (Bankgirot), the Norwegian KID, the Finnish
 * reference number (viitenumero) and the international RF creditor reference (ISO 11649), with normalisation
 * for matching (reference/matching.md §3).
 *
 * Validators return a {@link ReferenceValidation} (data, never an exception, because a bad reference in a file is
 * an everyday fact to report); creators throw a {@link NordfilError} because a bad base is a programming error.
 */
import {
  finnishCheckDigit,
  isDigits,
  isFinnishCheckValid,
  isLuhnValid,
  isMod11Valid,
  isMod97Valid,
  luhnCheckDigit,
  mod11CheckDigit,
  mod97CheckDigits,
} from './checkdigits.js';
import { type Issue, issue, NordfilError, type Severity } from './errors.js';

/** The outcome of validating a reference: `valid` plus every issue found (warnings only when valid). */
export interface ReferenceValidation {
  /** True when the reference passes every check the chosen level demands. */
  readonly valid: boolean;
  /** The reference as checked (spaces removed; for RF also upper-cased). */
  readonly reference: string;
  /** Errors (when invalid) and warnings (e.g. a wrong check digit under soft control). */
  readonly issues: readonly Issue[];
}

function fail(code: string, message: string, reference: string, extra: Partial<Issue> = {}): NordfilError {
  return new NordfilError(issue(code, message, { actual: reference, ...extra }));
}

function result(reference: string, issues: Issue[]): ReferenceValidation {
  return { valid: !issues.some((i) => i.severity === 'error'), reference, issues };
}

function stripSpaces(s: string): string {
  return s.replace(/\s+/g, '');
}

// ---------------------------------------------------------------------------------------------------------------
// Swedish OCR reference (Bankgirot)

/**
 * The OCR control level agreed between a Swedish payee and its bank (Bankgirot's "OCR-kontroll"), enforced by
 * internet banks when the payer types the reference:
 * - `none`: no OCR agreement; only the format is checked (2–25 digits).
 * - `soft` (*mjuk kontroll*): the bank warns about a wrong check digit but accepts the reference, so files can
 *   hold references with a wrong check digit: reported as a warning.
 * - `hard` (*hård kontroll*): only references with a correct Luhn check digit are accepted.
 * - `variable` (*variabel längdkontroll*): hard check digit **and** a correct length digit.
 * - `fixed` (*fast längdkontroll*): hard check digit and a length equal to one of at most two agreed lengths.
 */
export type OcrControlLevel = 'none' | 'soft' | 'hard' | 'variable' | 'fixed';

/** Options for {@link validateOcr}. */
export interface OcrValidationOptions {
  /** The control level; default `hard`. */
  readonly level?: OcrControlLevel;
  /** For `fixed`: the one or two lengths (2–25) written in the agreement. */
  readonly lengths?: readonly [number] | readonly [number, number];
}

/** The result of {@link validateOcr}: validity at the chosen level plus the state of each digit. */
export interface OcrValidation extends ReferenceValidation {
  readonly level: OcrControlLevel;
  /** Whether the last digit is the Luhn check digit (false also for malformed input). */
  readonly checkDigitValid: boolean;
  /** Whether the second-to-last digit equals the length modulo 10 (false also for malformed input). */
  readonly lengthDigitValid: boolean;
}

/** Options for {@link createOcr}. */
export interface CreateOcrOptions {
  /** Insert a length digit (total length modulo 10) before the check digit, for variable length control. */
  readonly lengthDigit?: boolean;
  /** Left-pad the base with zeros so that the whole reference has exactly this many digits (fixed length). */
  readonly length?: number;
}

const OCR_MIN = 2;
const OCR_MAX = 25;

/**
 * Creates a Swedish OCR reference (Bankgirot): `base`, then optionally a length digit, then a Luhn check digit
 * computed over everything before it. The length digit is the total length (including the length and check
 * digits) modulo 10, so lengths 4, 14 and 24 all give 4.
 *
 * @throws NordfilError `invalid_digits` (base not digits; it may be empty only with a length digit) or `invalid_length` (result outside 2–25 digits, or
 *   longer than the fixed `length`).
 * @example
 * createOcr('1234'); // '12344'
 * createOcr('6559', { lengthDigit: true }); // '655969' (6 digits, length digit 6)
 * createOcr('42', { length: 10 }); // '0000000422'
 */
export function createOcr(base: string, options: CreateOcrOptions = {}): string {
  // an empty base is allowed with a length digit: the 2-digit reference '26' is length digit + check digit
  if (!isDigits(base) && !(base === '' && options.lengthDigit === true))
    throw fail('invalid_digits', `OCR base must be digits, got ${JSON.stringify(base)}`, base);
  const extra = options.lengthDigit === true ? 2 : 1;
  let body = base;
  if (options.length !== undefined) {
    const { length } = options;
    if (!Number.isInteger(length) || length < OCR_MIN || length > OCR_MAX || body.length + extra > length) {
      throw fail('invalid_length', `OCR base ${base} does not fit a fixed length of ${length}`, base, {
        expected: String(length),
      });
    }
    body = body.padStart(length - extra, '0');
  }
  const total = body.length + extra;
  if (total < OCR_MIN || total > OCR_MAX) {
    throw fail('invalid_length', `an OCR reference has 2–25 digits; ${base} would give ${total}`, base, {
      expected: '2-25',
      actual: String(total),
    });
  }
  if (options.lengthDigit === true) body += String(total % 10);
  return body + String(luhnCheckDigit(body));
}

/**
 * Validates a Swedish OCR reference at one of Bankgirot's control levels ({@link OcrControlLevel}). Spaces are
 * ignored; the digits are otherwise checked exactly as received (leading zeros count towards the length).
 *
 * Issue codes: `invalid_format` (not 2–25 digits), `invalid_check_digit` (an error, or a warning at `soft`),
 * `invalid_length_digit` (`variable`), `invalid_length` (`fixed`).
 *
 * @throws NordfilError `invalid_config` when `fixed` is asked for without one or two lengths in 2–25.
 * @example
 * validateOcr('655969', { level: 'variable' }).valid; // true
 * validateOcr('1636919', { level: 'variable' }).valid; // false: length digit wrong
 * validateOcr('1636918', { level: 'soft' }); // valid, with a warning invalid_check_digit
 * validateOcr('0000000422', { level: 'fixed', lengths: [10] }).valid; // true
 */
export function validateOcr(ref: string, options: OcrValidationOptions | OcrControlLevel = {}): OcrValidation {
  const opts: OcrValidationOptions = typeof options === 'string' ? { level: options } : options;
  const level = opts.level ?? 'hard';
  const lengths = opts.lengths;
  if (level === 'fixed') {
    const ok =
      lengths !== undefined &&
      lengths.length >= 1 &&
      lengths.length <= 2 &&
      lengths.every((n) => Number.isInteger(n) && n >= OCR_MIN && n <= OCR_MAX);
    if (!ok) {
      throw new NordfilError(
        issue('invalid_config', 'fixed OCR length control needs one or two lengths between 2 and 25', {
          field: 'lengths',
        }),
      );
    }
  }
  const reference = stripSpaces(ref);
  const issues: Issue[] = [];
  if (!isDigits(reference) || reference.length < OCR_MIN || reference.length > OCR_MAX) {
    issues.push(
      issue('invalid_format', `an OCR reference is 2–25 digits, got ${JSON.stringify(ref)}`, { actual: ref }),
    );
    return { ...result(reference, issues), level, checkDigitValid: false, lengthDigitValid: false };
  }
  const checkDigitValid = isLuhnValid(reference);
  const lengthDigitValid = reference.charCodeAt(reference.length - 2) - 48 === reference.length % 10;
  if (!checkDigitValid && level !== 'none') {
    const severity: Severity = level === 'soft' ? 'warning' : 'error';
    const expected = String(luhnCheckDigit(reference.slice(0, -1)));
    issues.push(
      issue('invalid_check_digit', `OCR reference ${reference} has a wrong check digit (expected ${expected})`, {
        severity,
        expected,
        actual: reference.slice(-1),
      }),
    );
  }
  if (level === 'variable' && !lengthDigitValid) {
    issues.push(
      issue(
        'invalid_length_digit',
        `OCR reference ${reference} has ${reference.length} digits but length digit ${reference.charAt(reference.length - 2)}`,
        { expected: String(reference.length % 10), actual: reference.charAt(reference.length - 2) },
      ),
    );
  }
  if (level === 'fixed' && !lengths!.includes(reference.length)) {
    issues.push(
      issue(
        'invalid_length',
        `OCR reference ${reference} has ${reference.length} digits, agreed: ${lengths!.join(' or ')}`,
        {
          expected: lengths!.join(' or '),
          actual: String(reference.length),
        },
      ),
    );
  }
  return { ...result(reference, issues), level, checkDigitValid, lengthDigitValid };
}

/**
 * True when `ref` is a valid Swedish OCR reference at the given control level (default `hard`).
 *
 * @example
 * isOcr('1202951008', 'variable'); // true
 */
export function isOcr(ref: string, options: OcrValidationOptions | OcrControlLevel = 'hard'): boolean {
  return validateOcr(ref, options).valid;
}

// ---------------------------------------------------------------------------------------------------------------
// Norwegian KID

/** The KID check-digit algorithm chosen in the payee's agreement with Nets or the bank. */
export type KidAlgorithm = 'mod10' | 'mod11';

/** Options for {@link createKid}. */
export interface CreateKidOptions {
  /** Default `mod10`. */
  readonly algorithm?: KidAlgorithm;
  /**
   * MOD11 only: when the check value is 10, append `'-'` (Norwegian practice, default true); with false such a
   * base is refused with `unrepresentable_check_digit`, as many issuers avoid these numbers.
   */
  readonly allowDash?: boolean;
}

/**
 * Creates a Norwegian KID (kundeidentifikasjon, the customer identification on an OCR giro): `base` plus a MOD10
 * (Luhn) or MOD11 check character; MOD11 uses weights 2–7 from the right and `'-'` for the value 10.
 *
 * @throws NordfilError `invalid_digits`, `invalid_length` (KID is 2–25 characters) or
 *   `unrepresentable_check_digit` (MOD11 gives 10 and `allowDash` is false).
 * @example
 * createKid('1234567'); // '12345674'
 * createKid('12345678', { algorithm: 'mod11' }); // '123456785'
 * createKid('6', { algorithm: 'mod11' }); // '6-'
 */
export function createKid(base: string, options: CreateKidOptions = {}): string {
  if (!isDigits(base)) throw fail('invalid_digits', `KID base must be digits, got ${JSON.stringify(base)}`, base);
  if (base.length + 1 > OCR_MAX) throw fail('invalid_length', `a KID has 2–25 characters; ${base} is too long`, base);
  if (options.algorithm === 'mod11') {
    const cd = mod11CheckDigit(base);
    if (cd === '-' && options.allowDash === false) {
      throw fail('unrepresentable_check_digit', `MOD11 check value of KID base ${base} is 10 ('-')`, base);
    }
    return base + String(cd);
  }
  return base + String(luhnCheckDigit(base));
}

/** Options for {@link validateKid}. */
export interface KidValidationOptions {
  /** The agreed algorithm, or `either` (default) to try both and report which passed. */
  readonly algorithm?: KidAlgorithm | 'either';
}

/** The result of {@link validateKid}. */
export interface KidValidation extends ReferenceValidation {
  /** Every algorithm whose check passed (a KID can satisfy both). */
  readonly algorithms: readonly KidAlgorithm[];
}

/**
 * Validates a Norwegian KID: 2–25 digits, the last one (or `'-'`, MOD11 only) a MOD10 or MOD11 check character.
 * Spaces are ignored. Issue codes: `invalid_format`, `invalid_check_digit`.
 *
 * @example
 * validateKid('12345609').algorithms; // ['mod10']
 * validateKid('6-', { algorithm: 'mod11' }).valid; // true
 * validateKid('123456785', { algorithm: 'mod10' }).valid; // false
 */
export function validateKid(ref: string, options: KidValidationOptions = {}): KidValidation {
  const reference = stripSpaces(ref);
  const wanted = options.algorithm ?? 'either';
  const dash = reference.endsWith('-');
  const body = dash ? reference.slice(0, -1) : reference;
  if (!isDigits(body) || reference.length < 2 || reference.length > OCR_MAX) {
    return {
      ...result(reference, [
        issue('invalid_format', `a KID is 2–25 digits (MOD11 may end in '-'), got ${JSON.stringify(ref)}`, {
          actual: ref,
        }),
      ]),
      algorithms: [],
    };
  }
  const algorithms: KidAlgorithm[] = [];
  if (!dash && isLuhnValid(reference)) algorithms.push('mod10');
  if (isMod11Valid(reference, { allowDash: true })) algorithms.push('mod11');
  const ok = wanted === 'either' ? algorithms.length > 0 : algorithms.includes(wanted);
  const issues = ok
    ? []
    : [
        issue(
          'invalid_check_digit',
          `KID ${reference} fails the ${wanted === 'either' ? 'MOD10 and MOD11' : wanted.toUpperCase()} check`,
          { actual: reference },
        ),
      ];
  return { ...result(reference, issues), algorithms };
}

// ---------------------------------------------------------------------------------------------------------------
// RF creditor reference (ISO 11649)

function compactRf(s: string): string {
  return stripSpaces(s).toUpperCase();
}

function isAlnumUpper(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90))) return false;
  }
  return s.length > 0;
}

/**
 * Creates an RF creditor reference (ISO 11649): `RF`, two MOD 97-10 check digits, then `base` (1–21 letters or
 * digits; spaces dropped, letters upper-cased). Returns the electronic form without spaces; see {@link formatRf}.
 *
 * @throws NordfilError `invalid_format` when the base is empty, too long or not alphanumeric.
 * @example
 * createRf('539007547034'); // 'RF18539007547034'
 */
export function createRf(base: string): string {
  const body = compactRf(base);
  if (!isAlnumUpper(body) || body.length > 21) {
    throw fail('invalid_format', `an RF base is 1–21 letters or digits, got ${JSON.stringify(base)}`, base);
  }
  return `RF${mod97CheckDigits(`${body}RF`)}${body}`;
}

/**
 * Prints an RF reference in groups of four characters (the paper form).
 *
 * @example
 * formatRf('RF18539007547034'); // 'RF18 5390 0754 7034'
 */
export function formatRf(ref: string): string {
  return compactRf(ref).replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Validates an RF creditor reference (ISO 11649): spaces ignored, case-insensitive; `RF`, check digits 02–98,
 * 1–21 letters or digits, at most 25 characters, and MOD 97 of the rearranged number equal to 1.
 * Issue codes: `invalid_format`, `invalid_check_digit`.
 *
 * @example
 * validateRf('RF18 5390 0754 7034').valid; // true
 * validateRf('RF17 5390 0754 7034').valid; // false
 */
export function validateRf(ref: string): ReferenceValidation {
  const reference = compactRf(ref);
  const body = reference.slice(4);
  const cd = reference.slice(2, 4);
  if (!reference.startsWith('RF') || !isDigits(cd) || reference.length > 25 || !isAlnumUpper(body)) {
    return result(reference, [
      issue(
        'invalid_format',
        `an RF reference is RF, 2 check digits and 1–21 letters or digits, got ${JSON.stringify(ref)}`,
        {
          actual: ref,
        },
      ),
    ]);
  }
  const n = Number(cd);
  if (n < 2 || n > 98 || !isMod97Valid(`${body}RF${cd}`)) {
    return result(reference, [
      issue('invalid_check_digit', `RF reference ${reference} has wrong check digits ${cd}`, {
        expected: mod97CheckDigits(`${body}RF`),
        actual: cd,
      }),
    ]);
  }
  return result(reference, []);
}

/**
 * True when `ref` is a valid RF creditor reference.
 *
 * @example
 * isRf('rf18539007547034'); // true
 */
export function isRf(ref: string): boolean {
  return validateRf(ref).valid;
}

// ---------------------------------------------------------------------------------------------------------------
// Finnish reference number (viitenumero)

/**
 * Creates a Finnish reference number (viitenumero): a base of 3–19 digits plus a 7-3-1 check digit.
 *
 * @throws NordfilError `invalid_digits` or `invalid_length`.
 * @example
 * createFinnishReference('12345'); // '123453'
 */
export function createFinnishReference(base: string): string {
  if (!isDigits(base))
    throw fail('invalid_digits', `Finnish reference base must be digits, got ${JSON.stringify(base)}`, base);
  const significant = base.replace(/^0+/, '');
  if (significant.length < 3 || base.length > 19) {
    throw fail('invalid_length', `a Finnish reference base has 3–19 digits, got ${JSON.stringify(base)}`, base, {
      expected: '3-19',
    });
  }
  return base + String(finnishCheckDigit(base));
}

/**
 * Validates a Finnish reference number: 4–20 digits (spaces ignored) ending in the 7-3-1 check digit. Leading
 * zeros (machine-readable forms pad to 20) are allowed and do not count towards the minimum length.
 * Issue codes: `invalid_format`, `invalid_check_digit`.
 *
 * @example
 * validateFinnishReference('12345 3').valid; // true
 * validateFinnishReference('00000000000000123453').valid; // true
 * validateFinnishReference('123454').valid; // false
 */
export function validateFinnishReference(ref: string): ReferenceValidation {
  const reference = stripSpaces(ref);
  const significant = reference.replace(/^0+/, '');
  if (!isDigits(reference) || reference.length > 20 || significant.length < 4) {
    return result(reference, [
      issue('invalid_format', `a Finnish reference is 4–20 digits, got ${JSON.stringify(ref)}`, { actual: ref }),
    ]);
  }
  if (!isFinnishCheckValid(reference)) {
    return result(reference, [
      issue('invalid_check_digit', `Finnish reference ${reference} has a wrong 7-3-1 check digit`, {
        expected: String(finnishCheckDigit(reference.slice(0, -1))),
        actual: reference.slice(-1),
      }),
    ]);
  }
  return result(reference, []);
}

/**
 * Prints a Finnish reference number the way invoices do: leading zeros dropped, groups of five from the right.
 *
 * @example
 * formatFinnishReference('00000000000001234561'); // '12 34561'
 */
export function formatFinnishReference(ref: string): string {
  const digits = stripSpaces(ref).replace(/^0+(?=\d)/, '');
  let out = '';
  for (let end = digits.length; end > 0; end -= 5) {
    const start = Math.max(0, end - 5);
    out = out === '' ? digits.slice(start, end) : `${digits.slice(start, end)} ${out}`;
  }
  return out;
}

/**
 * Wraps a valid Finnish reference number in the RF form Finnish banks use: `RF` + check digits + the national
 * reference without leading zeros.
 *
 * @throws NordfilError with the issues of {@link validateFinnishReference} when the reference is invalid.
 * @example
 * finnishReferenceToRf('123453'); // 'RF81123453'
 */
export function finnishReferenceToRf(ref: string): string {
  const v = validateFinnishReference(ref);
  if (!v.valid) throw new NordfilError(v.issues);
  return createRf(v.reference.replace(/^0+/, ''));
}

/**
 * Extracts the Finnish reference number from an RF reference whose body is one (the inverse of
 * {@link finnishReferenceToRf}).
 *
 * @throws NordfilError `invalid_format` / `invalid_check_digit` when the RF reference or the body is invalid.
 * @example
 * rfToFinnishReference('RF81 1234 53'); // '123453'
 */
export function rfToFinnishReference(rf: string): string {
  const v = validateRf(rf);
  if (!v.valid) throw new NordfilError(v.issues);
  const body = v.reference.slice(4);
  const f = validateFinnishReference(body);
  if (!f.valid) throw new NordfilError(f.issues);
  return body;
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation and classification (§3.5)

// hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus sign
const DASHES = '-\u2010\u2011\u2012\u2013\u2014\u2212';
const SEPARATORS = /[\s\-\u2010\u2011\u2012\u2013\u2014\u2212./]+/g;

/**
 * Removes what a payer adds around a reference without changing its meaning: Unicode-normalises (NFKC) and drops
 * whitespace, hyphens and dashes, dots and slashes, and upper-cases letters. Leading zeros are **kept**, because
 * check and length digits are validated on the digits as received (§3.5.3).
 *
 * A trailing hyphen after digits is kept as `'-'`: it is the MOD11 check character of a Norwegian KID, the only
 * place where a hyphen carries meaning.
 *
 * @example
 * compactReference(' 1202 951-008 '); // '1202951008'
 * compactReference('rf18 5390 0754 7034'); // 'RF18539007547034'
 * compactReference('12 3456 7-'); // '1234567-'
 */
export function compactReference(s: string): string {
  const n = s.normalize('NFKC').trimEnd();
  const trailingDash = n.length > 0 && DASHES.includes(n.charAt(n.length - 1));
  const out = n.replace(SEPARATORS, '').toUpperCase();
  return trailingDash && isDigits(out) ? `${out}-` : out;
}

/**
 * The canonical form of a reference for **comparison** (matching a payment to an invoice), per §3.5:
 * {@link compactReference}, then, for numeric references, leading zeros stripped (fixed-length Swedish OCR and
 * Finnish machine formats pad with zeros). Idempotent. Never validate check digits on this form: use the raw or
 * compact form, where leading zeros still count.
 *
 * @example
 * normalizeReference('0000 1234 5'); // '12345'
 * normalizeReference('inv-2024/00123'); // 'INV202400123'
 * normalizeReference('000'); // '0'
 */
export function normalizeReference(s: string): string {
  const c = compactReference(s);
  const dash = c.endsWith('-');
  const body = dash ? c.slice(0, -1) : c;
  if (!isDigits(body)) return c;
  let i = 0;
  while (i < body.length - 1 && body.charCodeAt(i) === 48) i++;
  return dash ? `${body.slice(i)}-` : body.slice(i);
}

/** A kind of structured payment reference, or `unknown`. */
export type DetectedReferenceKind = 'ocr' | 'kid' | 'rf' | 'finnish' | 'unknown';

/** One check a reference passes, as reported by {@link classifyReference}. */
export type ReferenceMatch =
  | { readonly kind: 'rf' }
  | { readonly kind: 'ocr'; readonly lengthDigit: boolean }
  | { readonly kind: 'kid'; readonly algorithm: KidAlgorithm }
  | { readonly kind: 'finnish' };

/**
 * Every structured-reference check that `s` passes (§3.5.2: a reference can satisfy several; record all).
 * A Luhn-valid number is both a Swedish OCR (hard level) and a KID MOD10; it may also pass 7-3-1 by chance.
 *
 * @example
 * classifyReference('655969');
 * // [{ kind: 'ocr', lengthDigit: true }, { kind: 'kid', algorithm: 'mod10' }]
 */
export function classifyReference(s: string): readonly ReferenceMatch[] {
  const c = compactReference(s);
  const out: ReferenceMatch[] = [];
  if (c.startsWith('RF')) {
    if (validateRf(c).valid) out.push({ kind: 'rf' });
    return out;
  }
  const kid = validateKid(c);
  if (isDigits(c)) {
    const ocr = validateOcr(c, 'hard');
    if (ocr.valid) out.push({ kind: 'ocr', lengthDigit: ocr.lengthDigitValid });
  }
  for (const algorithm of kid.algorithms) out.push({ kind: 'kid', algorithm });
  if (isDigits(c) && validateFinnishReference(c).valid) out.push({ kind: 'finnish' });
  return out;
}

/** Options for {@link detectReferenceKind}. */
export interface DetectReferenceOptions {
  /** The country of the payee's agreement, which removes most ambiguity. */
  readonly country?: 'SE' | 'NO' | 'FI';
}

/**
 * Guesses the kind of a structured reference. Without a `country`, digits alone are ambiguous: a Luhn-valid
 * number is reported as `ocr` (it is equally a KID MOD10), then `kid` (MOD11, including a trailing `'-'`), then
 * `finnish` (7-3-1). With a `country`, only that country's kinds (and RF) are considered. Use
 * {@link classifyReference} to see every check that passes.
 *
 * @example
 * detectReferenceKind('RF18 5390 0754 7034'); // 'rf'
 * detectReferenceKind('655969'); // 'ocr'
 * detectReferenceKind('655969', { country: 'NO' }); // 'kid'
 * detectReferenceKind('123453', { country: 'FI' }); // 'finnish'
 * detectReferenceKind('INV-1'); // 'unknown'
 */
export function detectReferenceKind(s: string, options: DetectReferenceOptions = {}): DetectedReferenceKind {
  const matches = classifyReference(s);
  const has = (k: DetectedReferenceKind): boolean => matches.some((m) => m.kind === k);
  if (has('rf')) return 'rf';
  const order: readonly DetectedReferenceKind[] =
    options.country === 'NO'
      ? ['kid']
      : options.country === 'FI'
        ? ['finnish']
        : options.country === 'SE'
          ? ['ocr']
          : ['ocr', 'kid', 'finnish'];
  return order.find(has) ?? 'unknown';
}
