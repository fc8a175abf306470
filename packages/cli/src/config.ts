/**
 * The configuration file of `nordfil spar …` and `nordfil lindorff …`: which adapters exist (named), which one
 * is the storage, and each job's settings. Checked with zod at the boundary; every problem is listed at once.
 * Secrets need not be written in the file: any value may be `{ "env": "NAME" }` (an environment variable) or
 * `{ "file": "path" }` (a file's contents, relative to the configuration file).
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fromZodIssues, type Issue, issue, NordfilError } from '@nordfil/core';
import type { Log, Storage, Transport } from '@nordfil/ports';
import { z } from 'zod';
import { CliError, ExitCode, loadPackage } from './errors.js';

const folder = z.string().regex(/^$|^[^/\\].*$/, 'expected a relative folder');
const secret = z.union([z.string().min(1), z.instanceof(Uint8Array)]);

const retry = z
  .object({
    attempts: z.number().int().min(1).max(20).optional(),
    baseDelayMs: z.number().int().min(0).optional(),
    maxDelayMs: z.number().int().min(0).optional(),
  })
  .strict()
  .optional();

/** A local folder (`@nordfil/adapters/fs`): transport and storage. `root` is relative to the configuration file. */
const FsAdapter = z
  .object({
    type: z.literal('fs'),
    root: z.string().min(1),
    name: z.string().min(1).optional(),
    fsync: z.boolean().optional(),
  })
  .strict();
