/**
 * @nordfil/adapters/ftp: an FTP or explicit-FTPS server folder as a {@link Transport}, through `basic-ftp` (an
 * optional peer dependency, loaded on first use).
 * @packageDocumentation
 */
import { posix } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { NordfilError } from '@nordfil/core';
import {
  checkFolder,
  checkPath,
  compareCodePoints,
  isPortError,
  isTemporaryPath,
  type Log,
  Priority,
  type Transport,
  type TransportEntry,
  temporaryPathFor,
} from '@nordfil/ports';
import {
  adapterError,
  CONNECTION_LOST_CODES,
  checkRetry,
  errorCode,
  errorMessage,
  importLib,
  isSafeRemoteName,
  logSafely,
  parentOf,
  type RetryOptions,
  randomToken,
  type Secret,
  serialQueue,
  TLS_REJECT_CODES,
  UNREACHABLE_CODES,
  withRetry,
  withTimeout,
} from './_shared.js';

const ADAPTER = 'ftp';

/**
 * One entry of an FTP listing, as `basic-ftp` reports it.
 *
 * @example
 * const e: FtpFileInfo = { name: 'BGMAX.txt', size: 4096, isFile: true, modifiedAt: new Date() };
 */
export interface FtpFileInfo {
  readonly name: string;
  readonly size: number;
  readonly isFile: boolean;
  readonly modifiedAt?: Date | undefined;
}

/**
 * The part of a `basic-ftp` `Client` the adapter uses.
 *
 * @example
 * const client: FtpClientLike = new Client(30_000);
 */
export interface FtpClientLike {
  readonly closed: boolean;
  access(options: Record<string, unknown>): Promise<unknown>;
  pwd(): Promise<string>;
  cd(path: string): Promise<unknown>;
  list(path?: string): Promise<FtpFileInfo[]>;
  size(path: string): Promise<number>;
  downloadTo(destination: Writable, path: string): Promise<unknown>;
  uploadFrom(source: Readable, path: string): Promise<unknown>;
  ensureDir(path: string): Promise<unknown>;
  rename(from: string, to: string): Promise<unknown>;
  remove(path: string, ignoreErrorCodes?: boolean): Promise<unknown>;
  close(): void;
}

/**
 * The part of the `basic-ftp` module the adapter uses: its `Client` class.
 *
 * @example
 * import * as ftp from 'basic-ftp';
 * ftpTransport({ ...options, lib: ftp });
 */
export interface FtpLib {
  readonly Client: new (timeout?: number) => FtpClientLike;
}

/**
 * Options for {@link ftpTransport}.
 *
 * @example
 * const options: FtpTransportOptions = { host: 'ftp.example.se', user: 'nordfil', password, tls: 'explicit', root: '/in' };
 */
export interface FtpTransportOptions {
  /** Server name or address. */
  readonly host: string;
  /**
   * Control connection port.
   * @default 21
   */
  readonly port?: number;
  /** User name. */
  readonly user: string;
  /** Password. Never logged. */
  readonly password: string;
  /**
   * `'explicit'`: FTPS, `AUTH TLS` on the control connection before logging in, and TLS on every data connection;
   * the server certificate is verified (against `ca` or the system's roots) and its name checked. `'none'`: plain
   * FTP, where the password and the files cross the network readable by anyone on the path; it is logged as a
   * warning on every connection.
   * @default 'explicit'
   */
  readonly tls?: 'explicit' | 'none';
  /** Certificate authorities (PEM) to trust for the server's certificate, instead of the system's. */
  readonly ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  /**
   * The name the server certificate must carry, when it differs from `host` (e.g. connecting by address).
   * @default host
   */
  readonly servername?: string;
  /**
   * The remote folder that is the transport's root, absolute or relative to the login folder.
   * @default '' (the login folder)
   */
  readonly root?: string;
  /**
   * Name for messages and logs.
   * @default 'ftp'
   */
  readonly name?: string;
  /**
   * Time without any answer from the server before giving up, in milliseconds.
   * @default 30_000
   */
  readonly timeoutMs?: number;
  /**
   * Time allowed for one operation (a whole upload or download), in milliseconds.
   * @default 300_000
   */
  readonly operationTimeoutMs?: number;
  /**
   * Retries on transient failures; `rename` and `remove` are retried only when the connection could not be made.
   * @default { attempts: 3, baseDelayMs: 250, maxDelayMs: 5000 }
   */
  readonly retry?: RetryOptions;
  /** Receives retries, refused names and the plain-FTP warning (never a secret). */
  readonly log?: Log;
  /** The `basic-ftp` module, instead of loading it with `import()`. */
  readonly lib?: FtpLib | { readonly default: FtpLib };
}

