import { NordfilError } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { AGENCY_ACCOUNT, claim, d, header, nok } from '../test/fixtures.js';
import {
  acknowledgeNotice,
  applyReceipts,
  applySettlements,
  assertPaymentAllowed,
  type CollectionCase,
  collectionList,
  InvoiceLockedError,
  isLocked,
  listCase,
  markExported,
  pendingNotices,
  removeFromList,
  selectGroup,
} from './cases.js';
import type { Settlement } from './format.js';

const a = listCase(claim('1001'), { collectionDate: d('2026-11-20') });
const b = listCase(claim('1002'), { collectionDate: d('2026-11-23') });
const c = listCase(claim('1003'), { collectionDate: d('2026-11-20') });
const exported = (x: CollectionCase) => markExported(x, { file: 'LS1', date: d('2026-11-23') });

describe('the collection list (Cordel "Inkasso-liste")', () => {
  it('Cordel: the collection list is grouped by collection date', () => {
    expect(collectionList([b, a, c]).map((g) => [g.collectionDate, g.cases.map((x) => x.caseRef)])).toEqual([
      ['2026-11-20', ['1001', '1003']],
      ['2026-11-23', ['1002']],
    ]);
  });
  it('Cordel: the group to export is chosen by its collection date or by one of its invoices', () => {
    expect(selectGroup([a, b, c], { collectionDate: d('2026-11-23') }).cases.map((x) => x.caseRef)).toEqual(['1002']);
    expect(selectGroup([a, b, c], { invoice: '1003' }).cases.map((x) => x.caseRef)).toEqual(['1001', '1003']);
    expect(() => selectGroup([a], { invoice: '9' })).toThrow(/not on the collection list/);
    expect(() => selectGroup([a], { collectionDate: d('2026-01-01') })).toThrow(/no cases/);
  });
  it('exported cases leave the list', () => {
    expect(collectionList([exported(a), c]).flatMap((g) => g.cases.map((x) => x.caseRef))).toEqual(['1003']);
  });
});

