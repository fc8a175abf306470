/**
 * lindorff-daily: a library's day with its debt-collection agency (inkassobyrå), in the Lindorff/Intrum
 * workflow. The agency's SFTP drop box is a local folder here (`fsTransport`: in production put
 * `sftpTransport(...)` from `@nordfil/adapters/sftp` in its place, nothing else changes) and the job's state is
 * kept with `fsStorage`.
 *
 *   06:00  overdue invoices confirmed by the reminder run go on the collection list and out in an LS file;
 *   07:00  the agency answers: receipts (Kvitt: its reference per case, or a rejection) and settlements
 *          (Avsl: paid, partly paid, closed); the next exchange imports each file once;
 *   08:00  a debtor paid the library directly: once the day's OCR giro file is read, the payment goes to the
 *          agency in a correction file (RD).
 *
 * Files use nordfil's own documented collection format (ERP-COLL), not Lindorff's confidential layout: plug
 * the agency's codec in with `codec` when you have it.
 *
 *   npm start -w @nordfil-examples/lindorff-daily
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fsStorage, fsTransport } from '@nordfil/adapters/fs';
import { createKid, type IsoDate, Money } from '@nordfil/core';
import {
  addToCollectionList,
  buildFileName,
  type CollectionClaim,
  caseStore,
  nordfilCollectionFormat,
  parseExportDefinition,
  queueCorrections,
  queueExport,
  runExchange,
  storageOcrLedger,
} from '@nordfil/lindorff';
import { manualClock, memoryLog, requireCapability, type Transport } from '@nordfil/ports';

const TODAY = '2026-11-23' as IsoDate;
const nok = (amount: string) => Money.of(amount, 'NOK');

/** What {@link run} returns. */
export interface DailyResult {
  readonly ok: boolean;
  /** Files we sent to the agency, in order. */
  readonly sent: readonly string[];
  /** Files we received, with the outcome of each import. */
  readonly received: readonly { readonly name: string; readonly outcome: string; readonly records: number }[];
  /** Cases by status after the day. */
  readonly cases: Readonly<Record<string, number>>;
  /** The agency's reference per case, from its receipts. */
  readonly agencyRefs: Readonly<Record<string, string | undefined>>;
  /** A second exchange right after: nothing sent, nothing imported (every file is handled once). */
  readonly rerun: { readonly sent: number; readonly imported: number };
}

/** Four overdue invoices to Norwegian debtors, each with a KID (the payment reference, MOD10). */
export function overdueClaims(): CollectionClaim[] {
  const debtors = [
    ['Kari Nordmann', 'Storgata 1', '0155', 'OSLO', '1250'],
    ['Ola Hansen', 'Bryggen 12', '5003', 'BERGEN', '890'],
    ['Ingrid Berg', 'Kirkegata 7', '7011', 'TRONDHEIM', '2300'],
    ['Lars Olsen', 'Parkveien 33', '4006', 'STAVANGER', '675'],
  ] as const;
  return debtors.map(([name, address1, postalCode, city, amount], i) => {
    const invoice = String(90001 + i);
    return {
      caseRef: invoice,
      debtor: { number: `K${5001 + i}`, type: 'P', name, address1, postalCode, city, country: 'NO' },
      invoice: {
        number: invoice,
        kid: createKid(invoice),
        invoiceDate: '2026-09-01' as IsoDate,
        dueDate: '2026-10-01' as IsoDate,
        originalPrincipal: nok(amount),
        outstandingPrincipal: nok(amount),
      },
      reminders: {
        feesCharged: nok('70'),
        feeNoticeCount: 2,
        lastNoticeDate: '2026-11-01' as IsoDate,
        lastNoticeType: 'VAR', // inkassovarsel sent: the case may go to the agency 14 days later
      },
      interest: { from: '2026-10-01' as IsoDate, basis: 'LOV' },
      disputed: false,
      lines: [],
    };
  });
}

/** Runs the day in `dir` (a fresh temporary folder by default, removed afterwards). Prints nothing. */
export async function run(options: { readonly dir?: string } = {}): Promise<DailyResult> {
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'lindorff-daily-')));
  try {
    return await day(dir);
  } finally {
    if (options.dir === undefined) await rm(dir, { recursive: true, force: true });
  }
}

