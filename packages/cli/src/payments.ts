/**
 * Payments against invoices, for `reconcile` and the demo: reading an invoice list (CSV or JSON), deciding with
 * `@nordfil/matching`, writing decisions as CSV or JSON, and the demo's register job that imports payment files
 * from a transport once each (file hash and payment id are both recorded with `createIfAbsent`).
 */
import { createHash } from 'node:crypto';
import { type IsoDate, type Issue, issue, Money, NordfilError, type Payment } from '@nordfil/core';
import type { Decision, Invoice, LedgerAccountEntry, MatchingConfigInput } from '@nordfil/matching';
import { createJsonIfAbsent, getJson, type Log, Priority, putJson, type Storage, type Transport } from '@nordfil/ports';
import { loadPackage } from './errors.js';
import { parseAny } from './formats.js';

/** Loads `@nordfil/matching`, or explains that it is not available yet. */
export function loadMatching(feature = 'reconciling payments'): Promise<typeof import('@nordfil/matching')> {
  return loadPackage('@nordfil/matching', () => import('@nordfil/matching'), feature);
}

/** An invoice as the CLI reads it (CSV row or JSON object): amounts are decimal strings. */
export interface InvoiceRow {
  readonly invoice: string;
  readonly ocr?: string;
  readonly amount: string;
  readonly currency?: string;
  readonly customer?: string;
  readonly due?: string;
}

/** The company every invoice of `reconcile` belongs to (the CLI has no chart of accounts). */
export const DEFAULT_COMPANY = 'default';

function splitCsvLine(line: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

const ALIASES: Readonly<Record<string, keyof InvoiceRow>> = {
  invoice: 'invoice',
  invoicenumber: 'invoice',
  number: 'invoice',
  ocr: 'ocr',
  reference: 'ocr',
  amount: 'amount',
  open: 'amount',
  openamount: 'amount',
  currency: 'currency',
  customer: 'customer',
  due: 'due',
  duedate: 'due',
};

/**
 * Reads an invoice list: CSV with a header row (`invoice,ocr,amount,currency,customer,due`; `;` also accepted as
 * separator; decimal comma accepted) or JSON (an array of such objects, or `{ invoices: [...] }`). Every problem
 * is listed at once.
 *
 * @example
 * const invoices = parseInvoices(text, 'invoices.csv');
 */
export function parseInvoices(text: string, source: string): Invoice[] {
  const issues: Issue[] = [];
  let rows: { row: Record<string, unknown>; line: number }[] = [];
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (e) {
      throw new NordfilError(issue('invalid_json', `not valid JSON: ${(e as Error).message}`, { source }));
    }
    const list = Array.isArray(json) ? json : (json as { invoices?: unknown }).invoices;
    if (!Array.isArray(list))
      throw new NordfilError(issue('invalid_invoices', 'expected an array of invoices', { source }));
    rows = list.map((row, i) => ({ row: (row ?? {}) as Record<string, unknown>, line: i + 1 }));
  } else {
    const lines = trimmed.split(/\r?\n/);
    const first = lines[0] ?? '';
    const sep = first.includes(';') && !first.includes(',') ? ';' : ',';
    const header = splitCsvLine(first, sep).map((h) => ALIASES[h.toLowerCase().replace(/[^a-z]/g, '')] ?? h);
    if (!header.includes('invoice') || !header.includes('amount')) {
      throw new NordfilError(
        issue('invalid_invoices', 'the header row must name at least the columns invoice and amount', {
          source,
          line: 1,
        }),
      );
    }
    lines.slice(1).forEach((l, i) => {
      if (l.trim() === '') return;
      const cells = splitCsvLine(l, sep);
      const row: Record<string, unknown> = {};
      header.forEach((h, j) => {
        if (cells[j] !== undefined && cells[j] !== '') row[h] = cells[j];
      });
      rows.push({ row, line: i + 2 });
    });
  }
  const out: Invoice[] = [];
  const seen = new Set<string>();
  for (const { row, line } of rows) {
    const invoice = String(row.invoice ?? row.invoiceNumber ?? '').trim();
    const amountText = String(row.amount ?? row.openAmount ?? '')
      .replace(/\s/g, '')
      .replace(',', '.');
    const currency = String(row.currency ?? 'SEK').toUpperCase();
    const where = { source, line };
    if (invoice === '') {
      issues.push(issue('missing_field', 'invoice number missing', { ...where, field: 'invoice' }));
      continue;
    }
    if (seen.has(invoice))
      issues.push(issue('duplicate_invoice', `invoice ${invoice} is listed twice`, { ...where, field: 'invoice' }));
    seen.add(invoice);
    if (!/^-?\d+(\.\d+)?$/.test(amountText)) {
      issues.push(
        issue('invalid_amount', `invoice ${invoice}: amount "${amountText}" is not a decimal number`, {
          ...where,
          field: 'amount',
        }),
      );
      continue;
    }
    let openAmount: Money;
    try {
      openAmount = Money.of(amountText, currency);
    } catch (e) {
      issues.push(
        issue('invalid_amount', `invoice ${invoice}: ${(e as Error).message}`, { ...where, field: 'amount' }),
      );
      continue;
    }
    const ocr = row.ocr ?? row.reference;
    const due = row.due ?? row.dueDate;
    out.push({
      id: invoice,
      invoiceNumber: invoice,
      ...(ocr === undefined || ocr === '' ? {} : { ocr: String(ocr) }),
      customer: String(row.customer ?? ''),
      company: DEFAULT_COMPANY,
      openAmount,
      ...(typeof due === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(due) ? { dueDate: due as IsoDate } : {}),
    });
  }
  if (issues.length > 0) throw new NordfilError(issues);
  return out;
}

