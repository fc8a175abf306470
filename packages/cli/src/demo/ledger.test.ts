import { Money } from '@nordfil/core';
import type { RegisterPaymentCommand } from '@nordfil/matching';
import { memoryStorage, putJson } from '@nordfil/ports';
import { describe, expect, it } from 'vitest';
import { listInvoices, openInvoices, type StoredInvoice, seedInvoices, storageRegistrar } from './ledger.js';

const inv = (id: string, amount: string): StoredInvoice => ({
  id,
  invoiceNumber: id,
  customer: 'C-1',
  company: 'AB',
  currency: 'SEK',
  amount,
  open: amount,
  payments: [],
});

const command = (paymentId: string, allocations: [string, string][]): RegisterPaymentCommand =>
  ({
    idempotencyKey: paymentId,
    paymentId,
    ledgerAccount: '1930',
    allocations: allocations.map(([invoiceId, amount]) => ({ invoiceId, amount: Money.of(amount, 'SEK') })),
    unapplied: Money.zero('SEK'),
  }) as unknown as RegisterPaymentCommand;

describe('the demo ledger', () => {
  it('lowers the open amounts once per payment id, also when the call is repeated', async () => {
    const storage = memoryStorage();
    expect(await seedInvoices(storage, [inv('a', '100.00'), inv('b', '50.00')])).toBe(2);
    expect(await seedInvoices(storage, [inv('a', '100.00')])).toBe(0);
    const registrar = storageRegistrar(storage);
    const first = await registrar.registerPayment(
      command('bg#1', [
        ['a', '60.00'],
        ['b', '50.00'],
      ]),
    );
    const again = await registrar.registerPayment(command('bg#1', [['a', '60.00']]));
    expect(again.createdPayment).toBe(first.createdPayment);
    const byId = Object.fromEntries((await listInvoices(storage)).map((i) => [i.id, i]));
    expect(byId.a).toMatchObject({ open: '40.00', payments: ['bg#1'] });
    expect(byId.b).toMatchObject({ open: '0.00', payments: ['bg#1'] });
    expect((await openInvoices(storage)).map((i) => [i.id, i.openAmount.toString()])).toEqual([['a', '40.00']]);
  });

  it('does not lower an invoice twice after a crash between the invoice and the proof', async () => {
    const storage = memoryStorage();
    await seedInvoices(storage, [inv('a', '100.00')]);
    // the invoice was lowered, then the process died before the proof was written
    await putJson(storage, 'ledger/invoices/a', { ...inv('a', '100.00'), open: '40.00', payments: ['bg#1'] });
    const r = await storageRegistrar(storage).registerPayment(command('bg#1', [['a', '60.00']]));
    expect(r.createdPayment).toMatch(/^CP-[0-9a-f]{10}$/);
    expect((await listInvoices(storage))[0]).toMatchObject({ open: '40.00', payments: ['bg#1'] });
  });
});
