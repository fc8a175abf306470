import { Readable } from 'node:stream';
import { type Issue, NordfilError, type Payment } from '@nordfil/core';
import {
  type Assignment,
  buildOcrGiro,
  type OcrGiroTransaction,
  parseOcrGiro,
  parseOcrGiroAsync,
  readOcrGiro,
  safeParseOcrGiro,
  safeParseOcrGiroAsync,
  toPayments,
  writeOcrGiro,
} from '@nordfil/ocrgiro';
import { describe, expect, test } from 'vitest';
import { collect, fixture, fixtureLines, withCode } from './helpers.js';

function strictIssues(name: string): readonly Issue[] {
  try {
    parseOcrGiro(fixture(name), { source: name });
  } catch (e) {
    if (NordfilError.is(e)) return e.issues;
    throw e;
  }
  throw new Error(`${name} parsed without errors`);
}

const errors = (issues: readonly Issue[]) => issues.filter((i) => i.severity === 'error');

describe('the valid fixture (OCR giro 09 with types 10-21, and an AvtaleGiro 21 assignment)', () => {
  const file = parseOcrGiro(fixture('valid.txt'), { source: 'valid.txt' });

  test('transmission', () => {
    expect(file).toMatchObject({
      format: 'ocrgiro',
      dataTransmitter: '00008080',
      transmissionNumber: '0000170',
      dataRecipient: '00012345',
      identity: 'ocrgiro:00008080:00012345:0000170',
      layout: { encoding: 'latin1', lineEnding: '\r\n', finalNewline: true },
      issues: [],
      line: 1,
    });
    expect(file.end).toMatchObject({ count: 15, records: 40, netsDate: '2025-03-14', line: 40 });
    expect(file.end?.total.toString()).toBe('8319.50');
  });

  test('OCR giro assignment: every transaction type 10-21, items 3 for 20 and 21', () => {
    const a = file.assignments[0]!;
    expect(a).toMatchObject({
      serviceCode: '09',
      assignmentType: '00',
      agreementId: '123456789',
      account: '12345678903',
    });
    const txs = a.transactions as OcrGiroTransaction[];
    expect(txs.map((t) => t.type)).toEqual([
      '10',
      '10',
      '11',
      '12',
      '13',
      '14',
      '15',
      '16',
      '17',
      '18',
      '19',
      '20',
      '21',
    ]);
    expect(txs.map((t) => t.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(txs[0]).toMatchObject({
      netsDate: '2025-03-10',
      centreId: '01',
      dayCode: 10,
      partialSettlementNumber: 1,
      partialSettlementSerialNumber: '00001',
      sign: '0',
      kid: '12345674',
      formNumber: '9636827194',
      archiveReference: '099038562',
      filler31: '0000000',
      bankDate: '2025-03-07',
      debitAccount: '98765432103',
      freeText: undefined,
      cardIssuer: undefined,
      line: 3,
    });
    expect(txs[1]!.filler31).toBe('0023100'); // data in the documented filler, kept opaque
    expect(txs[2]!.kid).toBe('100008-'); // MOD11 with '-'
    expect(txs[3]!.kid).toBeUndefined();
    expect(txs[4]).toMatchObject({ sign: '-', bankDate: undefined });
    expect(txs[4]!.amount.toString()).toBe('-25.00');
    expect(txs[9]).toMatchObject({ type: '18', cardIssuer: '04', partialSettlementNumber: 0 });
    expect(txs[11]).toMatchObject({ type: '20', freeText: 'Retur av vare, ordre 4711', kid: undefined });
    expect(txs[12]!.freeText).toBe('Kjøp i nettbutikk, Ærlig Øl & Å');
    expect(a.end).toMatchObject({
      count: 13,
      records: 30,
      netsDate: '2025-03-14',
      earliest: '2025-03-10',
      latest: '2025-03-14',
      line: 31,
    });
    expect(a.end?.total.toString()).toBe('6320.50');
  });

  test('AvtaleGiro assignment: payment requests with payer name, reference and notice lines', () => {
    const a = file.assignments[1]!;
    expect(a).toMatchObject({ serviceCode: '21', assignmentType: '00', agreementId: '987654321' });
    expect(a.transactions[0]).toMatchObject({
      kind: 'avtalegiro',
      type: '02',
      dueDate: '2025-04-20',
      kid: '0001234567897',
      payerName: 'NORDMANN',
      externalReference: 'FAKTURA 1001',
      specification: [],
    });
    expect(a.transactions[1]).toMatchObject({
      kind: 'avtalegiro',
      type: '21',
      specification: [
        { lineNumber: 1, column: '1', text: 'Faktura 1002, strøm mars' },
        { lineNumber: 1, column: '2', text: 'Forfall 25.04.2025' },
      ],
    });
    expect(a.end).toMatchObject({
      count: 2,
      records: 8,
      earliest: '2025-04-20',
      latest: '2025-04-25',
      netsDate: undefined,
    });
  });

  test('written back byte for byte (CRLF, LF, and a stream without separators)', () => {
    for (const name of ['valid.txt', 'valid-lf.txt', 'valid-stream.txt', 'reference-example.txt', 'invalid-kid.txt']) {
      const bytes = fixture(name);
      expect(Buffer.from(writeOcrGiro(parseOcrGiro(bytes))).equals(bytes), name).toBe(true);
    }
    expect(withCode(parseOcrGiro(fixture('valid-stream.txt')).issues, 'line_separator')).toHaveLength(1);
  });

  test('the same objects from CRLF, LF and the separator-less stream', () => {
    const strip = (f: ReturnType<typeof parseOcrGiro>) => ({
      ...f,
      layout: undefined,
      issues: undefined,
      source: undefined,
    });
    expect(strip(parseOcrGiro(fixture('valid-lf.txt')))).toEqual(strip(file));
    expect(strip(parseOcrGiro(fixture('valid-stream.txt')))).toEqual(strip(file));
  });
});

describe('toPayments', () => {
  const file = parseOcrGiro(fixture('valid.txt'), { source: 'valid.txt' });
  const payments = toPayments(file);

  test('one payment per OCR giro transaction; AvtaleGiro requests are not payments', () => {
    expect(payments).toHaveLength(13);
    expect(new Set(payments.map((p) => p.id)).size).toBe(13);
  });

  test('mapping of the first payment', () => {
    const p = payments[0]!;
    expect(p).toMatchObject({
      id: 'ocrgiro:00008080:00012345:0000170#3',
      format: 'ocrgiro',
      kind: 'payment',
      transactionCode: '10',
      receivingAccount: { kind: 'no-account', number: '12345678903' },
      currency: 'NOK',
      date: '2025-03-10',
      reference: '12345674',
      referenceKind: 'kid',
      serialNumber: '099038562',
      payer: { account: '98765432103' },
      messages: [],
      extraReferences: [],
      source: { file: 'valid.txt', line: 3, section: 1 },
    });
    expect(p.amount.toString()).toBe('1250.00');
    expect(p.amount.currency).toBe('NOK');
  });

  test('no KID: referenceKind none; negative sign and reversals are negative; free text is a message', () => {
    expect(payments[3]).toMatchObject({ referenceKind: 'none', payer: { account: '98765432103' } });
    expect(payments[3]!.reference).toBeUndefined();
    expect(payments[4]!.amount.toString()).toBe('-25.00'); // sign '-'
    expect(payments[9]!.amount.toString()).toBe('-200.00'); // type 18 reversal
    expect(payments[10]!.amount.toString()).toBe('450.00'); // type 19 purchase
    expect(payments[11]).toMatchObject({ transactionCode: '20', messages: ['Retur av vare, ordre 4711'] });
    expect(payments[11]!.amount.toString()).toBe('-150.00');
    expect(payments[9]!.payer).toEqual({}); // debit account zeros
  });

  test('options: source and file identity', () => {
    const p = toPayments(file, { source: 'x', fileIdentity: 'id' })[0]!;
    expect(p.id).toBe('id#3');
    expect(p.source.file).toBe('x');
  });
});

describe('broken fixtures: one defect each', () => {
  test('bad 88 total: control_total_mismatch with expected and actual', () => {
    const issues = strictIssues('bad-88-total.txt');
    expect(errors(issues)).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'control_total_mismatch',
      source: 'bad-88-total.txt',
      line: 31,
      column: 25,
      record: '88',
      field: 'total',
      expected: '6321.50',
      actual: '6320.50',
    });
    expect(issues[0]!.text).toBe(fixtureLines('bad-88-total.txt')[30]);
  });

  test('bad 89 record count: count_mismatch', () => {
    const issues = strictIssues('bad-89-record-count.txt');
    expect(errors(issues)).toEqual([
      expect.objectContaining({
        code: 'count_mismatch',
        line: 40,
        column: 17,
        record: '89',
        field: 'recordCount',
        expected: '39',
        actual: '40',
      }),
    ]);
  });

  test('item 2 with the wrong transaction number: item_mismatch', () => {
    const issues = strictIssues('item2-wrong-number.txt');
    expect(errors(issues)).toEqual([
      expect.objectContaining({
        code: 'item_mismatch',
        line: 8,
        column: 9,
        record: '31',
        field: 'transactionNumber',
        expected: '0000003',
        actual: '0000004',
      }),
    ]);
  });

  test('missing 89: missing_end', () => {
    expect(errors(strictIssues('missing-89.txt'))).toEqual([
      expect.objectContaining({ code: 'missing_end', line: 39 }),
    ]);
  });

  test('truncated inside a record: truncated_file at the cut', () => {
    const issues = strictIssues('truncated.txt');
    expect(withCode(issues, 'truncated_file')).toEqual([expect.objectContaining({ line: 21, column: 38 })]);
    expect(withCode(issues, 'missing_end')).toEqual([]);
    expect(withCode(issues, 'unclosed_section')).toEqual([]);
  });

  test('non-digit amount: invalid_amount at column 33; the totals then disagree', () => {
    const issues = strictIssues('non-digit-amount.txt');
    expect(issues[0]).toMatchObject({ code: 'invalid_amount', line: 5, column: 33, record: '30', field: 'amount' });
    expect(withCode(issues, 'control_total_mismatch').map((i) => i.record)).toEqual(['88', '89']);
  });

  test('impossible date 310299: invalid_date', () => {
    expect(errors(strictIssues('impossible-date.txt'))).toEqual([
      expect.objectContaining({ code: 'invalid_date', line: 3, column: 16, field: 'netsDate', actual: '310299' }),
      // the transaction cannot be read: left out, and said so
      expect.objectContaining({ code: 'dropped_transaction', line: 3, column: 1, record: '30' }),
    ]);
  });

  test('KID failing its check digit: a warning only, the payment is kept', () => {
    const file = parseOcrGiro(fixture('invalid-kid.txt'));
    expect(file.issues).toEqual([
      expect.objectContaining({ code: 'invalid_kid', severity: 'warning', line: 3, column: 50, actual: '12345675' }),
    ]);
    expect(toPayments(file)[0]).toMatchObject({ reference: '12345675', referenceKind: 'kid' });
  });

  test('lenient mode keeps every valid payment of a broken file', () => {
    for (const [name, count] of [
      ['bad-88-total.txt', 13],
      ['bad-89-record-count.txt', 13],
      ['item2-wrong-number.txt', 13],
      ['missing-89.txt', 13],
      ['non-digit-amount.txt', 12], // the broken transaction is reported, not guessed
      ['impossible-date.txt', 12],
      ['truncated.txt', 9], // transactions 1-9 are complete before the cut
    ] as const) {
      const file = parseOcrGiro(fixture(name), { mode: 'lenient' });
      expect(toPayments(file), name).toHaveLength(count);
      expect(errors(file.issues).length, name).toBeGreaterThan(0);
    }
  });

  test('safeParseOcrGiro returns the error instead of throwing', () => {
    const r = safeParseOcrGiro(fixture('bad-88-total.txt'));
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.code).toBe('control_total_mismatch');
    const ok = safeParseOcrGiro(fixture('invalid-kid.txt'));
    expect(ok.success && ok.warnings.map((w) => w.code)).toEqual(['invalid_kid']);
  });
});

