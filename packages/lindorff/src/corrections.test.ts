import { NordfilError } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { AGENCY_ACCOUNT, claim, d, kidFor, nok, OTHER_ACCOUNT, ocrPayment } from '../test/fixtures.js';
import { listCase, markExported } from './cases.js';
import { buildCorrections, checkOcrRead, type OcrLedgerEntry } from './corrections.js';

const sent = markExported(listCase(claim('1001'), { collectionDate: d('2026-11-20') }), {
  file: 'LS1',
  date: d('2026-11-20'),
});
const acked = { ...sent, status: 'acknowledged' as const, agencyRef: 'L-77' };
const listed = listCase(claim('1002'), { collectionDate: d('2026-11-20') });
const kid = kidFor('1001');
const ocr = (payments: OcrLedgerEntry['payments'], date = '2026-11-23'): OcrLedgerEntry => ({
  fileId: `OCR.${date}`,
  from: d(date),
  to: d(date),
  payments,
});
const base = {
  cases: [acked, listed],
  cutoff: d('2026-11-23'),
  agencyBankAccount: AGENCY_ACCOUNT,
  reported: new Set<string>(),
};

describe('corrections (Quick3 "Direkteinnbetalinger og korrigeringer")', () => {
  it('Quick3: RD file refused until the OCR files of the period are read', () => {
    expect(() => buildCorrections({ ...base, ocr: [] })).toThrow(NordfilError);
    expect(checkOcrRead([ocr([], '2026-11-22')], d('2026-11-23'))[0]).toMatchObject({
      code: 'ocr_files_not_read',
      actual: '2026-11-22',
    });
    const known = [{ fileId: 'OCR.extra', date: d('2026-11-21') }];
    expect(checkOcrRead([ocr([])], d('2026-11-23'), known).map((i) => i.source)).toEqual(['OCR.extra']);
    expect(checkOcrRead([ocr([])], d('2026-11-23'))).toEqual([]);
  });
  it('Quick3: direct payments to the creditor are reported so the agency can close the case; negative, with the agency reference', () => {
    const batch = buildCorrections({
      ...base,
      ocr: [ocr([ocrPayment('OCR.2026-11-23#5', kid, '500', '2026-11-23', OTHER_ACCOUNT)])],
    });
    expect(batch.corrections).toEqual([
      {
        id: 'OCR.2026-11-23#5',
        caseRef: '1001',
        agencyRef: 'L-77',
        kind: 'PAY',
        amount: nok('-500'),
        valueDate: '2026-11-23',
        kid,
        source: 'OCR',
        sourceRef: 'OCR.2026-11-23:5',
        text: 'direct payment to the creditor (OCR)',
      },
    ]);
  });
  it("Quick3: payments from the agency's own bank account are left out (they are its settlements)", () => {
    const batch = buildCorrections({
      ...base,
      ocr: [ocr([ocrPayment('OCR#1', kid, '1250', '2026-11-23', '1503 12 34562')])],
    });
    expect(batch.corrections).toEqual([]);
    expect(batch.excluded).toEqual([{ id: 'OCR#1', caseRef: '1001', reason: 'from_agency_account' }]);
  });
  it('Quick3: manual payments and credit notes registered by the creditor are reported too', () => {
    const batch = buildCorrections({
      ...base,
      ocr: [ocr([])],
      manualPayments: [{ id: 'bilag-1', caseRef: '1001', date: d('2026-11-22'), amount: nok('100') }],
      creditNotes: [{ id: 'KN-1', caseRef: '1001', date: d('2026-11-21'), amount: nok('250'), text: 'feil pris' }],
    });
    expect(batch.corrections.map((c) => [c.id, c.kind, c.source, c.amount.toString()])).toEqual([
      ['bilag-1', 'PAY', 'MAN', '-100.00'],
      ['KN-1', 'CRN', 'MAN', '-250.00'],
    ]);
  });
  it('only items since the last file: each is reported at most once, nothing from before the transfer or after the cutoff', () => {
    const payments = [
      ocrPayment('P#1', kid, '10', '2026-11-21'),
      ocrPayment('P#2', kid, '20', '2026-11-19'),
      ocrPayment('P#3', kid, '30', '2026-11-24'),
      ocrPayment('P#4', kidFor('1002'), '40', '2026-11-22'),
      ocrPayment('P#5', kidFor('7777'), '50', '2026-11-22'),
    ];
    const batch = buildCorrections({ ...base, ocr: [ocr(payments)], reported: new Set(['P#1']) });
    expect(batch.corrections).toEqual([]);
    expect(batch.excluded.map((e) => [e.id, e.reason])).toEqual([
      ['P#1', 'already_reported'],
      ['P#2', 'before_transfer'],
      ['P#4', 'case_not_with_agency'],
    ]);
  });
});
