import { fc, test } from '@fast-check/vitest';
import {
  type FaultDecision,
  faultyStorage,
  faultyTransport,
  fixedClock,
  isPortError,
  memoryStorage,
  memoryTransport,
  nullLog,
  type Storage,
  type Transport,
} from '@nordfil/ports';
import { describe, expect, it } from 'vitest';
import { paid, receiptFile, settlementFile } from '../test/agency.js';
import { claim, d, definition, kidFor, OTHER_ACCOUNT, ocrPayment } from '../test/fixtures.js';
import { addToCollectionList, type ExchangeContext, queueCorrections, runExchange, storageOcrLedger } from './index.js';

const DAY1 = fixedClock('2026-11-20T05:00:00Z');
const DAY2 = fixedClock('2026-11-24T05:00:00Z');
const text = (m: Record<string, Uint8Array>) =>
  Object.fromEntries(Object.entries(m).map(([k, v]) => [k, Buffer.from(v).toString('latin1')]));

/** The state before the run under test: an LS file to build, an RD file queued, agency files waiting. */
async function initialState() {
  const storage = memoryStorage({ clock: DAY1 });
  const transport = memoryTransport({ clock: DAY1 });
  const day1: ExchangeContext = { storage, transport, clock: DAY1, log: nullLog(), definition };
  await addToCollectionList(day1, claim('1001'), { collectionDate: d('2026-11-19') });
  await addToCollectionList(day1, claim('1002'), { collectionDate: d('2026-11-19') });
  await runExchange(day1, { autoExport: true });
  await addToCollectionList(day1, claim('1003'), { collectionDate: d('2026-11-23') });
  await addToCollectionList(day1, claim('1004'), { collectionDate: d('2026-11-24') });
  await storageOcrLedger(storage).record({
    fileId: 'OCR.20261123',
    from: d('2026-11-20'),
    to: d('2026-11-23'),
    payments: [ocrPayment('OCR.20261123#7', kidFor('1002'), '300', '2026-11-22', OTHER_ACCOUNT)],
  });
  await queueCorrections({ ...day1, clock: fixedClock('2026-11-23T12:00:00Z') }, { cutoff: d('2026-11-23') });
  const k = receiptFile('2026-11-21T05:00:00Z', [
    { caseRef: '1001', agencyRef: 'L-1', status: 'accepted', registeredDate: d('2026-11-21') },
    { caseRef: '1002', agencyRef: 'L-2', status: 'accepted', registeredDate: d('2026-11-21') },
  ]);
  transport.deliver(`ut/${k.name}`, k.bytes);
  transport.deliver('ut/Kvitt_K12345_20261121060001', k.bytes); // the same content again
  const a = settlementFile('2026-11-23T05:00:00Z', [paid('1001', 'L-1', 'OPPG', '21.50'), paid('1002', 'L-2', 'DELB')]);
  transport.deliver(`ut/${a.name}`, a.bytes);
  transport.deliver('ut/Avsl_K12345_20261123070000', 'H;ERP-COLL;1;AV;12345;;20261123070000;1;latin1\nT;9;A;0;0\n');
  return { storage: storage.snapshot(), transport: transport.snapshot() };
}

const initial = await initialState();

function fresh() {
  return {
    storage: memoryStorage({ clock: DAY2, entries: initial.storage }),
    transport: memoryTransport({ clock: DAY2, files: initial.transport }),
  };
}
const run = (storage: Storage, transport: Transport) =>
  runExchange({ storage, transport, clock: DAY2, log: nullLog(), definition }, { autoExport: true });

async function reference() {
  const w = fresh();
  const s = faultyStorage(w.storage, { failOn: () => false });
  const t = faultyTransport(w.transport, { failOn: () => false });
  await run(s, t);
  return {
    end: { storage: text(w.storage.snapshot()), transport: text(w.transport.snapshot()) },
    storageCalls: s.calls.length,
    transportCalls: t.calls.length,
    writes: t.calls.filter((c) => c.op === 'write').map((c) => c.path),
  };
}
const ref = await reference();

