/**
 * Money: an exact decimal amount (decimal.js) with an ISO 4217 currency code.
 *
 * Files carry integer minor units (öre, øre, cent); objects carry `Money`. Nothing here ever passes an
 * amount through a JS float: construction is from strings, bigints, safe integers or Decimals; formatting
 * hands Intl an exact decimal string.
 */
// the named export: NodeNext reads decimal.d.ts as CommonJS, where the default import would be the module object
import { Decimal } from 'decimal.js';
import { issue, NordfilError } from './errors.js';

/**
 * The Decimal constructor money uses. 50 significant digits keeps every sum and product of real amounts
 * exact (rounding to minor units is always explicit); exponent notation is switched off so `toString()`
 * and `toFixed()` always give plain digits. A private clone leaves the global Decimal settings alone.
 */
const D = Decimal.clone({ precision: 50, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -9e15, toExpPos: 9e15 });

/**
 * An ISO 4217 currency code: three uppercase letters (`SEK`, `NOK`, `EUR`). Validated wherever one enters.
 *
 * @example
 * const c: CurrencyCode = 'SEK';
 */
export type CurrencyCode = string;

/**
 * Minor-unit exponents (decimals) of the currencies nordfil meets; any other valid code gets 2.
 *
 * @example
 * MINOR_UNITS.ISK; // 0
 */
export const MINOR_UNITS: Readonly<Record<string, number>> = Object.freeze({
  SEK: 2,
  NOK: 2,
  DKK: 2,
  EUR: 2,
  USD: 2,
  GBP: 2,
  ISK: 0,
  JPY: 0,
});

/**
 * True when `code` is shaped like an ISO 4217 code (three uppercase ASCII letters).
 *
 * @example
 * isCurrencyCode('SEK'); // true
 * isCurrencyCode('sek'); // false
 */
export function isCurrencyCode(code: unknown): code is CurrencyCode {
  return typeof code === 'string' && /^[A-Z]{3}$/.test(code);
}

/**
 * The number of decimals in the currency's minor unit (2 for SEK, 0 for ISK; 2 for codes not in {@link MINOR_UNITS}).
 * Throws `invalid_currency` for a malformed code.
 *
 * @example
 * minorUnitExponent('NOK'); // 2
 * minorUnitExponent('JPY'); // 0
 */
export function minorUnitExponent(currency: CurrencyCode): number {
  // the code asked for last, first: a parser asks for the same string once per amount, and comparing it costs
  // less than looking a string read from a file up as a property key (30 ms a million amounts)
  if (currency === lastCode) return lastExponent;
  // the listed codes are valid: no pattern test for them (own properties only, so never `constructor`)
  const exponent =
    typeof currency === 'string' && Object.hasOwn(MINOR_UNITS, currency)
      ? MINOR_UNITS[currency]!
      : (MINOR_UNITS[checkCurrency(currency)] ?? 2);
  lastCode = currency;
  lastExponent = exponent;
  return exponent;
}

/** The code {@link minorUnitExponent} was last asked for (always a valid one) and its exponent. */
let lastCode: CurrencyCode = 'SEK';
let lastExponent = 2;

/**
 * How `Money.times` rounds to minor units. `half-even` (banker's rounding) is the default; `half-up`
 * rounds ties away from zero, `half-down` towards zero; `up`/`down` are away from/towards zero;
 * `ceil`/`floor` towards +/- infinity.
 *
 * @example
 * const r: RoundingMode = 'half-up';
 */
export type RoundingMode = 'half-even' | 'half-up' | 'half-down' | 'up' | 'down' | 'ceil' | 'floor';

const ROUNDING: Record<RoundingMode, Decimal.Rounding> = {
  'half-even': Decimal.ROUND_HALF_EVEN,
  'half-up': Decimal.ROUND_HALF_UP,
  'half-down': Decimal.ROUND_HALF_DOWN,
  up: Decimal.ROUND_UP,
  down: Decimal.ROUND_DOWN,
  ceil: Decimal.ROUND_CEIL,
  floor: Decimal.ROUND_FLOOR,
};

