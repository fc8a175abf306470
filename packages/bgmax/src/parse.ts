/**
 * Parsing BGMax files: whole ({@link parseBgmax}, {@link safeParseBgmax}) or streaming
 * ({@link readBgmax}, constant memory: sections are yielded as they close). Both run the same
 * engine: bytes -> lines (physical checks) -> records (field checks) -> objects (structure and
 * control checks).
 */
import {
  byteChunks,
  DEFAULT_MAX_ISSUES_PER_CODE,
  DOS_EOF,
  type Issue,
  IssueCollector,
  type LineVisitor,
  NordfilError,
  type Payment,
  type RecordProbe,
  type SafeResult,
  type Strictness,
  safeFile,
  safeFileAsync,
  strictFile,
} from '@nordfil/core';
import {
  type BgmaxEncoding,
  type BgmaxFileFormat,
  type BgmaxInput,
  ChunkDecoder,
  decodeChunk,
  eofMarker,
  latin1Bytes,
  PhysicalReader,
  reportEncoding,
  wholeInputSlices,
} from './input.js';
import {
  Assembler,
  type BgmaxFile,
  type BgmaxHeader,
  type BgmaxSection,
  type BgmaxTrailer,
  type BgmaxUnknownRecord,
  type ClosedSection,
  paymentContext,
  sectionPayments,
} from './objects.js';
import { RecordReader } from './reader.js';
import { attachOriginal } from './write.js';

/** Options of {@link parseBgmax} and {@link readBgmax}. */
export interface ParseBgmaxOptions {
  /** File name for issues and `Payment.source.file`. */
  readonly source?: string;
  /**
   * `strict` (default) fails on any error issue; `lenient` keeps every valid record and returns the
   * issues beside the file.
   */
  readonly mode?: Strictness;
  /**
   * `auto` (default): latin-1 unless a byte order mark, or the 64 KiB from the first non-ASCII byte on are valid
   * UTF-8 (then an `encoding` warning); decided alike whole and streamed, in any chunking.
   */
  readonly encoding?: BgmaxEncoding;
  /** The identity payment ids start with. Default `bgmax:<TK01 timestamp>:<T|P>`. */
  readonly fileIdentity?: string;
  /** Issues kept per code; the rest are counted in one summary issue. Default 1000. */
  readonly maxIssuesPerCode?: number;
  /** Called with every issue as it is found (also in strict mode, where warnings are otherwise only in `safeParseBgmax`). */
  readonly onIssue?: (issue: Issue) => void;
}

/** Options of {@link parseBgmax} in strict mode (the default). */
export type StrictParseBgmaxOptions = ParseBgmaxOptions & { readonly mode?: 'strict' };
/** Options of {@link parseBgmax} in lenient mode. */
export type LenientParseBgmaxOptions = ParseBgmaxOptions & { readonly mode: 'lenient' };

/** What lenient parsing returns: the file (every valid record kept) and every issue found. */
export interface BgmaxParseResult {
  readonly file: BgmaxFile;
  readonly issues: readonly Issue[];
}

/** Internal: one parse run (whole or streaming). */
class Session {
  readonly issues: IssueCollector;
  readonly decoder: ChunkDecoder;
  readonly physical: PhysicalReader;
  private readonly reader: RecordReader;
  readonly assembler: Assembler;
  /** The last non-blank line is a record cut short with no terminator after it (the input ends in it). */
  private truncated = false;
  /**
   * Each line, as a range of the decoded text: clean payment and child records go straight into the
   * objects (no line string is cut); anything else, or anything out of place, takes the general path,
   * which reports it.
   */
  private readonly line: LineVisitor = (t, start, end, number, terminator) => {
    if (end - start === 80 && t.charCodeAt(start) === 50 && this.assembler.fast(t, start, number)) {
      this.truncated = false;
      return;
    }
    const text = t.slice(start, end);
    if (text === DOS_EOF) {
      eofMarker(this.issues, number);
      return;
    }
    if (text.length === 0 || (text.charCodeAt(0) === 32 && text.trim() === '')) {
      this.issues.report('blank_line', 'empty line: ignored', { severity: 'warning', line: number });
      return;
    }
    this.truncated = terminator === '' && text.length < 80;
    this.assembler.push(this.reader.read(text, number), number, this.reader.bad, text);
  };

