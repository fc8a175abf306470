import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineRecord, dispatchByType, type RecordOf } from './codec.js';
import { NordfilError } from './errors.js';

const tk20 = defineRecord({
  type: '20',
  label: 'TK20',
  length: 80,
  fields: {
    code: { start: 1, length: 2, kind: 'const', value: '20' },
    reference: { start: 3, length: 25, kind: 'text' },
    amount: { start: 28, length: 18, kind: 'amount' },
    kind: { start: 46, length: 1, kind: 'code', values: ['0', '1', '2', '3', '4', '5'] },
    serial: { start: 47, length: 12, kind: 'digits' },
    date: { start: 59, length: 8, kind: 'date', format: 'YYYYMMDD' },
    payer: { start: 67, length: 6, kind: 'text', align: 'right' },
    filler: { start: 73, length: 8, kind: 'filler' },
  },
});

const valid = `20${'OCR 65678'.padEnd(25)}${'50000'.padStart(18, '0')}2${'000000000042'}20240229${'  Bo A'}${' '.repeat(8)}`;
const at = { source: 'bgmax.txt', line: 12 };

/** The line with `value` at 1-based column `col`. */
const put = (line: string, col: number, value: string): string =>
  line.slice(0, col - 1) + value + line.slice(col - 1 + value.length);

describe('defineRecord: reading and writing', () => {
  it('reads a valid line into typed values', () => {
    expect(valid).toHaveLength(80);
    const { record, issues } = tk20.read(valid, at);
    expect(issues).toEqual([]);
    expect(record).toEqual({
      code: '20',
      reference: 'OCR 65678',
      amount: 50000n,
      kind: '2',
      serial: '000000000042',
      date: '2024-02-29',
      payer: 'Bo A',
      filler: '',
    });
    expect(tk20.write(record)).toBe(valid);
  });

  it('infers the record type from the layout', () => {
    type TK20 = RecordOf<typeof tk20>;
    expectTypeOf<TK20['amount']>().toEqualTypeOf<bigint>();
    expectTypeOf<TK20['kind']>().toEqualTypeOf<'0' | '1' | '2' | '3' | '4' | '5'>();
    expectTypeOf<TK20['code']>().toEqualTypeOf<'20'>();
    expectTypeOf<TK20['date']>().toMatchTypeOf<string>();
  });

  it('reads a short line (trailing blanks stripped) as if padded with blanks', () => {
    const short = valid.slice(0, 72);
    const r = tk20.read(short, at);
    expect(r.issues).toEqual([]);
    expect(r.record.filler).toBe('');
    expect(tk20.write(r.record)).toBe(valid);
  });

  it('accepts blank excess beyond the record length', () => {
    expect(tk20.read(`${valid}        `, at).issues).toEqual([]);
  });

  it('keeps leading blanks of a left-aligned text so the line round-trips', () => {
    const line = put(valid, 3, '  X');
    const r = tk20.read(line);
    expect(r.record.reference).toBe('  X 65678');
    expect(tk20.write(r.record)).toBe(line);
  });

  it('writes constants and fillers when left out, zero-pads digits and amounts', () => {
    const line = tk20.write({
      reference: 'R',
      amount: 1n,
      kind: '0',
      serial: '7',
      date: '2026-11-23' as RecordOf<typeof tk20>['date'],
      payer: 'P',
    });
    expect(line).toHaveLength(80);
    expect(line.slice(0, 2)).toBe('20');
    expect(line.slice(27, 45)).toBe('000000000000000001');
    expect(line.slice(46, 58)).toBe('000000000007');
    expect(line.slice(58, 66)).toBe('20261123');
    expect(line.slice(66, 72)).toBe('     P');
  });
});

