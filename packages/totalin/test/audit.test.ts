// Defects found by an audit, one describe block each (the numbers are the audit's).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Issue, NordfilError, type Payment } from '@nordfil/core';
import {
  parseTotalIn,
  parseTotalInAsync,
  readTotalIn,
  safeParseTotalIn,
  type TotalInEncoding,
  toPayments,
  writeTotalIn,
} from '@nordfil/totalin';
import { parseTotalInRecords, writeTotalInRecords } from '@nordfil/totalin/records';
import { describe, expect, it } from 'vitest';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));
const valid = fixture('valid.txt');
/** The 25 lines of valid.txt, without terminators. */
const base = valid.toString('latin1').split('\r\n').slice(0, -1);
const latin1 = (s: string) => Buffer.from(s, 'latin1');
const crlf = (lines: readonly string[]) => latin1(`${lines.join('\r\n')}\r\n`);
const edit = (n: number, text: string) => base.map((l, i) => (i === n - 1 ? text : l));
const lenient = (b: Uint8Array | string) => parseTotalIn(b, { mode: 'lenient' });
const codes = (issues: readonly Issue[]) => issues.map((i) => i.code);
/** What a payment is, without where it was (line numbers move when blank lines are added). */
const essence = (ps: readonly Payment[]) => ps.map((p) => [p.kind, p.amount.toString(), p.reference, p.date]);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function chunks(b: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; i += size) out.push(b.subarray(i, i + size));
  return out;
}

describe('1: mixed line separators are a warning', () => {
  const text = valid.toString('latin1');
  const variants: [string, string, number][] = [
    ['one extra LF at the end', `${text}\n`, 26],
    ['CRLF turned into CR CR LF', text.replace(/\r\n/g, '\r\r\n'), 2],
    ['only the last record ended with LF', text.replace(/\r\n$/, '\n'), 25],
  ];
  const payments = essence(toPayments(parseTotalIn(valid)));
  for (const [name, input, line] of variants) {
    it(name, async () => {
      const bytes = latin1(input);
      const file = parseTotalIn(bytes); // strict: no error
      expect(essence(toPayments(file))).toEqual(payments);
      const sep = lenient(bytes).issues.filter((i) => i.code === 'line_separator');
      expect(sep).toHaveLength(1);
      expect(sep[0]).toMatchObject({ severity: 'warning', line, column: expect.any(Number) });
      expect(sep[0]?.text).toBeDefined();
      expect(essence(await collect(readTotalIn(chunks(bytes, 7), { yield: 'payments' })))).toEqual(payments);
    });
  }

  it('quotes the line and names its record', () => {
    const bytes = latin1(text.replace(/\r\n(?=99)/, '\n'));
    const sep = lenient(bytes).issues.find((i) => i.code === 'line_separator');
    expect(sep).toMatchObject({ line: 24, column: 81, record: '90', text: base[23], expected: '"\\r\\n"' });
  });
});

describe('2: a record read is written back as read, whatever its warnings', () => {
  const cases: [string, number, string][] = [
    ['deduction code 3 (reserved)', 18, `${base[17]!.slice(0, 69)}3${base[17]!.slice(70)}`],
    ['exchange rate with a blank', 17, `${base[16]!.slice(0, 66)} 0${base[16]!.slice(68)}`],
    ['blank exchange rate', 17, `${base[16]!.slice(0, 56)}${' '.repeat(12)}${base[16]!.slice(68)}`],
    ['blank original amount', 17, `${base[16]!.slice(0, 38)}${' '.repeat(15)}${base[16]!.slice(53)}`],
  ];
  for (const [name, n, line] of cases) {
    it(name, () => {
      expect(line).toHaveLength(80);
      const bytes = crlf(edit(n, line));
      const file = parseTotalIn(bytes); // accepted by strict parsing (warnings at most)
      expect(Buffer.from(writeTotalIn(file)).equals(bytes)).toBe(true);
      const records = parseTotalInRecords(bytes);
      expect(Buffer.from(writeTotalInRecords(records.records, records.layout)).equals(bytes)).toBe(true);
    });
  }

  it('models a blank original amount as absent and writes blanks back', () => {
    const line = `${base[16]!.slice(0, 38)}${' '.repeat(15)}${base[16]!.slice(53)}`;
    const file = parseTotalIn(crlf(edit(17, line)));
    const foreign = file.accounts[0]!.items[2]!.foreign;
    expect(foreign?.originalAmount).toBeUndefined();
    const { physical: _p, ...built } = file; // written canonically, from the objects alone
    const out = Buffer.from(writeTotalIn(built)).toString('latin1').split('\r\n');
    expect(out[16]).toBe(line);
  });
});