/**
 * A chart of accounts for `reconcile`, which has none: every receiving account in the payments belongs to
 * {@link DEFAULT_COMPANY}, in the currency of its payments.
 *
 * @example
 * const ledger = ledgerForPayments(payments);
 */
export function ledgerForPayments(payments: readonly Payment[]): LedgerAccountEntry[] {
  const seen = new Map<string, LedgerAccountEntry>();
  for (const p of payments) {
    const key = `${p.receivingAccount.kind}:${p.receivingAccount.number}`;
    if (!seen.has(key)) {
      seen.set(key, {
        kind: p.receivingAccount.kind,
        number: p.receivingAccount.number,
        ledgerAccount: p.receivingAccount.number,
        company: DEFAULT_COMPANY,
        currency: p.currency,
      });
    }
  }
  return [...seen.values()];
}

/** A flat row of a decision, for CSV output and summaries. */
export interface DecisionRow {
  readonly paymentId: string;
  readonly file: string;
  readonly line: number;
  readonly date: string;
  readonly kind: string;
  readonly amount: string;
  readonly currency: string;
  readonly reference: string;
  readonly payer: string;
  readonly status: string;
  readonly comment: string;
  readonly rule: string;
  readonly invoices: string;
  readonly applied: string;
  readonly unapplied: string;
}

/**
 * Flattens a decision with its payment.
 *
 * @example
 * const rows = decisions.map((d, i) => decisionRow(payments[i]!, d));
 */
export function decisionRow(p: Payment, d: Decision): DecisionRow {
  const applied = d.allocations.reduce((sum, a) => sum.plus(a.amount), Money.zero(p.currency));
  return {
    paymentId: p.id,
    file: p.source.file,
    line: p.source.line,
    date: p.date,
    kind: p.kind,
    amount: p.amount.toString(),
    currency: p.currency,
    reference: p.reference ?? '',
    payer: p.payer.name ?? '',
    status: d.status,
    comment: d.comment,
    rule: d.evidence.rule,
    invoices: d.allocations.length > 0 ? d.allocations.map((a) => a.invoiceId).join(' ') : (d.invoiceId ?? ''),
    applied: applied.toString(),
    unapplied: d.unapplied.toString(),
  };
}

