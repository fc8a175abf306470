/**
 * What matching needs from the host system: its open invoices (looked up by OCR number and by invoice number)
 * and its ledger accounts (looked up by the bank account a payment was made to). Both are small ports; the
 * in-memory builders here serve hosts that hand over a list, and tests.
 */
import { type IsoDate, issue, type Money, NordfilError, normalizeReference, type Payment } from '@nordfil/core';
import { MemoryInvoiceIndex } from './_index.js';
import { checkDigitNeighbours } from './suggest.js';

/**
 * An open invoice of the host system.
 *
 * @example
 * const inv: Invoice = {
 *   id: 'inv-1001', invoiceNumber: '1001', ocr: '10013', customer: 'C-1', company: 'AB',
 *   openAmount: Money.of('1250.00', 'SEK'),
 * };
 */
export interface Invoice {
  /** The host's id of the invoice; unique. Decisions and allocations name invoices by it. */
  readonly id: string;
  /** The invoice number (NetSuite `tranid`). */
  readonly invoiceNumber: string;
  /** The OCR number printed on the invoice (NetSuite `externalid` in the seed), when it has one. */
  readonly ocr?: string;
  /** The customer, for per-customer tolerance rules. */
  readonly customer: string;
  /** The company (subsidiary) the invoice belongs to; must own the receiving account. */
  readonly company: string;
  /** What is still open; its currency is the invoice's currency. */
  readonly openAmount: Money;
  /** Informational only: decisions never break ties by date ("oldest wins" is exactly what we avoid). */
  readonly dueDate?: IsoDate;
}

/**
 * Synchronous invoice lookup over a snapshot: what the pure `decide` uses. Keys are **normalised**
 * ({@link referenceKey}: separators removed, upper case, leading zeros of numbers stripped); implementations
 * compare against the same normalisation of their invoices' OCR and invoice numbers. Return `[]` for none.
 *
 * @example
 * const lookup: InvoiceLookup = { byOcr: (k) => db.ocr.get(k) ?? [], byInvoiceNumber: (k) => db.no.get(k) ?? [] };
 */
export interface InvoiceLookup {
  byOcr(key: string): readonly Invoice[];
  byInvoiceNumber(key: string): readonly Invoice[];
}

/**
 * The same lookup for hosts that do I/O (a database, NetSuite's API): each call may return a promise. Use
 * {@link snapshotInvoices} to fetch what a batch of payments needs, then decide over the snapshot.
 *
 * @example
 * const remote: AsyncInvoiceLookup = { byOcr: (k) => api.invoices({ ocr: k }), byInvoiceNumber: (k) => api.invoices({ no: k }) };
 */
export interface AsyncInvoiceLookup {
  byOcr(key: string): readonly Invoice[] | Promise<readonly Invoice[]>;
  byInvoiceNumber(key: string): readonly Invoice[] | Promise<readonly Invoice[]>;
}

/**
 * An in-memory invoice lookup with normalised keys, from {@link buildInvoiceIndex}.
 *
 * @example
 * const index: InvoiceIndex = buildInvoiceIndex(invoices);
 * index.size; // number of invoices
 */
export interface InvoiceIndex extends InvoiceLookup {
  /** The number of invoices indexed. */
  readonly size: number;
}

/**
 * The key a reference or invoice field is compared on (reference/matching.md §3.5): core's
 * `normalizeReference` (NFKC, spaces, hyphens, dots and slashes removed, upper case, leading zeros of numbers
 * stripped), with a fast path for plain digits and capital letters.
 *
 * @example
 * referenceKey(' 0012 3456-7 '); // '1234567'
 * referenceKey('inv-2024/00123'); // 'INV202400123'
 */
export function referenceKey(s: string): string {
  const n = s.length;
  let digits = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c >= 65 && c <= 90) {
      digits = false;
      continue;
    }
    return normalizeReference(s);
  }
  if (n === 0 || !digits) return s;
  let i = 0;
  while (i < n - 1 && s.charCodeAt(i) === 48) i++;
  return i === 0 ? s : s.slice(i);
}

/**
 * Builds an in-memory {@link InvoiceLookup} from a list of open invoices (for hosts that hand over a list, and
 * tests): one table by normalised OCR number, one by normalised invoice number. Linear time; lookups are O(1).
 * Invoices whose keys collide are all returned (matching reports them as `Ambiguous` unless exactly one fits
 * the amount exactly), sorted by id, so the order the host listed them in never matters.
 *
 * @example
 * const index = buildInvoiceIndex([{ id: 'i1', invoiceNumber: 'INV-1001', ocr: '10013', customer: 'C', company: 'AB', openAmount: Money.of('100', 'SEK') }]);
 * index.byOcr(referenceKey('0010013')); // [that invoice]
 * index.byInvoiceNumber(referenceKey('inv 1001')); // [that invoice]
 */
