/**
 * The line reader: bytes (or text) in any chunking -> decoded lines with 1-based numbers and their
 * terminators, so the input can be reproduced byte for byte ({@link joinLines}).
 *
 * Handles CRLF, LF and CR (also a CR at the end of one chunk and its LF at the start of the next), a
 * missing final terminator, and fixed-length records with no separator at all (BGMax example files are
 * a continuous stream of 80-character records). Decoding happens before anything is cut, so fixed
 * records are counted in characters, not bytes.
 *
 * Three entry points share one engine ({@link LineSplitter}) and give identical lines for every
 * chunking: {@link splitLines} (whole input, sync), {@link readLines} (streaming, one line at a time)
 * and {@link readLineBatches} (streaming, one array per input chunk: the fast one).
 */
import { createDecoder, type EncodingName, normalizeEncoding, type StreamDecoder } from './encoding.js';
import { issue, NordfilError } from './errors.js';

/** How a line ended: CRLF, LF, a lone CR, or nothing (the last line of an unterminated input, or a fixed record). */
export type LineTerminator = '\r\n' | '\n' | '\r' | '';

/** One decoded line (or fixed-length record) of the input. */
export interface Line {
  /** The line's text without its terminator. */
  readonly text: string;
  /** 1-based line (record) number. */
  readonly number: number;
  /** The terminator that followed the line in the input (`''` for fixed records and an unterminated last line). */
  readonly terminator: LineTerminator;
}

/**
 * Receives one line from {@link LineSplitter.scan}: the line is `text.slice(start, end)` (its terminator
 * excluded), numbered from 1.
 */
export type LineVisitor = (
  text: string,
  start: number,
  end: number,
  number: number,
  terminator: LineTerminator,
) => void;

/**
 * Offered a candidate record before the line end is searched for (see {@link LineSplitter.scan}):
 * `recordLength` characters at `start` of `text`, followed by LF or CRLF. Returns true when it took
 * the record, which it may only do when none of those characters is a CR or LF (then the line is
 * exactly that record); false, having done nothing, sends the line the usual way to the visitor.
 */
export type RecordProbe = (text: string, start: number, number: number, terminator: LineTerminator) => boolean;

/**
 * How records are delimited:
 * - `lines`: by CR, LF or CRLF (the default when no `recordLength` is given);
 * - `fixed`: every `recordLength` characters, each optionally followed by a terminator;
 * - `auto` (the default when `recordLength` is given): `fixed` when the first line (the text before the
 *   first CR or LF, or the whole input when there is none) is at least two records long, else `lines`.
 */
export type RecordMode = 'auto' | 'lines' | 'fixed';

/** Options of the line reader. */
export interface LineOptions {
  /** Encoding of byte input (ignored for text). Default `latin1`. */
  readonly encoding?: EncodingName;
  /** Length of a fixed record in characters, e.g. 80 for BGMax and Total-IN; enables `auto` detection. */
  readonly recordLength?: number;
  /** See {@link RecordMode}. Default `auto` with a `recordLength`, else `lines`. */
  readonly mode?: RecordMode;
  /**
   * Longest accepted line in characters; a longer one throws a NordfilError `line_too_long`, so a
   * never-ending line cannot exhaust memory when streaming. Default 1 048 576.
   */
  readonly maxLineLength?: number;
  /**
   * Called instead of throwing when a line grows longer than `maxLineLength`, with the number of the line
   * (needs a `recordLength`): the line is then cut into records of `recordLength` characters, each numbered
   * as a line of its own (as a file with no line separator is), so that a stretch of records whose line
   * endings were lost is still read, in bounded memory. Called once for each such line.
   */
  readonly onLongLine?: (line: number, maxLineLength: number) => void;
  /**
   * Called with the number of a line that holds two or more whole records and nothing else (its length a
   * multiple of `recordLength`; needs one), and how many: the line is then cut into them, each numbered as a
   * line of its own, as a file with no line separator is. Records whose line endings were lost are read as
   * records. Without this option such a line is one line.
   */
  readonly onRecordRun?: (line: number, records: number) => void;
  /** Source name for issues (a file name). */
  readonly source?: string;
}

