import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import {
  addDays,
  addMonths,
  compareDates,
  dayOfWeek,
  daysBetween,
  endOfMonth,
  isoDate,
  parseCompactDate,
  parseCompactTimestamp,
  parseIsoDate,
  parseShortDate,
  startOfMonth,
  toCompactDate,
  toCompactTimestamp,
  toShortDate,
} from './date.js';

const DAY_MS = 86_400_000;
const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** A valid date between 1800 and 2200, made without the code under test (UTC arithmetic on the epoch day). */
const epochDay = fc.integer({ min: -62_091, max: 84_006 }); // 1800-01-01 .. 2199-12-31
const dateOf = (day: number) => {
  const u = new Date(day * DAY_MS);
  return `${pad(u.getUTCFullYear(), 4)}-${pad(u.getUTCMonth() + 1, 2)}-${pad(u.getUTCDate(), 2)}`;
};
const date = epochDay.map((day) => parseIsoDate(dateOf(day)));
const shift = fc.integer({ min: -40_000, max: 40_000 });

test.prop([epochDay])('parse and format round-trip for every valid date', (day) => {
  const text = dateOf(day);
  const d = parseIsoDate(text);
  expect(d).toBe(text);
  expect(parseCompactDate(toCompactDate(d))).toBe(d);
  expect(parseShortDate(toShortDate(d), { century: Math.floor(Number(text.slice(0, 4)) / 100) })).toBe(d);
  expect(isoDate(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)))).toBe(d);
});

test.prop([epochDay, shift])('addDays agrees with epoch-day arithmetic and undoes itself', (day, n) => {
  const d = parseIsoDate(dateOf(day));
  const later = addDays(d, n);
  expect(later).toBe(dateOf(day + n));
  expect(addDays(later, -n)).toBe(d);
  expect(daysBetween(d, later)).toBe(n);
  expect(daysBetween(later, d)).toBe(0 - n); // not -n: toBe tells -0 from 0
  expect(compareDates(d, later)).toBe(n === 0 ? 0 : n > 0 ? -1 : 1);
});

test.prop([epochDay])('dayOfWeek advances by one each day (1970-01-01 was a Thursday)', (day) => {
  expect(dayOfWeek(parseIsoDate(dateOf(day)))).toBe(((((day + 3) % 7) + 7) % 7) + 1);
});

test.prop([date])('month ends are day 28 to 31 and the next day starts a month', (d) => {
  const end = endOfMonth(d);
  expect(Number(end.slice(8))).toBeGreaterThanOrEqual(28);
  expect(Number(end.slice(8))).toBeLessThanOrEqual(31);
  expect(end.slice(0, 7)).toBe(d.slice(0, 7));
  expect(addDays(end, 1).slice(8)).toBe('01');
  expect(startOfMonth(d)).toBe(`${d.slice(0, 7)}-01`);
});

test.prop([date, fc.integer({ min: -1200, max: 1200 })])('addMonths moves the month and clamps the day', (d, n) => {
  const r = addMonths(d, n);
  const months = (x: string) => Number(x.slice(0, 4)) * 12 + Number(x.slice(5, 7));
  expect(months(r) - months(d)).toBe(n);
  expect(Number(r.slice(8))).toBe(Math.min(Number(d.slice(8)), Number(endOfMonth(r).slice(8))));
});

const timestamp = fc
  .tuple(
    epochDay,
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.option(fc.tuple(fc.integer({ min: 0, max: 59 }), fc.option(fc.stringMatching(/^\d{1,9}$/)))),
  )
  .map(([day, h, m, rest]) => {
    let s = `${dateOf(day).replaceAll('-', '')}${pad(h, 2)}${pad(m, 2)}`;
    if (rest) s += pad(rest[0], 2) + (rest[1] ?? '');
    return s;
  });

test.prop([timestamp])('compact timestamps round-trip digit for digit', (compact) => {
  const iso = parseCompactTimestamp(compact);
  expect(toCompactTimestamp(iso)).toBe(compact);
  expect(iso.slice(0, 10)).toBe(`${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`);
});
