import {
  type BgmaxFile,
  type BgmaxSection,
  parseBgmax,
  parseBgmaxAsync,
  readBgmax,
  safeParseBgmax,
  safeParseBgmaxAsync,
  summarizeSection,
  writeBgmax,
} from '@nordfil/bgmax';
import { NordfilError, type Payment } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { fixture, fixtureText, insertLine, latin1, pad, replaceLine, where } from '../test/support.js';

const basic = fixtureText('valid-basic.txt');

describe('parseBgmax: the object tree', () => {
  const file = parseBgmax(fixture('valid-basic.txt'), { source: 'valid-basic.txt' });

  it('reads the header with the full-precision timestamp', () => {
    expect(file.header).toEqual({
      layoutName: 'BGMAX',
      layoutVersion: '01',
      timestamp: '20261123093015123456',
      writtenAt: '2026-11-23T09:30:15.123456',
      test: false,
      line: 1,
    });
  });

  it('groups items into sections with their children attached', () => {
    expect(file.sections).toHaveLength(2);
    const [s1, s2] = file.sections as [BgmaxSection, BgmaxSection];
    expect(s1).toMatchObject({ bankgiro: '0009912346', currency: 'SEK', line: 2 });
    expect(s1.plusgiro).toBeUndefined();
    expect(s2.plusgiro).toBe('0001234567');
    expect(s1.items.map((i) => [i.kind, i.amount.toString(), i.line])).toEqual([
      ['payment', '1000.00', 3],
      ['payment', '2500.50', 10],
      ['deduction', '-200.00', 11],
    ]);
    const p = s1.items[0]!;
    expect(p).toMatchObject({
      senderBankgiro: '0003783511',
      reference: '65599',
      referenceCode: '2',
      channel: '1',
      serialNumber: '000120000018',
      imageFlag: '0',
      informationTexts: [' Faktura 65599 och 65600'],
      name: 'Kalles Plåt AB',
      extraName: 'Avd. Ekonomi',
      address: 'Storgatan 2',
      postalCode: '12345',
      town: 'STORÅKER',
      organisationNumber: '005500001234',
    });
    expect(p.extraReferences).toHaveLength(1);
    expect(p.extraReferences[0]).toMatchObject({ negative: false, reference: '65600', referenceCode: '2', line: 4 });
    expect(p.extraReferences[0]!.amount.isZero()).toBe(true);
    expect(s1.items[1]!.reference).toBe('Faktura 12 och 13');
    expect(s1.items[2]!.deductionCode).toBe('1');
    const credit = s2.items[0]!.extraReferences[0]!;
    expect(credit).toMatchObject({ negative: true, reference: 'KREDIT 9' });
    expect(credit.amount.toString()).toBe('-100.00');
    expect(s2.items[0]).toMatchObject({ town: 'OSLO', country: 'NORGE', countryCode: 'NO', postalCode: '0155' });
  });

  it('reads the deposit (TK15) and the trailer (TK70) as declared', () => {
    const d = file.sections[0]!.deposit!;
    expect(d).toMatchObject({
      bankAccount: { clearing: '5841', account: '1009823' },
      paymentDate: '2026-11-23',
      serialNumber: '00042',
      currency: 'SEK',
      count: 3,
      depositType: '',
      line: 12,
    });
    expect(d.amount!.toString()).toBe('3300.50');
    expect(file.sections[1]!.deposit!.depositType).toBe('K');
    expect(file.trailer).toEqual({ payments: 3, deductions: 1, extraReferences: 2, deposits: 2, line: 20 });
  });

  it('summarizes sections for comparison with TK15', () => {
    const s = summarizeSection(file.sections[0]!);
    expect(s).toMatchObject({ totalMinor: 330050n, payments: 2, deductions: 1, extraReferences: 1 });
    expect(s.total.equals(file.sections[0]!.deposit!.amount!)).toBe(true);
  });

  it('records the layout on disk', () => {
    expect(file.format).toEqual({ encoding: 'latin1', bom: false, lineEnding: '\r\n', finalTerminator: true });
    expect(parseBgmax(fixture('valid-stream.txt')).format).toMatchObject({ lineEnding: '', finalTerminator: false });
  });

  it('gives the same objects for CRLF, LF, and a stream without separators', () => {
    const strip = (f: BgmaxFile) => JSON.stringify(f.sections);
    expect(strip(parseBgmax(fixture('valid-stream.txt')))).toBe(strip(file));
    expect(strip(parseBgmax(fixture('valid-lf.txt')))).toBe(strip(file));
  });
});

