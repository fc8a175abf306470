import { isWellFormed, quote } from './_util.js';
import { portError } from './errors.js';

/**
 * The operations every {@link Storage} has, and all that a transaction handle ({@link StorageTx}) has.
 * Helpers such as {@link getJson} take this type, so they work on a storage and inside a transaction alike.
 *
 * Keys are checked with {@link checkKey} (non-empty, at most 512 code points, no control characters): a
 * bad key rejects with code `invalid_key`. Values are bytes; an empty array is a value, distinct from absent.
 *
 * @example
 * async function remember(s: StorageOps, sha: string, bytes: Uint8Array) {
 *   return s.createIfAbsent(`bgmax/files/${sha}`, bytes);
 * }
 */
export interface StorageOps {
  /** The value under `key`, or `undefined` when there is none. The array belongs to the caller. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Creates or replaces the value under `key`. The caller may reuse `value` once the promise resolves. */
  put(key: string, value: Uint8Array): Promise<void>;
  /**
   * Stores `value` only if `key` has no value, atomically: resolves `true` if this call created it, `false`
   * if the key existed (its value is left unchanged). With any number of concurrent callers, on any number
   * of machines sharing the backend, exactly one gets `true`. This is the dedupe primitive every import
   * job relies on ("has this file been imported?").
   */
  createIfAbsent(key: string, value: Uint8Array): Promise<boolean>;
  /** Deletes `key`: `true` if it had a value, `false` if there was nothing to delete. */
  delete(key: string): Promise<boolean>;
  /**
   * Every key that starts with `prefix` (a plain string prefix, `''` for all keys), sorted in code point
   * order ({@link compareCodePoints}; PostgreSQL: `COLLATE "C"`). Keys only: fetch values with `get`.
   */
  list(prefix: string): Promise<string[]>;
}

/**
 * The handle a {@link Storage.transaction} callback receives: the same operations as {@link StorageOps},
 * applied all together at commit, or not at all. Reads see the transaction's own writes. The handle must
 * not be used after the callback's promise settles (it rejects with `transaction_closed`).
 *
 * @example
 * await storage.transaction!(async (tx) => { await tx.put('a', x); await tx.delete('b') });
 */
export type StorageTx = StorageOps;

/**
 * What a {@link Storage} can do beyond the required operations. Each flag is true exactly when the matching
 * method is present; the contract suite checks this.
 *
 * @example
 * if (storage.capabilities.claim) { const c = await storage.claim!('spar/queue/', { owner: 'worker-1' }) }
 */
export interface StorageCapabilities {
  /** `transaction()` is present and really all-or-nothing. */
  readonly transactions: boolean;
  /** `claim()` is present. */
  readonly claim: boolean;
}

/**
 * Options for {@link Storage.claim}.
 *
 * @example
 * await storage.claim!('spar/queue/', { owner: `${hostname}:${pid}`, leaseMs: 60_000 });
 */
export interface ClaimOptions {
  /** Who claims: a worker id for diagnostics (`host:pid`). */
  readonly owner: string;
  /**
   * How long the claim holds, in milliseconds; after that another worker may claim the item (the owner
   * crashed, presumably).
   * @default 300_000 (five minutes, {@link DEFAULT_LEASE_MS})
   */
  readonly leaseMs?: number;
}

/**
 * Default lease of a {@link Claim}: five minutes.
 *
 * @example
 * await storage.claim!('q/', { owner: 'w1', leaseMs: DEFAULT_LEASE_MS * 2 });
 */
export const DEFAULT_LEASE_MS = 300_000;

/**
 * One work item claimed from a queue by {@link Storage.claim}.
 *
 * @example
 * const c = await storage.claim!('lindorff/outbox/', { owner: 'w1' });
 * if (c) { await send(c.value); await c.complete() }
 */
