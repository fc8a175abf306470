/**
 * The demo's host system for `@nordfil/matching`'s payment-file register: open invoices kept in storage
 * (`ledger/invoices/<id>`, so a second run sees what the first one paid) and a {@link PaymentRegistrar} that
 * registers a Complete payment by lowering the invoices' open amounts, idempotent by payment id.
 */
import { createHash } from 'node:crypto';
import { Money } from '@nordfil/core';
import type { Invoice, PaymentRegistrar } from '@nordfil/matching';
import { createJsonIfAbsent, getJson, putJson, type Storage } from '@nordfil/ports';

/** An invoice as the demo keeps it in storage: amounts as decimal strings, the payments registered on it. */
export interface StoredInvoice {
  readonly id: string;
  readonly invoiceNumber: string;
  readonly ocr?: string;
  readonly customer: string;
  readonly company: string;
  readonly currency: string;
  readonly amount: string;
  readonly open: string;
  readonly dueDate?: string;
  /** Ids of the payments registered on the invoice. */
  readonly payments: readonly string[];
}

/** A registered payment: the proof the registrar keeps (`ledger/payments/<payment id>`). */
export interface StoredPayment {
  readonly createdPayment: string;
  readonly ledgerAccount: string;
  readonly allocations: readonly { readonly invoiceId: string; readonly amount: string }[];
  readonly unapplied: string;
}

const INVOICES = 'ledger/invoices/';
const PAYMENTS = 'ledger/payments/';

/**
 * Stores invoices that are not stored yet; returns how many were added.
 *
 * @example
 * await seedInvoices(storage, invoices);
 */
export async function seedInvoices(storage: Storage, invoices: readonly StoredInvoice[]): Promise<number> {
  let n = 0;
  for (const inv of invoices) if (await createJsonIfAbsent(storage, `${INVOICES}${inv.id}`, inv)) n++;
  return n;
}

/**
 * The stored invoices.
 *
 * @example
 * const all = await listInvoices(storage);
 */
export async function listInvoices(storage: Storage): Promise<StoredInvoice[]> {
  const out: StoredInvoice[] = [];
  for (const key of await storage.list(INVOICES)) {
    const inv = await getJson<StoredInvoice>(storage, key);
    if (inv !== undefined) out.push(inv);
  }
  return out;
}

/**
 * The invoices with an open amount left, as matching's `Invoice` (for `buildInvoiceIndex`).
 *
 * @example
 * const lookup = buildInvoiceIndex(await openInvoices(storage));
 */
export async function openInvoices(storage: Storage): Promise<Invoice[]> {
  return (await listInvoices(storage))
    .filter((i) => Money.of(i.open, i.currency).isPositive())
    .map((i) => ({
      id: i.id,
      invoiceNumber: i.invoiceNumber,
      ...(i.ocr === undefined ? {} : { ocr: i.ocr }),
      customer: i.customer,
      company: i.company,
      openAmount: Money.of(i.open, i.currency),
    }));
}

/**
 * The demo's registrar: a Complete payment lowers each allocated invoice's open amount and is listed on the
 * invoice, then a proof is kept under `ledger/payments/<payment id>`. Idempotent by `idempotencyKey` (the payment
 * id): a key with a proof returns the same created payment, and an invoice that already lists the payment is not
 * lowered again (a crash between the invoices and the proof repeats nothing). The created payment's id is
 * derived from the key (`CP-` and 10 hex digits of its SHA-256), so a repeated call names the same payment.
 *
 * @example
 * const registrar = storageRegistrar(storage);
 * await importPaymentFile({ ...ctx, registrar }, { name, bytes });
 */
export function storageRegistrar(storage: Storage): PaymentRegistrar {
  return {
    async registerPayment(cmd) {
      const key = `${PAYMENTS}${cmd.idempotencyKey}`;
      const known = await getJson<StoredPayment>(storage, key);
      if (known !== undefined) return { createdPayment: known.createdPayment };
      for (const a of cmd.allocations) {
        const invKey = `${INVOICES}${a.invoiceId}`;
        const inv = await getJson<StoredInvoice>(storage, invKey);
        if (inv === undefined || inv.payments.includes(cmd.idempotencyKey)) continue;
        const open = Money.of(inv.open, inv.currency).minus(a.amount);
        await putJson(storage, invKey, {
          ...inv,
          open: open.toString(),
          payments: [...inv.payments, cmd.idempotencyKey],
        });
      }
      const createdPayment = `CP-${createHash('sha256').update(cmd.idempotencyKey).digest('hex').slice(0, 10)}`;
      const proof: StoredPayment = {
        createdPayment,
        ledgerAccount: cmd.ledgerAccount,
        allocations: cmd.allocations.map((a) => ({ invoiceId: a.invoiceId, amount: a.amount.toString() })),
        unapplied: cmd.unapplied.toString(),
      };
      if (!(await createJsonIfAbsent(storage, key, proof))) {
        return { createdPayment: (await getJson<StoredPayment>(storage, key))?.createdPayment ?? createdPayment };
      }
      return { createdPayment };
    },
  };
}
