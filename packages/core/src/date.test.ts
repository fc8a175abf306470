import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  compareDates,
  DEFAULT_TIME_ZONE,
  dayOfWeek,
  daysBetween,
  endOfMonth,
  type IsoDate,
  isAfter,
  isBefore,
  isIsoDate,
  isoDate,
  maxDate,
  minDate,
  parseCompactDate,
  parseCompactTimestamp,
  parseIsoDate,
  parseShortDate,
  startOfMonth,
  toCompactDate,
  toCompactTimestamp,
  todayIn,
  toShortDate,
  tryParseCompactDate,
  tryParseIsoDate,
} from './date.js';
import { NordfilError } from './errors.js';

const d = (s: string) => parseIsoDate(s);

function errorOf(fn: () => unknown): NordfilError {
  try {
    fn();
  } catch (e) {
    if (NordfilError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a NordfilError, nothing was thrown');
}

describe('parsing', () => {
  it('parses ISO and compact dates, leap years included', () => {
    expect(parseIsoDate('2026-11-23')).toBe('2026-11-23');
    expect(parseCompactDate('20261123')).toBe('2026-11-23');
    expect(parseCompactDate('20240229')).toBe('2024-02-29');
    expect(parseCompactDate('20000229')).toBe('2000-02-29');
    expect(parseCompactDate('00010101')).toBe('0001-01-01');
    expect(parseCompactDate('99991231')).toBe('9999-12-31');
  });

  it.each([
    '20250229',
    '19000229',
    '20250230',
    '20251301',
    '20250001',
    '20250100',
    '20250431',
    '00000101',
    '2025123',
    '202512311',
    '2025-12-31',
    'abcdefgh',
    '',
  ])('refuses compact %j with invalid_date quoting it', (text) => {
    const e = errorOf(() => parseCompactDate(text));
    expect(e.code).toBe('invalid_date');
    expect(e.message).toContain(`"${text}"`);
    expect(e.issues[0]?.actual).toBe(text);
  });

  it.each([
    '2025-13-01',
    '2025-02-29',
    '0000-01-01',
    '2025-1-01',
    '20251231',
    ' 2025-01-01',
    '2025-01-01T00:00',
  ])('refuses ISO %j with invalid_date', (text) => {
    const e = errorOf(() => parseIsoDate(text));
    expect(e.code).toBe('invalid_date');
    expect(e.message).toContain(text);
  });

  it('checks and tries without throwing', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate(20240229)).toBe(false);
    expect(tryParseIsoDate('2025-02-28')).toBe('2025-02-28');
    expect(tryParseIsoDate('2025-02-30')).toBeUndefined();
    expect(tryParseCompactDate('20250228')).toBe('2025-02-28');
    expect(tryParseCompactDate('20250230')).toBeUndefined();
    expect(tryParseCompactDate('2025-02-28')).toBeUndefined();
  });

  it('builds from parts', () => {
    expect(isoDate(2026, 11, 23)).toBe('2026-11-23');
    expect(isoDate(5, 1, 2)).toBe('0005-01-02');
    expect(errorOf(() => isoDate(2025, 2, 29)).code).toBe('invalid_date');
    expect(errorOf(() => isoDate(2025, 1.5, 1)).code).toBe('invalid_date');
    expect(errorOf(() => isoDate(10000, 1, 1)).code).toBe('invalid_date');
  });
});

describe('short dates and century rules', () => {
  it('applies a pivot', () => {
    expect(parseShortDate('261123', { pivot: 70 })).toBe('2026-11-23');
    expect(parseShortDate('691231', { pivot: 70 })).toBe('2069-12-31');
    expect(parseShortDate('700101', { pivot: 70 })).toBe('1970-01-01');
    expect(parseShortDate('000229', { pivot: 1 })).toBe('2000-02-29');
    // pivot 0: every YY is 19YY, and 1900 was no leap year
    expect(errorOf(() => parseShortDate('000229', { pivot: 0 })).code).toBe('invalid_date');
    expect(parseShortDate('991231', { pivot: 100 })).toBe('2099-12-31');
  });

  it('applies a fixed century', () => {
    expect(parseShortDate('991231', { century: 20 })).toBe('2099-12-31');
    expect(parseShortDate('010101', { century: 19 })).toBe('1901-01-01');
  });

  it('picks the year in a window relative to a date', () => {
    const ref = d('2026-06-15');
    expect(parseShortDate('760101', { relativeTo: ref })).toBe('2076-01-01');
    expect(parseShortDate('771231', { relativeTo: ref })).toBe('1977-12-31');
    expect(parseShortDate('261231', { relativeTo: ref, maxYearsAhead: 0 })).toBe('2026-12-31');
    expect(parseShortDate('270101', { relativeTo: ref, maxYearsAhead: 0 })).toBe('1927-01-01');
    expect(parseShortDate('300101', { relativeTo: ref, maxYearsAhead: 5 })).toBe('2030-01-01');
    expect(parseShortDate('320101', { relativeTo: ref, maxYearsAhead: 5 })).toBe('1932-01-01');
  });

  it('refuses bad text and bad rules', () => {
    for (const [text, rule] of [
      ['2611231', { pivot: 70 }],
      ['261323', { pivot: 70 }],
      ['261123', { pivot: 101 }],
      ['261123', { pivot: 1.5 }],
      ['261123', { century: 100 }],
      ['261123', { relativeTo: d('2026-01-01'), maxYearsAhead: 100 }],
      ['261123', { relativeTo: '2026-02-30' as IsoDate }],
    ] as const) {
      expect(errorOf(() => parseShortDate(text, rule)).code).toBe('invalid_date');
    }
  });

  it('formats compact and short', () => {
    expect(toCompactDate(d('2026-11-23'))).toBe('20261123');
    expect(toShortDate(d('2026-11-23'))).toBe('261123');
    expect(toShortDate(d('1999-01-05'))).toBe('990105');
    expect(errorOf(() => toCompactDate('2026-11-31' as IsoDate)).code).toBe('invalid_date');
  });
});

