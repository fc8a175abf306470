import { quote } from './_util.js';
import { type Clock, systemClock } from './clock.js';
import { portError } from './errors.js';
import { compareCodePoints } from './order.js';
import {
  type Claim,
  type ClaimOptions,
  checkKey,
  checkPrefix,
  DEFAULT_LEASE_MS,
  type Storage,
  type StorageCapabilities,
  type StorageTx,
} from './storage.js';
import {
  checkFolder,
  checkPath,
  type Transport,
  type TransportCapabilities,
  type TransportEntry,
} from './transport.js';

const encoder = new TextEncoder();
const toBytes = (v: Uint8Array | string): Uint8Array => (typeof v === 'string' ? encoder.encode(v) : v.slice());

/**
 * Options for {@link memoryTransport}.
 *
 * @example
 * memoryTransport({ name: 'spar', files: { 'in/a.xml': '<x/>' }, capabilities: { remove: false } });
 */
export interface MemoryTransportOptions {
  /**
   * The transport's name in messages.
   * @default 'memory'
   */
  readonly name?: string;
  /** Initial files by path; strings are stored as UTF-8. Paths are checked with {@link checkPath}. */
  readonly files?: Readonly<Record<string, Uint8Array | string>>;
  /**
   * Capability overrides: a `false` removes the method, e.g. `{ write: false, rename: false, remove: false }`
   * for a read-only drop box; `{ atomicWrite: false }` keeps `write` but makes it visibly non-atomic (a reader
   * can see the first half of the file while the write is in progress), to test that a job requires atomicity.
   * @default all true
   */
  readonly capabilities?: Partial<TransportCapabilities>;
  /**
   * Stamps `modifiedAt`.
   * @default systemClock()
   */
  readonly clock?: Clock;
}

/**
 * The {@link Transport} that {@link memoryTransport} returns, with a way for tests to look inside.
 *
 * @example
 * const t: MemoryTransport = memoryTransport();
 * await job(t);
 * Object.keys(t.snapshot()); // what the job left behind
 */
export interface MemoryTransport extends Transport {
  /** A copy of every file, by path. */
  snapshot(): Record<string, Uint8Array>;
  /**
   * Puts a file in place from the other side, whatever the capabilities: a bank delivering a new file into a
   * read-only drop box between two runs of a job. Strings are stored as UTF-8.
   */
  deliver(path: string, data: Uint8Array | string): void;
}

/**
 * An in-memory {@link Transport}: the reference implementation of the contract and the test double for jobs.
 * Writes are atomic (unless `capabilities.atomicWrite` is overridden to false); folders exist implicitly
 * while they hold a file.
 *
 * @example
 * const transport = memoryTransport({ files: { 'in/BGMAX.txt': bgmaxBytes } });
 * await transport.list('in'); // [{ name: 'in/BGMAX.txt', size: …, modifiedAt: … }]
 * const dropBox = memoryTransport({ capabilities: { write: false, rename: false, remove: false } });
 * dropBox.deliver('in/BGMAX.2.txt', moreBytes); // the bank drops another file
 */
