/**
 * Internal: the physical layer. Bytes (whole or streamed, in any chunking) -> decoded lines, with the
 * encoding chosen once (`auto`: latin-1 unless a byte order mark or UTF-8 multi-byte sequences), and
 * the file's layout recorded (line ending, final terminator, fixed-length stream) so a writer can
 * reproduce it. Physical quirks become warnings: `encoding`, `line_separator`, `blank_line`,
 * `missing_final_newline`.
 */
import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import {
  type ByteSource,
  type IssueCollector,
  type Line,
  LineSplitter,
  type LineTerminator,
  type LineVisitor,
  type RecordProbe,
} from '@nordfil/core';

/** The encodings a BGMax reader accepts. `auto` (the default) picks latin-1 or UTF-8 from the bytes. */
export type BgmaxEncoding = 'latin1' | 'utf-8' | 'auto';

/** How a file was laid out on disk; the writer's defaults, so an unchanged file is written back as read. */
export interface BgmaxFileFormat {
  /** `latin1` (ISO-8859-1, what Bankgirot sends) or `utf-8` (a re-encoded copy). */
  readonly encoding: 'latin1' | 'utf-8';
  /** The file started with a UTF-8 byte order mark. */
  readonly bom: boolean;
  /** The record separator: CRLF, LF, CR, or `''` for a stream of 80-character records without any. */
  readonly lineEnding: LineTerminator;
  /** The last record was followed by a line ending. */
  readonly finalTerminator: boolean;
}

/** Anything the streaming reader accepts: whole input, a web stream, or (async) iterables of byte chunks. */
export type BgmaxInput = ByteSource;

const SLICE = 64 * 1024;
const BOM = [0xef, 0xbb, 0xbf];

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Length of a UTF-8 sequence from its lead byte, or 0 when the byte cannot start one. */
function utf8SequenceLength(b: number): number {
  if (b >= 0xc2 && b <= 0xdf) return 2;
  if (b >= 0xe0 && b <= 0xef) return 3;
  if (b >= 0xf0 && b <= 0xf4) return 4;
  return 0;
}

/**
 * Decodes byte chunks to text with the encoding fixed once. In `auto` mode the choice waits for the
 * first non-ASCII byte (ASCII reads the same in both encodings) and looks only at that byte's UTF-8
 * sequence, so every chunking of the same bytes decides the same way.
 */
export class ChunkDecoder {
  encoding: 'latin1' | 'utf-8' | undefined;
  bom = false;
  private pending: Uint8Array | undefined;
  private utf8: TextDecoder | undefined;
  private started = false;
  /** The text the last {@link ChunkDecoder.write} returned and, when it was decoded from latin-1, its bytes. */
  lastText = '';
  lastBytes: Buffer | undefined;

  constructor(encoding: BgmaxEncoding) {
    this.encoding = encoding === 'auto' ? undefined : encoding;
  }

  /** Decides from a whole input at once (latin-1 unless a BOM or valid UTF-8 with multi-byte sequences). */
  decideWhole(bytes: Uint8Array): void {
    if (this.encoding !== undefined) return;
    if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) this.encoding = 'utf-8';
    else this.encoding = wholeIsUtf8(bytes) ? 'utf-8' : 'latin1';
  }

  write(chunk: Uint8Array): string {
    let bytes = chunk;
    if (this.pending !== undefined) {
      const joined = new Uint8Array(this.pending.length + chunk.length);
      joined.set(this.pending, 0);
      joined.set(chunk, this.pending.length);
      bytes = joined;
      this.pending = undefined;
    }
    if (!this.started) {
      // a byte order mark, possibly split over chunks
      let i = 0;
      while (i < 3 && i < bytes.length && bytes[i] === BOM[i]) i++;
      if (i === 3) {
        this.bom = true;
        if (this.encoding === undefined) this.encoding = 'utf-8';
        bytes = bytes.subarray(3);
        this.started = true;
      } else if (i === bytes.length) {
        this.pending = bytes.slice();
        return '';
      } else this.started = true;
    }
    if (this.encoding === undefined) {
      let p = 0;
      const n = bytes.length;
      while (p < n && bytes[p]! < 0x80) p++;
      if (p === n) return this.latin1(bytes);
      const len = utf8SequenceLength(bytes[p]!);
      if (len === 0) this.encoding = 'latin1';
      else if (p + len > n) {
        // the deciding sequence is cut by the chunk boundary: decide on the next chunk
        this.pending = bytes.slice(p);
        return this.latin1(bytes.subarray(0, p));
      } else this.encoding = isUtf8(bytes.subarray(p, p + len)) ? 'utf-8' : 'latin1';
    }
    if (this.encoding === 'latin1') return this.latin1(bytes);
    this.lastBytes = undefined;
    this.lastText = this.decodeUtf8(bytes);
    return this.lastText;
  }

  /** `bytes` as latin-1 text, remembered with its bytes (one byte per character). */
  private latin1(bytes: Uint8Array): string {
    const b = asBuffer(bytes);
    this.lastBytes = b;
    this.lastText = b.toString('latin1');
    return this.lastText;
  }

  end(): string {
    let out = '';
    if (this.pending !== undefined) {
      const rest = this.pending;
      this.pending = undefined;
      if (this.encoding === undefined) this.encoding = 'latin1';
      out = this.encoding === 'latin1' ? asBuffer(rest).toString('latin1') : this.decodeUtf8(rest);
    }
    if (this.utf8 !== undefined) out += this.utf8.decode();
    this.encoding ??= 'latin1';
    return out;
  }

  private decodeUtf8(bytes: Uint8Array): string {
    this.utf8 ??= new TextDecoder('utf-8', { ignoreBOM: true });
    return this.utf8.decode(bytes, { stream: true });
  }
}

