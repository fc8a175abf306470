/**
 * Input handling shared by every reader: encoding detection (`auto`), splitting into lines in any chunking,
 * and the file-level line warnings (`encoding`, `line_separator`, `missing_final_newline`).
 */
import { DOS_EOF, FileDecoder, type Issue, issue, type Line, LineSplitter } from '@nordfil/core';

/**
 * Encodings the readers accept. `auto`: latin-1 unless the input starts with a UTF-8 byte order mark or its
 * first non-ASCII byte starts a valid UTF-8 multi-byte sequence.
 *
 * @example
 * parseOcrGiro(bytes, { encoding: 'auto' });
 */
export type InputEncoding = 'auto' | 'latin1' | 'utf-8';

/** Where issues go while reading. */
export interface IssueSink {
  readonly source: string | undefined;
  readonly issues: Issue[];
  /** Count of error issues so far (strict readers stop at the first). */
  errors: number;
  /** Called with each issue as it is found. */
  readonly onIssue?: ((issue: Issue) => void) | undefined;
  /**
   * Set by the {@link LineFeed} when the text can hold characters above U+00FF (text input, or bytes decoded
   * as UTF-8): the line reader then looks for them (`not_latin1`). Latin-1 bytes cannot: no cost there.
   */
  wide?: boolean;
  /**
   * The `encoding` warning for UTF-8 found at the first non-ASCII byte, waiting for the line that holds it:
   * reported with that line, so the issues come in the same order whatever the chunking.
   */
  encodingNote?: string | undefined;
  /**
   * Lines the splitter cut into 80-character records, waiting for the record reader to reach them (so that
   * the warning comes in line order whatever the chunking): [line, records], records 0 for a line longer than
   * the line limit (1 MiB) that was read on as records.
   */
  cutLines?: [number, number][];
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

/** Pushes chunks, gets lines; reports the file-level line warnings. One per input. */
export class LineFeed {
  private readonly splitter = new LineSplitter({
    recordLength: 80,
    mode: 'auto',
    // a line longer than 1 MiB, or a line of whole records with no line ending between them, is read as
    // 80-character records (as a file with no line separators is) instead of ending the read or being one
    // bad record: records whose line endings were lost are read, in bounded memory
    onLongLine: (line) => this.cut(line, 0),
    onRecordRun: (line, records) => this.cut(line, records),
  });
  private readonly decoder: FileDecoder;
  private lastTerminator: Line['terminator'] | undefined;
  private lastNumber = 0;
  private lastText = '';
  private checkedMode = false;
  private first = true;
  private text = false;

  constructor(
    private readonly ctx: IssueSink,
    requested: InputEncoding,
  ) {
    // ASCII as it comes, the encoding decided at the first non-ASCII byte (core's FileDecoder)
    this.decoder = new FileDecoder(requested);
    // UTF-8 asked for: the text can hold characters above U+00FF from the start
    if (requested === 'utf-8') ctx.wide = true;
  }

  private cut(line: number, records: number): void {
    this.ctx.cutLines ??= [];
    this.ctx.cutLines.push([line, records]);
  }

  /** The encoding in use (latin-1 until decided otherwise; text input is reported as latin-1). */
  get encoding(): 'latin1' | 'utf-8' {
    return this.text ? 'latin1' : (this.decoder.encoding ?? 'latin1');
  }

  /** Feeds a chunk; returns the lines it completed. */
  push(chunk: Uint8Array | string): Line[] {
    if (typeof chunk === 'string') {
      this.text = true;
      this.ctx.wide = true;
      if (this.first && chunk.charCodeAt(0) === 0xfeff) {
        warn(this.ctx, 'encoding', 'the text starts with a byte order mark (removed)');
        chunk = chunk.slice(1);
      }
      if (chunk.length > 0) this.first = false;
      return this.track(this.splitter.push(chunk));
    }
    if (chunk.length > 0) this.first = false;
    return this.track(this.splitter.push(this.decode(chunk)));
  }

  private decode(chunk: Uint8Array | undefined): string {
    const d = this.decoder;
    const before = d.encoding;
    const bom = d.bom;
    // the decision may come at the end: `auto` holds back the bytes from the first non-ASCII byte on
    // until it has seen enough of them, or the input ends
    const text = chunk === undefined ? d.end() : d.write(chunk);
    if (d.bom && !bom && before === undefined) {
      warn(this.ctx, 'encoding', 'the input looks like UTF-8 (a UTF-8 byte order mark), not latin-1: decoded as UTF-8');
    }
    if (d.encoding === 'utf-8' && before !== 'utf-8') {
      this.ctx.wide = true;
      if (d.sniffedUtf8) {
        this.ctx.encodingNote =
          'the input looks like UTF-8 (its first non-ASCII byte starts a UTF-8 multibyte sequence), not latin-1: decoded as UTF-8';
      }
    }
    return text;
  }

  /** Ends the input; returns the remaining lines and reports `missing_final_newline`. */
  end(): Line[] {
    const out: Line[] = [];
    const tail = this.decode(undefined);
    if (tail !== '') for (const l of this.track(this.splitter.push(tail))) out.push(l);
    for (const l of this.track(this.splitter.end())) out.push(l);
    // a DOS end-of-file marker (Ctrl-Z) as the last line needs no terminator after it
    if (this.lastTerminator === '' && this.splitter.detectedMode === 'lines' && this.lastText !== DOS_EOF) {
      warn(this.ctx, 'missing_final_newline', 'the last line has no line terminator', this.lastNumber);
    }
    return out;
  }

  private track(lines: Line[]): Line[] {
    const n = lines.length;
    if (n > 0) {
      const last = lines[n - 1]!;
      this.lastTerminator = last.terminator;
      this.lastNumber = last.number;
      this.lastText = last.text;
      if (!this.checkedMode && this.splitter.detectedMode !== undefined) {
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
