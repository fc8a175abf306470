import { NordfilError } from '@nordfil/core';
import { memoryStorage, type Storage, type StorageOps } from '@nordfil/ports';
import { describe, expect, it } from 'vitest';
import { file, inv, jobContext } from '../test/helpers.js';
import {
  type AsyncInvoiceLookup,
  buildInvoiceIndex,
  getRecord,
  importPaymentFile,
  type MatchingJobContext,
  markManual,
  retry,
} from './index.js';

const NO_MATCH = 'BGMAX_20261123.txt#3'; // Error/No Match; with reference F-1004 it is Complete
const OTHER = 'BGMAX_20261123.txt#5'; // Error/No Match as well
const FILE = file('BGMAX_20261123.txt', [
  { reference: '99999', amount: '50.00' },
  { reference: '88888', amount: '70.00' },
]);
const FIX = { [NO_MATCH]: { reference: 'F-1004' } };

type Hook = () => Promise<void>;

/**
 * A storage that runs `hook` (once, when armed) right after the next read of `key` returned to its caller:
 * a competing update between the caller's load and its write.
 */
function interleaving(inner: Storage) {
  let armed: { key: string; hook: Hook } | undefined;
  const storage: Storage = {
    ...inner,
    capabilities: inner.capabilities,
    async get(key) {
      const value = await inner.get(key);
      if (armed !== undefined && armed.key === key) {
        const { hook } = armed;
        armed = undefined;
        await hook();
      }
      return value;
    },
  };
  if (inner.transaction) {
    // the transaction's own reads are the re-read before the write: they must not run the hook
    storage.transaction = <T>(fn: (tx: StorageOps) => Promise<T>) => inner.transaction!(fn);
  }
  return {
    storage,
    arm(key: string, hook: Hook) {
      armed = { key, hook };
    },
  };
}

async function setup(inner: Storage) {
  const index = buildInvoiceIndex([inv(1001), inv(1004, { open: '50.00' })]);
  let onLookup: Hook | undefined;
  const runHook = async () => {
    const hook = onLookup;
    onLookup = undefined;
    if (hook) await hook();
  };
  // runs a hook (once) while the workflow fetches its invoice snapshot: after Retry is stored, before deciding
  const lookup: AsyncInvoiceLookup = {
    async byOcr(key) {
      await runHook();
      return index.byOcr(key);
    },
    async byInvoiceNumber(key) {
      await runHook();
      return index.byInvoiceNumber(key);
    },
  };
  const { storage, arm } = interleaving(inner);
  const { ctx, registrar, log } = jobContext(storage, lookup);
  await importPaymentFile(ctx, FILE);
  // the competitor works on the plain storage, with its own registrar view of the same host
  const other: MatchingJobContext = { ...ctx, storage: inner };
  return {
    ctx,
    other,
    registrar,
    log,
    arm,
    duringLookup(hook: Hook) {
      onLookup = hook;
    },
  };
}

