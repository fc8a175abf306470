/**
 * @nordfil/adapters/spar-https: SPAR's file transport (Filtransport: HTTPS with the organisation's client
 * certificate, upload as a multipart POST, download with GET) as a {@link Transport}. Uses `node:https` only.
 * @packageDocumentation
 */
import { Agent, request } from 'node:https';
import { createSecureContext } from 'node:tls';
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
} from '@nordfil/ports';
import {
  adapterError,
  CONNECTION_LOST_CODES,
  checkRetry,
  errorCode,
  errorMessage,
  isSafeRemoteName,
  logSafely,
  parentOf,
  type RetryOptions,
  randomToken,
  type Secret,
  TLS_REJECT_CODES,
  UNREACHABLE_CODES,
  withRetry,
} from './_shared.js';

const ADAPTER = 'spar-https';

/**
 * The organisation certificate SPAR issues: PEM certificate and key, or one PKCS#12 (`.p12`/`.pfx`) file.
 *
 * @example
 * const pem: SparClientCertificate = { cert: readFileSync('org.crt'), key: readFileSync('org.key') };
 * const p12: SparClientCertificate = { pfx: readFileSync('org.p12'), passphrase: process.env.SPAR_P12_PASSPHRASE };
 */
export type SparClientCertificate =
  | {
      /** The certificate (and any intermediates), PEM. */
      readonly cert: string | Uint8Array;
      /** Its private key, PEM. Never logged. */
      readonly key: string | Uint8Array;
      /** Passphrase of an encrypted key. Never logged. */
      readonly passphrase?: string;
    }
  | {
      /** Certificate and key as PKCS#12. Never logged. */
      readonly pfx: Uint8Array;
      /** Its passphrase. Never logged. */
      readonly passphrase?: string;
    };

/**
 * One file in a listing answer, for a custom {@link SparListOptions.parse}.
 *
 * @example
 * const e: SparListedFile = { name: 'FIL_20261123.xml.zip', size: 1024 };
 */
export interface SparListedFile {
  /** The file's name inside the listed folder (no `/`). */
  readonly name: string;
  readonly size?: number;
  /** ISO 8601 instant. */
  readonly modifiedAt?: string;
}

/**
 * How files are listed.
 *
 * @example
 * const list: SparListOptions = { path: 'filer', folderParam: 'katalog', parse: (body) => JSON.parse(new TextDecoder().decode(body)).filer };
 */
export interface SparListOptions {
  /**
   * Path under `baseUrl` of the listing resource, fetched with GET.
   * @default 'list'
   */
  readonly path?: string;
  /**
   * Query parameter that carries the folder (left out for the root).
   * @default 'folder'
   */
  readonly folderParam?: string;
  /** Extra query parameters (customer number, …). */
  readonly params?: Readonly<Record<string, string>>;
  /**
   * Turns the response body into files. The default reads JSON: an array of names, or of `{ name, size?,
   * modifiedAt? }` objects.
   */
  readonly parse?: (body: Uint8Array) => ReadonlyArray<string | SparListedFile>;
}

/**
 * How a file is downloaded.
 *
 * @example
 * const download: SparDownloadOptions = { path: 'hamta', nameParam: 'filnamn' };
 */
export interface SparDownloadOptions {
  /**
   * Path under `baseUrl` of the download resource, fetched with GET.
   * @default 'download'
   */
  readonly path?: string;
  /**
   * Query parameter that carries the file's path.
   * @default 'name'
   */
  readonly nameParam?: string;
  /** Extra query parameters. */
  readonly params?: Readonly<Record<string, string>>;
}

/**
 * How a file is uploaded: one `multipart/form-data` POST.
 *
 * @example
 * const upload: SparUploadOptions = { path: 'lamna', fileField: 'fil', fields: { kundnummer: '12345' } };
 */