/** A web ReadableStream of bytes, typed structurally so any implementation fits. */
export interface ByteReadableStream {
  getReader(): {
    read(): Promise<{ done: true; value?: undefined } | { done: false; value: Uint8Array | string }>;
    releaseLock(): void;
    cancel(reason?: unknown): Promise<void>;
  };
}

/**
 * Anything a streaming reader accepts: whole input, a web stream (any `ReadableStream<Uint8Array>` fits
 * {@link ByteReadableStream}), or (async) iterables of chunks (a Node Readable is one). See {@link byteChunks}.
 */
export type ByteSource =
  | Uint8Array
  | string
  | ByteReadableStream
  | AsyncIterable<Uint8Array | string>
  | Iterable<Uint8Array | string>;

/** Anything the streaming line readers accept: a {@link ByteSource}. */
export type LineSource = ByteSource;

const DEFAULT_MAX_LINE = 1_048_576;

/**
 * A DOS end-of-file marker (Ctrl-Z, 0x1A), which old tools write on a line of its own at the end of a text file.
 *
 * @example
 * line.text === DOS_EOF; // a line to ignore (with a warning), not a record
 */
export const DOS_EOF = '\x1a';

/**
 * What to say of a line a {@link LineSplitter} cut into records (see {@link LineOptions.onLongLine} and
 * {@link LineOptions.onRecordRun}): `records` whole records with no line ending between them, or (0) a line
 * longer than `maxLineLength` read on as records.
 *
 * @example
 * cutLineMessage(3, 2, 80); // 'line 3 holds 2 records of 80 characters with no line ending between them: read as 2 records'
 */
export function cutLineMessage(
  line: number,
  records: number,
  recordLength: number,
  maxLineLength = DEFAULT_MAX_LINE,
): string {
  return records === 0
    ? `line ${line} runs on for more than ${maxLineLength} characters without a line ending: read on as ${recordLength}-character records`
    : `line ${line} holds ${records} records of ${recordLength} characters with no line ending between them: read as ${records} records`;
}

function configError(field: string, message: string): NordfilError {
  return new NordfilError(issue('invalid_config', message, { field }));
}

/**
 * The engine behind every reader: push chunks (bytes or text), get completed lines; only the partial
 * last line is kept between calls, so memory stays constant. Use it directly when you drive the chunks
 * yourself (e.g. from an event-based API).
 *
 * @example
 * const s = new LineSplitter();
 * s.push('A\r'); // []  (is the CR followed by an LF? wait for the next chunk)
 * s.push('\nB'); // [{ text: 'A', number: 1, terminator: '\r\n' }]
 * s.end();       // [{ text: 'B', number: 2, terminator: '' }]
 */
export class LineSplitter {
  private carry = '';
  private next = 1;
  private mode: 'lines' | 'fixed' | undefined;
  private decoder: StreamDecoder | undefined;
  private finished = false;
  private readonly encoding: EncodingName;
  private readonly recordLength: number;
  private readonly maxLineLength: number;
  private readonly source: string | undefined;
  private readonly onLongLine: ((line: number, maxLineLength: number) => void) | undefined;
  private readonly onRecordRun: ((line: number, records: number) => void) | undefined;
  /** True while the current line is being cut into records (see {@link LineOptions.onLongLine}). */
  private cutting = false;

