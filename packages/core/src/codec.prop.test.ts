import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { defineRecord, type RecordInputOf, type RecordOf } from './codec.js';

/** One field of every kind and variant, covering columns 1-80. */
const all = defineRecord({
  type: 'X1',
  label: 'ALL',
  length: 80,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: 'X1' },
    digits: { start: 3, length: 5, kind: 'digits' },
    optDigits: { start: 8, length: 4, kind: 'digits', optional: true },
    left: { start: 12, length: 6, kind: 'text' },
    right: { start: 18, length: 6, kind: 'text', align: 'right' },
    amount: { start: 24, length: 18, kind: 'amount' },
    optAmount: { start: 42, length: 5, kind: 'amount', optional: true },
    ymd8: { start: 47, length: 8, kind: 'date', format: 'YYYYMMDD' },
    ymd6: { start: 55, length: 6, kind: 'date', format: 'YYMMDD' },
    dmy6: { start: 61, length: 6, kind: 'date', format: 'DDMMYY', pivot: 50 },
    optDate: { start: 67, length: 6, kind: 'date', format: 'YYMMDD-or-zeros' },
    code: { start: 73, length: 2, kind: 'code', values: ['A', 'BC', ''] },
    blank: { start: 75, length: 3, kind: 'filler' },
    zeros: { start: 78, length: 3, kind: 'filler', fill: '0' },
  },
});
type All = RecordOf<typeof all>;
type AllDate = All['ymd8'];

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number): number =>
  [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
const p = (n: number, w: number): string => String(n).padStart(w, '0');

/** A valid calendar date in [minYear, maxYear] as [y, m, d]. */
const ymd = (minYear: number, maxYear: number) =>
  fc
    .tuple(fc.integer({ min: minYear, max: maxYear }), fc.integer({ min: 1, max: 12 }))
    .chain(([y, m]) => fc.integer({ min: 1, max: daysIn(y, m) }).map((d) => [y, m, d] as const));
const iso = ([y, m, d]: readonly [number, number, number]): AllDate => `${p(y, 4)}-${p(m, 2)}-${p(d, 2)}` as AllDate;

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const textUnit = fc.constantFrom(...' abcXYZ0189åäöÅÄÖéü-/.,\t\u00a0'.split(''));
const text = (n: number) => fc.string({ unit: textUnit, maxLength: n });

/** Valid lines, built field by field (any valid raw form, including data in fillers). */
const validLine = fc
  .record({
    digits: digits(5),
    optDigits: fc.oneof(digits(4), fc.constant('    ')),
    left: text(6).map((s) => s.padEnd(6)),
    right: text(6).map((s) => s.padStart(6)),
    amount: digits(18),
    optAmount: fc.oneof(digits(5), fc.constant('     ')),
    ymd8: ymd(1, 9999).map(([y, m, d]) => p(y, 4) + p(m, 2) + p(d, 2)),
    ymd6: ymd(1970, 2069).map(([y, m, d]) => p(y % 100, 2) + p(m, 2) + p(d, 2)),
    dmy6: ymd(1950, 2049).map(([y, m, d]) => p(d, 2) + p(m, 2) + p(y % 100, 2)),
    optDate: fc.oneof(
      ymd(1970, 2069).map(([y, m, d]) => p(y % 100, 2) + p(m, 2) + p(d, 2)),
      fc.constant('000000'),
    ),
    code: fc.constantFrom('A ', 'BC', '  '),
    blank: fc.oneof(
      fc.constant('   '),
      text(3).map((s) => s.padEnd(3)),
    ),
    zeros: fc.oneof(
      fc.constant('000'),
      fc.constant('   '),
      digits(3),
      text(3).map((s) => s.padEnd(3, '0')),
    ),
  })
  .map(
    (f) =>
      `X1${f.digits}${f.optDigits}${f.left}${f.right}${f.amount}${f.optAmount}${f.ymd8}${f.ymd6}${f.dmy6}${f.optDate}${f.code}${f.blank}${f.zeros}`,
  );

test.prop([validLine])('write(read(line)) === line for valid lines', (line) => {
  expect(line).toHaveLength(80);
  const { record, issues } = all.read(line, { line: 1 });
  expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  expect(all.write(record)).toBe(line);
});

const noTrailingBlank = (s: string): string => s.replace(/ +$/, '');
const noLeadingBlank = (s: string): string => s.replace(/^ +/, '');

/** Valid records, built from values. */
const validRecord: fc.Arbitrary<All> = fc.record({
  type: fc.constant('X1' as const),
  digits: digits(5),
  optDigits: fc.oneof(digits(4), fc.constant('')),
  left: text(6).map(noTrailingBlank),
  right: text(6).map(noLeadingBlank),
  amount: fc.bigInt({ min: 0n, max: 10n ** 18n - 1n }),
  optAmount: fc.option(fc.bigInt({ min: 0n, max: 99999n }), { nil: undefined }),
  ymd8: ymd(1, 9999).map(iso),
  ymd6: ymd(1970, 2069).map(iso),
  dmy6: ymd(1950, 2049).map(iso),
  optDate: fc.option(ymd(1970, 2069).map(iso), { nil: undefined }),
  code: fc.constantFrom('A' as const, 'BC' as const, '' as const),
  blank: fc.oneof(
    fc.constant(''),
    text(3).filter((s) => s.length === 3 && s !== '   '),
  ),
  zeros: fc.oneof(
    fc.constant(''),
    digits(3).filter((s) => s !== '000'),
  ),
});

test.prop([validRecord])('read(write(record)) deep-equals record', (record) => {
  const line = all.write(record as RecordInputOf<typeof all>);
  expect(line).toHaveLength(80);
  const back = all.read(line);
  expect(back.issues.filter((i) => i.severity === 'error')).toEqual([]);
  expect({ ...back.record }).toStrictEqual({ ...record });
});