describe('arithmetic', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays(d('2024-02-28'), 1)).toBe('2024-02-29');
    expect(addDays(d('2025-02-28'), 1)).toBe('2025-03-01');
    expect(addDays(d('2025-12-31'), 1)).toBe('2026-01-01');
    expect(addDays(d('2026-01-01'), -1)).toBe('2025-12-31');
    expect(addDays(d('2026-11-23'), 0)).toBe('2026-11-23');
    expect(addDays(d('1970-01-01'), 20780)).toBe('2026-11-23');
    expect(addDays(d('0001-01-01'), 3652058)).toBe('9999-12-31');
    expect(addDays(d('0099-12-31'), 1)).toBe('0100-01-01');
  });

  it('refuses results outside 0001-9999 and non-integer counts', () => {
    expect(errorOf(() => addDays(d('9999-12-31'), 1)).code).toBe('invalid_date');
    expect(errorOf(() => addDays(d('0001-01-01'), -1)).code).toBe('invalid_date');
    expect(errorOf(() => addDays(d('2026-01-01'), 0.5)).code).toBe('invalid_date');
    expect(errorOf(() => addMonths(d('2026-01-01'), Number.NaN)).code).toBe('invalid_date');
    expect(errorOf(() => addDays('2026-1-1' as IsoDate, 1)).code).toBe('invalid_date');
  });

  it('adds months, clamping to the end of shorter months', () => {
    expect(addMonths(d('2025-01-31'), 1)).toBe('2025-02-28');
    expect(addMonths(d('2024-01-31'), 1)).toBe('2024-02-29');
    expect(addMonths(d('2024-03-31'), -1)).toBe('2024-02-29');
    expect(addMonths(d('2025-01-31'), 3)).toBe('2025-04-30');
    expect(addMonths(d('2025-11-15'), 2)).toBe('2026-01-15');
    expect(addMonths(d('2024-02-29'), 12)).toBe('2025-02-28');
    expect(addMonths(d('2026-11-23'), 0)).toBe('2026-11-23');
    expect(addMonths(d('0100-03-31'), -1)).toBe('0100-02-28');
  });

  it('counts days from one date to another (to - from)', () => {
    expect(daysBetween(d('2024-02-28'), d('2024-03-01'))).toBe(2);
    expect(daysBetween(d('2024-03-01'), d('2024-02-28'))).toBe(-2);
    expect(daysBetween(d('2026-11-23'), d('2026-11-23'))).toBe(0);
    expect(daysBetween(d('1970-01-01'), d('2026-11-23'))).toBe(20780);
    expect(daysBetween(d('0001-01-01'), d('9999-12-31'))).toBe(3652058);
  });

  it('finds month starts and ends', () => {
    expect(startOfMonth(d('2026-11-23'))).toBe('2026-11-01');
    expect(endOfMonth(d('2024-02-10'))).toBe('2024-02-29');
    expect(endOfMonth(d('2025-02-10'))).toBe('2025-02-28');
    expect(endOfMonth(d('1900-02-01'))).toBe('1900-02-28');
    expect(endOfMonth(d('2026-04-30'))).toBe('2026-04-30');
    expect(endOfMonth(d('2026-12-01'))).toBe('2026-12-31');
    expect(errorOf(() => startOfMonth('2026-13-01' as IsoDate)).code).toBe('invalid_date');
  });

  it('knows the ISO day of the week', () => {
    expect(dayOfWeek(d('2026-11-23'))).toBe(1);
    expect(dayOfWeek(d('2000-01-01'))).toBe(6);
    expect(dayOfWeek(d('0001-01-01'))).toBe(1);
    expect(dayOfWeek(d('9999-12-31'))).toBe(5);
  });

  it('compares', () => {
    const [a, b] = [d('2025-12-31'), d('2026-03-01')];
    expect(compareDates(a, b)).toBe(-1);
    expect(compareDates(b, a)).toBe(1);
    expect(compareDates(a, d('2025-12-31'))).toBe(0);
    expect([b, a].sort(compareDates)).toEqual([a, b]);
    expect([isBefore(a, b), isBefore(b, a), isBefore(a, a)]).toEqual([true, false, false]);
    expect([isAfter(b, a), isAfter(a, b), isAfter(a, a)]).toEqual([true, false, false]);
    expect(minDate(b, a, b)).toBe(a);
    expect(maxDate(a, b, a)).toBe(b);
    expect(minDate(a)).toBe(a);
    expect(errorOf(() => compareDates(a, 'soon' as IsoDate)).code).toBe('invalid_date');
  });
});