export interface SparUploadOptions {
  /**
   * Path under `baseUrl` of the upload resource.
   * @default 'upload'
   */
  readonly path?: string;
  /**
   * Form field that carries the file (its `filename` is the file's name without folder).
   * @default 'file'
   */
  readonly fileField?: string;
  /**
   * Form field that carries the folder, sent only for a path with a folder.
   * @default 'folder'
   */
  readonly folderField?: string;
  /** Extra form fields, sent before the file. */
  readonly fields?: Readonly<Record<string, string>>;
}

/**
 * Options for {@link sparHttpsTransport}.
 *
 * @example
 * const options: SparHttpsTransportOptions = {
 *   baseUrl: 'https://filtransport.example.se/api/', certificate: { pfx: readFileSync('org.p12'), passphrase },
 * };
 */
export interface SparHttpsTransportOptions {
  /** The file transport's base URL; must be `https:`. The resource paths below are relative to it. */
  readonly baseUrl: string;
  /** The organisation certificate presented to the server. */
  readonly certificate: SparClientCertificate;
  /** Certificate authorities (PEM) to trust for the server, instead of the system's. */
  readonly ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** The name the server certificate must carry, when it differs from the URL's host. */
  readonly servername?: string;
  /** See {@link SparListOptions}. */
  readonly list?: SparListOptions;
  /** See {@link SparDownloadOptions}. */
  readonly download?: SparDownloadOptions;
  /** See {@link SparUploadOptions}. */
  readonly upload?: SparUploadOptions;
  /**
   * Which file names are allowed. `'spar'`: only `a-z A-Z 0-9 . - _` in each path segment, as SPAR requires
   * (anything else rejects with `unsafe_path` before a request is made). `'any'`: whatever `checkPath` allows.
   * @default 'spar'
   */
  readonly names?: 'spar' | 'any';
  /**
   * Name for messages and logs.
   * @default 'spar-https'
   */
  readonly name?: string;
  /**
   * Time allowed for one request, in milliseconds.
   * @default 120_000
   */
  readonly timeoutMs?: number;
  /**
   * Retries on transient failures; uploads are retried only when the connection could not be made.
   * @default { attempts: 3, baseDelayMs: 250, maxDelayMs: 5000 }
   */
  readonly retry?: RetryOptions;
  /** Receives retries and refused names (never a secret). */
  readonly log?: Log;
}

const SPAR_NAME = /^[A-Za-z0-9._-]+$/;

interface Response {
  readonly status: number;
  readonly body: Buffer;
}

/**
 * SPAR's HTTPS file transport as a {@link Transport} with `list`, `read` and `write` (SPAR purges files itself,
 * so there is no `remove` or `rename`; `write` is not declared atomic, since the server side decides).
 *
 * The client certificate (PEM or PKCS#12) is checked when the transport is made, so a wrong passphrase fails at
 * start-up (`invalid_option`), and is presented on every connection; the server certificate is always verified.
 * SPAR's public documentation describes only the shape (multipart POST up, GET with URL parameters down), so the
 * resource paths, parameter and field names are options; see the package README for what is assumed.
 *
 * Errors: `authentication_failed` (the server refused the client certificate, or HTTP 401/403),
 * `tls_certificate_rejected` (the server's certificate failed verification), `unreachable`, `timeout`,
 * `connection_lost`, `not_found` (HTTP 404 on download), `remote_error` (other HTTP errors), `unsafe_path`.
 *
 * @example
 * import { sparHttpsTransport } from '@nordfil/adapters/spar-https';
 * const spar = sparHttpsTransport({
 *   baseUrl: 'https://filtransport.example.se/api/',
 *   certificate: { pfx: readFileSync('/etc/nordfil/org.p12'), passphrase: process.env.SPAR_P12_PASSPHRASE },
 *   upload: { fields: { kundnummer: '12345' } },
 * });
 * await spar.write!('AVI_20261123.csv', pins);
 * for (const f of await spar.list()) await importSpar(await spar.read(f.name));
 */