  /** A clean payment or child record followed by a line ending, taken before its line end is searched for. */
  private readonly probe: RecordProbe = (t, start, number) => {
    if (!this.assembler.fast(t, start, number)) return false;
    this.truncated = false;
    return true;
  };

  constructor(options: ParseBgmaxOptions, onSection: (c: ClosedSection) => void) {
    this.issues = new IssueCollector(
      options.source,
      options.maxIssuesPerCode ?? DEFAULT_MAX_ISSUES_PER_CODE,
      options.onIssue,
    );
    this.decoder = new ChunkDecoder(options.encoding ?? 'auto');
    this.physical = new PhysicalReader(this.issues);
    this.reader = new RecordReader(this.issues);
    this.assembler = new Assembler(this.issues, onSection);
  }

  text(text: string): void {
    this.assembler.source(text, latin1Bytes(text, this.decoder));
    this.physical.scan(text, this.line, this.probe);
  }

  end(): void {
    this.physical.scanEnd(this.line, this.probe);
    this.assembler.finish(this.truncated);
    reportEncoding(this.decoder, this.issues);
    this.issues.finish();
  }

  file(sections: BgmaxSection[], options: ParseBgmaxOptions): BgmaxFile {
    const a = this.assembler;
    const file: {
      header?: BgmaxHeader;
      sections: BgmaxSection[];
      trailer?: BgmaxTrailer;
      format: BgmaxFileFormat;
      source?: string;
      fileIdentity?: string;
      extra?: BgmaxUnknownRecord[];
    } = { sections, format: this.physical.format(this.decoder) };
    if (a.header !== undefined) file.header = a.header;
    if (a.trailer !== undefined) file.trailer = a.trailer;
    if (options.source !== undefined) file.source = options.source;
    if (options.fileIdentity !== undefined) file.fileIdentity = options.fileIdentity;
    if (a.extra.length > 0) file.extra = a.extra;
    return file;
  }
}

function runWhole(input: Uint8Array | string, options: ParseBgmaxOptions, keepOriginal = true): BgmaxParseResult {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new NordfilError({
      code: 'invalid_input',
      message: 'parseBgmax expects bytes or a string',
      severity: 'error',
    });
  }
  const sections: BgmaxSection[] = [];
  const session = new Session(options, (c) => sections.push(c.section));
  for (const text of wholeInputSlices(input, session.decoder)) session.text(text);
  session.end();
  const file = session.file(sections, options);
  const issues = session.issues.list;
  // a file read with warnings only (quirks) is kept as read, so writing it unchanged gives its bytes back
  if (keepOriginal && issues.length > 0 && !session.issues.hasErrors) {
    const again: ParseBgmaxOptions = {
      ...(options.source === undefined ? {} : { source: options.source }),
      ...(options.fileIdentity === undefined ? {} : { fileIdentity: options.fileIdentity }),
      encoding: options.encoding ?? 'auto',
    };
    attachOriginal(file, input, (x) => runWhole(x, again, false).file);
  }
  return { file, issues };
}

/**
 * Parses a whole BGMax file (Bankgiro Inbetalningar). Strict mode (the default) returns the file or
 * throws one NordfilError listing every issue; lenient mode returns `{ file, issues }` and keeps every
 * valid record. Bytes are latin-1 unless the input has a BOM or is UTF-8 (see `encoding`).
 *
 * @example
 * const file = parseBgmax(readFileSync('BgMax.txt'), { source: 'BgMax.txt' });
 * file.sections[0]!.items[0]!.amount.toString(); // '1000.00'
 * const { file: f, issues } = parseBgmax(bytes, { mode: 'lenient' });
 * issues.filter((i) => i.severity === 'error').map((i) => i.code); // e.g. ['control_total_mismatch']
 */