export function buildInvoiceIndex(invoices: Iterable<Invoice>): InvoiceIndex {
  return new MemoryInvoiceIndex(invoices);
}

/**
 * Fetches, through an async lookup, every invoice the payments' references (and, for references failing their
 * check digit, their one-edit neighbours) can reach, and returns them as an in-memory index: the snapshot the
 * pure `decide` runs over. Each distinct key is asked for once.
 *
 * @example
 * const snapshot = await snapshotInvoices(remoteLookup, payments);
 * const decisions = decideBatch(payments, { invoices: snapshot, ledger, config });
 */
export async function snapshotInvoices(
  lookup: AsyncInvoiceLookup,
  payments: Iterable<Payment>,
  options: { readonly neighbours?: boolean } = {},
): Promise<InvoiceIndex> {
  const keys = new Set<string>();
  const addRef = (raw: string | undefined) => {
    if (raw === undefined) return;
    const key = referenceKey(raw);
    if (key === '') return;
    keys.add(key);
    if (options.neighbours !== false) for (const n of checkDigitNeighbours(key)) keys.add(n.key);
  };
  for (const p of payments) {
    addRef(p.reference);
    for (const e of p.extraReferences) addRef(e.reference);
  }
  const found = new Map<string, Invoice>();
  for (const key of [...keys].sort()) {
    for (const inv of await lookup.byOcr(key)) found.set(inv.id, inv);
    for (const inv of await lookup.byInvoiceNumber(key)) found.set(inv.id, inv);
  }
  return buildInvoiceIndex([...found.values()]);
}

/**
 * The ledger account (baskonto) a receiving account belongs to, with the company owning it and the account's
 * currency (the seed's "Account Currency").
 *
 * @example
 * const acc: LedgerAccount = { ledgerAccount: '1930', company: 'AB', currency: 'SEK' };
 */
export interface LedgerAccount {
  readonly ledgerAccount: string;
  readonly company: string;
  readonly currency: string;
}

/**
 * The host's chart of accounts, looked up by the bank account in the file (the seed's "Bank File Sender
 * Account": digits only, no spaces or hyphens).
 *
 * @example
 * const ledger: LedgerAccounts = { byBankAccount: (kind, number) => (number === '9912346' ? { ledgerAccount: '1930', company: 'AB', currency: 'SEK' } : undefined) };
 */
export interface LedgerAccounts {
  byBankAccount(kind: Payment['receivingAccount']['kind'], number: string): LedgerAccount | undefined;
}

/**
 * One row for {@link ledgerAccounts}: a bank account number (separators are removed), optionally only for one
 * kind of account (bankgiro, plusgiro, bank account), and the ledger account it belongs to.
 *
 * @example
 * const row: LedgerAccountEntry = { kind: 'bankgiro', number: '991-2346', ledgerAccount: '1930', company: 'AB', currency: 'SEK' };
 */
export interface LedgerAccountEntry extends LedgerAccount {
  readonly kind?: Payment['receivingAccount']['kind'];
  readonly number: string;
}

/**
 * An in-memory {@link LedgerAccounts} from a list. A row without `kind` matches every kind. Two rows for the
 * same account (and kind) throw `duplicate_ledger_account`: which ledger account a payment belongs to must
 * never depend on list order.
 *
 * @example
 * const ledger = ledgerAccounts([{ number: '991-2346', ledgerAccount: '1930', company: 'AB', currency: 'SEK' }]);
 * ledger.byBankAccount('bankgiro', '9912346'); // { ledgerAccount: '1930', company: 'AB', currency: 'SEK' }
 */
export function ledgerAccounts(entries: Iterable<LedgerAccountEntry>): LedgerAccounts {
  const exact = new Map<string, Map<string, LedgerAccount>>();
  const any = new Map<string, LedgerAccount>();
  for (const e of entries) {
    const number = e.number.replace(/\D/g, '');
    const value: LedgerAccount = { ledgerAccount: e.ledgerAccount, company: e.company, currency: e.currency };
    let target = any;
    if (e.kind !== undefined) {
      target = exact.get(e.kind) ?? new Map();
      exact.set(e.kind, target);
    }
    if (target.has(number)) {
      throw new NordfilError(
        issue('duplicate_ledger_account', `bank account ${number} is listed twice for ${e.kind ?? 'every kind'}`, {
          actual: number,
        }),
      );
    }
    target.set(number, value);
  }
  return {
    byBankAccount: (kind, number) => exact.get(kind)?.get(number) ?? any.get(number),
  };
}
