/**
 * The records layer of Nets OCR giro: one codec per record type, declared once with `defineRecord`, and a
 * lossless reader and writer over whole files (`writeOcrGiroRecords(parseOcrGiroRecords(bytes).records)`
 * gives back `bytes` for every input the reader can split into lines).
 *
 * Positions below are 1-based and inclusive, as in Nets' *System specification OCR giro*. Every record is
 * 80 characters, starts with the format code `NY` (1–2), the service code (3–4: `00` transmission, `09`
 * OCR giro, `21` AvtaleGiro), the transmission/assignment/transaction type (5–6) and the record type (7–8).
 *
 * @packageDocumentation
 */
import { encode, type Issue, type Line, NordfilError, type Strictness } from '@nordfil/core';
import {
  DEFAULT_PIVOT,
  formatOcrGiroRecord,
  type OcrGiroRecord,
  type OcrGiroRecordInput,
  ocrGiroCodecs,
} from './codecs.js';
import { forEachLine, type InputEncoding, LineFeed } from './input.js';
import { type LineContext, readRecordLine } from './line.js';

export {
  type AgreementRecord,
  type AmountItem1Record,
  type AmountItem2Record,
  type AmountItem3Record,
  ASSIGNMENT_TYPES,
  type AssignmentEndRecord,
  type AssignmentStartRecord,
  AVTALEGIRO_TRANSACTION_TYPES,
  type AvtaleGiroAmountItem1Record,
  type AvtaleGiroAmountItem2Record,
  codecForLine,
  DEFAULT_PIVOT,
  formatOcrGiroRecord,
  OCR_GIRO_TRANSACTION_TYPES,
  type OcrGiroCodecs,
  type OcrGiroRecord,
  type OcrGiroRecordInput,
  ocrGiroCodecs,
  RECORD_LENGTH,
  type RecordMeta,
  type SpecificationRecord,
  type TransmissionEndRecord,
  type TransmissionStartRecord,
  type UnknownRecord,
} from './codecs.js';

/**
 * Options of {@link parseOcrGiroRecords}.
 *
 * @example
 * parseOcrGiroRecords(bytes, { mode: 'lenient', pivot: 69 });
 */
export interface ParseRecordsOptions {
  /** Name of the input, for issues. */
  readonly source?: string;
  /** `strict` (default) throws a NordfilError listing every issue when any is an error; `lenient` never throws for content. */
  readonly mode?: Strictness;
  /** Encoding of byte input: `auto` (default) is latin-1 unless a UTF-8 BOM or the first non-ASCII byte starts a UTF-8 multibyte sequence. */
  readonly encoding?: InputEncoding;
  /** Two-digit-year pivot for `DDMMYY` dates. Default {@link DEFAULT_PIVOT} (1970–2069). */
  readonly pivot?: number;
}

/**
 * What {@link parseOcrGiroRecords} returns.
 *
 * @example
 * const { records, issues, encoding } = parseOcrGiroRecords(bytes);
 */
export interface ParsedRecords {
  readonly records: OcrGiroRecord[];
  /** Every issue (warnings only in strict mode). */
  readonly issues: readonly Issue[];
  /** The encoding the bytes were decoded with. */
  readonly encoding: 'latin1' | 'utf-8';
}

/**
 * Reads every line of an OCR giro file into records (the low-level API: no grouping, no control checks),
 * keeping each line's raw text and terminator, so that {@link writeOcrGiroRecords} reproduces the input.
 *
 * @example
 * import { parseOcrGiroRecords } from '@nordfil/ocrgiro/records';
 * const { records } = parseOcrGiroRecords(bytes);
 * records[0]; // { recordType: '10', dataTransmitter: '00008080', transmissionNumber: '0000123', ... line: 1 }
 */
export function parseOcrGiroRecords(input: Uint8Array | string, options: ParseRecordsOptions = {}): ParsedRecords {
  const ctx: LineContext = {
    codecs: ocrGiroCodecs(options.pivot),
    source: options.source,
    issues: [],
    errors: 0,
  };
  const feed = new LineFeed(ctx, options.encoding ?? 'auto');
  const records: OcrGiroRecord[] = [];
  forEachLine(input, feed, (l: Line) => {
    const errors = ctx.errors;
    const rec = readRecordLine(ctx, l.text, l.number);
    rec.raw = l.text;
    rec.terminator = l.terminator;
    rec.valid = ctx.errors === errors;
    records.push(rec);
  });
  if ((options.mode ?? 'strict') === 'strict' && ctx.errors > 0) throw new NordfilError(ctx.issues);
  return { records, issues: ctx.issues, encoding: feed.encoding };
}

/**
 * Options of {@link writeOcrGiroRecords}.
 *
 * @example
 * writeOcrGiroRecords(records, { lineEnding: '\n' });
 */
export interface WriteRecordsOptions {
  /** `latin1` (default, what Nets uses) or `utf-8`. */
  readonly encoding?: 'latin1' | 'utf-8';
  /**
   * Line terminator for every record. Default: each record's own terminator when it was read from a file,
   * else CRLF.
   */
  readonly lineEnding?: '\r\n' | '\n' | '';
  /** With `lineEnding`: whether the last record gets a terminator too. Default true. */
  readonly finalNewline?: boolean;
  /** Date pivot of the codecs (must match the one the dates were read with). Default {@link DEFAULT_PIVOT}. */
  readonly pivot?: number;
}

/**
 * Writes records to bytes: the inverse of {@link parseOcrGiroRecords}. With no `lineEnding` option each
 * record keeps the terminator it was read with, so `writeOcrGiroRecords(parseOcrGiroRecords(b).records)`
 * equals `b`.
 *
 * @example
 * const { records } = parseOcrGiroRecords(bytes);
 * Buffer.from(writeOcrGiroRecords(records)).equals(Buffer.from(bytes)); // true
 * writeOcrGiroRecords(records, { lineEnding: '\n' }); // the same records with LF line ends
 */
export function writeOcrGiroRecords(
  records: readonly OcrGiroRecordInput[],
  options: WriteRecordsOptions = {},
): Uint8Array {
  const codecs = ocrGiroCodecs(options.pivot);
  const le = options.lineEnding;
  const finalNewline = options.finalNewline ?? true;
  const parts: string[] = [];
  const problems: Issue[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    let text: string;
    try {
      text = formatOcrGiroRecord(r, codecs);
    } catch (e) {
      if (!NordfilError.is(e)) throw e;
      for (const p of e.issues) problems.push({ ...p, message: `record ${i + 1}: ${p.message}` });
      continue;
    }
    const t = le === undefined ? (r.terminator ?? '\r\n') : i === records.length - 1 && !finalNewline ? '' : le;
    parts.push(text + t);
  }
  if (problems.length > 0) throw new NordfilError(problems);
  return encode(parts.join(''), options.encoding ?? 'latin1');
}
