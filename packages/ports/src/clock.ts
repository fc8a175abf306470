import { todayIn as coreTodayIn, type IsoDate } from '@nordfil/core';
import { quote } from './_util.js';
import { portError } from './errors.js';

/**
 * Where "now" comes from. Jobs and rules take a clock instead of calling `new Date()`, so tests can fix
 * time and the packages stay pure; only the host passes {@link systemClock}.
 *
 * @example
 * function stamp(clock: Clock) { return clock.now().toISOString() }
 */
export interface Clock {
  /** The current instant, as a new `Date` the caller may keep. */
  now(): Date;
}

/**
 * A {@link Clock} whose time only moves when told: {@link manualClock}.
 *
 * @example
 * const clock: ManualClock = manualClock('2026-11-23T00:00:00Z');
 * clock.advance(86_400_000);
 */
export interface ManualClock extends Clock {
  /** Moves time forward by `ms` milliseconds (negative moves it back). */
  advance(ms: number): void;
  /** Jumps to an instant. */
  set(instant: Date | string | number): void;
}

function toMillis(instant: Date | string | number): number {
  const ms = instant instanceof Date ? instant.getTime() : new Date(instant).getTime();
  if (!Number.isFinite(ms)) {
    throw portError('invalid_instant', `not a valid instant: ${quote(String(instant))}`);
  }
  return ms;
}

/**
 * The machine's clock. The one impure thing in this package: call it only in the host application
 * (CLI, server), and pass the clock down.
 *
 * @example
 * const clock = systemClock();
 * clock.now(); // the current time
 */
export function systemClock(): Clock {
  return { now: () => new Date() };
}

/**
 * A clock stopped at one instant (a `Date`, an ISO string or epoch milliseconds); throws `invalid_instant`
 * for anything that is not a valid instant.
 *
 * @example
 * const clock = fixedClock('2026-11-23T23:30:00Z');
 * todayIn(clock); // '2026-11-24' (already tomorrow in Stockholm)
 */
export function fixedClock(instant: Date | string | number): Clock {
  const ms = toMillis(instant);
  return { now: () => new Date(ms) };
}

/**
 * A clock that starts at `start` and moves only with `advance(ms)` or `set(instant)`: for testing leases,
 * timeouts and day changes.
 *
 * @example
 * const clock = manualClock('2026-11-23T12:00:00Z');
 * clock.advance(60_000);
 * clock.now().toISOString(); // '2026-11-23T12:01:00.000Z'
 */
export function manualClock(start: Date | string | number): ManualClock {
  let ms = toMillis(start);
  return {
    now: () => new Date(ms),
    advance(delta: number) {
      if (!Number.isFinite(delta)) throw portError('invalid_instant', `cannot advance by ${String(delta)} ms`);
      ms += delta;
    },
    set(instant: Date | string | number) {
      ms = toMillis(instant);
    },
  };
}

/**
 * The calendar date (`YYYY-MM-DD`) of `instant` in `timeZone`: core's `todayIn`, so the machine's own time zone
 * never matters. Throws `invalid_time_zone` for an unknown zone.
 *
 * @example
 * dateIn(new Date('2026-11-23T23:30:00Z'), 'Europe/Oslo'); // '2026-11-24'
 */
export function dateIn(instant: Date, timeZone = 'Europe/Stockholm'): IsoDate {
  return coreTodayIn(timeZone, instant);
}

/**
 * Today's calendar date (`YYYY-MM-DD`) in `timeZone` (default `Europe/Stockholm`) by `clock`. Files name their
 * day in Swedish or Norwegian time, so a job running at 00:30 in Stockholm, while UTC still says yesterday,
 * must get today's date here, not the machine's.
 *
 * @example
 * todayIn(fixedClock('2026-11-23T23:30:00Z')); // '2026-11-24'
 * todayIn(fixedClock('2026-11-23T23:30:00Z'), 'UTC'); // '2026-11-23'
 */
export function todayIn(clock: Clock, timeZone = 'Europe/Stockholm'): IsoDate {
  return dateIn(clock.now(), timeZone);
}