describe('structure checks', () => {
  const lines = fixtureLines('valid.txt');
  const join = (ls: readonly string[]) => `${ls.join('\r\n')}\r\n`;
  const lenient = (ls: readonly string[]) => parseOcrGiro(join(ls), { mode: 'lenient' });

  test('missing start record', () => {
    const f = lenient(lines.slice(1));
    expect(withCode(f.issues, 'missing_start')[0]).toMatchObject({ line: 1, column: 7, expected: '10', actual: '20' });
    expect(toPayments(f)).toHaveLength(13);
  });

  test('amount item 3 for a type without one: unexpected_record', () => {
    const extra = `NY091032000000${'1'}${'x'.padEnd(40)}${'0'.repeat(25)}`;
    const f = lenient([...lines.slice(0, 4), extra, ...lines.slice(4)]);
    expect(errors(f.issues).map((i) => [i.code, i.line])).toEqual(expect.arrayContaining([['unexpected_record', 5]]));
  });

  test('amount item 3 missing for type 21: record_order on its item 1', () => {
    const i32 = lines.findIndex((l) => l.startsWith('NY092132'));
    const f = lenient([...lines.slice(0, i32), ...lines.slice(i32 + 1)]);
    expect(withCode(f.issues, 'record_order')[0]).toMatchObject({ line: i32 - 1 });
  });

  test('orphan item 2, missing 88 (unclosed_section), record after 89', () => {
    const i88 = lines.findIndex((l) => l.startsWith('NY090088'));
    const f = lenient([...lines.slice(0, 2), lines[3]!, ...lines.slice(4, i88), ...lines.slice(i88 + 1), lines[0]!]);
    expect(withCode(f.issues, 'orphan_record')[0]).toMatchObject({ line: 3, record: '31' });
    expect(withCode(f.issues, 'unclosed_section')[0]).toMatchObject({ record: '20' });
    expect(withCode(f.issues, 'record_order').at(-1)).toMatchObject({ line: 39 });
  });

  test('transactions not sorted by Nets date: a warning', () => {
    const [t1, t2] = [lines.slice(2, 4), lines.slice(8, 10)];
    const swapped = [...lines.slice(0, 2), ...t2, ...lines.slice(4, 8), ...t1, ...lines.slice(10)];
    const f = lenient(swapped);
    expect(withCode(f.issues, 'unsorted_transactions')[0]).toMatchObject({ severity: 'warning' });
    // numbers are now out of order too, but that is no error: only the grammar and control fields are
    expect(errors(f.issues)).toEqual([]);
  });

  test('earliest/latest dates in 88 are checked', () => {
    const i88 = lines.findIndex((l) => l.startsWith('NY090088'));
    const ls = [...lines];
    ls[i88] = `${ls[i88]!.slice(0, 47)}090325${ls[i88]!.slice(53)}`;
    expect(withCode(lenient(ls).issues, 'control_date_mismatch')[0]).toMatchObject({
      line: i88 + 1,
      column: 48,
      field: 'date2',
      expected: '2025-03-09',
      actual: '2025-03-10',
    });
  });

  test('the assignment account is checked with MOD11 (a warning)', () => {
    const ls = [...lines];
    ls[1] = `${ls[1]!.slice(0, 24)}12345678901${ls[1]!.slice(35)}`;
    expect(withCode(lenient(ls).issues, 'invalid_account')[0]).toMatchObject({ line: 2, column: 25 });
  });

  test('empty input', () => {
    expect(() => parseOcrGiro('')).toThrow(NordfilError);
    expect(withCode(parseOcrGiro('', { mode: 'lenient' }).issues, 'missing_start')).toHaveLength(1);
  });
});

