/**
 * Parsing: whole input ({@link parseOcrGiro}, {@link safeParseOcrGiro}) and streaming ({@link readOcrGiro}).
 * Both run the same engine (line feed -> record codecs -> assembler), so they report the same issues.
 */
import {
  type ByteSource,
  byteChunks,
  DOS_EOF,
  type Issue,
  type Line,
  type LineTerminator,
  NordfilError,
  type Payment,
  type SafeResult,
  type Strictness,
  safely,
  safelyAsync,
} from '@nordfil/core';
import { ocrGiroCodecs, RECORD_LENGTH } from './codecs.js';
import { forEachLine, type InputEncoding, LineFeed, slicesOf } from './input.js';
import { type LineContext, readRecordLine } from './line.js';
import {
  Assembler,
  type Assignment,
  type OcrGiroFile,
  paymentOf,
  type TransmissionEnd,
  type TransmissionHeader,
} from './objects.js';

/**
 * Options of {@link parseOcrGiro} and {@link readOcrGiro}.
 *
 * @example
 * parseOcrGiro(bytes, { source: 'OCR.D150325', mode: 'lenient', encoding: 'latin1', pivot: 69 });
 */
export interface ParseOptions {
  /** The input's name (a file name), for issues and `Payment.source.file`. */
  readonly source?: string;
  /**
   * `strict` (default) throws one NordfilError listing every issue when any is an error; `lenient` never
   * throws for content, keeps every readable transaction and reports the rest in `issues`.
   * @default 'strict'
   */
  readonly mode?: Strictness;
  /**
   * Encoding of byte input. `auto` (default): latin-1 (what Nets writes) unless the input starts with a
   * UTF-8 byte order mark or the 64 KiB from its first non-ASCII byte on, wherever it is, are valid UTF-8
   * (reported as an `encoding` warning on the line that holds that byte).
   * @default 'auto'
   */
  readonly encoding?: InputEncoding;
  /** Identity of the file for payment ids. Default `ocrgiro:<data transmitter>:<data recipient>:<transmission number>`. */
  readonly fileIdentity?: string;
  /**
   * Two-digit-year pivot of the `DDMMYY` dates: YY below the pivot is 20YY, else 19YY.
   * @default 70 (1970–2069; python-netsgiro's window is 1969–2068: pass 69)
   */
  readonly pivot?: number;
}

function context(options: ParseOptions, onIssue?: (i: Issue) => void): LineContext {
  return { codecs: ocrGiroCodecs(options.pivot), source: options.source, issues: [], errors: 0, onIssue };
}

/** Tracks the layout of the lines (terminators) and whether the last one is a partial record. */
class LayoutTracker {
  lineEnding: LineTerminator | undefined;
  last: Line | undefined;
  lastNonBlank: Line | undefined;

  see(l: Line): void {
    if (l.text === DOS_EOF) return; // a final DOS end-of-file marker is not part of the layout
    if (this.lineEnding === undefined && l.terminator !== '') this.lineEnding = l.terminator;
    this.last = l;
    if (l.text.trim() !== '') this.lastNonBlank = l;
  }

  /** The last line when it is a partial record at the very end of the input (no terminator). */
  truncated(): { line: number; text: string } | undefined {
    const l = this.last;
    if (l === undefined || l.terminator !== '' || l !== this.lastNonBlank) return undefined;
    return l.text.length < RECORD_LENGTH ? { line: l.number, text: l.text } : undefined;
  }
}

/**
 * Parses a whole Nets OCR giro file (bytes or text) into a {@link OcrGiroFile}: the transmission, its
 * assignments and their transactions, with every control record (88, 89) checked against the content.
 *
 * Strict mode (default) throws one {@link NordfilError} carrying every issue when any is an error; lenient
 * mode returns the file with `file.issues` and keeps every transaction it could read.
 *
 * @example
 * import { readFileSync } from 'node:fs';
 * import { parseOcrGiro, toPayments } from '@nordfil/ocrgiro';
 * const file = parseOcrGiro(readFileSync('OCR.D150325'), { source: 'OCR.D150325' });
 * for (const p of toPayments(file)) console.log(p.reference, p.amount.toString());
 *
 * const lenient = parseOcrGiro(bytes, { mode: 'lenient' });
 * lenient.issues.filter((i) => i.severity === 'error'); // what is wrong, with line and column
 */
