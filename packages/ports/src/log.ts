import type { Clock } from './clock.js';

/**
 * Standard log priorities. Lower is more important, as in the SPAR seed: the default view shows entries up
 * to {@link DEFAULT_LOG_THRESHOLD} (18), and ordinary info lines are 19, hidden unless asked for. Any number
 * is allowed; these name the usual levels.
 *
 * - `error` (10): a job step failed; someone must act.
 * - `warning` (15): something unexpected that was tolerated (a lenient parse, a skipped record).
 * - `notice` (18): a file event worth seeing by default: a file imported, sent, archived, refused.
 * - `info` (19): progress and counts, below the default view.
 * - `debug` (25): detail for developers.
 *
 * @example
 * log.write({ priority: Priority.notice, code: 'file_imported', message: 'imported BGMAX.txt', data: { payments: 12 } });
 */
export const Priority = {
  error: 10,
  warning: 15,
  notice: 18,
  info: 19,
  debug: 25,
} as const;

/**
 * The priority the default view shows up to (inclusive): errors, warnings and notices, not info lines.
 *
 * @example
 * const shown = memoryLog().filter(DEFAULT_LOG_THRESHOLD);
 */
export const DEFAULT_LOG_THRESHOLD = 18;

/**
 * One log line, as data.
 *
 * @example
 * const e: LogEntry = {
 *   priority: Priority.warning, code: 'address_missing', message: 'SPAR record without address',
 *   data: { line: 42 }, personal: { personnummer: '19811218-9876' },
 * };
 */
export interface LogEntry {
  /** Lower is more important; see {@link Priority}. */
  readonly priority: number;
  /** Stable snake_case code that tools can count and filter on (`file_imported`). */
  readonly code: string;
  /** Human-readable text. Do not put personal data here: it goes in `personal`. Personnummer are scrubbed anyway. */
  readonly message: string;
  /** Structured, non-personal detail (counts, file names, amounts). String values are scrubbed of personnummer. */
  readonly data?: Record<string, unknown>;
  /**
   * Personal data (personnummer, names, addresses): every value is replaced by `'[redacted]'` unless the log is
   * configured with `allowPersonalData` (see {@link redact}).
   */
  readonly personal?: Record<string, unknown>;
  /** When it happened, as an ISO 8601 instant; logs with a clock fill it in when absent. */
  readonly time?: string;
}

/**
 * Where log entries go. `write` must not throw and must not block; implementations redact personal data in
 * their write path (see {@link redact}) unless configured otherwise.
 *
 * @example
 * const log: Log = { write: (e) => pinoLogger.info(redact(e), e.message) };
 */
export interface Log {
  write(entry: LogEntry): void;
}

/**
 * What replaces personal data.
 *
 * @example
 * redactText('811218-9876') === REDACTED; // true
 */
export const REDACTED = '[redacted]';

// Swedish personnummer / samordningsnummer: (CC)YYMMDD, optional - or + separator, four digits; the day may be
// 61–91 (samordningsnummer). Not preceded or followed by another digit, so longer numbers are left alone.
const PERSONNUMMER =
  /(?<!\d)(?:(?:18|19|20)\d{2}|\d{2})(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]|6[1-9]|[78]\d|9[01])[-+]?\d{4}(?!\d)/g;

/**
 * Replaces everything in `text` that looks like a Swedish personnummer or samordningsnummer (10 or 12 digits,
 * with an optional `-` or `+` before the last four, and a plausible month and day) with `'[redacted]'`. It errs
 * towards redacting: the check digit is not verified, so a 10-digit reference that looks like a date is
 * redacted too; digits that are part of a longer number are not.
 *
 * @example
 * redactText('no address for 811218-9876'); // 'no address for [redacted]'
 * redactText('amount 1234567'); // unchanged
 */
export function redactText(text: string): string {
  return text.replace(PERSONNUMMER, REDACTED);
}

/**
 * Options for {@link redact} and the logs that redact.
 *
 * @example
 * const auditLog = memoryLog({ allowPersonalData: true });
 */
export interface RedactOptions {
  /**
   * Keep personal data as it is (for a log that is itself protected, e.g. a case handler's audit trail).
   * @default false
   */
  readonly allowPersonalData?: boolean;
}