// These known answers run under every TZ the CI script sets (Pacific/Kiritimati, America/Los_Angeles):
// a calendar day that leaked through a local-time Date would shift one of them.
describe('time-zone independence', () => {
  it('handles days that some zones skipped', () => {
    // Kiritimati skipped 1994-12-31, Samoa (Pacific/Apia) skipped 2011-12-30
    expect(addDays(d('1994-12-30'), 1)).toBe('1994-12-31');
    expect(dayOfWeek(d('1994-12-31'))).toBe(6);
    expect(daysBetween(d('1994-12-30'), d('1995-01-01'))).toBe(2);
    expect(addDays(d('2011-12-29'), 1)).toBe('2011-12-30');
    expect(addMonths(d('1994-11-30'), 1)).toBe('1994-12-30');
    expect(endOfMonth(d('1994-12-01'))).toBe('1994-12-31');
  });

  it('crosses DST changes without drifting', () => {
    expect(daysBetween(d('2026-03-01'), d('2026-04-01'))).toBe(31);
    expect(daysBetween(d('2026-10-01'), d('2026-11-01'))).toBe(31);
    expect(addDays(d('2026-03-28'), 2)).toBe('2026-03-30');
    expect(addDays(d('2026-11-01'), -1)).toBe('2026-10-31');
  });
});

describe('todayIn', () => {
  const instant = new Date('2026-11-22T23:30:00Z');

  it('reads the calendar date in the zone', () => {
    expect(todayIn('Europe/Stockholm', instant)).toBe('2026-11-23');
    expect(todayIn('UTC', instant)).toBe('2026-11-22');
    expect(todayIn('America/Los_Angeles', instant)).toBe('2026-11-22');
    expect(todayIn('Pacific/Kiritimati', new Date('2026-11-22T10:00:00Z'))).toBe('2026-11-23');
    expect(todayIn('Europe/Oslo', new Date('2026-06-30T22:00:00Z'))).toBe('2026-07-01');
  });

  it('defaults to Stockholm', () => {
    expect(DEFAULT_TIME_ZONE).toBe('Europe/Stockholm');
    expect(todayIn(instant)).toBe('2026-11-23');
  });

  it('refuses an unknown zone or an invalid Date', () => {
    expect(errorOf(() => todayIn('Mars/Olympus', instant)).code).toBe('invalid_time_zone');
    expect(errorOf(() => todayIn('UTC', new Date(Number.NaN))).code).toBe('invalid_date');
  });
});

describe('timestamps', () => {
  it.each([
    ['200405251730', '2004-05-25T17:30'],
    ['20040525173000', '2004-05-25T17:30:00'],
    ['20040525173000123456', '2004-05-25T17:30:00.123456'],
    ['200405251730001', '2004-05-25T17:30:00.1'],
    ['20040525173000000000', '2004-05-25T17:30:00.000000'],
    ['20240229235959999999999', '2024-02-29T23:59:59.999999999'],
  ])('parses %s to %s and back', (compact, iso) => {
    expect(parseCompactTimestamp(compact)).toBe(iso);
    expect(toCompactTimestamp(iso)).toBe(compact);
  });

  it.each([
    '2004052517300',
    '200405251730001234567890',
    '20040525',
    '20040525243000',
    '20040525176000',
    '20040525173060',
    '20250229120000',
    '2004-05-25T17:30',
    '',
  ])('refuses %j with invalid_timestamp', (text) => {
    const e = errorOf(() => parseCompactTimestamp(text));
    expect(e.code).toBe('invalid_timestamp');
    expect(e.message).toContain(`"${text}"`);
  });

  it.each([
    '2004-05-25',
    '2004-05-25T17:30:00.',
    '2004-05-25T24:00',
    '2004-05-25 17:30',
    '2004-05-25T17:30.5',
  ])('refuses to compact %j', (text) => {
    expect(errorOf(() => toCompactTimestamp(text)).code).toBe('invalid_timestamp');
  });
});
