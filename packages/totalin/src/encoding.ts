/**
 * Internal: choosing the decoding of the input. Banks send ISO-8859-1; a file re-encoded by a tool is
 * UTF-8, recognised by a byte order mark or by valid UTF-8 multi-byte sequences (which latin-1 text with
 * Swedish letters practically never is).
 */
import {
  createDecoder,
  type IssueCollector,
  issue,
  isValidUtf8,
  NordfilError,
  type StreamDecoder,
} from '@nordfil/core';

/** The encoding option of the parsers: `auto` (default) picks latin-1 or UTF-8 from the bytes. */
export type TotalInEncoding = 'latin1' | 'utf-8' | 'auto';

function hasBom(b: Uint8Array): boolean {
  return b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
}

/** Reports the `encoding` warning for a UTF-8 input. @internal */
export function reportEncoding(encoding: 'latin1' | 'utf-8', bom: boolean, issues: IssueCollector): void {
  if (encoding !== 'utf-8') return;
  issues.report(
    'encoding',
    bom
      ? 'UTF-8 with a byte order mark, not the banks’ ISO-8859-1: decoded as UTF-8 (BOM dropped)'
      : 'UTF-8, not the banks’ ISO-8859-1 (valid UTF-8 with multi-byte sequences): decoded as UTF-8',
    { severity: 'warning' },
  );
}

const ENCODINGS: readonly string[] = ['auto', 'latin1', 'utf-8'];

/** Throws a NordfilError `invalid_config` for an encoding option other than `auto`, `latin1` or `utf-8`. @internal */
export function checkEncodingOption(option: unknown): asserts option is TotalInEncoding {
  if (typeof option !== 'string' || !ENCODINGS.includes(option)) {
    throw new NordfilError(
      issue('invalid_config', `encoding must be 'auto', 'latin1' or 'utf-8', got ${JSON.stringify(option)}`, {
        field: 'encoding',
        actual: String(option),
      }),
    );
  }
}

/** Length of a UTF-8 sequence from its lead byte, or 0 when the byte cannot start one. */
function sequenceLength(b: number): number {
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/** Whether the non-ASCII byte at `i` starts a valid UTF-8 sequence (which must lie within `bytes`). */
function startsUtf8(bytes: Uint8Array, i: number): boolean {
  const need = sequenceLength(bytes[i]!);
  return need > 0 && i + need <= bytes.length && isValidUtf8(bytes.subarray(i, i + need));
}

/** The encoding of a whole input: latin-1 unless a BOM, or valid UTF-8 with multi-byte sequences. @internal */
export function decideWhole(
  bytes: Uint8Array,
  option: TotalInEncoding,
): { encoding: 'latin1' | 'utf-8'; bom: boolean } {
  const bom = hasBom(bytes);
  if (option !== 'auto') return { encoding: option, bom: option === 'utf-8' && bom };
  if (bom) return { encoding: 'utf-8', bom };
  // latin-1 text fails at its first non-ASCII byte: the full UTF-8 check runs only when that one passes
  let i = 0;
  while (i < bytes.length && bytes[i]! < 0x80) i++;
  if (i === bytes.length) return { encoding: 'latin1', bom: false };
  return { encoding: startsUtf8(bytes, i) && isValidUtf8(bytes) ? 'utf-8' : 'latin1', bom: false };
}

const BOM = [0xef, 0xbb, 0xbf];

/**
 * Streaming decoder with the encoding chosen once. In `auto` mode ASCII is handed out as it comes (it reads
 * the same in latin-1 and UTF-8), and the choice is made at a BOM or at the first non-ASCII byte, by
 * whether it starts a valid UTF-8 sequence; only a BOM prefix or that one sequence is ever held back, so
 * memory is constant and every chunking of the same bytes decides the same way. A file that is wholly
 * UTF-8 or wholly latin-1 is decided as {@link decideWhole} decides it, wherever its first non-ASCII
 * byte lies.
 * @internal
 */
export class ChunkDecoder {
  encoding: 'latin1' | 'utf-8' | undefined;
  bom = false;
  private inner: StreamDecoder | undefined;
  /** Bytes held back: a possible BOM split across the first chunks, or a deciding sequence cut by a chunk end. */
  private held: Uint8Array | undefined;
  private started = false;
  private readonly latin1 = createDecoder('latin1');

  constructor(option: TotalInEncoding) {
    if (option !== 'auto') {
      this.encoding = option;
      this.inner = createDecoder(option);
    }
  }

  write(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.held !== undefined) {
      bytes = join([this.held, chunk], this.held.length + chunk.length);
      this.held = undefined;
    }
    if (!this.started) {
      // a byte order mark, possibly split over the first chunks (only UTF-8 and auto look for one)
      if (this.encoding === 'latin1') this.started = true;
      else {
        let k = 0;
        while (k < 3 && k < bytes.length && bytes[k] === BOM[k]) k++;
        if (k === bytes.length && k < 3) {
          this.held = bytes.slice();
          return '';
        }
        this.started = true;
        if (k === 3) {
          this.bom = true;
          // the UTF-8 decoder drops the BOM itself (as in a whole parse)
          if (this.encoding === undefined) this.decide('utf-8');
        }
      }
    }
    if (this.encoding === undefined) {
      const n = bytes.length;
      let p = 0;
      while (p < n && bytes[p]! < 0x80) p++;
      if (p === n) return this.latin1.write(bytes);
      const need = sequenceLength(bytes[p]!);
      if (need > 0 && p + need > n) {
        // the deciding sequence is cut by the chunk's end: decide with the next chunk
        this.held = bytes.slice(p);
        return this.latin1.write(bytes.subarray(0, p));
      }
      this.decide(startsUtf8(bytes, p) ? 'utf-8' : 'latin1');
    }
    return this.inner!.write(bytes);
  }

  end(): string {
    let out = '';
    const held = this.held;
    this.held = undefined;
    if (held !== undefined) {
      // a BOM prefix or a cut sequence at the very end: not UTF-8
      if (this.encoding === undefined) this.decide('latin1');
      out = this.inner!.write(held);
    }
    if (this.encoding === undefined) this.decide('latin1');
    return out + this.inner!.end();
  }

  private decide(encoding: 'latin1' | 'utf-8'): void {
    this.encoding = encoding;
    this.inner = createDecoder(encoding);
  }
}

function join(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
