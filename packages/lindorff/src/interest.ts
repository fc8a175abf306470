/**
 * Forsinkelsesrente (late-payment interest) and the interest note (rentenota), per reference §2:
 * - the rate comes from a table keyed by start date (in configuration); the statutory rate changes each
 *   1 January and 1 July and a new rate applies to claims already overdue, so the period is split at every
 *   change in the table (and at every change of the outstanding principal);
 * - simple interest on principal only: no interest on interest (Rt. 1994 s. 25);
 * - day count: actual days / `dayCountDivisor` (365 by default, "actual/365"); the period runs from the due
 *   date (exclusive) to the payment date (inclusive);
 * - exact with decimal.js: each segment contributes `principal × percent × days` exactly; the note's exact
 *   interest is their sum divided by `100 × divisor`, rounded to øre (half-up) only once, at the end of the note.
 */
import {
  addDays,
  compareDates,
  daysBetween,
  type IsoDate,
  issue,
  Money,
  minorUnitExponent,
  NordfilError,
} from '@nordfil/core';
import { Decimal } from 'decimal.js';
import type { InterestTable } from './config.js';

const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });

/**
 * The outstanding principal from a date on (after a partial payment, say). The caller allocates payments
 * (costs, interest, principal, in the order the agreement or the agency chooses); this module only sees principal.
 *
 * @example
 * const c: PrincipalChange = { date: '2026-03-01' as IsoDate, principal: Money.of('500', 'NOK') };
 */
export interface PrincipalChange {
  /** The last day the old principal bears interest; the new one bears interest from the next day. */
  readonly date: IsoDate;
  readonly principal: Money;
}

/**
 * What {@link computeInterest} needs.
 *
 * @example
 * const input: InterestInput = { principal: Money.of('1000', 'NOK'), from: '2025-01-15' as IsoDate, to: '2025-08-15' as IsoDate, table };
 */
export interface InterestInput {
  readonly principal: Money;
  /** The due date (forfallsdato): interest runs from the next day. */
  readonly from: IsoDate;
  /** The payment date: the last day that bears interest. */
  readonly to: IsoDate;
  readonly table: InterestTable;
  /** Changes of the outstanding principal inside the period, in any order. */
  readonly principalChanges?: readonly PrincipalChange[];
}

/**
 * One segment of constant rate and principal.
 *
 * @example
 * note.segments[0]; // { from: '2024-12-31', to: '2025-06-30', days: 181, percent: '12.50', principal, numerator, exact }
 */
export interface InterestSegment {
  /** Exclusive. */
  readonly from: IsoDate;
  /** Inclusive. */
  readonly to: IsoDate;
  readonly days: number;
  readonly percent: string;
  readonly principal: Money;
  /** principal × percent × days, exact. */
  readonly numerator: Decimal;
  /** numerator / (100 × divisor), to 80 significant digits. */
  readonly exact: Decimal;
}

/**
 * An interest note (rentenota): the segments, the exact interest and the amount to book.
 *
 * @example
 * computeInterest(input).total.toString(); // '57.30'
 */
export interface InterestNote {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly divisor: number;
  readonly segments: readonly InterestSegment[];
  /** Σ principal × percent × days: exact, so notes over adjoining periods add up exactly. */
  readonly numerator: Decimal;
  /** numerator / (100 × divisor). */
  readonly exact: Decimal;
  /** Rounded to øre half-up, once, at the end of the note. */
  readonly total: Money;
}

/**
 * Computes late-payment interest over `(from, to]`, split at every rate change and principal change.
 * Throws `interest_rate_unknown` for a day before the table's first rate or after its `validUntil`,
 * `invalid_period` when `to` is before `from`.
 *
 * @example
 * const table = { rates: [{ from: '2025-01-01', percent: '12.50' }, { from: '2025-07-01', percent: '12.25' }], dayCountDivisor: 365 };
 * computeInterest({ principal: Money.of('10000', 'NOK'), from: '2025-06-20', to: '2025-07-10', table }).segments.length; // 2
 */
export function computeInterest(input: InterestInput): InterestNote {
  const { from, to, table } = input;
  if (compareDates(to, from) < 0) {
    throw new NordfilError(
      issue('invalid_period', `interest period ends ${to}, before it starts ${from}`, {
        expected: `>= ${from}`,
        actual: to,
      }),
    );
  }
  const divisor = table.dayCountDivisor;
  const rates = [...table.rates].sort((a, b) => compareDates(a.from, b.from));
  const currency = input.principal.currency;
  const segments: InterestSegment[] = [];
  if (compareDates(to, from) > 0) {
    const first = rates[0];
    const firstDay = addDays(from, 1);
    if (first === undefined || compareDates(firstDay, first.from) < 0) {
      throw new NordfilError(
        issue(
          'interest_rate_unknown',
          `no interest rate for ${firstDay}: the table starts ${first?.from ?? '(empty)'}`,
          { actual: firstDay },
        ),
      );
    }
    if (table.validUntil !== undefined && compareDates(to, table.validUntil) > 0) {
      throw new NordfilError(
        issue(
          'interest_rate_unknown',
          `the rate table is known only until ${table.validUntil}; interest to ${to} needs newer rates`,
          { expected: `<= ${table.validUntil}`, actual: to },
        ),
      );
    }
    // boundaries (exclusive ends) where something changes: the day before each rate's start, and each principal change date
    const cuts = new Set<IsoDate>();
    for (const r of rates) {
      const end = addDays(r.from, -1);
      if (compareDates(end, from) > 0 && compareDates(end, to) < 0) cuts.add(end);
    }
    const changes = [...(input.principalChanges ?? [])].sort((a, b) => compareDates(a.date, b.date));
    for (const ch of changes) {
      if (ch.principal.currency !== currency) {
        throw new NordfilError(
          issue('currency_mismatch', `principal change in ${ch.principal.currency}, the claim is in ${currency}`),
        );
      }
      if (compareDates(ch.date, from) > 0 && compareDates(ch.date, to) < 0) cuts.add(ch.date);
    }
    const points = [from, ...[...cuts].sort((a, b) => compareDates(a, b)), to];
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i]!;
      const b = points[i + 1]!;
      const day = addDays(a, 1);
      let rate = first;
      for (const r of rates) if (compareDates(r.from, day) <= 0) rate = r;
      let principal = input.principal;
      for (const ch of changes) if (compareDates(ch.date, a) <= 0) principal = ch.principal;
      const days = daysBetween(a, b);
      const numerator = new D(principal.amount.toString()).times(rate.percent).times(days);
      segments.push({
        from: a,
        to: b,
        days,
        percent: rate.percent,
        principal,
        numerator,
        exact: numerator.dividedBy(100 * divisor),
      });
    }
  }
  const numerator = segments.reduce((s, x) => s.plus(x.numerator), new D(0));
  const exact = numerator.dividedBy(100 * divisor);
  return {
    from,
    to,
    divisor,
    segments,
    numerator,
    exact,
    total: Money.of(exact.toDecimalPlaces(minorUnitExponent(currency), Decimal.ROUND_HALF_UP).toFixed(), currency),
  };
}