describe('the quirks of Bankgirot example files parse in strict mode, with warnings', () => {
  it('valid-quirks.txt', () => {
    const r = safeParseBgmax(fixture('valid-quirks.txt'));
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(where(r.warnings)).toEqual([
      'record_length@1:46',
      'field_format@3:3',
      'tab@4:13',
      'record_length@4:71',
      'field_format@4:3',
      'record_length@5:81',
      'field_format@7:3',
      'record_length@8:80',
      'obsolete_currency@9:23',
      'unknown_record@11:1',
      'record_length@13:35',
      'blank_line@14:-',
      'blank_line@15:-',
    ]);
    const [s1, s2] = r.data.sections as [BgmaxSection, BgmaxSection];
    expect(s1.items[0]!.senderBankgiro).toBe('009701233');
    expect(s1.items[0]!.extraReferences[0]!.reference).toBe('65600');
    expect(s1.items[0]!.organisationNumber).toBe('00550000432');
    expect(s2.currency).toBe('EUR');
    expect(s2.items[0]!.amount.currency).toBe('EUR');
    expect(s2.items[0]!.extra).toEqual([{ code: '99', raw: pad('99A RECORD TYPE FROM A LATER VERSION'), line: 11 }]);
  });

  it('valid-autogiro.txt (cut records, left-aligned references, LF, no final newline)', () => {
    const r = safeParseBgmax(fixture('valid-autogiro.txt'));
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(r.data.sections[0]!.items.map((i) => [i.reference, i.channel, i.serialNumber])).toEqual([
      ['65598', '4', ''],
      ['84629', '4', ''],
    ]);
    expect(where(r.warnings)).toContain('missing_final_newline@7:-');
  });

  it('valid-stream.txt warns about the missing separators', () => {
    const r = safeParseBgmax(fixture('valid-stream.txt'));
    expect(r.success && where(r.warnings)).toEqual(['line_separator@-:-']);
  });

  it('a newer EUR section is an error (EUR sections ended 2016-10-31)', () => {
    const text = replaceLine(fixtureText('valid-quirks.txt'), 1, pad('01BGMAX               0120170101120000000000P'));
    const { issues } = parseBgmax(text, { mode: 'lenient' });
    expect(issues.find((i) => i.code === 'obsolete_currency')).toMatchObject({ severity: 'error', line: 9 });
  });
});

describe('one defect per broken fixture: code, line, column', () => {
  const cases: [string, string[]][] = [
    ['broken-control-total.txt', ['control_total_mismatch@12:51']],
    ['broken-count.txt', ['count_mismatch@12:72']],
    ['broken-trailer.txt', ['count_mismatch@20:27']],
    ['broken-currency.txt', ['currency_mismatch@12:69']],
    ['broken-orphan.txt', ['orphan_record@14:1']],
    ['broken-unclosed.txt', ['unclosed_section@2:1', 'count_mismatch@19:27']],
    ['broken-missing-end.txt', ['missing_end@19:1']],
    ['broken-missing-start.txt', ['missing_start@1:1']],
    ['broken-amount.txt', ['invalid_amount@3:38']],
    ['broken-record-code.txt', ['invalid_record@6:1']],
    ['broken-empty-section.txt', ['section_without_payments@14:1', 'count_mismatch@15:3']],
    ['broken-negative.txt', ['control_total_mismatch@12:51', 'negative_total@12:1']],
  ];
  for (const [name, expected] of cases) {
    it(name, () => {
      const { issues } = parseBgmax(fixture(name), { mode: 'lenient', source: name });
      expect(where(issues, 'error')).toEqual(expected);
      expect(() => parseBgmax(fixture(name))).toThrow(NordfilError);
    });
  }

  it('broken-truncated.txt: unclosed section, missing end, truncated file', () => {
    const { issues } = parseBgmax(fixture('broken-truncated.txt'), { mode: 'lenient' });
    expect(where(issues, 'error')).toEqual(
      expect.arrayContaining(['unclosed_section@13:1', 'missing_end@14:1', 'truncated_file@14:41']),
    );
  });

  it('control totals carry expected (from the records) and actual (declared) values', () => {
    const { issues } = parseBgmax(fixture('broken-control-total.txt'), { mode: 'lenient' });
    expect(issues[0]).toMatchObject({ record: 'TK15', field: 'amount', expected: '330050', actual: '330051' });
    const t = parseBgmax(fixture('broken-trailer.txt'), { mode: 'lenient' }).issues[0];
    expect(t).toMatchObject({ record: 'TK70', field: 'deposits', expected: '2', actual: '3' });
  });

  it('strict mode throws one NordfilError listing every issue', () => {
    try {
      parseBgmax(fixture('broken-unclosed.txt'), { source: 'x.txt' });
      expect.unreachable();
    } catch (e) {
      expect(NordfilError.is(e)).toBe(true);
      expect((e as NordfilError).issues.map((i) => i.code)).toEqual(['unclosed_section', 'count_mismatch']);
      expect((e as NordfilError).issues[0]!.source).toBe('x.txt');
    }
  });

  it('safeParseBgmax returns the error instead of throwing', () => {
    const r = safeParseBgmax(fixture('broken-count.txt'));
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.code).toBe('count_mismatch');
  });
});

