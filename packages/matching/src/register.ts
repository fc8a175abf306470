/**
 * The payment-file register: the seed's "Ladda upp betalfil" upload (archive the file, refuse a duplicate,
 * read it into the customer-payment table, run the workflow) and its "Kontroll Betalfil" search, as jobs that
 * run through the Storage, Clock and Log ports and a registration port the host implements.
 *
 * Storage layout (under `prefix`, default `matching/`):
 * - `payment-files/<sha256>`: the uploaded bytes (the seed's folder of uploaded payment files)
 * - `files/<sha256>`: the file record (name, time, state, issues, payment ids, summary)
 * - `records/<payment id>`: one {@link PaymentRecord} per payment
 * - `registrations/<payment id>`: the host's created payment, written after the host registered it
 *
 * Every step can be re-run after a crash: records are created with `createIfAbsent`, decisions are applied only
 * to records still blank (or set to Retry), and a payment is registered only when no registration marker exists,
 * with the payment id as the host's idempotency key.
 *
 * Every record change is guarded by the record's `revision`: the change is written only if the stored record is
 * still the one it was computed from (else `concurrent_update`, nothing written). With a storage that has the
 * `transactions` capability the re-read, the check and the write (and, for a Complete decision, the
 * registration and its marker) run in one `storage.transaction`, so two people (or a person and the workflow)
 * acting on the same record at once cannot both succeed, and two Retry calls cannot both register a payment.
 * Without transactions the check is made just before writing, which leaves a short window; the host's
 * idempotency key still keeps a payment from being created twice there.
 */
import { createHash } from 'node:crypto';
import {
  detectPaymentFormat,
  type Issue,
  issue,
  type Money,
  NordfilError,
  type Payment,
  type PaymentFormat,
} from '@nordfil/core';
import {
  type Clock,
  createJsonIfAbsent,
  getJson,
  type Log,
  Priority,
  putJson,
  type Storage,
  type StorageOps,
} from '@nordfil/ports';
import type { MatchingConfig } from './config.js';
import { type Allocation, type Decision, decideBatch, plainDecision } from './decide.js';
import type { PaymentFileParser } from './parsers.js';
import { type AsyncInvoiceLookup, type LedgerAccounts, snapshotInvoices } from './ports.js';
import {
  applyDecision,
  fromPaymentJson,
  newRecord,
  type PaymentRecord,
  type RecordCorrections,
  revisionOf,
  setStatus,
} from './record.js';
import { assertTransition, needsCheck, PaymentStatus, type TransitionActor } from './status.js';

/**
 * What the host does with a Complete decision: register the payment on the invoice(s) (NetSuite's customer
 * payment) and return its id, the seed's "Created Payment". It must be idempotent by `idempotencyKey` (the
 * payment id): the job calls it at most once per payment in normal operation, and after a crash between the
 * host's reply and the job's marker it repeats the call with the same key, which the host must answer with the
 * payment it already created.
 *
 * @example
 * const registrar: PaymentRegistrar = {
 *   async registerPayment(cmd) { return { createdPayment: await erp.customerPayment(cmd.idempotencyKey, cmd.allocations) } },
 * };
 */
export interface PaymentRegistrar {
  registerPayment(command: RegisterPaymentCommand): Promise<RegisteredPayment> | RegisteredPayment;
}

/**
 * The command the registrar receives.
 *
 * @example
 * cmd.allocations.map((a) => `${a.invoiceId}: ${a.amount}`);
 */
export interface RegisterPaymentCommand {
  /** The payment id: the host refuses a second registration with the same key. */
  readonly idempotencyKey: string;
  readonly paymentId: string;
  /** The ledger account to book to (the seed's "Account"). */
  readonly ledgerAccount: string;
  readonly allocations: readonly Allocation[];
  /** An accepted overpayment, not applied to any invoice (the seed: a difference on the bank account). */
  readonly unapplied: Money;
  readonly payment: Payment;
  readonly decision: Decision;
}

/**
 * What the registrar answers.
 *
 * @example
 * const r: RegisteredPayment = { createdPayment: 'CUSTPMT-4711' };
 */
