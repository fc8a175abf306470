/**
 * @nordfil/adapters/sftp: an SFTP server folder as a {@link Transport}, through `ssh2-sftp-client` (an optional
 * peer dependency, loaded on first use).
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
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
  remoteJoin,
  type Secret,
  UNREACHABLE_CODES,
  withRetry,
  withTimeout,
} from './_shared.js';

const ADAPTER = 'sftp';

/**
 * One entry of an SFTP listing, as `ssh2-sftp-client` reports it.
 *
 * @example
 * const e: SftpFileInfo = { type: '-', name: 'BGMAX.txt', size: 4096, modifyTime: 1795000000000 };
 */
export interface SftpFileInfo {
  /** `-` file, `d` folder, `l` link. */
  readonly type: string;
  readonly name: string;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly modifyTime: number;
}

/**
 * The part of an `ssh2-sftp-client` instance the adapter uses.
 *
 * @example
 * const client: SftpClientLike = new SftpClient('nordfil', { error() {}, end() {}, close() {} });
 */
export interface SftpClientLike {
  connect(config: Record<string, unknown>): Promise<unknown>;
  list(path: string): Promise<SftpFileInfo[]>;
  get(path: string): Promise<unknown>;
  put(input: Buffer, path: string): Promise<unknown>;
  mkdir(path: string, recursive?: boolean): Promise<unknown>;
  rename(from: string, to: string): Promise<unknown>;
  posixRename(from: string, to: string): Promise<unknown>;
  delete(path: string, noErrorOK?: boolean): Promise<unknown>;
  end(): Promise<unknown>;
}

/**
 * The `ssh2-sftp-client` class (its default export).
 *
 * @example
 * import SftpClient from 'ssh2-sftp-client';
 * sftpTransport({ ...options, lib: SftpClient });
 */
export type SftpClientClass = new (
  name?: string,
  callbacks?: { error: (e: Error) => void; end: () => void; close: () => void },
) => SftpClientLike;

/**
 * Options for {@link sftpTransport}. Give a `password`, or a `privateKey` (with its `passphrase` when it has
 * one), and the server's host key fingerprint.
 *
 * @example
 * const options: SftpTransportOptions = {
 *   host: 'sftp.bankgirot.se', username: 'c123456', privateKey: readFileSync('/etc/nordfil/id_ed25519'),
 *   hostKeyFingerprint: 'SHA256:Okg8QnzcnY7i6l61J/wWrTXzRrfZK8IvVMGqb6euX7E', root: '/out',
 * };
 */
export interface SftpTransportOptions {
  /** Server name or address. */
  readonly host: string;
  /**
   * Server port.
   * @default 22
   */
  readonly port?: number;
  /** User name. */
  readonly username: string;
  /** Password, for password authentication. Never logged. */
  readonly password?: string;
  /** Private key (OpenSSH or PEM text), for key authentication. Never logged. */
  readonly privateKey?: string | Uint8Array;
  /** Passphrase of an encrypted `privateKey`. Never logged. */
  readonly passphrase?: string;
  /**
   * The server's host key fingerprint as OpenSSH prints it (`ssh-keygen -lf key.pub`, `ssh-keyscan`):
   * `SHA256:` and 43 base64 characters. A list allows a key rollover. A server with another key is refused
   * with `host_key_mismatch`, before any password or key is sent.
   */
  readonly hostKeyFingerprint?: string | readonly string[];
  /**
   * Accept any host key. Only for a first connection to read the fingerprint, or a test: every connection then
   * logs an error-priority warning, since anyone on the network path could pose as the server.
   * @default false
   */
  readonly insecureSkipHostKeyCheck?: boolean;
  /**
   * The remote folder that is the transport's root, absolute (`/out`) or relative to the login folder.
   * @default '.' (the login folder)
   */
  readonly root?: string;
  /**
   * Name for messages and logs.
   * @default 'sftp'
   */
  readonly name?: string;
  /**
   * Time allowed to connect and authenticate, in milliseconds.
   * @default 20_000
   */
  readonly connectTimeoutMs?: number;
  /**
   * Time allowed for one operation (a whole upload or download), in milliseconds; on expiry the connection is
   * dropped and the call rejects with `timeout`.
   * @default 300_000
   */
  readonly operationTimeoutMs?: number;
  /**
   * Retries on transient failures (refused, reset, timed out). `list`, `read` and `write` are retried whole;
   * `rename` and `remove` only when the connection could not be made, since they may have happened.
   * @default { attempts: 3, baseDelayMs: 250, maxDelayMs: 5000 }
   */
  readonly retry?: RetryOptions;
  /** Receives retries, refused names and the host-key warning (never a secret). */
  readonly log?: Log;
  /** The `ssh2-sftp-client` class (or its module), instead of loading it with `import()`. */
  readonly lib?: SftpClientClass | { readonly default: SftpClientClass };
}

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}=?$/;

