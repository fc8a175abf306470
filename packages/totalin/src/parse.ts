/**
 * Parsing Total-IN: whole files ({@link parseTotalIn}, {@link safeParseTotalIn}) and streams in constant
 * memory ({@link readTotalIn}). One engine serves both: the physical layer (decoding, splitting), the
 * record reader and the object assembler, fed line by line.
 */
import {
  type ByteSource,
  byteChunks,
  DEFAULT_MAX_ISSUES_PER_CODE,
  type Issue,
  IssueCollector,
  type Line,
  NordfilError,
  type Payment,
  type SafeResult,
  type Strictness,
  safeFile,
  safeFileAsync,
  strictFile,
} from '@nordfil/core';
import { LineReader } from './codecs.js';
import { checkEncodingOption, type TotalInEncoding } from './encoding.js';
import {
  Assembler,
  type AssemblerEvents,
  fileIdentityOf,
  itemToPayment,
  type PaymentContext,
  type TotalInAccountSection,
  type TotalInFile,
  type TotalInHeader,
  type TotalInTrailer,
} from './objects.js';
import { Physical, type PhysicalLayout } from './physical.js';

/** Options of {@link parseTotalIn} and {@link readTotalIn}. */
export interface ParseTotalInOptions {
  /** File name for issues and `Payment.source.file`. */
  readonly source?: string;
  /**
   * `strict` (default) fails on any error issue; `lenient` keeps every valid record and returns the
   * issues beside the file.
   * @default 'strict'
   */
  readonly mode?: Strictness;
  /**
   * `auto` (default): latin-1 unless a byte order mark, or the 64 KiB from the first non-ASCII byte on are
   * valid UTF-8 (then an `encoding` warning); decided alike whole and streamed. Or force `latin1` / `utf-8`.
   * @default 'auto'
   */
  readonly encoding?: TotalInEncoding;
  /** The identity payment ids start with. Default `totalin:<id>:<timestamp>:<delivery number>:<T|P>`. */
  readonly fileIdentity?: string;
  /**
   * Issues kept per code; the rest are counted in one summary issue (keeps memory constant).
   * @default 1000
   */
  readonly maxIssuesPerCode?: number;
  /** Called with every issue as it is found. */
  readonly onIssue?: (issue: Issue) => void;
}

/** Options of {@link parseTotalIn} in strict mode (the default). */
export type StrictParseTotalInOptions = ParseTotalInOptions & { readonly mode?: 'strict' };
/** Options of {@link parseTotalIn} in lenient mode. */
export type LenientParseTotalInOptions = ParseTotalInOptions & { readonly mode: 'lenient' };

/** What lenient parsing returns: the file (every valid record kept) and every issue found. */
export interface TotalInParseResult {
  readonly file: TotalInFile;
  readonly issues: readonly Issue[];
}

/** One parse run (whole or streaming). */
class Session {
  readonly issues: IssueCollector;
  readonly physical: Physical;
  readonly reader: LineReader;
  readonly assembler: Assembler;
  private started = false;
  /** Stop reading at the first error (streaming in strict mode). */
  stopOnError = false;
  /** Reading stopped at an error before the end of the input: nothing is judged about the rest. */
  stopped = false;

  constructor(
    options: ParseTotalInOptions,
    retainItems: boolean,
    keepPhysical: boolean,
    events: AssemblerEvents,
    wholeBytes?: Uint8Array,
  ) {
    this.issues = new IssueCollector(
      options.source,
      options.maxIssuesPerCode ?? DEFAULT_MAX_ISSUES_PER_CODE,
      options.onIssue,
    );
    this.physical = new Physical(options.encoding ?? 'auto', this.issues, wholeBytes);
    this.reader = new LineReader(this.issues);
    this.assembler = new Assembler(this.issues, { retainItems, keepPhysical }, events);
  }