export interface RegisteredPayment {
  readonly createdPayment: string;
}

/**
 * An in-memory registrar for tests and demos: idempotent by key, counting calls.
 *
 * @example
 * const registrar = memoryRegistrar();
 * await importPaymentFile({ ...ctx, registrar }, file);
 * registrar.registrations.size; // payments registered
 */
export interface MemoryRegistrar extends PaymentRegistrar {
  readonly registrations: Map<string, RegisterPaymentCommand & RegisteredPayment>;
  /** Calls received, including repeated keys. */
  readonly calls: RegisterPaymentCommand[];
}

/**
 * Creates a {@link MemoryRegistrar}; created payments are named `PMT-1`, `PMT-2`, … in call order.
 *
 * @example
 * const registrar = memoryRegistrar();
 */
export function memoryRegistrar(): MemoryRegistrar {
  const registrations = new Map<string, RegisterPaymentCommand & RegisteredPayment>();
  const calls: RegisterPaymentCommand[] = [];
  return {
    registrations,
    calls,
    registerPayment(cmd) {
      calls.push(cmd);
      const known = registrations.get(cmd.idempotencyKey);
      if (known !== undefined) return { createdPayment: known.createdPayment };
      const createdPayment = `PMT-${registrations.size + 1}`;
      registrations.set(cmd.idempotencyKey, { ...cmd, createdPayment });
      return { createdPayment };
    },
  };
}

/**
 * The ports and settings the jobs run with.
 *
 * @example
 * const ctx: MatchingJobContext = {
 *   storage, clock, log, parse: paymentFileParser({ bgmax }), lookup: buildInvoiceIndex(open),
 *   ledger: ledgerAccounts(accounts), config: matchingConfig({ tolerance: { absolute: '10' } }), registrar,
 * };
 */
export interface MatchingJobContext {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly log: Log;
  readonly parse: PaymentFileParser;
  /** The host's open invoices: an in-memory index, or an async lookup (the job fetches a snapshot first). */
  readonly lookup: AsyncInvoiceLookup;
  readonly ledger: LedgerAccounts;
  readonly config: MatchingConfig;
  readonly registrar: PaymentRegistrar;
  /** Storage key prefix. @default 'matching/' */
  readonly prefix?: string;
  /** Who the workflow's history entries name. @default 'workflow' */
  readonly actor?: string;
}

/**
 * The file record: one per uploaded file content (sha256).
 *
 * @example
 * const f = await getFileRecord(storage, sha);
 * f?.status; // '' or 'File Error'
 */
export interface PaymentFileRecord {
  readonly sha256: string;
  readonly name: string;
  readonly importedAt: string;
  /** `importing` while the job runs (a crashed run leaves it so; re-uploading resumes it), then `done`. */
  readonly state: 'importing' | 'done';
  /** `File Error` when the file could not be read; blank otherwise. */
  readonly status: '' | 'File Error';
  /**
   * The file's format, as recognised from its first record (core's `detectPaymentFormat`, the same check
   * `paymentFileParser` chooses the parser by) or, for a file whose bytes it does not recognise but which
   * a host's own parser read, the format of its payments. Also set on a `File Error` file when the format was
   * recognised but the file could not be read; absent when the format is not known.
   *
   * @example
   * (await getFileRecord(storage, sha))?.format; // 'bgmax'
   */
  readonly format?: PaymentFormat;
  /** Why the file could not be read (File Error), or the parser's warnings. */
  readonly issues: readonly Issue[];
  readonly paymentIds: readonly string[];
  readonly summary?: StatusSummary;
}

/**
 * How many records have each status (`''` is blank, unprocessed).
 *
 * @example
 * summary.Complete; // 118
 */
export type StatusSummary = Readonly<Record<PaymentStatus, number>>;

/**
 * What {@link importPaymentFile} returns.
 *
 * @example
 * const { file, summary, records } = await importPaymentFile(ctx, { name, bytes });
 */
export interface ImportResult {
  readonly file: PaymentFileRecord;
  readonly summary: StatusSummary;
  readonly records: readonly PaymentRecord[];
}

