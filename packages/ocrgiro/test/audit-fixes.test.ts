import { type Issue, NordfilError, type Payment } from '@nordfil/core';
import { parseOcrGiro, readOcrGiro, toPayments, writeOcrGiro } from '@nordfil/ocrgiro';
import { parseOcrGiroRecords, writeOcrGiroRecords } from '@nordfil/ocrgiro/records';
import { describe, expect, test } from 'vitest';
import { fixture, fixtureLines, withCode } from './helpers.js';

// the synthetic example of reference §6: 10, 20, 30, 31, 88, 89
const L = fixtureLines('reference-example.txt');
const file = (lines: readonly string[], le = '\r\n') => lines.join(le) + le;
const set = (line: string, column: number, value: string) =>
  line.slice(0, column - 1) + value + line.slice(column - 1 + value.length);

async function stream<T>(
  input: string | Uint8Array,
  options: { readonly yield?: 'payments' | 'assignments'; readonly mode?: 'strict' | 'lenient' },
  chunk = 4096,
): Promise<{ items: T[]; error: NordfilError | undefined; issues: readonly Issue[] }> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : Buffer.from(input);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
  }
  const reader = readOcrGiro(chunks(), options as never);
  const items: T[] = [];
  let error: NordfilError | undefined;
  try {
    for await (const x of reader) items.push(x as T);
  } catch (e) {
    if (!NordfilError.is(e)) throw e;
    error = e;
  }
  return { items, error, issues: reader.issues };
}

describe('strict streaming: nothing the failing line released, and no false issue about the rest', () => {
  test('a wrong 88 total: neither the assignment nor the payment the 88 line completed is yielded', async () => {
    const bad88 = file([L[0]!, L[1]!, L[2]!, L[3]!, set(L[4]!, 25, '00000000000125001'), L[5]!]);
    expect(() => parseOcrGiro(bad88)).toThrow(NordfilError);
    for (const chunk of [1, 7, 81, 4096]) {
      const assignments = await stream(bad88, { yield: 'assignments' }, chunk);
      expect(assignments.items).toEqual([]);
      expect(assignments.error?.issues.map((i) => i.code)).toEqual(['control_total_mismatch']);
      const payments = await stream<Payment>(bad88, { yield: 'payments' }, chunk);
      expect(payments.items).toEqual([]);
      expect(payments.error?.issues.map((i) => i.code)).toEqual(['control_total_mismatch']);
    }
  });

  test('an error inside an assignment: none of its payments, the error lists only what was read', async () => {
    // an unreadable amount in the first transaction of valid.txt (line 3)
    const lines = fixtureLines('valid.txt');
    lines[2] = set(lines[2]!, 40, 'X');
    const r = await stream<Payment>(file(lines), { yield: 'payments' }, 100);
    expect(r.items).toEqual([]);
    const whole = parseOcrGiro(file(lines), { mode: 'lenient' }).issues;
    // every issue of the stream is one the whole parse reports too (no false issue about the part not read)
    for (const i of r.error!.issues) expect(whole).toContainEqual(i);
    expect(r.error!.issues.map((i) => i.code)).toContain('invalid_amount');
    expect(withCode(r.error!.issues, 'missing_end')).toEqual([]);
  });

  test('a truncated last 88 (no 89): the assignment it closed is not yielded', async () => {
    const cut = [L[0]!, L[1]!, L[2]!, L[3]!, L[4]!.slice(0, 79)].join('\r\n');
    expect(() => parseOcrGiro(cut)).toThrow(NordfilError);
    for (const chunk of [1, 80, 4096]) {
      const r = await stream(cut, { yield: 'assignments' }, chunk);
      expect(r.items).toEqual([]);
      expect(r.error?.issues.map((i) => i.code)).toContain('truncated_file');
    }
  });

  test('a wrong 89: the clean assignments are yielded, then it throws at the end', async () => {
    const r = await stream<Payment>(fixture('bad-89-record-count.txt'), { yield: 'payments' }, 512);
    expect(r.items).toHaveLength(13);
    expect(r.error?.issues.map((i) => i.code)).toEqual(['count_mismatch']);
  });

  test('lenient: each payment as soon as it is complete, as before', async () => {
    const bad88 = file([L[0]!, L[1]!, L[2]!, L[3]!, set(L[4]!, 25, '00000000000125001'), L[5]!]);
    const r = await stream<Payment>(bad88, { yield: 'payments', mode: 'lenient' });
    expect(r.items).toHaveLength(1);
  });
});