async function day(dir: string): Promise<DailyResult> {
  // The export definition as staff enter it (Cordel's "eksportdefinisjon"); checked, every problem at once.
  const { definition } = parseExportDefinition({
    name: 'Inkasso',
    format: 'Lindorff',
    serverAddress: 'sftp.agency.example',
    userName: 'creditor42',
    password: 'not-used-by-the-fs-transport',
    uploadFolder: 'inn',
    downloadFolder: 'ut',
    sftp: true,
    customerId: '12345', // KundeID: part of every file name
    agencyBankAccount: '8601.11.17947', // the agency's own account: its payments are not corrections
  });
  const clock = manualClock('2026-11-23T05:00:00Z'); // 06:00 in Oslo
  const log = memoryLog();
  const ctx = {
    transport: fsTransport({ root: join(dir, 'agency'), name: 'agency', fsync: false }),
    storage: fsStorage({ root: join(dir, 'state'), fsync: false }),
    clock,
    log,
    definition,
    creditorOrgNo: '923609016',
  };

  // 06:00: the reminder run confirmed these for collection; export the group collected today
  const claims = overdueClaims();
  for (const claim of claims) await addToCollectionList(ctx, claim, { collectionDate: TODAY });
  await queueExport(ctx, { dueBy: TODAY });
  const morning = await runExchange(ctx); // sends inn/LS12345...

  // 07:00: the agency answers (simulated here with the same codec the job reads)
  clock.advance(60 * 60_000);
  await agencyAnswers(ctx.transport, claims, clock.now());
  const answers = await runExchange(ctx);

  // 08:00: Kari paid 300 kr at the desk. RD files wait until the OCR giro files up to the cut-off are read:
  // record today's (here: without KID payments) in the OCR ledger, then queue the correction.
  clock.advance(60 * 60_000);
  await storageOcrLedger(ctx.storage).record({ fileId: 'OCR.20261123', from: TODAY, to: TODAY, payments: [] });
  await queueCorrections(ctx, {
    cutoff: TODAY,
    manualPayments: [{ id: 'bilag-4411', caseRef: '90001', date: TODAY, amount: nok('300'), text: 'Betalt i kassen' }],
    creditNotes: [],
  });
  const corrections = await runExchange(ctx);

  // a re-run (a crash, a second scheduler) changes nothing
  const again = await runExchange(ctx);

  const cases = await caseStore(ctx.storage).list();
  const byStatus: Record<string, number> = {};
  for (const c of cases) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  const received = [...morning.received, ...answers.received, ...corrections.received].map((f) => ({
    name: f.name,
    outcome: f.outcome,
    records: f.records,
  }));
  return {
    ok: received.every((f) => f.outcome === 'imported'),
    sent: [...morning.sent, ...answers.sent, ...corrections.sent],
    received,
    cases: byStatus,
    agencyRefs: Object.fromEntries(cases.map((c) => [c.caseRef, c.agencyRef])),
    rerun: { sent: again.sent.length, imported: again.received.filter((f) => f.outcome === 'imported').length },
  };
}

/** The agency's side: a Kvitt file (three cases accepted, one rejected) and an Avsl file (one paid, one partly). */
async function agencyAnswers(agency: Transport, claims: readonly CollectionClaim[], at: Date): Promise<void> {
  const transport = requireCapability(agency, 'write'); // typed: `write` is now present
  const codec = nordfilCollectionFormat;
  if (codec.encodeReceipts === undefined || codec.encodeClosures === undefined) throw new Error('codec cannot write');
  const kvitt = buildFileName('Kvitt', { customerNo: '12345', at });
  const avsl = buildFileName('Avsl', { customerNo: '12345', at: new Date(at.getTime() + 60_000) });
  const header = { customerNo: '12345', createdAt: '2026-11-23T07:00:00', sequence: 1 };
  await transport.write(
    `ut/${kvitt}`,
    codec.encodeReceipts({
      header,
      receipts: claims.map((c, i) =>
        i === 3
          ? {
              id: `${kvitt}#${i + 2}`,
              caseRef: c.caseRef,
              status: 'rejected' as const,
              reasonCode: 'ADR',
              reasonText: 'Ukjent adresse',
              registeredDate: TODAY,
            }
          : {
              id: `${kvitt}#${i + 2}`,
              caseRef: c.caseRef,
              agencyRef: `L-${770 + i}`,
              status: 'accepted' as const,
              registeredDate: TODAY,
            },
      ),
    }),
  );
  const zero = nok('0');
  await transport.write(
    `ut/${avsl}`,
    codec.encodeClosures({
      header,
      settlements: [
        {
          id: `${avsl}#2`,
          agencyRef: 'L-771',
          caseRef: '90002',
          event: 'OPPG', // paid in full
          eventDate: TODAY,
          principal: nok('890'),
          interest: nok('12.40'),
          fees: nok('70'),
          costs: nok('350'),
          remitted: nok('972.40'),
          rentenota: nok('12.40'), // the interest note the library books
        },
        {
          id: `${avsl}#3`,
          agencyRef: 'L-772',
          caseRef: '90003',
          event: 'DELB', // partly paid
          eventDate: TODAY,
          principal: nok('200'),
          interest: zero,
          fees: zero,
          costs: nok('100'),
          remitted: nok('200'),
          rentenota: zero,
        },
      ],
    }),
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then(
    (r) => {
      console.log(`sent to the agency: ${r.sent.join(', ')}`);
      for (const f of r.received) console.log(`received ${f.name}: ${f.outcome}, ${f.records} records`);
      console.log(
        `cases: ${Object.entries(r.cases)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}`,
      );
      console.log(`a second run: ${r.rerun.sent} sent, ${r.rerun.imported} imported`);
      process.exitCode = r.ok ? 0 : 1;
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
