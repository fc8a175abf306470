/**
 * Internal: the physical layer. Bytes (whole or streamed, in any chunking) -> decoded lines, with the
 * encoding chosen once (`auto`: latin-1 unless a byte order mark or UTF-8 multi-byte sequences), and
 * the file's layout recorded (line ending, final terminator, fixed-length stream) so a writer can
 * reproduce it. Physical quirks become warnings: `encoding`, `line_separator`, `blank_line`,
 * `missing_final_newline`.
 */
import {
  type ByteSource,
  cutLineMessage,
  DOS_EOF,
  FileDecoder,
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

/**
 * Decodes byte chunks to text with the encoding fixed once (core's `FileDecoder`: in `auto` mode the choice
 * waits for the first non-ASCII byte, so every chunking of the same bytes decides the same way). BGMax looks
 * for a byte order mark even when latin-1 is asked for, so that a BOM is never read as three letters.
 */
export class ChunkDecoder extends FileDecoder {
  constructor(encoding: BgmaxEncoding) {
    super(encoding, { bomWithLatin1: true });
  }
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
    onLongLine: (line, max) => this.cutLine(line, 0, max),
    // a line of whole records with no line ending between them: read as those records
    onRecordRun: (line, records) => this.cutLine(line, records),
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

  /** A line the splitter cut into records: `records` whole ones, or (0) one longer than `max`. */
  private cutLine(line: number, records: number, max?: number): void {
    this.issues.report('line_separator', cutLineMessage(line, records, 80, max), {
      severity: 'warning',
      line,
      column: records === 0 ? 1 : 81,
    });
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

/** Reports a line that holds only core's `DOS_EOF`: a warning, the line is ignored (and written back as read). */
export function eofMarker(issues: IssueCollector, line: number): void {
  issues.report('end_of_file_marker', 'DOS end-of-file character (Ctrl-Z, 0x1A) ignored', {
    severity: 'warning',
    line,
    column: 1,
    text: DOS_EOF,
    actual: '\\x1a',
  });
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
