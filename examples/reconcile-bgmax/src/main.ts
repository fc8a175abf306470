/**
 * reconcile-bgmax: the library, no I/O framework around it. Reads a Bankgirot BGMax file (Bankgiro
 * Inbetalningar), turns it into the shared `Payment` model, and decides every payment against the open
 * invoices with a ± 10 kr tolerance, the way an ERP's nightly "Kundinbetalningar" run does.
 *
 *   npm start -w @nordfil-examples/reconcile-bgmax            # the bundled sample file
 *   npm start -w @nordfil-examples/reconcile-bgmax -- FILE    # your own BGMax file
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { safeParseBgmax, toPayments } from '@nordfil/bgmax';
import { Money } from '@nordfil/core';
import {
  buildInvoiceIndex,
  type Decision,
  decideBatch,
  type Invoice,
  ledgerAccounts,
  matchingConfig,
} from '@nordfil/matching';

/** The sample files shipped with the example (a day's BGMax file and the invoices it pays). */
export const SAMPLE_BGMAX = fileURLToPath(new URL('../data/BGMAX.20261123.txt', import.meta.url));
export const SAMPLE_INVOICES = fileURLToPath(new URL('../data/invoices.json', import.meta.url));

/** Options of {@link run}; every one has a default so `run()` reconciles the sample. */
export interface ReconcileOptions {
  /** The BGMax file to read. */
  readonly bgmaxPath?: string;
  /** The open invoices, as JSON: `[{ id, invoiceNumber, ocr?, customer, company, openAmount, currency }]`. */
  readonly invoicesPath?: string;
  /** Accept payments this far above or below the open amount (kronor). The seed's workflow uses 10. */
  readonly tolerance?: string;
}

/** One decided payment, flattened for printing and for the test. */
export interface ReconciledPayment {
  readonly paymentId: string;
  readonly reference: string | undefined;
  readonly amount: string;
  readonly status: Decision['status'];
  readonly comment: string;
  readonly invoiceId: string | undefined;
  readonly applied: string;
  /** "Did you mean": invoices whose OCR number is one typing mistake away (a failed check digit). */
  readonly suggestions: readonly string[];
}

/** What {@link run} returns: the file's facts and one line per payment. */
export interface ReconcileResult {
  readonly ok: boolean;
  readonly file: string;
  readonly writtenAt: string;
  readonly depositTotal: string;
  readonly warnings: number;
  readonly payments: readonly ReconciledPayment[];
  readonly counts: Readonly<Record<string, number>>;
}

interface InvoiceRow {
  readonly id: string;
  readonly invoiceNumber: string;
  readonly ocr?: string;
  readonly customer: string;
  readonly company: string;
  readonly openAmount: string;
  readonly currency: string;
}

/** Parses, maps and decides. Pure apart from reading the two files; prints nothing. */
export async function run(options: ReconcileOptions = {}): Promise<ReconcileResult> {
  const bgmaxPath = options.bgmaxPath ?? SAMPLE_BGMAX;
  const source = basename(bgmaxPath);

  // 1. Parse, strictly: a broken control total is an error listing every issue with its line number.
  //    safeParseBgmax returns it as data (parseBgmax would throw one NordfilError); warnings (physical
  //    quirks such as a missing final newline) never fail a file.
  const parsed = safeParseBgmax(await readFile(bgmaxPath), { source });
  if (!parsed.success) throw parsed.error;
  const file = parsed.data;

  // 2. Map to core's Payment: one per TK20 (payment) or TK21 (deduction, negative), dated by the TK15
  //    deposit record, with a deterministic id (`bgmax:<TK01 timestamp>:P#<line>`) the host can use to refuse
  //    a duplicate when the same file is delivered twice.
  const payments = toPayments(file);

  // 3. The host's side: open invoices and its chart of accounts (which company owns the receiving bankgiro).
  const rows = JSON.parse(await readFile(options.invoicesPath ?? SAMPLE_INVOICES, 'utf8')) as InvoiceRow[];
  const invoices: Invoice[] = rows.map((r) => ({
    id: r.id,
    invoiceNumber: r.invoiceNumber,
    ...(r.ocr === undefined ? {} : { ocr: r.ocr }),
    customer: r.customer,
    company: r.company,
    openAmount: Money.of(r.openAmount, r.currency), // exact decimal, never a float
  }));
  const ctx = {
    invoices: buildInvoiceIndex(invoices),
    ledger: ledgerAccounts([{ number: '991-2346', ledgerAccount: '1930', company: 'AB', currency: 'SEK' }]),
    config: matchingConfig({ tolerance: { absolute: options.tolerance ?? '10' } }),
  };

  // 4. Decide. Pure: nothing is applied; the host registers each Complete decision's allocations itself.
  const decisions = decideBatch(payments, ctx);
  const byId = new Map(payments.map((p) => [p.id, p]));
  const lines: ReconciledPayment[] = decisions.map((d) => {
    const p = byId.get(d.paymentId);
    return {
      paymentId: d.paymentId,
      reference: p?.reference,
      amount: p?.amount.toString() ?? '',
      status: d.status,
      comment: d.comment,
      invoiceId: d.invoiceId,
      applied: d.allocations.reduce((sum, a) => sum.plus(a.amount), Money.of('0', 'SEK')).toString(),
      suggestions: d.suggestions.map((s) => (s.kind === 'check-digit' ? s.invoiceId : s.paymentId)),
    };
  });
  const counts: Record<string, number> = {};
  for (const l of lines) counts[l.status] = (counts[l.status] ?? 0) + 1;

  const section = file.sections[0];
  return {
    ok: true,
    file: source,
    writtenAt: file.header?.timestamp ?? '',
    depositTotal: section?.deposit?.amount?.toString() ?? '',
    warnings: parsed.warnings.length,
    payments: lines,
    counts,
  };
}

function print(r: ReconcileResult): void {
  console.log(`${r.file} (written ${r.writtenAt}), deposit total ${r.depositTotal} SEK`);
  for (const p of r.payments) {
    const what = `${p.status}${p.comment ? ` / ${p.comment}` : ''}`;
    const hint = p.suggestions.length > 0 ? ` (did you mean ${p.suggestions.join(', ')}?)` : '';
    console.log(
      `  ${p.paymentId}  ${p.amount.padStart(9)}  ref ${p.reference ?? '-'}  -> ${what} ${p.invoiceId ?? ''}${hint}`,
    );
  }
  console.log(
    `  ${Object.entries(r.counts)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
}

// Run directly (`npm start`), print; imported (the test), stay silent.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run(process.argv[2] === undefined ? {} : { bgmaxPath: process.argv[2] }).then(print, (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  });
}