  lines(lines: readonly Line[]): void {
    const n = lines.length;
    if (n === 0 || this.stopped) return;
    if (!this.started) {
      this.started = true;
      // the file's line ending is the first line's (as the physical layout records it once that line is
      // judged): the lines that end otherwise are kept verbatim, so that writing gives every ending back
      const first = lines[0]!.terminator;
      this.assembler.lineEnding = first === '' && n > 1 ? '' : first !== '' ? first : this.physical.lineEnding;
    }
    const reader = this.reader;
    const assembler = this.assembler;
    const physical = this.physical;
    const issues = this.issues;
    for (let i = 0; i < n; i++) {
      const l = lines[i]!;
      physical.line(l);
      assembler.push(reader.read(l), l, reader.dirty);
      // streaming strict: stop at the first error, so every chunking gives the same error
      if (this.stopOnError && issues.errors > 0) {
        this.stopped = true;
        return;
      }
    }
  }

  finish(): void {
    if (this.stopped) {
      // the input was not read to its end: no missing 99, unclosed section or final-newline issue for it
      this.issues.finish();
      return;
    }
    this.physical.finish();
    this.assembler.finish();
    this.issues.finish();
  }

  layout(): PhysicalLayout {
    return this.physical.layout();
  }
}

function assertInput(input: unknown, fn: string): asserts input is Uint8Array | string {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new NordfilError({ code: 'invalid_input', message: `${fn} expects bytes or a string`, severity: 'error' });
  }
}

function runWhole(input: Uint8Array | string, options: ParseTotalInOptions): TotalInParseResult {
  assertInput(input, 'parseTotalIn');
  const session = new Session(options, true, true, {}, typeof input === 'string' ? undefined : input);
  for (const batch of session.physical.whole(input)) session.lines(batch);
  return wholeResult(session);
}

async function runWholeAsync(input: TotalInInput, options: ParseTotalInOptions): Promise<TotalInParseResult> {
  if (typeof input === 'string' || input instanceof Uint8Array) return runWhole(input, options);
  const session = new Session(options, true, true, {});
  for await (const chunk of byteChunks(input)) for (const lines of session.physical.push(chunk)) session.lines(lines);
  session.lines(session.physical.end());
  return wholeResult(session);
}

/** The whole file and its issues, once every line has been fed. */
function wholeResult(session: Session): TotalInParseResult {
  session.finish();
  const a = session.assembler;
  const layout = session.layout();
  const file: TotalInFile = {
    header: a.header,
    accounts: a.accounts,
    trailer: a.trailer,
    physical: { ...layout, rawLines: a.rawLines },
  };
  return { file, issues: session.issues.list };
}

/**
 * Parses a whole Total-IN file (Nordea Total IN / Total IN Bas). Strict mode (the default) returns the
 * file or throws one NordfilError listing every issue; lenient mode returns `{ file, issues }` and keeps
 * every valid record. Bytes are latin-1 unless the input has a BOM or is UTF-8 (see `encoding`).
 *
 * @example
 * const file = parseTotalIn(readFileSync('TOTALIN.txt'), { source: 'TOTALIN.txt' });
 * file.accounts[0]!.closing!.total.toString(); // '19190.00'
 * const { file: f, issues } = parseTotalIn(bytes, { mode: 'lenient' });
 * issues.filter((i) => i.severity === 'error').map((i) => i.code); // e.g. ['count_mismatch']
 */
export function parseTotalIn(input: Uint8Array | string, options?: StrictParseTotalInOptions): TotalInFile;
export function parseTotalIn(input: Uint8Array | string, options: LenientParseTotalInOptions): TotalInParseResult;
export function parseTotalIn(
  input: Uint8Array | string,
  options?: ParseTotalInOptions,
): TotalInFile | TotalInParseResult;
export function parseTotalIn(
  input: Uint8Array | string,
  options: ParseTotalInOptions = {},
): TotalInFile | TotalInParseResult {
  const result = runWhole(input, options);
  return options.mode === 'lenient' ? result : strictFile(result);
}

