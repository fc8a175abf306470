/**
 * The exchange with the agency through the ports, and the user actions that feed it. Quick3's automatic job
 * "Hent filer fra Lindorff (kvittering og saksoppdatering)", run daily (e.g. 06:00) by the host's scheduler:
 *
 * 1. (optionally) queue an LS file for every collection-list group that is due;
 * 2. for each queued file (LS first, then RD): upload it (atomically), then mark it sent, its cases exported;
 * 3. list the download folder and import each new receipt (Kvitt) and settlement (Avsl) file once.
 *
 * Every step leaves a marker in Storage (`outbox/` → `uploaded/` → `sent/`; `received/<name>@<sha256>`), and
 * every state change is made in one transaction with its marker, so a run stopped at any point is finished by
 * the next run without sending or importing anything twice. Every file sent or received is logged.
 */
import { createHash } from 'node:crypto';
import { type IsoDate, type Issue, issue, NordfilError } from '@nordfil/core';
import {
  type Clock,
  type Log,
  Priority,
  requireCapability,
  type Storage,
  type StorageOps,
  type Transport,
  temporaryPathFor,
  withTransaction,
} from '@nordfil/ports';
import {
  type AgencyFileDecision,
  type AgencyInterestNote,
  applyReceipts,
  applySettlements,
  type CollectionCase,
  collectionList,
  type GroupSelection,
  listCase,
  markExported,
  type RemovalNotice,
  removeFromList,
  selectGroup,
} from './cases.js';
import type { ExportDefinition } from './config.js';
import {
  buildCorrections,
  type CorrectionBatch,
  type CreditNote,
  type ManualPayment,
  type OcrLedgerEntry,
} from './corrections.js';
import {
  type CollectionClaim,
  type CollectionCodec,
  type EncodeFileOptions,
  nordfilCollectionFormat,
} from './format.js';
import { buildFileName, osloTime, parseFileName } from './names.js';
import { caseStore, fromBytes, keys, storageOcrLedger, toBytes } from './store.js';

/**
 * The ports and settings every action and the job use.
 *
 * @example
 * const ctx: ExchangeContext = { transport: sftp, storage: pg, clock: systemClock(), log, definition };
 */
export interface ExchangeContext {
  /** The agency's server (an SFTP or FTP adapter from `@nordfil/adapters`, or `memoryTransport` in tests). */
  readonly transport: Transport;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly log: Log;
  readonly definition: ExportDefinition;
  /** The file layout; default {@link nordfilCollectionFormat} (ours, not the agency's). */
  readonly codec?: CollectionCodec;
  /** Storage key prefix; default `lindorff/`. */
  readonly prefix?: string;
  /** Our organisation number, written in file headers. */
  readonly creditorOrgNo?: string;
  readonly encodeOptions?: EncodeFileOptions;
}

/**
 * A file built and waiting to be sent (the `outbox/` entry).
 *
 * @example
 * const e: OutboxEntry = { kind: 'LS', name: 'LS12345…', path: 'inn/LS12345…', data: '…', ids: ['1001'], createdAt: '2026-11-23T06:00:00', date: '2026-11-23' };
 */
export interface OutboxEntry {
  readonly kind: 'LS' | 'RD';
  readonly name: string;
  readonly path: string;
  /** The file's bytes, base64. */
  readonly data: string;
  /** Case references (LS) or correction ids (RD) in the file. */
  readonly ids: readonly string[];
  /** Europe/Oslo `YYYY-MM-DDTHH:mm:ss`. */
  readonly createdAt: string;
  readonly date: IsoDate;
}

/**
 * The log record of one received file (the `received/` entry): Inkasso – Logg.
 *
 * @example
 * const r: ReceivedFile = { name: 'Kvitt_K12345_…', kind: 'Kvitt', sha256: '…', size: 120, receivedAt: '…', outcome: 'imported', records: 2, changedCases: ['1001'], issues: [] };
 */
export interface ReceivedFile {
  readonly name: string;
  readonly kind: 'Kvitt' | 'Avsl';
  readonly sha256: string;
  readonly size: number;
  readonly receivedAt: string;
  /** `imported`; `duplicate` (same bytes as another file, not applied); `rejected` (not readable, not applied). */
  readonly outcome: 'imported' | 'duplicate' | 'rejected';
  readonly records: number;
  readonly changedCases: readonly string[];
  readonly issues: readonly Issue[];
}

