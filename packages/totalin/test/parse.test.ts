import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Issue, NordfilError, type Payment } from '@nordfil/core';
import {
  parseTotalIn,
  parseTotalInAsync,
  readTotalIn,
  safeParseTotalIn,
  safeParseTotalInAsync,
  sectionSummary,
  type TotalInAccountSection,
  toPayments,
  toRecords,
  writeTotalIn,
} from '@nordfil/totalin';
import { describe, expect, it } from 'vitest';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name));
const lenient = (name: string) => parseTotalIn(fixture(name), { mode: 'lenient', source: name });
const errors = (issues: readonly Issue[]) => issues.filter((i) => i.severity === 'error');
const at = (issues: readonly Issue[]) => issues.map((i) => [i.code, i.line, i.column]);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('parseTotalIn: the valid fixture', () => {
  const file = parseTotalIn(fixture('valid.txt'), { source: 'valid.txt' });

  it('reads the header with the full-precision timestamp', () => {
    expect(file.header).toEqual({
      id: 'TI12345678',
      timestamp: '20261120061502654321',
      isoTimestamp: '2026-11-20T06:15:02.654321',
      deliveryNumber: '03',
      fileType: 'TL1',
      fileName: 'TOTALIN',
      test: false,
      line: 1,
    });
    expect(file.trailer).toEqual({ recordCount: 25, line: 25 });
  });

  it('groups items into account sections with their 90 records', () => {
    expect(file.accounts.map((s) => [s.account, s.currency, s.bookingDate, s.items.length])).toEqual([
      ['4411112', 'SEK', '2026-11-19', 4],
      ['33001234567890', 'SEK', '2026-11-19', 1],
    ]);
    const [a] = file.accounts as [TotalInAccountSection];
    expect(a.closing?.count).toBe(4);
    expect(a.closing?.total.toString()).toBe('5850.00');
    expect(a.closing?.statementReference).toBe('20261119001');
    const s = sectionSummary(a);
    expect([s.payments, s.deductions, s.extraReferenceRecords, s.total.toString()]).toEqual([3, 1, 1, '5850.00']);
  });

  it('attaches every child record to its payment', () => {
    const p = file.accounts[0]!.items[0]!;
    expect(p.kind).toBe('payment');
    expect(p.reference).toBe('7350012345678');
    expect(p.amount.toString()).toBe('1250.00');
    expect(p.serialNumber).toBe('10000000000000001');
    expect(p.extraReferences).toEqual([{ reference: '7350012345686', secondReference: 'ORDER 55', line: 4 }]);
    expect(p.messages.map((m) => [m.message, m.secondMessage])).toEqual([
      ['FAKTURA 7350012345678', 'TACK FÖR SIST'],
      ['ÅTERSTÅR 0 KR', ''],
    ]);
    expect(p.sender).toMatchObject({ name: 'ÖSTRA BYGG AB', extraName: 'EKONOMI', street: 'KYRKVÄGEN 3' });
    expect(p.sender).toMatchObject({ postalCode: '41256', town: 'GÖTEBORG', lines: { name: 7, address: 8, town: 9 } });
    expect(p.payerAccount).toEqual({
      account: '8327912345',
      accountType: '1',
      organisationNumber: '5566778899',
      line: 10,
    });
    expect(p.payer).toMatchObject({
      name: 'SWEDBANK AB',
      street: undefined,
      town: 'STOCKHOLM',
      lines: { name: 11, town: 12 },
    });
  });

  it('reads 25 zeros as no reference, and a foreign payment with its exact exchange rate', () => {
    const [, noRef, foreign, deduction] = file.accounts[0]!.items;
    expect(noRef?.reference).toBeUndefined();
    expect(noRef?.bankgiro).toBe('56781234');
    expect(foreign?.foreign?.exchangeRate).toBe('8.8000');
    expect(foreign?.foreign?.originalAmount?.toString()).toBe('500.00');
    expect(foreign?.foreign?.originalAmount?.currency).toBe('EUR');
    expect(foreign?.foreign?.bankCost?.toString()).toBe('15.00');
    expect(deduction?.kind).toBe('deduction');
    expect(deduction?.deductionCode).toBe('1');
  });

  it('maps to the shared Payment model', () => {
    const payments = toPayments(file, { source: 'valid.txt' });
    expect(payments).toHaveLength(5);
    const [p1, p2, , d, p5] = payments as [Payment, Payment, Payment, Payment, Payment];
    expect(p1).toMatchObject({
      id: 'totalin:TI12345678:20261120061502654321:03:P#3',
      format: 'totalin',
      kind: 'payment',
      transactionCode: '20',
      receivingAccount: { kind: 'plusgiro', number: '4411112' },
      currency: 'SEK',
      date: '2026-11-19',
      reference: '7350012345678',
      referenceKind: 'unchecked',
      serialNumber: '10000000000000001',
      payer: {
        name: 'ÖSTRA BYGG AB',
        extraName: 'EKONOMI',
        street: 'KYRKVÄGEN 3',
        postalCode: '41256',
        town: 'GÖTEBORG',
        organisationNumber: '5566778899',
        account: '8327912345',
      },
      messages: ['FAKTURA 7350012345678', 'TACK FÖR SIST', 'ÅTERSTÅR 0 KR'],
      source: { file: 'valid.txt', line: 3, section: 1 },
    });
    expect(p1.amount.toString()).toBe('1250.00');
    expect(p1.extraReferences.map((x) => [x.reference, x.line, x.amount.toString()])).toEqual([
      ['7350012345686', 4, '0.00'],
      ['ORDER 55', 4, '0.00'],
    ]);
    expect(p2).toMatchObject({ referenceKind: 'none', messages: ['TACK'], payer: { bankgiro: '56781234' } });
    expect(p2.reference).toBeUndefined();
    expect(d).toMatchObject({ kind: 'deduction', transactionCode: '25', deductionCode: '1' });
    expect(d.amount.toString()).toBe('-100.00');
    expect(p5).toMatchObject({
      receivingAccount: { kind: 'bank-account', number: '33001234567890' },
      payer: { name: 'ANNA ÅBERG' },
      source: { section: 2 },
    });
  });

  it('uses the payer block (61-63) when there is no sender', () => {
    const bytes = Buffer.from(
      fixture('valid.txt')
        .toString('latin1')
        .replace(/\r\n50ÖSTRA[^\r]*\r\n51[^\r]*\r\n52[^\r]*/, ''),
      'latin1',
    );
    const { file: f } = parseTotalIn(bytes, { mode: 'lenient' });
    expect(toPayments(f)[0]?.payer).toMatchObject({ name: 'SWEDBANK AB', town: 'STOCKHOLM' });
  });

  it('marks TOTALIN-T as a test file', () => {
    expect(parseTotalIn(fixture('valid-test-file.txt')).header?.test).toBe(true);
    expect(toPayments(parseTotalIn(fixture('valid-test-file.txt')))[0]?.id).toMatch(/:T#3$/);
  });

  it('derives control records from the objects', () => {
    const records = toRecords(file);
    expect(records.find((r) => r.type === '90')).toMatchObject({ count: '00000004', total: 585000n });
    expect(records.at(-1)).toMatchObject({ type: '99', recordCount: '000000000000025' });
  });
});

describe('physical variants are valid and written back byte for byte', () => {
  const valid = readdirSync(fixtures).filter((f) => /^(valid|warn)-.*\.txt$|^valid\.txt$/.test(f));
  for (const name of valid) {
    it(name, () => {
      const bytes = fixture(name);
      const file = parseTotalIn(bytes, { source: name });
      expect(file.accounts.flatMap((s) => s.items)).toHaveLength(5);
      expect(Buffer.from(writeTotalIn(file)).equals(bytes)).toBe(true);
    });
  }

  it('reports the physical quirks as warnings', () => {
    expect(at(lenient('valid-lf-no-final-newline.txt').issues)).toEqual([['missing_final_newline', 25, 81]]);
    expect(at(lenient('valid-stream.txt').issues)).toEqual([['line_separator', undefined, undefined]]);
    expect(at(lenient('valid-utf8.txt').issues)).toEqual([['encoding', undefined, undefined]]);
    expect(
      lenient('valid-short-lines.txt').issues.every((i) => i.code === 'record_length' && i.severity === 'warning'),
    ).toBe(true);
    expect(at(lenient('warn-tab.txt').issues)).toEqual([
      ['tab', 14, 7],
      ['record_length', 14, 75],
    ]);
    expect(at(lenient('warn-blank-line.txt').issues)).toEqual([['blank_line', 26, undefined]]);
    expect(at(lenient('warn-record-order.txt').issues)).toEqual([
      ['record_order', 8, 1],
      ['record_order', 9, 1],
      ['record_order', 10, 1],
    ]);
    expect(lenient('valid-unknown-record.txt').issues).toMatchObject([
      { code: 'unknown_record', severity: 'warning', line: 15, column: 1, record: '45' },
    ]);
  });

  it('caps repeated issues per code with a listed summary', () => {
    const bytes = fixture('valid-short-lines.txt');
    const all = parseTotalIn(bytes, { mode: 'lenient' }).issues.filter((i) => i.code === 'record_length');
    expect(all.length).toBeGreaterThan(3);
    const told: Issue[] = [];
    const { issues } = parseTotalIn(bytes, { mode: 'lenient', maxIssuesPerCode: 2, onIssue: (i) => told.push(i) });
    const lengths = issues.filter((i) => i.code === 'record_length');
    expect(lengths).toHaveLength(3);
    expect(lengths[2]).toMatchObject({ severity: 'warning', actual: String(all.length - 2) });
    expect(lengths[2]!.message).toMatch(new RegExp(`^${all.length - 2} more record_length issues not listed`));
    expect(told).toEqual(issues);
  });

  it('decodes UTF-8 before cutting columns', () => {
    const p = toPayments(parseTotalIn(fixture('valid-utf8.txt')))[0];
    expect(p?.payer.town).toBe('GÖTEBORG');
    expect(p?.messages[1]).toBe('TACK FÖR SIST');
  });

  it('checks a foreign payment against its 20 record (warning)', () => {
    const { issues } = lenient('warn-foreign-mismatch.txt');
    expect(issues).toMatchObject([
      {
        code: 'control_total_mismatch',
        severity: 'warning',
        line: 17,
        column: 39,
        expected: '440000',
        actual: '450000.0000',
      },
    ]);
  });
});

describe('one defect each', () => {
  const cases: [string, string, number | undefined, number | undefined][] = [
    ['broken-count.txt', 'count_mismatch', 20, 3],
    ['broken-total.txt', 'control_total_mismatch', 20, 11],
    ['broken-record-count.txt', 'count_mismatch', 25, 3],
    ['broken-missing-end.txt', 'missing_end', 24, 1],
    ['broken-missing-start.txt', 'missing_start', 1, 1],
    ['broken-unclosed-section.txt', 'unclosed_section', 20, 1],
    ['broken-orphan.txt', 'orphan_record', 3, 1],
    ['broken-invalid-record.txt', 'invalid_record', 14, 1],
    ['broken-amount.txt', 'invalid_amount', 22, 38],
    ['broken-truncated.txt', 'truncated_file', 22, 41],
  ];
  for (const [name, code, line, column] of cases) {
    it(`${name}: ${code} at ${line}:${column}`, () => {
      const { issues } = lenient(name);
      const hit = errors(issues).find((i) => i.code === code);
      expect(hit).toBeDefined();
      expect([hit?.line, hit?.column, hit?.source]).toEqual([line, column, name]);
      expect(() => parseTotalIn(fixture(name))).toThrow(NordfilError);
      const safe = safeParseTotalIn(fixture(name));
      expect(safe.success).toBe(false);
      if (!safe.success) expect(safe.error.issues.map((i) => i.code)).toContain(code);
    });
  }

  it('puts expected and actual on control mismatches and quotes the line', () => {
    const count = errors(lenient('broken-count.txt').issues)[0]!;
    expect([count.expected, count.actual, count.record]).toEqual(['5', '4', '90']);
    expect(count.text).toBe(fixture('broken-count.txt').toString('latin1').split('\r\n')[19]);
    const total = errors(lenient('broken-total.txt').issues)[0]!;
    expect([total.expected, total.actual]).toEqual(['586000', '585000']);
    const records = errors(lenient('broken-record-count.txt').issues)[0]!;
    expect([records.expected, records.actual]).toEqual(['24', '25']);
  });

  it('strict mode throws one error listing every issue', () => {
    try {
      parseTotalIn(fixture('broken-missing-start.txt'));
      expect.unreachable();
    } catch (e) {
      expect(NordfilError.is(e)).toBe(true);
      expect((e as NordfilError).issues.map((i) => i.code)).toEqual(['missing_start', 'count_mismatch']);
    }
  });

  it('lenient mode keeps every valid payment', () => {
    for (const [name] of cases) {
      const { file } = lenient(name);
      const lines = toPayments(file).map((p) => p.source.line);
      const expected = name === 'broken-amount.txt' || name === 'broken-truncated.txt' ? 4 : 5;
      expect(lines.length, name).toBeGreaterThanOrEqual(expected);
    }
  });

  it('rejects input that is not bytes or text', () => {
    expect(() => parseTotalIn(42 as unknown as string)).toThrow(NordfilError);
  });

  it('reports an empty input', () => {
    expect(at(parseTotalIn('', { mode: 'lenient' }).issues).map((x) => x[0])).toEqual(['missing_start', 'missing_end']);
  });
});

describe('readTotalIn (streaming)', () => {
  it('yields closed sections equal to the whole-file parse', async () => {
    const bytes = fixture('valid.txt');
    const whole = parseTotalIn(bytes);
    const reader = readTotalIn(
      (function* () {
        for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
      })(),
    );
    const sections = await collect(reader);
    expect(sections).toEqual(whole.accounts);
    expect(reader.header).toEqual(whole.header);
    expect(reader.trailer).toEqual(whole.trailer);
    expect(reader.layout).toMatchObject({ encoding: 'latin1', lineEnding: '\r\n', finalTerminator: true });
  });

  it('yields payments equal to toPayments', async () => {
    const bytes = fixture('valid-utf8.txt');
    const payments = await collect(readTotalIn(bytes, { yield: 'payments', source: 'x' }));
    expect(payments).toEqual(toPayments(parseTotalIn(bytes), { source: 'x' }));
  });

  it('reads a web ReadableStream and text chunks', async () => {
    const bytes = fixture('valid-stream.txt');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes.subarray(0, 100));
        c.enqueue(bytes.subarray(100));
        c.close();
      },
    });
    expect(await collect(readTotalIn(stream))).toHaveLength(2);
    expect(
      await collect(readTotalIn([bytes.toString('latin1').slice(0, 90), bytes.toString('latin1').slice(90)])),
    ).toHaveLength(2);
  });

  it('strict mode throws at the first error without yielding the bad section', async () => {
    const seen: TotalInAccountSection[] = [];
    await expect(async () => {
      for await (const s of readTotalIn(fixture('broken-total.txt'))) seen.push(s);
    }).rejects.toThrow(NordfilError);
    expect(seen).toHaveLength(0);
  });

  it('lenient mode collects issues and yields everything', async () => {
    const reader = readTotalIn(fixture('broken-count.txt'), { mode: 'lenient', yield: 'payments' });
    expect(await collect(reader)).toHaveLength(5);
    expect(reader.issues.map((i) => i.code)).toEqual(['count_mismatch']);
  });

  it('can be iterated once', async () => {
    const reader = readTotalIn(fixture('valid.txt'));
    await collect(reader);
    expect(() => reader[Symbol.asyncIterator]()).toThrow(TypeError);
  });
});