export function memoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  const name = options.name ?? 'memory';
  const clock = options.clock ?? systemClock();
  const write = options.capabilities?.write ?? true;
  const capabilities: TransportCapabilities = {
    write,
    atomicWrite: write && (options.capabilities?.atomicWrite ?? true),
    rename: options.capabilities?.rename ?? true,
    remove: options.capabilities?.remove ?? true,
  };
  const files = new Map<string, { data: Uint8Array; modifiedAt: string }>();
  for (const [path, data] of Object.entries(options.files ?? {})) {
    files.set(checkPath(path), { data: toBytes(data), modifiedAt: clock.now().toISOString() });
  }
  const missing = (path: string) => portError('not_found', `${name}: no file ${quote(path)}`, { source: path });

  const transport: MemoryTransport = {
    name,
    capabilities,
    async list(folder) {
      const dir = checkFolder(folder);
      const prefix = dir === '' ? '' : `${dir}/`;
      const out: TransportEntry[] = [];
      for (const [path, f] of files) {
        if (path.startsWith(prefix) && !path.includes('/', prefix.length)) {
          out.push({ name: path, size: f.data.length, modifiedAt: f.modifiedAt });
        }
      }
      return out.sort((a, b) => compareCodePoints(a.name, b.name));
    },
    async read(path) {
      const f = files.get(checkPath(path));
      if (f === undefined) throw missing(path);
      return f.data.slice();
    },
    async close() {},
    snapshot: () => Object.fromEntries([...files].map(([p, f]) => [p, f.data.slice()])),
    deliver(path, data) {
      files.set(checkPath(path), { data: toBytes(data), modifiedAt: clock.now().toISOString() });
    },
  };
  if (capabilities.write) {
    transport.write = async (path, data) => {
      checkPath(path);
      const copy = data.slice();
      if (!capabilities.atomicWrite) {
        // simulate a plain upload: the first half is visible before the rest arrives
        files.set(path, { data: copy.slice(0, copy.length >> 1), modifiedAt: clock.now().toISOString() });
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
      files.set(path, { data: copy, modifiedAt: clock.now().toISOString() });
    };
  }
  if (capabilities.rename) {
    transport.rename = async (from, to) => {
      checkPath(from);
      checkPath(to);
      const f = files.get(from);
      if (f === undefined) throw missing(from);
      files.delete(from);
      files.set(to, f);
    };
  }
  if (capabilities.remove) {
    transport.remove = async (path) => {
      if (!files.delete(checkPath(path))) throw missing(path);
    };
  }
  return transport;
}

/**
 * Options for {@link memoryStorage}.
 *
 * @example
 * memoryStorage({ entries: { 'spar/state': '{}' }, clock: manualClock(0), capabilities: { claim: false } });
 */
export interface MemoryStorageOptions {
  /** Initial entries by key; strings are stored as UTF-8. */
  readonly entries?: Readonly<Record<string, Uint8Array | string>>;
  /**
   * Capability overrides: `{ transactions: false }` removes `transaction` (to test {@link withTransaction}'s
   * fallback), `{ claim: false }` removes `claim`.
   * @default all true
   */
  readonly capabilities?: Partial<StorageCapabilities>;
  /**
   * Decides when claims expire.
   * @default systemClock()
   */
  readonly clock?: Clock;
}

/**
 * The {@link Storage} that {@link memoryStorage} returns, with a way for tests to look inside.
 *
 * @example
 * const s: MemoryStorage = memoryStorage();
 * await job(s);
 * Object.keys(s.snapshot());
 */
export interface MemoryStorage extends Storage {
  /** A copy of every entry, by key. */
  snapshot(): Record<string, Uint8Array>;
}

interface Lease {
  readonly owner: string;
  readonly until: number;
  readonly token: number;
}

/**
 * An in-memory {@link Storage}: the reference implementation of the contract and the test double for jobs.
 *
 * - `createIfAbsent` is atomic (JavaScript runs it without interruption).
 * - `transaction` is real: writes go to a private overlay that is applied at commit or dropped on a throw.
 *   Transactions run one at a time (so do not start one inside another: it would wait forever); operations
 *   outside a transaction are not blocked, and a transaction whose read keys were changed by them meanwhile
 *   rejects with `transaction_conflict` at commit, writing nothing.
 * - `claim` leases items with the clock: `manualClock` lets a test expire a lease without waiting.
 *
 * @example
 * const clock = manualClock('2026-11-23T06:00:00Z');
 * const storage = memoryStorage({ clock });
 * await storage.put('queue/a', new Uint8Array([1]));
 * const c = await storage.claim!('queue/', { owner: 'w1', leaseMs: 1000 });
 * clock.advance(1001); // now another worker can claim queue/a
 */