  constructor(options: LineOptions = {}) {
    const rl = options.recordLength;
    if (rl !== undefined && (!Number.isInteger(rl) || rl < 1)) {
      throw configError('recordLength', `recordLength must be a positive integer, got ${rl}`);
    }
    const mode = options.mode ?? (rl === undefined ? 'lines' : 'auto');
    if (mode !== 'lines' && mode !== 'fixed' && mode !== 'auto') {
      throw configError('mode', `mode must be 'auto', 'lines' or 'fixed', got ${String(mode)}`);
    }
    if (mode !== 'lines' && rl === undefined) throw configError('recordLength', `mode '${mode}' needs a recordLength`);
    const max = options.maxLineLength ?? DEFAULT_MAX_LINE;
    if (!(max >= 1)) throw configError('maxLineLength', `maxLineLength must be positive, got ${max}`);
    this.encoding = normalizeEncoding(options.encoding ?? 'latin1');
    this.recordLength = rl ?? 0;
    this.maxLineLength = max;
    this.source = options.source;
    if (options.onLongLine !== undefined && rl === undefined) {
      throw configError('onLongLine', 'onLongLine needs a recordLength to cut long lines into');
    }
    this.onLongLine = options.onLongLine;
    if (options.onRecordRun !== undefined && rl === undefined) {
      throw configError('onRecordRun', 'onRecordRun needs a recordLength to cut lines into');
    }
    this.onRecordRun = options.onRecordRun;
    this.mode = mode === 'auto' ? undefined : mode;
  }

  /** The detected (or configured) mode; `undefined` while `auto` has not seen enough input to decide. */
  get detectedMode(): 'lines' | 'fixed' | undefined {
    return this.mode;
  }

  /** Feeds a chunk and returns the lines it completed (possibly none). */
  push(chunk: Uint8Array | string): Line[] {
    const out: Line[] = [];
    this.scan(chunk, (source, start, end, number, terminator) => {
      out.push({ text: source.slice(start, end), number, terminator });
    });
    return out;
  }

  /** Ends the input and returns the remaining lines. */
  end(): Line[] {
    const out: Line[] = [];
    this.scanEnd((source, start, end, number, terminator) => {
      out.push({ text: source.slice(start, end), number, terminator });
    });
    return out;
  }

  /**
   * Feeds a chunk and calls `visit` with each line it completed, as a range of a text the splitter
   * holds (no `Line` object and no line string unless the visitor slices one): the allocation-free
   * form of {@link push} for parsers with a hot loop. A visitor that throws abandons the rest of the chunk.
   * With a `recordLength`, a `probe` is offered each full record followed by a line ending before the
   * line end is searched for: a parser that checks every character of a record anyway saves the search.
   *
   * @example
   * s.scan(chunk, (text, start, end, number) => {
   *   if (text.charCodeAt(start) === 50) handlePayment(text, start, number);
   * });
   */
  scan(chunk: Uint8Array | string, visit: LineVisitor, probe?: RecordProbe): void {
    if (this.finished) throw new TypeError('LineSplitter: push() after end()');
    let text: string;
    if (typeof chunk === 'string') text = chunk;
    else {
      this.decoder ??= createDecoder(this.encoding);
      text = this.decoder.write(chunk);
    }
    this.process(text, false, visit, probe);
  }

  /** Ends the input and calls `visit` with the remaining lines (see {@link scan}). */
  scanEnd(visit: LineVisitor, probe?: RecordProbe): void {
    if (this.finished) return;
    const tail = this.decoder === undefined ? '' : this.decoder.end();
    this.process(tail, true, visit, probe);
    this.finished = true;
  }

  private process(text: string, final: boolean, visit: LineVisitor, probe: RecordProbe | undefined): void {
    if (this.mode === 'lines' && this.carry.length > 0) {
      const lf = text.indexOf('\n');
      if (lf !== -1) {
        // the carried partial line and its end are joined on their own, and the rest of the chunk is
        // scanned as the flat string it is: the whole concatenation would be a cons string, slower
        // to read character by character
        const head = this.carry + text.slice(0, lf + 1);
        this.carry = '';
        this.splitSeparated(head, 0, false, visit, probe);
        this.carry = this.splitSeparated(text, lf + 1, final, visit, probe);
        return;
      }
    }
    const s = this.carry.length === 0 ? text : text.length === 0 ? this.carry : this.carry + text;
    this.carry = '';
    if (s.length === 0) return;
    if (this.mode === undefined) {
      const m = this.decide(s, final);
      if (m === undefined) {
        this.carry = s;
        return;
      }
      this.mode = m;
    }
    if (this.mode === 'lines') this.carry = this.splitSeparated(s, 0, final, visit, probe);
    else this.carry = this.splitFixed(s, final, visit);
  }

