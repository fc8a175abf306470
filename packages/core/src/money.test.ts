import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { NordfilError } from './errors.js';
import { isCurrencyCode, Money, minorUnitExponent, sumMoney } from './money.js';

const sek = (v: string) => Money.of(v, 'SEK');
const strings = (ms: Money[]) => ms.map(String);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return NordfilError.is(e) ? e.code : `not a NordfilError: ${String(e)}`;
  }
  return undefined;
}

describe('currencies', () => {
  it('validates codes and knows minor units', () => {
    expect(isCurrencyCode('SEK')).toBe(true);
    expect(isCurrencyCode('sek')).toBe(false);
    expect(isCurrencyCode('SEKK')).toBe(false);
    expect(isCurrencyCode(42)).toBe(false);
    expect(['SEK', 'NOK', 'DKK', 'EUR', 'USD', 'GBP', 'ISK', 'JPY', 'CHF'].map(minorUnitExponent)).toEqual([
      2, 2, 2, 2, 2, 2, 0, 0, 2,
    ]);
    expect(codeOf(() => minorUnitExponent('kr'))).toBe('invalid_currency');
    expect(codeOf(() => Money.of('1', 'sek'))).toBe('invalid_currency');
    expect(codeOf(() => Money.zero(''))).toBe('invalid_currency');
    expect(codeOf(() => Money.fromMinor(1n, 'S1K'))).toBe('invalid_currency');
  });

  it('answers each code for itself when codes are asked for in turn (the last one asked for is remembered)', () => {
    // a code read from a file (a string of its own, not the literal) after the same code and after others
    const read = (code: string): string => `x${code}`.slice(1);
    const asked = ['ISK', 'ISK', 'SEK', read('SEK'), 'JPY', read('ISK'), 'CHF', 'CHF', 'NOK', 'ISK'];
    expect(asked.map(minorUnitExponent)).toEqual([0, 0, 2, 2, 0, 0, 2, 2, 2, 0]);
    for (const bad of ['SEK ', 'sek', undefined, null, 46]) {
      minorUnitExponent('SEK');
      expect(codeOf(() => minorUnitExponent(bad as unknown as string))).toBe('invalid_currency');
      expect(codeOf(() => Money.fromMinor(1, bad as unknown as string))).toBe('invalid_currency');
    }
    expect(minorUnitExponent('ISK')).toBe(0);
  });
});