export function parseBgmax(input: Uint8Array | string, options?: StrictParseBgmaxOptions): BgmaxFile;
export function parseBgmax(input: Uint8Array | string, options: LenientParseBgmaxOptions): BgmaxParseResult;
export function parseBgmax(input: Uint8Array | string, options?: ParseBgmaxOptions): BgmaxFile | BgmaxParseResult;
export function parseBgmax(input: Uint8Array | string, options: ParseBgmaxOptions = {}): BgmaxFile | BgmaxParseResult {
  const result = runWhole(input, options);
  return options.mode === 'lenient' ? result : strictFile(result);
}

/**
 * Strict parsing without throwing: `{ success: true, data, warnings }` or `{ success: false, error }`
 * (the NordfilError with every issue).
 *
 * @example
 * const r = safeParseBgmax(bytes, { source: 'BgMax.txt' });
 * if (r.success) console.log(r.data.sections.length, r.warnings.length);
 * else for (const i of r.error.issues) console.log(i.line, i.code, i.message);
 */
export function safeParseBgmax(
  input: Uint8Array | string,
  options: Omit<ParseBgmaxOptions, 'mode'> = {},
): SafeResult<BgmaxFile> {
  return safeFile(() => runWhole(input, options));
}

/**
 * Parses a whole BGMax file from a stream of bytes (a Node stream, a web `ReadableStream`, an async iterable
 * of chunks; bytes and strings too): the same file, the same issues and the same strict and lenient modes as
 * {@link parseBgmax} (but for the two differences below), without holding the file's bytes. Each chunk is decoded and parsed as it arrives, so the
 * bytes are read while they are still in the processor's caches, and a large file needs no buffer of its size
 * (for the 1,000,000-payment bench file: 3.1-3.4 s and 505 MB peak, against 3.6-3.9 s and 755 MB for
 * `parseBgmax(readFileSync(file))`).
 *
 * One difference, from not holding the whole input (bytes and strings are parsed by {@link parseBgmax} itself,
 * so it does not apply to them): a file read from a stream does not keep its original bytes, so writing a file
 * that was read with warnings (quirks such as LF line endings or short lines) gives the canonical bytes of its
 * records, where a file from {@link parseBgmax} is written back as read. With `encoding: 'auto'` both decide
 * alike (UTF-8 with a byte order mark, or when the 64 KiB from the first non-ASCII byte on are valid UTF-8).
 *
 * @example
 * import { createReadStream } from 'node:fs';
 * const file = await parseBgmaxAsync(createReadStream('BgMax.txt'), { source: 'BgMax.txt' });
 * const { file: f, issues } = await parseBgmaxAsync(createReadStream('BgMax.txt'), { mode: 'lenient' });
 */
export function parseBgmaxAsync(input: BgmaxInput, options?: StrictParseBgmaxOptions): Promise<BgmaxFile>;
export function parseBgmaxAsync(input: BgmaxInput, options: LenientParseBgmaxOptions): Promise<BgmaxParseResult>;
export function parseBgmaxAsync(input: BgmaxInput, options?: ParseBgmaxOptions): Promise<BgmaxFile | BgmaxParseResult>;
export async function parseBgmaxAsync(
  input: BgmaxInput,
  options: ParseBgmaxOptions = {},
): Promise<BgmaxFile | BgmaxParseResult> {
  const result = await runWholeAsync(input, options);
  return options.mode === 'lenient' ? result : strictFile(result);
}

/**
 * {@link safeParseBgmax} from a stream (see {@link parseBgmaxAsync}): `{ success: true, data, warnings }` or
 * `{ success: false, error }`.
 *
 * @example
 * const r = await safeParseBgmaxAsync(createReadStream('BgMax.txt'), { source: 'BgMax.txt' });
 * if (!r.success) for (const i of r.error.issues) console.log(i.line, i.code, i.message);
 */