function prefixOf(ctx: { readonly prefix?: string }): string {
  return ctx.prefix ?? 'matching/';
}

/**
 * The sha256 of a file's bytes, in hex: the file's identity in the register.
 *
 * @example
 * fileSha256(new TextEncoder().encode('abc')); // 'ba7816bf…'
 */
export function fileSha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Counts records by status.
 *
 * @example
 * summarize(records).Error; // 3
 */
export function summarize(records: Iterable<{ readonly status: PaymentStatus }>): StatusSummary {
  const out: Record<PaymentStatus, number> = {
    'File Error': 0,
    '': 0,
    Credit: 0,
    Error: 0,
    Ambiguous: 0,
    Manual: 0,
    Retry: 0,
    Complete: 0,
  };
  for (const r of records) out[r.status]++;
  return out;
}

/**
 * Reads a file record, or `undefined`.
 *
 * @example
 * await getFileRecord(storage, sha);
 */
export async function getFileRecord(
  storage: Storage,
  sha256: string,
  options: { readonly prefix?: string } = {},
): Promise<PaymentFileRecord | undefined> {
  return getJson<PaymentFileRecord>(storage, `${prefixOf(options)}files/${sha256}`);
}

/**
 * Reads a payment record, or `undefined`.
 *
 * @example
 * await getRecord(storage, 'BGMAX.txt#12');
 */
export async function getRecord(
  storage: Storage,
  paymentId: string,
  options: { readonly prefix?: string } = {},
): Promise<PaymentRecord | undefined> {
  return readRecord(storage, options, paymentId);
}

function recordKey(ctx: { readonly prefix?: string }, paymentId: string): string {
  return `${prefixOf(ctx)}records/${paymentId}`;
}

function registrationKey(ctx: { readonly prefix?: string }, paymentId: string): string {
  return `${prefixOf(ctx)}registrations/${paymentId}`;
}

/** A stored record with its revision (`0` for one stored before revisions were kept). */
function withRevision(r: PaymentRecord): PaymentRecord {
  const revision = revisionOf(r);
  return r.revision === revision ? r : { ...r, revision };
}

async function readRecord(
  storage: StorageOps,
  ctx: { readonly prefix?: string },
  paymentId: string,
): Promise<PaymentRecord | undefined> {
  const r = await getJson<PaymentRecord>(storage, recordKey(ctx, paymentId));
  return r === undefined ? undefined : withRevision(r);
}

/**
 * Every payment record, in key order; with `file`, only that file's (by sha256).
 *
 * @example
 * const all = await listRecords(storage);
 */
export async function listRecords(
  storage: Storage,
  options: { readonly prefix?: string; readonly file?: string } = {},
): Promise<PaymentRecord[]> {
  const prefix = `${prefixOf(options)}records/`;
  const out: PaymentRecord[] = [];
  for (const key of await storage.list(prefix)) {
    const r = await getJson<PaymentRecord>(storage, key);
    if (r !== undefined && (options.file === undefined || r.fileSha256 === options.file)) out.push(withRevision(r));
  }
  return out;
}

/**
 * The seed's "Kontroll Betalfil": every record a person must look at: status `Error`, `Credit`, `Ambiguous`,
 * or `Complete` with comment `Amount`. Records set to `Manual` are off the list.
 *
 * @example
 * for (const r of await toCheck(storage)) console.log(r.incomingFile, r.number, r.status, r.comment);
 */
export async function toCheck(
  storage: Storage,
  options: { readonly prefix?: string; readonly file?: string } = {},
): Promise<PaymentRecord[]> {
  return (await listRecords(storage, options)).filter((r) => needsCheck(r.status, r.comment));
}

/** How often a guarded change is run again after the backend reported a `transaction_conflict`. */
const TRANSACTION_ATTEMPTS = 3;

/**
 * Runs `fn` in one `storage.transaction` when the storage has the `transactions` capability (again, up to
 * {@link TRANSACTION_ATTEMPTS} times, when the backend rejects it with `transaction_conflict`: the run again
 * re-reads, so a real change by someone else then shows as `concurrent_update`), else directly on the storage.
 */