class Collector extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    done();
  }
}

/**
 * An FTP or FTPS folder as a {@link Transport}, with every capability. FTP allows one command at a time, so the
 * adapter queues its calls on one connection, made on first use and remade after a drop.
 *
 * - **FTPS** (`tls: 'explicit'`, the default): `AUTH TLS`, then login, with the server certificate checked.
 *   Implicit FTPS (port 990) is not offered. A failed check rejects with `tls_certificate_rejected`.
 * - **Atomic upload**: to a hidden temporary name in the target folder, then `RNFR`/`RNTO`; where the server
 *   refuses to rename over an existing file, the target is removed first (a reader may then see no file for a
 *   moment, never a partial one).
 * - **Errors**: `unreachable`, `timeout`, `connection_lost`, `authentication_failed` (reply 530),
 *   `tls_certificate_rejected`, `not_found`, `unsafe_path`; names from the server with `/`, `..` or control
 *   characters are left out of listings, with a warning in the log.
 *
 * @example
 * import { ftpTransport } from '@nordfil/adapters/ftp';
 * const collector = ftpTransport({ host: 'ftp.example.no', user: 'nordfil', password: process.env.FTP_PASSWORD!, root: 'inn' });
 * await collector.write!('LS20261123.txt', bytes);
 * await collector.close!();
 */