describe('3: the original amount of a 70 record has 2 decimals whatever the currency', () => {
  const foreignLine = (amount: string, currency: string, rate: string) =>
    `70${'0'.repeat(15)}${' '.repeat(21)}${amount}${currency}${rate}`.padEnd(80);
  for (const [currency, amount, rate, minor, text] of [
    ['JPY', '000000010000000', '000000000880', '000000000880000', '100000'],
    ['ISK', '000000000123456', '000000007000', '000000000086419', '1234.56'],
    ['EUR', '000000000100000', '000000088000', '000000000880000', '1000.00'],
  ] as const) {
    it(`${currency} ${amount}`, () => {
      const payment = `${base[2]!.slice(0, 37)}${minor}${base[2]!.slice(52)}`;
      const lines = [base[0]!, base[1]!, payment, foreignLine(amount, currency, rate)];
      const closing = `90${'1'.padStart(8, '0')}${minor.padStart(17, '0')}20261119001`.padEnd(80);
      const bytes = crlf([...lines, closing, '99000000000000006'.padEnd(80)]);
      const { file, issues } = lenient(bytes);
      expect(issues).toEqual([]);
      const original = file.accounts[0]!.items[0]!.foreign!.originalAmount!;
      expect([original.toString(), original.currency]).toEqual([text, currency]);
      expect(original.amount.toFixed(2)).toBe(`${BigInt(amount) / 100n}.${amount.slice(-2)}`);
      expect(Buffer.from(writeTotalIn(file)).equals(bytes)).toBe(true);
      const { physical: _p, ...built } = file;
      expect(Buffer.from(writeTotalIn(built)).equals(bytes)).toBe(true);
    });
  }
});

describe('4: text that is not latin-1 is reported', () => {
  const name = (text: string) => crlf(edit(7, `50${text}`.padEnd(80)));
  for (const [what, text, column, code] of [
    ['a C1 byte (CP850 Ö)', 'S\x99DERBERG', 4, 'suspicious_text'],
    ['a Windows-1252 quote', 'A \x93B\x94', 5, 'suspicious_text'],
    ['NUL', 'A\x00B', 4, 'suspicious_text'],
    ['0x01', 'A\x01B', 4, 'suspicious_text'],
  ] as const) {
    it(what, () => {
      const hits = lenient(name(text)).issues;
      expect(hits).toMatchObject([
        { code, severity: 'warning', line: 7, column, record: '50', field: 'name', text: `50${text}`.padEnd(80) },
      ]);
    });
  }

  it('characters above U+00FF in string input: not_latin1', () => {
    const input = `${edit(7, '50CAFÉ € AB'.padEnd(80)).join('\r\n')}\r\n`;
    expect(lenient(input).issues).toMatchObject([
      { code: 'not_latin1', line: 7, column: 8, record: '50', field: 'name', actual: '€' },
    ]);
  });

  it('the Swedish letters pass without an issue', () => {
    expect(lenient(name('ÅSA ÖBERG ÄNGEL åäö é ü')).issues).toEqual([]);
  });
});

describe('5: whole and streaming parsers decode a UTF-8 file alike, wherever its first letter is', () => {
  it('first non-ASCII byte after 64 KiB', async () => {
    const n = 900;
    const lines = [base[0]!, base[1]!];
    for (let i = 0; i < n; i++) lines.push(`${base[2]!.slice(0, 37)}000000000001000${base[2]!.slice(52)}`);
    lines.push('50SÖDERBERG AB'.padEnd(80), `90${String(n).padStart(8, '0')}${String(n * 1000).padStart(17, '0')}`);
    lines.push(`99${String(lines.length + 1).padStart(15, '0')}`);
    const bytes = Buffer.from(`${lines.map((l) => l.padEnd(80)).join('\r\n')}\r\n`, 'utf8');
    expect(bytes.findIndex((b) => b >= 0x80)).toBeGreaterThan(64 * 1024);
    const whole = parseTotalIn(bytes, { mode: 'lenient' });
    expect(toPayments(whole.file).at(-1)?.payer.name).toBe('SÖDERBERG AB');
    for (const size of [65536, 4096, 1000]) {
      const streamed = await collect(readTotalIn(chunks(bytes, size), { yield: 'payments' }));
      expect(streamed).toEqual(toPayments(whole.file));
      expect(await parseTotalInAsync(chunks(bytes, size), { mode: 'lenient' })).toEqual(whole);
    }
  });
});