describe('encoding', () => {
  test('auto: a UTF-8 file is detected and reported, letters decoded', () => {
    const utf8 = Buffer.from(fixture('valid.txt').toString('latin1'), 'utf8');
    const f = parseOcrGiro(utf8);
    expect(withCode(f.issues, 'encoding')).toHaveLength(1);
    expect((f.assignments[0]!.transactions[12] as OcrGiroTransaction).freeText).toBe('Kjøp i nettbutikk, Ærlig Øl & Å');
    expect(Buffer.from(writeOcrGiro(f)).equals(utf8)).toBe(true);
  });

  test('explicit latin1 reads UTF-8 bytes as latin-1 (no warning)', () => {
    const utf8 = Buffer.from(fixture('valid.txt').toString('latin1'), 'utf8');
    const f = parseOcrGiro(utf8, { encoding: 'latin1', mode: 'lenient' });
    expect(withCode(f.issues, 'encoding')).toHaveLength(0);
  });
});

describe('readOcrGiro (streaming)', () => {
  test('yields assignments when they close; same objects as the whole-file parse', async () => {
    const bytes = fixture('valid.txt');
    const reader = readOcrGiro(Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]));
    const assignments: Assignment[] = await collect(reader);
    expect(assignments).toEqual(parseOcrGiro(bytes).assignments);
    expect(reader.transmission?.identity).toBe('ocrgiro:00008080:00012345:0000170');
    expect(reader.end?.records).toBe(40);
    expect(reader.issues).toEqual([]);
  });

  test('yields payments, the same as toPayments', async () => {
    const bytes = fixture('valid.txt');
    const payments = await collect(readOcrGiro(bytes, { yield: 'payments', source: 'valid.txt' }));
    expect(payments).toEqual(toPayments(parseOcrGiro(bytes, { source: 'valid.txt' })));
  });

  test('web ReadableStream input', async () => {
    const bytes = fixture('valid.txt');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.subarray(0, 7));
        c.enqueue(bytes.subarray(7));
        c.close();
      },
    });
    expect(await collect(readOcrGiro(stream, { yield: 'payments' }))).toHaveLength(13);
  });

  test('strict: throws at the first error, having yielded what came before it', async () => {
    const got: Assignment[] = [];
    await expect(async () => {
      for await (const a of readOcrGiro(fixture('bad-89-record-count.txt'))) got.push(a);
    }).rejects.toThrow(NordfilError);
    expect(got).toHaveLength(2);
    const payments: Payment[] = [];
    await expect(async () => {
      for await (const p of readOcrGiro(fixture('bad-88-total.txt'), { yield: 'payments' })) payments.push(p);
    }).rejects.toThrow(/control_total_mismatch/);
    // payments are handed out as each is complete (constant memory): the 12 completed before the wrong 88, not
    // the 13th, which the 88 line completed (nothing the failing line released is yielded)
    expect(payments).toHaveLength(12);
  });

  test('lenient: reports through onIssue and reader.issues', async () => {
    const seen: string[] = [];
    const reader = readOcrGiro(fixture('missing-89.txt'), { mode: 'lenient', onIssue: (i) => seen.push(i.code) });
    expect(await collect(reader)).toHaveLength(2);
    expect(seen).toEqual(['missing_end']);
    expect(reader.issues.map((i) => i.code)).toEqual(['missing_end']);
  });
});

