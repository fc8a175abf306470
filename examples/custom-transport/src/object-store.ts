/**
 * A made-up backend: an HTTP object store ("buckets" of keyed objects, as S3, Azure Blob or a document
 * archive offer), simulated in memory so the example runs anywhere. It answers like an HTTP API does:
 * status codes, no exceptions for a missing object, flat keys with no real folders.
 */

/** One object in a listing. */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: string;
}

/** The responses of the simulated API. */
export type ObjectResponse = { readonly status: 200; readonly body: Uint8Array } | { readonly status: 404 };

/** The client of the object store: the surface a real SDK would give you. */
export interface ObjectStoreClient {
  putObject(bucket: string, key: string, body: Uint8Array): Promise<{ readonly status: 200 }>;
  getObject(bucket: string, key: string): Promise<ObjectResponse>;
  /** Objects whose key starts with `prefix`, in no promised order (real stores page through them). */
  listObjects(bucket: string, prefix: string): Promise<readonly StoredObject[]>;
  copyObject(bucket: string, from: string, to: string): Promise<{ readonly status: 200 | 404 }>;
  deleteObject(bucket: string, key: string): Promise<{ readonly status: 204 | 404 }>;
}

/**
 * An in-memory object store. Every `put` replaces the whole object at once (readers see the old or the new
 * object, never a part): that is what lets the transport declare `atomicWrite`.
 *
 * @example
 * const client = inMemoryObjectStore();
 * await client.putObject('nordfil', 'in/BGMAX.txt', bytes);
 */
export function inMemoryObjectStore(options: { readonly now?: () => Date } = {}): ObjectStoreClient {
  const now = options.now ?? (() => new Date());
  const buckets = new Map<string, Map<string, { body: Uint8Array; lastModified: string }>>();
  const bucketOf = (name: string) => {
    let b = buckets.get(name);
    if (b === undefined) {
      b = new Map();
      buckets.set(name, b);
    }
    return b;
  };
  // a network round trip: callers must never rely on a call completing synchronously
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    async putObject(bucket, key, body) {
      await tick();
      bucketOf(bucket).set(key, { body: body.slice(), lastModified: now().toISOString() });
      return { status: 200 };
    },
    async getObject(bucket, key) {
      await tick();
      const o = bucketOf(bucket).get(key);
      return o === undefined ? { status: 404 } : { status: 200, body: o.body.slice() };
    },
    async listObjects(bucket, prefix) {
      await tick();
      const out: StoredObject[] = [];
      for (const [key, o] of bucketOf(bucket)) {
        if (key.startsWith(prefix)) out.push({ key, size: o.body.length, lastModified: o.lastModified });
      }
      return out.reverse(); // deliberately unsorted: the transport must sort
    },
    async copyObject(bucket, from, to) {
      await tick();
      const b = bucketOf(bucket);
      const o = b.get(from);
      if (o === undefined) return { status: 404 };
      b.set(to, { body: o.body.slice(), lastModified: now().toISOString() });
      return { status: 200 };
    },
    async deleteObject(bucket, key) {
      await tick();
      return { status: bucketOf(bucket).delete(key) ? 204 : 404 };
    },
  };
}