function scrub(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return value;
  if (Array.isArray(value)) {
    seen.add(value);
    return value.map((v) => scrub(v, seen));
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  seen.add(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = scrub(v, seen);
  return out;
}

/**
 * Returns the entry with personal data removed, unless `allowPersonalData`: every value in `personal` becomes
 * `'[redacted]'` (the keys stay, so a reader sees what was withheld), and personnummer-like text in `message`
 * and in string values of `data` (in plain objects and arrays, at any depth) is replaced by {@link redactText}.
 * Numbers and class instances in `data` are left alone: put personal data in `personal`. Does not change `entry`.
 *
 * @example
 * redact({ priority: 15, code: 'x', message: 'pnr 198112189876', personal: { name: 'Anna' } });
 * // { priority: 15, code: 'x', message: 'pnr [redacted]', personal: { name: '[redacted]' } }
 */
export function redact(entry: LogEntry, options: RedactOptions = {}): LogEntry {
  if (options.allowPersonalData) return { ...entry };
  const out: { -readonly [K in keyof LogEntry]: LogEntry[K] } = { ...entry, message: redactText(entry.message) };
  if (entry.data !== undefined) out.data = scrub(entry.data, new WeakSet()) as Record<string, unknown>;
  if (entry.personal !== undefined) {
    out.personal = Object.fromEntries(Object.keys(entry.personal).map((k) => [k, REDACTED]));
  }
  return out;
}

/**
 * Options for {@link memoryLog}.
 *
 * @example
 * const log = memoryLog({ threshold: Priority.info, clock: fixedClock('2026-11-23T06:00:00Z') });
 */
export interface MemoryLogOptions extends RedactOptions {
  /**
   * Keep only entries with priority up to this (inclusive).
   * @default Infinity (keep everything)
   */
  readonly threshold?: number;
  /** Fills in `time` on entries that have none. */
  readonly clock?: Clock;
}

/**
 * A {@link Log} that keeps its (redacted) entries, for tests and for reports built after a job.
 *
 * @example
 * const log: MemoryLog = memoryLog();
 * await job({ log });
 * expect(log.codes()).toContain('file_imported');
 */
export interface MemoryLog extends Log {
  /** Every kept entry, oldest first. */
  readonly entries: readonly LogEntry[];
  /**
   * Entries with priority up to `threshold` (inclusive).
   * @default DEFAULT_LOG_THRESHOLD (18: what the default view shows)
   */
  filter(threshold?: number): LogEntry[];
  /** The codes of every kept entry, oldest first: handy in test assertions. */
  codes(): string[];
  /** Forgets every entry. */
  clear(): void;
}

/**
 * A log that keeps entries in memory. It stores them redacted ({@link redact}) unless `allowPersonalData`.
 *
 * @example
 * const log = memoryLog();
 * log.write({ priority: Priority.info, code: 'file_listed', message: '3 files' });
 * log.codes(); // ['file_listed']
 * log.filter(); // [] (info is below the default view)
 */
export function memoryLog(options: MemoryLogOptions = {}): MemoryLog {
  const threshold = options.threshold ?? Number.POSITIVE_INFINITY;
  const entries: LogEntry[] = [];
  return {
    entries,
    write(entry) {
      if (!(entry.priority <= threshold)) return;
      let kept = redact(entry, options);
      if (kept.time === undefined && options.clock) kept = { ...kept, time: options.clock.now().toISOString() };
      entries.push(kept);
    },
    filter: (max = DEFAULT_LOG_THRESHOLD) => entries.filter((e) => e.priority <= max),
    codes: () => entries.map((e) => e.code),
    clear() {
      entries.length = 0;
    },
  };
}

/**
 * A log that discards everything.
 *
 * @example
 * await runImport({ transport, storage, clock, log: nullLog() });
 */
export function nullLog(): Log {
  return { write() {} };
}

/**
 * A log that writes every entry to each of `logs`, in order. Each one redacts as it is configured.
 *
 * @example
 * const log = teeLog(memoryLog(), hostLog);
 */
export function teeLog(...logs: readonly Log[]): Log {
  return {
    write(entry) {
      for (const log of logs) log.write(entry);
    },
  };
}

/**
 * A log that passes to `inner` only entries with priority up to `threshold` (inclusive).
 *
 * @example
 * const log = thresholdLog(hostLog, DEFAULT_LOG_THRESHOLD); // errors, warnings, file events
 */
export function thresholdLog(inner: Log, threshold: number): Log {
  return {
    write(entry) {
      if (entry.priority <= threshold) inner.write(entry);
    },
  };
}