/**
 * Valid UTF-8 with at least one multi-byte sequence. Decided without validating the whole input when
 * the first non-ASCII byte cannot start a valid sequence (a latin-1 letter followed by ASCII): then the
 * whole cannot be valid UTF-8 either.
 */
function wholeIsUtf8(bytes: Uint8Array): boolean {
  const n = bytes.length;
  let p = 0;
  while (p < n && bytes[p]! < 0x80) p++;
  if (p === n) return false; // ASCII only
  const len = utf8SequenceLength(bytes[p]!);
  if (len === 0 || p + len > n || !isUtf8(bytes.subarray(p, p + len))) return false;
  return isUtf8(bytes);
}

/**
 * Lines of a BGMax input, with the physical checks. Feed text, get lines (or have each line visited as
 * a range of the text, {@link PhysicalReader.scan}, the allocation-free form); `end()` flushes and
 * reports what can only be known at the end (a missing final line ending).
 */
export class PhysicalReader {
  private readonly splitter = new LineSplitter({
    recordLength: 80,
    // a line longer than the splitter's limit is read on as 80-character records instead of ending the read:
    // records whose line endings were lost (or junk, which the record reader then reports) in bounded memory
    onLongLine: (line, max) => this.longLine(line, max),
  });
  private lineEnding: LineTerminator | undefined;
  private mixedReported = false;
  private fixedReported = false;
  /** Number, terminator and length of the last line seen (number 0: none yet). */
  lastNumber = 0;
  lastTerminator: LineTerminator = '';
  lastLength = 0;
  /** Lines seen so far (blank ones included). */
  lineCount = 0;
  private visit: LineVisitor = () => undefined;
  private probe: RecordProbe = () => false;
  /** The caller's probe, with the same bookkeeping as a visited line when it takes the record. */
  private readonly probeChecked: RecordProbe = (text, start, number, terminator) => {
    if (!this.probe(text, start, number, terminator)) return false;
    if (++this.lineCount === 1) this.reportFixed();
    if (terminator !== this.lineEnding) this.terminator(terminator, number);
    this.lastNumber = number;
    this.lastTerminator = terminator;
    this.lastLength = 80;
    return true;
  };
  private readonly check: LineVisitor = (text, start, end, number, terminator) => {
    if (++this.lineCount === 1) this.reportFixed();
    if (terminator !== '' && terminator !== this.lineEnding) this.terminator(terminator, number);
    this.lastNumber = number;
    this.lastTerminator = terminator;
    this.lastLength = end - start;
    this.visit(text, start, end, number, terminator);
  };

  constructor(private readonly issues: IssueCollector) {}

  /**
   * Feeds text and visits each completed line as `text.slice(start, end)`; a `probe` is offered each
   * 80-character record followed by a line ending first (see `LineSplitter.scan`).
   */
  scan(text: string, visit: LineVisitor, probe?: RecordProbe): void {
    this.visit = visit;
    if (probe === undefined) this.splitter.scan(text, this.check);
    else {
      this.probe = probe;
      this.splitter.scan(text, this.check, this.probeChecked);
    }
  }

  /** Ends the input, visiting the remaining lines. */
  scanEnd(visit: LineVisitor, probe?: RecordProbe): void {
    this.visit = visit;
    if (probe === undefined) this.splitter.scanEnd(this.check);
    else {
      this.probe = probe;
      this.splitter.scanEnd(this.check, this.probeChecked);
    }
    if (this.lastNumber > 0 && this.splitter.detectedMode === 'lines' && this.lastTerminator === '') {
      this.issues.report('missing_final_newline', `no line ending after the last line (${this.lastNumber})`, {
        severity: 'warning',
        line: this.lastNumber,
      });
    }
  }

