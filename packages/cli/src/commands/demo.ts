/**
 * `nordfil demo`: the main job, end to end on local folders standing in for Bankgirot, SPAR and Lindorff
 * (`@nordfil/adapters/fs` transports) with fs storage, on generated, realistic data:
 *
 * 1. Bankgirot delivers a BGMax and a Total-IN file; both go through `@nordfil/matching`'s payment-file register
 *    against the open invoices, and the demo's registrar lowers the invoices' open amounts.
 * 2. SPAR: new borrowers are exported (the nightly infile), SPAR answers with an avisering file in which every
 *    rule fires, and the import applies it.
 * 3. Lindorff: overdue invoices go out in an LS file, the agency answers with receipts (Kvitt) and closures
 *    (Avsl), and a direct payment and a credit note go out in a correction file (RD).
 *
 * Running it again delivers the same files again and shows that nothing is imported twice. The demo's clock is
 * fixed (2026-11-23, 06:00 in Stockholm), so every run sees the same day and makes the same file names.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { detectPaymentFormat, type IsoDate, Money, NordfilError } from '@nordfil/core';
import type { LedgerAccountEntry, MatchingConfigInput, PaymentRecord } from '@nordfil/matching';
import { type Clock, type Log, manualClock, putJson, type Storage, type Transport } from '@nordfil/ports';
import { storageBorrowerRepository } from '../borrowers.js';
import { invoices as genInvoices, people, prng } from '../demo/data.js';
import { listInvoices, openInvoices, type StoredInvoice, seedInvoices, storageRegistrar } from '../demo/ledger.js';
import { DEMO_BANKGIRO, DEMO_PLUSGIRO, demoBgmax, demoTotalIn } from '../demo/payments.js';
import { SPAR_SCENARIOS, sparCases, sparOutfile } from '../demo/spar.js';
import { CliError, ExitCode, loadPackage } from '../errors.js';
import { loadMatching, paymentParser } from '../matching.js';
import { type Output, printingLog, table } from '../output.js';

/**
 * Options of the demo.
 *
 * @example
 * await runDemo(out, { dir: '.nordfil-demo', reset: false, seed: 2026 });
 */
export interface DemoOptions {
  /** The working folder (relative to the working directory). */
  readonly dir: string;
  /** Delete the working folder first. */
  readonly reset?: boolean;
  /** Seed of the generated data. */
  readonly seed?: number;
}

/**
 * What a demo run did, step by step (what the tests check).
 *
 * @example
 * const r = await runDemo(out, { dir });
 * r.payments.newPayments; // 0 on a second run
 */
export interface DemoResult {
  /** 1 for the first run in this folder, 2 for the second, … */
  readonly run: number;
  readonly dir: string;
  readonly payments: {
    readonly files: readonly PaymentFileOutcome[];
    readonly newPayments: number;
    readonly byStatus: Readonly<Record<string, number>>;
  };
  readonly spar: {
    readonly exported: readonly string[];
    readonly exportedNumbers: number;
    readonly files: readonly { readonly name: string; readonly status: string; readonly persons: number }[];
    /** Borrowers changed by this run's import. */
    readonly newUpdates: number;
    readonly rules: Readonly<Record<string, number>>;
  };
  readonly lindorff:
    | {
        readonly sent: readonly string[];
        readonly received: readonly { readonly name: string; readonly outcome: string; readonly records: number }[];
        /** Agency files imported by this run. */
        readonly newAgencyFiles: number;
        readonly cases: Readonly<Record<string, number>>;
      }
    | { readonly unavailable: string };
  /** True when this run imported nothing new (every file was seen before). */
  readonly nothingNew: boolean;
}

/** The demo's day: 06:00 in Stockholm and Oslo. */
const DEMO_START = '2026-11-23T05:00:00.000Z';
const TODAY = '2026-11-23' as IsoDate;
const ACCOUNT = 'lund';
const SPAR_CUSTOMER = '1404';

const count = <T>(items: Iterable<T>, key: (t: T) => string): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const i of items) out[key(i)] = (out[key(i)] ?? 0) + 1;
  return out;
};