describe('AvtaleGiro agreements (assignment type 24, record 70)', () => {
  const lines = [
    `NY000010000080800000171000123450${'0'.repeat(48)}`,
    `NY212420${'0'.repeat(9)}000000312345678903${'0'.repeat(45)}`,
    `NY21947000000011${'12345674'.padStart(25)}J${'0'.repeat(38)}`,
    `NY21947000000022${'0001234567897'.padStart(25)}N${'0'.repeat(38)}`,
    `NY212488000000020000000400000000000000000000000000000000000000000000000000000000`,
    `NY000089000000020000000600000000000000000150325${'0'.repeat(33)}`,
  ];
  const text = `${lines.join('\r\n')}\r\n`;

  test('agreements are read, counted and written back byte for byte', () => {
    for (const l of lines) expect(l).toHaveLength(80);
    const file = parseOcrGiro(text);
    expect(file.issues).toEqual([]);
    const a = file.assignments[0]!;
    expect(a).toMatchObject({ serviceCode: '21', assignmentType: '24', agreementId: '000000000' });
    expect(a.transactions).toEqual([
      expect.objectContaining({ kind: 'agreement', number: 1, registrationType: '1', kid: '12345674', notify: true }),
      expect.objectContaining({ kind: 'agreement', number: 2, registrationType: '2', notify: false }),
    ]);
    expect(toPayments(file)).toEqual([]);
    expect(Buffer.from(writeOcrGiro(file)).toString('latin1')).toBe(text);
  });
});

