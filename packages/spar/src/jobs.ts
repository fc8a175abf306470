/**
 * The SPAR jobs, run through ports: queueing new borrowers, the nightly export of their numbers, the import of
 * SPAR's update files, and the report of numbers that never came back. Each run is a batch with status `OK` or
 * `?` and its log.
 *
 * Storage keys (all under `spar/`): `queue/<number>`, `export/serials/<NNNNNN>`, `export/pending`,
 * `sent/<pin>`, `returned/<pin>`, `online/<pin>`, `import/files/<sha256>`, `batches/<id>`.
 */
import { createHash } from 'node:crypto';
import {
  addDays,
  daysBetween,
  fromZodIssues,
  type IsoDate,
  type Issue,
  maskPersonnummer,
  NordfilError,
} from '@nordfil/core';
import { type Actor, type Borrower, nationalIdentity } from '@nordfil/patron';
import {
  type Clock,
  createJsonIfAbsent,
  getJson,
  type Log,
  type LogEntry,
  Priority,
  putJson,
  redact,
  requireCapability as requirePortCapability,
  type Storage,
  type Transport,
  todayIn,
  withTransaction,
} from '@nordfil/ports';
import { z } from 'zod';
import { parseSparFile, prepareSparPins, type SparPerson, writeSparInfileXml, writeSparList } from './records.js';
import { decidePersonUpdate, type SparDecision, sparContext } from './rules.js';

// ---------------------------------------------------------------------------------------------------------------
// Batches

/**
 * One run of a job, as the seed's "1-Batch" tab shows it: status `OK`, or `?` when anything went wrong (any log
 * entry with priority 15 or lower: an error or a warning), with counts and the full log.
 *
 * @example
 * const { batch } = await runSparExport(…);
 * batch.status; // 'OK'
 */
export interface SparBatch {
  readonly id: string;
  readonly kind: 'export' | 'import';
  readonly status: 'OK' | '?';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly dryRun?: boolean;
  /** The files sent or read. */
  readonly files: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
  /** Every entry of the run (redacted as configured); filter by priority for the default view. */
  readonly log: readonly LogEntry[];
}

/**
 * The batch status rule: `?` when any entry has priority 15 or lower (errors 10, warnings 15), else `OK`.
 * Notices (18: file events, tolerated oddities) and info lines (19) do not change it.
 *
 * @example
 * batchStatus([{ priority: 19, code: 'person_imported', message: '…' }]); // 'OK'
 * batchStatus([{ priority: 10, code: 'export_failed', message: '…' }]); // '?'
 */
export function batchStatus(entries: readonly LogEntry[]): 'OK' | '?' {
  return entries.some((e) => e.priority <= Priority.warning) ? '?' : 'OK';
}

class BatchLog {
  readonly entries: LogEntry[] = [];
  readonly files: string[] = [];
  readonly counts: Record<string, number> = {};
  readonly startedAt: string;
  constructor(
    readonly kind: 'export' | 'import',
    private readonly clock: Clock,
    private readonly log: Log,
    private readonly personal: boolean,
  ) {
    this.startedAt = clock.now().toISOString();
  }
  write(entry: LogEntry): void {
    const e = entry.time === undefined ? { ...entry, time: this.clock.now().toISOString() } : entry;
    try {
      this.log.write(e);
    } catch {
      // a log must not throw; if one does, the batch record still has the entry
    }
    this.entries.push(redact(e, { allowPersonalData: this.personal }));
  }
  add(priority: number, code: string, message: string, data?: Record<string, unknown>): void {
    this.write({ priority, code, message, ...(data === undefined ? {} : { data }) });
  }
  count(name: string, n = 1): void {
    this.counts[name] = (this.counts[name] ?? 0) + n;
  }
  async finish(storage: Storage, dryRun: boolean): Promise<SparBatch> {
    const base = `${this.startedAt}-${this.kind}`;
    const make = (id: string): SparBatch => ({
      id,
      kind: this.kind,
      status: batchStatus(this.entries),
      startedAt: this.startedAt,
      finishedAt: this.clock.now().toISOString(),
      ...(dryRun ? { dryRun: true } : {}),
      files: [...this.files],
      counts: { ...this.counts },
      log: [...this.entries],
    });
    if (dryRun) return make(base);
    for (let n = 1; ; n++) {
      const id = n === 1 ? base : `${base}-${n}`;
      const batch = make(id);
      if (await createJsonIfAbsent(storage, `spar/batches/${id}`, batch)) return batch;
    }
  }
}

