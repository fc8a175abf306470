/**
 * Writing Total-IN: objects -> records (control records derived) -> bytes. A parsed file is written
 * back byte for byte (its quirks are kept in `file.physical`); a file built in code is written in the
 * canonical form: 80-column records, latin-1, CRLF.
 */
import { type EncodingName, encode, expandTabs, type LineTerminator, type RecordCodec } from '@nordfil/core';
import { codecFor, type TotalInKnownRecord } from './codecs.js';
import {
  headerRecord,
  type RawLine,
  sectionToRecords,
  type TotalInAccountSection,
  type TotalInFile,
  type TotalInHeader,
  toRecords,
} from './objects.js';
import { opt } from './text.js';

/** Options of {@link writeTotalIn}. */
export interface WriteTotalInOptions {
  /**
   * Output encoding.
   * @default the parsed file's, else 'latin1' (ISO-8859-1, what the banks send)
   */
  encoding?: EncodingName;
  /**
   * Separator after each record; `''` writes a stream of 80-character records.
   * @default the parsed file's, else '\r\n' (as in Nordea's example)
   */
  lineEnding?: '\r\n' | '\n' | '';
  /**
   * Terminate the last record too.
   * @default the parsed file's, else true
   */
  finalTerminator?: boolean;
  /**
   * Start with a UTF-8 byte order mark (UTF-8 only).
   * @default the parsed file's, else false
   */
  bom?: boolean;
}

// fields the objects hold trimmed (and all-zero text as empty): compared the same way
const OPT_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  '00': new Set(['id', 'fileName']),
  '10': new Set(['account']),
  '20': new Set(['reference', 'serialNumber', 'bankgiro']),
  '25': new Set(['reference', 'serialNumber', 'bankgiro']),
  '30': new Set(['reference', 'secondReference']),
  '50': new Set(['name', 'extraName']),
  '51': new Set(['street', 'street2']),
  '52': new Set(['postalCode', 'town', 'countryCode']),
  '60': new Set(['account', 'organisationNumber']),
  '61': new Set(['name', 'extraName']),
  '62': new Set(['street', 'street2']),
  '63': new Set(['postalCode', 'town', 'countryCode']),
  '70': new Set(['costCurrency', 'originalCurrency']),
  '90': new Set(['statementReference']),
};

function norm(v: unknown): unknown {
  return typeof v === 'string' ? (opt(v) ?? '') : v;
}

/** True when `raw` reads to the values the objects give for record `r` (so the raw text can be kept). */
function sameAsObjects(r: TotalInKnownRecord, raw: string): boolean {
  const codec = codecFor(r.type) as unknown as RecordCodec<Record<string, unknown>, never>;
  const back = codec.read(raw.indexOf('\t') === -1 ? raw : expandTabs(raw)).record;
  const rec = r as unknown as Record<string, unknown>;
  const opt = OPT_FIELDS[r.type];
  for (const f of codec.fields) {
    if (f.kind === 'filler' || f.kind === 'const') continue;
    const a = back[f.name];
    const b = rec[f.name];
    if (opt?.has(f.name) === true ? norm(a) !== norm(b) : a !== b) return false;
  }
  return true;
}

/** Accumulates output text in pieces (keeps strings short of V8's limits). */
class Out {
  parts: string[] = [];
  cur = '';
  lines = 0;
  lastTerminator: LineTerminator = '';
  add(text: string, terminator: LineTerminator): void {
    this.cur += text + terminator;
    this.lines++;
    this.lastTerminator = terminator;
    if (this.cur.length > 1 << 20) {
      this.parts.push(this.cur);
      this.cur = '';
    }
  }
  take(): string[] {
    const p = this.cur.length > 0 ? [...this.parts, this.cur] : this.parts;
    this.parts = [];
    this.cur = '';
    return p;
  }
}

function encodeParts(parts: readonly string[], encoding: EncodingName, bom: boolean): Uint8Array {
  const chunks = parts.map((p, i) => encode(p, encoding, { bom: bom && i === 0 }));
  if (chunks.length === 1) return chunks[0]!;
  if (chunks.length === 0) return bom ? encode('', encoding, { bom }) : new Uint8Array(0);
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}