  /** `auto` mode: fixed when the first line is at least two records long; `undefined` = need more input. */
  private decide(s: string, final: boolean): 'lines' | 'fixed' | undefined {
    const threshold = 2 * this.recordLength;
    const window = s.length > threshold ? s.slice(0, threshold) : s;
    const lf = window.indexOf('\n');
    const cr = window.indexOf('\r');
    if (lf !== -1 || cr !== -1) return 'lines';
    if (s.length >= threshold) return 'fixed';
    return final ? 'lines' : undefined;
  }

  private tooLong(length: number, number: number): NordfilError {
    return new NordfilError(
      issue('line_too_long', `line ${number} is longer than maxLineLength (${this.maxLineLength} characters)`, {
        ...(this.source === undefined ? {} : { source: this.source }),
        line: number,
        expected: String(this.maxLineLength),
        actual: `>= ${length}`,
      }),
    );
  }

  /** A line longer than `maxLineLength`: throws, or tells `onLongLine` and has it cut into records. */
  private longLine(length: number, number: number): void {
    if (this.onLongLine === undefined) throw this.tooLong(length, number);
    this.cutting = true;
    this.onLongLine(number, this.maxLineLength);
  }

  /** Splits at CR, LF and CRLF from `pos`; returns the unfinished tail. */
  private splitSeparated(
    s: string,
    pos: number,
    final: boolean,
    visit: LineVisitor,
    probe?: RecordProbe | undefined,
  ): string {
    const n = s.length;
    const max = this.maxLineLength;
    const rl = this.recordLength;
    let num = this.next;
    let lf = s.indexOf('\n', pos);
    let cr = s.indexOf('\r', pos);
    for (;;) {
      if (probe !== undefined && rl > 0 && pos + rl < n) {
        // a full record followed by LF or CRLF: offered to the probe before any search for the line end
        const c = s.charCodeAt(pos + rl);
        let after = -1;
        let terminator: LineTerminator = '\n';
        if (c === 10) after = pos + rl + 1;
        else if (c === 13 && pos + rl + 1 < n && s.charCodeAt(pos + rl + 1) === 10) {
          after = pos + rl + 2;
          terminator = '\r\n';
        }
        if (after !== -1) {
          this.next = num + 1;
          if (probe(s, pos, num, terminator)) {
            // a line ending: the end of any line being cut into records
            this.cutting = false;
            num++;
            pos = after;
            continue;
          }
          this.next = num;
        }
      }
      if (lf !== -1 && lf < pos) lf = s.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = s.indexOf('\r', pos);
      let end: number;
      let terminator: LineTerminator;
      let after: number;
      if (lf !== -1 && (cr === -1 || lf < cr)) {
        end = lf;
        terminator = '\n';
        after = lf + 1;
      } else if (cr !== -1) {
        end = cr;
        if (cr + 1 < n) {
          if (s.charCodeAt(cr + 1) === 10) {
            terminator = '\r\n';
            after = cr + 2;
          } else {
            terminator = '\r';
            after = cr + 1;
          }
        } else if (final) {
          terminator = '\r';
          after = cr + 1;
        } else break; // a CR at the very end: its LF may start the next chunk
      } else break;
      const length = end - pos;
      const run =
        !this.cutting && this.onRecordRun !== undefined && length >= 2 * rl && length % rl === 0 && length <= max;
      if (length > max || this.cutting || run) {
        this.next = num;
        if (run) this.onRecordRun!(num, length / rl);
        else if (!this.cutting) this.longLine(length, num);
        // whole records while more than one is left; the last piece (up to a record) ends the line
        while (end - pos > rl) {
          this.next = num + 1;
          visit(s, pos, pos + rl, num++, '');
          pos += rl;
        }
        this.cutting = false;
      }
      this.next = num + 1;
      visit(s, pos, end, num++, terminator);
      pos = after;
    }
    if (pos < n) {
      // the unfinished line, without a pending CR
      const pendingCr = s.charCodeAt(n - 1) === 13 ? 1 : 0;
      if (n - pos - pendingCr > max || this.cutting) {
        this.next = num;
        if (!this.cutting) this.longLine(n - pos - pendingCr, num);
        this.cutting = true;
        // whole records, keeping more than a record back: the line's last piece is visited with its ending
        while (n - pos - pendingCr > rl) {
          this.next = num + 1;
          visit(s, pos, pos + rl, num++, '');
          pos += rl;
        }
      }
      if (final) {
        const length = n - pos;
        if (!this.cutting && this.onRecordRun !== undefined && length >= 2 * rl && length % rl === 0) {
          // the last line, without a line ending, holding whole records only
          this.next = num;
          this.onRecordRun(num, length / rl);
          while (n - pos > rl) {
            this.next = num + 1;
            visit(s, pos, pos + rl, num++, '');
            pos += rl;
          }
        }
        this.cutting = false;
        this.next = num + 1;
        visit(s, pos, n, num++, '');
        pos = n;
      }
    }
    this.next = num;
    return pos < n ? s.slice(pos) : '';
  }

