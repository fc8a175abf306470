// internal helpers shared by the adapters; never loads a client library
import { randomBytes } from 'node:crypto';
import type { NordfilError } from '@nordfil/core';
import { isPortError, type Log, type LogEntry, portError } from '@nordfil/ports';
import type { AdapterErrorCode } from './index.js';

/** Builds an adapter error with the `[adapter]` prefix; `cause` is scrubbed of every secret first. */
export function adapterError(
  adapter: string,
  code: AdapterErrorCode,
  message: string,
  options: { source?: string; cause?: unknown; secrets?: readonly Secret[] } = {},
): NordfilError {
  const details: { source?: string; cause?: unknown } = {};
  if (options.source !== undefined) details.source = options.source;
  if (options.cause !== undefined) details.cause = scrubError(options.cause, options.secrets ?? []);
  return portError(code, redactSecrets(`${adapter}: ${message}`, options.secrets ?? []), details);
}

/** A password, passphrase, key or certificate: a string or bytes that must never reach a message or log. */
export type Secret = string | Uint8Array | undefined;

const REDACTED_SECRET = '[secret]';

function secretStrings(secrets: readonly Secret[]): string[] {
  const out: string[] = [];
  for (const s of secrets) {
    if (s === undefined) continue;
    const text = typeof s === 'string' ? s : Buffer.from(s).toString('utf8');
    if (text.length < 4) continue; // too short to search for without mangling ordinary text
    out.push(text);
    // PEM bodies: also hide each base64 line, in case a library quotes one
    for (const line of text.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith('-----')) out.push(line);
  }
  return out.sort((a, b) => b.length - a.length);
}

/** Replaces every occurrence of a secret in `text` with `[secret]`. */
export function redactSecrets(text: string, secrets: readonly Secret[]): string {
  let out = text;
  for (const s of secretStrings(secrets)) out = out.split(s).join(REDACTED_SECRET);
  return out;
}

/**
 * A copy of an underlying error that keeps only its message (secrets redacted), name and primitive diagnostic
 * fields (`code`, `errno`, `syscall`, `level`, `address`, `port`), so no config object hides in a cause chain.
 */
export function scrubError(e: unknown, secrets: readonly Secret[]): unknown {
  if (isPortError(e)) return e;
  if (!(e instanceof Error)) return new Error(redactSecrets(String(e), secrets));
  const copy = new Error(redactSecrets(e.message, secrets));
  copy.name = e.name;
  const source = e as unknown as Record<string, unknown>;
  for (const k of ['code', 'errno', 'syscall', 'level', 'address', 'port', 'severity', 'routine']) {
    const v = source[k];
    if (typeof v === 'string' || typeof v === 'number') (copy as unknown as Record<string, unknown>)[k] = v;
  }
  copy.stack = `${copy.name}: ${copy.message}`;
  return copy;
}

/** Writes to the log without ever throwing, with secrets redacted from the message. */
export function logSafely(log: Log | undefined, entry: LogEntry, secrets: readonly Secret[] = []): void {
  if (log === undefined) return;
  try {
    log.write({ ...entry, message: redactSecrets(entry.message, secrets) });
  } catch {
    // a log must not break a transfer
  }
}