async function atomically<T>(storage: Storage, fn: (s: StorageOps) => Promise<T>): Promise<T> {
  if (!storage.capabilities.transactions || storage.transaction === undefined) return fn(storage);
  for (let attempt = 1; ; attempt++) {
    try {
      return await storage.transaction(fn);
    } catch (e) {
      if (attempt < TRANSACTION_ATTEMPTS && NordfilError.is(e) && e.code === 'transaction_conflict') continue;
      throw e;
    }
  }
}

const statusName = (s: PaymentStatus): string => (s === '' ? 'blank' : s);

/**
 * The issue when the stored record is no longer the one `loaded` was read as (another revision, or gone), else
 * `undefined`. Names the payment id and the status (and revision) expected and found; no personal data.
 */
function changedSince(loaded: PaymentRecord, current: PaymentRecord | undefined): Issue | undefined {
  if (current === undefined) {
    return issue('record_not_found', `payment record ${loaded.id} was removed while it was being changed`, {
      field: loaded.id,
    });
  }
  const expected = revisionOf(loaded);
  const found = revisionOf(current);
  if (found === expected) return undefined;
  const last = current.history[current.history.length - 1];
  return issue(
    'concurrent_update',
    `payment ${loaded.id} was changed by someone else meanwhile: expected status ${statusName(loaded.status)} (revision ${expected}), found ${statusName(current.status)} (revision ${found}${
      last === undefined ? '' : `, set at ${last.at}`
    }); nothing was written, load the record again`,
    {
      field: loaded.id,
      expected: `${loaded.status} (revision ${expected})`,
      actual: `${current.status} (revision ${found})`,
    },
  );
}

/**
 * `concurrent_update` when the workflow has registered the payment but not yet stored its record (the marker
 * names a created payment the record does not have): a person's change now would hide the registration.
 */
async function registeredMeanwhile(
  s: StorageOps,
  ctx: { readonly prefix?: string },
  loaded: PaymentRecord,
): Promise<Issue | undefined> {
  const marker = await getJson<{ createdPayment?: string }>(s, registrationKey(ctx, loaded.id));
  if (marker?.createdPayment === undefined || marker.createdPayment === loaded.createdPayment) return undefined;
  return issue(
    'concurrent_update',
    `payment ${loaded.id} is being registered by the workflow meanwhile: expected status ${statusName(loaded.status)}, found a registration (Complete) not yet stored on the record; nothing was written, load the record again`,
    { field: loaded.id, expected: loaded.status, actual: 'Complete' },
  );
}

/**
 * Writes the changed records only if every one is still stored as it was loaded: re-reads them all, refuses
 * with `concurrent_update` (or `record_not_found`) naming each that changed, checks each transition again on
 * what is stored, and only then writes them all. In one transaction where the storage has them.
 */
async function commitChanges(
  ctx: { readonly storage: Storage; readonly prefix?: string },
  changes: readonly { readonly loaded: PaymentRecord; readonly next: PaymentRecord }[],
  by: TransitionActor,
): Promise<void> {
  await atomically(ctx.storage, async (s) => {
    const issues: Issue[] = [];
    for (const { loaded, next } of changes) {
      const current = await readRecord(s, ctx, loaded.id);
      const changed = changedSince(loaded, current) ?? (await registeredMeanwhile(s, ctx, loaded));
      if (changed !== undefined) issues.push(changed);
      else assertTransition((current as PaymentRecord).status, next.status, by, loaded.id);
    }
    if (issues.length > 0) throw new NordfilError(issues);
    for (const { next } of changes) await putJson(s, recordKey(ctx, next.id), next);
  });
}

/**
 * Writes `next` in place of `loaded` if the stored record is still the one `loaded` was read as (in one
 * transaction where the storage has them); else writes nothing and gives what changed and what is stored now.
 */
async function writeIfUnchanged(
  ctx: { readonly storage: Storage; readonly prefix?: string },
  loaded: PaymentRecord,
  next: PaymentRecord,
): Promise<
  { readonly next: PaymentRecord } | { readonly changed: Issue; readonly current: PaymentRecord | undefined }