describe('lenient mode keeps payments whose amount, KID and date are readable', () => {
  test('a non-blank excess after column 80 of a 30: kept, with the record_length error', () => {
    const f = parseOcrGiro(file([L[0]!, L[1]!, `${L[2]!};`, L[3]!, L[4]!, L[5]!]), { mode: 'lenient' });
    expect(toPayments(f)).toHaveLength(1);
    expect(toPayments(f)[0]).toMatchObject({ reference: '12345674', date: '2025-03-15' });
    expect(f.issues.map((i) => i.code)).toEqual(['record_length']);
  });

  test('a blank debit account (31, columns 48-58: "if known") is no error at all', () => {
    const f = parseOcrGiro(file([L[0]!, L[1]!, L[2]!, set(L[3]!, 48, ' '.repeat(11)), L[4]!, L[5]!]));
    expect(f.issues).toEqual([]);
    expect(toPayments(f)[0]!.payer).toEqual({});
  });

  test('an unreadable debit account: the payment is kept without it', () => {
    const f = parseOcrGiro(file([L[0]!, L[1]!, L[2]!, set(L[3]!, 48, '9876X432103'), L[4]!, L[5]!]), {
      mode: 'lenient',
    });
    expect(f.issues.map((i) => i.code)).toEqual(['invalid_digits']);
    expect(toPayments(f)).toHaveLength(1);
    expect(toPayments(f)[0]!.payer).toEqual({});
  });

  test('an unreadable date: dropped, with an error naming the line', () => {
    const f = parseOcrGiro(file([L[0]!, L[1]!, set(L[2]!, 16, '310225'), L[3]!, L[4]!, L[5]!]), { mode: 'lenient' });
    expect(toPayments(f)).toEqual([]);
    expect(withCode(f.issues, 'dropped_transaction')).toEqual([
      expect.objectContaining({ severity: 'error', line: 3, column: 1, record: '30' }),
    ]);
  });
});

describe('Payment.reference is the KID trimmed', () => {
  test('a left-aligned KID: trimmed in the payment, kept in the record and written back as read', () => {
    const bytes = file([L[0]!, L[1]!, set(L[2]!, 50, '12345674                 '), L[3]!, L[4]!, L[5]!]);
    const f = parseOcrGiro(bytes, { mode: 'lenient' });
    expect(toPayments(f)[0]).toMatchObject({ reference: '12345674', referenceKind: 'kid' });
    expect(withCode(f.issues, 'invalid_kid')).toHaveLength(1);
    expect(Buffer.from(writeOcrGiro(f)).toString('latin1')).toBe(bytes);
    const { records } = parseOcrGiroRecords(bytes, { mode: 'lenient' });
    expect(records[2]).toMatchObject({ kid: '12345674                 ' });
    expect(Buffer.from(writeOcrGiroRecords(records)).toString('latin1')).toBe(bytes);
  });
});

