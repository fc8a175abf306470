import { decode } from '@nordfil/core';
import { buildOcrGiro, parseOcrGiro, toPayments, writeOcrGiro } from '@nordfil/ocrgiro';
import { fixedClock, memoryLog, memoryStorage, memoryTransport } from '@nordfil/ports';
import { describe, expect, it } from 'vitest';
import { paid, receiptFile, settlementFile } from '../test/agency.js';
import { AGENCY_ACCOUNT, claim, d, definition, kidFor, OTHER_ACCOUNT, ocrPayment } from '../test/fixtures.js';
import {
  acknowledgeRemoval,
  addToCollectionList,
  caseStore,
  type ExchangeContext,
  listInterestNotes,
  listReceivedFiles,
  nordfilCollectionFormat,
  noticeStore,
  pendingNotices,
  queueCorrections,
  queueExport,
  removeCase,
  runExchange,
  storageOcrLedger,
} from './index.js';

function world(instant = '2026-11-23T05:00:00Z') {
  const clock = fixedClock(instant);
  const transport = memoryTransport({ clock });
  const storage = memoryStorage({ clock });
  const log = memoryLog();
  const ctx: ExchangeContext = { transport, storage, clock, log, definition };
  return { ctx, transport, storage, log, at: (i: string) => ({ ...ctx, clock: fixedClock(i) }) };
}

async function listed(ctx: ExchangeContext) {
  await addToCollectionList(ctx, claim('1001'), { collectionDate: d('2026-11-20') });
  await addToCollectionList(ctx, claim('1002'), { collectionDate: d('2026-11-20') });
  await addToCollectionList(ctx, claim('1003'), { collectionDate: d('2026-11-23') });
}