/** Options for {@link Money.format}. */
export interface MoneyFormatOptions {
  /** How Intl shows the currency: `symbol` (default, `kr`), `narrowSymbol`, `code` (`SEK`) or `name`. */
  readonly currencyDisplay?: 'symbol' | 'narrowSymbol' | 'code' | 'name';
  /** Thousands separators (default true). */
  readonly useGrouping?: boolean;
}

/** Plain decimal notation only: optional minus, digits, optional point and digits. No exponent, no grouping. */
const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

function fail(code: string, message: string, actual?: string): never {
  throw new NordfilError(issue(code, message, actual === undefined ? {} : { actual }));
}

function checkCurrency(currency: unknown): CurrencyCode {
  if (!isCurrencyCode(currency)) fail('invalid_currency', `invalid currency code ${JSON.stringify(currency)}`);
  return currency;
}

function toDecimal(value: string | Decimal | bigint | number, what: string): Decimal {
  if (typeof value === 'string') {
    if (!DECIMAL_TEXT.test(value))
      fail('invalid_amount', `invalid ${what} "${value}": expected plain decimal digits`, value);
    return new D(value);
  }
  if (typeof value === 'bigint') return new D(value.toString());
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) {
      fail(
        'invalid_amount',
        `invalid ${what} ${value}: JS numbers must be safe integers (pass a string)`,
        String(value),
      );
    }
    return new D(value);
  }
  if (Decimal.isDecimal(value) && value.isFinite()) return new D(value);
  return fail('invalid_amount', `invalid ${what} ${String(value)}`, String(value));
}

/** Places a decimal point `exp` digits from the right of an integer, exactly (no division). */
const POW10: bigint[] = [1n];
function pow10(n: number): bigint {
  for (let i = POW10.length; i <= n; i++) POW10.push(POW10[i - 1]! * 10n);
  return POW10[n]!;
}

/** Plain decimal text (already checked against DECIMAL_TEXT) to a scaled integer: '-12.50' -> [-1250n, 2]. */
function parseScaled(text: string): [bigint, number] {
  const dot = text.indexOf('.');
  if (dot < 0) return [BigInt(text), 0];
  return [BigInt(text.slice(0, dot) + text.slice(dot + 1)), text.length - dot - 1];
}