/**
 * The OpenSSH SHA-256 fingerprint of a public key blob (the raw key the server presents, or the base64 middle
 * field of a `.pub` file, decoded): `SHA256:` and unpadded base64.
 *
 * @example
 * const pub = readFileSync('/etc/ssh/ssh_host_ed25519_key.pub', 'utf8').split(' ')[1]!;
 * hostKeyFingerprint(Buffer.from(pub, 'base64')); // 'SHA256:KqAGnnywJw4sNORnb7OM0lvSFKOkK2vBuEE+HUxX9+0'
 */
export function hostKeyFingerprint(key: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
}

function normaliseFingerprint(f: string): string {
  return f.replace(/=+$/, '');
}

/**
 * An SFTP folder as a {@link Transport}, with every capability. It connects on first use and keeps the
 * connection, reconnecting after a drop.
 *
 * - **Host key**: checked against `hostKeyFingerprint` before authenticating; a mismatch rejects with
 *   `host_key_mismatch` and is never retried. Switching the check off (`insecureSkipHostKeyCheck`) is logged at
 *   error priority on every connection.
 * - **Atomic upload**: `write` puts the bytes under a hidden temporary name in the target folder
 *   ({@link temporaryPathFor}) and renames it into place with `posix-rename@openssh.com` (replacing the target
 *   atomically); servers without that extension get remove-then-rename. A broken upload leaves at most a
 *   temporary file, which `list` never shows.
 * - **Errors**: `unreachable`, `timeout`, `connection_lost`, `authentication_failed`, `host_key_mismatch`,
 *   `not_found`, `unsafe_path`; names from the server with `/`, `..` or control characters are refused (left out
 *   of listings, with a warning in the log).
 *
 * @example
 * import { sftpTransport } from '@nordfil/adapters/sftp';
 * const bankgirot = sftpTransport({
 *   host: 'sftp.example.se', username: 'c123456', privateKey: readFileSync('/etc/nordfil/id_ed25519'),
 *   hostKeyFingerprint: 'SHA256:KqAGnnywJw4sNORnb7OM0lvSFKOkK2vBuEE+HUxX9+0', root: 'out',
 * });
 * for (const f of await bankgirot.list()) await importBgmax(await bankgirot.read(f.name));
 * await bankgirot.close!();
 */