describe('parseOcrGiroAsync: a whole file from a stream', () => {
  test('a Node stream gives the file parseOcrGiro gives', async () => {
    const bytes = fixture('valid.txt');
    const stream = Readable.from([bytes.subarray(0, 333), bytes.subarray(333)]);
    expect(await parseOcrGiroAsync(stream, { source: 'valid.txt' })).toEqual(
      parseOcrGiro(bytes, { source: 'valid.txt' }),
    );
  });

  test('strict: one error with every issue; safe: the same as safeParseOcrGiro', async () => {
    const bytes = fixture('bad-88-total.txt');
    const error = await parseOcrGiroAsync(Readable.from([bytes])).catch((e: unknown) => e);
    expect(NordfilError.is(error) && error.issues).toEqual(parseOcrGiro(bytes, { mode: 'lenient' }).issues);
    expect(await safeParseOcrGiroAsync(Readable.from([bytes]))).toEqual(safeParseOcrGiro(bytes));
  });

  test('one chunk larger than a slice (1 MiB) gives the same file, whole or streamed', async () => {
    const transactions = Array.from({ length: 7000 }, (_, i) => ({
      amount: `${(i % 500) + 1}.00`,
      date: '2025-03-10',
      type: '21' as const,
      freeText: `betaling ${i}`,
    }));
    const bytes = Buffer.from(
      writeOcrGiro(
        buildOcrGiro({
          transmission: { transmissionNumber: '1', dataRecipient: '2', date: '2025-03-20' },
          assignments: [{ account: '12345678903', agreementId: '1', date: '2025-03-19', transactions }],
        }),
      ),
    );
    expect(bytes.length).toBeGreaterThan(1 << 20);
    async function* one() {
      yield bytes;
    }
    const file = await parseOcrGiroAsync(one());
    expect(file).toEqual(parseOcrGiro(bytes));
    expect(file.assignments[0]!.transactions).toHaveLength(7000);
    expect(await collect(readOcrGiro(one()))).toEqual(file.assignments);
  });

  test('refuses what is not bytes, a string or a stream, with a typed error', async () => {
    const error = await parseOcrGiroAsync(42 as unknown as Uint8Array).catch((e: unknown) => e);
    expect(NordfilError.is(error) && error.issues[0]?.code).toBe('invalid_input');
  });
});
