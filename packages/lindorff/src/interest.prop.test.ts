import { fc, test } from '@fast-check/vitest';
import { addDays, type IsoDate, Money } from '@nordfil/core';
import { describe, expect } from 'vitest';
import { setup } from '../test/fixtures.js';
import { computeInterest } from './interest.js';

const table = setup.interest;
const day = (n: number) => addDays('2020-01-01' as IsoDate, n);

describe('interest properties', () => {
  test.prop([
    fc.bigInt({ min: 1n, max: 100_000_000_00n }),
    fc.integer({ min: 0, max: 2500 }),
    fc.integer({ min: 0, max: 2500 }),
    fc.integer({ min: 0, max: 2500 }),
  ])('interest over any period equals the sum of its parts split at any date', (minor, x, y, z) => {
    const [a, b, c] = [x, y, z].sort((p, q) => p - q) as [number, number, number];
    const principal = Money.fromMinor(minor, 'NOK');
    const whole = computeInterest({ principal, from: day(a), to: day(c), table });
    const left = computeInterest({ principal, from: day(a), to: day(b), table });
    const right = computeInterest({ principal, from: day(b), to: day(c), table });
    // exact: the numerators are exact decimals and the divisor is shared
    expect(whole.numerator.equals(left.numerator.plus(right.numerator))).toBe(true);
    expect(whole.segments.reduce((s, g) => s + g.days, 0)).toBe(c - a);
    // rounded once per note: the parts' rounded totals differ from the whole by at most one øre
    expect(whole.total.minus(left.total.plus(right.total)).abs().lessThan(Money.of('0.02', 'NOK'))).toBe(true);
  });
});
