import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { chunked } from '../test/support.js';
import { ENCODING_WINDOW, FileDecoder, type FileEncoding, wholeFileEncoding } from './encoding.js';

const NORDIC = 'åäöÅÄÖæøÆØéü';

/** Text of ASCII and Nordic letters, long enough runs of ASCII that the first letter can come late. */
const text = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom('A', '1', ' ', '\r\n', 'x'), maxLength: 40 }) },
      { weight: 1, arbitrary: fc.constantFrom(...NORDIC) },
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''));

function run(chunks: Uint8Array[], encoding: FileEncoding = 'auto'): { text: string; d: FileDecoder } {
  const d = new FileDecoder(encoding);
  let out = '';
  for (const c of chunks) out += d.write(c);
  out += d.end();
  return { text: out, d };
}

describe('FileDecoder', () => {
  test.prop([text, fc.boolean(), fc.boolean(), fc.array(fc.nat(), { maxLength: 10 })], { numRuns: 300 })(
    'a file wholly latin-1 or wholly UTF-8 decodes to its text in any chunking, decided as the whole input is',
    (t, utf8, bom, cuts) => {
      const body = Buffer.from(t, utf8 ? 'utf8' : 'latin1');
      const bytes = bom && utf8 ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), body]) : body;
      const { text: out, d } = run(chunked(bytes, cuts));
      expect(out).toBe(t);
      const expected = /[^\x00-\x7f]/.test(t) && utf8 ? 'utf-8' : bom && utf8 ? 'utf-8' : 'latin1';
      expect(d.encoding).toBe(expected);
      expect(wholeFileEncoding(bytes)).toBe(expected);
      expect(d.bom).toBe(bom && utf8);
      expect(d.sniffedUtf8).toBe(expected === 'utf-8' && !(bom && utf8));
    },
  );

  test.prop([
    fc.uint8Array({ maxLength: 60 }),
    fc.array(fc.nat(), { maxLength: 10 }),
    fc.constantFrom<FileEncoding>('auto', 'latin1', 'utf-8'),
  ])('any bytes decode the same in every chunking as in one piece', (bytes, cuts, encoding) => {
    const whole = run([bytes], encoding);
    const pieces = run(chunked(bytes, cuts), encoding);
    expect(pieces.text).toBe(whole.text);
    expect(pieces.d.encoding).toBe(whole.d.encoding);
    expect(pieces.d.bom).toBe(whole.d.bom);
  });

  it('keeps the latin-1 bytes of the last text it decoded, for readers that check columns in bytes', () => {
    const d = new FileDecoder('latin1');
    const chunk = Buffer.from('01BGMAX Å 1', 'latin1');
    const t = d.write(chunk);
    expect(t).toBe('01BGMAX Å 1');
    expect(d.lastText).toBe(t);
    expect(d.lastBytes?.equals(chunk)).toBe(true);
    const u = new FileDecoder('utf-8');
    u.write(Buffer.from('AÅ', 'utf8'));
    expect(u.lastBytes).toBeUndefined();
  });

  it('holds back no more than the window from the first non-ASCII byte, then hands everything out', () => {
    const d = new FileDecoder('auto');
    const ascii = 'A'.repeat(100);
    expect(d.write(Buffer.from(`${ascii}Å`, 'utf8'))).toBe(ascii);
    expect(d.encoding).toBeUndefined();
    const rest = 'B'.repeat(ENCODING_WINDOW);
    expect(d.write(Buffer.from(rest, 'utf8'))).toBe(`Å${rest}`);
    expect([d.encoding, d.sniffedUtf8]).toEqual(['utf-8', true]);
  });

  it('fills the window from chunks of any size, one byte included', () => {
    const t = `0123456789Å${'x'.repeat(ENCODING_WINDOW + 500)}ö`;
    for (const [encoding, bytes] of [
      ['utf-8', Buffer.from(t, 'utf8')],
      ['latin1', Buffer.from(t, 'latin1')],
    ] as const) {
      const d = new FileDecoder('auto');
      let out = '';
      for (let i = 0; i < bytes.length; i++) out += d.write(bytes.subarray(i, i + 1));
      out += d.end();
      expect([out === t, d.encoding]).toEqual([true, encoding]);
    }
  });

  it('latin-1 text with a pair that happens to be valid UTF-8 (Ã©) is latin-1 when Nordic letters follow', () => {
    const t = `40CAFÃ© OCH KONDITORI${' '.repeat(58)}\r\n50FÖRETAGET AB${' '.repeat(65)}\r\n`;
    const bytes = Buffer.from(t, 'latin1');
    expect(wholeFileEncoding(bytes)).toBe('latin1');
    for (const size of [1, 3, 24, 80, 4096]) {
      const cuts = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => i * size);
      const { text: out, d } = run(chunked(bytes, cuts));
      expect([out, d.encoding]).toEqual([t, 'latin1']);
    }
  });

  it('looks for a byte order mark under latin-1 only when asked to', () => {
    const bytes = Buffer.from([0xef, 0xbb, 0xbf, 0x41]);
    expect(run([bytes], 'latin1').text).toBe('\u00ef\u00bb\u00bfA');
    const d = new FileDecoder('latin1', { bomWithLatin1: true });
    expect(d.write(bytes.subarray(0, 2)) + d.write(bytes.subarray(2)) + d.end()).toBe('A');
    expect([d.bom, d.encoding]).toEqual([true, 'latin1']);
  });

  it('a whole input and a stream of it decide alike, also for a file mixing the two encodings', () => {
    const bytes = Buffer.concat([Buffer.from('AÅ', 'utf8'), Buffer.from('Ö', 'latin1')]);
    const d = new FileDecoder('auto');
    d.decideWhole(bytes);
    expect(d.encoding).toBe('latin1');
    expect(d.write(bytes) + d.end()).toBe('AÃ\u0085Ö');
    const s = new FileDecoder('auto');
    expect(s.write(bytes) + s.end()).toBe('AÃ\u0085Ö');
    expect(s.encoding).toBe('latin1');
  });
});
