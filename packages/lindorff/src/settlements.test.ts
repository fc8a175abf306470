import { fc, test } from '@fast-check/vitest';
import { Money } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { AGENCY_ACCOUNT, claim, d, kidFor, nok, OTHER_ACCOUNT, ocrPayment } from '../test/fixtures.js';
import { listCase, markExported } from './cases.js';
import type { OcrLedgerEntry } from './corrections.js';
import type { Settlement } from './format.js';
import { matchSettlements } from './settlements.js';

const acked = (ref: string) => ({
  ...markExported(listCase(claim(ref), { collectionDate: d('2026-11-20') }), { file: 'LS1', date: d('2026-11-20') }),
  status: 'acknowledged' as const,
  agencyRef: `L-${ref}`,
});
const cases = [acked('1001'), acked('1002')];
const zero = nok('0');
const settlement = (id: string, caseRef: string, remitted: string, date = '2026-11-24'): Settlement => ({
  id,
  agencyRef: `L-${caseRef}`,
  caseRef,
  event: 'OPPG',
  eventDate: d(date),
  principal: nok(remitted),
  interest: zero,
  fees: zero,
  costs: zero,
  remitted: nok(remitted),
  rentenota: zero,
});
const ocr = (payments: OcrLedgerEntry['payments'], date = '2026-11-25'): OcrLedgerEntry => ({
  fileId: `OCR.${date}`,
  from: d(date),
  to: d(date),
  payments,
});
const codes = (r: ReturnType<typeof matchSettlements>) => r.issues.map((i) => i.code);

