import { quote } from './_util.js';
import { portError } from './errors.js';
import type { Claim, Storage, StorageTx } from './storage.js';
import type { Transport } from './transport.js';

/**
 * What a fault rule decides for one call: `false` lets it through; `true` or `'before'` fails it before it
 * reaches the wrapped port (the operation did not happen); `'after'` runs it and then fails (the operation
 * happened but the caller never heard: a connection lost before the reply).
 *
 * @example
 * const failOn = (op: TransportOp): FaultDecision => (op === 'rename' ? 'after' : false);
 */
export type FaultDecision = boolean | 'before' | 'after';

/**
 * The transport operations {@link faultyTransport} can fail.
 *
 * @example
 * faultyTransport(t, { failOn: (op: TransportOp) => op === 'remove' });
 */
export type TransportOp = 'list' | 'read' | 'write' | 'rename' | 'remove' | 'close';
/**
 * The storage operations {@link faultyStorage} can fail (operations on a transaction handle included).
 *
 * @example
 * faultyStorage(s, { failOn: (op: StorageOp, key) => op === 'put' && key.startsWith('spar/') });
 */
export type StorageOp =
  | 'get'
  | 'put'
  | 'createIfAbsent'
  | 'delete'
  | 'list'
  | 'transaction'
  | 'claim'
  | 'complete'
  | 'release'
  | 'close';

/**
 * One call seen by a faulty wrapper.
 *
 * @example
 * const failed = t.calls.filter((c) => c.failed !== false);
 */
export interface FaultCall<Op extends string> {
  readonly op: Op;
  /** The path, folder (`''` for the root), `from` of a rename, key, prefix, or `''` where there is none. */
  readonly path: string;
  /** 0-based position among all calls through this wrapper. */
  readonly index: number;
  /** Whether this call was failed, and when. */
  readonly failed: false | 'before' | 'after';
}

/**
 * Options for {@link faultyTransport}.
 *
 * @example
 * faultyTransport(t, { failOn: (_op, _path, i) => i === 3 }); // fail the fourth call
 */
export interface FaultyTransportOptions {
  /**
   * Called before every operation with the operation, its path (see {@link FaultCall.path}) and the call's
   * 0-based index among all calls through the wrapper; returns whether to fail it.
   */
  readonly failOn: (op: TransportOp, path: string, callIndex: number) => FaultDecision;
}

/**
 * Options for {@link faultyStorage}.
 *
 * @example
 * faultyStorage(s, { failOn: (op) => op === 'complete' });
 */
export interface FaultyStorageOptions {
  /** As for {@link FaultyTransportOptions.failOn}, with storage operations and keys (prefixes for `list`/`claim`). */
  readonly failOn: (op: StorageOp, key: string, callIndex: number) => FaultDecision;
}

/**
 * A port wrapped by a faulty wrapper, with the calls it has seen.
 *
 * @example
 * const t: Faulty<Transport> = faultyTransport(memoryTransport(), { failOn: () => false });
 * await job(t);
 * t.calls.length; // the job's steps
 */
export type Faulty<P> = P & {
  /** Every call so far, in order: to count a job's steps, then re-run it failing at each one. */
  readonly calls: readonly FaultCall<string>[];
};

function injector<Op extends string>(
  failOn: (op: Op, path: string, index: number) => FaultDecision,
  calls: FaultCall<Op>[],
) {
  return async <R>(op: Op, path: string, run: () => Promise<R>): Promise<R> => {
    const index = calls.length;
    const d = failOn(op, path, index);
    const failed = d === 'after' ? 'after' : d === true || d === 'before' ? 'before' : false;
    calls.push({ op, path, index, failed });
    const fault = () =>
      portError('injected_fault', `injected fault (${failed}): ${op} ${quote(path)} (call #${index})`, {
        source: path,
      });
    if (failed === 'before') throw fault();
    const result = await run();
    if (failed === 'after') throw fault();
    return result;
  };
}

/**
 * Wraps a transport so chosen calls fail with a NordfilError of code `injected_fault`: for testing that a job
 * survives a crash at any step and that re-running it is harmless. The wrapper has the same capabilities and
 * optional methods as `inner`.
 *
 * @example
 * // fail the upload after it happened, as if the connection dropped before the reply
 * const t = faultyTransport(memoryTransport(), { failOn: (op) => (op === 'write' ? 'after' : false) });
 * await expect(runExport({ transport: t, … })).rejects.toMatchObject({ code: 'injected_fault' });
 * // then count the steps and fail each in turn:
 * for (let i = 0; i < t.calls.length; i++) { … failOn: (_op, _p, n) => n === i … }
 */
export function faultyTransport(inner: Transport, options: FaultyTransportOptions): Faulty<Transport> {
  const calls: FaultCall<TransportOp>[] = [];
  const inject = injector(options.failOn, calls);
  const t: Transport & { calls: readonly FaultCall<TransportOp>[] } = {
    name: inner.name,
    capabilities: inner.capabilities,
    calls,
    list: (folder) => inject('list', folder ?? '', () => inner.list(folder)),
    read: (path) => inject('read', path, () => inner.read(path)),
  };
  const { write, rename, remove, close } = inner;
  if (write) t.write = (path, data) => inject('write', path, () => write.call(inner, path, data));
  if (rename) t.rename = (from, to) => inject('rename', from, () => rename.call(inner, from, to));
  if (remove) t.remove = (path) => inject('remove', path, () => remove.call(inner, path));
  if (close) t.close = () => inject('close', '', () => close.call(inner));
  return t;
}

/**
 * Wraps a storage so chosen calls fail with a NordfilError of code `injected_fault`. Calls on a transaction
 * handle and on a claim go through `failOn` too (`'complete'`, `'release'` with the claim's key). The wrapper
 * has the same capabilities and optional methods as `inner`.
 *
 * @example
 * // crash after the file is recorded as imported but before its payments are stored
 * const s = faultyStorage(memoryStorage(), { failOn: (op, key) => op === 'put' && key.startsWith('bgmax/payments/') });
 */
export function faultyStorage(inner: Storage, options: FaultyStorageOptions): Faulty<Storage> {
  const calls: FaultCall<StorageOp>[] = [];
  const inject = injector(options.failOn, calls);
  const ops = (target: StorageTx): StorageTx => ({
    get: (key) => inject('get', key, () => target.get(key)),
    put: (key, value) => inject('put', key, () => target.put(key, value)),
    createIfAbsent: (key, value) => inject('createIfAbsent', key, () => target.createIfAbsent(key, value)),
    delete: (key) => inject('delete', key, () => target.delete(key)),
    list: (prefix) => inject('list', prefix, () => target.list(prefix)),
  });
  const s: Storage & { calls: readonly FaultCall<StorageOp>[] } = {
    ...ops(inner),
    capabilities: inner.capabilities,
    calls,
  };
  const { claim, close } = inner;
  if (inner.transaction) {
    s.transaction = <T>(fn: (tx: StorageTx) => Promise<T>) =>
      inject('transaction', '', () => inner.transaction!<T>((tx) => fn(ops(tx))));
  }
  if (claim) {
    s.claim = (prefix, claimOptions) =>
      inject('claim', prefix, async () => {
        const c = await claim.call(inner, prefix, claimOptions);
        if (c === undefined) return undefined;
        const wrapped: Claim = {
          key: c.key,
          value: c.value,
          complete: () => inject('complete', c.key, () => c.complete()),
          release: () => inject('release', c.key, () => c.release()),
        };
        return wrapped;
      });
  }
  if (close) s.close = () => inject('close', '', () => close.call(inner));
  return s;
}
