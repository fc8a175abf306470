/**
 * `nordfil reconcile FILE --invoices invoices.csv|json [--tolerance 5.00] [-o decisions.csv|json]`: decides every
 * payment of a BGMax, Total-IN or OCR giro file against the open invoices with `@nordfil/matching`, prints the
 * decisions by status and writes them as CSV or JSON.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { formatIssue, type IsoDate, type Issue, issue, Money, NordfilError, type Payment } from '@nordfil/core';
import type { Decision, Invoice, LedgerAccountEntry } from '@nordfil/matching';
import { CliError, ExitCode, usageError } from '../errors.js';
import { readAnyFile } from '../formats.js';
import { loadMatching } from '../matching.js';
import { type Output, table } from '../output.js';

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

/**
 * Options of `reconcile`.
 *
 * @example
 * await reconcileCommand(out, 'BGMAX.txt', { invoices: 'invoices.csv', tolerance: '5', output: 'decisions.csv' });
 */
export interface ReconcileOptions {
  readonly invoices: string;
  readonly tolerance?: string;
  readonly output?: string;
  readonly json?: boolean;
}

/**
 * Runs `reconcile`; exit code 0 when the decisions were made (whatever their status), 1 when the file or the
 * invoices could not be read.
 *
 * @example
 * const code = await reconcileCommand(out, 'BGMAX.txt', { invoices: 'invoices.json' });
 */
export async function reconcileCommand(out: Output, file: string, options: ReconcileOptions): Promise<number> {
  if (options.tolerance !== undefined && !/^\d+([.,]\d+)?$/.test(options.tolerance)) {
    throw usageError(`--tolerance must be a decimal amount such as 5.00, not "${options.tolerance}"`);
  }
  if (options.output !== undefined && !['.csv', '.json'].includes(extname(options.output).toLowerCase())) {
    throw usageError('--output must end in .csv or .json');
  }
  const m = await loadMatching();
  const f = await readAnyFile(out, resolve(out.io.cwd, file));
  if (f.payments === undefined) {
    throw new CliError(
      'not_a_payment_file',
      `${file} is not a payment file (${f.format}): reconcile reads BGMax, Total-IN and OCR giro`,
    );
  }
  const errors = f.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new NordfilError(errors);
  let invoicesText: string;
  try {
    invoicesText = await readFile(resolve(out.io.cwd, options.invoices), 'utf8');
  } catch (e) {
    throw new CliError(
      'unreadable',
      `cannot read ${options.invoices} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  const invoices = parseInvoices(invoicesText, options.invoices);
  const tolerance = options.tolerance?.replace(',', '.');
  const config = m.matchingConfig(tolerance === undefined ? {} : { tolerance: { absolute: tolerance } });
  const payments = f.payments as readonly Payment[];
  const decisions: Decision[] = m.decideBatch(payments, {
    invoices: m.buildInvoiceIndex(invoices),
    ledger: m.ledgerAccounts(ledgerForPayments(payments)),
    config,
  });
  const rows: DecisionRow[] = payments.map((p, i) => decisionRow(p, decisions[i] as Decision));
  const counts = countByStatus(rows);
  if (options.output !== undefined) {
    const target = resolve(out.io.cwd, options.output);
    const text = extname(target).toLowerCase() === '.json' ? `${JSON.stringify(rows, null, 2)}\n` : decisionsCsv(rows);
    await writeFile(target, text);
  }
  if (options.json) {
    out.line(JSON.stringify({ file, invoices: invoices.length, counts, decisions: rows }, null, 2));
    return ExitCode.ok;
  }
  const { c } = out;
  out.line(
    `${c.bold(file)}: ${payments.length} payment(s) against ${invoices.length} open invoice(s)${tolerance === undefined ? '' : `, tolerance ±${tolerance}`}`,
  );
  for (const i of f.issues) out.line(`  ${c.yellow(formatIssue(i))}`);
  out.line(table([['status', 'payments'], ...Object.entries(counts).map(([s, n]) => [s, String(n)])], '  '));
  for (const status of ['Error', 'Ambiguous', 'Credit', 'Complete']) {
    const list = rows.filter((r) => r.status === status);
    if (list.length === 0 || (status === 'Complete' && out.quiet)) continue;
    out.say();
    out.say(`  ${c.bold(status)}`);
    out.say(
      table(
        [
          ['line', 'amount', 'reference', 'payer', 'comment', 'invoice'],
          ...list.map((r) => [
            String(r.line),
            `${r.amount} ${r.currency}`,
            r.reference,
            r.payer,
            r.comment || r.rule,
            r.invoices,
          ]),
        ],
        '    ',
      ),
    );
  }
  if (options.output !== undefined) out.say(`\nDecisions written to ${options.output}`);
  return ExitCode.ok;
}
