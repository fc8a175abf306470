/**
 * Writing BGMax files from objects. Control records (TK15 amount, count and currency; TK70 counts)
 * are derived from the objects. A file that was parsed with warnings only (Bankgirot's quirks: short
 * lines, tabs, blank lines, 9-digit bankgiro numbers) and is written back unchanged gives its exact
 * bytes back; anything changed is written in the canonical 80-column form.
 */
import { encode, type LineTerminator, NordfilError } from '@nordfil/core';
import type { BgmaxFileFormat } from './input.js';
import {
  type BgmaxFile,
  type BgmaxSection,
  headerRecord,
  sectionRecords,
  TrailerCounter,
  toRecords,
} from './objects.js';
import { type BgmaxRecordInput, formatBgmaxRecord } from './records.js';

/** Options of {@link writeBgmax}; each defaults to the file's `format` (as read), else Bankgirot's layout. */
export interface WriteBgmaxOptions {
  /** `latin1` (ISO-8859-1, default) or `utf-8`. */
  readonly encoding?: 'latin1' | 'utf-8';
  /** Line ending: CRLF (default), LF, CR, or `''` for a stream of 80-character records. */
  readonly lineEnding?: LineTerminator;
  /** End the last record with a line ending too. Default true. */
  readonly finalTerminator?: boolean;
  /** Start with a UTF-8 byte order mark. Default false. */
  readonly bom?: boolean;
}

const ORIGINAL: unique symbol = Symbol('nordfil.bgmax.original');

interface Original {
  readonly input: Uint8Array | string;
  readonly format: BgmaxFileFormat;
  /** Parses the original input again (the objects it gave, before any change). */
  readonly reparse: () => BgmaxFile;
}

/** Internal: remembers the input a file was parsed from, so an unchanged file is written back as read. */
export function attachOriginal(
  file: BgmaxFile,
  input: Uint8Array | string,
  reparse: (input: Uint8Array | string) => BgmaxFile,
): void {
  const format = file.format;
  if (format === undefined) return;
  const copy = typeof input === 'string' ? input : input.slice();
  const original: Original = { input: copy, format, reparse: () => reparse(copy) };
  Object.defineProperty(file, ORIGINAL, { value: original, enumerable: false });
}

function resolve(file: BgmaxFile, options: WriteBgmaxOptions): Required<WriteBgmaxOptions> {
  const f = file.format;
  return {
    encoding: options.encoding ?? f?.encoding ?? 'latin1',
    lineEnding: options.lineEnding ?? f?.lineEnding ?? '\r\n',
    finalTerminator: options.finalTerminator ?? f?.finalTerminator ?? true,
    bom: options.bom ?? f?.bom ?? false,
  };
}

function sameFormat(a: Required<WriteBgmaxOptions>, b: BgmaxFileFormat): boolean {
  return (
    a.encoding === b.encoding &&
    a.bom === b.bom &&
    a.lineEnding === b.lineEnding &&
    (a.lineEnding === '' || a.finalTerminator === b.finalTerminator)
  );
}

function linesOf(records: readonly BgmaxRecordInput[]): string[] {
  return records.map(formatBgmaxRecord);
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function encodeText(text: string, o: Required<WriteBgmaxOptions>): Uint8Array {
  const body = encode(text, o.encoding);
  if (!o.bom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set([0xef, 0xbb, 0xbf], 0);
  out.set(body, 3);
  return out;
}

function originalBytes(original: Original): Uint8Array {
  const input = original.input;
  if (typeof input !== 'string') return input.slice();
  const f = original.format;
  const body = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  return encodeText(body, {
    encoding: f.encoding,
    bom: f.bom,
    lineEnding: f.lineEnding,
    finalTerminator: f.finalTerminator,
  });
}

/**
 * Writes a BGMax file: TK01, each section (TK05, the items with their child records, a derived TK15)
 * and a derived TK70. Throws a NordfilError listing the problems when the objects cannot be written
 * (a section without deposit details, an invalid field, a negative section total).
 *
 * @example
 * const bytes = writeBgmax(file);                       // as read (format), else latin-1 + CRLF
 * const lf = writeBgmax(file, { lineEnding: '\n' });
 * writeBgmax(parseBgmax(input)); // byte for byte `input`, for every valid file
 */
export function writeBgmax(file: BgmaxFile, options: WriteBgmaxOptions = {}): Uint8Array {
  const o = resolve(file, options);
  const lines = linesOf(toRecords(file));
  const original = (file as { [ORIGINAL]?: Original })[ORIGINAL];
  if (original !== undefined && sameFormat(o, original.format)) {
    let before: string[] | undefined;
    try {
      before = linesOf(toRecords(original.reparse()));
    } catch (e) {
      if (!NordfilError.is(e)) throw e;
    }
    if (before !== undefined && sameLines(before, lines)) return originalBytes(original);
  }
  let text = lines.join(o.lineEnding);
  if (o.finalTerminator) text += o.lineEnding;
  return encodeText(text, o);
}

/** What {@link writeBgmaxChunks} writes: a file whose sections may be produced lazily. */
export interface BgmaxFileSource extends Omit<BgmaxFile, 'sections'> {
  readonly sections: Iterable<BgmaxSection>;
}

/**
 * Writes a BGMax file piece by piece (one chunk per section), for files too large to build in
 * memory: the sections may come from a generator, and the TK70 counts are accumulated as they pass.
 * The file's `format` is not applied here: pass the options.
 *
 * @example
 * const out = createWriteStream('big.txt');
 * for (const chunk of writeBgmaxChunks({ header, sections: generateSections() })) out.write(chunk);
 */
export function* writeBgmaxChunks(file: BgmaxFileSource, options: WriteBgmaxOptions = {}): Generator<Uint8Array> {
  const o: Required<WriteBgmaxOptions> = {
    encoding: options.encoding ?? 'latin1',
    lineEnding: options.lineEnding ?? '\r\n',
    finalTerminator: options.finalTerminator ?? true,
    bom: options.bom ?? false,
  };
  const le = o.lineEnding;
  const head: BgmaxRecordInput[] = [headerRecord(file.header)];
  for (const u of file.extra ?? []) head.push({ type: 'unknown', code: u.code, raw: u.raw });
  yield encodeText(linesOf(head).join(le) + le, o);
  const plain = { ...o, bom: false };
  const counter = new TrailerCounter();
  for (const s of file.sections) {
    const lines = linesOf(sectionRecords(s));
    counter.add(s);
    yield encodeText(lines.join(le) + le, plain);
  }
  yield encodeText(formatBgmaxRecord(counter.record()) + (o.finalTerminator ? le : ''), plain);
}