export function sftpTransport(options: SftpTransportOptions): Transport {
  if (options === null || typeof options !== 'object') {
    throw adapterError(ADAPTER, 'invalid_option', 'options are required');
  }
  const secrets: Secret[] = [options.password, options.privateKey, options.passphrase];
  const fail = (message: string) => adapterError(ADAPTER, 'invalid_option', message, { secrets });
  if (typeof options.host !== 'string' || options.host === '') throw fail('host is required');
  const port = options.port ?? 22;
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) throw fail('port must be an integer from 1 to 65535');
  if (typeof options.username !== 'string' || options.username === '') throw fail('username is required');
  if (options.password === undefined && options.privateKey === undefined) {
    throw fail('give a password or a privateKey');
  }
  const fingerprints = (
    options.hostKeyFingerprint === undefined
      ? []
      : typeof options.hostKeyFingerprint === 'string'
        ? [options.hostKeyFingerprint]
        : [...options.hostKeyFingerprint]
  ).map((f) => {
    if (typeof f !== 'string' || !FINGERPRINT.test(f)) {
      throw fail('hostKeyFingerprint must look like SHA256:<43 base64 characters>, as `ssh-keygen -lf` prints it');
    }
    return normaliseFingerprint(f);
  });
  const skipHostKeyCheck = options.insecureSkipHostKeyCheck === true;
  if (fingerprints.length === 0 && !skipHostKeyCheck) {
    throw fail('hostKeyFingerprint is required (or, knowingly, insecureSkipHostKeyCheck: true)');
  }
  const root = options.root ?? '.';
  if (typeof root !== 'string' || root === '' || /[\u0000-\u001f\u007f]/.test(root)) {
    throw fail('root must be a folder path');
  }
  const connectTimeoutMs = options.connectTimeoutMs ?? 20_000;
  const operationTimeoutMs = options.operationTimeoutMs ?? 300_000;
  if (!(connectTimeoutMs > 0) || !(operationTimeoutMs > 0)) throw fail('timeouts must be positive');
  checkRetry(ADAPTER, options.retry);

  const name = options.name ?? ADAPTER;
  const log = options.log;
  const where = `${options.username}@${options.host}:${port}`;
  const remote = (path: string) => remoteJoin(root, path);
  const warnInsecure = () =>
    logSafely(log, {
      priority: Priority.error,
      code: 'sftp_host_key_check_disabled',
      message: `sftp: host key check is switched off for ${where}: anyone on the network path could pose as the server`,
      data: { transport: name },
    });
  if (skipHostKeyCheck) warnInsecure();

  let current: Promise<SftpClientLike> | undefined;
  let closed = false;
  let posixRename = true;

  const error = (code: Parameters<typeof adapterError>[1], message: string, cause?: unknown, source?: string) => {
    const details: { cause?: unknown; secrets: Secret[]; source?: string } = { secrets };
    if (cause !== undefined) details.cause = cause;
    if (source !== undefined) details.source = source;
    return adapterError(ADAPTER, code, message, details);
  };

  const connect = async (): Promise<SftpClientLike> => {
    const mod = await importLib<SftpClientClass | { default: SftpClientClass }>(
      ADAPTER,
      'ssh2-sftp-client',
      options.lib,
      () => import('ssh2-sftp-client'),
    );
    const Client = (typeof mod === 'function' ? mod : mod.default) as SftpClientClass;
    let mine: Promise<SftpClientLike> | undefined;
    const drop = () => {
      if (current === mine) current = undefined;
    };
    // the library's default callbacks print to the console; ours only forget the connection
    const client = new Client(name, { error: drop, end: drop, close: drop });
    let offered: string | undefined;
    const config: Record<string, unknown> = {
      host: options.host,
      port,
      username: options.username,
      readyTimeout: connectTimeoutMs,
      keepaliveInterval: 15_000,
      hostVerifier: (key: Buffer) => {
        offered = hostKeyFingerprint(key);
        if (skipHostKeyCheck) return true;
        return fingerprints.includes(offered);
      },
    };
    if (options.password !== undefined) config.password = options.password;
    if (options.privateKey !== undefined) {
      config.privateKey = typeof options.privateKey === 'string' ? options.privateKey : Buffer.from(options.privateKey);
    }
    if (options.passphrase !== undefined) config.passphrase = options.passphrase;
    if (skipHostKeyCheck) warnInsecure();
    mine = (async () => {
      try {
        await client.connect(config);
        return client;
      } catch (e) {
        await client.end().catch(() => undefined);
        if (offered !== undefined && !skipHostKeyCheck && !fingerprints.includes(offered)) {
          const err = error(
            'host_key_mismatch',
            `host key of ${where} is ${offered}, not the configured ${fingerprints.join(' or ')}: refusing to connect`,
            e,
          );
          (err as { noRetry?: boolean }).noRetry = true;
          throw err;
        }
        throw mapConnectError(e);
      }
    })();
    current = mine;
    mine.catch(drop);
    return mine;
  };

  const mapConnectError = (e: unknown): NordfilError => {
    if (isPortError(e)) return e;
    const code = errorCode(e) ?? '';
    const message = errorMessage(e);
    const level = (e as { level?: unknown }).level;
    if (level === 'client-authentication' || /authentication methods failed|ERR_BAD_AUTH/i.test(message)) {
      return error('authentication_failed', `${where} refused the credentials`, e);
    }
    if (/privateKey|private key|passphrase|Unsupported key format/i.test(message)) {
      return error('invalid_option', 'cannot use the private key (wrong format or passphrase)', e);
    }
    if (UNREACHABLE_CODES.has(code)) return error('unreachable', `cannot reach ${where} (${code})`, e);
    if (code === 'ETIMEDOUT' || /timed out|timeout/i.test(message)) {
      return error('timeout', `no answer from ${where} within ${connectTimeoutMs} ms`, e);
    }
    if (CONNECTION_LOST_CODES.has(code) || /closed|reset|Connection lost/i.test(message)) {
      return error('connection_lost', `connection to ${where} closed during login`, e);
    }
    return error('remote_error', `cannot connect to ${where}: ${message}`, e);
  };

  const isMissing = (e: unknown) => {
    const code = errorCode(e);
    return code === '2' || code === 'ENOENT' || /No such file|does not exist/i.test(errorMessage(e));
  };

  const mapOpError = (e: unknown, op: string, path: string): NordfilError => {
    if (isPortError(e)) return e;
    const code = errorCode(e) ?? '';
    const message = errorMessage(e);
    if (
      CONNECTION_LOST_CODES.has(code) ||
      code === 'ERR_NOT_CONNECTED' ||
      /No SFTP connection|not connected|Connection lost|closed|reset|ECONNRESET/i.test(message)
    ) {
      return error('connection_lost', `${op} ${JSON.stringify(path)}: connection to ${where} lost`, e, path);
    }
    if (code === '3' || code === 'EACCES' || /permission denied/i.test(message)) {
      return error('remote_error', `${op} ${JSON.stringify(path)}: permission denied`, e, path);
    }
    return error('remote_error', `${op} ${JSON.stringify(path)} failed: ${message}`, e, path);
  };

  /** Runs `fn` on the connection with a timeout; retries transient failures (after connect only if idempotent). */
  const run = <T>(op: string, path: string, idempotent: boolean, fn: (c: SftpClientLike) => Promise<T>) =>
    withRetry(
      options.retry,
      async () => {
        if (closed) throw error('invalid_option', 'the transport is closed');
        const client = await (current ?? connect());
        try {
          return await withTimeout(
            fn(client),
            operationTimeoutMs,
            () =>
              error(
                'timeout',
                `${op} ${JSON.stringify(path)} took longer than ${operationTimeoutMs} ms`,
                undefined,
                path,
              ),
            () => {
              if (current !== undefined) current = undefined;
              void client.end().catch(() => undefined);
            },
          );
        } catch (e) {
          const err = mapOpError(e, op, path);
          if (err.code === 'connection_lost' || err.code === 'timeout') {
            current = undefined;
            void client.end().catch(() => undefined);
          }
          if (!idempotent) (err as { noRetry?: boolean }).noRetry = true;
          throw err;
        }
      },
      (e, n, delay) =>
        logSafely(log, {
          priority: Priority.info,
          code: 'sftp_retry',
          message: `sftp: ${op} failed (${(e as NordfilError).code}), attempt ${n + 1} in ${delay} ms`,
          data: { transport: name },
        }),
    );

  const notFound = (path: string) => error('not_found', `no file ${JSON.stringify(path)}`, undefined, path);

  const mkdirs = async (c: SftpClientLike, folder: string) => {
    if (folder === '') return;
    try {
      await c.mkdir(remote(folder), true);
    } catch (e) {
      // a concurrent writer may have made it; the following put or rename reports a real problem
      if (!/exist/i.test(errorMessage(e))) throw e;
    }
  };

  const move = async (c: SftpClientLike, from: string, to: string) => {
    if (posixRename) {
      try {
        await c.posixRename(remote(from), remote(to));
        return;
      } catch (e) {
        if (isMissing(e)) throw e;
        if (!/unsupported|not supported|extension/i.test(errorMessage(e)) && errorCode(e) !== '8') throw e;
        posixRename = false;
      }
    }
    // plain SFTP rename refuses an existing target: remove it first (a reader may briefly see no file)
    await c.delete(remote(to), true).catch(() => undefined);
    await c.rename(remote(from), remote(to));
  };

  return {
    name,
    capabilities: { write: true, atomicWrite: true, rename: true, remove: true },

    async list(folder?: string): Promise<TransportEntry[]> {
      const dir = checkFolder(folder);
      return run('list', dir, true, async (c) => {
        let infos: SftpFileInfo[];
        try {
          infos = await c.list(remote(dir));
        } catch (e) {
          if (isMissing(e)) return [];
          throw e;
        }
        const out: TransportEntry[] = [];
        for (const info of infos) {
          if (info.type !== '-') continue;
          if (!isSafeRemoteName(info.name)) {
            logSafely(log, {
              priority: Priority.warning,
              code: 'unsafe_remote_name',
              message: `sftp: refused a name from the server in ${JSON.stringify(dir)}: ${JSON.stringify(info.name)}`,
              data: { transport: name },
            });
            continue;
          }
          const entryName = dir === '' ? info.name : `${dir}/${info.name}`;
          if (isTemporaryPath(entryName)) continue;
          const entry: { name: string; size?: number; modifiedAt?: string } = { name: entryName };
          if (Number.isFinite(info.size)) entry.size = info.size;
          if (Number.isFinite(info.modifyTime)) entry.modifiedAt = new Date(info.modifyTime).toISOString();
          out.push(entry);
        }
        return out.sort((a, b) => compareCodePoints(a.name, b.name));
      });
    },

    async read(path: string): Promise<Uint8Array> {
      checkPath(path);
      return run('read', path, true, async (c) => {
        try {
          const data = await c.get(remote(path));
          // concat-stream gives [] for a file with no bytes
          if (Array.isArray(data) && data.length === 0) return new Uint8Array(0);
          if (!(data instanceof Uint8Array)) throw new Error('unexpected download result');
          return new Uint8Array(data);
        } catch (e) {
          if (isMissing(e)) throw notFound(path);
          throw e;
        }
      });
    },

    async write(path: string, data: Uint8Array): Promise<void> {
      checkPath(path);
      const bytes = Buffer.from(data); // a copy: the caller may reuse `data`
      await run('write', path, true, async (c) => {
        const temp = temporaryPathFor(path, randomToken());
        try {
          await mkdirs(c, parentOf(path));
          await c.put(bytes, remote(temp));
          await move(c, temp, path);
        } catch (e) {
          // best effort: on a lost connection the temporary file stays, and list() never shows it
          await c.delete(remote(temp), true).catch(() => undefined);
          throw e;
        }
      });
    },

    async rename(from: string, to: string): Promise<void> {
      checkPath(from);
      checkPath(to);
      await run('rename', from, false, async (c) => {
        try {
          await mkdirs(c, parentOf(to));
          await move(c, from, to);
        } catch (e) {
          if (isMissing(e)) throw notFound(from);
          throw e;
        }
      });
    },

    async remove(path: string): Promise<void> {
      checkPath(path);
      await run('remove', path, false, async (c) => {
        try {
          await c.delete(remote(path));
        } catch (e) {
          if (isMissing(e)) throw notFound(path);
          throw e;
        }
      });
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const c = await current?.catch(() => undefined);
      current = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