const CSV_COLUMNS: readonly (keyof DecisionRow)[] = [
  'paymentId',
  'file',
  'line',
  'date',
  'kind',
  'amount',
  'currency',
  'reference',
  'payer',
  'status',
  'comment',
  'rule',
  'invoices',
  'applied',
  'unapplied',
];

/**
 * Decisions as CSV (RFC 4180 quoting, a header row, LF line ends).
 *
 * @example
 * writeFileSync('decisions.csv', decisionsCsv(rows));
 */
export function decisionsCsv(rows: readonly DecisionRow[]): string {
  const q = (v: unknown) => {
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[CSV_COLUMNS.join(','), ...rows.map((r) => CSV_COLUMNS.map((c) => q(r[c])).join(','))].join('\n')}\n`;
}

/**
 * Counts decisions by status, in a fixed order.
 *
 * @example
 * countByStatus(rows); // { Complete: 30, Error: 6, Credit: 2, Ambiguous: 0 }
 */
export function countByStatus(rows: readonly { readonly status: string }[]): Record<string, number> {
  const out: Record<string, number> = { Complete: 0, Error: 0, Credit: 0, Ambiguous: 0 };
  for (const r of rows) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The demo's register job

/** An invoice as the demo keeps it in storage (`ledger/invoices/<id>`): amounts as decimal strings. */
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
  readonly payments: readonly string[];
}

const INVOICES = 'ledger/invoices/';

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
 * const open = (await listInvoices(storage)).filter((i) => i.open !== '0.00');
 */
export async function listInvoices(storage: Storage): Promise<StoredInvoice[]> {
  const out: StoredInvoice[] = [];
  for (const key of await storage.list(INVOICES)) {
    const inv = await getJson<StoredInvoice>(storage, key);
    if (inv !== undefined) out.push(inv);
  }
  return out;
}

/** One file's outcome in {@link importPaymentFiles}. */
export interface PaymentFileOutcome {
  readonly name: string;
  readonly sha256: string;
  readonly format: string;
  /** `imported`; `skipped` (the same content was imported before); `invalid` (not readable). */
  readonly status: 'imported' | 'skipped' | 'invalid';
  readonly payments: number;
  /** Payments decided in this run (a payment seen before, e.g. in a re-delivered file, is not decided again). */
  readonly newPayments: number;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly issues: readonly Issue[];
}

/**
 * What the register job needs.
 *
 * @example
 * await importPaymentFiles({ transport, storage, log, folder: 'in', ledger: [...], config: { tolerance: { absolute: '5' } } });
 */
export interface ImportPaymentFilesOptions {
  readonly transport: Transport;
  readonly storage: Storage;
  readonly log: Log;
  readonly folder?: string;
  readonly ledger: readonly LedgerAccountEntry[];
  readonly config?: MatchingConfigInput;
  readonly at: string;
}

/**
 * Imports every payment file in a folder once: a file is recorded under the SHA-256 of its content
 * (`payments/files/<sha>`) and each payment under its id (`payments/decided/<id>`, the file identity and line),
 * both with `createIfAbsent`, so a file delivered twice (under any name) decides and applies nothing twice.
 * Complete decisions reduce the invoices' open amounts.
 *
 * @example
 * const outcomes = await importPaymentFiles(options);
 */
export async function importPaymentFiles(options: ImportPaymentFilesOptions): Promise<PaymentFileOutcome[]> {
  const m = await loadMatching('importing payment files');
  const { transport, storage, log } = options;
  const config = m.matchingConfig(options.config ?? {});
  const ledger = m.ledgerAccounts(options.ledger);
  const outcomes: PaymentFileOutcome[] = [];
  for (const entry of await transport.list(options.folder)) {
    const bytes = await transport.read(entry.name);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const marker = `payments/files/${sha256}`;
    const seen = await getJson<{ name: string; status: string; at: string }>(storage, marker);
    if (seen !== undefined && seen.status === 'done') {
      log.write({
        priority: Priority.notice,
        code: 'file_already_imported',
        message: `${entry.name} was imported before (${seen.name}, ${seen.at}): skipped`,
        data: { file: entry.name, sha256 },
      });
      outcomes.push({
        name: entry.name,
        sha256,
        format: '?',
        status: 'skipped',
        payments: 0,
        newPayments: 0,
        byStatus: {},
        issues: [],
      });
      continue;
    }
    if (seen === undefined)
      await createJsonIfAbsent(storage, marker, { name: entry.name, status: 'started', at: options.at });
    const f = await parseAny(bytes, entry.name);
    const errors = f.issues.filter((i) => i.severity === 'error');
    if (f.payments === undefined || errors.length > 0) {
      log.write({
        priority: Priority.error,
        code: 'file_invalid',
        message: `${entry.name} cannot be read: ${errors[0]?.message ?? 'not a payment file'}`,
        data: { file: entry.name, ...(errors[0]?.line === undefined ? {} : { line: errors[0].line }) },
      });
      await putJson(storage, marker, { name: entry.name, status: 'invalid', at: options.at });
      outcomes.push({
        name: entry.name,
        sha256,
        format: f.format,
        status: 'invalid',
        payments: 0,
        newPayments: 0,
        byStatus: {},
        issues: f.issues,
      });
      continue;
    }
    const stored = await listInvoices(storage);
    const open = stored
      .filter((i) => Money.of(i.open, i.currency).isPositive())
      .map(
        (i): Invoice => ({
          id: i.id,
          invoiceNumber: i.invoiceNumber,
          ...(i.ocr === undefined ? {} : { ocr: i.ocr }),
          customer: i.customer,
          company: i.company,
          openAmount: Money.of(i.open, i.currency),
        }),
      );
    const fresh: Payment[] = [];
    for (const p of f.payments) if ((await storage.get(`payments/decided/${p.id}`)) === undefined) fresh.push(p);
    const decisions = m.decideBatch(fresh, { invoices: m.buildInvoiceIndex(open), ledger, config });
    const byStatus: Record<string, number> = {};
    let decided = 0;
    for (let i = 0; i < fresh.length; i++) {
      const p = fresh[i] as Payment;
      const d = decisions[i] as Decision;
      const row = decisionRow(p, d);
      if (!(await createJsonIfAbsent(storage, `payments/decided/${p.id}`, row))) continue;
      decided++;
      byStatus[d.status] = (byStatus[d.status] ?? 0) + 1;
      for (const a of d.allocations) {
        const inv = await getJson<StoredInvoice>(storage, `${INVOICES}${a.invoiceId}`);
        if (inv === undefined) continue;
        const left = Money.of(inv.open, inv.currency).minus(a.amount);
        await putJson(storage, `${INVOICES}${a.invoiceId}`, {
          ...inv,
          open: left.toString(),
          payments: [...inv.payments, p.id],
        });
      }
      if (d.status !== 'Complete') {
        log.write({
          priority: d.status === 'Credit' ? Priority.info : Priority.warning,
          code: `payment_${d.status.toLowerCase()}`,
          message: `${entry.name}:${p.source.line} ${p.amount.toString()} ${p.currency} ref ${p.reference ?? '-'}: ${d.status}${d.comment === '' ? '' : ` (${d.comment})`}`,
          data: { file: entry.name, line: p.source.line, rule: d.evidence.rule },
        });
      }
    }
    await putJson(storage, marker, { name: entry.name, status: 'done', at: options.at, payments: f.payments.length });
    log.write({
      priority: Priority.notice,
      code: 'file_imported',
      message: `Imported ${entry.name} (${f.format}): ${f.payments.length} payments, ${decided} new`,
      data: { file: entry.name, payments: f.payments.length, decided },
    });
    outcomes.push({
      name: entry.name,
      sha256,
      format: f.format,
      status: 'imported',
      payments: f.payments.length,
      newPayments: decided,
      byStatus,
      issues: f.issues,
    });
  }
  return outcomes;
}