describe('read issues carry code, line, column, record, field and the line', () => {
  const cases: [string, string, number, string, string][] = [
    // [description, line, column, field, code]
    ['non-digits in a digits field', put(valid, 47, '00000000004X'), 47, 'serial', 'invalid_digits'],
    ['non-digits in an amount', put(valid, 28, '0000000000000500A0'), 28, 'amount', 'invalid_amount'],
    ['a 30th of February', put(valid, 59, '20240230'), 59, 'date', 'invalid_date'],
    ['a 29th of February in a common year', put(valid, 59, '20230229'), 59, 'date', 'invalid_date'],
    ['month 13', put(valid, 59, '20241301'), 59, 'date', 'invalid_date'],
    ['a code outside the list', put(valid, 46, '9'), 46, 'kind', 'unknown_code'],
    ['a wrong constant', put(valid, 1, '21'), 1, 'code', 'invalid_constant'],
  ];
  for (const [what, line, column, field, code] of cases) {
    it(`${code}: ${what}`, () => {
      const { issues, record } = tk20.read(line, at);
      expect(issues).toHaveLength(1);
      expect(issues[0]).toMatchObject({
        code,
        severity: 'error',
        source: 'bgmax.txt',
        line: 12,
        column,
        record: 'TK20',
        field,
        text: line,
      });
      expect(issues[0]?.message).toContain(JSON.stringify(line));
      expect(issues[0]?.message).toContain(
        JSON.stringify(line.slice(column - 1, column - 1 + (issues[0]?.actual?.length ?? 0))),
      );
      expect(record).toBeDefined();
    });
  }

  it('keeps best-effort values: raw digits, 0n amount, raw date, the unknown code', () => {
    const line = put(put(put(put(valid, 47, '00000000004X'), 28, '0000000000000500A0'), 59, '20240230'), 46, '9');
    const { record, issues } = tk20.read(line, at);
    expect(issues.map((i) => i.code)).toEqual(['invalid_amount', 'unknown_code', 'invalid_digits', 'invalid_date']);
    expect(record.serial).toBe('00000000004X');
    expect(record.amount).toBe(0n);
    expect(record.date).toBe('20240230');
    expect(record.kind).toBe('9');
  });

  it('filler_not_blank is a warning and the data is kept for writing', () => {
    const line = put(valid, 75, 'XY');
    const { record, issues } = tk20.read(line, at);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'filler_not_blank', severity: 'warning', column: 73, field: 'filler' });
    expect(record.filler).toBe('  XY    ');
    expect(tk20.write(record)).toBe(line);
  });

  it('line_too_long when the excess is not blank', () => {
    const line = `${valid}  EXTRA`;
    const { issues } = tk20.read(line, at);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'line_too_long',
      column: 81,
      line: 12,
      record: 'TK20',
      text: line,
      expected: '80',
      actual: '87',
    });
  });

  it('a blank digits field is invalid unless optional', () => {
    const { issues } = tk20.read(put(valid, 47, ' '.repeat(12)), at);
    expect(issues[0]).toMatchObject({ code: 'invalid_digits', field: 'serial', column: 47 });
  });
});

describe('optional fields and date formats', () => {
  const opt = defineRecord({
    type: 'O',
    length: 30,
    fields: {
      digits: { start: 1, length: 4, kind: 'digits', optional: true },
      amount: { start: 5, length: 6, kind: 'amount', optional: true },
      yymmdd: { start: 11, length: 6, kind: 'date', format: 'YYMMDD-or-zeros' },
      ddmmyy: { start: 17, length: 6, kind: 'date', format: 'DDMMYY', pivot: 50 },
      blank: { start: 23, length: 8, kind: 'date', format: 'YYYYMMDD', optional: true, absent: 'blank' },
    },
  });

  it('reads blanks and zeros as absent', () => {
    const { record, issues } = opt.read(`${' '.repeat(10)}000000311249        `);
    expect(issues).toEqual([]);
    expect(record).toEqual({
      digits: '',
      amount: undefined,
      yymmdd: undefined,
      ddmmyy: '2049-12-31',
      blank: undefined,
    });
    expect(opt.read(`${' '.repeat(10)}      010150${'0'.repeat(8)}`).record).toMatchObject({
      yymmdd: undefined,
      ddmmyy: '1950-01-01',
      blank: undefined,
    });
  });

  it('writes absent values in the declared form', () => {
    expect(opt.write({ ddmmyy: '2049-12-31' as RecordOf<typeof opt>['ddmmyy'] })).toBe(
      `${' '.repeat(10)}000000311249${' '.repeat(8)}`,
    );
  });

  it('two-digit years follow the pivot', () => {
    expect(opt.read(`${' '.repeat(10)}691231010100`).record.yymmdd).toBe('2069-12-31');
    expect(opt.read(`${' '.repeat(10)}700101010100`).record.yymmdd).toBe('1970-01-01');
  });
});

