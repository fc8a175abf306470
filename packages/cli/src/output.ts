/**
 * Terminal output: colours only on a terminal (and never with `NO_COLOR`), progress bars only on a terminal's
 * standard error, `--quiet` to keep standard output to results. Everything goes to the streams the caller gave
 * `main()`, never to `console`, so tests can capture it.
 */

import { DEFAULT_LOG_THRESHOLD, type Log, type LogEntry, Priority, redact } from '@nordfil/ports';
import cliProgress from 'cli-progress';
import pc from 'picocolors';

/**
 * A stream the CLI writes to: `process.stdout`, `process.stderr`, or anything with `write` (tests).
 *
 * @example
 * const chunks: string[] = [];
 * const stream: OutputStream = { write: (s) => { chunks.push(String(s)); return true } };
 */
export interface OutputStream {
  write(chunk: string): unknown;
  /** True when the stream is a terminal: colours and progress bars are used only then. */
  readonly isTTY?: boolean;
  /** Terminal width, for progress bars. */
  readonly columns?: number;
}

/**
 * What `main()` runs with: the streams, the environment and the working folder.
 *
 * @example
 * await main(['validate', 'BGMAX.txt'], { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
 */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** The colour functions the CLI uses (identity functions when colours are off). */
export interface Colors {
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly cyan: (s: string) => string;
}

/**
 * True when colours should be used on `stream`: it is a terminal, `NO_COLOR` is unset (or empty) and
 * `TERM` is not `dumb`. `FORCE_COLOR=1` forces them on (for screenshots).
 *
 * @example
 * useColor(process.stdout, process.env); // false when piped
 */
export function useColor(stream: OutputStream, env: CliIo['env']): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/**
 * The colour functions for a stream.
 *
 * @example
 * const c = colorsFor(process.stdout, process.env);
 * c.green('OK');
 */
export function colorsFor(stream: OutputStream, env: CliIo['env']): Colors {
  const p = pc.createColors(useColor(stream, env));
  return { bold: p.bold, dim: p.dim, red: p.red, green: p.green, yellow: p.yellow, cyan: p.cyan };
}

/**
 * A progress indicator for a long file: a bar on a terminal's standard error, nothing otherwise.
 *
 * @example
 * const bar = out.progress('BGMAX.txt', bytes.length);
 * bar.update(n); bar.stop();
 */
export interface Progress {
  update(value: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { update() {}, stop() {} };

/**
 * The output of one command run: results on standard output, messages on standard error.
 *
 * @example
 * const out = createOutput(io, { quiet: false });
 * out.line('3 files'); out.info('reading …'); out.warn('1 warning');
 */
export interface Output {
  readonly io: CliIo;
  /** Colours for standard output. */
  readonly c: Colors;
  /** Colours for standard error. */
  readonly ce: Colors;
  readonly quiet: boolean;
  /** A result line on standard output (always printed, also with `--quiet`). */
  line(text?: string): void;
  /** A progress or explanation line on standard output, left out with `--quiet`. */
  say(text?: string): void;
  /** A warning line on standard error (always printed). */
  warn(text: string): void;
  /** A progress bar for `total` units (bytes); only on a terminal's standard error, and not with `--quiet`. */
  progress(label: string, total: number): Progress;
}

/** Files smaller than this get no progress bar: they are read before a bar could be seen. */
export const PROGRESS_MIN_BYTES = 256 * 1024;

/**
 * Makes the {@link Output} of a run.
 *
 * @example
 * const out = createOutput({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
 */
export function createOutput(io: CliIo, options: { readonly quiet?: boolean } = {}): Output {
  const quiet = options.quiet === true;
  const c = colorsFor(io.stdout, io.env);
  const ce = colorsFor(io.stderr, io.env);
  return {
    io,
    c,
    ce,
    quiet,
    line: (text = '') => {
      io.stdout.write(`${text}\n`);
    },
    say: (text = '') => {
      if (!quiet) io.stdout.write(`${text}\n`);
    },
    warn: (text) => {
      io.stderr.write(`${text}\n`);
    },
    progress(label, total) {
      if (quiet || io.stderr.isTTY !== true || total < PROGRESS_MIN_BYTES || io.env.CI) return NO_PROGRESS;
      const bar = new cliProgress.SingleBar(
        {
          stream: io.stderr as unknown as NodeJS.WritableStream,
          format: `${label} [{bar}] {percentage}% | {value}/{total} bytes`,
          hideCursor: true,
          clearOnComplete: true,
          noTTYOutput: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
      return {
        update: (v) => bar.update(v),
        stop: () => bar.stop(),
      };
    },
  };
}

/**
 * Formats a table of rows as aligned columns (the first row is the header).
 *
 * @example
 * table([['status', 'count'], ['Complete', '12']]); // 'status    count\nComplete  12'
 */
export function table(rows: readonly (readonly string[])[], indent = ''): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((r) => indent + r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '))
    .join('\n');
}

/**
 * Formats one log entry as a line: priority, code and message (the entry is already redacted by the job).
 *
 * @example
 * formatLogEntry({ priority: 18, code: 'file_imported', message: 'Har läst in fil avi.xml' }, c); // '  18 file_imported  Har läst in fil avi.xml'
 */
export function formatLogEntry(e: LogEntry, c: Colors): string {
  const p = String(e.priority).padStart(2);
  const colour = e.priority <= 10 ? c.red : e.priority <= 15 ? c.yellow : c.dim;
  return `    ${colour(p)} ${c.dim(e.code)}  ${e.message}`;
}

/**
 * A {@link Log} that prints entries up to `threshold` (default 18: errors, warnings and file events) as they come,
 * with personal data redacted. With `--quiet` only errors (priority 10 or lower) are printed, on standard error.
 *
 * @example
 * await runSparImport({ …, log: printingLog(out) });
 */
export function printingLog(out: Output, threshold = DEFAULT_LOG_THRESHOLD): Log {
  return {
    write(entry) {
      if (!(entry.priority <= threshold)) return;
      const e = redact(entry);
      if (out.quiet) {
        if (e.priority <= Priority.error) out.warn(formatLogEntry(e, out.ce));
        return;
      }
      out.line(formatLogEntry(e, out.c));
    },
  };
}
