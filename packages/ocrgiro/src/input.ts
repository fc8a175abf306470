/**
 * Input handling shared by every reader: encoding detection (`auto`), splitting into lines in any chunking,
 * and the file-level line warnings (`encoding`, `line_separator`, `missing_final_newline`).
 */
import { isUtf8 } from 'node:buffer';
import { type Issue, issue, type Line, LineSplitter } from '@nordfil/core';

/**
 * Encodings the readers accept. `auto`: latin-1 unless a UTF-8 BOM or UTF-8 multibyte sequences are found.
 *
 * @example
 * parseOcrGiro(bytes, { encoding: 'auto' });
 */
export type InputEncoding = 'auto' | 'latin1' | 'utf-8';

/** How much of the input `auto` looks at (the same for every chunking, so streaming is deterministic). */
export const SNIFF_BYTES = 65_536;

/** Where issues go while reading. */
export interface IssueSink {
  readonly source: string | undefined;
  readonly issues: Issue[];
  /** Count of error issues so far (strict readers stop at the first). */
  errors: number;
  /** Called with each issue as it is found. */
  readonly onIssue?: ((issue: Issue) => void) | undefined;
}

/** Adds an issue, counting errors and telling `onIssue`. */
export function report(ctx: IssueSink, i: Issue): void {
  ctx.issues.push(i);
  if (i.severity === 'error') ctx.errors++;
  ctx.onIssue?.(i);
}

function warn(ctx: IssueSink, code: string, message: string, line?: number): void {
  const loc: { source?: string; line?: number; severity: 'warning' } = { severity: 'warning' };
  if (ctx.source !== undefined) loc.source = ctx.source;
  if (line !== undefined) loc.line = line;
  report(ctx, issue(code, message, loc));
}

/** Length of `bytes` without a trailing UTF-8 sequence cut short by the end of the window. */
function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const b = bytes[n - k]!;
    if (b < 0x80) return n;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return need > k ? n - k : n;
    }
  }
  return n;
}

/**
 * Decides the encoding from the first bytes of the input (at most {@link SNIFF_BYTES}).
 * `complete`: the window is the whole input (no sequence can be cut short at its end).
 */
export function sniffEncoding(prefix: Uint8Array, complete: boolean): { encoding: 'latin1' | 'utf-8'; why?: string } {
  if (prefix.length >= 3 && prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) {
    return { encoding: 'utf-8', why: 'a UTF-8 byte order mark' };
  }
  let high = false;
  for (let i = 0; i < prefix.length; i++) {
    if (prefix[i]! >= 0x80) {
      high = true;
      break;
    }
  }
  if (!high) return { encoding: 'latin1' };
  const body = complete ? prefix : prefix.subarray(0, completeLength(prefix));
  return isUtf8(body) ? { encoding: 'utf-8', why: 'UTF-8 multibyte sequences' } : { encoding: 'latin1' };
}

/** Pushes chunks, gets lines; reports the file-level line warnings. One per input. */
export class LineFeed {
  private splitter: LineSplitter | undefined;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private lastTerminator: Line['terminator'] | undefined;
  private lastNumber = 0;
  private checkedMode = false;
  private first = true;
  private decided: 'latin1' | 'utf-8' | undefined;

  constructor(
    private readonly ctx: IssueSink,
    requested: InputEncoding,
  ) {
    if (requested !== 'auto') this.decided = requested;
  }

  /** The encoding in use (once decided). */
  get encoding(): 'latin1' | 'utf-8' {
    return this.decided ?? 'latin1';
  }

  private start(enc: 'latin1' | 'utf-8'): LineSplitter {
    this.decided = enc;
    this.splitter = new LineSplitter({ encoding: enc, recordLength: 80, mode: 'auto' });
    return this.splitter;
  }

  private decideFromPending(complete: boolean): LineSplitter {
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    const prefix = all.length > SNIFF_BYTES ? all.subarray(0, SNIFF_BYTES) : all;
    const d = sniffEncoding(prefix, complete && all.length <= SNIFF_BYTES);
    if (d.why !== undefined) {
      warn(this.ctx, 'encoding', `the input looks like UTF-8 (${d.why}), not latin-1: decoded as UTF-8`);
    }
    return this.start(d.encoding);
  }

  /** Feeds a chunk; returns the lines it completed. */
  push(chunk: Uint8Array | string): Line[] {
    if (typeof chunk === 'string') {
      if (this.first && chunk.charCodeAt(0) === 0xfeff) {
        warn(this.ctx, 'encoding', 'the text starts with a byte order mark (removed)');
        chunk = chunk.slice(1);
      }
      if (chunk.length > 0) this.first = false;
      return this.track((this.splitter ?? this.start('latin1')).push(chunk));
    }
    if (chunk.length > 0) this.first = false;
    if (this.splitter !== undefined) return this.track(this.splitter.push(chunk));
    if (this.decided !== undefined) return this.track(this.start(this.decided).push(chunk));
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < SNIFF_BYTES) return [];
    return this.flushPending(false);
  }

  private flushPending(complete: boolean): Line[] {
    const splitter = this.decideFromPending(complete);
    const out: Line[] = [];
    for (const c of this.pending) for (const l of splitter.push(c)) out.push(l);
    this.pending = [];
    return this.track(out);
  }

  /** Ends the input; returns the remaining lines and reports `missing_final_newline`. */
  end(): Line[] {
    let out: Line[] = [];
    if (this.splitter === undefined && this.pending.length > 0) out = this.flushPending(true);
    const s = this.splitter;
    if (s !== undefined) for (const l of this.track(s.end())) out.push(l);
    if (this.lastTerminator === '' && s?.detectedMode === 'lines') {
      warn(this.ctx, 'missing_final_newline', 'the last line has no line terminator', this.lastNumber);
    }
    return out;
  }

  private track(lines: Line[]): Line[] {
    const n = lines.length;
    if (n > 0) {
      this.lastTerminator = lines[n - 1]!.terminator;
      this.lastNumber = lines[n - 1]!.number;
      if (!this.checkedMode && this.splitter?.detectedMode !== undefined) {
        this.checkedMode = true;
        if (this.splitter.detectedMode === 'fixed') {
          warn(this.ctx, 'line_separator', 'no line separators: read as a stream of 80-character records', 1);
        }
      }
    }
    return lines;
  }
}

const SLICE = 1 << 20;

/** Splits a whole input into lines, calling `onLine` for each (1 MiB slices keep peak memory low). */
export function forEachLine(input: Uint8Array | string, feed: LineFeed, onLine: (l: Line) => void): void {
  for (const piece of slicesOf(input)) for (const l of feed.push(piece)) onLine(l);
  for (const l of feed.end()) onLine(l);
}

/**
 * One piece of input (the whole input, or one chunk of a stream) in slices of at most 1 MiB of bytes, so that
 * a large chunk never becomes one array of all its lines. Text is passed whole.
 */
export function* slicesOf(input: Uint8Array | string): Generator<Uint8Array | string> {
  if (typeof input === 'string' || input.length <= SLICE) {
    yield input;
    return;
  }
  for (let off = 0; off < input.length; off += SLICE) yield input.subarray(off, Math.min(input.length, off + SLICE));
}
