import { quote } from './_util.js';
import { portError } from './errors.js';
import { compareCodePoints } from './order.js';
import { checkKey, checkPrefix, type Storage, type StorageTx } from './storage.js';

type Pending =
  | { readonly kind: 'put'; readonly value: Uint8Array }
  | { readonly kind: 'create'; readonly value: Uint8Array }
  | { readonly kind: 'delete' }
  // created and then deleted inside the transaction: nothing to do at commit, but reads see no value
  | { readonly kind: 'gone' };

/**
 * Runs `fn` with a transaction handle on any storage.
 *
 * - When the storage has the `transactions` capability, this is `storage.transaction(fn)`: all-or-nothing,
 *   isolated, as the backend guarantees.
 * - Otherwise it runs a **buffered, best-effort** fallback. Reads go to the storage, writes are kept in memory
 *   (reads inside `fn` see them), and nothing is written until `fn` resolves; if `fn` rejects nothing is
 *   written, as with a real transaction. At the end, the buffered `createIfAbsent`s are applied first, each
 *   with the storage's own `createIfAbsent`: if another writer created one of those keys meanwhile, the keys
 *   this commit already created are deleted again and the call rejects with `transaction_conflict` (nothing
 *   else written). Then puts and deletes are applied one by one. Unlike a real transaction, a crash or a
 *   failing write during that last step leaves some writes applied and others not, other readers can see
 *   the writes appear one at a time, and a concurrent `put` to a key `fn` read is not detected.
 *
 * Jobs that must be crash-safe on a storage without transactions should order their writes so that each
 * prefix of them is a valid state (write the data, then the "done" marker).
 *
 * @example
 * await withTransaction(storage, async (tx) => {
 *   if (!(await tx.createIfAbsent(`bgmax/files/${sha}`, marker))) return false;
 *   await putJson(tx, `bgmax/deposits/${sha}`, deposits);
 *   return true;
 * });
 */
export async function withTransaction<T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> {
  if (storage.capabilities.transactions && storage.transaction) return storage.transaction(fn);
  return bufferedTransaction(storage, fn);
}

async function bufferedTransaction<T>(storage: Storage, fn: (tx: StorageTx) => Promise<T>): Promise<T> {
  const pending = new Map<string, Pending>();
  let open = true;
  const guard = () => {
    if (!open) throw portError('transaction_closed', 'transaction handle used after its transaction ended');
  };
  const tx: StorageTx = {
    async get(key) {
      guard();
      checkKey(key);
      const p = pending.get(key);
      if (p === undefined) return storage.get(key);
      return p.kind === 'put' || p.kind === 'create' ? p.value.slice() : undefined;
    },
    async put(key, value) {
      guard();
      checkKey(key);
      const p = pending.get(key);
      // a key this transaction created must still be created (not overwritten) at commit
      pending.set(key, { kind: p?.kind === 'create' ? 'create' : 'put', value: value.slice() });
    },
    async createIfAbsent(key, value) {
      guard();
      checkKey(key);
      const p = pending.get(key);
      if (p?.kind === 'put' || p?.kind === 'create') return false;
      if (p?.kind === 'delete') {
        pending.set(key, { kind: 'put', value: value.slice() });
        return true;
      }
      if (p?.kind === 'gone') {
        pending.set(key, { kind: 'create', value: value.slice() });
        return true;
      }
      if ((await storage.get(key)) !== undefined) return false;
      pending.set(key, { kind: 'create', value: value.slice() });
      return true;
    },
    async delete(key) {
      guard();
      checkKey(key);
      const p = pending.get(key);
      if (p?.kind === 'create') {
        pending.set(key, { kind: 'gone' });
        return true;
      }
      if (p?.kind === 'put') {
        pending.set(key, { kind: 'delete' });
        return true;
      }
      if (p !== undefined) return false;
      if ((await storage.get(key)) === undefined) return false;
      pending.set(key, { kind: 'delete' });
      return true;
    },
    async list(prefix) {
      guard();
      checkPrefix(prefix);
      const keys = new Set(await storage.list(prefix));
      for (const [key, p] of pending) {
        if (!key.startsWith(prefix)) continue;
        if (p.kind === 'put' || p.kind === 'create') keys.add(key);
        else keys.delete(key);
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

  const entries = [...pending].sort(([a], [b]) => compareCodePoints(a, b));
  const created: string[] = [];
  for (const [key, p] of entries) {
    if (p.kind !== 'create') continue;
    if (await storage.createIfAbsent(key, p.value)) {
      created.push(key);
      continue;
    }
    for (const k of created) await storage.delete(k);
    throw portError('transaction_conflict', `key ${quote(key)} was created by another writer during the transaction`, {
      source: key,
    });
  }
  for (const [key, p] of entries) {
    if (p.kind === 'put') await storage.put(key, p.value);
    else if (p.kind === 'delete') await storage.delete(key);
  }
  return result;
}
