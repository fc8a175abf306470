/**
 * Calendar dates as ISO strings (`'2026-11-23'`) and file timestamps at full precision.
 *
 * A calendar day is never a JS Date here. Arithmetic goes through date-fns on a private Date subclass whose
 * "local" getters and setters are UTC ones, so no machine time zone (DST gaps, Kiritimati's skipped
 * 1994-12-31, Samoa's skipped 2011-12-30) can shift a result.
 */
import { differenceInCalendarDays, addDays as fnsAddDays, addMonths as fnsAddMonths, getISODay } from 'date-fns';
import { issue, NordfilError } from './errors.js';

/**
 * A calendar date as `YYYY-MM-DD` (years 0001 to 9999, proleptic Gregorian). Plain JSON; compares
 * correctly as a string. Make one with {@link parseIsoDate}, {@link isoDate} or a `parse*` function.
 *
 * @example
 * const due: IsoDate = parseIsoDate('2026-11-23');
 */
export type IsoDate = string & { readonly __brand: 'IsoDate' };

/**
 * A timestamp from a file, local time without a zone, with as many fraction digits as the file had:
 * `'2004-05-25T17:30'`, `'2004-05-25T17:30:00'`, `'2004-05-25T17:30:00.123456'`.
 *
 * @example
 * const t: IsoTimestamp = parseCompactTimestamp('20040525173000123456'); // '2004-05-25T17:30:00.123456'
 */
export type IsoTimestamp = string;

/**
 * Which century a two-digit year (YYMMDD) belongs to; files never say, so the caller must.
 * - `{ pivot: p }`: YY < p is 20YY, else 19YY (`{ pivot: 70 }`: 69 is 2069, 70 is 1970).
 * - `{ century: c }`: always c·100 + YY (`{ century: 20 }`: 26 is 2026).
 * - `{ relativeTo: d, maxYearsAhead? }`: the year ending in YY in the 100-year window that ends
 *   `maxYearsAhead` (default 50) years after d's year (relative to 2026 with 50: 76 is 2076, 77 is 1977;
 *   with 0, never a year after d's, as for birth dates).
 *
 * @example
 * parseShortDate('261123', { relativeTo: todayIn('Europe/Stockholm', new Date()), maxYearsAhead: 10 });
 */
export type CenturyRule =
  | { readonly pivot: number }
  | { readonly century: number }
  | { readonly relativeTo: IsoDate; readonly maxYearsAhead?: number };

/** The zone {@link todayIn} uses when given none. */
export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';

/**
 * A Date whose "local" fields are its UTC fields. date-fns v4 builds its results with the argument's
 * constructor, so every function it runs on one of these works in UTC, whatever TZ the machine has.
 */
class UtcDay extends Date {
  override getFullYear() {
    return this.getUTCFullYear();
  }
  override getMonth() {
    return this.getUTCMonth();
  }
  override getDate() {
    return this.getUTCDate();
  }
  override getDay() {
    return this.getUTCDay();
  }
  override getHours() {
    return this.getUTCHours();
  }
  override getMinutes() {
    return this.getUTCMinutes();
  }
  override getSeconds() {
    return this.getUTCSeconds();
  }
  override getMilliseconds() {
    return this.getUTCMilliseconds();
  }
  override getTimezoneOffset() {
    return 0;
  }
  // rest parameters keep the argument count: setUTCMonth(m, undefined) would set the day to NaN
  override setFullYear(...a: Parameters<Date['setUTCFullYear']>) {
    return this.setUTCFullYear(...a);
  }
  override setMonth(...a: Parameters<Date['setUTCMonth']>) {
    return this.setUTCMonth(...a);
  }
  override setDate(...a: Parameters<Date['setUTCDate']>) {
    return this.setUTCDate(...a);
  }
  override setHours(...a: Parameters<Date['setUTCHours']>) {
    return this.setUTCHours(...a);
  }
  override setMinutes(...a: Parameters<Date['setUTCMinutes']>) {
    return this.setUTCMinutes(...a);
  }
  override setSeconds(...a: Parameters<Date['setUTCSeconds']>) {
    return this.setUTCSeconds(...a);
  }
  override setMilliseconds(...a: Parameters<Date['setUTCMilliseconds']>) {
    return this.setUTCMilliseconds(...a);
  }
}