describe('text that is not latin-1', () => {
  test('a character above U+00FF in text input: not_latin1 where it is read', () => {
    const lines = fixtureLines('valid.txt');
    const n = lines.findIndex((l) => l.includes('Retur av vare'));
    lines[n] = lines[n]!.replace('Retur av vare', 'Retur av v€re');
    const f = parseOcrGiro(file(lines));
    expect(f.issues).toEqual([
      expect.objectContaining({
        code: 'not_latin1',
        severity: 'warning',
        line: n + 1,
        column: lines[n]!.indexOf('€') + 1,
        record: '32',
        field: 'freeText',
        text: lines[n],
        actual: '€',
      }),
    ]);
  });

  test('a character above U+00FF in a file read as UTF-8 (asked for, or found): not_latin1', () => {
    const lines = fixtureLines('valid.txt');
    const n = lines.findIndex((l) => l.includes('Retur av vare'));
    lines[n] = lines[n]!.replace('Retur av vare', 'Retur av v€re');
    for (const encoding of ['utf-8', 'auto'] as const) {
      const f = parseOcrGiro(Buffer.from(file(lines), 'utf8'), { encoding, mode: 'lenient' });
      expect(f.issues.filter((i) => i.code === 'not_latin1')).toMatchObject([{ line: n + 1, actual: '€' }]);
    }
  });

  test('UTF-8 whose first non-ASCII byte comes after 64 KiB: decoded as UTF-8, whole and streamed', async () => {
    const head = fixtureLines('valid.txt').slice(0, 2);
    // 900 blank lines (warnings only) push the first non-ASCII byte past 64 KiB
    const padding = Array.from({ length: 900 }, () => ' '.repeat(80));
    const lines = [...fixtureLines('valid.txt')];
    const n = lines.findIndex((l) => l.includes('Retur av vare'));
    lines[n] = lines[n]!.replace('Retur av vare', 'Retur av vøre');
    const text = file([...head, ...padding, ...lines.slice(2)]);
    const bytes = Buffer.from(text, 'utf8');
    expect(bytes.indexOf(0xc3)).toBeGreaterThan(65_536);
    const whole = parseOcrGiro(bytes, { mode: 'lenient' });
    expect(whole.layout.encoding).toBe('utf-8');
    expect(toPayments(whole).some((p) => p.messages.includes('Retur av vøre, ordre 4711'))).toBe(true);
    expect(whole.issues.filter((i) => i.code !== 'blank_line').map((i) => i.code)).toEqual(['encoding']);
    for (const chunk of [1000, 65_537, 1 << 20]) {
      const r = await stream<Payment>(bytes, { yield: 'payments', mode: 'lenient' }, chunk);
      expect(r.items).toEqual(toPayments(whole));
      expect(r.issues).toEqual(whole.issues);
    }
  });
});

describe('after the transmission end', () => {
  test('a record after the 89: the stray record is reported, not a missing end', () => {
    const f = parseOcrGiro(file([...L, L[0]!]), { mode: 'lenient' });
    expect(withCode(f.issues, 'missing_end')).toEqual([]);
    expect(withCode(f.issues, 'record_order')[0]).toMatchObject({ line: 7, column: 7, record: '10', text: L[0] });
  });

  for (const tail of ['\x1a', '\x1a\r\n', '\x1a\n']) {
    test(`a final DOS end-of-file byte (${JSON.stringify(tail)}): accepted with a warning`, async () => {
      const bytes = Buffer.from(file(L) + tail, 'latin1');
      const f = parseOcrGiro(bytes);
      expect(f.issues).toEqual([expect.objectContaining({ code: 'end_of_file_marker', severity: 'warning', line: 7 })]);
      expect(toPayments(f)).toHaveLength(1);
      expect(f.layout).toMatchObject({ lineEnding: '\r\n', finalNewline: true });
      // the objects writer writes the records (without the marker); the records writer keeps it
      expect(Buffer.from(writeOcrGiro(f)).toString('latin1')).toBe(file(L));
      const { records } = parseOcrGiroRecords(bytes);
      expect(Buffer.from(writeOcrGiroRecords(records)).equals(bytes)).toBe(true);
      const r = await stream<Payment>(bytes, { yield: 'payments' }, 50);
      expect(r.error).toBeUndefined();
      expect(r.issues).toEqual(f.issues);
    });
  }
});

