/**
 * The adapter: `objectStoreTransport` implements the `Transport` port of `@nordfil/ports` over the object
 * store client. It follows "Implementing an adapter" in the ports README, step by step:
 *
 * 1. a factory that validates its options at construction;
 * 2. every method checks its path first (`checkPath`, `checkFolder`) and rejects, never throws synchronously
 *    (async functions turn a throw into a rejection);
 * 3. the backend's answers are mapped to the port's error codes (`404` -> `not_found`) with `portError`;
 * 4. listings are sorted by code point (`compareCodePoints`) and show only the files directly in the folder;
 * 5. each capability flag is true exactly when its method exists.
 *
 * The contract suite (`testTransport` from `@nordfil/ports/testing`) checks all of it: see main.test.ts.
 */
import { issue, NordfilError } from '@nordfil/core';
import {
  checkFolder,
  checkPath,
  compareCodePoints,
  portError,
  type Transport,
  type TransportEntry,
} from '@nordfil/ports';
import type { ObjectStoreClient } from './object-store.js';

/** Options of {@link objectStoreTransport}. */
export interface ObjectStoreTransportOptions {
  /** The client (a real SDK's, wrapped to this shape, or the in-memory one). */
  readonly client: ObjectStoreClient;
  /** The bucket holding the files. */
  readonly bucket: string;
  /** A key prefix all paths live under (`nordfil/bankgirot`), without a trailing `/`; default none. */
  readonly prefix?: string;
  /** The transport's name in messages; default `object-store:<bucket>`. */
  readonly name?: string;
}

/**
 * A Transport over an object store. Writes are atomic (the store replaces whole objects); `rename` is a copy
 * followed by a delete, which is enough for the contract (the target is replaced, the source goes).
 *
 * @example
 * const transport = objectStoreTransport({ client: inMemoryObjectStore(), bucket: 'nordfil', prefix: 'spar' });
 * await transport.write('out/C1404-000001-spar.csv', bytes);
 */
export function objectStoreTransport(options: ObjectStoreTransportOptions): Transport {
  // 1. validate at construction: a typo in the configuration fails at start-up, not at 02:00
  const problems: string[] = [];
  if (typeof options.bucket !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(options.bucket)) {
    problems.push(`bucket ${JSON.stringify(options.bucket)}: expected 3-63 characters a-z 0-9 . -`);
  }
  const prefix = options.prefix ?? '';
  if (prefix !== '') {
    try {
      checkPath(prefix);
    } catch {
      problems.push(`prefix ${JSON.stringify(prefix)}: expected a relative path without a trailing /`);
    }
  }
  if (problems.length > 0) {
    throw new NordfilError(problems.map((message) => issue('invalid_option', message, { source: 'object-store' })));
  }
  const { client, bucket } = options;
  const name = options.name ?? `object-store:${bucket}`;
  const root = prefix === '' ? '' : `${prefix}/`; // every key this transport owns starts with it
  const keyOf = (path: string) => `${root}${path}`;

  return {
    name,
    capabilities: { write: true, atomicWrite: true, rename: true, remove: true },

    async list(folder) {
      const dir = checkFolder(folder); // '' for the root
      const folderPrefix = keyOf(dir === '' ? '' : `${dir}/`);
      const entries: TransportEntry[] = [];
      for (const o of await client.listObjects(bucket, folderPrefix)) {
        // object stores have no folders: a key with another `/` after the folder is in a sub-folder
        if (o.key.includes('/', folderPrefix.length)) continue;
        entries.push({ name: o.key.slice(root.length), size: o.size, modifiedAt: o.lastModified });
      }
      return entries.sort((a, b) => compareCodePoints(a.name, b.name));
    },

    async read(path) {
      checkPath(path);
      const r = await client.getObject(bucket, keyOf(path));
      if (r.status === 404) throw portError('not_found', `${name}: no file "${path}"`, { source: path });
      return r.body;
    },

    async write(path, data) {
      checkPath(path);
      await client.putObject(bucket, keyOf(path), data.slice());
    },

    async rename(from, to) {
      checkPath(from);
      checkPath(to);
      if (from === to) {
        if ((await client.getObject(bucket, keyOf(from))).status === 404) {
          throw portError('not_found', `${name}: no file "${from}"`, { source: from });
        }
        return;
      }
      const copied = await client.copyObject(bucket, keyOf(from), keyOf(to));
      if (copied.status === 404) throw portError('not_found', `${name}: no file "${from}"`, { source: from });
      await client.deleteObject(bucket, keyOf(from));
    },

    async remove(path) {
      checkPath(path);
      const r = await client.deleteObject(bucket, keyOf(path));
      if (r.status === 404) throw portError('not_found', `${name}: no file "${path}"`, { source: path });
    },

    async close() {
      // an HTTP client keeps no connection we must end; idempotent by construction
    },
  };
}