/**
 * Strict parsing without throwing: `{ success: true, data, warnings }` or `{ success: false, error }`
 * (the NordfilError with every issue).
 *
 * @example
 * const r = safeParseTotalIn(bytes, { source: 'TOTALIN.txt' });
 * if (r.success) console.log(r.data.accounts.length, r.warnings.length);
 * else for (const i of r.error.issues) console.log(i.line, i.code, i.message);
 */
export function safeParseTotalIn(
  input: Uint8Array | string,
  options: Omit<ParseTotalInOptions, 'mode'> = {},
): SafeResult<TotalInFile> {
  return safeFile(() => runWhole(input, options));
}

/**
 * Parses a whole Total-IN file from a stream of bytes (a Node stream, a web `ReadableStream`, an async iterable
 * of chunks; bytes and strings too): the same file (its raw lines included) and issues as {@link parseTotalIn},
 * in the same modes, decoding and parsing each chunk as it arrives instead of holding the file's bytes. With
 * `encoding: 'auto'` the encoding is decided as {@link parseTotalIn} and {@link readTotalIn} decide it (the 64 KiB
 * from the first non-ASCII byte on). Bytes and strings go to {@link parseTotalIn}.
 *
 * @example
 * import { createReadStream } from 'node:fs';
 * const file = await parseTotalInAsync(createReadStream('TOTALIN.txt'), { source: 'TOTALIN.txt' });
 */
export function parseTotalInAsync(input: TotalInInput, options?: StrictParseTotalInOptions): Promise<TotalInFile>;
export function parseTotalInAsync(
  input: TotalInInput,
  options: LenientParseTotalInOptions,
): Promise<TotalInParseResult>;
export function parseTotalInAsync(
  input: TotalInInput,
  options?: ParseTotalInOptions,
): Promise<TotalInFile | TotalInParseResult>;
export async function parseTotalInAsync(
  input: TotalInInput,
  options: ParseTotalInOptions = {},
): Promise<TotalInFile | TotalInParseResult> {
  const result = await runWholeAsync(input, options);
  return options.mode === 'lenient' ? result : strictFile(result);
}

/**
 * {@link safeParseTotalIn} from a stream (see {@link parseTotalInAsync}).
 *
 * @example
 * const r = await safeParseTotalInAsync(createReadStream('TOTALIN.txt'));
 * if (!r.success) for (const i of r.error.issues) console.log(i.line, i.code, i.message);
 */
export function safeParseTotalInAsync(
  input: TotalInInput,
  options: Omit<ParseTotalInOptions, 'mode'> = {},
): Promise<SafeResult<TotalInFile>> {
  return safeFileAsync(() => runWholeAsync(input, options));
}

// ---------------------------------------------------------------------------------------------
// streaming

/** Anything the streaming reader accepts: whole input, a web stream, or (async) iterables of byte chunks. */
export type TotalInInput = ByteSource;

/** Options of {@link readTotalIn}. */
export interface ReadTotalInOptions extends ParseTotalInOptions {
  /**
   * What to iterate: closed account sections (default; each checked against its 90 record before it is
   * yielded), or the shared `Payment`s, each yielded as soon as its last child record is read (constant
   * memory whatever the section size; the section's 90 check follows when it closes).
   * @default 'sections'
   */
  readonly yield?: 'sections' | 'payments';
}

/**
 * A streaming read in progress: iterate it once. `header`, `trailer`, `layout` and `issues` fill in as
 * the input is read (all are final when iteration ends).
 */
export interface TotalInReader<T> extends AsyncIterable<T> {
  /** The 00 record, once read. */
  readonly header: TotalInHeader | undefined;
  /** The 99 record, once read. */
  readonly trailer: TotalInTrailer | undefined;
  /** The physical layout, after the end of input. */
  readonly layout: PhysicalLayout | undefined;
  /** Every issue found so far (warnings; in lenient mode errors too). */
  readonly issues: readonly Issue[];
}