describe('structure checks', () => {
  it('a child before any payment is an orphan (error) and is kept aside', () => {
    const { file, issues } = parseBgmax(insertLine(basic, 3, pad('26Ingen')), { mode: 'lenient' });
    expect(where(issues, 'error')).toEqual(['orphan_record@3:1']);
    expect(file.sections[0]!.extra).toEqual([{ code: '26', raw: pad('26Ingen'), line: 3 }]);
  });

  it('children out of order give a record_order warning', () => {
    const text = replaceLine(replaceLine(basic, 5, pad('26Kalles Plåt AB')), 6, pad('25 Faktura'));
    const r = safeParseBgmax(text);
    expect(r.success && where(r.warnings)).toEqual(['record_order@6:1']);
  });

  it('a second TK26 for one payment is an error; the record is kept aside', () => {
    const { file, issues } = parseBgmax(insertLine(basic, 7, pad('26Andra namnet')), { mode: 'lenient' });
    expect(where(issues, 'error')).toEqual(['unexpected_record@7:1']);
    expect(file.sections[0]!.items[0]!.extra?.[0]).toMatchObject({ code: '26', line: 7 });
  });

  it('records after TK70 and a second TK01 are unexpected', () => {
    expect(where(parseBgmax(`${basic}${pad('25Efter slutet')}\r\n`, { mode: 'lenient' }).issues, 'error')).toEqual([
      'unexpected_record@21:1',
    ]);
    expect(
      where(parseBgmax(insertLine(basic, 13, basic.split('\r\n')[0]!), { mode: 'lenient' }).issues, 'error'),
    ).toEqual(['unexpected_record@13:1']);
  });

  it('a payment outside any section is an error', () => {
    const text = insertLine(basic, 13, basic.split('\r\n')[2]!);
    expect(where(parseBgmax(text, { mode: 'lenient' }).issues, 'error')).toEqual([
      'unexpected_record@13:1',
      'count_mismatch@21:3',
    ]);
  });

  it('an empty input has neither start nor end', () => {
    expect(where(parseBgmax('', { mode: 'lenient' }).issues, 'error')).toEqual([
      'missing_start@-:-',
      'missing_end@-:-',
    ]);
  });

  it('many repeated issues are capped per code with a summary', () => {
    const text = Array.from({ length: 30 }, () => '25x').join('\r\n');
    const { issues } = parseBgmax(text, { mode: 'lenient', maxIssuesPerCode: 5 });
    const lengths = issues.filter((i) => i.code === 'record_length');
    expect(lengths).toHaveLength(6);
    expect(lengths[5]!.message).toMatch(/25 more record_length issues/);
  });
});

describe('encodings', () => {
  it('detects UTF-8 (a re-encoded copy) and warns', () => {
    const utf8 = new TextEncoder().encode(basic);
    const { file, issues } = parseBgmax(utf8, { mode: 'lenient' });
    expect(where(issues)).toEqual(['encoding@-:-']);
    expect(file.sections[0]!.items[0]!.name).toBe('Kalles Plåt AB');
    expect(file.format?.encoding).toBe('utf-8');
  });

  it('strips a UTF-8 byte order mark', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(basic)]);
    const r = safeParseBgmax(bytes);
    expect(r.success).toBe(true);
    if (r.success) expect(r.data.format).toMatchObject({ encoding: 'utf-8', bom: true });
  });

  it('reads latin-1 by default and honours an explicit encoding', () => {
    expect(parseBgmax(fixture('valid-basic.txt'), { encoding: 'latin1' }).sections[0]!.items[0]!.town).toBe('STORÅKER');
    const { issues } = parseBgmax(fixture('valid-basic.txt'), { encoding: 'utf-8', mode: 'lenient' });
    expect(issues.map((i) => i.code)).toContain('replacement_character');
  });

  it('accepts a string', () => {
    expect(parseBgmax(basic).sections).toHaveLength(2);
  });
});