const SftpAdapter = z
  .object({
    type: z.literal('sftp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    username: z.string().min(1),
    password: secret.optional(),
    privateKey: secret.optional(),
    passphrase: secret.optional(),
    hostKeyFingerprint: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    insecureSkipHostKeyCheck: z.boolean().optional(),
    root: z.string().optional(),
    name: z.string().min(1).optional(),
    connectTimeoutMs: z.number().int().positive().optional(),
    operationTimeoutMs: z.number().int().positive().optional(),
    retry,
  })
  .strict()
  .refine((a) => a.password !== undefined || a.privateKey !== undefined, {
    message: 'give a password or a privateKey',
    path: ['password'],
  })
  .refine((a) => a.hostKeyFingerprint !== undefined || a.insecureSkipHostKeyCheck === true, {
    message: "give the server's hostKeyFingerprint (SHA256:…)",
    path: ['hostKeyFingerprint'],
  });
const FtpAdapter = z
  .object({
    type: z.literal('ftp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    user: z.string().min(1),
    password: secret,
    tls: z.enum(['explicit', 'none']).optional(),
    ca: secret.optional(),
    servername: z.string().optional(),
    root: z.string().optional(),
    name: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().optional(),
    operationTimeoutMs: z.number().int().positive().optional(),
    retry,
  })
  .strict();
const SparHttpsAdapter = z
  .object({
    type: z.literal('spar-https'),
    baseUrl: z.url({ protocol: /^https$/, message: 'expected an https:// URL' }),
    certificate: z.union([
      z.object({ pfx: secret, passphrase: secret.optional() }).strict(),
      z.object({ cert: secret, key: secret, passphrase: secret.optional() }).strict(),
    ]),
    ca: secret.optional(),
    servername: z.string().optional(),
    names: z.enum(['spar', 'any']).optional(),
    name: z.string().min(1).optional(),
    timeoutMs: z.number().int().positive().optional(),
    upload: z
      .object({
        path: z.string().optional(),
        fileField: z.string().optional(),
        folderField: z.string().optional(),
        fields: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
    download: z
      .object({
        path: z.string().optional(),
        nameParam: z.string().optional(),
        params: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
    list: z
      .object({
        path: z.string().optional(),
        folderParam: z.string().optional(),
        params: z.record(z.string(), z.string()).optional(),
      })
      .strict()
      .optional(),
    retry,
  })
  .strict();
const PostgresAdapter = z
  .object({
    type: z.literal('postgres'),
    connectionString: secret,
    schema: z.string().optional(),
    maxConnections: z.number().int().positive().optional(),
    connectTimeoutMs: z.number().int().positive().optional(),
    retry,
  })
  .strict();

const Adapter = z.discriminatedUnion('type', [FsAdapter, SftpAdapter, FtpAdapter, SparHttpsAdapter, PostgresAdapter]);

/** One adapter entry of the configuration file. */
export type AdapterConfig = z.infer<typeof Adapter>;

const SparSection = z
  .object({
    /** The adapter SPAR's files go through (fs, sftp or spar-https). */
    transport: z.string().min(1),
    /** SPAR customer number (kundnummer), part of the export file name. */
    customerNumber: z.string().regex(/^\d{1,10}$/, 'expected the SPAR customer number (digits)'),
    format: z.enum(['list', 'xml']).default('list'),
    /** Folder export files are written to. */
    outbox: folder.default('outbox'),
    /** Folder SPAR's update files are read from. */
    inbox: folder.default('inbox'),
    /** The library account the borrowers belong to. */
    account: z.string().min(1),
    logPersonalIds: z.boolean().optional(),
    timeZone: z.string().min(1).optional(),
    strictness: z.enum(['strict', 'lenient']).optional(),
  })
  .strict();

const LindorffSection = z
  .object({
    /** The adapter the agency's server is reached through (fs, sftp or ftp). */
    transport: z.string().min(1),
    /** The export definition (eksportdefinisjon), as `@nordfil/lindorff` checks it. */
    definition: z.record(z.string(), z.unknown()),
    /** Our organisation number, written in file headers. */
    creditorOrgNo: z.string().optional(),
    /** Queue an LS file for every collection-list group that is due before sending. */
    autoExport: z.boolean().optional(),
  })
  .strict();

/**
 * The configuration file's schema.
 *
 * @example
 * ConfigSchema.parse({ adapters: { state: { type: 'fs', root: 'state' } }, storage: 'state' });
 */
export const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    adapters: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'adapter names are letters, digits, - and _'), Adapter),
    /** The adapter that keeps the jobs' state (fs or postgres). */
    storage: z.string().min(1),
    spar: SparSection.optional(),
    lindorff: LindorffSection.optional(),
    /** Log threshold: entries up to this priority are printed (18: errors, warnings and file events). */
    logThreshold: z.number().int().min(0).max(100).optional(),
  })
  .strict();

/** A checked configuration. */
export type Config = z.infer<typeof ConfigSchema>;

/** A checked configuration with the folder it was read from (relative paths are resolved against it). */
export interface LoadedConfig {
  readonly config: Config;
  readonly source: string;
  readonly baseDir: string;
}

/**
 * The cross-references of a configuration (the storage and each job's transport name an adapter of the right
 * kind), checked on the raw input so that they are listed together with every other problem.
 */
function crossReferenceIssues(input: unknown, source: string): Issue[] {
  if (typeof input !== 'object' || input === null) return [];
  const c = input as {
    adapters?: unknown;
    storage?: unknown;
    spar?: { transport?: unknown };
    lindorff?: { transport?: unknown };
  };
  const adapters =
    typeof c.adapters === 'object' && c.adapters !== null ? (c.adapters as Record<string, { type?: unknown }>) : {};
  const out: Issue[] = [];
  const known = (name: unknown, field: string, types: readonly string[], what: string) => {
    if (typeof name !== 'string') return;
    const a = adapters[name];
    if (a === undefined) {
      out.push(
        issue(
          'invalid_config',
          `${field}: no adapter named "${name}" (known: ${Object.keys(adapters).join(', ') || 'none'})`,
          {
            source,
            field,
          },
        ),
      );
    } else if (typeof a.type === 'string' && !types.includes(a.type)) {
      out.push(
        issue('invalid_config', `${field}: adapter "${name}" is ${a.type}, which cannot be ${what}`, { source, field }),
      );
    }
  };
  known(c.storage, 'storage', ['fs', 'postgres'], 'the storage');
  known(c.spar?.transport, 'spar.transport', ['fs', 'sftp', 'ftp', 'spar-https'], 'a transport');
  known(c.lindorff?.transport, 'lindorff.transport', ['fs', 'sftp', 'ftp'], 'a transport');
  return out;
}

const MISSING = '<missing>';

/**
 * Replaces every `{ "env": "NAME" }` with the environment variable and every `{ "file": "path" }` with the
 * file's bytes (text for PEM files is fine: adapters take bytes or text). Problems are collected, not thrown.
 */
async function resolveReferences(
  value: unknown,
  path: string[],
  env: Readonly<Record<string, string | undefined>>,
  baseDir: string,
  source: string,
  issues: Issue[],
): Promise<unknown> {
  if (Array.isArray(value)) {
    return Promise.all(value.map((v, i) => resolveReferences(v, [...path, String(i)], env, baseDir, source, issues)));
  }
  if (typeof value !== 'object' || value === null) return value;
  const keys = Object.keys(value);
  const field = path.join('.');
  if (keys.length === 1 && keys[0] === 'env') {
    const name = (value as { env: unknown }).env;
    const v = typeof name === 'string' ? env[name] : undefined;
    if (typeof name !== 'string' || v === undefined || v === '') {
      issues.push(
        issue('missing_env', `${field}: environment variable ${typeof name === 'string' ? name : '?'} is not set`, {
          source,
          field,
        }),
      );
      return MISSING;
    }
    return v;
  }
  if (keys.length === 1 && keys[0] === 'file') {
    const f = (value as { file: unknown }).file;
    if (typeof f !== 'string' || f === '') {
      issues.push(issue('invalid_config', `${field}: "file" must be a path`, { source, field }));
      return MISSING;
    }
    try {
      return new Uint8Array(await readFile(isAbsolute(f) ? f : resolve(baseDir, f)));
    } catch (e) {
      issues.push(
        issue('unreadable_file', `${field}: cannot read ${f} (${(e as NodeJS.ErrnoException).code ?? 'error'})`, {
          source,
          field,
        }),
      );
      return MISSING;
    }
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    out[k] = await resolveReferences((value as Record<string, unknown>)[k], [...path, k], env, baseDir, source, issues);
  }
  return out;
}

/**
 * Checks a configuration object (already read), resolving `{ env }` and `{ file }` references, and lists every
 * problem at once in one NordfilError.
 *
 * @example
 * const config = await checkConfig(JSON.parse(text), { source: 'nordfil.json', env: process.env, baseDir: '.' });
 */
export async function checkConfig(
  input: unknown,
  options: {
    readonly source: string;
    readonly env: Readonly<Record<string, string | undefined>>;
    readonly baseDir: string;
  },
): Promise<Config> {
  const issues: Issue[] = [];
  const resolved = await resolveReferences(input, [], options.env, options.baseDir, options.source, issues);
  const parsed = ConfigSchema.safeParse(resolved);
  if (!parsed.success) issues.push(...fromZodIssues(parsed.error.issues, options.source));
  issues.push(...crossReferenceIssues(resolved, options.source));
  if (issues.length > 0 || !parsed.success) {
    throw new CliError(
      'invalid_config',
      `${options.source}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the configuration`,
      ExitCode.failure,
      issues,
    );
  }
  return parsed.data;
}

/**
 * Reads and checks a configuration file (JSON).
 *
 * @example
 * const { config, baseDir } = await loadConfig('nordfil.json', { cwd: process.cwd(), env: process.env });
 */
export async function loadConfig(
  file: string,
  options: { readonly cwd: string; readonly env: Readonly<Record<string, string | undefined>> },
): Promise<LoadedConfig> {
  const path = resolve(options.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(
      'config_unreadable',
      `cannot read the configuration file ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      ExitCode.usage,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError('invalid_json', `${file}: not valid JSON (${(e as Error).message})`, ExitCode.failure);
  }
  const baseDir = dirname(path);
  return { config: await checkConfig(json, { source: file, env: options.env, baseDir }), source: file, baseDir };
}

/**
 * The ports made from a configuration: the storage and the named transports, made on first use and closed
 * together.
 *
 * @example
 * const ports = openPorts(loaded, log);
 * try { const t = await ports.transport('spar'); } finally { await ports.close(); }
 */
export interface Ports {
  storage(): Promise<Storage>;
  transport(name: string): Promise<Transport>;
  close(): Promise<void>;
}

function withoutType<T extends { type: string }>(a: T): Omit<T, 'type'> {
  const { type: _type, ...rest } = a;
  return rest;
}

/**
 * Makes the adapters a configuration names, loading each adapter's subpath (and so its client library) only
 * when it is used.
 *
 * @example
 * const ports = openPorts(loaded, log);
 */
export function openPorts(loaded: LoadedConfig, log?: Log): Ports {
  const { config, baseDir } = loaded;
  const made = new Map<string, Transport | Storage>();
  const closers: (() => Promise<void>)[] = [];
  const logOpt = log === undefined ? {} : { log };
  const adapter = (name: string): AdapterConfig => {
    const a = config.adapters[name];
    if (a === undefined) throw new CliError('unknown_adapter', `no adapter named "${name}" in ${loaded.source}`);
    return a;
  };
  const root = (r: string) => (isAbsolute(r) ? r : resolve(baseDir, r));
  const load = (sub: string, f: () => Promise<unknown>) =>
    loadPackage(`@nordfil/adapters/${sub}`, f, `the ${sub} adapter`);
  return {
    async storage() {
      const name = config.storage;
      const hit = made.get(`storage:${name}`);
      if (hit !== undefined) return hit as Storage;
      const a = adapter(name);
      let s: Storage;
      if (a.type === 'fs') {
        const { fsStorage } = (await load(
          'fs',
          () => import('@nordfil/adapters/fs'),
        )) as typeof import('@nordfil/adapters/fs');
        s = fsStorage({ root: root(a.root), ...(a.fsync === undefined ? {} : { fsync: a.fsync }) });
      } else if (a.type === 'postgres') {
        const { postgresStorage } = (await load(
          'postgres',
          () => import('@nordfil/adapters/postgres'),
        )) as typeof import('@nordfil/adapters/postgres');
        const o = withoutType(a);
        s = postgresStorage({ ...o, connectionString: text(o.connectionString), ...logOpt } as Parameters<
          typeof postgresStorage
        >[0]);
      } else {
        throw new CliError('invalid_config', `adapter "${name}" (${a.type}) cannot be the storage`);
      }
      made.set(`storage:${name}`, s);
      if (s.close) closers.push(() => s.close?.() ?? Promise.resolve());
      return s;
    },
    async transport(name) {
      const hit = made.get(`transport:${name}`);
      if (hit !== undefined) return hit as Transport;
      const a = adapter(name);
      let t: Transport;
      switch (a.type) {
        case 'fs': {
          const { fsTransport } = (await load(
            'fs',
            () => import('@nordfil/adapters/fs'),
          )) as typeof import('@nordfil/adapters/fs');
          t = fsTransport({
            root: root(a.root),
            name: a.name ?? name,
            ...(a.fsync === undefined ? {} : { fsync: a.fsync }),
          });
          break;
        }
        case 'sftp': {
          const { sftpTransport } = (await load(
            'sftp',
            () => import('@nordfil/adapters/sftp'),
          )) as typeof import('@nordfil/adapters/sftp');
          const o = withoutType(a);
          t = sftpTransport({
            ...o,
            name: o.name ?? name,
            ...(o.password === undefined ? {} : { password: text(o.password) }),
            ...(o.passphrase === undefined ? {} : { passphrase: text(o.passphrase) }),
            ...logOpt,
          } as Parameters<typeof sftpTransport>[0]);
          break;
        }
        case 'ftp': {
          const { ftpTransport } = (await load(
            'ftp',
            () => import('@nordfil/adapters/ftp'),
          )) as typeof import('@nordfil/adapters/ftp');
          const o = withoutType(a);
          t = ftpTransport({ ...o, name: o.name ?? name, password: text(o.password), ...logOpt } as Parameters<
            typeof ftpTransport
          >[0]);
          break;
        }
        case 'spar-https': {
          const { sparHttpsTransport } = (await load(
            'spar-https',
            () => import('@nordfil/adapters/spar-https'),
          )) as typeof import('@nordfil/adapters/spar-https');
          const o = withoutType(a);
          const cert = o.certificate;
          const certificate =
            'pfx' in cert
              ? {
                  pfx: bytes(cert.pfx),
                  ...(cert.passphrase === undefined ? {} : { passphrase: text(cert.passphrase) }),
                }
              : {
                  cert: cert.cert,
                  key: cert.key,
                  ...(cert.passphrase === undefined ? {} : { passphrase: text(cert.passphrase) }),
                };
          t = sparHttpsTransport({ ...o, certificate, name: o.name ?? name, ...logOpt } as Parameters<
            typeof sparHttpsTransport
          >[0]);
          break;
        }
        default:
          throw new CliError('invalid_config', `adapter "${name}" (${a.type}) is not a transport`);
      }
      made.set(`transport:${name}`, t);
      if (t.close) closers.push(() => t.close?.() ?? Promise.resolve());
      return t;
    },
    async close() {
      for (const c of closers.splice(0).reverse()) {
        try {
          await c();
        } catch {
          // closing is best effort: the job's result is already decided
        }
      }
    },
  };
}

function text(v: string | Uint8Array): string {
  return typeof v === 'string' ? v : new TextDecoder().decode(v).trim();
}
function bytes(v: string | Uint8Array): Uint8Array {
  return typeof v === 'string' ? new TextEncoder().encode(v) : v;
}

/** Thrown for a configuration that lacks a section a command needs. */
export function requireSection<K extends 'spar' | 'lindorff'>(loaded: LoadedConfig, key: K): NonNullable<Config[K]> {
  const s = loaded.config[key];
  if (s === undefined) {
    throw new NordfilError(
      issue('invalid_config', `${key}: the configuration has no "${key}" section`, {
        source: loaded.source,
        field: key,
      }),
    );
  }
  return s as NonNullable<Config[K]>;
}
