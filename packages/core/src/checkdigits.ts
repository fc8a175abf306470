/**
 * Check-digit algorithms used by Nordic payment references, identity numbers and account numbers:
 * modulus 10 (Luhn), modulus 11 (weights 2–7 cyclic, or explicit weights), ISO 7064 MOD 97-10 (RF, IBAN)
 * and the Finnish 7-3-1 method.
 *
 * These run once per payment in the parsers, so they loop over `charCodeAt` and allocate nothing per digit.
 * Every function rejects input that is not made of ASCII digits (letters too for MOD 97) with a
 * {@link NordfilError} whose code is `invalid_digits`.
 */
import { issue, NordfilError } from './errors.js';

const ZERO = 48;
const NINE = 57;
const UPPER_A = 65;
const UPPER_Z = 90;

function invalidDigits(input: string, what: string): NordfilError {
  return new NordfilError(
    issue('invalid_digits', `${what} must be a non-empty string of digits 0-9, got ${JSON.stringify(input)}`, {
      actual: input,
    }),
  );
}

/** Throws `invalid_digits` unless `s` is a non-empty string of ASCII digits. */
function assertDigits(s: string, what: string): void {
  if (typeof s !== 'string' || s.length === 0) throw invalidDigits(String(s), what);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) throw invalidDigits(s, what);
  }
}

/** Luhn sum of `s[0..end)` where the digit at `end - 1` gets weight `firstWeight` (1 or 2), alternating leftwards. */
function luhnSum(s: string, end: number, firstWeight: 1 | 2): number {
  let sum = 0;
  let double = firstWeight === 2;
  for (let i = end - 1; i >= 0; i--) {
    let d = s.charCodeAt(i) - ZERO;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum;
}

/**
 * Computes the modulus 10 (Luhn) check digit for `digits` (the number without its check digit): from the right,
 * weights 2, 1, 2, 1 …, two-digit products reduced by adding their digits, and the check digit brings the total
 * to a multiple of ten. Used by Swedish OCR references, bankgiro, plusgiro, personnummer and KID (MOD10).
 *
 * @example
 * luhnCheckDigit('811218987'); // 6 (personnummer 811218-9876)
 * luhnCheckDigit('65596'); // 9 (OCR 655969)
 */
export function luhnCheckDigit(digits: string): number {
  assertDigits(digits, 'Luhn input');
  return (10 - (luhnSum(digits, digits.length, 2) % 10)) % 10;
}

/**
 * True when the last digit of `digits` is the Luhn (modulus 10) check digit of the digits before it
 * (false for fewer than two digits).
 * Detects every single-digit substitution and every adjacent transposition except 09 ↔ 90.
 *
 * @example
 * isLuhnValid('8112189876'); // true
 * isLuhnValid('8112189875'); // false
 */
export function isLuhnValid(digits: string): boolean {
  assertDigits(digits, 'Luhn input');
  if (digits.length < 2) return false;
  return luhnSum(digits, digits.length, 1) % 10 === 0;
}

/** Weights for {@link mod11CheckDigit}: `'cyclic2to7'` (2, 3, 4, 5, 6, 7, 2, … from the right) or explicit ones. */
export type Mod11Weights = 'cyclic2to7' | readonly number[];

/** Options for {@link mod11CheckDigit} and {@link isMod11Valid}. */
export interface Mod11Options {
  /**
   * `'cyclic2to7'` (default; Norwegian KID MOD11) or explicit weights written left to right, one per digit of the
   * number without its check digit (e.g. `[3, 2, 7, 6, 5, 4, 3, 2]` for a Norwegian organisasjonsnummer).
   */
  readonly weights?: Mod11Weights;
}

function mod11Sum(s: string, end: number, weights: Mod11Weights | undefined): number {
  let sum = 0;
  if (weights === undefined || weights === 'cyclic2to7') {
    let w = 2;
    for (let i = end - 1; i >= 0; i--) {
      sum += (s.charCodeAt(i) - ZERO) * w;
      w = w === 7 ? 2 : w + 1;
    }
    return sum;
  }
  if (weights.length !== end) {
    throw new NordfilError(
      issue('invalid_length', `modulus 11 with ${weights.length} weights needs ${weights.length} digits, got ${end}`, {
        expected: String(weights.length),
        actual: String(end),
      }),
    );
  }
  for (let i = 0; i < end; i++) sum += (s.charCodeAt(i) - ZERO) * weights[i]!;
  return sum;
}

/**
 * Computes the modulus 11 check digit of `digits` (the number without its check digit):
 * `11 − (weighted sum mod 11)`, where 11 becomes 0 and 10 becomes `'-'`. A `'-'` is only a valid check
 * character where the scheme allows it (Norwegian KID); elsewhere (fødselsnummer, organisasjonsnummer,
 * Norwegian account numbers) such a number is simply never issued, and callers treat `'-'` as "no valid number".
 *
 * @example
 * mod11CheckDigit('12345678'); // 5 (KID MOD11, weights 2–7 from the right)
 * mod11CheckDigit('12345678', { weights: [3, 2, 7, 6, 5, 4, 3, 2] }); // 5
 */
export function mod11CheckDigit(digits: string, options: Mod11Options = {}): number | '-' {
  assertDigits(digits, 'modulus 11 input');
  const r = 11 - (mod11Sum(digits, digits.length, options.weights) % 11);
  return r === 11 ? 0 : r === 10 ? '-' : r;
}

/** Options for {@link isMod11Valid}. */
export interface Mod11ValidOptions extends Mod11Options {
  /** Accept `'-'` as the check character when the remainder gives 10 (Norwegian KID). Default false. */
  readonly allowDash?: boolean;
}

/**
 * True when the last character of `value` is the modulus 11 check character of the digits before it.
 * Detects every single-digit substitution (for weights that are non-zero and below 11).
 *
 * @example
 * isMod11Valid('123456785'); // true
 * isMod11Valid('6-', { allowDash: true }); // true: 6 × 2 = 12, remainder 1, 11 − 1 = 10 → '-'
 */
export function isMod11Valid(value: string, options: Mod11ValidOptions = {}): boolean {
  if (typeof value !== 'string' || value.length < 2) throw invalidDigits(String(value), 'modulus 11 input');
  const last = value.charCodeAt(value.length - 1);
  const body = value.slice(0, -1);
  assertDigits(body, 'modulus 11 input');
  const isDash = last === 45;
  if (!isDash && (last < ZERO || last > NINE)) throw invalidDigits(value, 'modulus 11 input');
  const r = 11 - (mod11Sum(body, body.length, options.weights) % 11);
  if (r === 10) return isDash && options.allowDash === true;
  return !isDash && (r === 11 ? 0 : r) === last - ZERO;
}

/**
 * The remainder of `value` modulo 97, where letters A–Z count as 10–35 (ISO 7064 MOD 97-10, as in IBAN and RF).
 * Computed digit by digit, so any length works without big integers. Lower-case letters are rejected: uppercase first.
 *
 * @example
 * mod97('539007547034RF18'); // 1
 */
export function mod97(value: string): number {
  if (typeof value !== 'string' || value.length === 0) throw invalidDigits(String(value), 'MOD 97 input');
  let r = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= ZERO && c <= NINE) r = (r * 10 + (c - ZERO)) % 97;
    else if (c >= UPPER_A && c <= UPPER_Z) r = (r * 100 + (c - UPPER_A + 10)) % 97;
    else throw invalidDigits(value, 'MOD 97 input (digits and A-Z)');
  }
  return r;
}