describe('readBgmax: streaming', () => {
  async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  }
  function* chunks(bytes: Uint8Array, size: number): Generator<Uint8Array> {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }

  it('yields the same sections as the whole-file parse, for any chunking', async () => {
    const bytes = fixture('valid-quirks.txt');
    const whole = JSON.stringify(parseBgmax(bytes).sections);
    for (const size of [1, 7, 80, 4096]) {
      const reader = readBgmax(chunks(bytes, size));
      expect(JSON.stringify(await collect(reader))).toBe(whole);
      expect(where(reader.issues)).toContain('tab@4:13');
      expect(reader.header?.timestamp).toBe('20040525173035010331');
      expect(reader.trailer).toMatchObject({ payments: 2, deposits: 2 });
    }
  });

  it('yields payments dated by their TK15', async () => {
    const payments = await collect(readBgmax(fixture('valid-basic.txt'), { yield: 'payments', source: 'b.txt' }));
    expect(payments.map((p: Payment) => [p.transactionCode, p.amount.toString(), p.date, p.source.section])).toEqual([
      ['20', '1000.00', '2026-11-23', 1],
      ['20', '2500.50', '2026-11-23', 1],
      ['21', '-200.00', '2026-11-23', 1],
      ['20', '500.00', '2026-11-23', 2],
    ]);
    expect(payments[0]!.source.file).toBe('b.txt');
  });

  it('reads a web ReadableStream and an async iterable', async () => {
    const bytes = fixture('valid-stream.txt');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks(bytes, 100)) c.enqueue(ch);
        c.close();
      },
    });
    expect(await collect(readBgmax(stream))).toHaveLength(2);
    async function* gen() {
      yield* chunks(bytes, 33);
    }
    expect(await collect(readBgmax(gen()))).toHaveLength(2);
  });

  it('strict: throws before yielding a section with an error', async () => {
    const reader = readBgmax(chunks(fixture('broken-control-total.txt'), 50));
    await expect(collect(reader)).rejects.toThrow(NordfilError);
  });

  it('lenient: yields every section and collects the issues', async () => {
    const reader = readBgmax(fixture('broken-trailer.txt'), { mode: 'lenient' });
    expect(await collect(reader)).toHaveLength(2);
    expect(where(reader.issues, 'error')).toEqual(['count_mismatch@20:27']);
  });

  it('reports a missing end and an unclosed section at the end of input', async () => {
    const reader = readBgmax(fixture('broken-truncated.txt'), { mode: 'lenient' });
    const sections = await collect(reader);
    expect(sections).toHaveLength(2);
    expect(sections[1]!.deposit).toBeUndefined();
    expect(reader.issues.map((i) => i.code)).toEqual(
      expect.arrayContaining(['unclosed_section', 'missing_end', 'truncated_file']),
    );
  });

  it('decides the encoding the same way for every chunking (UTF-8 split across chunks)', async () => {
    const bytes = new TextEncoder().encode(basic);
    for (const size of [1, 2, 3, 5]) {
      const sections = await collect(readBgmax(chunks(bytes, size), { mode: 'lenient' }));
      expect(sections[0]!.items[0]!.town).toBe('STORÅKER');
    }
  });

  it('a reader is iterated once', async () => {
    const reader = readBgmax(latin1(basic));
    await collect(reader);
    expect(() => reader[Symbol.asyncIterator]()).toThrow(TypeError);
  });
});