export function parseOcrGiro(input: Uint8Array | string, options: ParseOptions = {}): OcrGiroFile {
  const run = new WholeRun(options);
  forEachLine(input, run.feed, run.visit);
  return run.finish();
}

/**
 * Parses a whole OCR giro file from a stream of bytes (a Node stream, a web `ReadableStream`, an async iterable
 * of chunks; bytes and strings too): the same file and issues as {@link parseOcrGiro}, in the same modes,
 * decoding and parsing each chunk as it arrives instead of holding the file's bytes.
 *
 * @example
 * import { createReadStream } from 'node:fs';
 * const file = await parseOcrGiroAsync(createReadStream('OCR.D150325'), { source: 'OCR.D150325' });
 */
export async function parseOcrGiroAsync(input: OcrGiroInput, options: ParseOptions = {}): Promise<OcrGiroFile> {
  if (typeof input === 'string' || input instanceof Uint8Array) return parseOcrGiro(input, options);
  const run = new WholeRun(options);
  for await (const chunk of byteChunks(input)) {
    for (const piece of slicesOf(chunk)) for (const l of run.feed.push(piece)) run.visit(l);
  }
  for (const l of run.feed.end()) run.visit(l);
  return run.finish();
}

/**
 * Like {@link parseOcrGiroAsync} in strict mode, but returns a result instead of throwing for bad input.
 *
 * @example
 * const r = await safeParseOcrGiroAsync(createReadStream('OCR.D150325'));
 * if (!r.success) for (const i of r.error.issues) console.log(i.line, i.code, i.message);
 */
export function safeParseOcrGiroAsync(
  input: OcrGiroInput,
  options: Omit<ParseOptions, 'mode'> = {},
): Promise<SafeResult<OcrGiroFile>> {
  return safelyAsync(
    () => parseOcrGiroAsync(input, { ...options, mode: 'strict' }),
    (f) => f.issues,
  );
}

/** One whole-file parse: feed it lines, then take the file (internal). */
class WholeRun {
  private readonly ctx: ReturnType<typeof context>;
  readonly feed: LineFeed;
  private readonly asm: Assembler;
  private readonly layout = new LayoutTracker();

  constructor(private readonly options: ParseOptions) {
    this.ctx = context(options);
    this.feed = new LineFeed(this.ctx, options.encoding ?? 'auto');
    this.asm = new Assembler(this.ctx, { retain: true, fileIdentity: options.fileIdentity });
  }

  readonly visit = (l: Line): void => {
    const ctx = this.ctx;
    const errors = ctx.errors;
    const rec = readRecordLine(ctx, l.text, l.number);
    this.asm.push(rec, l.text, ctx.errors > errors ? (ctx.fatal === true ? 2 : 1) : 0);
    this.layout.see(l);
  };

  finish(): OcrGiroFile {
    const { ctx, asm, layout, feed } = this;
    const options = this.options;
    asm.endOfInput(layout.truncated());
    if ((options.mode ?? 'strict') === 'strict' && ctx.errors > 0) throw new NordfilError(ctx.issues);
    const h = asm.transmission;
    return {
      format: 'ocrgiro',
      dataTransmitter: h?.dataTransmitter ?? '',
      transmissionNumber: h?.transmissionNumber ?? '',
      dataRecipient: h?.dataRecipient ?? '',
      assignments: asm.assignments,
      end: asm.end,
      identity: asm.identity,
      source: options.source,
      layout: {
        encoding: feed.encoding,
        lineEnding: layout.lineEnding ?? (layout.last !== undefined && layout.last.terminator === '' ? '' : '\r\n'),
        finalNewline: layout.last === undefined || layout.last.terminator !== '',
      },
      issues: ctx.issues,
      line: h?.line ?? 0,
      reserved: asm.reserved,
    };
  }
}

