/**
 * @nordfil/adapters/fs: a local folder as a {@link Transport} and as a {@link Storage}. No dependency.
 * @packageDocumentation
 */
import { createHash } from 'node:crypto';
import { type FileHandle, link, lstat, mkdir, open, readdir, readFile, rename, rm, unlink } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import {
  checkFolder,
  checkKey,
  checkPath,
  checkPrefix,
  compareCodePoints,
  isTemporaryPath,
  type Storage,
  type Transport,
  type TransportEntry,
  temporaryPathFor,
} from '@nordfil/ports';
import { adapterError, errorCode, randomToken } from './_shared.js';

const ADAPTER = 'fs';

/**
 * Options for {@link fsTransport}.
 *
 * @example
 * const options: FsTransportOptions = { root: '/srv/nordfil/bankgirot', name: 'bankgirot-local' };
 */
export interface FsTransportOptions {
  /** The folder that stands for the remote root: an absolute path. Created on first write if missing. */
  readonly root: string;
  /**
   * Name for messages and logs.
   * @default 'fs'
   */
  readonly name?: string;
  /**
   * Flush each written file and its folder to disk (`fsync`) before the rename, so a power cut cannot leave an
   * empty or partial file under the final name. Turn off only for throwaway folders in tests.
   * @default true
   */
  readonly fsync?: boolean;
}

function checkRoot(root: unknown): string {
  if (typeof root !== 'string' || root === '' || !isAbsolute(root)) {
    throw adapterError(ADAPTER, 'invalid_option', 'root must be an absolute folder path');
  }
  return root;
}

function missing(e: unknown): boolean {
  const c = errorCode(e);
  return c === 'ENOENT' || c === 'ENOTDIR';
}

async function syncDir(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // some platforms cannot fsync a folder (Windows): the file itself was flushed
  } finally {
    await handle?.close();
  }
}

/** Writes `data` to a new file at `file` ('wx': never an existing one), flushing it when asked. */
async function writeNew(file: string, data: Uint8Array, fsync: boolean): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(data);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
}

function fsFailure(what: string, path: string, e: unknown) {
  return adapterError(ADAPTER, 'remote_error', `${what} ${JSON.stringify(path)} failed (${errorCode(e) ?? 'error'})`, {
    source: path,
    cause: e,
  });
}

/**
 * A local folder as a {@link Transport}: the embedded default, and the stand-in for a remote server in the demo.
 * Every capability is present. Writes are atomic: the bytes go to a hidden temporary file in the same folder
 * ({@link temporaryPathFor}), which is flushed and renamed into place, and the folder is flushed after the rename.
 * Paths go through `checkPath` first, so nothing outside `root` is ever touched; sub-folders and symbolic links are
 * not listed.
 *
 * @example
 * import { fsTransport } from '@nordfil/adapters/fs';
 * const outbox = fsTransport({ root: '/srv/nordfil/lindorff' });
 * await outbox.write!('out/LS20261123.txt', bytes);
 * const files = await outbox.list('out'); // [{ name: 'out/LS20261123.txt', size: 4096, modifiedAt: '…' }]
 */