describe('construction', () => {
  it('parses plain decimal strings exactly', () => {
    expect(sek('1234.50').toString()).toBe('1234.50');
    expect(sek('1234.5').toString()).toBe('1234.50');
    expect(sek('-0.5').toString()).toBe('-0.50');
    expect(sek('0012').toString()).toBe('12.00');
    expect(sek('123456789012345678901234567890.12').toString()).toBe('123456789012345678901234567890.12');
    expect(sek('-0').toString()).toBe('0.00');
    expect(sek('-0.00').isNegative()).toBe(false);
  });

  it.each([
    'abc',
    '1e5',
    '',
    ' 1',
    '1 ',
    '1,5',
    '+1',
    '.5',
    '5.',
    '1_000',
    'NaN',
    'Infinity',
    '--1',
  ])('rejects %j with invalid_amount', (text) => {
    expect(codeOf(() => sek(text))).toBe('invalid_amount');
  });

  it('accepts bigints, safe-integer numbers and finite Decimals', () => {
    expect(Money.of(12n, 'NOK').toString()).toBe('12.00');
    expect(Money.of(-7, 'NOK').toString()).toBe('-7.00');
    expect(Money.of(new Decimal('2.345'), 'EUR').toString()).toBe('2.345');
    expect(Money.of(5, 'ISK').toString()).toBe('5');
  });

  it('refuses floats, unsafe integers and non-finite values', () => {
    expect(codeOf(() => Money.of(0.1, 'SEK'))).toBe('invalid_amount');
    expect(codeOf(() => Money.of(2 ** 53, 'SEK'))).toBe('invalid_amount');
    expect(codeOf(() => Money.of(Number.NaN, 'SEK'))).toBe('invalid_amount');
    expect(codeOf(() => Money.of(new Decimal(Number.POSITIVE_INFINITY), 'SEK'))).toBe('invalid_amount');
    expect(codeOf(() => Money.of(new Decimal(Number.NaN), 'SEK'))).toBe('invalid_amount');
  });

  it('makes money from minor units and zero', () => {
    expect(Money.fromMinor(123450n, 'SEK').toString()).toBe('1234.50');
    expect(Money.fromMinor(-5n, 'SEK').toString()).toBe('-0.05');
    expect(Money.fromMinor(1234n, 'ISK').toString()).toBe('1234');
    expect(Money.fromMinor(0n, 'EUR').isZero()).toBe(true);
    expect(Money.zero('DKK').toString()).toBe('0.00');
    expect(Money.fromMinor(5, 'SEK').equals(Money.fromMinor(5n, 'SEK'))).toBe(true);
    expect(Money.fromMinor(-123450, 'SEK').toString()).toBe('-1234.50');
    expect(codeOf(() => Money.fromMinor(0.5, 'SEK'))).toBe('invalid_amount');
    expect(codeOf(() => Money.fromMinor(2 ** 60, 'SEK'))).toBe('invalid_amount');
    expect(codeOf(() => Money.fromMinor(Number.NaN, 'SEK'))).toBe('invalid_amount');
    expect(codeOf(() => Money.fromMinor('5' as unknown as bigint, 'SEK'))).toBe('invalid_amount');
  });

  it('keeps units as a number while they are a safe integer, as a bigint beyond, one form per value', () => {
    const max = 2n ** 53n - 1n;
    expect(Money.fromMinor(max, 'SEK').units).toBe(Number(max));
    expect(Money.fromMinor(max + 1n, 'SEK').units).toBe(max + 1n);
    expect(Money.fromMinor(-max - 1n, 'SEK').units).toBe(-max - 1n);
    // crossing 2^53 either way is exact
    const top = Money.fromMinor(max, 'SEK');
    expect(top.plus(Money.fromMinor(1n, 'SEK')).units).toBe(max + 1n);
    expect(top.plus(Money.fromMinor(1n, 'SEK')).minus(Money.fromMinor(1n, 'SEK')).units).toBe(Number(max));
    expect(Money.of('0.10', 'SEK').units).toBe(10);
    expect(Money.of('0.005', 'SEK').units).toBe(5);
    expect(Money.of('0.005', 'SEK').scale).toBe(3);
    expect(Money.of('-0', 'SEK').units).toBe(0);
    expect(Object.is(Money.of('5', 'SEK').minus(Money.of('5', 'SEK')).units, 0)).toBe(true);
    expect(Money.of('1234.50', 'SEK').scaled).toBe(123450n);
  });

  it('is immutable', () => {
    const m = sek('1');
    expect(Object.isFrozen(m)).toBe(true);
    m.plus(sek('1'));
    expect(m.toString()).toBe('1.00');
  });
});

describe('minor units', () => {
  it('converts exact amounts and refuses fractions of a minor unit', () => {
    expect(sek('12.34').toMinor()).toBe(1234n);
    expect(sek('-0.01').toMinor()).toBe(-1n);
    expect(Money.of('7', 'JPY').toMinor()).toBe(7n);
    expect(sek('1.005').minorExact()).toBe(false);
    expect(sek('1.50').minorExact()).toBe(true);
    expect(Money.of('1.5', 'ISK').minorExact()).toBe(false);
    expect(codeOf(() => sek('1.005').toMinor())).toBe('money_not_minor_exact');
    expect(() => sek('1.005').toMinor()).toThrow(/1\.005 SEK/);
    expect(sek('1.005').toString()).toBe('1.005');
  });
});