const codecOf = (ctx: ExchangeContext) => ctx.codec ?? nordfilCollectionFormat;
const keysOf = (ctx: ExchangeContext) => keys(ctx.prefix ?? 'lindorff/');
const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unbase64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const join = (folder: string, name: string) => {
  const f = folder.replace(/\/$/, '');
  return f === '' ? name : `${f}/${name}`;
};
const nowOslo = (ctx: ExchangeContext) => osloTime(ctx.clock.now());
const todayOslo = (ctx: ExchangeContext) => nowOslo(ctx).iso.slice(0, 10) as IsoDate;

async function allCases(tx: StorageOps, ctx: ExchangeContext): Promise<CollectionCase[]> {
  return caseStore(tx, ctx.prefix).list();
}

/**
 * Puts a claim on the collection list (after the reminder run confirmed it and {@link checkTransfer} allowed it).
 * Throws `case_exists` when a case with its reference exists.
 *
 * @example
 * await addToCollectionList(ctx, claim, { collectionDate: '2026-11-23' as IsoDate });
 */
export async function addToCollectionList(
  ctx: Pick<ExchangeContext, 'storage' | 'prefix'>,
  claim: CollectionClaim,
  options: { readonly collectionDate: IsoDate },
): Promise<CollectionCase> {
  const c = listCase(claim, options);
  if (!(await caseStore(ctx.storage, ctx.prefix).create(c))) {
    throw new NordfilError(
      issue('case_exists', `case ${claim.caseRef} is already in collection`, { field: claim.caseRef }),
    );
  }
  return c;
}

/**
 * Removes a case from the collection list (to register a direct payment) and stores the {@link RemovalNotice}
 * that must be told to the agency, in one transaction.
 *
 * @example
 * const notice = await removeCase(ctx, '1001', { date, reason: 'paid directly' });
 */
export async function removeCase(
  ctx: Pick<ExchangeContext, 'storage' | 'prefix'>,
  caseRef: string,
  options: { readonly date: IsoDate; readonly reason: string },
): Promise<RemovalNotice> {
  const k = keys(ctx.prefix ?? 'lindorff/');
  return withTransaction(ctx.storage, async (tx) => {
    const c = await caseStore(tx, ctx.prefix).get(caseRef);
    if (c === undefined) throw new NordfilError(issue('unknown_case', `no case ${caseRef}`, { field: caseRef }));
    const r = removeFromList(c, options);
    await caseStore(tx, ctx.prefix).put(r.case);
    await tx.put(k.notice(r.notice.id), toBytes(r.notice));
    return r.notice;
  });
}

/**
 * Acknowledges a removal notice (the agency has been told).
 *
 * @example
 * await acknowledgeRemoval(ctx, notice.id, { date, by: 'kari' });
 */
export async function acknowledgeRemoval(
  ctx: Pick<ExchangeContext, 'storage' | 'prefix'>,
  id: string,
  options: { readonly date: IsoDate; readonly by: string },
): Promise<RemovalNotice> {
  const k = keys(ctx.prefix ?? 'lindorff/');
  const b = await ctx.storage.get(k.notice(id));
  if (b === undefined) throw new NordfilError(issue('unknown_notice', `no removal notice ${id}`));
  const n: RemovalNotice = { ...fromBytes<RemovalNotice>(b), acknowledged: { date: options.date, by: options.by } };
  await ctx.storage.put(k.notice(id), toBytes(n));
  return n;
}

async function createOutbox(
  ctx: ExchangeContext,
  tx: StorageOps,
  kind: 'LS' | 'RD',
  make: (sequence: number, createdAt: string) => Uint8Array,
  ids: readonly string[],
): Promise<OutboxEntry> {
  const k = keysOf(ctx);
  const t = nowOslo(ctx);
  const name = buildFileName(
    kind,
    { customerNo: ctx.definition.customerId, at: ctx.clock.now() },
    ctx.definition.patterns,
  );
  const earlier = (await tx.list(k.outbox)).length;
  const data = make(earlier + 1, t.iso);
  const entry: OutboxEntry = {
    kind,
    name,
    path: join(ctx.definition.uploadFolder, name),
    data: base64(data),
    ids,
    createdAt: t.iso,
    date: t.iso.slice(0, 10) as IsoDate,
  };
  if (!(await tx.createIfAbsent(k.outboxFile(name), toBytes(entry)))) {
    throw new NordfilError(
      issue('file_name_in_use', `a file named ${name} was already made this second; try again`, { source: name }),
    );
  }
  return entry;
}