async function rejection(p: Promise<unknown>): Promise<NordfilError> {
  try {
    await p;
  } catch (e) {
    if (NordfilError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

const key = (id: string) => `matching/records/${id}`;

describe.each([
  ['with transactions', true],
  ['without transactions', false],
])('retry and markManual refuse a record changed since it was loaded (%s)', (_name, transactions) => {
  const store = () => memoryStorage({ capabilities: { transactions } });

  it('starts every record at revision 0 and counts each change', async () => {
    const inner = store();
    const { ctx } = await setup(inner);
    expect((await getRecord(inner, NO_MATCH))?.revision).toBe(1); // created (0), decided Error (1)
    const [r] = await retry(ctx, { paymentIds: [NO_MATCH], actor: 'anna', corrections: FIX });
    expect(r).toMatchObject({ status: 'Complete', revision: 3 }); // Retry (2), Complete (3)
    expect((await getRecord(inner, NO_MATCH))?.revision).toBe(3);
  });

  it('retry after someone set Manual meanwhile: concurrent_update, nothing written, nothing registered', async () => {
    const inner = store();
    const { ctx, other, registrar, arm } = await setup(inner);
    arm(key(NO_MATCH), async () => {
      await markManual(other, { paymentIds: [NO_MATCH], actor: 'bo', comment: 'booked by hand' });
    });
    const before = registrar.calls.length;
    const err = await rejection(retry(ctx, { paymentIds: [NO_MATCH], actor: 'anna', corrections: FIX }));
    expect(err.code).toBe('concurrent_update');
    expect(err.issues[0]).toMatchObject({
      code: 'concurrent_update',
      field: NO_MATCH,
      expected: 'Error (revision 1)',
      actual: 'Manual (revision 2)',
    });
    expect(err.message).toMatch(/payment BGMAX_20261123\.txt#3 .*expected status Error.*found Manual/);
    const stored = await getRecord(inner, NO_MATCH);
    expect(stored).toMatchObject({ status: 'Manual', comment: 'booked by hand', reference: '99999', revision: 2 });
    expect(stored?.history.map((h) => `${h.from}→${h.to} by ${h.actor}`)).toEqual([
      '→Error by workflow',
      'Error→Manual by bo',
    ]);
    expect(registrar.calls.length).toBe(before);
    expect(await inner.get(`matching/registrations/${NO_MATCH}`)).toBeUndefined();
  });

  it('markManual after someone retried meanwhile: concurrent_update, the Retry and its registration stand', async () => {
    const inner = store();
    const { ctx, other, registrar, arm } = await setup(inner);
    arm(key(NO_MATCH), async () => {
      await retry(other, { paymentIds: [NO_MATCH], actor: 'anna', corrections: FIX });
    });
    const err = await rejection(markManual(ctx, { paymentIds: [NO_MATCH], actor: 'bo', comment: 'by hand' }));
    expect(err.issues[0]).toMatchObject({
      code: 'concurrent_update',
      field: NO_MATCH,
      expected: 'Error (revision 1)',
      actual: 'Complete (revision 3)',
    });
    const stored = await getRecord(inner, NO_MATCH);
    expect(stored).toMatchObject({ status: 'Complete', createdPayment: 'PMT-1', revision: 3 });
    expect(stored?.history.map((h) => h.to)).toEqual(['Error', 'Retry', 'Complete']);
    expect(registrar.registrations.size).toBe(1);
  });

  it('a refused call writes nothing for any of its records, also those that did not change', async () => {
    const inner = store();
    const { ctx, other, registrar, arm } = await setup(inner);
    arm(key(OTHER), async () => {
      await markManual(other, { paymentIds: [OTHER], actor: 'bo' });
    });
    const untouched = await inner.get(key(NO_MATCH));
    const err = await rejection(retry(ctx, { paymentIds: [NO_MATCH, OTHER], actor: 'anna', corrections: FIX }));
    expect(err.issues.map((i) => [i.code, i.field])).toEqual([['concurrent_update', OTHER]]);
    expect(await inner.get(key(NO_MATCH))).toEqual(untouched);
    expect(registrar.calls).toHaveLength(0);
  });

  it('markManual on several records: one changed meanwhile refuses them all', async () => {
    const inner = store();
    const { ctx, other, arm } = await setup(inner);
    arm(key(OTHER), async () => {
      await retry(other, { paymentIds: [OTHER], actor: 'anna', corrections: { [OTHER]: { reference: 'F-1001' } } });
    });
    const untouched = await inner.get(key(NO_MATCH));
    const err = await rejection(markManual(ctx, { paymentIds: [NO_MATCH, OTHER], actor: 'bo' }));
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ code: 'concurrent_update', field: OTHER, expected: 'Error (revision 1)' });
    expect(await inner.get(key(NO_MATCH))).toEqual(untouched);
  });

  it('a record set to Manual while the workflow decides it is left Manual and not registered', async () => {
    const inner = store();
    const { ctx, other, registrar, log, duringLookup } = await setup(inner);
    duringLookup(async () => {
      // the Retry is stored; a colleague takes the record over before the workflow decides it
      await markManual(other, { paymentIds: [NO_MATCH], actor: 'bo', comment: 'booked by hand' });
    });
    const [r] = await retry(ctx, { paymentIds: [NO_MATCH], actor: 'anna', corrections: FIX });
    expect(r).toMatchObject({ status: 'Manual', comment: 'booked by hand' });
    expect(registrar.calls).toHaveLength(0);
    const stored = await getRecord(inner, NO_MATCH);
    expect(stored?.history.map((h) => h.to)).toEqual(['Error', 'Retry', 'Manual']);
    expect(stored?.createdPayment).toBeUndefined();
    expect(log.codes()).toContain('concurrent_update');
  });

  it('markManual is refused while a registration is stored but its record is not yet', async () => {
    const inner = store();
    const { ctx, other, registrar } = await setup(inner);
    let refused: NordfilError | undefined;
    // the host has answered and the marker is stored; the record's write has not happened yet
    const markerFirst: Storage = {
      ...inner,
      async createIfAbsent(k, v) {
        const created = await inner.createIfAbsent(k, v);
        if (k === `matching/registrations/${NO_MATCH}`) {
          refused = await rejection(markManual(other, { paymentIds: [NO_MATCH], actor: 'bo' }));
        }
        return created;
      },
    };
    const [r] = await retry(
      { ...ctx, storage: markerFirst },
      { paymentIds: [NO_MATCH], actor: 'anna', corrections: FIX },
    );
    expect(refused?.issues[0]).toMatchObject({ code: 'concurrent_update', field: NO_MATCH, actual: 'Complete' });
    expect(r).toMatchObject({ status: 'Complete', createdPayment: 'PMT-1' });
    expect((await getRecord(inner, NO_MATCH))?.status).toBe('Complete');
    expect(registrar.calls).toHaveLength(1);
  });

  it('treats a record stored before revisions were kept as revision 0', async () => {
    const inner = store();
    const { ctx } = await setup(inner);
    const stored = JSON.parse(new TextDecoder().decode(await inner.get(key(NO_MATCH)))) as Record<string, unknown>;
    const { revision: _dropped, ...old } = stored;
    await inner.put(key(NO_MATCH), new TextEncoder().encode(JSON.stringify(old)));
    expect((await getRecord(inner, NO_MATCH))?.revision).toBe(0);
    const [r] = await markManual(ctx, { paymentIds: [NO_MATCH], actor: 'bo' });
    expect(r?.revision).toBe(1);
  });
});

describe('two retry calls at once (Promise.all)', () => {
  it('with transactions: one wins, the other gets concurrent_update, the payment is registered once', async () => {
    const inner = memoryStorage();
    const { ctx, registrar } = await setup(inner);
    const results = await Promise.allSettled([
      retry(ctx, { paymentIds: [NO_MATCH], actor: 'anna', corrections: FIX }),
      retry(ctx, { paymentIds: [NO_MATCH], actor: 'bo', corrections: FIX }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'concurrent_update' });
    expect(registrar.calls.filter((c) => c.paymentId === NO_MATCH)).toHaveLength(1);
    expect(registrar.registrations.size).toBe(1);
    const stored = await getRecord(inner, NO_MATCH);
    expect(stored).toMatchObject({ status: 'Complete', createdPayment: 'PMT-1' });
    expect(stored?.history.map((h) => h.to)).toEqual(['Error', 'Retry', 'Complete']);
  });

  it('without transactions: the host still creates one payment (idempotency key) and the record says so', async () => {
    const inner = memoryStorage({ capabilities: { transactions: false } });
    const { ctx, registrar } = await setup(inner);
    await Promise.allSettled([
      retry(ctx, { paymentIds: [NO_MATCH], actor: 'anna', corrections: FIX }),
      retry(ctx, { paymentIds: [NO_MATCH], actor: 'bo', corrections: FIX }),
    ]);
    expect(registrar.registrations.size).toBe(1);
    expect(new Set(registrar.calls.map((c) => c.idempotencyKey))).toEqual(new Set([NO_MATCH]));
    expect(await getRecord(inner, NO_MATCH)).toMatchObject({ status: 'Complete', createdPayment: 'PMT-1' });
  });
});