describe('the exchange job (Cordel "Prosessen i bakgrunnen", Quick3 "Automatiske jobber")', () => {
  it("Cordel: exporting a group makes the export file and copies it to the agency's upload folder", async () => {
    const { ctx, transport, log } = world();
    await listed(ctx);
    const entry = await queueExport(ctx, { invoice: '1002' });
    expect(entry?.name).toBe('LS1234520261123060000');
    expect(entry?.ids).toEqual(['1001', '1002']);
    const report = await runExchange(ctx);
    expect(report.sent).toEqual(['LS1234520261123060000']);
    const file = transport.snapshot()['inn/LS1234520261123060000']!;
    expect(nordfilCollectionFormat.decodeCases(file).cases.map((c) => c.caseRef)).toEqual(['1001', '1002']);
    const cases = await caseStore(ctx.storage).list();
    expect(cases.map((c) => [c.caseRef, c.status])).toEqual([
      ['1001', 'exported'],
      ['1002', 'exported'],
      ['1003', 'listed'],
    ]);
    expect(log.codes()).toEqual(['file_sent']);
  });

  it('Quick3: the daily job sends new cases automatically, then fetches receipts and settlements; every file is logged', async () => {
    const { ctx, transport, log, at } = world();
    await listed(ctx);
    await runExchange(ctx, { autoExport: true });
    expect(Object.keys(transport.snapshot())).toEqual(['inn/LS1234520261123060000']);

    const k = receiptFile('2026-11-24T05:00:00Z', [
      { caseRef: '1001', agencyRef: 'L-1', status: 'accepted', registeredDate: d('2026-11-24') },
      { caseRef: '1002', agencyRef: 'L-2', status: 'accepted', registeredDate: d('2026-11-24') },
      {
        caseRef: '1003',
        status: 'rejected',
        reasonCode: 'A7',
        reasonText: 'Mangler adresse',
        registeredDate: d('2026-11-24'),
      },
    ]);
    transport.deliver(`ut/${k.name}`, k.bytes);
    const day2 = await runExchange(at('2026-11-24T05:00:00Z'));
    expect(day2.received.map((r) => [r.name, r.outcome, r.records])).toEqual([[k.name, 'imported', 3]]);
    const byRef = Object.fromEntries((await caseStore(ctx.storage).list()).map((c) => [c.caseRef, c]));
    expect(byRef['1001']?.agencyRef).toBe('L-1');
    expect(byRef['1001']?.history.map((h) => h.code)).toEqual(['listed', 'queued', 'exported', 'agency_reference']);
    expect(byRef['1003']).toMatchObject({ status: 'rejected', rejection: { code: 'A7', text: 'Mangler adresse' } });

    const a = settlementFile('2026-11-25T05:00:00Z', [
      paid('1001', 'L-1', 'OPPG', '12.34'),
      paid('1002', 'L-2', 'DELB'),
    ]);
    transport.deliver(`ut/${a.name}`, a.bytes);
    await runExchange(at('2026-11-25T05:00:00Z'));
    const after = Object.fromEntries((await caseStore(ctx.storage).list()).map((c) => [c.caseRef, c.status]));
    expect(after).toEqual({ '1001': 'paid', '1002': 'partly_paid', '1003': 'rejected' });
    expect((await listInterestNotes(ctx)).map((n) => [n.caseRef, n.amount.toString()])).toEqual([['1001', '12.34']]);
    expect(log.codes()).toEqual(['file_sent', 'file_received', 'file_received']);
    expect(log.entries[1]?.data).toMatchObject({
      file: k.name,
      kind: 'Kvitt',
      records: 3,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((await listReceivedFiles(ctx)).map((f) => f.outcome)).toEqual(['imported', 'imported']);
  });

  it('each received file is imported once: a second run, a renamed copy and a changed name do nothing twice', async () => {
    const { ctx, transport, log, at } = world();
    await listed(ctx);
    await runExchange(ctx, { autoExport: true });
    const k = receiptFile('2026-11-24T05:00:00Z', [
      { caseRef: '1001', agencyRef: 'L-1', status: 'accepted', registeredDate: d('2026-11-24') },
    ]);
    transport.deliver(`ut/${k.name}`, k.bytes);
    await runExchange(at('2026-11-24T05:00:00Z'));
    const again = await runExchange(at('2026-11-24T05:00:00Z'));
    expect(again).toEqual({ sent: [], received: [] });
    transport.deliver('ut/Kvitt_K12345_20261124070000', k.bytes);
    const copy = await runExchange(at('2026-11-24T06:00:00Z'));
    expect(copy.received.map((r) => r.outcome)).toEqual(['duplicate']);
    expect(log.codes().at(-1)).toBe('file_duplicate');
    const c = await caseStore(ctx.storage).get('1001');
    expect(c?.history.filter((h) => h.code === 'agency_reference')).toHaveLength(1);
  });

  it("a file that fails its checks is rejected and logged, nothing applied; other customers' files are left alone", async () => {
    const { ctx, transport, log } = world();
    await listed(ctx);
    await runExchange(ctx, { autoExport: true });
    const k = receiptFile('2026-11-24T05:00:00Z', [
      { caseRef: '1001', agencyRef: 'L-1', status: 'accepted', registeredDate: d('2026-11-24') },
    ]);
    const broken = decode(k.bytes, 'latin1').replace('T;3;K;1;0', 'T;4;K;1;0');
    transport.deliver(`ut/${k.name}`, broken);
    const other = receiptFile('2026-11-24T05:00:00Z', [], '99999');
    transport.deliver(`ut/${other.name}`, other.bytes);
    transport.deliver('ut/readme.txt', 'hello');
    const r = await runExchange(ctx);
    expect(r.received.map((x) => [x.outcome, x.issues.map((i) => i.code)])).toEqual([
      ['rejected', ['control_total_mismatch']],
    ]);
    expect(log.codes()).toEqual(['file_sent', 'file_rejected', 'foreign_file']);
    expect((await caseStore(ctx.storage).get('1001'))?.status).toBe('exported');
  });

  it("Quick3: the RD file is generated on demand once the OCR files are read, sent after the LS file, and leaves the agency's own payments out", async () => {
    const { ctx, transport, at } = world();
    await listed(ctx);
    await runExchange(ctx, { autoExport: true });
    const day = at('2026-11-26T10:00:00Z');
    await expect(queueCorrections(day, { cutoff: d('2026-11-26') })).rejects.toThrow(/read the OCR files/);
    const ledger = storageOcrLedger(ctx.storage);
    await ledger.record({
      fileId: 'OCR.20261126',
      from: d('2026-11-24'),
      to: d('2026-11-26'),
      payments: [
        ocrPayment('OCR.20261126#3', kidFor('1001'), '1250', '2026-11-25', OTHER_ACCOUNT),
        ocrPayment('OCR.20261126#4', kidFor('1002'), '1250', '2026-11-25', AGENCY_ACCOUNT),
      ],
    });
    expect(
      await ledger.record({ fileId: 'OCR.20261126', from: d('2026-11-24'), to: d('2026-11-26'), payments: [] }),
    ).toBe(false);
    const { entry, batch } = await queueCorrections(day, { cutoff: d('2026-11-26') });
    expect(entry?.name).toBe('RD1234520261126110000');
    expect(batch.corrections.map((c) => c.caseRef)).toEqual(['1001']);
    expect(batch.excluded.map((e) => e.reason)).toEqual(['from_agency_account']);
    // a second generation reports nothing new
    expect((await queueCorrections(day, { cutoff: d('2026-11-26') })).entry).toBeUndefined();
    await runExchange(day);
    const rd = transport.snapshot()['inn/RD1234520261126110000']!;
    expect(nordfilCollectionFormat.decodeCorrections(rd).corrections.map((c) => [c.id, c.amount.toString()])).toEqual([
      ['OCR.20261126#3', '-1250.00'],
    ]);
  });

  it('Cordel: a removal is stored with its notice, listed until acknowledged', async () => {
    const { ctx } = world();
    await listed(ctx);
    const n = await removeCase(ctx, '1003', { date: d('2026-11-23'), reason: 'betalt direkte' });
    expect(pendingNotices(await noticeStore(ctx.storage).list()).map((x) => x.id)).toEqual([n.id]);
    await acknowledgeRemoval(ctx, n.id, { date: d('2026-11-24'), by: 'kari' });
    expect(pendingNotices(await noticeStore(ctx.storage).list())).toEqual([]);
    await expect(addToCollectionList(ctx, claim('1001'), { collectionDate: d('2026-11-20') })).rejects.toThrow(
      /already in collection/,
    );
  });

  it('without atomic writes the upload goes to a temporary name and is renamed', async () => {
    const { ctx } = world();
    const transport = memoryTransport({ capabilities: { atomicWrite: false } });
    const c2 = { ...ctx, transport };
    await listed(c2);
    await runExchange(c2, { autoExport: true });
    expect(Object.keys(transport.snapshot())).toEqual(['inn/LS1234520261123060000']);
  });
});

describe('with the OCR giro parser (@nordfil/ocrgiro)', () => {
  it("Quick3: OCR files read with @nordfil/ocrgiro feed the OCR ledger; the RD file then reports the direct payment and leaves out the agency's", async () => {
    const { ctx, transport, at } = world();
    await listed(ctx);
    await runExchange(ctx, { autoExport: true });
    const bytes = writeOcrGiro(
      buildOcrGiro({
        transmission: { transmissionNumber: '1126001', dataRecipient: '00012345' },
        assignments: [
          {
            account: '86011117947',
            agreementId: '000012345',
            transactions: [
              { kid: kidFor('1001'), amount: '400.00', date: '2026-11-25', debitAccount: OTHER_ACCOUNT },
              { kid: kidFor('1002'), amount: '1250.00', date: '2026-11-25', debitAccount: AGENCY_ACCOUNT },
              { kid: kidFor('8888'), amount: '99.00', date: '2026-11-25', debitAccount: OTHER_ACCOUNT },
            ],
          },
        ],
      }),
    );
    const payments = toPayments(parseOcrGiro(bytes, { source: 'OCR.20261125' }));
    expect(payments).toHaveLength(3);
    await storageOcrLedger(ctx.storage).record({
      fileId: 'OCR.20261125',
      from: d('2026-11-24'),
      to: d('2026-11-25'),
      payments,
    });
    const { entry, batch } = await queueCorrections(at('2026-11-25T10:00:00Z'), { cutoff: d('2026-11-25') });
    expect(batch.corrections.map((c) => [c.caseRef, c.amount.toString(), c.kid])).toEqual([
      ['1001', '-400.00', kidFor('1001')],
    ]);
    expect(batch.excluded.map((e) => [e.caseRef, e.reason])).toEqual([['1002', 'from_agency_account']]);
    await runExchange(at('2026-11-25T10:00:00Z'));
    expect(Object.keys(transport.snapshot())).toContain(`inn/${entry?.name}`);
  });
});