const header = (ctx: ExchangeContext, sequence: number, createdAt: string) => ({
  customerNo: ctx.definition.customerId,
  ...(ctx.creditorOrgNo === undefined ? {} : { creditorOrgNo: ctx.creditorOrgNo }),
  createdAt,
  sequence,
});

/**
 * Which listed cases an LS file takes: one group (by its collection date or one of its invoices, as in Cordel),
 * or every group dated on or before a day (`dueBy`, the automatic job's choice).
 *
 * @example
 * const s: ExportSelection = { dueBy: '2026-11-23' as IsoDate };
 */
export type ExportSelection = GroupSelection | { readonly dueBy: IsoDate };

/**
 * Builds the LS file for the selected listed cases and queues it for the next exchange run; its cases become
 * `queued`. Returns `undefined` when nothing is selected (for `dueBy`; a group selection that names nothing throws).
 *
 * @example
 * await queueExport(ctx, { invoice: '1001' }); // the group of invoice 1001
 */
export async function queueExport(ctx: ExchangeContext, selection: ExportSelection): Promise<OutboxEntry | undefined> {
  return withTransaction(ctx.storage, async (tx) => {
    const cases = await allCases(tx, ctx);
    const chosen =
      'dueBy' in selection
        ? collectionList(cases)
            .filter((g) => g.collectionDate <= selection.dueBy)
            .flatMap((g) => g.cases)
        : selectGroup(cases, selection).cases;
    if (chosen.length === 0) return undefined;
    const entry = await createOutbox(
      ctx,
      tx,
      'LS',
      (sequence, createdAt) =>
        codecOf(ctx).encodeCases(
          { header: header(ctx, sequence, createdAt), cases: chosen.map((c) => c.claim) },
          ctx.encodeOptions,
        ),
      chosen.map((c) => c.caseRef),
    );
    for (const c of chosen) {
      await caseStore(tx, ctx.prefix).put({
        ...c,
        status: 'queued',
        exportFile: entry.name,
        history: [...c.history, { date: entry.date, code: 'queued', text: 'put in an export file', file: entry.name }],
      });
    }
    return entry;
  });
}

/**
 * What {@link queueCorrections} needs besides the context.
 *
 * @example
 * await queueCorrections(ctx, { cutoff: '2026-11-23' as IsoDate, creditNotes: [] });
 */
export interface CorrectionRequest {
  readonly cutoff: IsoDate;
  /** The OCR ledger entries; default: the ones recorded with {@link storageOcrLedger} in the same storage. */
  readonly ocr?: readonly OcrLedgerEntry[];
  readonly knownOcrFiles?: readonly { readonly fileId: string; readonly date: IsoDate }[];
  readonly manualPayments?: readonly ManualPayment[];
  readonly creditNotes?: readonly CreditNote[];
}

/**
 * "Inkasso – Generer korrigeringsfil": builds the RD file of direct payments and credit notes since the last one
 * and queues it for the next run (which sends it after any LS file). Refused with `ocr_files_not_read` until
 * the OCR files of the period are read. Returns the batch, and the queued entry when there was anything to report.
 *
 * @example
 * const { entry, batch } = await queueCorrections(ctx, { cutoff });
 */