export function ftpTransport(options: FtpTransportOptions): Transport {
  if (options === null || typeof options !== 'object') {
    throw adapterError(ADAPTER, 'invalid_option', 'options are required');
  }
  const secrets: Secret[] = [options.password];
  const fail = (message: string) => adapterError(ADAPTER, 'invalid_option', message, { secrets });
  if (typeof options.host !== 'string' || options.host === '') throw fail('host is required');
  const port = options.port ?? 21;
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) throw fail('port must be an integer from 1 to 65535');
  if (typeof options.user !== 'string' || options.user === '') throw fail('user is required');
  if (typeof options.password !== 'string') throw fail('password is required');
  const tls = options.tls ?? 'explicit';
  if (tls !== 'explicit' && tls !== 'none') throw fail("tls must be 'explicit' or 'none'");
  const root = options.root ?? '';
  if (typeof root !== 'string' || /[\u0000-\u001f\u007f]/.test(root)) throw fail('root must be a folder path');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const operationTimeoutMs = options.operationTimeoutMs ?? 300_000;
  if (!(timeoutMs > 0) || !(operationTimeoutMs > 0)) throw fail('timeouts must be positive');
  checkRetry(ADAPTER, options.retry);

  const name = options.name ?? ADAPTER;
  const log = options.log;
  const where = `${options.user}@${options.host}:${port}`;
  const queue = serialQueue();
  let current: { client: FtpClientLike; base: string } | undefined;
  let closed = false;

  const error = (code: Parameters<typeof adapterError>[1], message: string, cause?: unknown, source?: string) => {
    const details: { cause?: unknown; secrets: Secret[]; source?: string } = { secrets };
    if (cause !== undefined) details.cause = cause;
    if (source !== undefined) details.source = source;
    return adapterError(ADAPTER, code, message, details);
  };

  const classify = (e: unknown, what: string, source?: string): NordfilError => {
    if (isPortError(e)) return e;
    const code = errorCode(e) ?? '';
    const message = errorMessage(e);
    if (code === '530') return error('authentication_failed', `${where} refused the user or password`, e);
    if (TLS_REJECT_CODES.has(code) || /certificate/i.test(message)) {
      return error('tls_certificate_rejected', `the TLS certificate of ${where} failed verification (${code})`, e);
    }
    if (UNREACHABLE_CODES.has(code)) return error('unreachable', `cannot reach ${where} (${code})`, e);
    if (code === 'ETIMEDOUT' || /timeout/i.test(message))
      return error('timeout', `${what}: no answer from ${where}`, e);
    if (CONNECTION_LOST_CODES.has(code) || /closed|FIN packet|socket hang up|reset/i.test(message)) {
      return error('connection_lost', `${what}: connection to ${where} lost`, e, source);
    }
    return error('remote_error', `${what} failed: ${message}`, e, source);
  };

  const connect = async (): Promise<{ client: FtpClientLike; base: string }> => {
    const mod = await importLib<FtpLib | { default: FtpLib }>(
      ADAPTER,
      'basic-ftp',
      options.lib,
      () => import('basic-ftp'),
    );
    const lib = 'Client' in mod ? mod : mod.default;
    const client = new lib.Client(timeoutMs);
    if (tls === 'none') {
      logSafely(log, {
        priority: Priority.warning,
        code: 'ftp_plain_text',
        message: `ftp: ${where} is plain FTP: the password and files cross the network unencrypted`,
        data: { transport: name },
      });
    }
    const secureOptions: Record<string, unknown> = { rejectUnauthorized: true };
    if (options.ca !== undefined) {
      secureOptions.ca = (Array.isArray(options.ca) ? options.ca : [options.ca]).map((c: string | Uint8Array) =>
        typeof c === 'string' ? c : Buffer.from(c),
      );
    }
    secureOptions.servername = options.servername ?? options.host;
    try {
      await client.access({
        host: options.host,
        port,
        user: options.user,
        password: options.password,
        secure: tls === 'explicit',
        secureOptions,
      });
      const home = await client.pwd();
      const base = root === '' ? home : root.startsWith('/') ? root : posix.join(home, root);
      return { client, base };
    } catch (e) {
      client.close();
      throw classify(e, 'connect');
    }
  };

  const abs = (base: string, path: string) => (path === '' ? base : posix.join(base, path));
  const isMissing = (e: unknown) => ['550', '450', '451'].includes(errorCode(e) ?? '');

  const run = <T>(op: string, path: string, idempotent: boolean, fn: (c: FtpClientLike, base: string) => Promise<T>) =>
    withRetry(
      options.retry,
      () =>
        queue(async () => {
          if (closed) throw error('invalid_option', 'the transport is closed');
          if (current === undefined || current.client.closed) current = await connect();
          const { client, base } = current;
          try {
            return await withTimeout(
              fn(client, base),
              operationTimeoutMs,
              () => error('timeout', `${op} ${JSON.stringify(path)} took longer than ${operationTimeoutMs} ms`),
              () => client.close(),
            );
          } catch (e) {
            const err = classify(e, `${op} ${JSON.stringify(path)}`, path);
            if (client.closed || err.code === 'connection_lost' || err.code === 'timeout') {
              client.close();
              if (current?.client === client) current = undefined;
            }
            if (!idempotent) (err as { noRetry?: boolean }).noRetry = true;
            throw err;
          }
        }),
      (e, n, delay) =>
        logSafely(log, {
          priority: Priority.info,
          code: 'ftp_retry',
          message: `ftp: ${op} failed (${(e as NordfilError).code}), attempt ${n + 1} in ${delay} ms`,
          data: { transport: name },
        }),
    );

  const notFound = (path: string) => error('not_found', `no file ${JSON.stringify(path)}`, undefined, path);

  const ensureDir = async (c: FtpClientLike, base: string, folder: string) => {
    if (folder === '') return;
    await c.ensureDir(abs(base, folder));
    await c.cd(base); // ensureDir changes the working folder
  };

  /** RNFR/RNTO; where the server refuses to replace an existing target, remove it and rename again. */
  const move = async (c: FtpClientLike, from: string, to: string) => {
    try {
      await c.rename(from, to);
    } catch (e) {
      if (!isMissing(e) || c.closed) throw e;
      await c.size(from); // rejects when `from` is missing: the caller reports not_found
      await c.remove(to, true);
      await c.rename(from, to);
    }
  };

  return {
    name,
    capabilities: { write: true, atomicWrite: true, rename: true, remove: true },

    async list(folder?: string): Promise<TransportEntry[]> {
      const dir = checkFolder(folder);
      return run('list', dir, true, async (c, base) => {
        let infos: FtpFileInfo[];
        try {
          infos = await c.list(abs(base, dir));
        } catch (e) {
          if (isMissing(e)) return [];
          throw e;
        }
        const out: TransportEntry[] = [];
        for (const info of infos) {
          if (!info.isFile) continue;
          if (!isSafeRemoteName(info.name)) {
            logSafely(log, {
              priority: Priority.warning,
              code: 'unsafe_remote_name',
              message: `ftp: refused a name from the server in ${JSON.stringify(dir)}: ${JSON.stringify(info.name)}`,
              data: { transport: name },
            });
            continue;
          }
          const entryName = dir === '' ? info.name : `${dir}/${info.name}`;
          if (isTemporaryPath(entryName)) continue;
          const entry: { name: string; size?: number; modifiedAt?: string } = { name: entryName };
          if (Number.isFinite(info.size) && info.size >= 0) entry.size = info.size;
          if (info.modifiedAt instanceof Date && !Number.isNaN(info.modifiedAt.getTime())) {
            entry.modifiedAt = info.modifiedAt.toISOString();
          }
          out.push(entry);
        }
        return out.sort((a, b) => compareCodePoints(a.name, b.name));
      });
    },

    async read(path: string): Promise<Uint8Array> {
      checkPath(path);
      return run('read', path, true, async (c, base) => {
        const sink = new Collector();
        try {
          await c.downloadTo(sink, abs(base, path));
        } catch (e) {
          if (isMissing(e)) throw notFound(path);
          // some servers answer RETR of a missing file with another 5xx (ftp-srv: 551): ask SIZE to tell
          if (/^5\d\d$/.test(errorCode(e) ?? '') && !c.closed) {
            const missing = await c.size(abs(base, path)).then(
              () => false,
              (s: unknown) => /^5\d\d$/.test(errorCode(s) ?? ''),
            );
            if (missing) throw notFound(path);
          }
          throw e;
        }
        return new Uint8Array(Buffer.concat(sink.chunks));
      });
    },

    async write(path: string, data: Uint8Array): Promise<void> {
      checkPath(path);
      const bytes = Buffer.from(data);
      await run('write', path, true, async (c, base) => {
        const temp = abs(base, temporaryPathFor(path, randomToken()));
        try {
          await ensureDir(c, base, parentOf(path));
          await c.uploadFrom(Readable.from([bytes]), temp);
          await move(c, temp, abs(base, path));
        } catch (e) {
          if (!c.closed) await c.remove(temp, true).catch(() => undefined);
          throw e;
        }
      });
    },

    async rename(from: string, to: string): Promise<void> {
      checkPath(from);
      checkPath(to);
      await run('rename', from, false, async (c, base) => {
        try {
          await c.size(abs(base, from));
        } catch (e) {
          if (isMissing(e)) throw notFound(from);
          throw e;
        }
        await ensureDir(c, base, parentOf(to));
        try {
          await move(c, abs(base, from), abs(base, to));
        } catch (e) {
          if (isMissing(e)) throw notFound(from);
          throw e;
        }
      });
    },

    async remove(path: string): Promise<void> {
      checkPath(path);
      await run('remove', path, false, async (c, base) => {
        try {
          await c.remove(abs(base, path));
        } catch (e) {
          if (isMissing(e)) throw notFound(path);
          throw e;
        }
      });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await queue(async () => {
        current?.client.close();
        current = undefined;
      });
    },
  };
}