  push(text: string): Line[] {
    const out: Line[] = [];
    this.scan(text, (t, start, end, number, terminator) => {
      out.push({ text: t.slice(start, end), number, terminator });
    });
    return out;
  }

  end(): Line[] {
    const out: Line[] = [];
    this.scanEnd((t, start, end, number, terminator) => {
      out.push({ text: t.slice(start, end), number, terminator });
    });
    return out;
  }

  /** The layout seen: line ending and final terminator (call after `end()`). */
  format(decoder: ChunkDecoder): BgmaxFileFormat {
    const fixed = this.splitter.detectedMode === 'fixed';
    return {
      encoding: decoder.encoding ?? 'latin1',
      bom: decoder.bom,
      lineEnding: fixed ? '' : (this.lineEnding ?? '\r\n'),
      finalTerminator: this.lastNumber > 0 && this.lastTerminator !== '',
    };
  }

  get fixed(): boolean {
    return this.splitter.detectedMode === 'fixed';
  }

  private reportFixed(): void {
    if (!this.fixedReported && this.splitter.detectedMode === 'fixed') {
      this.fixedReported = true;
      this.issues.report(
        'line_separator',
        'no line breaks: the file is a stream of 80-character records (as Bankgirot currently delivers)',
        { severity: 'warning' },
      );
    }
  }

  private longLine(line: number, max: number): void {
    this.issues.report(
      'line_separator',
      `line ${line} runs on for more than ${max} characters without a line ending: read on as 80-character records`,
      { severity: 'warning', line, column: 1 },
    );
  }

  /** A line ending other than the first one seen. */
  private terminator(t: LineTerminator, number: number): void {
    if (this.lineEnding === undefined) this.lineEnding = t;
    else if (!this.mixedReported) {
      this.mixedReported = true;
      this.issues.report(
        'line_separator',
        `mixed line endings: line ${number} ends with ${JSON.stringify(t)}, earlier lines with ${JSON.stringify(this.lineEnding)}`,
        { severity: 'warning', line: number },
      );
    }
  }
}

/**
 * The latin-1 bytes of `text` (one byte per character, same offsets) for the fast path to check records in:
 * the decoder's own bytes when `text` is what it last decoded from latin-1, else an encoding of `text` when
 * every character is in latin-1 (text handed in as a string), else undefined.
 */
export function latin1Bytes(text: string, decoder: ChunkDecoder): Buffer | undefined {
  if (decoder.lastBytes !== undefined && decoder.lastText === text) return decoder.lastBytes;
  return NOT_LATIN1.test(text) ? undefined : Buffer.from(text, 'latin1');
}
const NOT_LATIN1 = /[^\u0000-\u00ff]/;

/** Reports the encoding decision (a warning unless latin-1 without a BOM). */
export function reportEncoding(decoder: ChunkDecoder, issues: IssueCollector): void {
  if (decoder.encoding === 'utf-8' || decoder.bom) {
    issues.report(
      'encoding',
      decoder.bom
        ? 'UTF-8 byte order mark: the file was saved as UTF-8, not the ISO-8859-1 Bankgirot sends'
        : 'the file is UTF-8 (multi-byte sequences found), not the ISO-8859-1 Bankgirot sends',
      { severity: 'warning', actual: 'utf-8', expected: 'latin1' },
    );
  }
}

/** Splits a whole input into text slices of 64 KiB (decoding a 300 MB file at once costs more). */
export function* wholeInputSlices(input: Uint8Array | string, decoder: ChunkDecoder): Generator<string> {
  if (typeof input === 'string') {
    let s = input;
    if (s.charCodeAt(0) === 0xfeff) {
      decoder.bom = true;
      s = s.slice(1);
    }
    decoder.encoding ??= 'latin1';
    for (let off = 0; off < s.length; off += SLICE) yield s.slice(off, off + SLICE);
    return;
  }
  decoder.decideWhole(input);
  for (let off = 0; off < input.length; off += SLICE) {
    yield decoder.write(input.subarray(off, Math.min(input.length, off + SLICE)));
  }
  yield decoder.end();
}

/** Decodes one streamed chunk (text chunks pass through; a leading U+FEFF is a BOM). */
export function decodeChunk(chunk: Uint8Array | string, decoder: ChunkDecoder, first: boolean): string {
  if (typeof chunk !== 'string') return decoder.write(chunk);
  if (first && chunk.charCodeAt(0) === 0xfeff) {
    decoder.bom = true;
    return chunk.slice(1);
  }
  return chunk;
}