class StreamReader<T> implements TotalInReader<T> {
  header: TotalInHeader | undefined;
  trailer: TotalInTrailer | undefined;
  layout: PhysicalLayout | undefined;
  issues: readonly Issue[] = [];
  private used = false;

  constructor(
    private readonly input: TotalInInput,
    private readonly options: ReadTotalInOptions,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.used) throw new TypeError('readTotalIn: a reader can be iterated once');
    this.used = true;
    return this.run() as AsyncIterator<T>;
  }

  private async *run(): AsyncGenerator<TotalInAccountSection | Payment, void, undefined> {
    const options = this.options;
    const payments = options.yield === 'payments';
    const strict = options.mode !== 'lenient';
    const out: (TotalInAccountSection | Payment)[] = [];
    let ctx: PaymentContext | undefined;
    const context = (): PaymentContext => {
      ctx ??= {
        fileIdentity: options.fileIdentity ?? fileIdentityOf(session.assembler.header, options.source),
        source: options.source ?? '',
        header: session.assembler.header,
      };
      return ctx;
    };
    // strict: nothing found after the first error is yielded (the same for every chunking)
    const keep = (): boolean => !(strict && session.issues.errors > 0);
    const events: AssemblerEvents = payments
      ? {
          item: (item, section, index) => {
            if (!keep()) return;
            const p = itemToPayment(item, section, index, context());
            if (p !== undefined) out.push(p);
          },
        }
      : {
          section: (section) => {
            if (keep()) out.push(section);
          },
        };
    const session = new Session(options, !payments, false, events);
    session.stopOnError = strict;
    this.issues = session.issues.list;
    const self = this;
    function* flush(): Generator<TotalInAccountSection | Payment> {
      self.header = session.assembler.header;
      self.trailer = session.assembler.trailer;
      for (let i = 0; i < out.length; i++) yield out[i]!;
      out.length = 0;
      if (!keep()) throw new NordfilError(session.issues.list);
    }
    for await (const chunk of byteChunks(this.input)) {
      for (const lines of session.physical.push(chunk)) {
        session.lines(lines);
        yield* flush();
      }
    }
    session.lines(session.physical.end());
    session.finish();
    this.layout = session.layout();
    yield* flush();
  }
}

/**
 * Reads a Total-IN file as a stream in constant memory: bytes (any chunking: a Node stream, a web
 * ReadableStream, an async iterable) in, closed account sections (or, with `yield: 'payments'`, the
 * shared `Payment`s) out. Control totals are checked as each section closes and the record count at the
 * end. In strict mode (the default) the iteration throws a NordfilError as soon as an error is found,
 * before yielding anything read after it; in lenient mode errors are collected in `reader.issues`.
 *
 * @example
 * import { createReadStream } from 'node:fs';
 * const reader = readTotalIn(createReadStream('TOTALIN.txt'), { yield: 'payments', source: 'TOTALIN.txt' });
 * for await (const payment of reader) await store(payment);
 * reader.issues; // warnings (record_length, missing_final_newline, ...)
 */
export function readTotalIn(
  input: TotalInInput,
  options: ReadTotalInOptions & { readonly yield: 'payments' },
): TotalInReader<Payment>;
export function readTotalIn(
  input: TotalInInput,
  options?: ReadTotalInOptions & { readonly yield?: 'sections' },
): TotalInReader<TotalInAccountSection>;
export function readTotalIn(
  input: TotalInInput,
  options?: ReadTotalInOptions,
): TotalInReader<TotalInAccountSection | Payment>;
export function readTotalIn(
  input: TotalInInput,
  options: ReadTotalInOptions = {},
): TotalInReader<TotalInAccountSection | Payment> {
  checkEncodingOption(options.encoding ?? 'auto');
  return new StreamReader(input, options);
}