export async function queueCorrections(
  ctx: ExchangeContext,
  request: CorrectionRequest,
): Promise<{ entry?: OutboxEntry; batch: CorrectionBatch }> {
  const k = keysOf(ctx);
  const ocr = request.ocr ?? (await storageOcrLedger(ctx.storage, ctx.prefix).list());
  return withTransaction(ctx.storage, async (tx) => {
    const reported = new Set(
      (await tx.list(`${k.prefix}reported/`)).map((key) =>
        decodeURIComponent(key.slice(`${k.prefix}reported/`.length)),
      ),
    );
    const batch = buildCorrections({
      cases: await allCases(tx, ctx),
      ocr,
      cutoff: request.cutoff,
      agencyBankAccount: ctx.definition.agencyBankAccount,
      reported,
      ...(request.knownOcrFiles === undefined ? {} : { knownOcrFiles: request.knownOcrFiles }),
      ...(request.manualPayments === undefined ? {} : { manualPayments: request.manualPayments }),
      ...(request.creditNotes === undefined ? {} : { creditNotes: request.creditNotes }),
    });
    if (batch.corrections.length === 0) return { batch };
    const entry = await createOutbox(
      ctx,
      tx,
      'RD',
      (sequence, createdAt) =>
        codecOf(ctx).encodeCorrections(
          { header: header(ctx, sequence, createdAt), corrections: batch.corrections },
          ctx.encodeOptions,
        ),
      batch.corrections.map((c) => c.id),
    );
    for (const c of batch.corrections) await tx.put(k.reported(c.id), toBytes({ file: entry.name }));
    return { entry, batch };
  });
}

/**
 * Options of {@link runExchange}.
 *
 * @example
 * await runExchange(ctx, { autoExport: true });
 */
export interface ExchangeOptions {
  /** Queue one LS file with every collection-list group dated today or earlier before sending (Quick3). Default false (Cordel: the user picks the group). */
  readonly autoExport?: boolean;
}

/**
 * What a run did.
 *
 * @example
 * const report = await runExchange(ctx);
 * report.sent; // ['LS1234520261123060000']
 */
export interface ExchangeReport {
  readonly sent: readonly string[];
  readonly received: readonly ReceivedFile[];
}

async function upload(ctx: ExchangeContext, entry: OutboxEntry): Promise<void> {
  const t = requireCapability(ctx.transport, 'write');
  const data = unbase64(entry.data);
  // finished before a crash? the file is there with its size: do not send it twice
  const folder = ctx.definition.uploadFolder.replace(/\/$/, '');
  const there = (await t.list(folder)).find((e) => e.name === entry.path);
  if (there !== undefined && (there.size === undefined || there.size === data.length)) return;
  if (t.capabilities.atomicWrite) {
    await t.write(entry.path, data);
  } else if (t.rename) {
    const temp = temporaryPathFor(entry.path, entry.createdAt.replace(/\D/g, ''));
    await t.write(temp, data);
    await t.rename(temp, entry.path);
  } else {
    ctx.log.write({
      priority: Priority.warning,
      code: 'upload_not_atomic',
      message: `${ctx.transport.name} can neither write atomically nor rename: the agency may see ${entry.name} half-written`,
      data: { file: entry.name },
    });
    await t.write(entry.path, data);
  }
}

async function sendAll(ctx: ExchangeContext): Promise<string[]> {
  const k = keysOf(ctx);
  const entries: OutboxEntry[] = [];
  for (const key of await ctx.storage.list(k.outbox)) {
    const b = await ctx.storage.get(key);
    if (b !== undefined) entries.push(fromBytes<OutboxEntry>(b));
  }
  // LS before RD, then by name (which carries the time)
  entries.sort((a, b) => (a.kind === b.kind ? (a.name < b.name ? -1 : 1) : a.kind === 'LS' ? -1 : 1));
  const sent: string[] = [];
  for (const e of entries) {
    if ((await ctx.storage.get(k.sent(e.name))) !== undefined) continue;
    if ((await ctx.storage.get(k.uploaded(e.name))) === undefined) {
      await upload(ctx, e);
      await ctx.storage.createIfAbsent(k.uploaded(e.name), toBytes({ path: e.path }));
    }
    const done = await withTransaction(ctx.storage, async (tx) => {
      if ((await tx.get(k.sent(e.name))) !== undefined) return false;
      if (e.kind === 'LS') {
        const store = caseStore(tx, ctx.prefix);
        for (const ref of e.ids) {
          const c = await store.get(ref);
          if (c !== undefined && c.exportFile === e.name)
            await store.put(markExported(c, { file: e.name, date: e.date }));
        }
      }
      await tx.createIfAbsent(
        k.sent(e.name),
        toBytes({ name: e.name, kind: e.kind, path: e.path, records: e.ids.length, date: e.date }),
      );
      return true;
    });
    if (done) {
      sent.push(e.name);
      ctx.log.write({
        priority: Priority.notice,
        code: 'file_sent',
        message: `sent ${e.kind} file ${e.name} with ${e.ids.length} ${e.kind === 'LS' ? 'case(s)' : 'correction(s)'} to ${ctx.transport.name}`,
        data: { file: e.name, kind: e.kind, records: e.ids.length, path: e.path },
      });
    }
  }
  return sent;
}

