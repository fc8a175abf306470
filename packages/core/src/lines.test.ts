import { describe, expect, it } from 'vitest';
import { encode } from './encoding.js';
import { NordfilError } from './errors.js';
import {
  cutLineMessage,
  DOS_EOF,
  endsWithTerminator,
  expandTabs,
  joinLines,
  type Line,
  LineSplitter,
  type LineTerminator,
  readLineBatches,
  readLines,
  splitLines,
} from './lines.js';

const shape = (lines: readonly Line[]): [string, number, string][] =>
  lines.map((l) => [l.text, l.number, l.terminator]);

async function collect(it: AsyncIterable<Line>): Promise<Line[]> {
  const out: Line[] = [];
  for await (const l of it) out.push(l);
  return out;
}

describe('splitLines', () => {
  it('splits on CRLF, LF and CR and keeps each terminator', () => {
    expect(shape(splitLines('a\r\nb\nc\rd'))).toEqual([
      ['a', 1, '\r\n'],
      ['b', 2, '\n'],
      ['c', 3, '\r'],
      ['d', 4, ''],
    ]);
  });
  it('handles empty input, empty lines and a final terminator', () => {
    expect(splitLines('')).toEqual([]);
    expect(shape(splitLines('\n'))).toEqual([['', 1, '\n']]);
    expect(shape(splitLines('a\r\n\r\n'))).toEqual([
      ['a', 1, '\r\n'],
      ['', 2, '\r\n'],
    ]);
    expect(shape(splitLines('\r\r\n'))).toEqual([
      ['', 1, '\r'],
      ['', 2, '\r\n'],
    ]);
  });
  it('decodes bytes before splitting (latin-1 by default, UTF-8 on request)', () => {
    expect(splitLines(encode('Åsa\r\nÖ', 'latin1')).map((l) => l.text)).toEqual(['Åsa', 'Ö']);
    expect(splitLines(encode('Åsa\nÖ', 'utf-8', { bom: true }), { encoding: 'utf-8' }).map((l) => l.text)).toEqual([
      'Åsa',
      'Ö',
    ]);
  });
  it('reports whether the input ended with a terminator', () => {
    expect(endsWithTerminator(splitLines('a\nb\n'))).toBe(true);
    expect(endsWithTerminator(splitLines('a\nb'))).toBe(false);
    expect(endsWithTerminator([])).toBe(false);
  });
  it('joinLines reproduces the input', () => {
    for (const s of ['', 'a', 'a\r\n', '\r\n\n\r', 'x\ry\r\nz\n']) expect(joinLines(splitLines(s))).toBe(s);
  });
});

describe('fixed-length records without separators', () => {
  const rec = (c: string): string => c.repeat(80);

  it('auto mode detects a continuous stream of records', () => {
    const text = rec('A') + rec('B') + rec('C');
    const lines = splitLines(text, { recordLength: 80 });
    expect(shape(lines)).toEqual([
      [rec('A'), 1, ''],
      [rec('B'), 2, ''],
      [rec('C'), 3, ''],
    ]);
    expect(joinLines(lines)).toBe(text);
  });
  it('keeps a short last record (trailing blanks stripped) and a final terminator', () => {
    const text = `${rec('A')}${rec('B')}70ABC\r\n`;
    expect(shape(splitLines(text, { recordLength: 80 }))).toEqual([
      [rec('A'), 1, ''],
      [rec('B'), 2, ''],
      ['70ABC', 3, '\r\n'],
    ]);
  });
  it('attaches a terminator that follows a full record', () => {
    const text = `${rec('A')}${rec('B')}\r\n\r\n`;
    expect(shape(splitLines(text, { recordLength: 80 }))).toEqual([
      [rec('A'), 1, ''],
      [rec('B'), 2, '\r\n'],
      ['', 3, '\r\n'],
    ]);
  });
  it('auto mode keeps separated lines, including lines longer than a record', () => {
    const text = `${'X'.repeat(88)}\r\n${rec('B')}\r\n`;
    expect(splitLines(text, { recordLength: 80 }).map((l) => l.text.length)).toEqual([88, 80]);
  });
  it('a single unterminated record shorter than two records stays one line', () => {
    expect(splitLines('Y'.repeat(100), { recordLength: 80 }).map((l) => l.text.length)).toEqual([100]);
  });
  it('the detected mode is visible on the splitter', () => {
    const s = new LineSplitter({ recordLength: 80 });
    expect(s.push('A'.repeat(100))).toEqual([]);
    expect(s.detectedMode).toBeUndefined();
    s.push('A'.repeat(100));
    expect(s.detectedMode).toBe('fixed');
  });
  it('mode fixed cuts records even when separators appear early', () => {
    expect(splitLines('ab\ncdef', { recordLength: 3, mode: 'fixed' }).map((l) => l.text)).toEqual(['ab\n', 'cde', 'f']);
  });
  it('rejects inconsistent options', () => {
    expect(() => splitLines('x', { mode: 'fixed' })).toThrow(/needs a recordLength/);
    expect(() => splitLines('x', { recordLength: 0 })).toThrow(/positive integer/);
  });
});