describe('6: strict streaming says nothing about the input it did not read', () => {
  it('no missing_end after stopping at an error', async () => {
    // a bad 90 total on the last line, which the line splitter hands out only at the end of input
    const lines = edit(24, `90000000010000000000000990120261119002`.padEnd(80)).slice(0, 24);
    const bytes = latin1(lines.join('\r\n'));
    for (const size of [bytes.length, 80, 7]) {
      const reader = readTotalIn(chunks(bytes, size));
      const error = await collect(reader).catch((e: unknown) => e);
      expect(NordfilError.is(error) && codes(error.issues)).toEqual(['control_total_mismatch']);
    }
  });
});

describe('7: records after the 99', () => {
  it('are reported, and the file is not said to lack its 99', () => {
    const stray = [base[20]!, base[21]!, base[23]!]; // 10, 20, 90
    const { file, issues } = lenient(crlf([...base, ...stray]));
    expect(issues.map((i) => [i.code, i.line])).toEqual([
      ['unexpected_record', 26],
      ['unexpected_record', 27],
      ['unexpected_record', 28],
    ]);
    expect(toPayments(file)).toHaveLength(6); // nothing dropped
  });
});

describe('8: a line longer than 1 MiB', () => {
  // a valid file of 7,000 payments in its second section (1.15 MB), written with CRLF
  const big = (() => {
    const f = parseTotalIn(valid);
    const second = f.accounts[1]!;
    const items = Array.from({ length: 7000 }, () => second.items[0]!);
    // a file built in code (no layout as read): the writer derives the 90 and 99 records
    const { physical: _read, ...built } = f;
    const file = { ...built, accounts: [f.accounts[0]!, { ...second, closing: undefined, items }] };
    return Buffer.from(writeTotalIn(file)).toString('latin1');
  })();
  // the same records with no line ending after the first line: one line of 1.15 MB
  const firstEnd = big.indexOf('\r\n') + 2;
  const runOn = latin1(big.slice(0, firstEnd) + big.slice(firstEnd).replaceAll('\r\n', ''));
  const expected = parseTotalIn(big);

  it('is read on as 80-character records with a warning: records whose line endings were lost are read', () => {
    const { file, issues } = lenient(runOn);
    expect(toPayments(file)).toEqual(toPayments(expected));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(issues.find((i) => i.code === 'line_separator')).toMatchObject({
      severity: 'warning',
      line: 2,
      column: 1,
      record: '10',
    });
    // strict mode accepts it (a warning)
    expect(toPayments(parseTotalIn(runOn))).toHaveLength(toPayments(expected).length);
  });

  it('streams the same in any chunking, issues in the same order', async () => {
    const whole = lenient(runOn);
    for (const size of [1_100_000, 65_536, 4099]) {
      const reader = readTotalIn(chunks(runOn, size), { mode: 'lenient', yield: 'payments' });
      expect(await collect(reader)).toEqual(toPayments(whole.file));
      expect(reader.issues).toEqual(whole.issues);
    }
  });

  it('junk on such a line is reported record by record, and the payments after it are kept', async () => {
    const junk = `zz${'x'.repeat(1_100_000)}`;
    const bytes = crlf([...base.slice(0, 13), junk, ...base.slice(13)]);
    const { file, issues } = lenient(bytes);
    expect(essence(toPayments(file))).toEqual(essence(toPayments(parseTotalIn(valid))));
    expect(issues[0]).toMatchObject({ code: 'line_separator', severity: 'warning', line: 14, record: 'zz' });
    expect(issues.some((i) => i.severity === 'error' && i.line === 14)).toBe(true);
    expect(safeParseTotalIn(bytes).success).toBe(false);
    const reader = readTotalIn(chunks(bytes, 65_536), { mode: 'lenient', yield: 'payments' });
    expect(essence(await collect(reader))).toEqual(essence(toPayments(file)));
    expect(reader.issues).toEqual(issues);
  });

  it('at the end of the input, without a line break', () => {
    const junk = `zz${'x'.repeat(1_100_000)}`;
    const { file, issues } = lenient(latin1(`${base.join('\r\n')}\r\n${junk}`));
    expect(issues[0]).toMatchObject({ code: 'line_separator', line: 26, record: 'zz' });
    expect(essence(toPayments(file))).toEqual(essence(toPayments(parseTotalIn(valid))));
  });
});

