import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { Money, sumMoney } from './money.js';

const currency = fc.constantFrom('SEK', 'NOK', 'EUR', 'ISK', 'JPY', 'CHF');
const minor = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
const money = fc.tuple(minor, fc.constant('SEK')).map(([m, c]) => Money.fromMinor(m, c));
const ratio = fc.oneof(
  fc.nat({ max: 1000 }),
  fc.tuple(fc.nat({ max: 1000 }), fc.nat({ max: 999 })).map(([i, f]) => `${i}.${String(f).padStart(3, '0')}`),
);

test.prop([fc.bigInt(), currency])('fromMinor and toMinor round-trip for any bigint', (m, c) => {
  expect(Money.fromMinor(m, c).toMinor()).toBe(m);
});

const SAFE = 2n ** 53n - 1n;
/** Minor units around 2^53, where `units` changes from a number to a bigint. */
const nearSafe = fc.oneof(
  fc.bigInt({ min: -(2n ** 54n), max: 2n ** 54n }),
  fc.bigInt({ min: SAFE - 1000n, max: SAFE + 1000n }),
  fc.bigInt({ min: -SAFE - 1000n, max: -SAFE + 1000n }),
  fc.bigInt({ min: -1000n, max: 1000n }),
);

test.prop([nearSafe, nearSafe, currency])(
  'units is a number exactly when it is a safe integer, and arithmetic across 2^53 is exact',
  (x, y, c) => {
    const a = Money.fromMinor(x, c);
    const b = Money.fromMinor(y, c);
    for (const m of [a, b, a.plus(b), a.minus(b), a.negate(), a.abs()]) {
      const v = m.scaled;
      expect(typeof m.units).toBe(v >= -SAFE && v <= SAFE ? 'number' : 'bigint');
      expect(BigInt(m.units)).toBe(v);
    }
    expect(a.plus(b).toMinor()).toBe(x + y);
    expect(a.minus(b).toMinor()).toBe(x - y);
    expect(a.compare(b)).toBe(x < y ? -1 : x > y ? 1 : 0);
    expect(a.equals(b)).toBe(x === y);
    if (x >= -SAFE && x <= SAFE) expect(Money.fromMinor(Number(x), c).equals(a)).toBe(true);
  },
);

test.prop([minor, currency])('JSON round-trips exactly', (m, c) => {
  const a = Money.fromMinor(m, c);
  const json = JSON.stringify({ a });
  const back = Money.fromJSON((JSON.parse(json) as { a: string }).a, c);
  expect(back.equals(a)).toBe(true);
  expect(back.toString()).toBe(a.toString());
});

test.prop([money, money])('addition commutes and minus undoes plus', (a, b) => {
  expect(a.plus(b).equals(b.plus(a))).toBe(true);
  expect(a.plus(b).minus(b).equals(a)).toBe(true);
  expect(a.minus(b).plus(b).equals(a)).toBe(true);
  expect(a.plus(b).toMinor()).toBe(a.toMinor() + b.toMinor());
});

test.prop([money, money])('compare agrees with minor units', (a, b) => {
  const x = a.toMinor();
  const y = b.toMinor();
  expect(a.compare(b)).toBe(x < y ? -1 : x > y ? 1 : 0);
});

test.prop([money, fc.integer({ min: 1, max: 200 })])(
  'split parts sum to the whole and differ by at most one minor unit, largest first',
  (m, n) => {
    const parts = m.split(n);
    expect(parts).toHaveLength(n);
    expect(sumMoney(parts, 'SEK').equals(m)).toBe(true);
    const minors = parts.map((p) => p.abs().toMinor());
    const spread = minors.reduce((a, b) => (a > b ? a : b)) - minors.reduce((a, b) => (a < b ? a : b));
    expect(spread <= 1n).toBe(true);
    for (let i = 1; i < n; i++) expect(minors[i - 1]! >= minors[i]!).toBe(true);
  },
);

test.prop([money, fc.array(ratio, { minLength: 1, maxLength: 20 })])(
  'allocate sums exactly, zero ratios get zero, parts keep the sign',
  (m, ratios) => {
    fc.pre(ratios.some((r) => Number(r) > 0));
    const parts = m.allocate(ratios);
    expect(parts).toHaveLength(ratios.length);
    expect(sumMoney(parts, 'SEK').equals(m)).toBe(true);
    ratios.forEach((r, i) => {
      if (Number(r) === 0) expect(parts[i]!.isZero()).toBe(true);
      if (m.isNegative()) expect(parts[i]!.isPositive()).toBe(false);
      else expect(parts[i]!.isNegative()).toBe(false);
    });
  },
);

test.prop([money, fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 10 })])(
  'allocate gives each part its exact share within one minor unit',
  (m, ratios) => {
    const sum = BigInt(ratios.reduce((a, b) => a + b, 0));
    const total = m.toMinor();
    m.allocate(ratios).forEach((p, i) => {
      // |part·sum − total·ratio| < sum, i.e. |part − exact share| < 1 minor unit
      const diff = p.toMinor() * sum - total * BigInt(ratios[i]!);
      expect((diff < 0n ? -diff : diff) < sum).toBe(true);
    });
  },
);