describe('writeTotalIn', () => {
  it('writes a file built in code in canonical form with derived control records', () => {
    const file = parseTotalIn(fixture('valid-short-lines.txt'));
    const { physical: _p, ...plain } = file;
    const out = Buffer.from(writeTotalIn(plain)).toString('latin1');
    expect(out).toBe(fixture('valid.txt').toString('latin1'));
  });

  it('changes line endings and encoding on request', () => {
    const file = parseTotalIn(fixture('valid.txt'));
    const lf = Buffer.from(writeTotalIn(file, { lineEnding: '\n', finalTerminator: false })).toString('latin1');
    expect(lf).toBe(fixture('valid-lf-no-final-newline.txt').toString('latin1'));
    expect(Buffer.from(writeTotalIn(file, { encoding: 'utf-8' })).equals(fixture('valid-utf8.txt'))).toBe(true);
  });

  it('recomputes 90 and 99 after an edit', () => {
    const file = parseTotalIn(fixture('valid.txt'));
    file.accounts[0]!.items.pop();
    const again = parseTotalIn(writeTotalIn(file));
    expect(again.accounts[0]!.closing?.count).toBe(3);
    expect(again.accounts[0]!.closing?.total.toString()).toBe('5950.00');
    expect(again.trailer?.recordCount).toBe(23);
  });
});