> {
  return atomically(ctx.storage, async (s) => {
    const current = await readRecord(s, ctx, loaded.id);
    const changed = changedSince(loaded, current);
    if (changed !== undefined) return { changed, current };
    await putJson(s, recordKey(ctx, loaded.id), next);
    return { next };
  });
}

/** Registers a Complete decision once: the marker is the proof; the payment id is the idempotency key. */
async function registerOnce(
  ctx: MatchingJobContext,
  storage: StorageOps,
  decision: Decision,
  payment: Payment,
  at: string,
  recordOf: (createdPayment: string) => PaymentRecord,
): Promise<string> {
  const key = registrationKey(ctx, payment.id);
  const known = await getJson<{ createdPayment: string }>(storage, key);
  if (known !== undefined) return known.createdPayment;
  const res = await ctx.registrar.registerPayment({
    idempotencyKey: payment.id,
    paymentId: payment.id,
    ledgerAccount: decision.ledgerAccount?.ledgerAccount ?? '',
    allocations: decision.allocations,
    unapplied: decision.unapplied,
    payment,
    // a copy of its own properties: a host may spread or clone what it is given
    decision: plainDecision(decision),
  });
  // the marker keeps the finished record too: a run that crashes before storing the record resumes from it
  // instead of deciding the registered payment again against invoices it has already paid
  const created = await createJsonIfAbsent(storage, key, {
    createdPayment: res.createdPayment,
    at,
    configVersion: decision.configVersion,
    record: recordOf(res.createdPayment),
  });
  if (!created) {
    const other = await getJson<{ createdPayment: string }>(storage, key);
    return other?.createdPayment ?? res.createdPayment;
  }
  return res.createdPayment;
}

/**
 * Decides the records (blank or Retry) together and stores each outcome, registering Complete ones. Each
 * record is re-read before it is registered and written (in one transaction where the storage has them): one
 * that someone changed meanwhile (e.g. set to Manual) is left as they left it, not registered, and logged.
 */
async function decideAndStore(ctx: MatchingJobContext, records: PaymentRecord[], at: string): Promise<PaymentRecord[]> {
  if (records.length === 0) return [];
  const out: PaymentRecord[] = [];
  const undecided: PaymentRecord[] = [];
  const skipped: Issue[] = [];
  const leaveAlone = (changed: Issue, current: PaymentRecord | undefined) => {
    skipped.push(changed);
    if (current !== undefined) out.push(current);
  };
  for (const r of records) {
    // registered before a crash kept its record from being stored: restore it, never decide it again
    const marker =
      r.status === '' ? await getJson<{ record?: PaymentRecord }>(ctx.storage, registrationKey(ctx, r.id)) : undefined;
    if (marker?.record !== undefined) {
      const restored: PaymentRecord = { ...marker.record, revision: revisionOf(r) + 1 };
      const outcome = await writeIfUnchanged(ctx, r, restored);
      if ('next' in outcome) out.push(outcome.next);
      else leaveAlone(outcome.changed, outcome.current);
    } else undecided.push(r);
  }
  records = undecided;
  if (records.length > 0) {
    const payments = records.map((r) => fromPaymentJson(r.payment));
    const snapshot = await snapshotInvoices(ctx.lookup, payments, { neighbours: ctx.config.checkDigitSuggestions });
    const decisions = decideBatch(payments, { invoices: snapshot, ledger: ctx.ledger, config: ctx.config });
    for (let i = 0; i < records.length; i++) {
      const record = records[i] as PaymentRecord;
      const decision = decisions[i] as Decision;
      const payment = payments[i] as Payment;
      const recordOf = (createdPayment?: string) =>
        applyDecision(record, decision, {
          at,
          actor: ctx.actor ?? 'workflow',
          ...(createdPayment === undefined ? {} : { createdPayment }),
        });
      let createdPayment: string | undefined;
      if (decision.status === 'Complete') {
        // re-read first: a record someone changed meanwhile (set to Manual, say) is not registered
        const current = await readRecord(ctx.storage, ctx, record.id);
        const changed = changedSince(record, current);
        if (changed !== undefined) {
          leaveAlone(changed, current);
          continue;
        }
        // outside any transaction: the marker must be stored as soon as the host has answered, whatever
        // happens to the record's write after it (a person's change meanwhile is refused while the marker
        // is newer than the record, see commitChanges)
        createdPayment = await registerOnce(ctx, ctx.storage, decision, payment, at, recordOf);
      }
      const outcome = await writeIfUnchanged(ctx, record, recordOf(createdPayment));
      if ('next' in outcome) out.push(outcome.next);
      else if (createdPayment === undefined) leaveAlone(outcome.changed, outcome.current);
      else {
        // only when a person's change landed while the host was registering: the payment exists, the record
        // does not say so; the marker keeps the registered record for whoever reconciles it
        leaveAlone(outcome.changed, outcome.current);
        ctx.log.write({
          priority: Priority.error,
          code: 'payment_registered_record_changed',
          message: `payment ${record.id} was registered as ${createdPayment}, but its record was changed by someone else meanwhile (now ${statusName(
            outcome.current?.status ?? '',
          )}); the registration marker keeps the registered record: check it by hand`,
          data: { paymentId: record.id, createdPayment, found: outcome.current?.status ?? '' },
        });
      }
    }
  }
  if (skipped.length > 0) {
    ctx.log.write({
      priority: Priority.warning,
      code: 'concurrent_update',
      message: `${skipped.length} payment(s) were changed by someone else while the workflow decided them and were left as they are: ${skipped
        .map((i) => i.field)
        .join(', ')}`,
      data: { paymentIds: skipped.map((i) => i.field ?? '') },
    });
  }
  return out;
}