describe('arithmetic and comparison', () => {
  it('adds, subtracts, negates and takes the absolute value', () => {
    expect(sek('1.10').plus(sek('2.20')).toString()).toBe('3.30');
    expect(sek('1').minus(sek('2.50')).toString()).toBe('-1.50');
    expect(sek('5').negate().toString()).toBe('-5.00');
    expect(sek('0').negate().toString()).toBe('0.00');
    expect(sek('-5').abs().toString()).toBe('5.00');
    expect(sek('0.1').plus(sek('0.2')).equals(sek('0.3'))).toBe(true);
  });

  it('compares', () => {
    expect(sek('1').compare(sek('2'))).toBe(-1);
    expect(sek('2').compare(sek('2.00'))).toBe(0);
    expect(sek('3').compare(sek('2'))).toBe(1);
    expect(sek('1').lessThan(sek('2'))).toBe(true);
    expect(sek('2').lessThan(sek('2'))).toBe(false);
    expect(sek('3').greaterThan(sek('2'))).toBe(true);
    expect(sek('2').greaterThan(sek('2'))).toBe(false);
    expect(sek('1.5').equals(sek('1.50'))).toBe(true);
    expect(sek('1.5').equals(Money.of('1.5', 'NOK'))).toBe(false);
    expect([sek('0'), sek('-1'), sek('1')].map((m) => [m.isZero(), m.isNegative(), m.isPositive()])).toEqual([
      [true, false, false],
      [false, true, false],
      [false, false, true],
    ]);
  });

  it('refuses to mix currencies, naming both', () => {
    const nok = Money.of('1', 'NOK');
    for (const op of [
      () => sek('1').plus(nok),
      () => sek('1').minus(nok),
      () => sek('1').compare(nok),
      () => sek('1').lessThan(nok),
      () => sek('1').greaterThan(nok),
    ]) {
      expect(codeOf(op)).toBe('currency_mismatch');
    }
    expect(() => sek('1').plus(nok)).toThrow('cannot combine SEK and NOK');
  });

  it('multiplies with explicit rounding to minor units', () => {
    expect(sek('10.05').times('0.5').toString()).toBe('5.02');
    expect(sek('10.05').times('0.5', { rounding: 'half-up' }).toString()).toBe('5.03');
    expect(sek('10.07').times('0.5').toString()).toBe('5.04');
    expect(sek('-10.05').times('0.5', { rounding: 'half-up' }).toString()).toBe('-5.03');
    expect(sek('-10.05').times('0.5', { rounding: 'half-down' }).toString()).toBe('-5.02');
    expect(sek('100').times(new Decimal('0.25')).toString()).toBe('25.00');
    expect(sek('1.01').times('0.5', { rounding: 'up' }).toString()).toBe('0.51');
    expect(sek('1.01').times('0.5', { rounding: 'down' }).toString()).toBe('0.50');
    expect(sek('-1.01').times('0.5', { rounding: 'ceil' }).toString()).toBe('-0.50');
    expect(sek('-1.01').times('0.5', { rounding: 'floor' }).toString()).toBe('-0.51');
    expect(Money.of('101', 'ISK').times('0.5').toString()).toBe('50');
    expect(codeOf(() => sek('1').times('1e2'))).toBe('invalid_amount');
  });

  it('rounds to minor units', () => {
    expect(Money.of('0.125', 'EUR').round().toString()).toBe('0.12');
    expect(Money.of('0.135', 'EUR').round().toString()).toBe('0.14');
    expect(Money.of('0.125', 'EUR').round('half-up').toString()).toBe('0.13');
    expect(codeOf(() => sek('1').round('nearest' as never))).toBe('invalid_argument');
  });

  it('sums a list', () => {
    expect(sumMoney([sek('1'), sek('2.50'), sek('-0.25')], 'SEK').toString()).toBe('3.25');
    expect(sumMoney([], 'NOK').equals(Money.zero('NOK'))).toBe(true);
    expect(codeOf(() => sumMoney([sek('1')], 'NOK'))).toBe('currency_mismatch');
  });
});

describe('split', () => {
  it('spreads the remainder from the first part', () => {
    expect(strings(sek('100').split(3))).toEqual(['33.34', '33.33', '33.33']);
    expect(strings(sek('0.05').split(3))).toEqual(['0.02', '0.02', '0.01']);
    expect(strings(sek('-0.05').split(3))).toEqual(['-0.02', '-0.02', '-0.01']);
    expect(strings(sek('0.01').split(3))).toEqual(['0.01', '0.00', '0.00']);
    expect(strings(sek('9').split(1))).toEqual(['9.00']);
    expect(strings(Money.of('10', 'ISK').split(4))).toEqual(['3', '3', '2', '2']);
  });

  it('refuses a bad count or a fraction of a minor unit', () => {
    for (const n of [0, -1, 1.5, Number.NaN]) expect(codeOf(() => sek('1').split(n))).toBe('invalid_argument');
    expect(codeOf(() => sek('1.001').split(2))).toBe('money_not_minor_exact');
  });
});