describe('writing back a file whose line endings are mixed or LF', () => {
  const text = valid.toString('latin1');
  it.each([
    ['only the first line ends with LF', text.replace('\r\n', '\n')],
    [
      'only line 5 ends with LF',
      text
        .split('\r\n')
        .map((l, i) => (i === 4 ? `${l}\n` : i < 25 ? `${l}\r\n` : l))
        .join(''),
    ],
    ['every line ends with LF', text.replaceAll('\r\n', '\n')],
  ])('%s: writeTotalIn gives the same bytes', (_name, input) => {
    const bytes = latin1(input);
    const file = parseTotalIn(bytes);
    expect(Buffer.from(writeTotalIn(file)).equals(bytes)).toBe(true);
  });

  it('an all-LF file keeps no line verbatim for its endings', () => {
    const file = parseTotalIn(latin1(text.replaceAll('\r\n', '\n')));
    expect(file.physical?.rawLines ?? []).toEqual([]);
  });
});

describe('a line of whole records with no line ending between them', () => {
  it('is read as those records with a warning, whole and streamed alike', async () => {
    // lines 3 and 4 (a 20 and its 30) on one line, and the last two records (90, 99) on the last line
    const lines = [...base.slice(0, 2), base[2]! + base[3]!, ...base.slice(4, 23), base[23]! + base[24]!];
    const bytes = crlf(lines);
    const { file, issues } = lenient(bytes);
    expect(toPayments(file)).toEqual(toPayments(parseTotalIn(valid)));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(issues.filter((i) => i.code === 'line_separator').map((i) => [i.line, i.column])).toEqual([
      [3, 81],
      [24, 81],
    ]);
    const streamed = readTotalIn(chunks(bytes, 7), { mode: 'lenient', yield: 'payments' });
    expect(await collect(streamed)).toEqual(toPayments(file));
    expect(streamed.issues).toEqual(issues);
  });
});

describe('a DOS end-of-file marker (Ctrl-Z, 0x1A) on a line of its own', () => {
  it.each(['\x1a', '\x1a\r\n'])('%j: a warning, ignored, and written back as read', async (tail) => {
    const bytes = Buffer.concat([valid, latin1(tail)]);
    const file = parseTotalIn(bytes); // strict: no error
    expect(toPayments(file)).toEqual(toPayments(parseTotalIn(valid)));
    const { issues } = lenient(bytes);
    expect(issues.filter((i) => i.code === 'end_of_file_marker')).toMatchObject([{ severity: 'warning', line: 26 }]);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(Buffer.from(writeTotalIn(file)).equals(bytes)).toBe(true);
    const records = parseTotalInRecords(bytes);
    expect(Buffer.from(writeTotalInRecords(records.records, records.layout)).equals(bytes)).toBe(true);
    expect(await collect(readTotalIn(chunks(bytes, 7), { yield: 'payments' }))).toEqual(toPayments(file));
  });
});

describe('a payment with no usable date (lenient)', () => {
  it('is not mapped with a made-up date: it stays in its section, and its invalid_date error names the 10', async () => {
    const l00 = base[0]!;
    const l10 = base[1]!;
    const at = l10.indexOf('SEK') + 3;
    const lines = edit(1, `${l00.slice(0, 14)}${'X'.repeat(20)}${l00.slice(34)}`).map((l, i) =>
      i === 1 ? `${l10.slice(0, at)}XXXXXXXX${l10.slice(at + 8)}` : l,
    );
    const { file, issues } = lenient(crlf(lines));
    expect(file.accounts[0]!.bookingDate).toBeUndefined();
    expect(issues).toContainEqual(expect.objectContaining({ code: 'invalid_date', line: 2 }));
    const mapped = toPayments(file);
    const all = toPayments(parseTotalIn(valid));
    // the first section's payments are left out; the second section's keep their own date
    expect(mapped.map((p) => p.date)).toEqual(all.filter((p) => p.source.section === 2).map((p) => p.date));
    expect(mapped.every((p) => p.date !== '1970-01-01')).toBe(true);
    const streamed = await collect(readTotalIn(crlf(lines), { mode: 'lenient', yield: 'payments' }));
    expect(streamed.map((p) => p.id)).toEqual(mapped.map((p) => p.id));
  });
});