describe('the payment lock (Cordel "Merk")', () => {
  it('Cordel: an invoice on the collection list is locked: registering a payment is refused with a typed error', () => {
    for (const x of [a, exported(a)]) {
      expect(isLocked(x)).toBe(true);
      let err: unknown;
      try {
        assertPaymentAllowed(x, { channel: 'manual' }, AGENCY_ACCOUNT);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(InvoiceLockedError);
      expect(err).toBeInstanceOf(NordfilError);
      expect((err as InvoiceLockedError).code).toBe('invoice_locked');
      expect((err as InvoiceLockedError).invoice).toBe('1001');
    }
  });
  it("Quick3: the OCR file still posts payments (the balance moves when it is read), and so do the agency's own", () => {
    expect(() => assertPaymentAllowed(exported(a), { channel: 'ocr' }, AGENCY_ACCOUNT)).not.toThrow();
    expect(() =>
      assertPaymentAllowed(exported(a), { channel: 'manual', fromAccount: '1503.12.34562' }, AGENCY_ACCOUNT),
    ).not.toThrow();
    expect(() => assertPaymentAllowed(undefined, { channel: 'manual' }, AGENCY_ACCOUNT)).not.toThrow();
  });
  it('Cordel: removing an invoice from the list unlocks it and makes a notice the agency must be told, listed until acknowledged', () => {
    const { case: removed, notice } = removeFromList(
      { ...exported(a), agencyRef: 'L-77' },
      { date: d('2026-11-25'), reason: 'paid directly' },
    );
    expect(removed.status).toBe('removed');
    expect(isLocked(removed)).toBe(false);
    expect(() => assertPaymentAllowed(removed, { channel: 'manual' }, AGENCY_ACCOUNT)).not.toThrow();
    expect(notice).toMatchObject({ caseRef: '1001', agencyRef: 'L-77', wasExported: true, reason: 'paid directly' });
    const other = removeFromList(c, { date: d('2026-11-21'), reason: 'error' }).notice;
    expect(other.wasExported).toBe(false);
    expect(pendingNotices([notice, other]).map((n) => n.caseRef)).toEqual(['1003', '1001']);
    const acked = acknowledgeNotice(notice, { date: d('2026-11-26'), by: 'kari' });
    expect(pendingNotices([acked, other]).map((n) => n.caseRef)).toEqual(['1003']);
    expect(() => removeFromList(removed, { date: d('2026-11-26'), reason: 'again' })).toThrow(
      /not on the collection list/,
    );
  });
});

describe('receipts (Kvitt)', () => {
  const receipts = [
    { id: 'K#2', caseRef: '1001', agencyRef: 'L-77', status: 'accepted' as const, registeredDate: d('2026-11-24') },
    {
      id: 'K#3',
      caseRef: '1003',
      status: 'rejected' as const,
      reasonCode: 'E12',
      reasonText: 'Foreldet krav',
      registeredDate: d('2026-11-24'),
    },
    { id: 'K#4', caseRef: '9999', agencyRef: 'L-1', status: 'accepted' as const, registeredDate: d('2026-11-24') },
  ];
  const cases = [exported(a), exported(c)];
  it('Quick3: the receipt assigns the agency reference to each case, shown in the case history', () => {
    const dec = applyReceipts(cases, { header, receipts }, { file: 'Kvitt_K12345_20261124060000' });
    const one = dec.changed.find((x) => x.caseRef === '1001')!;
    expect(one.status).toBe('acknowledged');
    expect(one.agencyRef).toBe('L-77');
    expect(one.history.at(-1)).toMatchObject({
      code: 'agency_reference',
      file: 'Kvitt_K12345_20261124060000',
      text: expect.stringContaining('L-77'),
    });
  });
  it('rejected cases come back with their reason, and are unlocked', () => {
    const three = applyReceipts(cases, { header, receipts }, { file: 'K' }).changed.find((x) => x.caseRef === '1003')!;
    expect(three.status).toBe('rejected');
    expect(three.rejection).toEqual({ code: 'E12', text: 'Foreldet krav' });
    expect(three.history.at(-1)?.text).toContain('Foreldet krav');
    expect(isLocked(three)).toBe(false);
  });
  it('unknown cases give warnings; the same receipt twice changes nothing', () => {
    const first = applyReceipts(cases, { header, receipts }, { file: 'K' });
    expect(first.issues.map((i) => [i.code, i.severity])).toEqual([['unknown_case', 'warning']]);
    expect(applyReceipts(first.changed, { header, receipts }, { file: 'K' }).changed).toEqual([]);
  });
});

describe('settlements and closures (Avsl)', () => {
  const s = (caseRef: string, event: Settlement['event'], rentenota = '0'): Settlement => ({
    id: `A#${caseRef}${event}`,
    agencyRef: `L-${caseRef}`,
    caseRef,
    event,
    eventDate: d('2026-12-01'),
    principal: nok('100'),
    interest: nok('5'),
    fees: nok('0'),
    costs: nok('0'),
    remitted: nok('105'),
    rentenota: nok(rentenota),
  });
  it('Quick3: closures and payments update the case status: partly paid, paid, closed, returned', () => {
    const cases = ['1', '2', '3', '4', '5', '6'].map((r) =>
      exported(listCase(claim(r), { collectionDate: d('2026-11-20') })),
    );
    const events = ['DELB', 'OPPG', 'AVSL', 'RETU', 'RETT', 'OVV'] as const;
    const dec = applySettlements(
      cases,
      { header, settlements: events.map((e, i) => s(String(i + 1), e)) },
      { file: 'Avsl' },
    );
    expect(dec.changed.map((x) => x.status)).toEqual([
      'partly_paid',
      'paid',
      'closed',
      'returned',
      'legal',
      'surveillance',
    ]);
  });
  it('Quick3: the closure file does not update the invoice balance: the decision holds statuses and notes only', () => {
    const before = exported(a);
    const dec = applySettlements([before], { header, settlements: [s('1001', 'OPPG', '57.30')] }, { file: 'Avsl' });
    expect(Object.keys(dec)).toEqual(['changed', 'interestNotes', 'issues']);
    const after = dec.changed[0]!;
    expect(after.claim).toEqual(before.claim); // outstanding principal as sent: untouched
    expect(after.claim.invoice.outstandingPrincipal.toString()).toBe('1250.00');
  });
  it('Cordel: interest notes (rentenotaer) are made from the payments the agency reports', () => {
    const dec = applySettlements(
      [exported(a)],
      { header, settlements: [s('1001', 'OPPG', '57.30')] },
      { file: 'Avsl' },
    );
    expect(dec.interestNotes).toEqual([
      { id: 'A#1001OPPG', caseRef: '1001', agencyRef: 'L-1001', date: '2026-12-01', amount: nok('57.30') },
    ]);
  });
  it('matches by agency reference when the case reference is unknown, warns about strangers, and applies a line once', () => {
    const acked = { ...exported(a), agencyRef: 'L-X' };
    const line = { ...s('zzz', 'DELB'), agencyRef: 'L-X' };
    const dec = applySettlements([acked], { header, settlements: [line, s('404', 'OPPG')] }, { file: 'Avsl' });
    expect(dec.changed.map((x) => [x.caseRef, x.status])).toEqual([['1001', 'partly_paid']]);
    expect(dec.issues.map((i) => i.code)).toEqual(['unknown_case']);
    expect(applySettlements(dec.changed, { header, settlements: [line] }, { file: 'Avsl' }).changed).toEqual([]);
  });
});