describe('allocate', () => {
  it('allocates by ratios with the leftover to the largest remainders', () => {
    expect(strings(sek('100').allocate([1, 1, 1]))).toEqual(['33.34', '33.33', '33.33']);
    expect(strings(sek('10').allocate(['0.7', '0.3']))).toEqual(['7.00', '3.00']);
    // 0.05 by 1:2:2 is 0.01, 0.02, 0.02 exactly
    expect(strings(sek('0.05').allocate([1, 2, 2]))).toEqual(['0.01', '0.02', '0.02']);
    // 0.10 by 1:1:1:7 = 0.01, 0.01, 0.01, 0.07
    expect(strings(sek('0.10').allocate([1, 1, 1, 7]))).toEqual(['0.01', '0.01', '0.01', '0.07']);
    // 1 öre by 1:3: shares 0.25 and 0.75, the larger fraction wins
    expect(strings(sek('0.01').allocate([1, 3]))).toEqual(['0.00', '0.01']);
    // 0.05 by 1:1 gives 2.5 öre each; the tie goes to the first part
    expect(strings(sek('0.05').allocate([1, 1]))).toEqual(['0.03', '0.02']);
    expect(strings(sek('1').allocate([new Decimal('0.5'), '0.25', 0.25]))).toEqual(['0.50', '0.25', '0.25']);
  });

  it('gives zero ratios zero and allocates negative totals by magnitude', () => {
    expect(strings(sek('0.05').allocate([0, 1, 0, 1]))).toEqual(['0.00', '0.03', '0.00', '0.02']);
    expect(strings(sek('-100').allocate([1, 1, 1]))).toEqual(['-33.34', '-33.33', '-33.33']);
    expect(strings(sek('0').allocate([1, 2]))).toEqual(['0.00', '0.00']);
  });

  it('refuses bad ratios', () => {
    for (const ratios of [[], [0, 0], [1, -1], [Number.NaN], [Number.POSITIVE_INFINITY], ['x'], ['1e2']]) {
      expect(codeOf(() => sek('1').allocate(ratios))).toBe('invalid_ratios');
    }
    expect(codeOf(() => sek('1.001').allocate([1]))).toBe('money_not_minor_exact');
  });
});

describe('text and JSON', () => {
  it('writes the currency decimals and JSON as a decimal string', () => {
    expect(String(sek('1234.5'))).toBe('1234.50');
    expect(JSON.stringify({ amount: sek('1234.5') })).toBe('{"amount":"1234.50"}');
    expect(Money.fromJSON('1234.50', 'SEK').equals(sek('1234.5'))).toBe(true);
    expect(codeOf(() => Money.fromJSON(1234 as unknown as string, 'SEK'))).toBe('invalid_amount');
    expect(Money.of('-3', 'JPY').toJSON()).toBe('-3');
  });

  // Intl's separators, built here so the expectations are visibly the characters Node 20 (ICU 7x) produces
  const NBSP = '\u00a0';
  const MINUS = '\u2212';

  it('formats for sv-SE and nb-NO through Intl', () => {
    expect(sek('1234.5').format('sv-SE')).toBe(`1${NBSP}234,50${NBSP}kr`);
    expect(sek('-1234.5').format('sv-SE')).toBe(`${MINUS}1${NBSP}234,50${NBSP}kr`);
    expect(sek('-0.5').format('sv-SE')).toBe(`${MINUS}0,50${NBSP}kr`);
    expect(sek('1234.5').format('sv-SE', { currencyDisplay: 'code' })).toBe(`1${NBSP}234,50${NBSP}SEK`);
    expect(sek('1234.5').format('sv-SE', { useGrouping: false })).toBe(`1234,50${NBSP}kr`);
    expect(Money.of('1234.5', 'NOK').format('nb-NO')).toBe(`1${NBSP}234,50${NBSP}kr`);
    expect(Money.of('1234.5', 'USD').format('en-US')).toBe('$1,234.50');
    expect(Money.of('1234', 'ISK').format('en-US', { currencyDisplay: 'code' })).toBe(`ISK${NBSP}1,234`);
  });

  it('formats exactly, never through a float', () => {
    // 2^53 + 1 and 30 significant digits: a float would print ...992 and lose the tail
    expect(Money.of('9007199254740993.01', 'USD').format('en-US')).toBe('$9,007,199,254,740,993.01');
    expect(Money.of('1234567890123456789012345678.91', 'USD').format('en-US')).toBe(
      '$1,234,567,890,123,456,789,012,345,678.91',
    );
    // an amount that is not minor-exact shows every decimal instead of rounding it away
    expect(sek('0.005').format('en-US', { currencyDisplay: 'code' })).toBe(`SEK${NBSP}0.005`);
  });
});
