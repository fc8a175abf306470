/**
 * `nordfil reconcile FILE --invoices invoices.csv|json [--tolerance 5.00] [-o decisions.csv|json]`: decides every
 * payment of a BGMax, Total-IN or OCR giro file against the open invoices with `@nordfil/matching`, prints the
 * decisions by status and writes them as CSV or JSON.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { formatIssue, NordfilError, type Payment } from '@nordfil/core';
import type { Decision } from '@nordfil/matching';
import { CliError, ExitCode, usageError } from '../errors.js';
import { readAnyFile } from '../formats.js';
import { type Output, table } from '../output.js';
import {
  countByStatus,
  type DecisionRow,
  decisionRow,
  decisionsCsv,
  ledgerForPayments,
  loadMatching,
  parseInvoices,
} from '../payments.js';

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