export function fsTransport(options: FsTransportOptions): Transport {
  const root = checkRoot(options?.root);
  const fsync = options.fsync ?? true;
  const local = (path: string) => (path === '' ? root : join(root, ...path.split('/')));

  const transport: Transport = {
    name: options.name ?? ADAPTER,
    capabilities: { write: true, atomicWrite: true, rename: true, remove: true },

    async list(folder?: string): Promise<TransportEntry[]> {
      const dir = checkFolder(folder);
      let names: string[];
      try {
        names = await readdir(local(dir));
      } catch (e) {
        if (missing(e)) return [];
        throw fsFailure('list', dir, e);
      }
      const entries: TransportEntry[] = [];
      for (const n of names) {
        const name = dir === '' ? n : `${dir}/${n}`;
        if (isTemporaryPath(name)) continue;
        try {
          const st = await lstat(local(name));
          if (st.isFile()) entries.push({ name, size: st.size, modifiedAt: st.mtime.toISOString() });
        } catch (e) {
          if (!missing(e)) throw fsFailure('list', name, e); // else it was removed meanwhile
        }
      }
      return entries.sort((a, b) => compareCodePoints(a.name, b.name));
    },

    async read(path: string): Promise<Uint8Array> {
      checkPath(path);
      try {
        const st = await lstat(local(path));
        if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
        return new Uint8Array(await readFile(local(path)));
      } catch (e) {
        if (missing(e)) throw adapterError(ADAPTER, 'not_found', `no file ${JSON.stringify(path)}`, { source: path });
        throw fsFailure('read', path, e);
      }
    },

    async write(path: string, data: Uint8Array): Promise<void> {
      checkPath(path);
      const target = local(path);
      const temp = local(temporaryPathFor(path, randomToken()));
      const parent = local(path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
      try {
        await mkdir(parent, { recursive: true });
        await writeNew(temp, data, fsync);
        await rename(temp, target);
        if (fsync) await syncDir(parent);
      } catch (e) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw fsFailure('write', path, e);
      }
    },

    async rename(from: string, to: string): Promise<void> {
      checkPath(from);
      checkPath(to);
      try {
        const st = await lstat(local(from));
        if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      } catch (e) {
        if (missing(e)) throw adapterError(ADAPTER, 'not_found', `no file ${JSON.stringify(from)}`, { source: from });
        throw fsFailure('rename', from, e);
      }
      try {
        const parent = local(to.includes('/') ? to.slice(0, to.lastIndexOf('/')) : '');
        await mkdir(parent, { recursive: true });
        await rename(local(from), local(to));
        if (fsync) await syncDir(parent);
      } catch (e) {
        if (missing(e)) throw adapterError(ADAPTER, 'not_found', `no file ${JSON.stringify(from)}`, { source: from });
        throw fsFailure('rename', from, e);
      }
    },

    async remove(path: string): Promise<void> {
      checkPath(path);
      try {
        const st = await lstat(local(path));
        if (!st.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
        await unlink(local(path));
      } catch (e) {
        if (missing(e)) throw adapterError(ADAPTER, 'not_found', `no file ${JSON.stringify(path)}`, { source: path });
        throw fsFailure('remove', path, e);
      }
    },

    async close(): Promise<void> {
      // nothing to release
    },
  };
  return transport;
}

/**
 * Options for {@link fsStorage}.
 *
 * @example
 * const options: FsStorageOptions = { root: '/var/lib/nordfil/state' };
 */
export interface FsStorageOptions {
  /** The folder that holds the values: an absolute path, created on first write if missing. */
  readonly root: string;
  /**
   * Flush each value and its folder to disk before it becomes visible.
   * @default true
   */
  readonly fsync?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const NEWLINE = 0x0a;

/**
 * A local folder as a {@link Storage}, for one machine (the demo, a small installation). Each value is a file
 * named after the SHA-256 of its key (`ab/cdef….v`, so any key is a safe file name on any file system, case-
 * insensitive ones included) that starts with the key and a newline. `put` writes a flushed temporary file and
 * renames it; `createIfAbsent` hard-links a flushed temporary file to the final name, which the operating system
 * refuses atomically when the name exists, so exactly one of any number of concurrent callers (threads or
 * processes on the same machine) wins. `list` reads every file's key: fine for thousands of keys, use the
 * PostgreSQL storage beyond that, or for transactions and claims (not offered here; `withTransaction` falls back).
 *
 * @example
 * import { fsStorage } from '@nordfil/adapters/fs';
 * const storage = fsStorage({ root: '/var/lib/nordfil/state' });
 * if (await storage.createIfAbsent(`bgmax/files/${sha}`, bytes)) await importFile(bytes);
 */
export function fsStorage(options: FsStorageOptions): Storage {
  const root = checkRoot(options?.root);
  const fsync = options.fsync ?? true;
  const tempDir = join(root, '.tmp');

  const fileOf = (key: string) => {
    const hash = createHash('sha256').update(key, 'utf8').digest('hex');
    return { dir: join(root, hash.slice(0, 2)), file: join(root, hash.slice(0, 2), `${hash.slice(2)}.v`) };
  };
  const encode = (key: string, value: Uint8Array) => {
    const head = encoder.encode(key);
    const out = new Uint8Array(head.length + 1 + value.length);
    out.set(head, 0);
    out[head.length] = NEWLINE;
    out.set(value, head.length + 1);
    return out;
  };
  /** The key and value in a stored file, or undefined when the file is gone or not ours. */
  const decode = (bytes: Uint8Array): { key: string; value: Uint8Array } | undefined => {
    const nl = bytes.indexOf(NEWLINE);
    if (nl < 0) return undefined;
    try {
      return { key: decoder.decode(bytes.subarray(0, nl)), value: bytes.slice(nl + 1) };
    } catch {
      return undefined;
    }
  };
  const readEntry = async (file: string) => {
    try {
      return decode(new Uint8Array(await readFile(file)));
    } catch (e) {
      if (missing(e)) return undefined;
      throw fsFailure('read', file, e);
    }
  };
  /** Writes a flushed temporary file holding `key` and `value`; returns its path. */
  const stage = async (key: string, value: Uint8Array): Promise<string> => {
    await mkdir(tempDir, { recursive: true });
    const temp = join(tempDir, `${randomToken(12)}.tmp`);
    await writeNew(temp, encode(key, value), fsync);
    return temp;
  };
  const run = <T>(key: string, what: string, fn: () => Promise<T>): Promise<T> =>
    fn().catch((e) => {
      throw fsFailure(what, key, e);
    });

  return {
    capabilities: { transactions: false, claim: false },

    async get(key: string): Promise<Uint8Array | undefined> {
      checkKey(key);
      const entry = await readEntry(fileOf(key).file);
      return entry?.key === key ? entry.value : undefined;
    },

    async put(key: string, value: Uint8Array): Promise<void> {
      checkKey(key);
      const { dir, file } = fileOf(key);
      const temp = await run(key, 'put', () => stage(key, value));
      await run(key, 'put', async () => {
        try {
          await mkdir(dir, { recursive: true });
          await rename(temp, file);
          if (fsync) await syncDir(dir);
        } finally {
          await rm(temp, { force: true });
        }
      });
    },

    async createIfAbsent(key: string, value: Uint8Array): Promise<boolean> {
      checkKey(key);
      const { dir, file } = fileOf(key);
      const temp = await run(key, 'createIfAbsent', () => stage(key, value));
      try {
        await mkdir(dir, { recursive: true });
        await link(temp, file); // EEXIST when another caller got there first: atomic in the kernel
        if (fsync) await syncDir(dir);
        return true;
      } catch (e) {
        if (errorCode(e) === 'EEXIST') return false;
        throw fsFailure('createIfAbsent', key, e);
      } finally {
        await rm(temp, { force: true }).catch(() => undefined);
      }
    },

    async delete(key: string): Promise<boolean> {
      checkKey(key);
      try {
        await unlink(fileOf(key).file);
        return true;
      } catch (e) {
        if (missing(e)) return false;
        throw fsFailure('delete', key, e);
      }
    },

    async list(prefix: string): Promise<string[]> {
      checkPrefix(prefix);
      let shards: string[];
      try {
        shards = await readdir(root);
      } catch (e) {
        if (missing(e)) return [];
        throw fsFailure('list', prefix, e);
      }
      const keys: string[] = [];
      for (const shard of shards) {
        if (!/^[0-9a-f]{2}$/.test(shard)) continue;
        let files: string[];
        try {
          files = await readdir(join(root, shard));
        } catch (e) {
          if (missing(e)) continue;
          throw fsFailure('list', prefix, e);
        }
        for (const f of files) {
          if (!f.endsWith('.v')) continue;
          const entry = await readEntry(join(root, shard, f));
          if (entry?.key.startsWith(prefix)) keys.push(entry.key);
        }
      }
      return keys.sort(compareCodePoints);
    },

    async close(): Promise<void> {
      // nothing to release
    },
  };
}