export function safeParseBgmaxAsync(
  input: BgmaxInput,
  options: Omit<ParseBgmaxOptions, 'mode'> = {},
): Promise<SafeResult<BgmaxFile>> {
  return safeFileAsync(() => runWholeAsync(input, options));
}

async function runWholeAsync(input: BgmaxInput, options: ParseBgmaxOptions): Promise<BgmaxParseResult> {
  if (typeof input === 'string' || input instanceof Uint8Array) return runWhole(input, options);
  const sections: BgmaxSection[] = [];
  const session = new Session(options, (c) => sections.push(c.section));
  for await (const text of decodedChunks(input, session.decoder)) session.text(text);
  session.end();
  return { file: session.file(sections, options), issues: session.issues.list };
}

// ---------------------------------------------------------------------------------------------
// streaming

/** Options of {@link readBgmax}. */
export interface ReadBgmaxOptions extends ParseBgmaxOptions {
  /** What to iterate: closed sections (default) or the shared `Payment`s of each closed section. */
  readonly yield?: 'sections' | 'payments';
}

/**
 * A streaming read in progress: iterate it once. `header`, `trailer`, `format` and `issues` fill in
 * as the input is read (all are final when iteration ends).
 */
export interface BgmaxReader<T> extends AsyncIterable<T> {
  /** The start record, once read. */
  readonly header: BgmaxHeader | undefined;
  /** The end record's declared counts, once read. */
  readonly trailer: BgmaxTrailer | undefined;
  /** The layout on disk, after the end of input. */
  readonly format: BgmaxFileFormat | undefined;
  /** Every issue found so far (warnings; in lenient mode errors too). */
  readonly issues: readonly Issue[];
}

class StreamReader<T> implements BgmaxReader<T> {
  header: BgmaxHeader | undefined;
  trailer: BgmaxTrailer | undefined;
  format: BgmaxFileFormat | undefined;
  issues: readonly Issue[] = [];
  private used = false;

  constructor(
    private readonly input: BgmaxInput,
    private readonly options: ReadBgmaxOptions,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.used) throw new TypeError('readBgmax: a reader can be iterated once');
    this.used = true;
    // the engine yields one batch per input chunk; handing items out of the batch with already
    // resolved promises costs far less per item than an async generator's yield. Each item is let go of
    // as it is handed out, so that the batch never keeps what the caller is done with alive while the
    // next chunk is parsed (young-generation collections would copy it: in payments mode a fifth of a
    // read's collection time)
    const batches = this.run() as AsyncGenerator<T[], void, undefined>;
    let batch: (T | undefined)[] = [];
    let i = 0;
    const take = (): T => {
      const item = batch[i] as T;
      batch[i++] = undefined;
      return item;
    };
    const pull = async (): Promise<IteratorResult<T>> => {
      for (;;) {
        const r = await batches.next();
        if (r.done === true) return { done: true, value: undefined };
        if (r.value.length > 0) {
          batch = r.value;
          i = 0;
          return { done: false, value: take() };
        }
      }
    };
    return {
      next: (): Promise<IteratorResult<T>> =>
        i < batch.length ? Promise.resolve({ done: false, value: take() }) : pull(),
      return: async (): Promise<IteratorResult<T>> => {
        batch = [];
        i = 0;
        await batches.return(undefined);
        return { done: true, value: undefined };
      },
    };
  }

  private async *run(): AsyncGenerator<(BgmaxSection | Payment)[], void, undefined> {
    const options = this.options;
    const strict = options.mode !== 'lenient';
    const payments = options.yield === 'payments';
    const queue: ClosedSection[] = [];
    const session = new Session(options, (c) => queue.push(c));
    this.issues = session.issues.list;
    let ctx: ReturnType<typeof paymentContext> | undefined;
    const sync = (): void => {
      this.header = session.assembler.header;
      this.trailer = session.assembler.trailer;
    };
    const flush = (): (BgmaxSection | Payment)[] => {
      const out: (BgmaxSection | Payment)[] = [];
      for (const c of queue) {
        if (!payments) {
          out.push(c.section);
          continue;
        }
        ctx ??= paymentContext({
          header: session.assembler.header,
          source: options.source,
          fileIdentity: options.fileIdentity,
        });
        // appends (only payments: this batch holds payments alone when yielding them). The items are not
        // reused for later sections: filling old items with new strings kept those alive through young
        // collections, and a streaming read in this mode was about 5 % slower for it (alternating runs)
        sectionPayments(c.section, c.index, ctx, out as Payment[]);
      }
      queue.length = 0;
      return out;
    };
    const check = (): void => {
      if (strict && session.issues.hasErrors) throw new NordfilError([...session.issues.list]);
    };
    const input = this.input;
    let chunks: Iterable<string> | AsyncIterable<string>;
    if (typeof input === 'string' || input instanceof Uint8Array) chunks = wholeInputSlices(input, session.decoder);
    else chunks = decodedChunks(input, session.decoder);
    for await (const text of chunks) {
      session.text(text);
      sync();
      if (queue.length === 0) continue;
      check();
      yield flush();
    }
    session.end();
    sync();
    this.format = session.physical.format(session.decoder);
    check();
    if (queue.length > 0) yield flush();
  }
}