/**
 * Runs the demo and returns what happened; prints each step to `out`.
 *
 * @example
 * const result = await runDemo(out, { dir: '/tmp/demo' });
 */
export async function runDemo(out: Output, options: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const dir = resolve(out.io.cwd, options.dir);
  if (options.reset) await rm(dir, { recursive: true, force: true });
  for (const sub of ['bankgirot/in', 'spar/outbox', 'spar/inbox', 'lindorff/upload', 'lindorff/download', 'storage']) {
    await mkdir(join(dir, sub), { recursive: true });
  }
  // keep the generated folder out of version control without touching the project's .gitignore
  await writeFile(join(dir, '.gitignore'), '*\n');
  const { fsStorage, fsTransport } = await loadPackage(
    '@nordfil/adapters/fs',
    () => import('@nordfil/adapters/fs'),
    'the demo',
  );
  // a throwaway folder: no fsync, so the demo stays fast on slow disks
  const storage: Storage = fsStorage({ root: join(dir, 'storage'), fsync: false });
  const bankgirot = fsTransport({ root: join(dir, 'bankgirot'), name: 'bankgirot', fsync: false });
  const sparT = fsTransport({ root: join(dir, 'spar'), name: 'spar', fsync: false });
  const lindorffT = fsTransport({ root: join(dir, 'lindorff'), name: 'lindorff', fsync: false });
  const clock = manualClock(DEMO_START);
  const log: Log = printingLog(out);
  const { c } = out;

  const runs = (await storage.list('demo/runs/')).length;
  const run = runs + 1;
  await putJson(storage, `demo/runs/${String(run).padStart(4, '0')}`, { at: new Date().toISOString() });
  out.say(c.bold(`nordfil demo, run ${run}, in ${options.dir}`));
  out.say(
    c.dim(
      `  folders stand in for Bankgirot (bankgirot/), SPAR (spar/) and Lindorff (lindorff/); state in storage/; demo day ${TODAY}`,
    ),
  );
  if (run > 1)
    out.say(c.dim('  the same files are delivered again: watch nothing be imported twice (--reset starts over)'));

  // ---------------------------------------------------------------------------------------------------------
  // generated data (the same on every run)
  const r = prng(options.seed ?? 2026);
  const persons = people(r, 40);
  const invoices = genInvoices(r, persons, 60, '2026-11-15' as IsoDate);
  const stored: StoredInvoice[] = invoices.map((i) => ({
    id: i.id,
    invoiceNumber: i.invoiceNumber,
    ocr: i.ocr,
    customer: i.customer,
    company: i.company,
    currency: i.currency,
    amount: i.amount,
    open: i.amount,
    dueDate: i.dueDate,
    payments: [],
  }));
  const seededInvoices = await seedInvoices(storage, stored);

  // ---------------------------------------------------------------------------------------------------------
  out.say();
  out.say(c.bold('1. Bankgirot: reconcile a BGMax and a Total-IN file against the open invoices'));
  const [bgmax, totalin] = await Promise.all([
    loadPackage('@nordfil/bgmax', () => import('@nordfil/bgmax'), 'the demo’s BGMax step'),
    loadPackage('@nordfil/totalin', () => import('@nordfil/totalin'), 'the demo’s Total-IN step'),
  ]);
  const payDate = '2026-11-20' as IsoDate;
  const bgBytes = bgmax.writeBgmax(demoBgmax(r, invoices.slice(0, 30), payDate));
  const tiBytes = totalin.writeTotalIn(demoTotalIn(r, invoices.slice(30, 42), payDate));
  await bankgirot.write?.('in/BGMAX_20261120.txt', bgBytes);
  await bankgirot.write?.('in/TOTALIN_20261120.txt', tiBytes);
  out.say(
    `  ${seededInvoices > 0 ? `${seededInvoices} open invoices created; ` : ''}Bankgirot delivered in/BGMAX_20261120.txt and in/TOTALIN_20261120.txt`,
  );
  const paymentFiles = await importPayments(out, { storage, transport: bankgirot, clock, log });
  const byStatus: Record<string, number> = {};
  for (const f of paymentFiles) for (const [s, n] of Object.entries(f.byStatus)) byStatus[s] = (byStatus[s] ?? 0) + n;
  const newPayments = paymentFiles.reduce((s, f) => s + f.newPayments, 0);
  clock.advance(5 * 60_000);

  // ---------------------------------------------------------------------------------------------------------
  out.say();
  out.say(c.bold('2. SPAR: export new borrowers, import SPAR’s answer (every rule fires)'));
  const spar = await import('@nordfil/spar');
  const cases = sparCases(persons.slice(0, 24), ACCOUNT);
  const repo = storageBorrowerRepository(storage);
  const added = await repo.seed(cases.map((x) => x.borrower));
  if (added > 0) {
    // a borrower added to the library is queued for the next nightly export
    for (const x of cases) await spar.queueNewBorrower(storage, x.borrower, { clock });
    out.say(`  ${added} borrowers registered at the library and queued for SPAR`);
  }
  const exp = await spar.runSparExport({
    transport: sparT,
    storage,
    clock,
    log,
    config: { customerNumber: SPAR_CUSTOMER, format: 'list', folder: 'outbox' },
  });
  const exportedNumbers = exp.sent.reduce((s, f) => s + f.pins.length, 0);
  out.say(
    exp.sent.length === 0
      ? '  export: nothing new to send'
      : `  export: sent ${exp.sent.map((s) => `${s.file} (${s.pins.length} numbers)`).join(', ')}`,
  );
  clock.advance(5 * 60_000);
  // SPAR answers: the same avisering file on every run (the infile it answers is the first one)
  const answer = sparOutfile(cases, '2026-11-20' as IsoDate, { infile: spar.exportFileName(SPAR_CUSTOMER, 1, 'list') });
  await sparT.write?.('inbox/avi-1404-20261122.xml', new TextEncoder().encode(answer));
  out.say(
    `  SPAR delivered inbox/avi-1404-20261122.xml (${cases.length} persons: ${SPAR_SCENARIOS.map((s) => s.scenario).join(', ')})`,
  );
  const imp = await spar.runSparImport({
    transport: sparT,
    storage,
    clock,
    log,
    borrowers: repo,
    config: { account: ACCOUNT, folder: 'inbox' },
  });
  const rules = count(imp.decisions, (d) => d.rule);
  const newUpdates = imp.decisions.filter((d) => d.changed).length;
  out.say(`  import: batch status ${imp.batch.status}; ${imp.files.map((f) => `${f.name} ${f.status}`).join(', ')}`);
  if (imp.decisions.length > 0) {
    const placements = count(
      imp.decisions.flatMap((d) => d.actions.filter((a) => a.type === 'address')),
      (a) => (a.type === 'address' ? a.placement : ''),
    );
    out.say(table([['rule', 'persons'], ...Object.entries(rules).map(([k, n]) => [k, String(n)])], '  '));
    out.say(
      `  address rules: ${Object.entries(placements)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
  }
  out.say(`  ${newUpdates} borrowers updated`);
  clock.advance(5 * 60_000);

  // ---------------------------------------------------------------------------------------------------------
  out.say();
  out.say(c.bold('3. Lindorff: send cases, read receipts and closures, send a correction file'));
  let lindorff: DemoResult['lindorff'];
  try {
    lindorff = await demoLindorff(out, { storage, transport: lindorffT, clock, log, seed: options.seed ?? 2026 });
  } catch (e) {
    if (!(e instanceof CliError) || e.code !== 'not_available') throw e;
    lindorff = { unavailable: e.message };
    out.warn(`  skipped: ${e.message}`);
  }

  const newAgencyFiles = 'unavailable' in lindorff ? 0 : lindorff.newAgencyFiles;
  const nothingNew = newPayments === 0 && newUpdates === 0 && newAgencyFiles === 0 && exportedNumbers === 0;
  out.say();
  const summary = `${newPayments} new payments, ${newUpdates} new SPAR updates, ${newAgencyFiles} new agency files`;
  if (run > 1 && nothingNew) out.line(c.green(`Run ${run}: ${summary} (all already imported)`));
  else out.line(`Run ${run}: ${summary}. Run it again to see that nothing is imported twice.`);
  out.say(
    c.dim(
      `  (${((Date.now() - started) / 1000).toFixed(1)} s; files and state are in ${options.dir}; --reset starts over)`,
    ),
  );
  return {
    run,
    dir,
    payments: { files: paymentFiles, newPayments, byStatus },
    spar: {
      exported: exp.sent.map((s) => s.file),
      exportedNumbers,
      files: imp.files.map((f) => ({ name: f.name, status: f.status, persons: f.persons })),
      newUpdates,
      rules,
    },
    lindorff,
    nothingNew,
  };
}

/** One payment file's outcome in the demo's Bankgirot step. */
export interface PaymentFileOutcome {
  /** The file's path in the transport (`in/BGMAX_20261120.txt`). */
  readonly name: string;
  readonly sha256: string;
  readonly format: string;
  /**
   * `imported` (new content: recorded, decided, Complete ones registered); `already imported` (the register
   * refused the same content with `file_already_imported`); `File Error` (kept by the register, not readable).
   */
  readonly status: 'imported' | 'already imported' | 'File Error';
  /** Payments in the file (for an already imported file: as recorded by the earlier import). */
  readonly payments: number;
  /** Payments decided by this run. */
  readonly newPayments: number;
  /** This run's outcome by status (empty for an already imported file). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Payments of this file on the to-check list after this run (empty for an already imported file). */
  readonly toCheck: readonly PaymentRecord[];
}

/** The demo's chart of accounts: the receiving bankgiro and PlusGiro accounts of the library. */
const DEMO_LEDGER: readonly LedgerAccountEntry[] = [
  { kind: 'bankgiro', number: DEMO_BANKGIRO, ledgerAccount: '1930', company: 'Lunds bibliotek AB', currency: 'SEK' },
  { kind: 'plusgiro', number: DEMO_PLUSGIRO, ledgerAccount: '1920', company: 'Lunds bibliotek AB', currency: 'SEK' },
];

/** The demo's matching configuration: ± 5 kr. */
const DEMO_MATCHING: MatchingConfigInput = { tolerance: { absolute: '5' } };

const STATUSES = ['Complete', 'Error', 'Credit', 'Ambiguous'] as const;

/**
 * The Bankgirot step: every file in `in/` goes through `@nordfil/matching`'s payment-file register
 * (`importPaymentFile`), against the open invoices in storage, with the demo's registrar lowering the invoices'
 * open amounts. Prints a table per file, the to-check list of this run's files, and the invoices' state.
 */
async function importPayments(
  out: Output,
  o: { storage: Storage; transport: Transport; clock: Clock; log: Log },
): Promise<PaymentFileOutcome[]> {
  const m = await loadMatching('the demo’s Bankgirot step');
  const base = {
    storage: o.storage,
    clock: o.clock,
    log: o.log,
    parse: await paymentParser(),
    ledger: m.ledgerAccounts(DEMO_LEDGER),
    config: m.matchingConfig(DEMO_MATCHING),
    registrar: storageRegistrar(o.storage),
  };
  const outcomes: PaymentFileOutcome[] = [];
  for (const entry of await o.transport.list('in')) {
    const bytes = await o.transport.read(entry.name);
    const sha256 = m.fileSha256(bytes);
    const format = detectPaymentFormat(bytes);
    const before = await m.getFileRecord(o.storage, sha256);
    // a run that crashed part-way is resumed: only the records it left blank are decided now
    const decidedBefore =
      before?.state === 'importing'
        ? (await m.listRecords(o.storage, { file: sha256 })).filter((r) => r.status !== '').length
        : 0;
    // the open invoices as they are now: an earlier file of this run may have paid some
    const ctx = { ...base, lookup: m.buildInvoiceIndex(await openInvoices(o.storage)) };
    try {
      const { file, summary, records } = await m.importPaymentFile(ctx, { name: basename(entry.name), bytes });
      outcomes.push({
        name: entry.name,
        sha256,
        format,
        status: file.status === 'File Error' ? 'File Error' : 'imported',
        payments: records.length,
        newPayments: records.length - decidedBefore,
        byStatus: Object.fromEntries(Object.entries(summary).filter(([, n]) => n > 0)),
        toCheck: await m.toCheck(o.storage, { file: sha256 }),
      });
    } catch (e) {
      if (!(NordfilError.is(e) && e.code === 'file_already_imported')) throw e;
      outcomes.push({
        name: entry.name,
        sha256,
        format,
        status: 'already imported',
        payments: before?.paymentIds.length ?? 0,
        newPayments: 0,
        byStatus: {},
        toCheck: [],
      });
    }
  }
  const { c } = out;
  out.say(
    table(
      [
        ['file', 'format', 'status', 'payments', 'new', ...STATUSES, 'to check'],
        ...outcomes.map((f) => [
          f.name,
          f.format,
          f.status === 'already imported' ? 'file already imported' : f.status,
          String(f.payments),
          String(f.newPayments),
          ...STATUSES.map((s) => (f.status === 'imported' ? String(f.byStatus[s] ?? 0) : '-')),
          f.status === 'imported' ? String(f.toCheck.length) : '-',
        ]),
      ],
      '  ',
    ),
  );
  const check = outcomes.flatMap((f) => f.toCheck);
  if (check.length > 0) {
    out.say();
    out.say(`  ${c.bold('To check')} (Kontroll Betalfil: Error, Credit, Ambiguous, Complete with comment Amount)`);
    out.say(
      table(
        [
          ['file', 'line', 'amount', 'reference', 'payer', 'status', 'comment', 'invoice'],
          ...check.map((r) => [
            r.incomingFile,
            String(r.payment.source.line),
            `${r.amount} ${r.currency}`,
            r.reference,
            r.payorName,
            r.status,
            r.comment || (r.decision?.evidence.rule ?? ''),
            r.invoiceId ?? '',
          ]),
        ],
        '    ',
      ),
    );
  }
  const all = await m.toCheck(o.storage);
  if (check.length === 0 && all.length > 0) out.say(`  ${all.length} payment(s) still on the to-check list`);
  const invoices = await listInvoices(o.storage);
  const open = (i: StoredInvoice) => Money.of(i.open, i.currency);
  const paid = invoices.filter((i) => !open(i).isPositive()).length;
  const partly = invoices.filter((i) => open(i).isPositive() && !open(i).equals(Money.of(i.amount, i.currency))).length;
  out.say(
    `  invoices: ${paid} paid, ${partly} partly paid, ${invoices.length - paid - partly} unpaid (open amounts in storage, lowered by the registrar)`,
  );
  return outcomes;
}

async function demoLindorff(
  out: Output,
  o: {
    storage: Storage;
    transport: Transport;
    clock: ReturnType<typeof manualClock>;
    log: Log;
    seed: number;
  },
): Promise<DemoResult['lindorff']> {
  const m = await loadPackage('@nordfil/lindorff', () => import('@nordfil/lindorff'), 'the demo’s Lindorff step');
  const { demoClaims, demoReceipts, demoSettlements, DEMO_AGENCY_CUSTOMER } = await import('../demo/lindorff.js');
  const { definition } = m.parseExportDefinition({
    name: 'Inkasso',
    format: 'Lindorff',
    serverAddress: 'sftp.lindorff.example',
    userName: 'demo',
    uploadFolder: 'upload',
    downloadFolder: 'download',
    sftp: true,
    password: 'demo',
    customerId: DEMO_AGENCY_CUSTOMER,
    agencyBankAccount: '8601.11.17947',
  });
  const ctx = {
    transport: o.transport,
    storage: o.storage,
    clock: o.clock,
    log: o.log,
    definition,
    creditorOrgNo: '923609016',
  };
  const claims = demoClaims(prngFor(o.seed), 8, '2026-10-01' as IsoDate);
  let listed = 0;
  for (const claim of claims) {
    try {
      await m.addToCollectionList(ctx, claim, { collectionDate: '2026-11-20' as IsoDate });
      listed++;
    } catch (e) {
      if (!(e as { code?: string }).code?.includes('case_exists')) throw e;
    }
  }
  if (listed > 0) out.say(`  ${listed} overdue invoices put on the collection list`);
  const queued = await m.queueExport(ctx, { dueBy: TODAY });
  const first = await m.runExchange(ctx);
  o.clock.advance(10 * 60_000);

  // the agency answers: receipts and closures (the same files on every run)
  const codec = m.nordfilCollectionFormat;
  const at = new Date(Date.parse(DEMO_START) + 60 * 60_000);
  const kvitt = m.buildFileName('Kvitt', { customerNo: DEMO_AGENCY_CUSTOMER, at }, definition.patterns);
  const avsl = m.buildFileName(
    'Avsl',
    { customerNo: DEMO_AGENCY_CUSTOMER, at: new Date(at.getTime() + 600_000) },
    definition.patterns,
  );
  const header = (sequence: number, createdAt: string) => ({ customerNo: DEMO_AGENCY_CUSTOMER, createdAt, sequence });
  if (codec.encodeReceipts === undefined || codec.encodeClosures === undefined) {
    throw new CliError('not_available', 'the collection codec cannot write agency files yet', ExitCode.failure);
  }
  await o.transport.write?.(
    `download/${kvitt}`,
    codec.encodeReceipts({ header: header(1, '2026-11-23T07:00:00'), receipts: demoReceipts(claims, kvitt, TODAY) }),
  );
  await o.transport.write?.(
    `download/${avsl}`,
    codec.encodeClosures({
      header: header(1, '2026-11-23T07:10:00'),
      settlements: demoSettlements(claims, avsl, TODAY),
    }),
  );
  out.say(`  the agency delivered download/${kvitt} and download/${avsl}`);
  const second = await m.runExchange(ctx);
  o.clock.advance(10 * 60_000);

  // a debtor paid the library directly, and one invoice got a credit note: both go to the agency in an RD file
  const paidDirect = claims[3];
  const credited = claims[4];
  // the day's OCR giro files are read (the agency's own payments are settlements, not corrections)
  await m
    .storageOcrLedger(o.storage)
    .record({ fileId: 'OCR.20261123', from: '2026-11-01' as IsoDate, to: TODAY, payments: [] });
  const { entry } = await m.queueCorrections(ctx, {
    cutoff: TODAY,
    manualPayments:
      paidDirect === undefined
        ? []
        : [
            {
              id: 'bilag-4411',
              caseRef: paidDirect.caseRef,
              date: TODAY,
              amount: Money.of('300', 'NOK'),
              text: 'Betalt direkte i kassen',
            },
          ],
    creditNotes:
      credited === undefined
        ? []
        : [{ id: 'KN-88', caseRef: credited.caseRef, date: TODAY, amount: Money.of('100', 'NOK'), text: 'Kreditnota' }],
  });
  const third = await m.runExchange(ctx);
  const sent = [...first.sent, ...second.sent, ...third.sent];
  const received = [...first.received, ...second.received, ...third.received].map((f) => ({
    name: f.name,
    outcome: f.outcome,
    records: f.records,
  }));
  const cases = count(await m.caseStore(o.storage).list(), (x) => x.status);
  out.say(
    `  LS file ${queued === undefined ? 'not needed (no new cases)' : `queued: ${queued.name}`}; RD file ${entry === undefined ? 'not needed (nothing new to report)' : `queued: ${entry.name}`}`,
  );
  out.say(`  sent: ${sent.length === 0 ? 'nothing' : sent.join(', ')}`);
  out.say(
    `  received: ${received.length === 0 ? 'nothing new' : received.map((f) => `${f.name} (${f.outcome}, ${f.records} records)`).join(', ')}`,
  );
  out.say(
    `  cases: ${Object.entries(cases)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  );
  return { sent, received, newAgencyFiles: received.filter((f) => f.outcome === 'imported').length, cases };
}

function prngFor(seed: number) {
  return prng(seed * 31 + 7);
}

/**
 * Runs `nordfil demo`; exit code 0 when every step ran.
 *
 * @example
 * const code = await demoCommand(out, { dir: '.nordfil-demo' });
 */
export async function demoCommand(out: Output, options: DemoOptions): Promise<number> {
  await runDemo(out, options);
  return ExitCode.ok;
}