describe('parseBgmaxAsync: a whole file from a stream', () => {
  function* chunks(bytes: Uint8Array, size: number): Generator<Uint8Array> {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const names = [
    'valid-basic.txt',
    'valid-quirks.txt',
    'valid-lf.txt',
    'valid-stream.txt',
    'valid-autogiro.txt',
    'broken-amount.txt',
    'broken-control-total.txt',
    'broken-count.txt',
    'broken-missing-end.txt',
    'broken-orphan.txt',
    'broken-record-code.txt',
    'broken-truncated.txt',
    'broken-unclosed.txt',
  ];

  it('gives the file and issues parseBgmax gives, for every fixture and chunking', async () => {
    for (const name of names) {
      const bytes = fixture(name);
      const lenient = parseBgmax(bytes, { mode: 'lenient', source: name });
      const safe = safeParseBgmax(bytes, { source: name });
      for (const size of [1, 7, 80, 4096]) {
        expect(await parseBgmaxAsync(chunks(bytes, size), { mode: 'lenient', source: name })).toEqual(lenient);
        expect(await safeParseBgmaxAsync(chunks(bytes, size), { source: name })).toEqual(safe);
      }
    }
  });

  it('strict: returns the file, or throws one error listing every issue', async () => {
    const valid = fixture('valid-basic.txt');
    expect(await parseBgmaxAsync(chunks(valid, 64))).toEqual(parseBgmax(valid));
    const broken = fixture('broken-control-total.txt');
    const error = await parseBgmaxAsync(chunks(broken, 64), { source: 'b.txt' }).catch((e: unknown) => e);
    expect(NordfilError.is(error)).toBe(true);
    expect((error as NordfilError).issues).toEqual(parseBgmax(broken, { mode: 'lenient', source: 'b.txt' }).issues);
    expect((error as NordfilError).issues.map((i) => i.source)).toContain('b.txt');
  });

  it('reads a Node stream and a web ReadableStream', async () => {
    const bytes = fixture('valid-stream.txt');
    const web = new ReadableStream<Uint8Array>({
      start(c) {
        for (const ch of chunks(bytes, 100)) c.enqueue(ch);
        c.close();
      },
    });
    expect(await parseBgmaxAsync(web)).toEqual(parseBgmax(bytes));
    const { Readable } = await import('node:stream');
    expect(await parseBgmaxAsync(Readable.from(chunks(bytes, 333)))).toEqual(parseBgmax(bytes));
  });

  it('bytes are parsed as parseBgmax parses them: a file with quirks writes back as read', async () => {
    const bytes = fixture('valid-quirks.txt');
    const file = await parseBgmaxAsync(bytes);
    expect(Buffer.from(writeBgmax(file)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('a stream keeps no original: a file with quirks writes back as canonical records', async () => {
    const bytes = fixture('valid-quirks.txt');
    const file = await parseBgmaxAsync(chunks(bytes, 100));
    const written = writeBgmax(file);
    expect(Buffer.from(written).equals(Buffer.from(bytes))).toBe(false);
    // canonical: CRLF, full 80-column records; the layout quirks are gone, the content's warnings stay
    const codes = (b: Uint8Array) => parseBgmax(b, { mode: 'lenient' }).issues.map((x) => x.code);
    expect(codes(bytes)).toEqual(expect.arrayContaining(['tab', 'blank_line']));
    expect(codes(written)).not.toEqual(expect.arrayContaining(['tab']));
    expect(codes(written)).not.toEqual(expect.arrayContaining(['blank_line']));
    const lines = Buffer.from(written).toString('latin1').split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines.every((l) => l.length === 80)).toBe(true);
  });

  it('auto encoding: a file mixing the two is decided alike whole and streamed (the 64 KiB from its first letter)', async () => {
    // line 6 (å) in UTF-8, the rest latin-1 (Å on line 8): the bytes from the first letter on are not valid UTF-8
    const lines = basic.split('\r\n');
    const bytes = Buffer.concat(
      lines.map((l, i) => Buffer.from(i < lines.length - 1 ? `${l}\r\n` : l, i === 5 ? 'utf8' : 'latin1')),
    );
    const whole = parseBgmax(bytes, { mode: 'lenient' });
    const streamed = await parseBgmaxAsync(
      Array.from({ length: Math.ceil(bytes.length / 100) }, (_, i) => bytes.subarray(i * 100, (i + 1) * 100)),
      { mode: 'lenient' },
    );
    const sections = await (async () => {
      const out: BgmaxSection[] = [];
      for await (const s of readBgmax([bytes], { mode: 'lenient' })) out.push(s);
      return out;
    })();
    expect(whole.file.format?.encoding).toBe('latin1');
    expect(streamed.file.format?.encoding).toBe('latin1');
    expect(streamed.file.sections).toEqual(whole.file.sections);
    expect(sections).toEqual(whole.file.sections);
    expect(streamed.issues).toEqual(whole.issues);
    // the UTF-8 letter read as latin-1 is reported
    expect(whole.issues.map((i) => i.code)).toContain('suspicious_text');
  });

  it('refuses what is not bytes, a string or a stream, with a typed error', async () => {
    const error = await parseBgmaxAsync(42 as unknown as Uint8Array).catch((e: unknown) => e);
    expect(NordfilError.is(error) && error.issues[0]?.code).toBe('invalid_input');
  });
});