/**
 * Like {@link parseOcrGiro} in strict mode, but returns a result instead of throwing for bad input.
 *
 * @example
 * const r = safeParseOcrGiro(bytes);
 * if (r.success) use(r.data, r.warnings); else for (const i of r.error.issues) console.log(i.line, i.code, i.message);
 */
export function safeParseOcrGiro(
  input: Uint8Array | string,
  options: Omit<ParseOptions, 'mode'> = {},
): SafeResult<OcrGiroFile> {
  return safely(
    () => parseOcrGiro(input, { ...options, mode: 'strict' }),
    (f) => f.issues,
  );
}

/**
 * Anything {@link readOcrGiro} reads: whole input, a web stream, or (async) iterables of chunks (a Node Readable is one).
 *
 * @example
 * readOcrGiro(createReadStream('OCR.txt')); readOcrGiro(response.body!); readOcrGiro(bytes);
 */
export type OcrGiroInput = ByteSource;

/**
 * Options of {@link readOcrGiro}.
 *
 * @example
 * readOcrGiro(stream, { yield: 'payments', mode: 'lenient', onIssue: (i) => log(i) });
 */
export interface ReadOptions extends ParseOptions {
  /**
   * What to yield: each `assignment` when its end record (88) has been read and checked (default), or each
   * `payment` (OCR giro transactions as shared {@link Payment}s) as soon as each is complete.
   * @default 'assignments'
   */
  readonly yield?: 'assignments' | 'payments';
  /** Called with each issue as it is found. */
  readonly onIssue?: (issue: Issue) => void;
}

/**
 * The async iterable {@link readOcrGiro} returns, with what it learnt so far: the issues (every one in
 * lenient mode), the transmission start and, after the last item, the transmission end.
 *
 * @example
 * const reader = readOcrGiro(stream, { mode: 'lenient' });
 * for await (const a of reader) store(a);
 * reader.issues; // everything found
 */
export interface OcrGiroReader<T> extends AsyncIterable<T> {
  readonly issues: readonly Issue[];
  readonly transmission: TransmissionHeader | undefined;
  readonly end: TransmissionEnd | undefined;
}

/**
 * Reads an OCR giro file as it arrives: yields each assignment when its 88 has been checked (in memory
 * bounded by one assignment), or each payment as soon as its records are complete (in constant memory),
 * checking control records as they come and, at the end of input, reporting a missing transmission end, an
 * unclosed assignment or a truncated file.
 *
 * Strict mode (default) throws a NordfilError (listing every issue found so far, and none about the part
 * not read) right after the first line with an error, having yielded nothing that line released (an
 * assignment closed by a 88 that does not match). Payments of that assignment completed before its 88 have
 * been handed out already, and an 89 that does not match throws after everything: apply the items in a
 * transaction you commit after the loop.
 * Lenient mode never throws for content and collects issues in `reader.issues` (and `onIssue`). The same
 * bytes give the same items and issues whatever their chunking.
 *
 * @example
 * import { createReadStream } from 'node:fs';
 * const reader = readOcrGiro(createReadStream('OCR.D150325'), { yield: 'payments', source: 'OCR.D150325' });
 * await db.transaction(async (tx) => {
 *   for await (const payment of reader) await tx.store(payment); // throws before the commit if 89 fails
 * });
 * reader.end?.total.toString(); // the transmission total from record 89
 */
export function readOcrGiro(
  input: OcrGiroInput,
  options: ReadOptions & { readonly yield: 'payments' },
): OcrGiroReader<Payment>;
/**
 * Reads an OCR giro file as it arrives, yielding each assignment (oppdrag) when its end record has been
 * checked (the default); see the `yield: 'payments'` overload for the rest.
 *
 * @example
 * for await (const assignment of readOcrGiro(createReadStream('OCR.D150325'))) console.log(assignment.account);
 */
