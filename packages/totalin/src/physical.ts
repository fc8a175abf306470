/**
 * Internal: the physical layer. Bytes (whole or streamed, in any chunking) or text -> decoded lines,
 * with the encoding chosen once, a stream without separators cut into 80-character records, and the
 * layout recorded (line ending, final terminator) so a writer can reproduce it. Physical quirks become
 * warnings: `encoding`, `line_separator` (mixed separators too), `missing_final_newline`; a line longer than
 * {@link MAX_LINE_LENGTH} is cut here and reported by the record reader (`line_too_long`).
 */
import { FileDecoder, type IssueCollector, type Line, LineSplitter, type LineTerminator } from '@nordfil/core';
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
 * The longest line kept (characters). A longer one is cut here (its first {@link MAX_LINE_LENGTH}
 * characters are kept, the rest is skipped up to the next line break) and reported as a
 * `line_too_long` error, so one runaway line cannot exhaust memory nor stop a lenient parse. Input is
 * fed in slices of {@link SLICE} characters at most, so only a line that spans slices can pass it.
 */
export const MAX_LINE_LENGTH = 1_048_576;

/** Characters of an overlong line quoted in its issue. */
const QUOTE_LENGTH = 120;

/**
 * A line longer than {@link MAX_LINE_LENGTH}, with only its first characters kept: the record reader
 * reports it (`line_too_long`) and keeps it as a line no record holds. @internal
 */
export interface LongLine extends Line {
  readonly tooLong: true;
  /** The line's length in the input. */
  readonly length: number;
}

/** Index of the first CR or LF at or after `from`, or -1. */
function firstBreak(s: string, from: number): number {
  const lf = s.indexOf('\n', from);
  const cr = s.indexOf('\r', from);
  return lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
}

/** Decoder + splitter + separator checks for one input. @internal */
export class Physical {
  private readonly decoder: FileDecoder;
  // the limit is enforced by `guard` before the splitter sees the text: it never throws
  private readonly splitter = new LineSplitter({ recordLength: RECORD_LENGTH, maxLineLength: MAX_LINE_LENGTH + 2 });
  private readonly issues: IssueCollector;
  private firstTerminator: LineTerminator | undefined;
  private mixedReported = false;
  private last: Line | undefined;
  private fixedChecked = false;
  private fixed = false;
  private isText = false;
  private encodingReported = false;
  /** Length of the unterminated line at the end of the text fed so far. */
  private partial = 0;
  /** Skipping the rest of an overlong line up to its line break. */
  private skipping = false;
  /** Characters of the overlong line being skipped, and the number of the last line before it. */
  private longLength = 0;
  private longAfter = -1;
  private lastNumber = 0;

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
    return this.lines(this.splitter.push(this.guard(text)));
  }

  pushText(text: string): Line[] {
    if (!this.isText) {
      this.isText = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return this.lines(this.splitter.push(this.guard(text)));
  }

  /** Ends the input: the remaining lines. Call {@link finish} after reading them. */
  end(): Line[] {
    const tail = this.guard(this.decoder.end());
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
    if (this.longAfter >= 0) this.markLong(lines);
    this.lastNumber = lines[n - 1]!.number;
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

  /**
   * Cuts an overlong line (see {@link MAX_LINE_LENGTH}) out of the text before the splitter sees it. Cheap:
   * a search for the last line break of each slice; the line breaks of a slice are looked at one by one
   * only when the unterminated line could pass the limit in it. Not in a stream of 80-character records
   * without separators (the splitter cuts those itself).
   */
  private guard(text: string): string {
    const n = text.length;
    if (n === 0 || this.splitter.detectedMode === 'fixed') return text;
    let pos = 0;
    let out = '';
    if (this.skipping) {
      const b = firstBreak(text, 0);
      if (b === -1) {
        this.longLength += n;
        return '';
      }
      this.longLength += b;
      this.skipping = false;
      this.partial = 0;
      pos = b;
    }
    const last = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
    if (last < pos) {
      // no line break: the unterminated line grows by the whole rest
      const room = MAX_LINE_LENGTH - this.partial;
      if (n - pos <= room) {
        this.partial += n - pos;
        return pos === 0 ? text : text.slice(pos);
      }
      this.startLong(n - pos - room);
      return out + text.slice(pos, pos + room);
    }
    // complete lines inside the slice are shorter than a slice, so below the limit: only the first
    // (it continues the unterminated line) can pass it
    const first = firstBreak(text, pos);
    if (this.partial + (first - pos) > MAX_LINE_LENGTH) {
      const room = MAX_LINE_LENGTH - this.partial;
      this.startLong(first - pos - room);
      this.skipping = false;
      out = text.slice(pos, pos + room);
      pos = first;
    }
    this.partial = n - last - 1;
    return pos === 0 ? text : out + text.slice(pos);
  }

  private startLong(skipped: number): void {
    this.skipping = true;
    this.longLength = MAX_LINE_LENGTH + skipped;
    this.longAfter = this.lastNumber;
  }

  /** Finds the line cut by {@link guard} (the first line after the ones seen then with the kept length). */
  private markLong(lines: Line[]): void {
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.number <= this.longAfter || l.text.length !== MAX_LINE_LENGTH) continue;
      this.longAfter = -1;
      // reported by the record reader when it reaches the line, so that strict streaming stops at the
      // same first error in every chunking
      const long: LongLine = {
        text: l.text.slice(0, QUOTE_LENGTH),
        number: l.number,
        terminator: l.terminator,
        tooLong: true,
        length: this.longLength,
      };
      lines[i] = long;
      return;
    }
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