describe('LineSplitter.scan (no Line objects)', () => {
  it('visits each line as a range of the text it holds, with its number and terminator', () => {
    const s = new LineSplitter();
    const seen: [string, number, string][] = [];
    const visit = (text: string, start: number, end: number, number: number, terminator: string): void => {
      seen.push([text.slice(start, end), number, terminator]);
    };
    s.scan('A\r\nBB\r', visit);
    s.scan('\nC', visit);
    s.scanEnd(visit);
    expect(seen).toEqual([
      ['A', 1, '\r\n'],
      ['BB', 2, '\r\n'],
      ['C', 3, ''],
    ]);
  });

  it('offers full records followed by a line ending to a probe; a declined record is split as usual', () => {
    const s = new LineSplitter({ recordLength: 4 });
    const probed: [string, number, string][] = [];
    const visited: [string, number, string][] = [];
    // takes records starting with P (this probe checks that the record holds no CR or LF)
    const probe = (text: string, start: number, number: number, terminator: LineTerminator): boolean => {
      const rec = text.slice(start, start + 4);
      if (rec[0] !== 'P' || /[\r\n]/.test(rec)) return false;
      probed.push([rec, number, terminator]);
      return true;
    };
    const visit = (text: string, start: number, end: number, number: number, terminator: string): void => {
      visited.push([text.slice(start, end), number, terminator]);
    };
    s.scan('HEAD\r\nP001\r\nP0\n2\nX123\nP00', visit, probe);
    s.scan('3\r', visit, probe);
    s.scan('\nP004', visit, probe);
    s.scanEnd(visit, probe);
    expect(probed).toEqual([
      ['P001', 2, '\r\n'],
      ['P003', 6, '\r\n'],
    ]);
    expect(visited).toEqual([
      ['HEAD', 1, '\r\n'],
      ['P0', 3, '\n'],
      ['2', 4, '\n'],
      ['X123', 5, '\n'],
      ['P004', 7, ''],
    ]);
  });

  it('keeps counting after a visitor throws: the next chunk continues with the next number', () => {
    const s = new LineSplitter();
    expect(() =>
      s.scan('A\nB\n', () => {
        throw new Error('stop');
      }),
    ).toThrow('stop');
    expect(s.push('C\n')).toEqual([{ text: 'C', number: 2, terminator: '\n' }]);
  });
});

