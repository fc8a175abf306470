/**
 * Internal: the physical layer. Bytes (whole or streamed, in any chunking) or text -> decoded lines,
 * with the encoding chosen once, a stream without separators cut into 80-character records, and the
 * layout recorded (line ending, final terminator) so a writer can reproduce it. Physical quirks become
 * warnings: `encoding`, `line_separator` (mixed separators too, and a line longer than
 * {@link MAX_LINE_LENGTH}, read on as 80-character records), `missing_final_newline`.
 */
import {
  cutLineMessage,
  FileDecoder,
  type IssueCollector,
  type Line,
  LineSplitter,
  type LineTerminator,
} from '@nordfil/core';
import { checkEncodingOption, reportEncoding, type TotalInEncoding } from './encoding.js';

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

/**
 * The longest line read as one (characters). A longer one is read on as 80-character records (core's
 * `LineSplitter` cuts it, as it cuts a file with no separators), in bounded memory: records whose line
 * endings were lost are read, junk is reported record by record, and a lenient parse goes on.
 */
export const MAX_LINE_LENGTH = 1_048_576;

/** Decoder + splitter + separator checks for one input. @internal */
export class Physical {
  private readonly decoder: FileDecoder;
  private readonly splitter = new LineSplitter({
    recordLength: RECORD_LENGTH,
    maxLineLength: MAX_LINE_LENGTH,
    onLongLine: (line) => this.cutLines.push([line, 0]),
    // a line of whole records with no line ending between them: read as those records
    onRecordRun: (line, records) => this.cutLines.push([line, records]),
  });
  /**
   * Lines cut into records, not yet reported: [line, records], records 0 for a line longer than
   * {@link MAX_LINE_LENGTH}.
   */
  private readonly cutLines: [number, number][] = [];
  private readonly issues: IssueCollector;
  private firstTerminator: LineTerminator | undefined;
  private mixedReported = false;
  private last: Line | undefined;
  private fixedChecked = false;
  private fixed = false;
  private isText = false;
  private encodingReported = false;

  constructor(option: TotalInEncoding, issues: IssueCollector, wholeBytes?: Uint8Array) {
    checkEncodingOption(option);
    this.issues = issues;
    // a whole input is decided from all its bytes; a stream at its first non-ASCII byte (core's FileDecoder)
    this.decoder = new FileDecoder(option);
    if (wholeBytes !== undefined) this.decoder.decideWhole(wholeBytes);
  }

  /** The line ending of ordinary lines, once known. */
  get lineEnding(): LineTerminator {
    if (this.fixed) return '';
    return this.firstTerminator ?? '\r\n';
  }

  pushBytes(chunk: Uint8Array): Line[] {
    const text = this.decoder.write(chunk);
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
    return this.lines(tail.length > 0 ? [...this.splitter.push(tail), ...this.splitter.end()] : this.splitter.end());
  }

  /**
   * After the last line was read: reports the encoding (here, once the whole input was read, so that a
   * whole and a streaming parse, which decides at the first non-ASCII byte, list the same issues in the
   * same order) and judges the last line's terminator.
   */
  finish(): void {
    this.noteEncoding();
    const l = this.last;
    if (l === undefined) return;
    if (l.terminator !== '') {
      if (l.terminator !== this.firstTerminator) this.check(l);
    } else if (!this.fixed) {
      this.issues.report('missing_final_newline', 'no line terminator after the last record', {
        severity: 'warning',
        line: l.number,
        column: l.text.length + 1,
        ...(l.text.length >= 2 ? { record: l.text.slice(0, 2) } : {}),
        text: l.text,
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
    const n = lines.length;
    if (n === 0) return lines;
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
    // told here, in line order, rather than when the splitter cut it: the issues come in the same order
    // whatever the chunking
    if (this.cutLines.length > 0 && this.cutLines[0]![0] === l.number) {
      const records = this.cutLines.shift()![1];
      this.issues.report('line_separator', cutLineMessage(l.number, records, RECORD_LENGTH, MAX_LINE_LENGTH), {
        severity: 'warning',
        line: l.number,
        column: records === 0 ? 1 : 81,
        ...(l.text.length >= 2 ? { record: l.text.slice(0, 2) } : {}),
        text: l.text,
      });
    }
    // a line without a terminator before the last is a record cut from a longer line (reported above)
    const last = this.last;
    if (!this.fixed && last !== undefined && last.terminator !== '' && last.terminator !== this.firstTerminator) {
      this.check(last);
    }
    this.last = l;
  }

  private check(l: Line): void {
    if (this.firstTerminator === undefined) this.firstTerminator = l.terminator;
    else if (l.terminator !== this.firstTerminator && !this.mixedReported) {
      this.mixedReported = true;
      // a warning: the reference (§1.1, §2.2) asks a robust reader to split on CRLF, LF and CR alike
      this.issues.report(
        'line_separator',
        `mixed line separators: line ${l.number} ends with ${JSON.stringify(l.terminator)}, earlier lines with ${JSON.stringify(this.firstTerminator)}`,
        {
          severity: 'warning',
          line: l.number,
          column: l.text.length + 1,
          ...(l.text.length >= 2 ? { record: l.text.slice(0, 2) } : {}),
          text: l.text,
          expected: JSON.stringify(this.firstTerminator),
          actual: JSON.stringify(l.terminator),
        },
      );
    }
  }
}