export interface Claim {
  /** The item's key (it starts with the claimed prefix). */
  readonly key: string;
  /** The item's value when it was claimed. */
  readonly value: Uint8Array;
  /**
   * The work is done: deletes the item, so it is never claimed again (`get(key)` gives `undefined`).
   * Rejects with `claim_lost` when the lease expired and another worker has claimed the item since (the
   * item is then left to that worker), or when the claim was already completed or released.
   */
  complete(): Promise<void>;
  /** Gives the item back: it can be claimed again at once. Does nothing when the claim was already lost. */
  release(): Promise<void>;
}

/**
 * Key → bytes storage that jobs keep their state in: imported-file records (`bgmax/files/<sha256>`),
 * decisions, queues. The required operations ({@link StorageOps}) are what every backend can do; transactions
 * and work-queue claims are optional capabilities ({@link StorageCapabilities}).
 *
 * Every method reports failure by rejecting its promise.
 *
 * @example
 * const fresh = await storage.createIfAbsent(`bgmax/files/${sha}`, bytes);
 * if (!fresh) return; // imported before: re-running the job is harmless
 */
export interface Storage extends StorageOps {
  /** Which optional methods are present. */
  readonly capabilities: StorageCapabilities;
  /**
   * Runs `fn` in a transaction: if `fn` resolves, all its writes are committed together and its value is
   * returned; if it rejects, nothing it wrote is kept and the rejection is passed on. Writes are not visible
   * outside before commit. The backend may reject with `transaction_conflict` when a concurrent writer
   * interfered; such a transaction wrote nothing and can be retried. Do not start a transaction inside
   * another, nor use the outer storage inside `fn`: use the handle (a backend may deadlock otherwise).
   */
  transaction?<T>(fn: (tx: StorageTx) => Promise<T>): Promise<T>;
  /**
   * Claims one unclaimed item whose key starts with `prefix` (the first in key order), for `leaseMs`; resolves
   * `undefined` when every item is claimed or there is none. Concurrent claimers on any number of machines get
   * distinct items (PostgreSQL: `FOR UPDATE SKIP LOCKED`). Claims are not visible through `get` or `list`: a
   * claimed item is still listed. An item whose lease expired can be claimed again.
   */
  claim?(prefix: string, options: ClaimOptions): Promise<Claim | undefined>;
  /** Releases connections. Idempotent: a second call does nothing. */
  close?(): Promise<void>;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Longest key {@link checkKey} accepts, in Unicode code points.
 *
 * @example
 * if (key.length > MAX_KEY_LENGTH) key = `long/${sha256(key)}`;
 */
export const MAX_KEY_LENGTH = 512;

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function checkKeyish(key: string, what: 'key' | 'prefix'): string {
  const refuse = (why: string): never => {
    throw portError('invalid_key', `invalid storage ${what} ${quote(String(key))}: ${why}`, {
      source: quote(String(key)),
    });
  };
  if (typeof key !== 'string') return refuse('not a string');
  if (key === '' && what === 'key') refuse('empty');
  if (key.length > MAX_KEY_LENGTH && codePointLength(key) > MAX_KEY_LENGTH) {
    refuse(`longer than ${MAX_KEY_LENGTH} characters`);
  }
  if (CONTROL.test(key)) refuse('control character');
  if (!isWellFormed(key)) refuse('lone surrogate');
  return key;
}

/**
 * Checks a storage key and returns it, or throws a NordfilError with code `invalid_key`: it must be a
 * non-empty string of at most {@link MAX_KEY_LENGTH} code points without control characters or lone
 * surrogates. Any other character is allowed; `/` is only a convention (`bgmax/files/<sha256>`).
 *
 * @example
 * checkKey('bgmax/files/9f86d0...'); // returns the key
 * checkKey(''); // throws NordfilError { code: 'invalid_key' }
 */
export function checkKey(key: string): string {
  return checkKeyish(key, 'key');
}

/**
 * Checks a `list()` or `claim()` prefix: like {@link checkKey}, but `''` (everything) is allowed.
 *
 * @example
 * checkPrefix(''); // ''
 */
export function checkPrefix(prefix: string): string {
  return checkKeyish(prefix, 'prefix');
}