describe('a 00 after the first section (lenient)', () => {
  it('is not the start: whole and streamed payments have the same ids in every chunking', async () => {
    // the 00 moved after the first section's 90
    const lines = [...base.slice(1, 20), base[0]!, ...base.slice(20)];
    const bytes = crlf(lines);
    const { file, issues } = lenient(bytes);
    expect(file.header).toBeUndefined();
    expect(issues).toContainEqual(expect.objectContaining({ code: 'unexpected_record', line: 20, record: '00' }));
    const whole = toPayments(file).map((p) => p.id);
    expect(whole[0]).toMatch(/^totalin:unknown#/);
    for (const size of [1, 81, 4096]) {
      const streamed = await collect(readTotalIn(chunks(bytes, size), { mode: 'lenient', yield: 'payments' }));
      expect(streamed.map((p) => p.id)).toEqual(whole);
    }
  });
});

describe('9: issues carry their location', () => {
  it('unclosed_section at the end of input quotes the 10 record', () => {
    const issues = lenient(crlf(base.slice(0, 22))).issues;
    expect(issues.find((i) => i.code === 'unclosed_section')).toMatchObject({
      line: 21,
      column: 1,
      record: '10',
      text: base[20],
    });
    expect(issues.find((i) => i.code === 'missing_end')).toMatchObject({
      line: 22,
      column: 1,
      record: '20',
      text: base[21],
    });
  });

  it('truncated_file', () => {
    const cut = latin1(`${base.slice(0, 21).join('\r\n')}\r\n${base[21]!.slice(0, 40)}`);
    expect(lenient(cut).issues.find((i) => i.code === 'truncated_file')).toMatchObject({
      line: 22,
      column: 41,
      record: '20',
      text: base[21]!.slice(0, 40),
    });
  });

  it('record_length of a short line, tab', () => {
    const issues = lenient(crlf(edit(14, '40TACK\tX'))).issues;
    expect(issues).toMatchObject([
      { code: 'tab', line: 14, column: 7, record: '40' },
      { code: 'record_length', line: 14, column: 10, record: '40' },
    ]);
  });
});

describe('10: odds and ends', () => {
  it('a TAB in an 80-character line is expanded and reported, as in a 79-character one', () => {
    for (const length of [80, 79]) {
      const { file, issues } = lenient(crlf(edit(14, '40TACK\tX'.padEnd(length))));
      expect(file.accounts[0]?.items[1]?.messages[0]?.message).toBe('TACK  X');
      // 80 characters become 81 (a blank beyond 80: record_length warning), 79 become 80
      expect(codes(issues)).toEqual(length === 80 ? ['tab', 'record_length'] : ['tab']);
    }
  });

  it('an unknown encoding option is a configuration error', async () => {
    const encoding = 'cp850' as TotalInEncoding;
    for (const run of [
      () => parseTotalIn(valid, { encoding }),
      () => parseTotalIn(valid, { encoding, mode: 'lenient' }),
      () => parseTotalInRecords(valid, { encoding }),
      () => readTotalIn(valid, { encoding }),
    ]) {
      try {
        run();
        expect.unreachable();
      } catch (e) {
        expect(NordfilError.is(e) && e.issues[0]).toMatchObject({ code: 'invalid_config', field: 'encoding' });
      }
    }
    const error = await parseTotalInAsync([valid], { encoding }).catch((e: unknown) => e);
    expect(NordfilError.is(error) && error.issues[0]?.code).toBe('invalid_config');
  });

  it('parseTotalInRecords refuses what is not bytes or a string', () => {
    try {
      parseTotalInRecords(123 as unknown as string);
      expect.unreachable();
    } catch (e) {
      expect(NordfilError.is(e) && e.issues[0]?.code).toBe('invalid_input');
    }
  });
});