/**
 * The upload job (the seed's "Ladda upp betalfil" and the workflow it triggers):
 *
 * 1. refuses content imported before (same sha256) with NordfilError `file_already_imported`, naming the
 *    earlier import;
 * 2. archives the bytes under `payment-files/<sha256>` and writes the file record;
 * 3. parses the file; a file that cannot be read is kept with status `File Error` and its issues (no throw);
 * 4. creates one record per payment (blank status) keyed by the payment id; a payment id already used by
 *    another file's record throws `payment_id_conflict` before anything is decided;
 * 5. decides every blank record as one batch ({@link decideBatch}) against a snapshot of the open invoices,
 *    registers the Complete ones through the registrar, and stores each record with its decision and history;
 * 6. marks the file done with a summary by status, and logs it.
 *
 * A run that crashed part-way is resumed by importing the same bytes again.
 *
 * @throws NordfilError `file_already_imported`, `payment_id_conflict`
 * @example
 * const result = await importPaymentFile(ctx, { name: 'BGMAX_20261123.txt', bytes });
 * result.summary; // { Complete: 118, Error: 3, Credit: 1, … }
 */
export async function importPaymentFile(
  ctx: MatchingJobContext,
  file: { readonly name: string; readonly bytes: Uint8Array },
): Promise<ImportResult> {
  const { storage, log } = ctx;
  const prefix = prefixOf(ctx);
  const sha = fileSha256(file.bytes);
  const fileKey = `${prefix}files/${sha}`;
  const at = ctx.clock.now().toISOString();

  const earlier = await getJson<PaymentFileRecord>(storage, fileKey);
  if (earlier?.state === 'done') {
    log.write({
      priority: Priority.warning,
      code: 'payment_file_duplicate',
      message: `refused ${file.name}: the same content was imported as ${earlier.name} at ${earlier.importedAt}`,
      data: { name: file.name, sha256: sha, earlier: earlier.name, importedAt: earlier.importedAt },
    });
    throw new NordfilError(
      issue(
        'file_already_imported',
        `payment file "${file.name}" was already imported as "${earlier.name}" at ${earlier.importedAt}${
          earlier.status === 'File Error' ? ' (with status File Error)' : ''
        } (sha256 ${sha})`,
        { source: file.name, actual: sha, expected: earlier.name },
      ),
    );
  }
  await storage.createIfAbsent(`${prefix}payment-files/${sha}`, file.bytes);
  // the same check paymentFileParser chooses the parser by; kept on the file record, File Error or not
  const detected = detectPaymentFormat(file.bytes);
  const sniffed = detected === 'unknown' ? undefined : detected;
  const base: PaymentFileRecord = earlier ?? {
    sha256: sha,
    name: file.name,
    importedAt: at,
    state: 'importing',
    status: '',
    ...(sniffed === undefined ? {} : { format: sniffed }),
    issues: [],
    paymentIds: [],
  };
  if (earlier === undefined) await createJsonIfAbsent(storage, fileKey, base);

  let payments: readonly Payment[];
  try {
    payments = await ctx.parse(file.bytes, { source: base.name });
  } catch (e) {
    if (!NordfilError.is(e)) throw e;
    const failed: PaymentFileRecord = {
      ...base,
      ...(sniffed === undefined ? {} : { format: sniffed }),
      state: 'done',
      status: 'File Error',
      issues: e.issues,
      summary: summarize([]),
    };
    await putJson(storage, fileKey, failed);
    log.write({
      priority: Priority.error,
      code: 'payment_file_error',
      message: `${base.name} could not be read: ${e.issues.length} issue(s), first: ${e.issues[0]?.message ?? e.message}`,
      data: { name: base.name, sha256: sha, issues: e.issues.length, code: e.code, format: sniffed ?? 'unknown' },
    });
    return { file: failed, summary: failed.summary as StatusSummary, records: [] };
  }

  // one record per payment; a duplicate id within the file is one payment
  const records = new Map<string, PaymentRecord>();
  for (const p of payments) {
    if (records.has(p.id)) continue;
    const fresh = newRecord(p, { fileSha256: sha, incomingFile: base.name });
    if (await createJsonIfAbsent(storage, recordKey(ctx, p.id), fresh)) {
      records.set(p.id, fresh);
      continue;
    }
    const existing = (await readRecord(storage, ctx, p.id)) as PaymentRecord;
    if (existing.fileSha256 !== sha) {
      throw new NordfilError(
        issue(
          'payment_id_conflict',
          `payment id ${p.id} of "${base.name}" is already used by a payment of "${existing.incomingFile}" (sha256 ${existing.fileSha256}): the parser's ids must include the file's identity`,
          { source: base.name, field: p.id, actual: sha, expected: existing.fileSha256 },
        ),
      );
    }
    records.set(p.id, existing);
  }
  const blank = [...records.values()].filter((r) => r.status === PaymentStatus.Unprocessed);
  const decided = await decideAndStore(ctx, blank, at);
  for (const r of decided) records.set(r.id, r);

  const all = [...records.values()];
  const summary = summarize(all);
  const format = sniffed ?? formatOfPayments(payments);
  const done: PaymentFileRecord = {
    ...base,
    ...(format === undefined ? {} : { format }),
    state: 'done',
    status: '',
    paymentIds: all.map((r) => r.id),
    summary,
  };
  await putJson(storage, fileKey, done);
  log.write({
    priority: Priority.notice,
    code: 'payment_file_imported',
    message: `imported ${base.name}: ${all.length} payment(s), ${summary.Complete} complete, ${
      all.filter((r) => needsCheck(r.status, r.comment)).length
    } to check`,
    data: { name: base.name, sha256: sha, format: format ?? 'unknown', payments: all.length, ...summary },
  });
  return { file: done, summary, records: all };
}