function canonical(r: TotalInKnownRecord): string {
  return (codecFor(r.type) as unknown as RecordCodec<unknown, TotalInKnownRecord>).write(r);
}

/**
 * Writes a Total-IN file. Control records are derived from the objects: each 90 from its section's
 * items (count of 20 + 25, Σ20 − Σ25) and the 99 from the records written, so a written file always
 * passes its own checks. A parsed, unchanged file is written back byte for byte (encoding, separators,
 * final terminator, short lines, tabs, blank lines, unknown records).
 *
 * @example
 * const bytes = writeTotalIn(parseTotalIn(input)); // the same bytes as `input` for a valid file
 * writeTotalIn(file, { lineEnding: '\n', encoding: 'utf-8' });
 */
export function writeTotalIn(file: TotalInFile, options: WriteTotalInOptions = {}): Uint8Array {
  const phys = file.physical;
  const lineEnding: LineTerminator = options.lineEnding ?? phys?.lineEnding ?? '\r\n';
  const keepTerminators = options.lineEnding === undefined;
  const final = options.finalTerminator ?? phys?.finalTerminator ?? true;
  const records = toRecords(file);
  const byLine = new Map<number, RawLine>();
  const extras: RawLine[] = [];
  for (const l of phys?.rawLines ?? []) {
    if (l.kind === 'record') byLine.set(l.line, l);
    else extras.push(l);
  }
  extras.sort((a, b) => a.line - b.line);
  const out = new Out();
  let e = 0;
  const extra = (l: RawLine) => out.add(l.raw, keepTerminators ? l.terminator : lineEnding);
  for (const r of records) {
    if (r.line !== undefined) while (e < extras.length && extras[e]!.line < r.line) extra(extras[e++]!);
    const raw = r.line === undefined ? undefined : byLine.get(r.line);
    if (raw !== undefined && sameAsObjects(r, raw.raw)) out.add(raw.raw, keepTerminators ? raw.terminator : lineEnding);
    else out.add(canonical(r), lineEnding);
  }
  while (e < extras.length) extra(extras[e++]!);
  const parts = out.take();
  fixFinal(parts, out.lastTerminator, final, lineEnding);
  return encodeParts(parts, options.encoding ?? phys?.encoding ?? 'latin1', options.bom ?? phys?.bom ?? false);
}

/** Makes the last line's terminator follow `final`. */
function fixFinal(parts: string[], last: LineTerminator, final: boolean, lineEnding: LineTerminator): void {
  const i = parts.length - 1;
  if (i < 0) return;
  let s = parts[i]!;
  if (!final && last !== '') s = s.slice(0, s.length - last.length);
  else if (final && last === '') s += lineEnding === '' ? '' : lineEnding;
  parts[i] = s;
}

/**
 * A writer for large files in constant memory: the header first, then one account section at a time,
 * then the end record, each call returning the bytes to append. Control records are derived (90 per
 * section, 99 from the records written).
 *
 * @example
 * const w = createTotalInWriter(header);
 * out.write(w.start());
 * for (const section of sections) out.write(w.section(section));
 * out.write(w.end());
 */
export function createTotalInWriter(
  header: TotalInHeader,
  options: Omit<WriteTotalInOptions, 'finalTerminator'> = {},
): { start(): Uint8Array; section(section: TotalInAccountSection): Uint8Array; end(): Uint8Array } {
  const lineEnding = options.lineEnding ?? '\r\n';
  const encoding = options.encoding ?? 'latin1';
  let count = 0;
  let bom = options.bom ?? false;
  const emit = (records: readonly TotalInKnownRecord[]): Uint8Array => {
    const out = new Out();
    for (const r of records) out.add(canonical(r), lineEnding);
    count += records.length;
    const bytes = encodeParts(out.take(), encoding, bom);
    bom = false;
    return bytes;
  };
  return {
    start: () => emit([headerRecord(header)]),
    section: (section) => emit(sectionToRecords(section)),
    end: () => emit([{ type: '99', recordCount: String(count + 1).padStart(15, '0'), reserved: '' }]),
  };
}