describe('streaming', () => {
  it('a CR at the end of one chunk and an LF at the start of the next are one CRLF', async () => {
    const chunks = [encode('a\r', 'latin1'), encode('\nb\r', 'latin1'), encode('c', 'latin1')];
    expect(shape(await collect(readLines(chunks)))).toEqual([
      ['a', 1, '\r\n'],
      ['b', 2, '\r'],
      ['c', 3, ''],
    ]);
  });
  it('reads a web ReadableStream and yields a batch per chunk', async () => {
    const parts = ['01\r\n05\r', '\n20\r\n', '15\r\n70'];
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (const p of parts) c.enqueue(encode(p, 'latin1'));
        c.close();
      },
    });
    const batches: string[][] = [];
    for await (const b of readLineBatches(stream)) batches.push(b.map((l) => l.text));
    expect(batches).toEqual([['01'], ['05', '20'], ['15'], ['70']]);
  });
  it('cancels the stream when the consumer stops early', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(encode('line\n', 'latin1'));
      },
      cancel() {
        cancelled = true;
      },
    });
    for await (const l of readLines(stream)) if (l.number === 3) break;
    expect(cancelled).toBe(true);
  });
  it('accepts string chunks and a whole input', async () => {
    expect((await collect(readLines(['a\n', 'b']))).map((l) => l.text)).toEqual(['a', 'b']);
    expect((await collect(readLines('x\ny'))).map((l) => l.text)).toEqual(['x', 'y']);
  });
});

describe('maxLineLength', () => {
  it('throws line_too_long with the line number, sync and streaming', async () => {
    try {
      splitLines('ok\n1234567890\n', { maxLineLength: 5, source: 'f.txt' });
      expect.unreachable();
    } catch (e) {
      expect(NordfilError.is(e)).toBe(true);
      expect((e as NordfilError).issues[0]).toMatchObject({ code: 'line_too_long', line: 2, source: 'f.txt' });
    }
    // a never-ending line is stopped without reading it all
    let pulled = 0;
    const endless = (function* () {
      yield 'ok\n';
      for (;;) {
        pulled++;
        yield 'xxxx';
      }
    })();
    await expect(collect(readLines(endless, { maxLineLength: 100 }))).rejects.toMatchObject({
      code: 'line_too_long',
    });
    expect(pulled).toBeLessThan(30);
  });
  it('a line of exactly maxLineLength followed by a split CRLF is fine', () => {
    const s = new LineSplitter({ maxLineLength: 3 });
    expect(s.push('abc\r')).toEqual([]);
    expect(shape(s.push('\n'))).toEqual([['abc', 1, '\r\n']]);
  });
});

describe('expandTabs', () => {
  it('expands to 8-column tab stops', () => {
    expect(expandTabs('22\t1234')).toBe('22      1234');
    expect(expandTabs('12345678\tX')).toBe('12345678        X');
    expect(expandTabs('no tabs')).toBe('no tabs');
    expect(expandTabs('a\tb', 4)).toBe('a   b');
  });
});

describe('cutLineMessage and DOS_EOF', () => {
  it('say what was cut: whole records, or a line longer than the limit', () => {
    expect(cutLineMessage(3, 2, 80)).toBe(
      'line 3 holds 2 records of 80 characters with no line ending between them: read as 2 records',
    );
    expect(cutLineMessage(7, 0, 80)).toBe(
      'line 7 runs on for more than 1048576 characters without a line ending: read on as 80-character records',
    );
    expect(cutLineMessage(7, 0, 80, 100)).toContain('more than 100 characters');
    expect(DOS_EOF.charCodeAt(0)).toBe(0x1a);
    expect(DOS_EOF).toHaveLength(1);
  });
});

describe('the cutting options need a record length', () => {
  it('onLongLine and onRecordRun without a recordLength: a typed configuration error naming the option', () => {
    for (const option of ['onLongLine', 'onRecordRun'] as const) {
      try {
        new LineSplitter({ [option]: () => undefined });
        expect.unreachable();
      } catch (e) {
        expect(NordfilError.is(e)).toBe(true);
        expect((e as NordfilError).issues[0]).toMatchObject({ code: 'invalid_config', field: option });
      }
    }
    expect(
      () => new LineSplitter({ recordLength: 80, onLongLine: () => undefined, onRecordRun: () => undefined }),
    ).not.toThrow();
  });
});