/** Runs with a fault at one call (0-based) of one port, then again as often as needed without faults. */
async function interrupted(port: 'storage' | 'transport', at: number, when: 'before' | 'after') {
  const w = fresh();
  const failOn = (_op: string, _key: string, i: number): FaultDecision => (i === at ? when : false);
  const s = port === 'storage' ? faultyStorage(w.storage, { failOn }) : w.storage;
  const t = faultyTransport(w.transport, { failOn: port === 'transport' ? failOn : () => false });
  let failed = false;
  try {
    await run(s, t);
  } catch (e) {
    if (!isPortError(e, 'injected_fault')) throw e;
    failed = true;
  }
  const again = faultyTransport(w.transport, { failOn: () => false });
  await run(w.storage, again);
  // nothing sent twice: each upload reached the server exactly once over both runs
  const writes = [...t.calls, ...again.calls]
    .filter((c) => c.op === 'write' && c.failed !== 'before')
    .map((c) => c.path);
  return { failed, writes, end: { storage: text(w.storage.snapshot()), transport: text(w.transport.snapshot()) } };
}

describe('the exchange job, stopped at any step and run again', () => {
  it('the uninterrupted run sends LS and RD, imports the receipt and the settlement once, and rejects the broken file', () => {
    const keys = Object.keys(ref.end.storage);
    expect(keys.filter((k) => k.startsWith('lindorff/sent/'))).toHaveLength(3);
    expect(keys.filter((k) => k.startsWith('lindorff/received/'))).toHaveLength(4);
    expect(keys.filter((k) => k.startsWith('lindorff/interest-notes/'))).toHaveLength(1);
    expect(Object.keys(ref.end.transport).filter((k) => k.startsWith('inn/'))).toHaveLength(3);
    expect(ref.storageCalls).toBeGreaterThan(20);
    expect(ref.writes).toEqual(['inn/LS1234520261124060000', 'inn/RD1234520261123130000']);
  });

  it('gives the same end state as one uninterrupted run, for a fault before or after every storage call', async () => {
    for (let k = 0; k < ref.storageCalls; k++) {
      for (const when of ['before', 'after'] as const) {
        const r = await interrupted('storage', k, when);
        expect(r.failed, `storage call ${k} ${when}`).toBe(true);
        expect(r.end, `storage call ${k} ${when}`).toEqual(ref.end);
        expect(r.writes, `storage call ${k} ${when}`).toEqual(ref.writes);
      }
    }
  });

  it('gives the same end state as one uninterrupted run, for a fault before or after every transport call', async () => {
    for (let k = 0; k < ref.transportCalls; k++) {
      for (const when of ['before', 'after'] as const) {
        const r = await interrupted('transport', k, when);
        expect(r.failed, `transport call ${k} ${when}`).toBe(true);
        expect(r.end, `transport call ${k} ${when}`).toEqual(ref.end);
        expect(r.writes, `transport call ${k} ${when}`).toEqual(ref.writes);
      }
    }
  });

  test.prop([fc.array(fc.record({ s: fc.nat(200), t: fc.nat(40) }), { minLength: 1, maxLength: 3 })], { numRuns: 25 })(
    'several interrupted runs in a row, then a clean one, still give the same end state',
    async (faults) => {
      const w = fresh();
      for (const f of faults) {
        const s = faultyStorage(w.storage, { failOn: (_o, _k, i) => i === f.s });
        const t = faultyTransport(w.transport, { failOn: (_o, _k, i) => i === f.t });
        await run(s, t).catch((e) => {
          if (!isPortError(e, 'injected_fault')) throw e;
        });
      }
      await run(w.storage, w.transport);
      expect({ storage: text(w.storage.snapshot()), transport: text(w.transport.snapshot()) }).toEqual(ref.end);
    },
  );
});