export function readOcrGiro(
  input: OcrGiroInput,
  options?: ReadOptions & { readonly yield?: 'assignments' },
): OcrGiroReader<Assignment>;
export function readOcrGiro(input: OcrGiroInput, options: ReadOptions = {}): OcrGiroReader<Assignment | Payment> {
  const ctx = context(options, options.onIssue);
  const issues = ctx.issues;
  const strict = (options.mode ?? 'strict') === 'strict';
  const payments = options.yield === 'payments';
  const source = options.source ?? '<input>';
  const queue: (Assignment | Payment)[] = [];
  // payments are handed out as soon as each is complete, in strict mode too: holding an assignment's
  // payments until its 88 made memory grow with the assignment (a 10,000-payment assignment: 170 MB instead of
  // 85, and twice the time in collections). A payment's id uses the file identity known when its transaction
  // completes (see toPayments).
  const asm = new Assembler(
    ctx,
    { retain: !payments, fileIdentity: options.fileIdentity },
    payments
      ? {
          onTransaction: (tx, account, section) => {
            if (tx.kind === 'ocr-giro') queue.push(paymentOf(tx, account, section, asm.identity, source));
          },
        }
      : { onAssignment: (a) => queue.push(a) },
  );
  // yields one batch (array) per input chunk; the iterator below hands out its items without an async
  // generator step per item (a payment costs less to read than a generator resumption)
  async function* run(): AsyncGenerator<(Assignment | Payment)[], void, undefined> {
    const feed = new LineFeed(ctx, options.encoding ?? 'auto');
    const layout = new LayoutTracker();
    let failed = false;
    /** The queue's length before the last line read: what the last line released is after it. */
    let beforeLast = 0;
    const take = (lines: Line[]): void => {
      for (const l of lines) {
        const before = queue.length;
        beforeLast = before;
        const errors = ctx.errors;
        const rec = readRecordLine(ctx, l.text, l.number);
        asm.push(rec, l.text, ctx.errors > errors ? (ctx.fatal === true ? 2 : 1) : 0);
        layout.see(l);
        if (strict && ctx.errors > 0) {
          // nothing the failing line released is yielded (an assignment closed by a 88 that did not match, a
          // payment completed by a bad record).
          // The stream stops here: the error lists every issue found so far and nothing about what follows
          // (no end-of-input checks on a part not read).
          queue.length = before;
          failed = true;
          return;
        }
      }
    };
    for await (const chunk of byteChunks(input)) {
      for (const piece of slicesOf(chunk)) {
        take(feed.push(piece));
        if (failed) break;
      }
      if (queue.length > 0) yield queue.splice(0);
      if (failed) throw new NordfilError(ctx.issues);
    }
    take(feed.end());
    if (!failed) {
      const before = queue.length;
      const cut = layout.truncated();
      asm.endOfInput(cut);
      // an error found at the end of input: nothing it released is yielded, nor what the last line released
      // when the error is about that line (a truncated last record; the last line is always read here, since
      // only the end of input ends a line without a terminator)
      if (strict && ctx.errors > 0) queue.length = cut === undefined ? before : Math.min(before, beforeLast);
    }
    if (queue.length > 0) yield queue.splice(0);
    if (strict && ctx.errors > 0) throw new NordfilError(ctx.issues);
  }
  function iterator(): AsyncIterator<Assignment | Payment> {
    const batches = run();
    let batch: (Assignment | Payment)[] = [];
    let i = 0;
    return {
      async next() {
        while (i >= batch.length) {
          const r = await batches.next();
          if (r.done === true) return { done: true, value: undefined };
          batch = r.value;
          i = 0;
        }
        return { done: false, value: batch[i++]! };
      },
      async return() {
        await batches.return(undefined);
        return { done: true, value: undefined };
      },
    };
  }
  return {
    [Symbol.asyncIterator]: iterator,
    get issues() {
      return issues;
    },
    get transmission() {
      return asm.transmission;
    },
    get end() {
      return asm.end;
    },
  };
}