async function receiveAll(ctx: ExchangeContext): Promise<ReceivedFile[]> {
  const k = keysOf(ctx);
  const def = ctx.definition;
  const folder = def.downloadFolder.replace(/\/$/, '');
  const listing = (await ctx.transport.list(folder)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: ReceivedFile[] = [];
  for (const entry of listing) {
    const parsed = parseFileName(entry.name, def.patterns, ['Kvitt', 'Avsl']);
    if (parsed === undefined) continue;
    const kind = parsed.kind as 'Kvitt' | 'Avsl';
    if (parsed.customerNo !== def.customerId) {
      ctx.log.write({
        priority: Priority.warning,
        code: 'foreign_file',
        message: `${parsed.name} is for customer ${parsed.customerNo}, not ${def.customerId}: left alone`,
        data: { file: parsed.name },
      });
      continue;
    }
    // a file imported before with the same size is not read again; otherwise the hash decides
    const seen = await ctx.storage.list(`${k.received}${encodeURIComponent(parsed.name)}@`);
    if (seen.length > 0 && entry.size !== undefined) {
      const prior = await ctx.storage.get(seen[seen.length - 1]!);
      const p = prior === undefined ? undefined : fromBytes<ReceivedFile>(prior);
      // a rejected file is read again: the agency may replace it under the same name
      if (p !== undefined && p.outcome !== 'rejected' && p.size === entry.size) continue;
    }
    const bytes = await ctx.transport.read(entry.name);
    const sha = sha256(bytes);
    const key = k.receivedFile(parsed.name, sha);
    if ((await ctx.storage.get(key)) !== undefined) continue;
    const base = {
      name: parsed.name,
      kind,
      sha256: sha,
      size: bytes.length,
      receivedAt: ctx.clock.now().toISOString(),
    };

    const dupOf = await ctx.storage.get(k.hash(sha));
    if (dupOf !== undefined) {
      const record: ReceivedFile = { ...base, outcome: 'duplicate', records: 0, changedCases: [], issues: [] };
      if (await ctx.storage.createIfAbsent(key, toBytes(record))) {
        out.push(record);
        ctx.log.write({
          priority: Priority.warning,
          code: 'file_duplicate',
          message: `${parsed.name} has the same content as ${fromBytes<{ name: string }>(dupOf).name}: not applied again`,
          data: { file: parsed.name, sha256: sha },
        });
      }
      continue;
    }

    let decision: (AgencyFileDecision & { records: number }) | undefined;
    let problems: Issue[] = [];
    let decoded: { records: number; apply: (cases: CollectionCase[]) => AgencyFileDecision } | undefined;
    try {
      if (kind === 'Kvitt') {
        const f = codecOf(ctx).decodeReceipts(bytes, { source: parsed.name });
        checkCustomer(f.header.customerNo, def.customerId, parsed.name);
        decoded = { records: f.receipts.length, apply: (cases) => applyReceipts(cases, f, { file: parsed.name }) };
      } else {
        const f = codecOf(ctx).decodeClosures(bytes, { source: parsed.name });
        checkCustomer(f.header.customerNo, def.customerId, parsed.name);
        decoded = {
          records: f.settlements.length,
          apply: (cases) => applySettlements(cases, f, { file: parsed.name }),
        };
      }
    } catch (e) {
      if (!NordfilError.is(e)) throw e;
      problems = [...e.issues];
    }

    if (decoded === undefined) {
      const record: ReceivedFile = { ...base, outcome: 'rejected', records: 0, changedCases: [], issues: problems };
      if (await ctx.storage.createIfAbsent(key, toBytes(record))) {
        out.push(record);
        ctx.log.write({
          priority: Priority.error,
          code: 'file_rejected',
          message: `${parsed.name} was not applied: ${problems.length} problem(s), first: ${problems[0]?.message ?? '?'}`,
          data: { file: parsed.name, sha256: sha, size: bytes.length, codes: problems.map((i) => i.code) },
        });
      }
      continue;
    }
    const d = decoded;
    const record = await withTransaction(ctx.storage, async (tx) => {
      if ((await tx.get(key)) !== undefined) return undefined;
      const result = d.apply(await allCases(tx, ctx));
      decision = { ...result, records: d.records };
      const store = caseStore(tx, ctx.prefix);
      for (const c of result.changed) await store.put(c);
      for (const n of result.interestNotes) await tx.createIfAbsent(k.interestNote(n.id), toBytes(n));
      const rec: ReceivedFile = {
        ...base,
        outcome: 'imported',
        records: d.records,
        changedCases: result.changed.map((c) => c.caseRef),
        issues: [...result.issues],
      };
      await tx.createIfAbsent(key, toBytes(rec));
      await tx.createIfAbsent(k.hash(sha), toBytes({ name: parsed.name }));
      return rec;
    });
    if (record === undefined) continue;
    out.push(record);
    ctx.log.write({
      priority: Priority.notice,
      code: 'file_received',
      message: `imported ${kind} file ${parsed.name}: ${record.records} record(s), ${record.changedCases.length} case(s) updated, ${decision?.interestNotes.length ?? 0} interest note(s)`,
      data: {
        file: parsed.name,
        kind,
        sha256: sha,
        size: bytes.length,
        records: record.records,
        changedCases: record.changedCases,
      },
    });
    for (const i of record.issues) {
      ctx.log.write({ priority: Priority.warning, code: i.code, message: i.message, data: { file: parsed.name } });
    }
  }
  return out;
}

function checkCustomer(inFile: string, ours: string, source: string): void {
  if (inFile !== ours) {
    throw new NordfilError(
      issue('wrong_customer', `the file is for customer ${inFile}, ours is ${ours}`, {
        source,
        line: 1,
        expected: ours,
        actual: inFile,
      }),
    );
  }
}

/**
 * The daily exchange job. Safe to run again after a failure at any step: it finishes what is left and never
 * sends or imports a file twice (see the module comment). Throws what the ports throw; the next run resumes.
 *
 * @example
 * const report = await runExchange({ transport, storage, clock, log, definition }, { autoExport: true });
 * report.received.map((r) => `${r.name}: ${r.outcome}`);
 */
export async function runExchange(ctx: ExchangeContext, options: ExchangeOptions = {}): Promise<ExchangeReport> {
  if (options.autoExport) await queueExport(ctx, { dueBy: todayOslo(ctx) });
  const sent = await sendAll(ctx);
  const received = await receiveAll(ctx);
  return { sent, received };
}

/**
 * The interest notes (rentenotaer) the agency's settlement files asked to book.
 *
 * @example
 * (await listInterestNotes(ctx)).map((n) => n.amount.toString());
 */
export async function listInterestNotes(
  ctx: Pick<ExchangeContext, 'storage' | 'prefix'>,
): Promise<AgencyInterestNote[]> {
  const k = keys(ctx.prefix ?? 'lindorff/');
  const out: AgencyInterestNote[] = [];
  for (const key of await ctx.storage.list(k.interestNotes)) {
    const b = await ctx.storage.get(key);
    if (b !== undefined) out.push(fromBytes<AgencyInterestNote>(b));
  }
  return out;
}

/**
 * The log of received files (Inkasso – Logg), oldest name first.
 *
 * @example
 * (await listReceivedFiles(ctx)).map((f) => f.outcome);
 */
export async function listReceivedFiles(ctx: Pick<ExchangeContext, 'storage' | 'prefix'>): Promise<ReceivedFile[]> {
  const k = keys(ctx.prefix ?? 'lindorff/');
  const out: ReceivedFile[] = [];
  for (const key of await ctx.storage.list(k.received)) {
    const b = await ctx.storage.get(key);
    if (b !== undefined) out.push(fromBytes<ReceivedFile>(b));
  }
  return out;
}