/**
 * The two ISO 7064 MOD 97-10 check digits that, appended to `value`, make the whole number ≡ 1 (mod 97).
 * For an RF reference the check digits are those of `base + 'RF'` (the rearranged form).
 *
 * @example
 * mod97CheckDigits('539007547034RF'); // '18'
 */
export function mod97CheckDigits(value: string): string {
  const r = mod97(`${value}00`);
  const cd = 98 - r;
  return cd < 10 ? `0${cd}` : String(cd);
}

/**
 * True when `value` ≡ 1 (mod 97), letters counting as 10–35. Detects every single-character substitution and
 * every adjacent transposition.
 *
 * @example
 * isMod97Valid('539007547034RF18'); // true
 */
export function isMod97Valid(value: string): boolean {
  return mod97(value) === 1;
}

/**
 * Computes the Finnish 7-3-1 check digit (viitenumero, Finnish reference number) of `digits` (the base,
 * without the check digit): weights 7, 3, 1 repeating from the right; the check digit is the distance from
 * the sum up to the next multiple of ten.
 *
 * @example
 * finnishCheckDigit('12345'); // 3 (reference 123453)
 */
export function finnishCheckDigit(digits: string): number {
  assertDigits(digits, 'Finnish reference base');
  let sum = 0;
  let w = 7;
  for (let i = digits.length - 1; i >= 0; i--) {
    sum += (digits.charCodeAt(i) - ZERO) * w;
    w = w === 7 ? 3 : w === 3 ? 1 : 7;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * True when the last digit of `digits` is the 7-3-1 check digit of the digits before it. Detects every
 * single-digit substitution (the weights 7, 3, 1 are coprime to 10).
 *
 * @example
 * isFinnishCheckValid('123453'); // true
 */
export function isFinnishCheckValid(digits: string): boolean {
  assertDigits(digits, 'Finnish reference');
  if (digits.length < 2) return false;
  return finnishCheckDigit(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - ZERO;
}

/**
 * True when `s` is a non-empty string of ASCII digits 0–9 (no signs, spaces or other numerals).
 *
 * @example
 * isDigits('0123'); // true
 * isDigits('12 3'); // false
 */
export function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}