export function memoryStorage(options: MemoryStorageOptions = {}): MemoryStorage {
  const clock = options.clock ?? systemClock();
  const capabilities: StorageCapabilities = {
    transactions: options.capabilities?.transactions ?? true,
    claim: options.capabilities?.claim ?? true,
  };
  const data = new Map<string, Uint8Array>();
  // a change counter per key, for transaction conflict checks (kept after a delete)
  const versions = new Map<string, number>();
  const leases = new Map<string, Lease>();
  let tick = 0;
  const basePut = (key: string, value: Uint8Array) => {
    data.set(key, value);
    versions.set(key, ++tick);
  };
  const baseDelete = (key: string): boolean => {
    leases.delete(key);
    if (!data.delete(key)) return false;
    versions.set(key, ++tick);
    return true;
  };
  for (const [key, value] of Object.entries(options.entries ?? {})) basePut(checkKey(key), toBytes(value));

  const listBase = (prefix: string): string[] =>
    [...data.keys()].filter((k) => k.startsWith(prefix)).sort(compareCodePoints);

  const storage: MemoryStorage = {
    capabilities,
    async get(key) {
      return data.get(checkKey(key))?.slice();
    },
    async put(key, value) {
      basePut(checkKey(key), value.slice());
    },
    async createIfAbsent(key, value) {
      if (data.has(checkKey(key))) return false;
      basePut(key, value.slice());
      return true;
    },
    async delete(key) {
      return baseDelete(checkKey(key));
    },
    async list(prefix) {
      return listBase(checkPrefix(prefix));
    },
    async close() {},
    snapshot: () => Object.fromEntries([...data].map(([k, v]) => [k, v.slice()])),
  };

  if (capabilities.transactions) {
    let queue: Promise<unknown> = Promise.resolve();
    const run = async <T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> => {
      const overlay = new Map<string, Uint8Array | null>(); // null: deleted
      const readVersions = new Map<string, number>();
      let open = true;
      const guard = () => {
        if (!open) throw portError('transaction_closed', 'transaction handle used after its transaction ended');
      };
      const read = (key: string): Uint8Array | undefined => {
        if (overlay.has(key)) return overlay.get(key) ?? undefined;
        if (!readVersions.has(key)) readVersions.set(key, versions.get(key) ?? 0);
        return data.get(key);
      };
      const tx: StorageTx = {
        async get(key) {
          guard();
          return read(checkKey(key))?.slice();
        },
        async put(key, value) {
          guard();
          overlay.set(checkKey(key), value.slice());
        },
        async createIfAbsent(key, value) {
          guard();
          if (read(checkKey(key)) !== undefined) return false;
          overlay.set(key, value.slice());
          return true;
        },
        async delete(key) {
          guard();
          const had = read(checkKey(key)) !== undefined;
          overlay.set(key, null);
          return had;
        },
        async list(prefix) {
          guard();
          const keys = new Set(listBase(checkPrefix(prefix)));
          for (const [k, v] of overlay) {
            if (!k.startsWith(prefix)) continue;
            if (v === null) keys.delete(k);
            else keys.add(k);
          }
          return [...keys].sort(compareCodePoints);
        },
      };
      let result: T;
      try {
        result = await fn(tx);
      } finally {
        open = false;
      }
      for (const [key, version] of readVersions) {
        if ((versions.get(key) ?? 0) !== version) {
          throw portError('transaction_conflict', `key ${quote(key)} changed outside the transaction`, {
            source: key,
          });
        }
      }
      for (const [key, value] of overlay) {
        if (value === null) baseDelete(key);
        else basePut(key, value);
      }
      return result;
    };
    storage.transaction = <T>(fn: (tx: StorageTx) => Promise<T>): Promise<T> => {
      const p = queue.then(() => run(fn));
      queue = p.catch(() => undefined);
      return p;
    };
  }

  if (capabilities.claim) {
    let seq = 0;
    storage.claim = async (prefix: string, claimOptions: ClaimOptions): Promise<Claim | undefined> => {
      checkPrefix(prefix);
      const { owner, leaseMs = DEFAULT_LEASE_MS } = claimOptions;
      if (typeof owner !== 'string' || owner === '') {
        throw portError('invalid_option', 'claim: owner must be a non-empty string');
      }
      if (!(Number.isFinite(leaseMs) && leaseMs > 0)) {
        throw portError('invalid_option', `claim: leaseMs must be a positive number, got ${String(leaseMs)}`);
      }
      const now = clock.now().getTime();
      for (const key of listBase(prefix)) {
        const lease = leases.get(key);
        if (lease !== undefined && lease.until > now) continue;
        const token = ++seq;
        leases.set(key, { owner, until: now + leaseMs, token });
        const value = data.get(key)!.slice();
        const lost = () =>
          portError('claim_lost', `claim on ${quote(key)} by ${quote(owner)} was lost`, { source: key });
        return {
          key,
          value,
          async complete() {
            if (leases.get(key)?.token !== token) throw lost();
            baseDelete(key);
          },
          async release() {
            if (leases.get(key)?.token === token) leases.delete(key);
          },
        };
      }
      return undefined;
    };
  }
  return storage;
}
