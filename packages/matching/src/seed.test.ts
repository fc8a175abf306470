/**
 * Every row of the seed's workflow (seeds/003, "Arbetsgång / Funktionalitet" steps 1–5), as a named test.
 */
import { describe, expect, it } from 'vitest';
import { BG_AB_EUR, BG_CD, ctx, inv, pay } from '../test/helpers.js';
import { decide, MatchComment, PaymentStatus } from './index.js';

describe('seed workflow', () => {
  it('seed step 1: unknown receiving account → Error/Account', () => {
    const d = decide(pay({ account: '1111111', reference: '10017' }), ctx([inv(1001)]));
    expect(d.status).toBe(PaymentStatus.Error);
    expect(d.comment).toBe(MatchComment.Account);
    expect(d.evidence.rule).toBe('account_unknown');
    expect(d.allocations).toEqual([]);
  });

  it('seed step 1: the account check comes first, even for a deduction', () => {
    const d = decide(pay({ account: '1111111', kind: 'deduction' }), ctx([]));
    expect([d.status, d.comment]).toEqual(['Error', 'Account']);
  });

  it('seed step 1: the account number is compared without spaces or hyphens (Bank File Sender Account)', () => {
    // the ledger lists the bankgiro as '991-2346'
    const d = decide(pay({ reference: '10017' }), ctx([inv(1001)]));
    expect(d.ledgerAccount).toEqual({ ledgerAccount: '1930', company: 'AB', currency: 'SEK' });
  });

  it('seed step 2: a deduction (BGMax TK21) → Credit, left to a person', () => {
    const d = decide(pay({ kind: 'deduction', amount: '500.00', reference: '10017' }), ctx([inv(1001)]));
    expect(d.status).toBe(PaymentStatus.Credit);
    expect(d.comment).toBe('');
    expect(d.allocations).toEqual([]);
    expect(d.unapplied.toString()).toBe('-500.00');
  });

  it('seed step 2: a negative amount → Credit', () => {
    const d = decide(pay({ amount: '-25.00', reference: '10017' }), ctx([inv(1001)]));
    expect(d.status).toBe('Credit');
  });

  it('seed step 3: Reference matched against the OCR number (externalid) → Complete', () => {
    const d = decide(pay({ reference: '10017' }), ctx([inv(1001)]));
    expect(d.status).toBe('Complete');
    expect(d.evidence.matched).toMatchObject({ invoiceId: 'inv-1001', field: 'reference', against: 'ocr' });
  });

  it('seed step 3: Additional reference matched against the OCR number when the Reference finds nothing', () => {
    const d = decide(pay({ reference: 'Faktura maj', extra: ['10017'] }), ctx([inv(1001)]));
    expect(d.status).toBe('Complete');
    expect(d.evidence.matched).toMatchObject({ field: 'additionalReference', index: 1, against: 'ocr' });
  });

  it('seed step 3: Reference matched against the invoice number (tranid) when no OCR number matches', () => {
    const d = decide(pay({ reference: 'F-1001' }), ctx([inv(1001)]));
    expect(d.status).toBe('Complete');
    expect(d.evidence.matched).toMatchObject({ against: 'invoiceNumber', key: 'F1001' });
  });

  it('seed step 3: the OCR number is tried first ("i första hand externalid"), then the invoice number', () => {
    // '10025' is the OCR of invoice 1002 and the invoice number of invoice 7
    const d = decide(pay({ reference: '10025' }), ctx([inv(7, { number: '10025' }), inv(1002)]));
    expect(d.invoiceId).toBe('inv-1002');
    expect(d.evidence.candidates.map((c) => [c.invoiceId, c.against])).toEqual([
      ['inv-1002', 'ocr'],
      ['inv-7', 'invoiceNumber'],
    ]);
  });

  it('seed step 3: Reference before Additional reference against the OCR number', () => {
    const d = decide(pay({ reference: '10025', extra: ['10017'], amount: '1000.00' }), ctx([inv(1001), inv(1002)]));
    expect(d.invoiceId).toBe('inv-1002');
  });

  it('seed step 3: references are normalised (spaces, hyphens, leading zeros) before matching', () => {
    const c = ctx([inv(1001), inv(1002, { number: 'INV-2024-00123' })]);
    expect(decide(pay({ reference: '000 100-17' }), c).invoiceId).toBe('inv-1001');
    expect(decide(pay({ reference: 'inv 2024 00123' }), c).invoiceId).toBe('inv-1002');
  });

  it('seed step 3: no invoice matches → Error/No Match', () => {
    const d = decide(pay({ reference: '99999' }), ctx([inv(1001)]));
    expect([d.status, d.comment]).toEqual(['Error', 'No Match']);
    expect(d.evidence.rule).toBe('no_match');
  });

  it('seed step 3: no reference at all → Error/No Match', () => {
    const d = decide(pay({}), ctx([inv(1001)]));
    expect([d.status, d.comment]).toEqual(['Error', 'No Match']);
    expect(d.evidence.rule).toBe('no_reference');
  });

  it("seed step 4: the payment's currency differs from the invoice's → Error/Currency", () => {
    const d = decide(pay({ reference: '10017' }), ctx([inv(1001, { currency: 'EUR' })]));
    expect([d.status, d.comment]).toEqual(['Error', 'Currency']);
    expect(d.invoiceId).toBe('inv-1001');
  });

  it("seed step 4: a payment in another currency than the account's → Error/Currency", () => {
    const d = decide(pay({ reference: '10017', account: BG_AB_EUR }), ctx([inv(1001)]));
    expect([d.status, d.comment]).toEqual(['Error', 'Currency']);
    expect(d.evidence.rule).toBe('account_currency_mismatch');
  });

  it('seed step 4: the invoice belongs to another company than the receiving account → Error/Company', () => {
    const d = decide(pay({ reference: '10017', account: BG_CD }), ctx([inv(1001)]));
    expect([d.status, d.comment]).toEqual(['Error', 'Company']);
  });

  it('seed step 4: overpaid beyond the tolerance → Error/Amount', () => {
    const d = decide(pay({ reference: '10017', amount: '1010.01' }), ctx([inv(1001)]));
    expect([d.status, d.comment]).toEqual(['Error', 'Amount']);
    expect(d.evidence.amount).toMatchObject({ side: 'over', fits: false });
    expect(d.evidence.amount?.difference.toString()).toBe('10.01');
    expect(d.evidence.amount?.limit?.toString()).toBe('10.00');
  });

  it('seed step 4: underpaid beyond the tolerance → Error/Amount', () => {
    const d = decide(pay({ reference: '10017', amount: '989.99' }), ctx([inv(1001)]));
    expect([d.status, d.comment]).toEqual(['Error', 'Amount']);
    expect(d.evidence.amount?.side).toBe('under');
  });

  it('seed step 4: inside the tolerance but not exact (over) → registered, Complete/Amount', () => {
    const d = decide(pay({ reference: '10017', amount: '1010.00' }), ctx([inv(1001)]));
    expect([d.status, d.comment]).toEqual(['Complete', 'Amount']);
    expect(d.allocations.map((a) => [a.invoiceId, a.amount.toString()])).toEqual([['inv-1001', '1000.00']]);
    expect(d.unapplied.toString()).toBe('10.00');
  });

  it('seed step 4: inside the tolerance but not exact (under) → registered, Complete/Amount', () => {
    const d = decide(pay({ reference: '10017', amount: '990.00' }), ctx([inv(1001)]));
    expect([d.status, d.comment]).toEqual(['Complete', 'Amount']);
    expect(d.allocations[0]?.amount.toString()).toBe('990.00');
    expect(d.evidence.amount?.remainingOnInvoice?.toString()).toBe('10.00');
  });

  it('seed step 5: exact amount → Complete, naming the invoice and the amount applied', () => {
    const d = decide(pay({ reference: '10017', amount: '1000.00' }), ctx([inv(1001)]));
    expect(d.status).toBe('Complete');
    expect(d.comment).toBe('');
    expect(d.invoiceId).toBe('inv-1001');
    expect(d.allocations.map((a) => [a.invoiceId, a.amount.toString()])).toEqual([['inv-1001', '1000.00']]);
    expect(d.unapplied.isZero()).toBe(true);
    expect(d.evidence.rule).toBe('exact');
  });

  it('seed setup: the tolerance amount is configuration (10 kr accepts ±10, 0 kr only exact)', () => {
    const exactOnly = ctx([inv(1001)], {});
    expect(decide(pay({ reference: '10017', amount: '1000.01' }), exactOnly).comment).toBe('Amount');
    expect(decide(pay({ reference: '10017', amount: '1000.01' }), exactOnly).status).toBe('Error');
  });
});