/**
 * Big chunks are decoded in pieces of this many bytes: the lines (slices of the decoded text) then
 * keep small strings alive, which the young-generation GC frees cheaply, instead of megabyte strings
 * that only a full collection frees.
 */
const PIECE = 64 * 1024;

async function* decodedChunks(input: BgmaxInput, decoder: ChunkDecoder): AsyncGenerator<string, void, undefined> {
  let first = true;
  for await (const chunk of byteChunks(input)) {
    if (typeof chunk !== 'string' && chunk.length > PIECE) {
      for (let off = 0; off < chunk.length; off += PIECE) {
        const text = decodeChunk(chunk.subarray(off, Math.min(chunk.length, off + PIECE)), decoder, first);
        first = false;
        if (text.length > 0) yield text;
      }
      continue;
    }
    const text = decodeChunk(chunk, decoder, first);
    if (chunk.length > 0) first = false;
    if (text.length > 0) yield text;
  }
  const tail = decoder.end();
  if (tail.length > 0) yield tail;
}

/**
 * Reads a BGMax file as a stream in constant memory: bytes (any chunking: a Node stream, a web
 * ReadableStream, an async iterable) in, closed sections (or, with `yield: 'payments'`, the shared
 * `Payment`s of each section, dated by its TK15) out. Control totals are checked as each section
 * closes and the TK70 counts at the end. In strict mode (the default) the iteration throws a
 * NordfilError before yielding anything from a point where an error was found; in lenient mode
 * errors are collected in `reader.issues`.
 *
 * @example
 * import { createReadStream } from 'node:fs';
 * const reader = readBgmax(createReadStream('BgMax.txt'), { yield: 'payments', source: 'BgMax.txt' });
 * for await (const payment of reader) await store(payment);
 * reader.issues; // warnings (record_length, blank_line, ...)
 */
export function readBgmax(
  input: BgmaxInput,
  options: ReadBgmaxOptions & { readonly yield: 'payments' },
): BgmaxReader<Payment>;
export function readBgmax(
  input: BgmaxInput,
  options?: ReadBgmaxOptions & { readonly yield?: 'sections' },
): BgmaxReader<BgmaxSection>;
export function readBgmax(input: BgmaxInput, options?: ReadBgmaxOptions): BgmaxReader<BgmaxSection | Payment>;
export function readBgmax(input: BgmaxInput, options: ReadBgmaxOptions = {}): BgmaxReader<BgmaxSection | Payment> {
  return new StreamReader(input, options);
}
