import { describe, expect, it } from 'vitest';
import { d, nok, setup } from '../test/fixtures.js';
import { computeInterest } from './interest.js';

const table = setup.interest;

describe('late-payment interest (forsinkelsesrente, reference §2)', () => {
  it('§2: the period is split at every rate change (1 January and 1 July) and a new rate applies to claims already overdue', () => {
    const note = computeInterest({ principal: nok('10000'), from: d('2025-06-20'), to: d('2025-07-10'), table });
    expect(note.segments.map((s) => [s.from, s.to, s.days, s.percent])).toEqual([
      ['2025-06-20', '2025-06-30', 10, '12.50'],
      ['2025-06-30', '2025-07-10', 10, '12.25'],
    ]);
    // 10000 × (12.50 × 10 + 12.25 × 10) / 36500 = 67.808219…
    expect(note.exact.toFixed(6)).toBe('67.808219');
    expect(note.total.toString()).toBe('67.81');
  });
  it('§2: runs from the due date (exclusive) to the payment date (inclusive), actual/365', () => {
    const note = computeInterest({ principal: nok('365'), from: d('2024-01-01'), to: d('2024-01-02'), table });
    expect(note.segments).toHaveLength(1);
    expect(note.exact.toString()).toBe('0.125'); // 365 × 12.5 % × 1/365
    expect(note.total.toString()).toBe('0.13'); // half-up, once, at the end
    expect(
      computeInterest({ principal: nok('365'), from: d('2024-01-01'), to: d('2024-01-01'), table }).total.toString(),
    ).toBe('0.00');
  });
  it('§2: no interest on interest: a whole year is principal × rate, whatever the length', () => {
    const year = computeInterest({ principal: nok('1000'), from: d('2023-12-31'), to: d('2024-12-30'), table });
    expect(year.total.toString()).toBe('125.00');
    const two = computeInterest({ principal: nok('1000'), from: d('2023-12-31'), to: d('2025-12-30'), table });
    // 2024: 366 days at 12.50; 2025: 181 days at 12.50, 183 at 12.25 → simple sums only
    expect(two.exact.toFixed(10)).toBe(
      '248.7465753425', // 1000 × (12.50 × 366 + 12.50 × 181 + 12.25 × 183) / 36500
    );
  });
  it('a partial payment lowers the principal from the next day; that is a split point too', () => {
    const note = computeInterest({
      principal: nok('1000'),
      from: d('2024-03-01'),
      to: d('2024-03-21'),
      table,
      principalChanges: [{ date: d('2024-03-11'), principal: nok('400') }],
    });
    expect(note.segments.map((s) => [s.days, s.principal.toString()])).toEqual([
      [10, '1000.00'],
      [10, '400.00'],
    ]);
  });
  it('the day-count divisor is configuration', () => {
    const t360 = { ...table, dayCountDivisor: 360 };
    expect(
      computeInterest({
        principal: nok('360'),
        from: d('2024-01-01'),
        to: d('2024-01-02'),
        table: t360,
      }).exact.toString(),
    ).toBe('0.125');
  });
  it('refuses days the rate table does not cover, and a reversed period', () => {
    expect(() => computeInterest({ principal: nok('1'), from: d('2019-12-01'), to: d('2020-02-01'), table })).toThrow(
      /no interest rate/,
    );
    expect(() =>
      computeInterest({
        principal: nok('1'),
        from: d('2025-01-01'),
        to: d('2026-02-01'),
        table: { ...table, validUntil: d('2025-12-31') },
      }),
    ).toThrow(/known only until 2025-12-31/);
    expect(() => computeInterest({ principal: nok('1'), from: d('2025-01-02'), to: d('2025-01-01'), table })).toThrow(
      /before it starts/,
    );
  });
});
