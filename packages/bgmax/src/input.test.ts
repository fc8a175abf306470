import { type BgmaxFile, parseBgmax, parseBgmaxAsync, readBgmax, writeBgmax } from '@nordfil/bgmax';
import { parseBgmaxRecords, writeBgmaxRecords } from '@nordfil/bgmax/records';
import { describe, expect, it } from 'vitest';
import { fixture } from '../test/support.js';

/** A valid file whose first section holds `n` payments, written with CRLF. */
function bigFile(n: number): string {
  const base = parseBgmax(fixture('valid-basic.txt'));
  const first = base.sections[0]!;
  const item = first.items[0]!;
  const file: BgmaxFile = {
    ...base,
    sections: [{ ...first, items: Array.from({ length: n }, () => item) }, ...base.sections.slice(1)],
  };
  return Buffer.from(writeBgmax(file, { lineEnding: '\r\n' })).toString('latin1');
}

function* pieces(text: string, size: number): Generator<Uint8Array> {
  const bytes = Buffer.from(text, 'latin1');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('a line longer than the line limit (1 MiB)', () => {
  // 14,000 payments with no line ending between them after the first line: 1.1 MB on one line
  const withEndings = bigFile(14_000);
  const firstEnd = withEndings.indexOf('\r\n') + 2;
  const runOn = withEndings.slice(0, firstEnd) + withEndings.slice(firstEnd).replaceAll('\r\n', '');

  it('is read on as 80-character records, with a warning, instead of ending the read', async () => {
    const expected = parseBgmax(withEndings);
    const { file, issues } = parseBgmax(runOn, { mode: 'lenient' });
    expect(file.sections.map((s) => s.items.length)).toEqual(expected.sections.map((s) => s.items.length));
    expect(file.sections[0]!.items).toHaveLength(14_000);
    expect(file.sections).toEqual(expected.sections);
    expect(file.trailer).toEqual(expected.trailer);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(issues.find((i) => i.code === 'line_separator')).toMatchObject({ severity: 'warning', line: 2, column: 1 });
    // strict mode accepts it too (a warning), and a stream in small chunks gives the same sections
    expect(parseBgmax(runOn).sections).toEqual(expected.sections);
    expect((await parseBgmaxAsync(pieces(runOn, 4096))).sections).toEqual(expected.sections);
    let payments = 0;
    for await (const s of readBgmax(pieces(runOn, 65_536))) payments += s.items.length;
    expect(payments).toBe(expected.sections.reduce((n, s) => n + s.items.length, 0));
  });

  it('junk on such a line is reported record by record, and the payments after it are kept (lenient)', () => {
    const junk = 'x'.repeat(1_100_000);
    const lines = withEndings.split('\r\n');
    const text = [lines[0], junk, ...lines.slice(1)].join('\r\n');
    const { file, issues } = parseBgmax(text, { mode: 'lenient' });
    expect(file.sections[0]!.items).toHaveLength(14_000);
    expect(issues.some((i) => i.code === 'line_separator' && i.line === 2)).toBe(true);
    expect(issues.some((i) => i.severity === 'error' && i.code === 'invalid_record')).toBe(true);
    expect(() => parseBgmax(text)).toThrow();
  });
});

describe('a line of whole records with no line ending between them', () => {
  it('is read as those records, with a warning: no payment on it is lost, line numbers as with the endings', async () => {
    const text = Buffer.from(fixture('valid-basic.txt')).toString('latin1');
    const lines = text.split('\r\n');
    // lines 10 and 11 (a TK20 and a TK21) on one line, and the last two records (TK15, TK70) on the last line
    const joined = [...lines.slice(0, 9), lines[9]! + lines[10]!, ...lines.slice(11, 18), lines[18]! + lines[19]!].join(
      '\r\n',
    );
    const expected = parseBgmax(text);
    for (const input of [joined, pieces(joined, 7)]) {
      const { file, issues } = await parseBgmaxAsync(input, { mode: 'lenient' });
      expect(file.sections).toEqual(expected.sections);
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(issues.filter((i) => i.code === 'line_separator').map((i) => [i.line, i.column])).toEqual([
        [10, 81],
        [19, 81],
      ]);
    }
  });
});

describe('a DOS end-of-file marker (Ctrl-Z, 0x1A) on a line of its own', () => {
  it('is a warning, ignored, and written back as read', async () => {
    const base = Buffer.from(fixture('valid-basic.txt'));
    for (const tail of ['\x1a', '\x1a\r\n']) {
      const bytes = Buffer.concat([base, Buffer.from(tail, 'latin1')]);
      const file = parseBgmax(bytes); // strict: no error
      expect(file.sections).toEqual(parseBgmax(base).sections);
      const { issues } = parseBgmax(bytes, { mode: 'lenient' });
      expect(issues.filter((i) => i.code === 'end_of_file_marker')).toMatchObject([{ severity: 'warning', line: 21 }]);
      expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
      expect(Buffer.from(writeBgmax(file)).equals(bytes)).toBe(true);
      expect((await parseBgmaxAsync(pieces(bytes.toString('latin1'), 5))).sections).toEqual(file.sections);
      const records = parseBgmaxRecords(bytes);
      expect(Buffer.from(writeBgmaxRecords(records.records, records.format)).equals(bytes)).toBe(true);
    }
  });
});
