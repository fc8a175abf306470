/**
 * Internal: the physical layer. Bytes (whole or streamed, in any chunking) or text -> decoded lines,
 * with the encoding chosen once, a stream without separators cut into 80-character records, and the
 * layout recorded (line ending, final terminator) so a writer can reproduce it. Physical quirks become
 * warnings: `encoding`, `line_separator`, `missing_final_newline`.
 */
import { type IssueCollector, type Line, LineSplitter, type LineTerminator } from '@nordfil/core';
import { ChunkDecoder, decideWhole, reportEncoding, type TotalInEncoding } from './encoding.js';

/** Every Total-IN record is 80 characters. */
export const RECORD_LENGTH = 80;

/**
 * How a file was laid out physically: the writer's defaults, so an unchanged file is written back as
 * read.
 */
export interface PhysicalLayout {
  /** The encoding the bytes were decoded with: `latin1` (ISO-8859-1, what banks send) or `utf-8`. */
  encoding: 'latin1' | 'utf-8';
  /** A UTF-8 byte order mark preceded the first record. */
  bom: boolean;
  /** The separator after records: CRLF, LF, CR, or `''` for a stream of 80-character records. */
  lineEnding: LineTerminator;
  /** The last line had a terminator. */
  finalTerminator: boolean;
}

const SLICE = 64 * 1024;

/** Decoder + splitter + separator checks for one input. @internal */
export class Physical {
  private readonly decoder: ChunkDecoder;
  private readonly splitter = new LineSplitter({ recordLength: RECORD_LENGTH });
  private readonly issues: IssueCollector;
  private firstTerminator: LineTerminator | undefined;
  private mixedReported = false;
  private last: Line | undefined;
  private fixedChecked = false;
  private fixed = false;
  private isText = false;
  private encodingReported = false;

  constructor(option: TotalInEncoding, issues: IssueCollector, wholeBytes?: Uint8Array) {
    this.issues = issues;
    if (wholeBytes !== undefined && option === 'auto') {
      const d = decideWhole(wholeBytes, option);
      this.decoder = new ChunkDecoder(d.encoding);
    } else this.decoder = new ChunkDecoder(option);
  }

  /** Decoded text may hold characters outside latin-1 or U+FFFD: lines need the text checks. */
  get checkText(): boolean {
    return this.isText || this.decoder.encoding === 'utf-8';
  }

  /** The line ending of ordinary lines, once known. */
  get lineEnding(): LineTerminator {
    if (this.fixed) return '';
    return this.firstTerminator ?? '\r\n';
  }

  pushBytes(chunk: Uint8Array): Line[] {
    const text = this.decoder.write(chunk);
    this.noteEncoding();
    return this.lines(this.splitter.push(text));
  }

  pushText(text: string): Line[] {
    if (!this.isText) {
      this.isText = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return this.lines(this.splitter.push(text));
  }

  /** Ends the input: the remaining lines. Call {@link finish} after reading them. */
  end(): Line[] {
    const tail = this.decoder.end();
    this.noteEncoding();
    return this.lines(tail.length > 0 ? [...this.splitter.push(tail), ...this.splitter.end()] : this.splitter.end());
  }

  /** After the last line was read: judges its terminator. */
  finish(): void {
    const l = this.last;
    if (l === undefined) return;
    if (l.terminator !== '') {
      if (l.terminator !== this.firstTerminator) this.check(l);
    } else if (!this.fixed) {
      this.issues.report('missing_final_newline', 'no line terminator after the last record', {
        severity: 'warning',
        line: l.number,
      });
    }
  }

  /** Feeds one piece of input (a whole input, or one chunk of a stream) through this reader, in slices. */
  *push(input: Uint8Array | string): Generator<Line[]> {
    if (typeof input === 'string') {
      for (let off = 0; off < input.length; off += SLICE) yield this.pushText(input.slice(off, off + SLICE));
    } else {
      for (let off = 0; off < input.length; off += SLICE) {
        yield this.pushBytes(input.subarray(off, Math.min(input.length, off + SLICE)));
      }
    }
  }

  /** Splits a whole input into slices fed through this reader, then ends it. */
  *whole(input: Uint8Array | string): Generator<Line[]> {
    yield* this.push(input);
    if (typeof input === 'string' && input.length === 0) this.isText = true;
    yield this.end();
  }

  layout(): PhysicalLayout {
    const last = this.last;
    return {
      encoding: this.isText ? 'latin1' : (this.decoder.encoding ?? 'latin1'),
      bom: this.decoder.bom,
      lineEnding: this.lineEnding,
      finalTerminator: last !== undefined && last.terminator !== '',
    };
  }

  private noteEncoding(): void {
    if (this.encodingReported || this.decoder.encoding === undefined) return;
    this.encodingReported = true;
    reportEncoding(this.decoder.encoding, this.decoder.bom, this.issues);
  }

  private lines(lines: Line[]): Line[] {
    if (lines.length === 0) return lines;
    if (!this.fixedChecked) {
      this.fixedChecked = true;
      this.fixed = this.splitter.detectedMode === 'fixed';
      if (this.fixed) {
        this.issues.report('line_separator', 'no line breaks: the input is a stream of 80-character records', {
          severity: 'warning',
        });
      }
    }
    return lines;
  }

  /** Judges the terminator of the line before `l` (the last line's is judged at the end). */
  line(l: Line): void {
    if (!this.fixed && this.last !== undefined && this.last.terminator !== this.firstTerminator) this.check(this.last);
    this.last = l;
  }

  private check(l: Line): void {
    if (this.firstTerminator === undefined) this.firstTerminator = l.terminator;
    else if (l.terminator !== this.firstTerminator && !this.mixedReported) {
      this.mixedReported = true;
      this.issues.report(
        'line_separator',
        `mixed line separators: ${JSON.stringify(this.firstTerminator)} and ${JSON.stringify(l.terminator)}`,
        { line: l.number },
      );
    }
  }
}