describe('write errors list every invalid value', () => {
  it('throws one NordfilError with an issue per field', () => {
    try {
      tk20.write({
        reference: 'x'.repeat(26),
        amount: -1n,
        kind: '7' as '0',
        serial: '12a',
        date: '2023-02-29' as RecordOf<typeof tk20>['date'],
        payer: 'line\nbreak',
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(NordfilError);
      expect((e as NordfilError).issues.map((i) => [i.code, i.field])).toEqual([
        ['value_too_long', 'reference'],
        ['invalid_amount', 'amount'],
        ['unknown_code', 'kind'],
        ['invalid_digits', 'serial'],
        ['invalid_date', 'date'],
        ['value_too_long', 'payer'],
      ]);
    }
  });
  it('rejects a date outside the two-digit-year window and a wrong type', () => {
    const short = defineRecord({
      type: 'S',
      length: 6,
      fields: { d: { start: 1, length: 6, kind: 'date', format: 'YYMMDD' } },
    });
    expect(() => short.write({ d: '1969-01-01' as RecordOf<typeof short>['d'] })).toThrow(/two-digit-year window/);
    expect(() => short.write({ d: 20240101 as unknown as RecordOf<typeof short>['d'] })).toThrow(/invalid_value/);
  });
});

describe('layout validation', () => {
  it('rejects gaps, overlaps and a wrong total length, all at once', () => {
    try {
      defineRecord({
        type: 'X',
        length: 10,
        fields: {
          a: { start: 1, length: 3, kind: 'digits' },
          b: { start: 3, length: 2, kind: 'text' },
          c: { start: 7, length: 2, kind: 'date', format: 'YYMMDD' },
        },
      });
      expect.unreachable();
    } catch (e) {
      const messages = (e as NordfilError).issues.map((i) => i.message);
      expect(messages.some((m) => m.includes('overlapping'))).toBe(true);
      expect(messages.some((m) => m.includes('not covered'))).toBe(true);
      expect(messages.some((m) => m.includes('YYMMDD date is 6'))).toBe(true);
      expect(messages.some((m) => m.includes('record is 10'))).toBe(true);
    }
  });
});

describe('dispatchByType', () => {
  const tk70 = defineRecord({
    type: '70',
    label: 'TK70',
    length: 80,
    fields: {
      code: { start: 1, length: 2, kind: 'const', value: '70' },
      payments: { start: 3, length: 8, kind: 'digits' },
      reserved: { start: 11, length: 70, kind: 'filler' },
    },
  });
  it('picks the codec by the code at the type columns', () => {
    const codecFor = dispatchByType([tk20, tk70], { start: 1, length: 2 });
    expect(codecFor(valid)).toBe(tk20);
    expect(codecFor('7000000001')).toBe(tk70);
    expect(codecFor('99')).toBeUndefined();
    expect(codecFor('')).toBeUndefined();
  });
  it('rejects two codecs for one type', () => {
    expect(() => dispatchByType([tk20, tk20], { start: 1, length: 2 })).toThrow(/two codecs/);
  });
});