function invalid(text: string, why: string): never {
  throw new NordfilError(issue('invalid_date', `invalid date "${text}": ${why}`, { actual: text }));
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Checks the parts and builds the string; `text` is what the caller gave, for the message. */
function build(y: number, m: number, d: number, text: string): IsoDate {
  if (![y, m, d].every(Number.isInteger)) invalid(text, 'year, month and day must be integers');
  if (y < 1 || y > 9999) invalid(text, 'year must be 0001 to 9999');
  if (m < 1 || m > 12) invalid(text, 'month must be 01 to 12');
  if (d < 1 || d > daysInMonth(y, m)) invalid(text, `day must be 01 to ${daysInMonth(y, m)}`);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}` as IsoDate;
}

function parts(d: IsoDate): [number, number, number] {
  if (!isIsoDate(d)) invalid(String(d), 'expected a valid YYYY-MM-DD date');
  return [Number(d.slice(0, 4)), Number(d.slice(5, 7)), Number(d.slice(8, 10))];
}

function toUtc(d: IsoDate): UtcDay {
  const [y, m, day] = parts(d);
  const u = new UtcDay(0);
  u.setUTCFullYear(y, m - 1, day); // not Date.UTC, which reads years 0-99 as 1900-1999
  return u;
}

function fromUtc(u: Date): IsoDate {
  const y = u.getUTCFullYear();
  const text = Number.isNaN(y) ? 'NaN' : `${y}-${u.getUTCMonth() + 1}-${u.getUTCDate()}`;
  return build(y, u.getUTCMonth() + 1, u.getUTCDate(), text);
}

/**
 * True when `value` is a string `YYYY-MM-DD` naming a real day (years 0001 to 9999).
 *
 * @example
 * isIsoDate('2024-02-29'); // true
 * isIsoDate('2025-02-29'); // false
 */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const y = Number(value.slice(0, 4));
  const m = Number(value.slice(5, 7));
  const d = Number(value.slice(8, 10));
  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

/**
 * The date from its parts (month and day 1-based). Throws `invalid_date` for an impossible day.
 *
 * @example
 * isoDate(2026, 11, 23); // '2026-11-23'
 * isoDate(2025, 2, 29); // throws invalid_date
 */
export function isoDate(year: number, month: number, day: number): IsoDate {
  return build(year, month, day, `${year}-${month}-${day}`);
}

/**
 * Parses `YYYY-MM-DD`. Throws `invalid_date` (quoting the text) for another shape or an impossible day.
 *
 * @example
 * parseIsoDate('2026-11-23'); // '2026-11-23'
 * parseIsoDate('2025-13-01'); // throws invalid_date
 */
export function parseIsoDate(text: string): IsoDate {
  if (typeof text !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(text)) invalid(String(text), 'expected YYYY-MM-DD');
  return build(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)), text);
}

/**
 * Parses `YYYYMMDD`, the form in most payment files. Throws `invalid_date` for another shape or an impossible day.
 *
 * @example
 * parseCompactDate('20261123'); // '2026-11-23'
 * parseCompactDate('20250230'); // throws invalid_date
 */
export function parseCompactDate(text: string): IsoDate {
  if (typeof text !== 'string' || !/^\d{8}$/.test(text)) invalid(String(text), 'expected YYYYMMDD');
  return build(Number(text.slice(0, 4)), Number(text.slice(4, 6)), Number(text.slice(6, 8)), text);
}

/**
 * Parses `YYMMDD` with an explicit {@link CenturyRule}. Throws `invalid_date` for another shape, an
 * impossible day or a bad rule.
 *
 * @example
 * parseShortDate('261123', { pivot: 70 }); // '2026-11-23'
 * parseShortDate('991231', { pivot: 70 }); // '1999-12-31'
 * parseShortDate('991231', { century: 20 }); // '2099-12-31'
 */
export function parseShortDate(text: string, rule: CenturyRule): IsoDate {
  if (typeof text !== 'string' || !/^\d{6}$/.test(text)) invalid(String(text), 'expected YYMMDD');
  const yy = Number(text.slice(0, 2));
  let year: number;
  if ('pivot' in rule) {
    if (!Number.isInteger(rule.pivot) || rule.pivot < 0 || rule.pivot > 100) invalid(text, 'pivot must be 0 to 100');
    year = (yy < rule.pivot ? 2000 : 1900) + yy;
  } else if ('century' in rule) {
    if (!Number.isInteger(rule.century) || rule.century < 0 || rule.century > 99) {
      invalid(text, 'century must be 0 to 99');
    }
    year = rule.century * 100 + yy;
  } else {
    const ahead = rule.maxYearsAhead ?? 50;
    if (!Number.isInteger(ahead) || ahead < 0 || ahead > 99) invalid(text, 'maxYearsAhead must be 0 to 99');
    const last = parts(rule.relativeTo)[0] + ahead; // the latest year allowed
    year = last - ((((last - yy) % 100) + 100) % 100);
  }
  return build(year, Number(text.slice(2, 4)), Number(text.slice(4, 6)), text);
}

/**
 * {@link parseIsoDate} that returns `undefined` instead of throwing.
 *
 * @example
 * tryParseIsoDate('2025-02-30'); // undefined
 */
export function tryParseIsoDate(text: string): IsoDate | undefined {
  return isIsoDate(text) ? text : undefined;
}

/**
 * {@link parseCompactDate} that returns `undefined` instead of throwing.
 *
 * @example
 * tryParseCompactDate('20250230'); // undefined
 */
export function tryParseCompactDate(text: string): IsoDate | undefined {
  if (typeof text !== 'string' || !/^\d{8}$/.test(text)) return undefined;
  return tryParseIsoDate(`${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`);
}

/**
 * `YYYYMMDD`, the inverse of {@link parseCompactDate}.
 *
 * @example
 * toCompactDate(parseIsoDate('2026-11-23')); // '20261123'
 */
export function toCompactDate(d: IsoDate): string {
  parts(d);
  return d.replaceAll('-', '');
}

/**
 * `YYMMDD` (the century is dropped; read back with {@link parseShortDate} and a rule).
 *
 * @example
 * toShortDate(parseIsoDate('2026-11-23')); // '261123'
 */
export function toShortDate(d: IsoDate): string {
  return toCompactDate(d).slice(2);
}

/**
 * The date `n` days later (earlier for negative `n`). Throws `invalid_date` outside years 0001-9999.
 *
 * @example
 * addDays(parseIsoDate('2024-02-28'), 1); // '2024-02-29'
 */
export function addDays(d: IsoDate, n: number): IsoDate {
  if (!Number.isSafeInteger(n)) invalid(d, `cannot add ${n} days`);
  return fromUtc(fnsAddDays(toUtc(d), n));
}

/**
 * The same day `n` months later, clamped to the end of a shorter month (as date-fns does).
 *
 * @example
 * addMonths(parseIsoDate('2025-01-31'), 1); // '2025-02-28'
 * addMonths(parseIsoDate('2024-03-31'), -1); // '2024-02-29'
 */
export function addMonths(d: IsoDate, n: number): IsoDate {
  if (!Number.isSafeInteger(n)) invalid(d, `cannot add ${n} months`);
  return fromUtc(fnsAddMonths(toUtc(d), n));
}

/**
 * Calendar days from `from` to `to`: `to - from`, positive when `to` is later.
 *
 * @example
 * daysBetween(parseIsoDate('2024-02-28'), parseIsoDate('2024-03-01')); // 2
 * daysBetween(parseIsoDate('2024-03-01'), parseIsoDate('2024-02-28')); // -2
 */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  const n = differenceInCalendarDays(toUtc(to), toUtc(from));
  return n === 0 ? 0 : n; // never -0
}

/**
 * The first day of the month.
 *
 * @example
 * startOfMonth(parseIsoDate('2026-11-23')); // '2026-11-01'
 */
export function startOfMonth(d: IsoDate): IsoDate {
  parts(d);
  return `${d.slice(0, 8)}01` as IsoDate;
}

/**
 * The last day of the month.
 *
 * @example
 * endOfMonth(parseIsoDate('2024-02-10')); // '2024-02-29'
 */
export function endOfMonth(d: IsoDate): IsoDate {
  const [y, m] = parts(d);
  return build(y, m, daysInMonth(y, m), d);
}

/**
 * The ISO day of the week: 1 Monday to 7 Sunday.
 *
 * @example
 * dayOfWeek(parseIsoDate('2026-11-23')); // 1 (a Monday)
 */
export function dayOfWeek(d: IsoDate): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  return getISODay(toUtc(d)) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

/**
 * -1, 0 or 1 as `a` is before, the same as or after `b`; usable as a sort comparator.
 *
 * @example
 * dates.sort(compareDates);
 */
export function compareDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  parts(a);
  parts(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * True when `a` is strictly before `b`.
 *
 * @example
 * isBefore(parseIsoDate('2026-01-01'), parseIsoDate('2026-01-02')); // true
 */
export function isBefore(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) < 0;
}

/**
 * True when `a` is strictly after `b`.
 *
 * @example
 * isAfter(parseIsoDate('2026-01-02'), parseIsoDate('2026-01-01')); // true
 */
export function isAfter(a: IsoDate, b: IsoDate): boolean {
  return compareDates(a, b) > 0;
}

/**
 * The earliest of the dates.
 *
 * @example
 * minDate(parseIsoDate('2026-03-01'), parseIsoDate('2025-12-31')); // '2025-12-31'
 */
export function minDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  return rest.reduce((a, b) => (compareDates(b, a) < 0 ? b : a), first);
}

/**
 * The latest of the dates.
 *
 * @example
 * maxDate(parseIsoDate('2026-03-01'), parseIsoDate('2025-12-31')); // '2026-03-01'
 */
export function maxDate(first: IsoDate, ...rest: IsoDate[]): IsoDate {
  return rest.reduce((a, b) => (compareDates(b, a) > 0 ? b : a), first);
}

/**
 * The calendar date at the instant `now` in an IANA time zone (Europe/Stockholm when only `now` is given).
 * Take `now` from the Clock port, never from `new Date()` inside library code. Throws `invalid_time_zone`
 * for an unknown zone and `invalid_date` for an invalid Date.
 *
 * @example
 * todayIn('Europe/Stockholm', new Date('2026-11-22T23:30:00Z')); // '2026-11-23'
 * todayIn(new Date('2026-11-22T23:30:00Z')); // '2026-11-23'
 */
export function todayIn(timeZone: string, now: Date): IsoDate;
export function todayIn(now: Date): IsoDate;
export function todayIn(zoneOrNow: string | Date, maybeNow?: Date): IsoDate {
  const [timeZone, now] = typeof zoneOrNow === 'string' ? [zoneOrNow, maybeNow] : [DEFAULT_TIME_ZONE, zoneOrNow];
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) invalid(String(now), 'todayIn needs a valid Date');
  let fields: Intl.DateTimeFormatPart[];
  try {
    fields = new Intl.DateTimeFormat('en-US', {
      timeZone,
      calendar: 'gregory',
      numberingSystem: 'latn',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    }).formatToParts(now);
  } catch (e) {
    throw new NordfilError(
      issue('invalid_time_zone', `unknown time zone "${timeZone}"`, { actual: timeZone }),
      undefined,
      {
        cause: e,
      },
    );
  }
  const get = (type: string) => Number(fields.find((p) => p.type === type)?.value);
  const era = fields.find((p) => p.type === 'era')?.value;
  const year = era === 'BC' ? 1 - get('year') : get('year');
  return build(year, get('month'), get('day'), now.toISOString());
}

const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(?:(\d{2})(\d{1,9})?)?$/;

/**
 * Parses a compact file timestamp, local time without a zone: `YYYYMMDDHHMM`, `YYYYMMDDHHMMSS`, or that
 * followed by 1 to 9 fraction digits (`YYYYMMDDHHMMSSffffff`, as BGMax writes). Every digit is kept.
 * Hours 00-23, minutes and seconds 00-59 (no leap second). Throws `invalid_timestamp`.
 *
 * @example
 * parseCompactTimestamp('20040525173000123456'); // '2004-05-25T17:30:00.123456'
 * parseCompactTimestamp('200405251730'); // '2004-05-25T17:30'
 */
export function parseCompactTimestamp(text: string): IsoTimestamp {
  const m = typeof text === 'string' ? TIMESTAMP.exec(text) : null;
  const bad = (why: string): never => {
    throw new NordfilError(
      issue('invalid_timestamp', `invalid timestamp "${String(text)}": ${why}`, { actual: String(text) }),
    );
  };
  if (!m) return bad('expected YYYYMMDDHHMM, YYYYMMDDHHMMSS or YYYYMMDDHHMMSS and fraction digits');
  const [, y, mo, d, hh, mi, ss, frac] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string?,
    string?,
  ];
  if (!isIsoDate(`${y}-${mo}-${d}`)) bad(`no such day ${y}-${mo}-${d}`);
  if (Number(hh) > 23) bad(`hour ${hh} is not 00-23`);
  if (Number(mi) > 59) bad(`minute ${mi} is not 00-59`);
  if (ss !== undefined && Number(ss) > 59) bad(`second ${ss} is not 00-59`);
  return `${y}-${mo}-${d}T${hh}:${mi}${ss === undefined ? '' : `:${ss}`}${frac === undefined ? '' : `.${frac}`}`;
}

/**
 * The compact digits of a timestamp, the exact inverse of {@link parseCompactTimestamp}.
 * Throws `invalid_timestamp` for anything that function could not have produced.
 *
 * @example
 * toCompactTimestamp('2004-05-25T17:30:00.123456'); // '20040525173000123456'
 */
export function toCompactTimestamp(ts: IsoTimestamp): string {
  const m =
    typeof ts === 'string' ? /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(ts) : null;
  if (!m) {
    throw new NordfilError(issue('invalid_timestamp', `invalid timestamp "${String(ts)}"`, { actual: String(ts) }));
  }
  const digits = m.slice(1).join('');
  parseCompactTimestamp(digits); // validates the day and the time
  return digits;
}