describe('every issue is located: line, column, record type and the quoted line', () => {
  const located = (i: Issue) => ({ line: i.line, column: i.column, record: i.record, text: i.text });
  test.each([
    ['missing_end', file(L.slice(0, 5)), { line: 5, column: 1, record: '88', text: L[4] }],
    ['unclosed_section', file(L.slice(0, 4)), { line: 2, column: 7, record: '20', text: L[1] }],
    [
      'record_length',
      file([L[0]!, L[1]!, `${L[2]!}X`, L[3]!, L[4]!, L[5]!]),
      { line: 3, column: 81, record: '30', text: `${L[2]!}X` },
    ],
    [
      'invalid_record',
      file([L[0]!, L[1]!, L[2]!, L[3]!, `XX${L[4]!.slice(2)}`, L[5]!]),
      { line: 5, column: 1, record: '88', text: `XX${L[4]!.slice(2)}` },
    ],
    ['truncated_file', file(L).slice(0, 300), { line: 4, column: 55, record: '31', text: L[3]!.slice(0, 54) }],
    ['record_order', file([...L, L[0]!]), { line: 7, column: 7, record: '10', text: L[0] }],
    ['missing_start', file(L.slice(1)), { line: 1, column: 7, record: '20', text: L[1] }],
    ['missing_start', '', { line: 1, column: 1, record: '10', text: undefined }],
  ])('%s', (code, input, where) => {
    const f = parseOcrGiro(input, { mode: 'lenient' });
    expect(located(withCode(f.issues, code)[0]!)).toEqual(where);
  });
});

describe('payment ids: whole and streamed agree', () => {
  test('the 10 is not first (20, 30, 31, 88, 10, 89)', async () => {
    const bytes = file([L[1]!, L[2]!, L[3]!, L[4]!, L[0]!, L[5]!]);
    const whole = toPayments(parseOcrGiro(bytes, { mode: 'lenient' }));
    const streamed = await stream<Payment>(bytes, { yield: 'payments', mode: 'lenient' }, 100);
    expect(whole.map((p) => p.id)).toEqual(['ocrgiro:unknown#2']);
    expect(streamed.items).toEqual(whole);
  });

  test('a 10 arriving inside a transaction', async () => {
    const bytes = file([L[1]!, L[2]!, L[0]!, L[3]!, L[4]!, L[5]!]);
    const whole = toPayments(parseOcrGiro(bytes, { mode: 'lenient' }));
    const streamed = await stream<Payment>(bytes, { yield: 'payments', mode: 'lenient' }, 100);
    expect(streamed.items).toEqual(whole);
  });
});

describe('lines the splitter cuts into records', () => {
  test('two whole records on one line: read as both, with a warning, whole and streamed alike', async () => {
    const lines = fixtureLines('valid.txt');
    const joined = [...lines.slice(0, 2), lines[2]! + lines[3]!, ...lines.slice(4)];
    const whole = parseOcrGiro(file(joined), { mode: 'lenient' });
    expect(toPayments(whole)).toEqual(toPayments(parseOcrGiro(file(lines))));
    expect(whole.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(withCode(whole.issues, 'line_separator').map((i) => [i.line, i.column])).toEqual([[3, 81]]);
    const r = await stream<Payment>(file(joined), { yield: 'payments', mode: 'lenient' }, 7);
    expect(r.items).toEqual(toPayments(whole));
    expect(r.issues).toEqual(whole.issues);
  });

  test('a line longer than 1 MiB does not end a lenient read: read on as records, the payments after it kept', () => {
    const lines = fixtureLines('valid.txt');
    const junk = `zz${'x'.repeat(1_100_000)}`;
    const withJunk = [...lines.slice(0, 2), junk, ...lines.slice(2)];
    const r = parseOcrGiro(file(withJunk), { mode: 'lenient' });
    expect(withCode(r.issues, 'line_separator')).toMatchObject([{ line: 3, column: 1 }]);
    expect(toPayments(r).map((p) => p.amount.toString())).toEqual(
      toPayments(parseOcrGiro(file(lines))).map((p) => p.amount.toString()),
    );
    expect(() => parseOcrGiro(file(withJunk))).toThrow(NordfilError);
  });
});
