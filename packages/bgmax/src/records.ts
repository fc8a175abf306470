/**
 * The records layer of BGMax (Bankgirot "Bankgiro Inbetalningar", technical manual November 2019),
 * published as `@nordfil/bgmax/records`: one typed record per transaction code (TK, transaktionskod),
 * each layout declared once with `defineRecord`, read and written as exact inverses, with the line's
 * raw text and number kept.
 *
 * `parseBgmaxRecords` / `writeBgmaxRecords` reproduce every valid file byte for byte: a parsed record
 * keeps its raw text and line ending, and is written back as read unless its fields were changed; a
 * record built in code is written in the canonical 80-column form.
 */
import {
  DOS_EOF,
  encode,
  expandTabs,
  type Issue,
  IssueCollector,
  issue,
  type LineTerminator,
  NordfilError,
  type RecordCodec,
} from '@nordfil/core';
import {
  type BgmaxEncoding,
  type BgmaxFileFormat,
  ChunkDecoder,
  eofMarker,
  PhysicalReader,
  reportEncoding,
  wholeInputSlices,
} from './input.js';
import {
  type BgmaxRecord,
  type BgmaxRecordInput,
  type BlankRecord,
  bgmaxCodecs,
  type RecordSource,
  tk29,
} from './layouts.js';
import { allDigits, isBlank, RecordReader } from './reader.js';

export type { BgmaxEncoding, BgmaxFileFormat } from './input.js';
export * from './layouts.js';

/** Where a line came from, for issues. */
export interface RecordLocation {
  /** Source name (a file name). */
  readonly source?: string;
  /** 1-based line number. */
  readonly line?: number;
}

const q = (s: string): string => JSON.stringify(s);

/**
 * Reads one line as a BGMax record: the typed record (always, best effort) and the issues found.
 * Lines are padded to 80 columns and tabs expanded before the columns are cut.
 *
 * @example
 * const { record, issues } = readBgmaxRecord('050009912346          SEK' + ' '.repeat(55), { line: 2 });
 * record.type; // '05'
 */
export function readBgmaxRecord(text: string, at: RecordLocation = {}): { record: BgmaxRecord; issues: Issue[] } {
  const issues = new IssueCollector(at.source);
  const record = isBlank(text)
    ? ({ type: 'blank', raw: text } as BlankRecord)
    : new RecordReader(issues).read(text, at.line ?? 0);
  if (record.type !== 'blank' && record.type !== 'unknown') {
    (record as RecordSource).raw = text;
    if (at.line !== undefined) (record as RecordSource).line = at.line;
  }
  return { record, issues: issues.list };
}

// ---------------------------------------------------------------------------------------------
// whole files of records

/** Options for {@link parseBgmaxRecords}. */
export interface ParseRecordsOptions {
  /** Source name (a file name) for issues. */
  readonly source?: string;
  /** `auto` (default): latin-1 unless a byte order mark or UTF-8 multi-byte sequences. */
  readonly encoding?: BgmaxEncoding;
}

/** What {@link parseBgmaxRecords} returns: every line as a record, the issues, and the file's layout. */
export interface ParsedRecords {
  readonly records: BgmaxRecord[];
  readonly issues: Issue[];
  readonly format: BgmaxFileFormat;
}

/**
 * Reads every line of a BGMax file as a record (no structure checks: those belong to `parseBgmax`).
 * Blank lines and unknown records are kept, so {@link writeBgmaxRecords} gives the same bytes back.
 * Never throws for bad content.
 *
 * @example
 * const { records, issues, format } = parseBgmaxRecords(bytes, { source: 'bgmax.txt' });
 * records.filter((r) => r.type === '20').length; // number of payments (betalningsposter)
 * writeBgmaxRecords(records, format); // the same bytes
 */
export function parseBgmaxRecords(input: Uint8Array | string, options: ParseRecordsOptions = {}): ParsedRecords {
  const issues = new IssueCollector(options.source);
  const decoder = new ChunkDecoder(options.encoding ?? 'auto');
  const physical = new PhysicalReader(issues);
  const reader = new RecordReader(issues);
  const records: BgmaxRecord[] = [];
  const take = (lines: ReturnType<PhysicalReader['push']>): void => {
    for (const l of lines) {
      let rec: BgmaxRecord;
      if (l.text === DOS_EOF) {
        eofMarker(issues, l.number);
        rec = { type: 'blank', raw: l.text };
      } else if (isBlank(l.text)) {
        issues.report('blank_line', 'empty line: ignored', { severity: 'warning', line: l.number });
        rec = { type: 'blank', raw: l.text };
      } else {
        rec = reader.read(l.text, l.number);
        (rec as RecordSource).raw = l.text;
      }
      (rec as RecordSource).line = l.number;
      (rec as RecordSource).terminator = l.terminator;
      records.push(rec);
    }
  };
  for (const text of wholeInputSlices(input, decoder)) take(physical.push(text));
  take(physical.end());
  reportEncoding(decoder, issues);
  issues.finish();
  return { records, issues: issues.list, format: physical.format(decoder) };
}