describe('parseTotalInAsync: a whole file from a stream', () => {
  const bytesOf = (name: string) => readFileSync(join(fixtures, name));

  it('gives what parseTotalIn gives, for every fixture, from a Node stream', async () => {
    const { Readable } = await import('node:stream');
    for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.txt'))) {
      const bytes = bytesOf(name);
      const chunks = [bytes.subarray(0, 97), bytes.subarray(97, 1000), bytes.subarray(1000)];
      expect(await parseTotalInAsync(Readable.from(chunks), { mode: 'lenient', source: name })).toEqual(
        parseTotalIn(bytes, { mode: 'lenient', source: name }),
      );
      expect(await safeParseTotalInAsync(Readable.from(chunks), { source: name })).toEqual(
        safeParseTotalIn(bytes, { source: name }),
      );
    }
  });

  it('strict: throws one error listing every issue', async () => {
    const bytes = bytesOf('broken-total.txt');
    const error = await parseTotalInAsync([bytes]).catch((e: unknown) => e);
    expect(NordfilError.is(error) && error.issues).toEqual(parseTotalIn(bytes, { mode: 'lenient' }).issues);
  });

  it('refuses what is not bytes, a string or a stream, with a typed error', async () => {
    const error = await parseTotalInAsync(42 as unknown as Uint8Array).catch((e: unknown) => e);
    expect(NordfilError.is(error) && error.issues[0]?.code).toBe('invalid_input');
  });
});