/** The one format all the payments have (a host's own parser may read bytes `detectPaymentFormat` does not know). */
function formatOfPayments(payments: readonly Payment[]): PaymentFormat | undefined {
  const formats = new Set(payments.map((p) => p.format));
  return formats.size === 1 ? [...formats][0] : undefined;
}

async function loadRecords(
  ctx: { storage: Storage; prefix?: string },
  ids: readonly string[],
): Promise<PaymentRecord[]> {
  const out: PaymentRecord[] = [];
  const missing: string[] = [];
  for (const id of [...new Set(ids)]) {
    const r = await getRecord(ctx.storage, id, ctx);
    if (r === undefined) missing.push(id);
    else out.push(r);
  }
  if (missing.length > 0) {
    throw new NordfilError(missing.map((id) => issue('record_not_found', `no payment record ${id}`, { field: id })));
  }
  return out;
}

/**
 * A person sets `Retry` on records (optionally correcting their references first), and the workflow decides
 * exactly those records again, together, against the current open invoices; Complete ones are registered
 * (never twice: a Complete record cannot be set to Retry). Every change goes into each record's history.
 * Illegal transitions (e.g. Retry on Complete or Manual) are refused with `illegal_transition` before
 * anything is written. A record changed by someone else since this call loaded it (another Retry, a Manual,
 * the workflow) is refused with `concurrent_update`, naming the payment and the status expected and found;
 * then nothing is written for any of the records. A record someone changes while the workflow decides it is
 * left as they left it (and returned so), never registered.
 *
 * @throws NordfilError `illegal_transition`, `record_not_found`, `concurrent_update`
 * @example
 * await retry(ctx, { paymentIds: ['BGMAX.txt#12'], actor: 'anna', corrections: { 'BGMAX.txt#12': { reference: '655969' } } });
 */