export function sparHttpsTransport(options: SparHttpsTransportOptions): Transport {
  if (options === null || typeof options !== 'object') {
    throw adapterError(ADAPTER, 'invalid_option', 'options are required');
  }
  const cert = options.certificate;
  const secrets: Secret[] =
    cert && typeof cert === 'object' ? ('pfx' in cert ? [cert.pfx, cert.passphrase] : [cert.key, cert.passphrase]) : [];
  const fail = (message: string, cause?: unknown) =>
    adapterError(ADAPTER, 'invalid_option', message, cause === undefined ? { secrets } : { secrets, cause });
  let base: URL;
  try {
    base = new URL(options.baseUrl);
  } catch {
    throw fail('baseUrl must be an https:// URL');
  }
  if (base.protocol !== 'https:') throw fail('baseUrl must be an https:// URL');
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  if (cert === null || typeof cert !== 'object' || !('pfx' in cert || ('cert' in cert && 'key' in cert))) {
    throw fail('certificate must be { cert, key } (PEM) or { pfx } (PKCS#12)');
  }
  const names = options.names ?? 'spar';
  if (names !== 'spar' && names !== 'any') throw fail("names must be 'spar' or 'any'");
  const timeoutMs = options.timeoutMs ?? 120_000;
  if (!(timeoutMs > 0)) throw fail('timeoutMs must be positive');
  checkRetry(ADAPTER, options.retry);

  const toBuffer = (v: string | Uint8Array) => (typeof v === 'string' ? v : Buffer.from(v));
  const tlsOptions: Record<string, unknown> = { minVersion: 'TLSv1.2' };
  if ('pfx' in cert) tlsOptions.pfx = Buffer.from(cert.pfx);
  else {
    tlsOptions.cert = toBuffer(cert.cert);
    tlsOptions.key = toBuffer(cert.key);
  }
  if (cert.passphrase !== undefined) tlsOptions.passphrase = cert.passphrase;
  if (options.ca !== undefined) {
    tlsOptions.ca = (Array.isArray(options.ca) ? options.ca : [options.ca]).map(toBuffer);
  }
  try {
    createSecureContext(tlsOptions); // a wrong passphrase or a key that does not match fails here, at start-up
  } catch (e) {
    throw fail('cannot load the client certificate (wrong passphrase, or a key that does not match)', e);
  }

  const name = options.name ?? ADAPTER;
  const log = options.log;
  const host = base.host;
  const agentOptions: Record<string, unknown> = { ...tlsOptions, keepAlive: true, rejectUnauthorized: true };
  if (options.servername !== undefined) agentOptions.servername = options.servername;
  let agent: Agent | undefined;
  let closed = false;

  const error = (code: Parameters<typeof adapterError>[1], message: string, cause?: unknown, source?: string) => {
    const details: { cause?: unknown; secrets: Secret[]; source?: string } = { secrets };
    if (cause !== undefined) details.cause = cause;
    if (source !== undefined) details.source = source;
    return adapterError(ADAPTER, code, message, details);
  };

  const classify = (e: unknown, what: string): NordfilError => {
    if (isPortError(e)) return e;
    const code = errorCode(e) ?? '';
    const message = errorMessage(e);
    if (TLS_REJECT_CODES.has(code)) {
      return error('tls_certificate_rejected', `${what}: the certificate of ${host} failed verification (${code})`, e);
    }
    if (
      /^ERR_SSL_.*(CERTIFICATE|UNKNOWN_CA|ACCESS_DENIED)/.test(code) ||
      /alert (bad|unknown|certificate)/i.test(message)
    ) {
      return error('authentication_failed', `${what}: ${host} refused the client certificate (${code})`, e);
    }
    if (code === 'ERR_CLIENT_CERT_REFUSED') {
      return error(
        'authentication_failed',
        `${what}: ${host} closed the connection right after the TLS handshake: it most likely refused the client certificate`,
        e,
      );
    }
    if (UNREACHABLE_CODES.has(code)) return error('unreachable', `${what}: cannot reach ${host} (${code})`, e);
    if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') {
      return error('timeout', `${what}: no answer from ${host} within ${timeoutMs} ms`, e);
    }
    if (CONNECTION_LOST_CODES.has(code) || /socket hang up/i.test(message)) {
      return error('connection_lost', `${what}: connection to ${host} lost (${code || 'closed'})`, e);
    }
    return error('remote_error', `${what} failed: ${message}`, e);
  };

  const send = (method: 'GET' | 'POST', url: URL, headers: Record<string, string>, body?: Buffer) =>
    new Promise<Response>((resolve, reject) => {
      if (closed) {
        reject(error('invalid_option', 'the transport is closed'));
        return;
      }
      agent ??= new Agent(agentOptions);
      let handshakeJustDone = false;
      let answered = false;
      const req = request(url, { method, agent, headers }, (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.setTimeout(timeoutMs, () =>
        req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      );
      req.on('socket', (socket) => {
        socket.once('secureConnect', () => {
          handshakeJustDone = true;
        });
      });
      req.on('error', (e) => {
        // TLS 1.3: a server that refuses the client certificate says so after the handshake, and its alert is
        // often lost in the reset: a fresh connection reset before any answer is taken as that refusal
        if (errorCode(e) === 'ECONNRESET' && handshakeJustDone && !answered) {
          reject(
            Object.assign(new Error('connection reset right after the TLS handshake'), {
              code: 'ERR_CLIENT_CERT_REFUSED',
            }),
          );
        } else reject(e);
      });
      req.end(body);
    });

  /** Sends with retries; a non-idempotent request is retried only when the server could not be reached. */
  const call = async (
    op: string,
    path: string,
    idempotent: boolean,
    method: 'GET' | 'POST',
    url: URL,
    headers: Record<string, string> = {},
    body?: Buffer,
  ): Promise<Response> => {
    const response = await withRetry(
      options.retry,
      async () => {
        let res: Response;
        try {
          res = await send(method, url, headers, body);
        } catch (e) {
          const err = classify(e, `${op} ${JSON.stringify(path)}`);
          if (!idempotent && err.code !== 'unreachable') (err as { noRetry?: boolean }).noRetry = true;
          throw err;
        }
        if (res.status === 502 || res.status === 503 || res.status === 504) {
          const err = error('unreachable', `${op} ${JSON.stringify(path)}: ${host} answered HTTP ${res.status}`);
          if (!idempotent) (err as { noRetry?: boolean }).noRetry = true;
          throw err;
        }
        return res;
      },
      (e, n, delay) =>
        logSafely(log, {
          priority: Priority.info,
          code: 'spar_https_retry',
          message: `spar-https: ${op} failed (${(e as NordfilError).code}), attempt ${n + 1} in ${delay} ms`,
          data: { transport: name },
        }),
    );
    if (response.status === 401 || response.status === 403) {
      throw error('authentication_failed', `${op}: ${host} answered HTTP ${response.status}`, undefined, path);
    }
    return response;
  };

  const checkName = (path: string, allowRoot = false): string => {
    checkPath(path, { allowRoot });
    if (names === 'spar' && path !== '') {
      for (const segment of path.split('/')) {
        if (!SPAR_NAME.test(segment)) {
          throw adapterError(
            ADAPTER,
            'unsafe_path',
            `unsafe path ${JSON.stringify(path)}: SPAR allows only a-z A-Z 0-9 . - _ in names`,
            { source: path },
          );
        }
      }
    }
    return path;
  };

  const urlFor = (resource: string, params: Record<string, string>) => {
    const url = new URL(resource.replace(/^\/+/, ''), base);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url;
  };

  const parseList = (body: Uint8Array): ReadonlyArray<string | SparListedFile> => {
    if (options.list?.parse) return options.list.parse(body);
    const data: unknown = JSON.parse(new TextDecoder().decode(body));
    if (!Array.isArray(data)) throw new Error('the listing is not a JSON array');
    return data as ReadonlyArray<string | SparListedFile>;
  };

  const quoteFilename = (s: string) => s.replace(/"/g, '%22');

  return {
    name,
    capabilities: { write: true, atomicWrite: false, rename: false, remove: false },

    async list(folder?: string): Promise<TransportEntry[]> {
      const dir = checkFolder(folder);
      if (names === 'spar') checkName(dir, true);
      const params: Record<string, string> = { ...options.list?.params };
      if (dir !== '') params[options.list?.folderParam ?? 'folder'] = dir;
      const res = await call('list', dir, true, 'GET', urlFor(options.list?.path ?? 'list', params));
      if (res.status === 404) return [];
      if (res.status !== 200) throw error('remote_error', `list ${JSON.stringify(dir)}: HTTP ${res.status}`);
      let files: ReadonlyArray<string | SparListedFile>;
      try {
        files = parseList(res.body);
      } catch (e) {
        throw error('remote_error', `list ${JSON.stringify(dir)}: cannot read the listing`, e);
      }
      const out: TransportEntry[] = [];
      for (const f of files) {
        const file: SparListedFile = typeof f === 'string' ? { name: f } : f;
        if (typeof file?.name !== 'string' || !isSafeRemoteName(file.name)) {
          logSafely(log, {
            priority: Priority.warning,
            code: 'unsafe_remote_name',
            message: `spar-https: refused a name from the server: ${JSON.stringify(file?.name)}`,
            data: { transport: name },
          });
          continue;
        }
        const entryName = dir === '' ? file.name : `${dir}/${file.name}`;
        if (isTemporaryPath(entryName)) continue;
        const entry: { name: string; size?: number; modifiedAt?: string } = { name: entryName };
        if (typeof file.size === 'number' && Number.isFinite(file.size)) entry.size = file.size;
        if (typeof file.modifiedAt === 'string' && !Number.isNaN(Date.parse(file.modifiedAt))) {
          entry.modifiedAt = new Date(file.modifiedAt).toISOString();
        }
        out.push(entry);
      }
      return out.sort((a, b) => compareCodePoints(a.name, b.name));
    },

    async read(path: string): Promise<Uint8Array> {
      checkName(path);
      const params: Record<string, string> = { ...options.download?.params };
      params[options.download?.nameParam ?? 'name'] = path;
      const res = await call('read', path, true, 'GET', urlFor(options.download?.path ?? 'download', params));
      if (res.status === 404) throw error('not_found', `no file ${JSON.stringify(path)}`, undefined, path);
      if (res.status !== 200) throw error('remote_error', `read ${JSON.stringify(path)}: HTTP ${res.status}`);
      return new Uint8Array(res.body);
    },

    async write(path: string, data: Uint8Array): Promise<void> {
      checkName(path);
      const boundary = `----nordfil${randomToken(16)}`;
      const parts: Buffer[] = [];
      const field = (fieldName: string, value: string) =>
        parts.push(
          Buffer.from(
            `--${boundary}\r\nContent-Disposition: form-data; name="${quoteFilename(fieldName)}"\r\n\r\n${value}\r\n`,
          ),
        );
      for (const [k, v] of Object.entries(options.upload?.fields ?? {})) field(k, v);
      const folder = parentOf(path);
      if (folder !== '') field(options.upload?.folderField ?? 'folder', folder);
      const fileName = path.slice(path.lastIndexOf('/') + 1);
      parts.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${quoteFilename(options.upload?.fileField ?? 'file')}"; ` +
            `filename="${quoteFilename(fileName)}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
        ),
        Buffer.from(data),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      );
      const body = Buffer.concat(parts);
      const res = await call(
        'write',
        path,
        false,
        'POST',
        urlFor(options.upload?.path ?? 'upload', {}),
        { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) },
        body,
      );
      if (res.status < 200 || res.status > 299) {
        throw error('remote_error', `write ${JSON.stringify(path)}: HTTP ${res.status}`, undefined, path);
      }
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      agent?.destroy();
      agent = undefined;
    },
  };
}