/** A scaled integer as plain decimal text with exactly `scale` decimals. */
function formatScaled(scaled: bigint, scale: number): string {
  if (scale === 0) return scaled.toString();
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(scale + 1, '0');
  const cut = digits.length - scale;
  return `${negative ? '-' : ''}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

function exponentOf(currency: CurrencyCode): number {
  return MINOR_UNITS[currency] ?? 2;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** The decimal.js value of each Money asked for one ({@link Money.amount}), kept while the Money is. */
const DECIMALS = new WeakMap<Money, Decimal>();

/** Both values at the larger of their scales. */
function aligned(a: Money, b: Money): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.scaled, b.scaled, a.scale];
  return a.scale > b.scale
    ? [a.scaled, b.scaled * pow10(a.scale - b.scale), a.scale]
    : [a.scaled * pow10(b.scale - a.scale), b.scaled, b.scale];
}

/**
 * An immutable amount of money in one currency. Amounts are exact decimals; arithmetic between different
 * currencies throws `currency_mismatch`. A Money may hold more decimals than its currency's minor unit
 * (after `Money.of('0.005', 'SEK')`), see {@link Money.minorExact}.
 *
 * @example
 * const total = Money.of('1234.50', 'SEK').plus(Money.fromMinor(50n, 'SEK'));
 * total.toString(); // '1235.00'
 * total.toMinor(); // 123500n
 */
export class Money {
  /**
   * The exact value as an integer count of 10^-{@link Money.scale}: `1234.50 SEK` is `123450` at scale 2. A
   * number while it is a safe integer (every amount a payment file can hold below 90 trillion kronor), a
   * bigint beyond; one representation per value, so equal amounts have equal `units`. Arithmetic on numbers
   * stays in numbers while the result is a safe integer and goes to bigint otherwise; nothing is ever
   * rounded. {@link Money.scaled} gives the same value as a bigint.
   */
  readonly units: number | bigint;
  /** Decimals of {@link Money.units}: at least the currency's exponent, more only for sub-minor amounts. */
  readonly scale: number;
  /** The ISO 4217 currency code. */
  readonly currency: CurrencyCode;

  private constructor(units: bigint | number, scale: number, currency: CurrencyCode, exp = exponentOf(currency)) {
    // one representation per value: trailing zeros beyond the exponent dropped, short scales widened, a
    // number exactly when the value is a safe integer
    let u = units;
    if (typeof u === 'number') {
      while (scale > exp && u % 10 === 0) {
        u /= 10;
        scale--;
      }
      if (scale < exp) {
        const wide = u * 10 ** (exp - scale);
        u = Number.isSafeInteger(wide) ? wide : BigInt(u) * pow10(exp - scale);
        scale = exp;
      }
    } else {
      while (scale > exp && u % 10n === 0n) {
        u /= 10n;
        scale--;
      }
      if (scale < exp) {
        u *= pow10(exp - scale);
        scale = exp;
      }
      if (u >= MIN_SAFE && u <= MAX_SAFE) u = Number(u);
    }
    // -0 is 0
    this.units = u === 0 ? 0 : u;
    this.scale = scale;
    this.currency = currency;
    Object.freeze(this);
  }

  /**
   * The exact value as a bigint count of 10^-{@link Money.scale} (`123450n` for `1234.50 SEK`): {@link Money.units}
   * as a bigint.
   */
  get scaled(): bigint {
    const u = this.units;
    return typeof u === 'bigint' ? u : BigInt(u);
  }

  /** The exact amount, in major units (kronor, not öre), as a decimal.js value (built on first use). */
  get amount(): Decimal {
    let d = DECIMALS.get(this);
    if (d === undefined) {
      d = new D(formatScaled(this.scaled, this.scale));
      DECIMALS.set(this, d);
    }
    return d;
  }

  private static fromDecimal(value: Decimal, currency: CurrencyCode): Money {
    const [scaled, scale] = parseScaled(value.toFixed());
    return new Money(scaled, scale, currency);
  }

  /**
   * Money from an exact value: a plain decimal string (`'1234.50'`, `'-0.5'`; no exponent, sign `+`,
   * spaces or grouping, so `'1e5'` and `'abc'` throw `invalid_amount`), a bigint or safe-integer number
   * of major units, or a finite Decimal. Non-integer JS numbers are refused: they are floats already.
   *
   * @example
   * Money.of('1234.50', 'SEK');
   * Money.of(100, 'NOK'); // 100.00 NOK
   * Money.of(0.1, 'SEK'); // throws invalid_amount: pass '0.1'
   */
  static of(value: string | Decimal | bigint | number, currency: CurrencyCode): Money {
    checkCurrency(currency);
    if (typeof value === 'string') {
      if (!DECIMAL_TEXT.test(value))
        fail('invalid_amount', `invalid amount "${value}": expected plain decimal digits`, value);
      const [scaled, scale] = parseScaled(value);
      return new Money(scaled, scale, currency);
    }
    return Money.fromDecimal(toDecimal(value, 'amount'), currency);
  }

  /**
   * Money from integer minor units (öre for SEK), exactly: a bigint, or a number that is a safe integer
   * (a fraction or anything beyond 2^53 throws `invalid_amount`).
   *
   * @example
   * Money.fromMinor(123450n, 'SEK').toString(); // '1234.50'
   * Money.fromMinor(123450, 'SEK').toString(); // '1234.50'
   */
  static fromMinor(minor: bigint | number, currency: CurrencyCode): Money {
    if (typeof minor !== 'bigint' && !Number.isSafeInteger(minor)) {
      fail(
        'invalid_amount',
        typeof minor === 'number'
          ? `minor units must be a safe integer, got ${minor}`
          : `minor units must be a bigint or a safe integer, got ${typeof minor}`,
        String(minor),
      );
    }
    const exp = minorUnitExponent(currency);
    return new Money(minor, exp, currency, exp);
  }

  /**
   * Zero in the currency.
   *
   * @example
   * Money.zero('EUR').toString(); // '0.00'
   */
  static zero(currency: CurrencyCode): Money {
    return new Money(0, 0, checkCurrency(currency));
  }

  /**
   * The inverse of {@link Money.toJSON}: the decimal string back into Money. The currency travels beside it.
   *
   * @example
   * Money.fromJSON('1234.50', 'SEK').equals(Money.of('1234.5', 'SEK')); // true
   */
  static fromJSON(json: string, currency: CurrencyCode): Money {
    if (typeof json !== 'string') fail('invalid_amount', `money JSON must be a decimal string, got ${typeof json}`);
    return Money.of(json, currency);
  }

  /** Decimals in the currency's minor unit (2 for SEK). */
  get exponent(): number {
    return exponentOf(this.currency);
  }

  /**
   * True when the amount is a whole number of minor units (no fraction of an öre).
   *
   * @example
   * Money.of('1.5', 'SEK').minorExact(); // true
   * Money.of('1.005', 'SEK').minorExact(); // false
   */
  minorExact(): boolean {
    return this.scale <= this.exponent;
  }

  /**
   * The amount in integer minor units. Throws `money_not_minor_exact` when it has more decimals than the
   * currency allows; call {@link Money.round} first to round deliberately.
   *
   * @example
   * Money.of('12.34', 'SEK').toMinor(); // 1234n
   */
  toMinor(): bigint {
    if (!this.minorExact()) {
      fail(
        'money_not_minor_exact',
        `${this.toString()} ${this.currency} has more than ${this.exponent} decimals`,
        this.toString(),
      );
    }
    return this.scaled;
  }

  private same(other: Money): void {
    if (!(other instanceof Money)) fail('invalid_amount', 'expected a Money');
    if (other.currency !== this.currency) {
      throw new NordfilError(
        issue('currency_mismatch', `cannot combine ${this.currency} and ${other.currency}`, {
          expected: this.currency,
          actual: other.currency,
        }),
      );
    }
  }

  /**
   * The sum. Throws `currency_mismatch` for another currency.
   *
   * @example
   * Money.of('1.10', 'SEK').plus(Money.of('2.20', 'SEK')).toString(); // '3.30'
   */
  plus(other: Money): Money {
    this.same(other);
    const x = this.units;
    const y = other.units;
    if (typeof x === 'number' && typeof y === 'number' && this.scale === other.scale) {
      const r = x + y;
      if (Number.isSafeInteger(r)) return new Money(r, this.scale, this.currency);
    }
    const [a, b, scale] = aligned(this, other);
    return new Money(a + b, scale, this.currency);
  }

  /**
   * The difference `this - other`. Throws `currency_mismatch` for another currency.
   *
   * @example
   * Money.of('1.00', 'SEK').minus(Money.of('2.50', 'SEK')).toString(); // '-1.50'
   */
  minus(other: Money): Money {
    this.same(other);
    const x = this.units;
    const y = other.units;
    if (typeof x === 'number' && typeof y === 'number' && this.scale === other.scale) {
      const r = x - y;
      if (Number.isSafeInteger(r)) return new Money(r, this.scale, this.currency);
    }
    const [a, b, scale] = aligned(this, other);
    return new Money(a - b, scale, this.currency);
  }

  /**
   * The amount with the opposite sign.
   *
   * @example
   * Money.of('5', 'SEK').negate().toString(); // '-5.00'
   */
  negate(): Money {
    return new Money(-this.units, this.scale, this.currency);
  }

  /**
   * The absolute amount.
   *
   * @example
   * Money.of('-5', 'SEK').abs().toString(); // '5.00'
   */
  abs(): Money {
    return this.units < 0 ? new Money(-this.units, this.scale, this.currency) : this;
  }

  /**
   * -1, 0 or 1 as this is less than, equal to or greater than `other`. Throws `currency_mismatch`.
   *
   * @example
   * [b, a].sort((x, y) => x.compare(y));
   */
  compare(other: Money): -1 | 0 | 1 {
    this.same(other);
    if (this.scale === other.scale) {
      // numbers, bigints or one of each: JS compares them exactly
      const x = this.units;
      const y = other.units;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    const [a, b] = aligned(this, other);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  /**
   * True for the same currency and numerically equal amounts (`1.5` equals `1.50`); false, not a throw,
   * for different currencies.
   *
   * @example
   * Money.of('1.5', 'SEK').equals(Money.of('1.50', 'SEK')); // true
   */
  equals(other: Money): boolean {
    // the representation is canonical, so equal values have equal fields
    return (
      other instanceof Money &&
      other.currency === this.currency &&
      other.scale === this.scale &&
      other.units === this.units
    );
  }

  /**
   * `this < other`. Throws `currency_mismatch`.
   *
   * @example
   * Money.of('1', 'SEK').lessThan(Money.of('2', 'SEK')); // true
   */
  lessThan(other: Money): boolean {
    return this.compare(other) < 0;
  }

  /**
   * `this > other`. Throws `currency_mismatch`.
   *
   * @example
   * Money.of('3', 'SEK').greaterThan(Money.of('2', 'SEK')); // true
   */
  greaterThan(other: Money): boolean {
    return this.compare(other) > 0;
  }

  /**
   * True for a zero amount.
   *
   * @example
   * Money.zero('SEK').isZero(); // true
   */
  isZero(): boolean {
    return this.units === 0;
  }

  /**
   * True for an amount below zero.
   *
   * @example
   * Money.of('-0.01', 'SEK').isNegative(); // true
   */
  isNegative(): boolean {
    return this.units < 0;
  }

  /**
   * True for an amount above zero.
   *
   * @example
   * Money.of('0.01', 'SEK').isPositive(); // true
   */
  isPositive(): boolean {
    return this.units > 0;
  }

  /**
   * The amount multiplied by an exact factor (a decimal string or Decimal, e.g. a VAT rate), rounded to
   * minor units with `rounding` (default `half-even`).
   *
   * @example
   * Money.of('10.05', 'SEK').times('0.5').toString(); // '5.02' (5.025, half-even)
   * Money.of('10.05', 'SEK').times('0.5', { rounding: 'half-up' }).toString(); // '5.03'
   */
  times(factor: string | Decimal, options: { readonly rounding?: RoundingMode } = {}): Money {
    const f = toDecimal(factor, 'factor');
    return Money.fromDecimal(this.amount.times(f), this.currency).round(options.rounding);
  }

  /**
   * The amount rounded to whole minor units (default `half-even`).
   *
   * @example
   * Money.of('0.125', 'EUR').round().toString(); // '0.12'
   * Money.of('0.125', 'EUR').round('half-up').toString(); // '0.13'
   */
  round(rounding: RoundingMode = 'half-even'): Money {
    const mode = ROUNDING[rounding];
    if (mode === undefined) fail('invalid_argument', `unknown rounding mode "${String(rounding)}"`);
    if (this.scale <= this.exponent) return this;
    return Money.fromDecimal(this.amount.toDecimalPlaces(this.exponent, mode), this.currency);
  }

  /**
   * Splits into `n` parts, in whole minor units, that sum exactly to this amount. Parts differ by at most
   * one minor unit; the remainder goes one minor unit at a time to the first parts (for a negative amount
   * the first parts are the more negative ones). Throws `money_not_minor_exact` for a fraction of a minor
   * unit and `invalid_argument` unless `n` is a positive safe integer.
   *
   * @example
   * Money.of('100', 'SEK').split(3).map(String); // ['33.34', '33.33', '33.33']
   */
  split(n: number): Money[] {
    if (!Number.isSafeInteger(n) || n < 1) fail('invalid_argument', `split needs a positive integer count, got ${n}`);
    const total = this.toMinor();
    const count = BigInt(n);
    const base = total / count; // truncates towards zero
    const remainder = total - base * count; // same sign as total
    const step = remainder < 0n ? -1n : 1n;
    const left = remainder < 0n ? -remainder : remainder;
    return Array.from({ length: n }, (_, i) => Money.fromMinor(BigInt(i) < left ? base + step : base, this.currency));
  }

  /**
   * Allocates this amount by non-negative ratios (numbers, decimal strings or Decimals) into parts in whole
   * minor units that sum exactly to it, by the largest-remainder method: each part gets its exact share
   * rounded towards zero, then the minor units left over go one each to the parts with the largest
   * dropped fractions, ties to the earlier part. A zero ratio always gets zero. A negative amount is
   * allocated as its magnitude and negated. Throws `invalid_ratios` for no ratios, a negative or
   * non-finite ratio, or all-zero ratios, and `money_not_minor_exact` for a fraction of a minor unit.
   *
   * @example
   * Money.of('100', 'SEK').allocate([1, 1, 1]).map(String); // ['33.34', '33.33', '33.33']
   * Money.of('10', 'SEK').allocate(['0.7', '0.3']).map(String); // ['7.00', '3.00']
   */
  allocate(ratios: readonly (number | string | Decimal)[]): Money[] {
    if (ratios.length === 0) fail('invalid_ratios', 'allocate needs at least one ratio');
    const ds = ratios.map((r, i) => {
      let d: Decimal | undefined;
      try {
        // a number ratio is read through its shortest decimal text: 0.1 means 1/10
        d = typeof r === 'number' ? (Number.isFinite(r) ? new D(String(r)) : undefined) : toDecimal(r, 'ratio');
      } catch {
        d = undefined;
      }
      if (d === undefined || d.isNegative()) fail('invalid_ratios', `invalid ratio ${String(r)} at index ${i}`);
      return d;
    });
    // scale every ratio to an integer weight, so the shares are exact rationals in bigints
    const scale = Math.max(...ds.map((d) => d.decimalPlaces()));
    const weights = ds.map((d) => BigInt(d.toFixed(scale).replace('.', '')));
    const sum = weights.reduce((a, b) => a + b, 0n);
    if (sum === 0n) fail('invalid_ratios', 'allocate needs at least one ratio above zero');
    const total = this.toMinor();
    const magnitude = total < 0n ? -total : total;
    const sign = total < 0n ? -1n : 1n;
    const parts = weights.map((w) => (magnitude * w) / sum);
    const fractions = weights.map((w) => (magnitude * w) % sum);
    let left = magnitude - parts.reduce((a, b) => a + b, 0n);
    const order = fractions
      .map((_, i) => i)
      .sort((a, b) => (fractions[b]! > fractions[a]! ? 1 : fractions[b]! < fractions[a]! ? -1 : a - b));
    for (const i of order) {
      if (left === 0n) break;
      parts[i]! += 1n;
      left -= 1n;
    }
    return parts.map((p) => Money.fromMinor(sign * p, this.currency));
  }

  /**
   * The amount as a plain decimal string with exactly the currency's decimals (`'1234.50'`, `'-0.05'`,
   * `'100'` for ISK); an amount that is not minor-exact shows all its decimals (`'0.005'`).
   *
   * @example
   * Money.of('1234.5', 'SEK').toString(); // '1234.50'
   */
  toString(): string {
    return formatScaled(this.scaled, this.scale);
  }

  /**
   * JSON as a decimal string (the currency is stored beside it): `JSON.stringify({ amount })` gives
   * `{"amount":"1234.50"}`. Read back with {@link Money.fromJSON}.
   *
   * @example
   * JSON.stringify(Money.of('1234.5', 'SEK')); // '"1234.50"'
   */
  toJSON(): string {
    return this.toString();
  }

  /**
   * Formats for people with Intl.NumberFormat (style `currency`) in the locale. The exact decimal string
   * is handed to Intl (Node >= 20 formats numeric strings as exact decimals), so no float is involved.
   * Shows the currency's decimals, or more when the amount is not minor-exact. Intl's output uses
   * no-break spaces (U+00A0) and a real minus sign (U+2212) in sv-SE and nb-NO.
   *
   * @example
   * Money.of('1234.5', 'SEK').format('sv-SE'); // '1 234,50 kr' (U+00A0 spaces)
   * Money.of('1234.5', 'SEK').format('sv-SE', { currencyDisplay: 'code' }); // '1 234,50 SEK'
   */
  format(
    locale: 'sv-SE' | 'nb-NO' | 'da-DK' | 'fi-FI' | 'en-US' | (string & {}),
    options: MoneyFormatOptions = {},
  ): string {
    const digits = this.scale;
    const nf = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: this.currency,
      currencyDisplay: options.currencyDisplay ?? 'symbol',
      useGrouping: options.useGrouping ?? true,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    return nf.format(this.toString() as Intl.StringNumericLiteral);
  }
}

/**
 * The sum of `items`, all in `currency` (zero for an empty list). Throws `currency_mismatch` for an item
 * in another currency.
 *
 * @example
 * sumMoney([Money.of('1', 'SEK'), Money.of('2.50', 'SEK')], 'SEK').toString(); // '3.50'
 */
export function sumMoney(items: Iterable<Money>, currency: CurrencyCode): Money {
  let total = Money.zero(currency);
  for (const m of items) total = total.plus(m);
  return total;
}
