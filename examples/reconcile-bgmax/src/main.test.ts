import { describe, expect, it } from 'vitest';
import { run } from './main.js';

describe('reconcile-bgmax', () => {
  it('reads the sample file and decides every payment against the open invoices', async () => {
    const r = await run();
    expect(r.ok).toBe(true);
    expect(r.file).toBe('BGMAX.20261123.txt');
    expect(r.depositTotal).toBe('6670.50'); // the TK15 total: payments minus the deduction
    expect(r.warnings).toBe(0);
    expect(r.payments.map((p) => [p.status, p.comment, p.invoiceId ?? null])).toEqual([
      ['Complete', '', 'inv-10001'], // exact amount, OCR number found
      ['Complete', 'Amount', 'inv-10002'], // 4 kr short: within the ± 10 kr tolerance
      ['Error', 'Amount', 'inv-10003'], // 1 300 kr short: outside it
      ['Error', 'No Match', null], // a mistyped OCR number
      ['Error', 'No Match', null], // no reference at all
      ['Credit', '', null], // a deduction (TK21) is left to a person
    ]);
    expect(r.payments[0]?.applied).toBe('1250.00');
    expect(r.payments[1]?.applied).toBe('495.00');
    expect(r.payments[5]?.amount).toBe('-150.00');
    expect(r.payments[3]?.suggestions).toEqual(['inv-10004']); // one typing mistake from its OCR number
    expect(r.counts).toEqual({ Complete: 2, Error: 3, Credit: 1 });
    // every payment id is deterministic: the file's TK01 timestamp and the line number
    expect(r.payments[0]?.paymentId).toBe('bgmax:20261123050312345678:P#3');
  });

  it('a wider tolerance accepts the short payment that was an error', async () => {
    const r = await run({ tolerance: '1500' });
    expect(r.payments[2]).toMatchObject({ status: 'Complete', comment: 'Amount', invoiceId: 'inv-10003' });
  });
});