/** A random token for temporary names and claim ids. */
export function randomToken(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/**
 * How an adapter retries transient failures (a refused or reset connection, a timeout). Authentication,
 * host-key and certificate failures are never retried.
 *
 * @example
 * const retry: RetryOptions = { attempts: 5, baseDelayMs: 500 };
 */
export interface RetryOptions {
  /**
   * Attempts in all, the first included; `1` turns retrying off.
   * @default 3
   */
  readonly attempts?: number;
  /**
   * Delay before the first retry; doubled for each further one, with full jitter.
   * @default 250
   */
  readonly baseDelayMs?: number;
  /**
   * Upper bound of one delay.
   * @default 5000
   */
  readonly maxDelayMs?: number;
  /**
   * Waits `ms` milliseconds (tests pass a function that resolves at once).
   * @default setTimeout
   */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * Random number in [0, 1) for the jitter.
   * @default Math.random
   */
  readonly random?: () => number;
}

const TRANSIENT: ReadonlySet<string> = new Set(['unreachable', 'timeout', 'connection_lost']);

/** True for the adapter codes worth another attempt. */
export function isTransient(e: unknown): boolean {
  return isPortError(e) && TRANSIENT.has(e.code);
}

/** The delay before retry number `retry` (1-based): exponential with full jitter, bounded. */
export function backoffDelay(retry: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 5000;
  const random = options.random ?? Math.random;
  return Math.floor(random() * Math.min(max, base * 2 ** (retry - 1)));
}

/** Checks retry options at construction. */
export function checkRetry(adapter: string, retry: RetryOptions | undefined): void {
  if (retry === undefined) return;
  const { attempts, baseDelayMs, maxDelayMs } = retry;
  if (attempts !== undefined && !(Number.isInteger(attempts) && attempts >= 1 && attempts <= 100)) {
    throw adapterError(adapter, 'invalid_option', 'retry.attempts must be an integer from 1 to 100');
  }
  for (const [k, v] of [
    ['baseDelayMs', baseDelayMs],
    ['maxDelayMs', maxDelayMs],
  ] as const) {
    if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
      throw adapterError(adapter, 'invalid_option', `retry.${k} must be a number of milliseconds, 0 or more`);
    }
  }
}

/**
 * Runs `attempt` up to `retry.attempts` times while it rejects with a transient error, waiting with backoff
 * between attempts. `attempt` receives the attempt number (1-based).
 */
export async function withRetry<T>(
  retry: RetryOptions | undefined,
  attempt: (n: number) => Promise<T>,
  onRetry?: (error: unknown, n: number, delayMs: number) => void,
): Promise<T> {
  const attempts = retry?.attempts ?? 3;
  const sleep = retry?.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      if (n >= attempts || !isTransient(e) || (e as { noRetry?: boolean }).noRetry === true) throw e;
      const delay = backoffDelay(n, retry);
      onRetry?.(e, n, delay);
      await sleep(delay);
    }
  }
}

/** Rejects with `timeout` when `promise` takes longer than `ms` (and calls `onTimeout`, e.g. to drop the connection). */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => NordfilError,
  cleanup?: () => void,
): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return promise;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cleanup?.();
      reject(onTimeout());
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Node's network error codes that mean the server could not be reached at all. */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
]);
/** Network error codes that mean an established connection broke. */
export const CONNECTION_LOST_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/** Node's TLS error codes for a server certificate that failed verification. */
export const TLS_REJECT_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** The `code` property of an error-like value, as a string. */
export function errorCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null | undefined)?.code;
  return typeof c === 'string' ? c : typeof c === 'number' ? String(c) : undefined;
}

/** The message of an error-like value. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Loads an optional peer dependency: the injected `lib` if given, else a dynamic `import()`. A missing package
 * rejects with `dependency_missing` and the install command.
 */
export async function importLib<T>(
  adapter: string,
  name: string,
  injected: T | undefined,
  load: () => Promise<unknown>,
): Promise<T> {
  if (injected !== undefined) return injected;
  try {
    return (await load()) as T;
  } catch (e) {
    throw adapterError(
      adapter,
      'dependency_missing',
      `the optional peer dependency "${name}" is not installed: run \`npm install ${name}\``,
      { cause: e },
    );
  }
}

/** A one-at-a-time queue: protocols that allow one command at a time (FTP) run every call through it. */
export function serialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Joins `root` and a checked relative path with `/`, without doubling slashes. */
export function remoteJoin(root: string, path: string): string {
  if (path === '') return root === '' ? '.' : root;
  if (root === '' || root === '.') return path;
  return root.endsWith('/') ? `${root}${path}` : `${root}/${path}`;
}

/** The folder part of a relative path (`a/b/c.txt` → `a/b`, `c.txt` → ``). */
export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * True when a name reported by a server is a plain file name: no `/` or `\`, not `.` or `..`, no control
 * characters. A hostile or broken server's other names are refused, never joined into a path.
 */
export function isSafeRemoteName(name: string): boolean {
  return (
    name.length > 0 &&
    name !== '.' &&
    name !== '..' &&
    !name.includes('/') &&
    !name.includes('\\') &&
    !CONTROL.test(name) &&
    !LONE_SURROGATE.test(name)
  );
}
