/**
 * Internal: choosing the decoding of the input. Banks send ISO-8859-1; a file re-encoded by a tool is
 * UTF-8, recognised by a byte order mark or by valid UTF-8 multi-byte sequences (which latin-1 text with
 * Swedish letters practically never is).
 */
import { createDecoder, type IssueCollector, isValidUtf8, type StreamDecoder } from '@nordfil/core';

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
  const need = sequenceLength(bytes[i]!);
  let ok = need > 0 && i + need <= bytes.length;
  for (let j = 1; ok && j < need; j++) if ((bytes[i + j]! & 0xc0) !== 0x80) ok = false;
  return { encoding: ok && isValidUtf8(bytes) ? 'utf-8' : 'latin1', bom: false };
}

/** How many bytes of pure ASCII the streaming reader reads before it settles on latin-1. */
export const SNIFF_BYTES = 64 * 1024;

/** Length of a UTF-8 sequence from its lead byte, or 0 when the byte cannot start one. */
function sequenceLength(b: number): number {
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/**
 * Streaming decoder with the encoding chosen once. In `auto` mode the choice waits for a BOM or the first
 * non-ASCII byte (ASCII reads the same in both encodings) and judges that byte's UTF-8 sequence alone, so
 * every chunking of the same bytes decides the same way.
 * @internal
 */
export class ChunkDecoder {
  encoding: 'latin1' | 'utf-8' | undefined;
  bom = false;
  private inner: StreamDecoder | undefined;
  /** Auto mode: bytes not decoded yet (kept as a list: joining each small chunk would be quadratic). */
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private sawHigh = false;
  /** Explicit UTF-8: a possible BOM split across the first chunks. */
  private bomHeld: Uint8Array | undefined;
  private first = true;

  constructor(option: TotalInEncoding) {
    if (option !== 'auto') {
      this.encoding = option;
      this.inner = createDecoder(option);
    }
  }

  write(chunk: Uint8Array): string {
    const inner = this.inner;
    if (inner !== undefined) {
      if (!this.first) return inner.write(chunk);
      let bytes = chunk;
      if (this.bomHeld !== undefined) {
        bytes = join([this.bomHeld, chunk], this.bomHeld.length + chunk.length);
        this.bomHeld = undefined;
      }
      if (this.encoding === 'utf-8' && bytes.length < 3 && bytes.every((b, i) => b === [0xef, 0xbb, 0xbf][i])) {
        this.bomHeld = bytes;
        return '';
      }
      this.first = false;
      if (this.encoding === 'utf-8') this.bom = hasBom(bytes);
      return inner.write(bytes);
    }
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    if (!this.sawHigh) {
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i]! >= 0x80) {
          this.sawHigh = true;
          break;
        }
      }
    }
    if (!this.sawHigh && this.pendingLength < SNIFF_BYTES) return '';
    return this.sniff(this.takePending(), false);
  }

  end(): string {
    if (this.inner === undefined) {
      const out = this.sniff(this.takePending(), true);
      this.encoding ??= 'latin1';
      return out + (this.inner === undefined ? '' : (this.inner as StreamDecoder).end());
    }
    const held = this.bomHeld;
    this.bomHeld = undefined;
    return (held === undefined ? '' : this.inner.write(held)) + this.inner.end();
  }

  private takePending(): Uint8Array {
    const all = this.pending.length === 1 ? this.pending[0]! : join(this.pending, this.pendingLength);
    this.pending = [];
    this.pendingLength = 0;
    return all;
  }

  /**
   * Auto mode before the decision: nothing is decoded until a BOM, the first non-ASCII byte (with its
   * whole UTF-8 sequence) or {@link SNIFF_BYTES} bytes have been seen, so every line is read under the
   * same decision whatever the chunking.
   */
  private sniff(bytes: Uint8Array, final: boolean): string {
    const bom = [0xef, 0xbb, 0xbf];
    let k = 0;
    while (k < 3 && k < bytes.length && bytes[k] === bom[k]) k++;
    if (k === 3) return this.decide('utf-8', bytes, true);
    let i = 0;
    while (i < bytes.length && bytes[i]! < 0x80) i++;
    if (i === bytes.length) {
      if (final || bytes.length >= SNIFF_BYTES) return this.decide('latin1', bytes, false);
      this.keep(bytes);
      return '';
    }
    const need = sequenceLength(bytes[i]!);
    if (need > 0 && i + need > bytes.length && !final) {
      this.keep(bytes);
      return '';
    }
    let ok = need > 0 && i + need <= bytes.length;
    for (let j = 1; ok && j < need; j++) if ((bytes[i + j]! & 0xc0) !== 0x80) ok = false;
    return this.decide(ok ? 'utf-8' : 'latin1', bytes, false);
  }

  private keep(bytes: Uint8Array): void {
    this.pending = [bytes];
    this.pendingLength = bytes.length;
  }

  private decide(encoding: 'latin1' | 'utf-8', bytes: Uint8Array, bom: boolean): string {
    this.encoding = encoding;
    this.bom = bom;
    this.first = false;
    this.inner = createDecoder(encoding);
    return this.inner.write(bytes);
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
