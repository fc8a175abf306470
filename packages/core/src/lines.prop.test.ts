import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { chunked } from '../test/support.js';
import { encode } from './encoding.js';
import { joinLines, type Line, type LineOptions, LineSplitter, readLineBatches, splitLines } from './lines.js';

const plain = (lines: readonly Line[]) =>
  lines.map((l) => ({ text: l.text, number: l.number, terminator: l.terminator }));

async function streamed(chunks: Uint8Array[], options: LineOptions): Promise<Line[]> {
  const out: Line[] = [];
  for await (const batch of readLineBatches(chunks, options)) out.push(...batch);
  return out;
}

function pushed(chunks: Uint8Array[], options: LineOptions): Line[] {
  const s = new LineSplitter(options);
  const out: Line[] = [];
  for (const c of chunks) out.push(...s.push(c));
  out.push(...s.end());
  return out;
}

// text rich in separators, including CR and LF next to each other
const sepText = fc
  .array(fc.constantFrom('a', 'B', ' ', 'å', 'Ö', '\r', '\n', '\r\n', '0'), { maxLength: 80 })
  .map((a) => a.join(''));
const cuts = fc.array(fc.nat(), { maxLength: 12 });

test.prop([sepText, cuts])('latin-1: identical lines for every chunking', async (text, cutPoints) => {
  const bytes = encode(text, 'latin1');
  const whole = plain(splitLines(bytes));
  const chunks = chunked(bytes, cutPoints);
  expect(plain(await streamed(chunks, {}))).toEqual(whole);
  expect(plain(pushed(chunks, {}))).toEqual(whole);
  expect(joinLines(splitLines(bytes))).toBe(text);
});

const utf8Text = fc
  .array(fc.constantFrom('a', 'å', 'Ø', 'é', '€', '😀', '\r', '\n', '\r\n'), { maxLength: 60 })
  .map((a) => a.join(''));

test.prop([utf8Text, cuts, fc.boolean()])(
  'utf-8: multi-byte characters split across chunks decode the same',
  async (text, cutPoints, bom) => {
    const bytes = encode(text, 'utf-8', { bom });
    const chunks = chunked(bytes, cutPoints);
    const whole = plain(splitLines(bytes, { encoding: 'utf-8' }));
    expect(joinLines(whole as Line[])).toBe(text);
    expect(plain(await streamed(chunks, { encoding: 'utf-8' }))).toEqual(whole);
  },
);

// fixed records, no separators, sometimes a short last record and a final terminator
const fixedInput = fc
  .record({
    records: fc.array(fc.string({ unit: fc.constantFrom('A', '9', ' ', 'Ä'), minLength: 7, maxLength: 7 }), {
      minLength: 0,
      maxLength: 8,
    }),
    tail: fc.string({ unit: fc.constantFrom('x', ' '), maxLength: 6 }),
    end: fc.constantFrom('', '\r\n', '\n', '\r', '\r\n\r\n'),
  })
  .map(({ records, tail, end }) => records.join('') + tail + end);

test.prop([fixedInput, cuts, fc.constantFrom<LineOptions['mode']>('auto', 'fixed')])(
  'fixed records: identical lines for every chunking',
  async (text, cutPoints, mode) => {
    const options: LineOptions = mode === undefined ? { recordLength: 7 } : { recordLength: 7, mode };
    const bytes = encode(text, 'latin1');
    const whole = plain(splitLines(bytes, options));
    const chunks = chunked(bytes, cutPoints);
    expect(plain(await streamed(chunks, options))).toEqual(whole);
    expect(plain(pushed(chunks, options))).toEqual(whole);
    expect(joinLines(whole as Line[])).toBe(text);
    if (mode === 'fixed') for (const l of whole.slice(0, -2)) expect(l.text).toHaveLength(7);
  },
);

test.prop([fc.string({ unit: 'binary', maxLength: 200 })])('joinLines(splitLines(x)) === x for any string', (s) => {
  expect(joinLines(splitLines(s))).toBe(s);
  expect(joinLines(splitLines(s, { recordLength: 5 }))).toBe(s);
});

/** The lines a splitter with `onLongLine` gives: each physical line longer than `max` cut into records of `rl`. */
function cutModel(
  input: string,
  rl: number,
  max: number,
  runs: boolean,
): { lines: { text: string; number: number; terminator: string }[]; long: number[]; runs: number[][] } {
  const lines: { text: string; number: number; terminator: string }[] = [];
  const long: number[] = [];
  const cut: number[][] = [];
  let n = 1;
  const re = /([^\r\n]*)(\r\n|\r|\n|$)/g;
  for (let m = re.exec(input); m !== null && m.index < input.length; m = re.exec(input)) {
    let text = m[1]!;
    const terminator = m[2]!;
    const run = runs && text.length >= 2 * rl && text.length % rl === 0 && text.length <= max;
    if (text.length > max || run) {
      if (run) cut.push([n, text.length / rl]);
      else long.push(n);
      while (text.length > rl) {
        lines.push({ text: text.slice(0, rl), number: n++, terminator: '' });
        text = text.slice(rl);
      }
    }
    lines.push({ text, number: n++, terminator });
  }
  return { lines, long, runs: cut };
}

test.prop(
  [
    fc.array(
      fc.record({
        text: fc.oneof(
          fc.string({ unit: fc.constantFrom('a', 'b', ' '), maxLength: 12 }),
          fc.string({ unit: fc.constantFrom('x', 'y'), minLength: 13, maxLength: 90 }),
        ),
        terminator: fc.constantFrom('\r\n', '\n', '\r'),
      }),
      { minLength: 1, maxLength: 12 },
    ),
    fc.boolean(),
    fc.array(fc.nat(), { maxLength: 8 }),
    fc.integer({ min: 1, max: 7 }),
    fc.boolean(),
  ],
  { numRuns: 300 },
)(
  'onLongLine and onRecordRun: long lines and lines of whole records are cut into records, in any chunking, nothing lost',
  (parts, lastTerminated, cuts, rl, runs) => {
    const max = 12;
    let input = parts.map((p) => p.text + p.terminator).join('');
    if (!lastTerminated) input = input.replace(/(\r\n|\r|\n)$/, '');
    const expected = cutModel(input, rl, max, runs);
    const long: number[] = [];
    const cut: number[][] = [];
    const options: LineOptions = {
      recordLength: rl,
      mode: 'lines',
      maxLineLength: max,
      onLongLine: (line) => long.push(line),
      ...(runs ? { onRecordRun: (line: number, records: number) => cut.push([line, records]) } : {}),
    };
    const lines = pushed(chunked(encode(input, 'latin1'), cuts), options);
    expect(plain(lines)).toEqual(expected.lines);
    expect(long).toEqual(expected.long);
    expect(cut).toEqual(expected.runs);
    expect(joinLines(lines)).toBe(input);
  },
);