/**
 * The recorded batches, oldest first (what the seed's "SPAR-import logg" lists).
 *
 * @example
 * for (const b of await listBatches(storage)) console.log(b.startedAt, b.kind, b.status);
 */
export async function listBatches(storage: Storage): Promise<SparBatch[]> {
  const out: SparBatch[] = [];
  for (const key of await storage.list('spar/batches/')) {
    const b = await getJson<SparBatch>(storage, key);
    if (b !== undefined) out.push(b);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Queue

interface QueueItem {
  readonly input: string;
  readonly borrowerId?: string;
  readonly birthDate?: IsoDate;
  readonly queuedAt: string;
  readonly queuedOn: string;
}

/**
 * What {@link queueNewBorrower} did.
 *
 * @example
 * const r: QueueResult = await queueNewBorrower(storage, borrower, { clock });
 */
export interface QueueResult {
  readonly queued: boolean;
  /** `no_personnummer`, `already_queued`. */
  readonly reason?: string;
}

/**
 * Notes a new borrower with a personnummer (or samordningsnummer) for the next export ("noteras för framtida
 * SPAR-uppdatering"). A borrower without one is not queued; one already queued is queued once.
 *
 * @example
 * await queueNewBorrower(storage, borrower, { clock }); // { queued: true }
 */
export async function queueNewBorrower(
  storage: Storage,
  borrower: Borrower,
  options: { readonly clock: Clock; readonly timeZone?: string },
): Promise<QueueResult> {
  const id = nationalIdentity(borrower);
  if (id === undefined) return { queued: false, reason: 'no_personnummer' };
  return queuePersonnummer(storage, id.value, {
    ...options,
    borrowerId: borrower.id,
    ...(borrower.birthDate === undefined ? {} : { birthDate: borrower.birthDate }),
  });
}

/**
 * Queues a number as the host has it (12 or 10 digits; a 10-digit number is normalised at export time, with the
 * birth date deciding the century when given). Validation happens at export, where rejects are reported.
 *
 * @example
 * await queuePersonnummer(storage, '121212-1212', { clock, birthDate: '1912-12-12' as IsoDate });
 */
export async function queuePersonnummer(
  storage: Storage,
  input: string,
  options: {
    readonly clock: Clock;
    readonly timeZone?: string;
    readonly borrowerId?: string;
    readonly birthDate?: IsoDate;
  },
): Promise<QueueResult> {
  const key = `spar/queue/${input.trim()}`;
  const item: QueueItem = {
    input: input.trim(),
    ...(options.borrowerId === undefined ? {} : { borrowerId: options.borrowerId }),
    ...(options.birthDate === undefined ? {} : { birthDate: options.birthDate }),
    queuedAt: options.clock.now().toISOString(),
    queuedOn: todayIn(options.clock, options.timeZone),
  };
  const created = await createJsonIfAbsent(storage, key, item);
  return created ? { queued: true } : { queued: false, reason: 'already_queued' };
}

/**
 * Records a one-person online lookup (SPAR-online, Personsök) of a number on a day: a queued borrower refreshed
 * online on or after the day it was queued is not sent again in the nightly list (SPAR charges per person).
 *
 * @example
 * await recordOnlineLookup(storage, '191212121212', '2026-11-23' as IsoDate);
 */
export async function recordOnlineLookup(storage: Storage, pin: string, on: IsoDate): Promise<void> {
  await putJson(storage, `spar/online/${pin}`, { on });
}

// ---------------------------------------------------------------------------------------------------------------
// Export

const ExportConfigSchema = z.object({
  customerNumber: z.string().regex(/^\d{1,10}$/, 'expected the SPAR customer number (digits)'),
  format: z.enum(['list', 'xml']),
  folder: z
    .string()
    .refine(
      (f) => f === '' || f.split('/').every((s) => s !== '.' && s !== '..' && /^[A-Za-z0-9._-]+$/.test(s)),
      'expected a relative folder (a-z A-Z 0-9 . - _ and /, no . or .. segments)',
    ),
  logPersonalIds: z.boolean().optional(),
  timeZone: z.string().min(1).optional(),
  xml: z
    .object({
      currentState: z.boolean().optional(),
      identification: z
        .object({
          customerNumber: z.string().regex(/^\d{1,12}$/),
          endCustomerNumber: z
            .string()
            .regex(/^\d{1,12}$/)
            .optional(),
          assignmentId: z.string().regex(/^\d{1,12}$/),
        })
        .optional(),
    })
    .optional(),
});

/**
 * Configuration of {@link runSparExport}.
 *
 * @example
 * const config: SparExportConfig = { customerNumber: '1404', format: 'list', folder: 'out' };
 */
export type SparExportConfig = z.input<typeof ExportConfigSchema>;

/**
 * What {@link runSparExport} needs.
 *
 * @example
 * await runSparExport({ transport, storage, clock, log, config: { customerNumber: '1404', format: 'xml', folder: 'out' } });
 */
export interface SparExportOptions {
  readonly transport: Transport;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly log: Log;
  readonly config: SparExportConfig;
}

/**
 * What {@link runSparExport} did.
 *
 * @example
 * const { batch, sent } = await runSparExport(options);
 * sent.map((s) => s.file); // ['out/C1404-000243-spar.csv']
 */
export interface SparExportResult {
  readonly batch: SparBatch;
  /** Files written in this run: a pending file re-sent first, then the new one. */
  readonly sent: readonly { readonly file: string; readonly pins: readonly string[]; readonly resent: boolean }[];
}

interface Pending {
  readonly file: string;
  readonly path: string;
  readonly serial: number;
  readonly pins: readonly string[];
  readonly queueKeys: readonly string[];
  readonly content: string;
  readonly createdAt: string;
}

const PENDING_KEY = 'spar/export/pending';
const SERIALS = 'spar/export/serials/';

/**
 * The export file name in the seed's style: `C<customer number>-<serial, 6 digits>-spar`, plus `.csv` for the
 * list form or `.xml` for the XML form. File names use only characters SPAR accepts (`a-z A-Z 0-9 . - _`).
 *
 * @example
 * exportFileName('1404', 243, 'list'); // 'C1404-000243-spar.csv'
 * exportFileName('1404', 243, 'xml'); // 'C1404-000243-spar.xml'
 */
export function exportFileName(customerNumber: string, serial: number, format: 'list' | 'xml'): string {
  return `C${customerNumber}-${String(serial).padStart(6, '0')}-spar.${format === 'list' ? 'csv' : 'xml'}`;
}

async function allocateSerial(storage: Storage, at: string): Promise<number> {
  const used = (await storage.list(SERIALS)).map((k) => Number(k.slice(SERIALS.length))).filter(Number.isFinite);
  for (let n = Math.max(0, ...used) + 1; ; n++) {
    if (await createJsonIfAbsent(storage, `${SERIALS}${String(n).padStart(6, '0')}`, { at })) return n;
  }
}

/**
 * The nightly export: the queued numbers, validated, normalised to 12 digits and without duplicates, are
 * written as one file (`C<customer>-<serial>-spar`, list or XML form) through the transport, and only then marked
 * as sent. The log says `Har skickat lista <file> med nya låntagare till SPAR`.
 *
 * Crash safety: the file (name, serial, numbers, content) is recorded as pending before it is sent; a run that
 * finds a pending file sends the same file under the same name again before anything new, so a crash between
 * sending and marking never gives the same numbers a second file under a new name. Serials are taken with
 * `createIfAbsent`, so two runs never share one (a crash can leave a gap). A failed upload gives status `?`
 * and is retried by the next run.
 *
 * Left out, and logged: invalid numbers (warning; moved aside under `spar/rejected/`), numbers already sent,
 * and numbers refreshed online since they were queued ({@link recordOnlineLookup}).
 *
 * @example
 * const { batch } = await runSparExport({ transport, storage, clock, log, config: { customerNumber: '1404', format: 'list', folder: 'out' } });
 */
export async function runSparExport(options: SparExportOptions): Promise<SparExportResult> {
  const parsed = ExportConfigSchema.safeParse(options.config);
  if (!parsed.success) throw new NordfilError(fromZodIssues(parsed.error.issues, 'spar export config'));
  const config = parsed.data;
  const { transport, storage, clock } = options;
  const transportW = requirePortCapability(transport, 'write');
  const personal = config.logPersonalIds === true;
  const shown = (p: string) => (personal ? p : maskPersonnummer(p));
  const batch = new BatchLog('export', clock, options.log, personal);
  const today = todayIn(clock, config.timeZone) as IsoDate;
  const sent: { file: string; pins: readonly string[]; resent: boolean }[] = [];

  const send = async (p: Pending, resent: boolean): Promise<boolean> => {
    try {
      await transportW.write(p.path, new TextEncoder().encode(p.content));
    } catch (e) {
      batch.add(
        Priority.error,
        'export_failed',
        `Kunde inte skicka lista ${p.file} till SPAR: ${(e as Error).message}. Filen skickas igen nästa körning.`,
        { file: p.file },
      );
      batch.count('failed');
      return false;
    }
    // the file is out: now (and only now) the numbers are marked as sent, all together with the pending record
    await withTransaction(storage, async (tx) => {
      for (const pin of p.pins) {
        await putJson(tx, `spar/sent/${pin}`, { file: p.file, sentOn: today, sentAt: clock.now().toISOString() });
      }
      for (const key of p.queueKeys) await tx.delete(key);
      await tx.delete(PENDING_KEY);
    });
    batch.files.push(p.file);
    batch.count('sent', p.pins.length);
    batch.add(
      Priority.notice,
      resent ? 'export_resent' : 'export_sent',
      `Har skickat lista ${p.file} med nya låntagare till SPAR`,
      {
        file: p.file,
        count: p.pins.length,
        ...(resent ? { resent: true } : {}),
      },
    );
    sent.push({ file: p.file, pins: p.pins, resent });
    return true;
  };

  // 1. a file recorded but not confirmed by an earlier run: the same file, the same name
  const pending = await getJson<Pending>(storage, PENDING_KEY);
  if (pending !== undefined) {
    batch.add(Priority.notice, 'export_pending_found', `Lista ${pending.file} från en tidigare körning skickas igen`, {
      file: pending.file,
    });
    if (!(await send(pending, true))) return { batch: await batch.finish(storage, false), sent };
  }

  // 2. the queue
  const keys = await storage.list('spar/queue/');
  const items: { key: string; item: QueueItem }[] = [];
  for (const key of keys) {
    const item = await getJson<QueueItem>(storage, key);
    if (item !== undefined) items.push({ key, item });
  }
  const prepared = prepareSparPins(
    items.map(({ item }) => ({
      pin: item.input,
      ...(item.birthDate === undefined ? {} : { birthDate: item.birthDate }),
    })),
    { today },
  );
  for (const r of prepared.rejected) {
    const at = items.find((i) => i.item.input === r.input);
    batch.write({
      priority: Priority.warning,
      code: 'invalid_personnummer',
      message: `Ogiltigt personnummer ${shown(r.input)} skickas inte till SPAR (${r.code})`,
      data: { reason: r.code, ...(at?.item.borrowerId === undefined ? {} : { borrowerId: at.item.borrowerId }) },
      personal: { personnummer: r.input },
    });
    batch.count('rejected');
    if (at !== undefined) {
      await putJson(storage, `spar/rejected/${at.item.input}`, { ...at.item, reason: r.code, rejectedOn: today });
      await storage.delete(at.key);
    }
  }
  const keysByPin = new Map<string, string[]>();
  for (const { key, item } of items) {
    const p = prepareSparPins(
      [{ pin: item.input, ...(item.birthDate === undefined ? {} : { birthDate: item.birthDate }) }],
      {
        today,
      },
    ).pins[0];
    if (p !== undefined) keysByPin.set(p, [...(keysByPin.get(p) ?? []), key]);
  }
  if (prepared.duplicates.length > 0) batch.count('duplicates', prepared.duplicates.length);
  const pins: string[] = [];
  const queueKeys: string[] = [];
  for (const pin of prepared.pins) {
    const pinKeys = keysByPin.get(pin) ?? [];
    const queuedOn = items
      .filter((i) => pinKeys.includes(i.key))
      .map((i) => i.item.queuedOn)
      .sort()[0];
    if ((await storage.get(`spar/sent/${pin}`)) !== undefined) {
      for (const k of pinKeys) await storage.delete(k);
      batch.count('already_sent');
      continue;
    }
    const online = await getJson<{ on: string }>(storage, `spar/online/${pin}`);
    if (online !== undefined && queuedOn !== undefined && online.on >= queuedOn) {
      for (const k of pinKeys) await storage.delete(k);
      batch.write({
        priority: Priority.info,
        code: 'refreshed_online',
        message: `Personnummer ${shown(pin)} uppdaterades via SPAR-online och skickas inte`,
        personal: { personnummer: pin },
      });
      batch.count('refreshed_online');
      continue;
    }
    pins.push(pin);
    queueKeys.push(...pinKeys);
  }
  if (pins.length === 0) {
    batch.add(Priority.info, 'nothing_to_export', 'Inga nya låntagare att skicka till SPAR');
    return { batch: await batch.finish(storage, false), sent };
  }

  // 3. a new file: serial, pending record, upload, mark
  const at = clock.now().toISOString();
  const serial = await allocateSerial(storage, at);
  const file = exportFileName(config.customerNumber, serial, config.format);
  const content =
    config.format === 'list'
      ? writeSparList(pins)
      : writeSparInfileXml(pins, {
          ...(config.xml?.currentState === undefined ? {} : { currentState: config.xml.currentState }),
          ...(config.xml?.identification === undefined
            ? {}
            : { identification: stripUndefined(config.xml.identification) }),
        });
  const next: Pending = {
    file,
    path: config.folder === '' ? file : `${config.folder}/${file}`,
    serial,
    pins,
    queueKeys,
    content,
    createdAt: at,
  };
  if (!(await createJsonIfAbsent(storage, PENDING_KEY, next))) {
    // another run recorded a file meanwhile: it sends it; these numbers stay queued for the next night
    batch.add(Priority.notice, 'export_busy', 'En annan körning skickar en lista just nu; numren skickas nästa natt');
    return { batch: await batch.finish(storage, false), sent };
  }
  await send(next, false);
  return { batch: await batch.finish(storage, false), sent };
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]-?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

// ---------------------------------------------------------------------------------------------------------------
// Import

/**
 * Where the import finds and stores borrowers: the host's borrower register.
 *
 * @example
 * const repo: BorrowerRepository = { findByPersonnummer: (pin) => db.borrowerByPin(pin), save: (b) => db.saveBorrower(b) };
 */
export interface BorrowerRepository {
  /** The borrower whose current or former personnummer/samordningsnummer is `pin` (12 digits). */
  findByPersonnummer(pin: string): Promise<Borrower | undefined>;
  /** Stores the borrower, replacing the one with the same id. */
  save(borrower: Borrower): Promise<void>;
}

/**
 * An in-memory {@link BorrowerRepository} for tests and examples.
 *
 * @example
 * const repo = memoryBorrowerRepository([borrower]);
 * await runSparImport({ …, borrowers: repo });
 * repo.all();
 */
export function memoryBorrowerRepository(
  initial: Iterable<Borrower> = [],
): BorrowerRepository & { all(): Borrower[]; get(id: string): Borrower | undefined } {
  const byId = new Map<string, Borrower>();
  for (const b of initial) byId.set(b.id, b);
  return {
    async findByPersonnummer(pin) {
      for (const b of byId.values()) if (b.identities.some((i) => i.value === pin)) return b;
      for (const b of byId.values()) if (b.formerIdentities.some((f) => f.identity.value === pin)) return b;
      return undefined;
    },
    async save(b) {
      byId.set(b.id, b);
    },
    all: () => [...byId.values()],
    get: (id) => byId.get(id),
  };
}

const ImportConfigSchema = z.object({
  account: z.string().min(1),
  folder: z.string().optional(),
  logPersonalIds: z.boolean().optional(),
  timeZone: z.string().min(1).optional(),
  actor: z.object({ id: z.string().min(1), roles: z.array(z.string()) }).optional(),
  strictness: z.enum(['strict', 'lenient']).optional(),
});

/**
 * Configuration of {@link runSparImport}.
 *
 * @example
 * const config: SparImportConfig = { account: 'lund', folder: 'in' };
 */
export interface SparImportConfig {
  /** The library account the borrowers belong to. */
  readonly account: string;
  /** The transport folder SPAR's files arrive in; default the root. */
  readonly folder?: string;
  /** Personnummer in full in log messages; default false (masked `YYYYMMDD-****`). */
  readonly logPersonalIds?: boolean;
  /** The library's time zone (today's date); default Europe/Stockholm. */
  readonly timeZone?: string;
  /** Who acts; default `{ id: 'spar', roles: ['register-sync'] }`. */
  readonly actor?: Actor;
  /** Parse strictness; default lenient (a broken post is left out and reported, the rest imported). */
  readonly strictness?: 'strict' | 'lenient';
}

/**
 * What {@link runSparImport} needs.
 *
 * @example
 * await runSparImport({ transport, storage, clock, log, borrowers: repo, config: { account: 'lund' } });
 */
export interface SparImportOptions {
  readonly transport: Transport;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly log: Log;
  readonly borrowers: BorrowerRepository;
  readonly config: SparImportConfig;
  /** Decide everything and report it, but change nothing (no borrower saved, no file marked, no batch stored). */
  readonly dryRun?: boolean;
}

/**
 * One file's outcome in an import.
 *
 * @example
 * const f: SparFileOutcome = { name: 'in/avi.xml', sha256: '…', status: 'imported', persons: 12 };
 */
export interface SparFileOutcome {
  readonly name: string;
  readonly sha256: string;
  /** `imported`; `skipped` (seen before); `invalid` (not readable); `incomplete` (a save failed: re-run finishes it). */
  readonly status: 'imported' | 'skipped' | 'invalid' | 'incomplete';
  readonly persons: number;
}

/**
 * What {@link runSparImport} did.
 *
 * @example
 * const { batch, decisions } = await runSparImport({ …, dryRun: true });
 * decisions.flatMap((d) => d.actions); // every change, none applied
 */
export interface SparImportResult {
  readonly batch: SparBatch;
  readonly files: readonly SparFileOutcome[];
  /** One decision per person, in file order. */
  readonly decisions: readonly SparDecision[];
}

interface FileMarker {
  readonly name: string;
  readonly sha256: string;
  readonly status: 'started' | 'done' | 'invalid';
  readonly startedAt: string;
  readonly finishedAt?: string;
  readonly persons?: number;
}

/** Log priorities of parse issues: errors 10; unknown things tolerated 18; other warnings 15. */
function issuePriority(i: Issue): number {
  if (i.severity === 'error') return Priority.error;
  if (['unknown_element', 'unknown_code', 'unknown_schema_version', 'unknown_deregistration_code'].includes(i.code)) {
    return Priority.notice;
  }
  return Priority.warning;
}

/**
 * The import: every file in the folder is read once (a file whose content was imported before is skipped and
 * logged), SPAR's XML is parsed, each person decided by {@link decidePersonUpdate} and the changed borrowers saved
 * through the repository. Logs: one info line per person (19), file events and problems at 18 or below.
 *
 * Crash safety: a file is marked `started` (createIfAbsent on the SHA-256 of its content) before any borrower
 * is saved and `done` after the last one; a run that finds a `started` file imports it again, and since the
 * rules are idempotent (no second comment, block or address) the re-run finishes the work without doubling
 * anything. A borrower that cannot be saved leaves the file `started` (status `?`). Numbers that come back are
 * marked as returned for {@link reportMissingReturns}.
 *
 * @example
 * const { batch } = await runSparImport({ transport, storage, clock, log, borrowers, config: { account: 'lund', folder: 'in' } });
 * batch.status; // 'OK'
 */
export async function runSparImport(options: SparImportOptions): Promise<SparImportResult> {
  const parsed = ImportConfigSchema.safeParse(options.config);
  if (!parsed.success) throw new NordfilError(fromZodIssues(parsed.error.issues, 'spar import config'));
  const config = options.config;
  const { transport, storage, clock, borrowers } = options;
  const dryRun = options.dryRun === true;
  const personal = config.logPersonalIds === true;
  const batch = new BatchLog('import', clock, options.log, personal);
  const today = todayIn(clock, config.timeZone) as IsoDate;
  const at = clock.now().toISOString();
  const files: SparFileOutcome[] = [];
  const decisions: SparDecision[] = [];

  let listing: Awaited<ReturnType<Transport['list']>>;
  try {
    listing = await transport.list(config.folder);
  } catch (e) {
    batch.add(Priority.error, 'list_failed', `Kunde inte nå SPAR-servern (${transport.name}): ${(e as Error).message}`);
    return { batch: await batch.finish(storage, dryRun), files, decisions };
  }
  if (listing.length === 0) batch.add(Priority.info, 'no_files', 'Ingen ny fil från SPAR');

  for (const entry of listing) {
    const name = entry.name;
    let bytes: Uint8Array;
    try {
      bytes = await transport.read(name);
    } catch (e) {
      batch.add(Priority.error, 'read_failed', `Kunde inte hämta filen ${name}: ${(e as Error).message}`, {
        file: name,
      });
      continue;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const key = `spar/import/files/${sha256}`;
    const marker: FileMarker = { name, sha256, status: 'started', startedAt: at };
    const seen = await getJson<FileMarker>(storage, key);
    if (seen !== undefined && seen.status !== 'started') {
      batch.add(
        Priority.notice,
        'file_already_imported',
        `Filen ${name} har redan lästs in (${seen.name}, ${seen.finishedAt ?? seen.startedAt}) och hoppas över`,
        { file: name, sha256 },
      );
      files.push({ name, sha256, status: 'skipped', persons: 0 });
      batch.count('files_skipped');
      continue;
    }
    if (seen !== undefined) {
      batch.add(
        Priority.notice,
        'file_resumed',
        `Filen ${name} lästes in ofullständigt förra gången och läses in igen`,
        {
          file: name,
        },
      );
    } else if (!dryRun && !(await createJsonIfAbsent(storage, key, marker))) {
      // another worker took it between our read and create: it imports the file
      files.push({ name, sha256, status: 'skipped', persons: 0 });
      continue;
    }
    batch.files.push(name);

    const result = (() => {
      try {
        return {
          ok: true as const,
          file: parseSparFile(bytes, {
            source: name,
            today,
            ...(config.strictness === undefined ? {} : { strictness: config.strictness }),
          }),
        };
      } catch (e) {
        if (!NordfilError.is(e)) throw e;
        return { ok: false as const, error: e };
      }
    })();
    if (!result.ok) {
      const first = result.error.issues[0];
      batch.add(
        Priority.error,
        'file_invalid',
        `Filen ${name} kan inte läsas${first?.line === undefined ? '' : ` (rad ${first.line})`}: ${first?.message ?? result.error.message}`,
        { file: name, ...(first?.line === undefined ? {} : { line: first.line }), reason: result.error.code },
      );
      if (!dryRun) await putJson(storage, key, { ...marker, status: 'invalid', finishedAt: clock.now().toISOString() });
      files.push({ name, sha256, status: 'invalid', persons: 0 });
      batch.count('files_invalid');
      continue;
    }
    const sparFile = result.file;
    for (const i of sparFile.issues) {
      batch.add(issuePriority(i), i.code, `${name}${i.line === undefined ? '' : `:${i.line}`}: ${i.message}`, {
        file: name,
        ...(i.line === undefined ? {} : { line: i.line }),
        ...(i.field === undefined ? {} : { path: i.field }),
      });
    }

    // decisions see the borrowers as earlier posts of the run left them (also in a dry run)
    const overlay = new Map<string, Borrower>();
    const find = async (pin: string) => {
      const b = await borrowers.findByPersonnummer(pin);
      return b === undefined ? undefined : (overlay.get(b.id) ?? b);
    };
    let complete = true;
    for (const person of sparFile.persons) {
      const borrower = await find(person.idNumber);
      const taken = await takenNumbers(person, borrower, find);
      let decision: SparDecision;
      try {
        decision = decidePersonUpdate(borrower, person, {
          ...sparContext({ account: config.account, at, today }),
          ...(config.actor === undefined ? {} : { actor: config.actor }),
          file: name,
          logPersonalIds: personal,
          takenIdentities: taken,
        });
      } catch (e) {
        if (!NordfilError.is(e)) throw e;
        batch.write({
          priority: Priority.error,
          code: 'person_failed',
          message: `Personnummer ${personal ? person.idNumber : maskPersonnummer(person.idNumber)} kunde inte uppdateras: ${e.code}`,
          data: { file: name, record: person.record, reason: e.code },
          personal: { personnummer: person.idNumber },
        });
        batch.count('failed');
        continue;
      }
      decisions.push(decision);
      for (const e of decision.log) batch.write(e);
      batch.count(decision.rule);
      if (decision.changed && decision.borrower !== undefined) {
        overlay.set(decision.borrower.id, decision.borrower);
        batch.count('changed');
        if (!dryRun) {
          try {
            await borrowers.save(decision.borrower);
          } catch (e) {
            batch.add(
              Priority.error,
              'save_failed',
              `Låntagare ${decision.borrower.id} kunde inte sparas: ${(e as Error).message}. Filen ${name} läses in igen nästa körning.`,
              { file: name, borrowerId: decision.borrower.id },
            );
            complete = false;
            break;
          }
        }
      }
      if (!dryRun) await createJsonIfAbsent(storage, `spar/returned/${person.idNumber}`, { file: name, on: today });
    }
    if (!complete) {
      files.push({ name, sha256, status: 'incomplete', persons: sparFile.persons.length });
      continue;
    }
    if (!dryRun) {
      await putJson(storage, key, {
        ...marker,
        status: 'done',
        finishedAt: clock.now().toISOString(),
        persons: sparFile.persons.length,
      });
    }
    files.push({ name, sha256, status: 'imported', persons: sparFile.persons.length });
    batch.count('files_imported');
    batch.count('persons', sparFile.persons.length);
    batch.add(
      Priority.notice,
      'file_imported',
      `Har ${dryRun ? 'provläst' : 'läst in'} fil ${name} från SPAR: ${sparFile.persons.length} personer`,
      {
        file: name,
        persons: sparFile.persons.length,
        ...(sparFile.schemaVersion === undefined ? {} : { schemaVersion: sparFile.schemaVersion }),
      },
    );
  }
  return { batch: await batch.finish(storage, dryRun), files, decisions };
}

/** The referral targets of a GN/GS person that already belong to another borrower. */
async function takenNumbers(
  person: SparPerson,
  borrower: Borrower | undefined,
  find: (pin: string) => Promise<Borrower | undefined>,
): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const r of person.details?.referrals ?? []) {
    const holder = await find(r.idNumber);
    if (holder !== undefined && holder.id !== borrower?.id) taken.add(r.idNumber);
  }
  return taken;
}

// ---------------------------------------------------------------------------------------------------------------
// Numbers that never come back

/**
 * A number that was sent to SPAR and has not come back in any imported file.
 *
 * @example
 * const m: MissingReturn = { pin: '191212121212', file: 'C1404-000243-spar.csv', sentOn: '2026-10-01', days: 53 };
 */
export interface MissingReturn {
  readonly pin: string;
  readonly file: string;
  readonly sentOn: string;
  /** Days since it was sent. */
  readonly days: number;
}

/**
 * The numbers exported at least `olderThanDays` days ago (default 45: more than one monthly delivery) that no
 * imported file has mentioned. SPAR checks only the format of an infile, so a wrong number gives no hit and no
 * error: this report is how such numbers are found. With the XML form the export asks for the current state
 * (`nulage="JA"`) of each new number, so every valid number comes back in the next delivery.
 *
 * @example
 * const missing = await reportMissingReturns(storage, { today: '2026-11-23' as IsoDate, olderThanDays: 45 });
 */
export async function reportMissingReturns(
  storage: Storage,
  options: { readonly today: IsoDate; readonly olderThanDays?: number },
): Promise<MissingReturn[]> {
  const limit = addDays(options.today, -(options.olderThanDays ?? 45));
  const out: MissingReturn[] = [];
  for (const key of await storage.list('spar/sent/')) {
    const pin = key.slice('spar/sent/'.length);
    const s = await getJson<{ file: string; sentOn: IsoDate }>(storage, key);
    if (s === undefined || s.sentOn > limit) continue;
    if ((await storage.get(`spar/returned/${pin}`)) !== undefined) continue;
    const days = daysBetween(s.sentOn, options.today);
    out.push({ pin, file: s.file, sentOn: s.sentOn, days });
  }
  return out;
}