export async function retry(
  ctx: MatchingJobContext,
  request: {
    readonly paymentIds: readonly string[];
    readonly actor: string;
    readonly comment?: string;
    readonly note?: string;
    readonly corrections?: Readonly<Record<string, RecordCorrections>>;
  },
): Promise<PaymentRecord[]> {
  const at = ctx.clock.now().toISOString();
  const records = await loadRecords(ctx, request.paymentIds);
  // check every transition before writing anything
  const retried = records.map((r) => {
    const corrections = request.corrections?.[r.id];
    return setStatus(r, 'Retry', request.actor, at, {
      ...(request.comment === undefined ? {} : { comment: request.comment }),
      ...(request.note === undefined ? {} : { note: request.note }),
      ...(corrections === undefined ? {} : { corrections }),
    });
  });
  // written only if no record changed since it was loaded: of two people retrying (or one retrying, one
  // marking Manual) at once, the second is refused, so only one call ever decides and registers a payment
  await commitChanges(
    ctx,
    records.map((r, i) => ({ loaded: r, next: retried[i] as PaymentRecord })),
    'person',
  );
  const decided = await decideAndStore(ctx, retried, at);
  ctx.log.write({
    priority: Priority.notice,
    code: 'payments_retried',
    message: `${request.actor} retried ${decided.length} payment(s): ${decided.filter((r) => r.status === 'Complete').length} complete`,
    data: { actor: request.actor, payments: decided.length, ...summarize(decided) },
  });
  return decided;
}

/**
 * A person marks records `Manual`: handled by hand, off the to-check list. The comment (free text, as the
 * seed advises) and the change go into each record's history. A record changed by someone else since this
 * call loaded it is refused with `concurrent_update` (nothing is written for any of the records).
 *
 * @throws NordfilError `illegal_transition`, `record_not_found`, `concurrent_update`
 * @example
 * await markManual(ctx, { paymentIds: ['BGMAX.txt#14'], actor: 'anna', comment: 'credit note 2231 booked by hand' });
 */
export async function markManual(
  ctx: { readonly storage: Storage; readonly clock: Clock; readonly log: Log; readonly prefix?: string },
  request: {
    readonly paymentIds: readonly string[];
    readonly actor: string;
    readonly comment?: string;
    readonly note?: string;
  },
): Promise<PaymentRecord[]> {
  const at = ctx.clock.now().toISOString();
  const records = await loadRecords(ctx, request.paymentIds);
  const marked = records.map((r) =>
    setStatus(r, 'Manual', request.actor, at, {
      ...(request.comment === undefined ? {} : { comment: request.comment }),
      ...(request.note === undefined ? {} : { note: request.note }),
    }),
  );
  await commitChanges(
    ctx,
    records.map((r, i) => ({ loaded: r, next: marked[i] as PaymentRecord })),
    'person',
  );
  ctx.log.write({
    priority: Priority.info,
    code: 'payments_marked_manual',
    message: `${request.actor} marked ${marked.length} payment(s) Manual`,
    data: { actor: request.actor, payments: marked.length },
  });
  return marked;
}