describe('settlements against OCR payments (reference §3.3: matched on KID and amount, flagged when they disagree)', () => {
  it('matches a remittance to the OCR payment with the case KID and the remitted amount', () => {
    const r = matchSettlements({
      cases,
      settlements: [settlement('A#2', '1001', '1250.00')],
      ocr: [ocr([ocrPayment('OCR#3', kidFor('1001'), '1250.00', '2026-11-25', AGENCY_ACCOUNT)])],
      agencyBankAccount: AGENCY_ACCOUNT,
    });
    expect(r.matched).toEqual([
      { settlementId: 'A#2', caseRef: '1001', kid: kidFor('1001'), paymentId: 'OCR#3', amount: nok('1250.00') },
    ]);
    expect(r.issues).toEqual([]);
  });

  it('flags a remittance whose OCR payment has not been read yet', () => {
    const r = matchSettlements({ cases, settlements: [settlement('A#2', '1001', '1250.00')], ocr: [] });
    expect(r.matched).toEqual([]);
    expect(r.issues[0]).toMatchObject({ code: 'settlement_payment_missing', field: '1001', expected: '1250.00' });
  });

  it('flags a remittance whose OCR payment has another amount, naming both', () => {
    const r = matchSettlements({
      cases,
      settlements: [settlement('A#2', '1001', '1250.00')],
      ocr: [ocr([ocrPayment('OCR#3', kidFor('1001'), '1200.00', '2026-11-25', AGENCY_ACCOUNT)])],
      agencyBankAccount: AGENCY_ACCOUNT,
    });
    expect(r.matched).toEqual([]);
    expect(r.issues.map((i) => [i.code, i.expected, i.actual])).toEqual([
      ['settlement_amount_mismatch', '1250.00', '1200.00'],
      ['agency_payment_without_settlement', undefined, '1200.00'],
    ]);
  });

  it("a payment from another account is the debtor's own (a correction), not the agency's remittance", () => {
    const r = matchSettlements({
      cases,
      settlements: [settlement('A#2', '1001', '1250.00')],
      ocr: [ocr([ocrPayment('OCR#3', kidFor('1001'), '1250.00', '2026-11-25', OTHER_ACCOUNT)])],
      agencyBankAccount: AGENCY_ACCOUNT,
    });
    expect(codes(r)).toEqual(['settlement_payment_missing']);
  });

  it('uses each payment once: two remittances of one amount and one payment give one match and one missing', () => {
    const r = matchSettlements({
      cases,
      settlements: [settlement('A#3', '1001', '100.00', '2026-11-26'), settlement('A#2', '1001', '100.00')],
      ocr: [ocr([ocrPayment('OCR#3', kidFor('1001'), '100.00', '2026-11-25', AGENCY_ACCOUNT)])],
      agencyBankAccount: AGENCY_ACCOUNT,
    });
    expect(r.matched.map((m) => m.settlementId)).toEqual(['A#2']);
    expect(codes(r)).toEqual(['settlement_payment_missing']);
  });

  it('flags agency money no settlement explains, settlements for unknown cases, and cases without a KID', () => {
    const { kid: _none, ...invoice } = claim('1003').invoice;
    const noKid = { ...acked('1003'), claim: claim('1003', { invoice }) };
    const r = matchSettlements({
      cases: [...cases, noKid],
      settlements: [settlement('A#2', '9999', '10.00'), settlement('A#3', '1003', '10.00')],
      ocr: [ocr([ocrPayment('OCR#4', kidFor('1002'), '55.00', '2026-11-25', AGENCY_ACCOUNT)])],
      agencyBankAccount: AGENCY_ACCOUNT,
    });
    expect(codes(r)).toEqual(['unknown_case', 'settlement_without_kid', 'agency_payment_without_settlement']);
  });

  it('skips closures that remitted nothing (AVSL, RETU and the like)', () => {
    const r = matchSettlements({
      cases,
      settlements: [{ ...settlement('A#2', '1001', '0.00'), event: 'AVSL' }],
      ocr: [],
    });
    expect(r).toEqual({ matched: [], issues: [] });
  });

  test.prop([
    fc.array(fc.record({ c: fc.constantFrom('1001', '1002'), ore: fc.integer({ min: 1, max: 500 }) }), {
      maxLength: 12,
    }),
    fc.array(fc.record({ c: fc.constantFrom('1001', '1002'), ore: fc.integer({ min: 1, max: 500 }) }), {
      maxLength: 12,
    }),
  ])(
    'each payment and each settlement is matched at most once, on its KID and amount, in any input order',
    (ss, ps) => {
      const settlements = ss.map((s, i) =>
        settlement(`A#${i}`, s.c, Money.fromMinor(s.ore, 'NOK').toString(), `2026-11-${10 + (i % 9)}`),
      );
      const payments = ps.map((p, i) =>
        ocrPayment(`OCR#${i}`, kidFor(p.c), Money.fromMinor(p.ore, 'NOK').toString(), '2026-11-25', AGENCY_ACCOUNT),
      );
      const input = { cases, settlements, ocr: [ocr(payments)], agencyBankAccount: AGENCY_ACCOUNT };
      const r = matchSettlements(input);
      const paymentIds = r.matched.map((m) => m.paymentId);
      expect(new Set(paymentIds).size).toBe(paymentIds.length);
      expect(new Set(r.matched.map((m) => m.settlementId)).size).toBe(r.matched.length);
      for (const m of r.matched) {
        const s = settlements.find((x) => x.id === m.settlementId)!;
        const p = payments.find((x) => x.id === m.paymentId)!;
        expect(p.amount.equals(s.remitted)).toBe(true);
        expect(p.reference).toBe(kidFor(s.caseRef));
      }
      // every settlement is matched or flagged; every agency payment is matched or flagged
      const flagged = r.issues.filter((i) => i.code !== 'agency_payment_without_settlement').length;
      expect(r.matched.length + flagged).toBe(settlements.length);
      expect(r.issues.filter((i) => i.code === 'agency_payment_without_settlement').length).toBe(
        payments.length - r.matched.length,
      );
      const reversed = matchSettlements({ ...input, settlements: [...settlements].reverse() });
      expect(reversed).toEqual(r);
    },
  );
});