  /** Cuts records of `recordLength`, each optionally followed by a terminator; returns the unfinished tail. */
  private splitFixed(s: string, final: boolean, visit: LineVisitor): string {
    const n = s.length;
    const rl = this.recordLength;
    let num = this.next;
    let pos = 0;
    // a record needs two characters of lookahead (is it followed by CRLF?) unless the input has ended
    while (n - pos >= rl + 2 || (final && n - pos >= rl)) {
      const end = pos + rl;
      const c = end < n ? s.charCodeAt(end) : -1;
      let terminator: LineTerminator = '';
      let after = end;
      if (c === 10) {
        terminator = '\n';
        after = end + 1;
      } else if (c === 13) {
        if (end + 1 < n && s.charCodeAt(end + 1) === 10) {
          terminator = '\r\n';
          after = end + 2;
        } else {
          terminator = '\r';
          after = end + 1;
        }
      }
      this.next = num + 1;
      visit(s, pos, end, num++, terminator);
      pos = after;
    }
    this.next = num;
    if (final && pos < n) {
      // a short last record (trailing blanks stripped) and any blank lines after it
      return this.splitSeparated(s, pos, true, visit);
    }
    return pos < n ? s.slice(pos) : '';
  }
}

/**
 * Splits a whole input into lines (sync). Bytes are decoded first (default latin-1).
 *
 * @example
 * splitLines('01BGMAX\r\n70\n');
 * // [{ text: '01BGMAX', number: 1, terminator: '\r\n' }, { text: '70', number: 2, terminator: '\n' }]
 * splitLines('A'.repeat(80) + 'B'.repeat(80), { recordLength: 80 }).length; // 2 (no separator: fixed records)
 */
export function splitLines(input: Uint8Array | string, options: LineOptions = {}): Line[] {
  const splitter = new LineSplitter(options);
  let lines: Line[];
  if (typeof input === 'string' || input.length <= SLICE) lines = splitter.push(input);
  else {
    // decode in slices: a 100 MB latin-1 string costs more to build than 1 MB pieces (and stays far
    // from V8's string-length limit)
    lines = [];
    for (let off = 0; off < input.length; off += SLICE) {
      for (const l of splitter.push(input.subarray(off, Math.min(input.length, off + SLICE)))) lines.push(l);
    }
  }
  for (const l of splitter.end()) lines.push(l);
  return lines;
}

const SLICE = 1024 * 1024;

function isReadableStream(x: unknown): x is ByteReadableStream {
  return typeof x === 'object' && x !== null && typeof (x as { getReader?: unknown }).getReader === 'function';
}