/** Options for {@link writeBgmaxRecords} (the defaults write Bankgirot's layout: latin-1, CRLF). */
export interface WriteRecordsOptions {
  /** Default `latin1`. */
  readonly encoding?: 'latin1' | 'utf-8';
  /** Start with a UTF-8 byte order mark. Default false. */
  readonly bom?: boolean;
  /** Line ending after records built in code; `''` writes a stream of 80-character records. Default CRLF. */
  readonly lineEnding?: LineTerminator;
  /** Whether the last record built in code gets a line ending. Default true. */
  readonly finalTerminator?: boolean;
}

function sameValues(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const k in b) {
    if (k === 'raw' || k === 'line' || k === 'terminator') continue;
    if (a[k] !== b[k]) return false;
  }
  for (const k in a) {
    if (k === 'raw' || k === 'line' || k === 'terminator') continue;
    if (!(k in b) && a[k] !== undefined) return false;
  }
  return true;
}

const padDigits = (v: unknown, n: number): unknown =>
  typeof v === 'string' && v.length < n && allDigits(v) ? v.padStart(n, '0') : v;

/**
 * The canonical 80-column text of a record (no line ending). Throws a NordfilError listing every
 * invalid field. A sender bankgiro or organisation number given with fewer digits is zero-padded.
 *
 * @example
 * formatBgmaxRecord({ type: '70', payments: '1', deductions: '0', extraReferences: '0', deposits: '1' });
 * // '7000000001000000000000000000000001' + 46 blanks
 */
export function formatBgmaxRecord(record: BgmaxRecordInput): string {
  switch (record.type) {
    case 'unknown':
    case 'blank':
      return record.raw;
    case '20':
    case '21':
    case '22':
    case '23': {
      const codec = bgmaxCodecs[record.type] as unknown as RecordCodec<unknown, Record<string, unknown>>;
      const r = record as unknown as Record<string, unknown>;
      const bg = padDigits(r.senderBankgiro, 10);
      return codec.write(bg === r.senderBankgiro ? r : { ...r, senderBankgiro: bg });
    }
    case '29': {
      const org = padDigits(record.organisationNumber, 12);
      return tk29.write(org === record.organisationNumber ? record : { ...record, organisationNumber: org as string });
    }
    default: {
      const codec = bgmaxCodecs[record.type] as unknown as RecordCodec<unknown, unknown> | undefined;
      if (codec === undefined) {
        throw new NordfilError(
          issue('invalid_record', `unknown record type ${q(String((record as { type: unknown }).type))}`, {
            actual: String((record as { type: unknown }).type),
          }),
        );
      }
      return codec.write(record);
    }
  }
}

/** The record's text: its raw line when it was read and is unchanged, else the canonical form. */
export function recordText(record: BgmaxRecordInput): string {
  const raw = record.raw;
  if (raw === undefined || record.type === 'unknown' || record.type === 'blank') return formatBgmaxRecord(record);
  const codec = (bgmaxCodecs as Record<string, RecordCodec<unknown, never>>)[record.type];
  if (codec !== undefined) {
    const padded = raw.indexOf('\t') === -1 ? raw : expandTabs(raw, 8);
    const again = codec.read(padded).record as Record<string, unknown>;
    if (sameValues(again, record as unknown as Record<string, unknown>)) return raw;
  }
  return formatBgmaxRecord(record);
}

/**
 * Writes records as a BGMax file. A record that was read (it has `raw`) and is unchanged is written
 * exactly as read, with its own line ending; any other record in the canonical 80-column form.
 *
 * @example
 * const { records, format } = parseBgmaxRecords(bytes);
 * writeBgmaxRecords(records, format); // byte for byte the input
 * writeBgmaxRecords([{ type: '70', payments: '0', deductions: '0', extraReferences: '0', deposits: '0' }]);
 */
export function writeBgmaxRecords(records: readonly BgmaxRecordInput[], options: WriteRecordsOptions = {}): Uint8Array {
  const lineEnding = options.lineEnding ?? '\r\n';
  const finalTerminator = options.finalTerminator ?? true;
  const parts: string[] = [];
  const problems: Issue[] = [];
  const n = records.length;
  for (let i = 0; i < n; i++) {
    const r = records[i]!;
    try {
      parts.push(recordText(r));
    } catch (e) {
      if (!NordfilError.is(e)) throw e;
      for (const p of e.issues) problems.push({ ...p, ...(r.line === undefined ? {} : { line: r.line }) });
      continue;
    }
    const t = r.terminator ?? (i === n - 1 && !finalTerminator ? '' : lineEnding);
    parts.push(t);
  }
  if (problems.length > 0) throw new NordfilError(problems);
  const text = parts.join('');
  const body = encode(text, options.encoding ?? 'latin1');
  if (options.bom !== true) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf], 0);
  out.set(body, 3);
  return out;
}