/**
 * The chunks of any {@link ByteSource}, as they arrive: whole input as one chunk, a web stream read by
 * its reader, (async) iterables passed through. When the consumer stops early (a `break`, or an error
 * thrown while handling a chunk) a web stream's reader is cancelled, so its producer stops too; the
 * lock is released in every case. Anything else throws a NordfilError `invalid_input`.
 *
 * @example
 * import { createReadStream } from 'node:fs';
 * for await (const chunk of byteChunks(createReadStream('bgmax.txt'))) splitter.push(chunk);
 * for await (const chunk of byteChunks(response.body!)) if (done(chunk)) break; // cancels the stream
 */
export async function* byteChunks(input: ByteSource): AsyncGenerator<Uint8Array | string, void, undefined> {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    yield input;
    return;
  }
  if (isReadableStream(input)) {
    const reader = input.getReader();
    let done = false;
    try {
      for (;;) {
        const r = await reader.read();
        if (r.done) {
          done = true;
          return;
        }
        yield r.value;
      }
    } finally {
      // the consumer stopped early (break, or an error such as line_too_long): stop the producer too
      if (!done) await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  if (typeof input === 'object' && input !== null && Symbol.asyncIterator in input) {
    yield* input as AsyncIterable<Uint8Array | string>;
    return;
  }
  if (typeof input === 'object' && input !== null && Symbol.iterator in input) {
    yield* input as Iterable<Uint8Array | string>;
    return;
  }
  throw new NordfilError(
    issue('invalid_input', 'expected bytes, a string, a ReadableStream or an (async) iterable of chunks'),
  );
}

/**
 * Reads lines as they arrive, one array per input chunk (no empty arrays). The fast streaming reader:
 * a parser loops over each batch synchronously instead of awaiting every line.
 *
 * @example
 * import { createReadStream } from 'node:fs';
 * for await (const batch of readLineBatches(createReadStream('bgmax.txt'), { recordLength: 80 })) {
 *   for (const line of batch) handle(line.text, line.number);
 * }
 */
export async function* readLineBatches(
  input: LineSource,
  options: LineOptions = {},
): AsyncGenerator<Line[], void, undefined> {
  const splitter = new LineSplitter(options);
  for await (const chunk of byteChunks(input)) {
    const batch = splitter.push(chunk);
    if (batch.length > 0) yield batch;
  }
  const tail = splitter.end();
  if (tail.length > 0) yield tail;
}

/**
 * Reads lines as they arrive, one at a time. Simple but slower per line than {@link readLineBatches}.
 *
 * @example
 * for await (const line of readLines(response.body!, { encoding: 'utf-8' })) console.log(line.number, line.text);
 */
export async function* readLines(input: LineSource, options: LineOptions = {}): AsyncGenerator<Line, void, undefined> {
  for await (const batch of readLineBatches(input, options)) yield* batch;
}

/**
 * Joins lines with their own terminators: the exact decoded input back, for any input.
 *
 * @example
 * joinLines(splitLines('a\r\nb\rc')) === 'a\r\nb\rc'; // true
 */
export function joinLines(lines: readonly Line[]): string {
  let s = '';
  for (const l of lines) s += l.text + l.terminator;
  return s;
}

/**
 * True when the input ended with a line terminator (its last line has one). False for empty input.
 *
 * @example
 * endsWithTerminator(splitLines('a\n'));  // true
 * endsWithTerminator(splitLines('a'));    // false
 */
export function endsWithTerminator(lines: readonly Line[]): boolean {
  const last = lines[lines.length - 1];
  return last !== undefined && last.terminator !== '';
}

/**
 * Replaces tabs by spaces up to the next tab stop (every `tabSize` columns). One official BGMax example
 * has TABs in place of blanks in a TK22 reference; expanding to 8-column stops restores its columns.
 * The reader never does this itself (it would break byte-exact reproduction): parsers call it on a line
 * that contains a tab, and report it.
 *
 * @example
 * expandTabs('22\t1234'); // '22      1234'
 */
export function expandTabs(text: string, tabSize = 8): string {
  if (text.indexOf('\t') === -1) return text;
  let out = '';
  let col = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\t') {
      const pad = tabSize - (col % tabSize);
      out += ' '.repeat(pad);
      col += pad;
    } else {
      out += ch;
      col++;
    }
  }
  return out;
}
