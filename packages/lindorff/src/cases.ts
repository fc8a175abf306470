/**
 * Collection cases (inkassosaker): the collection list (inkassoliste) grouped by collection date, the payment
 * lock on invoices in collection, removal notices, and the pure decisions that receipts (kvitteringer) and
 * settlements (avslutninger) make. Nothing here changes an invoice balance: that moves only when the OCR
 * giro file is read.
 */
import { compareDates, type IsoDate, type Issue, issue, type Money, NordfilError } from '@nordfil/core';
import { accountDigits } from './accounts.js';
import type { CollectionClaim, Receipt, ReceiptFile, Settlement, SettlementEvent, SettlementFile } from './format.js';

/**
 * Where a case is:
 * `listed` on the collection list; `queued` in an LS file not yet sent; `exported` sent to the agency;
 * `acknowledged` the agency's receipt gave it a reference; `rejected` the agency refused it (with a reason);
 * `partly_paid`, `paid`, `closed`, `returned` (to the creditor uncollected), `legal` (rettslig inkasso),
 * `surveillance` (overvåking) from settlement files; `removed` from the list by the creditor.
 *
 * @example
 * const s: CaseStatus = 'acknowledged';
 */
export type CaseStatus =
  | 'listed'
  | 'queued'
  | 'exported'
  | 'acknowledged'
  | 'rejected'
  | 'partly_paid'
  | 'paid'
  | 'closed'
  | 'returned'
  | 'legal'
  | 'surveillance'
  | 'removed';

/**
 * One entry of a case's history (Inkasso – Historikk).
 *
 * @example
 * const e: CaseEvent = { date: '2026-11-24' as IsoDate, code: 'agency_reference', text: 'agency reference L-77', file: 'Kvitt_…' };
 */
export interface CaseEvent {
  readonly date: IsoDate;
  /** Stable code: `listed`, `queued`, `exported`, `agency_reference`, `rejected`, `settlement`, `removed`. */
  readonly code: string;
  readonly text: string;
  /** The file that caused it. */
  readonly file?: string;
  /** The record id (`<file>#<line>`) that caused it. */
  readonly recordId?: string;
}

/**
 * A collection case: the claim as sent, where it is, the agency's reference and its history. It carries no
 * ledger balance on purpose.
 *
 * @example
 * const c = listCase(claim, { collectionDate: '2026-11-23' as IsoDate });
 * c.status; // 'listed'
 */
export interface CollectionCase {
  /** The claim's case reference (the invoice number). */
  readonly caseRef: string;
  /** Inkassodato: the date the reminder run put it on the list; the list is grouped by it. */
  readonly collectionDate: IsoDate;
  readonly status: CaseStatus;
  readonly claim: CollectionClaim;
  /** The agency's reference (Lindorff's saksnummer), from the receipt. */
  readonly agencyRef?: string;
  /** The LS file that carried it. */
  readonly exportFile?: string;
  /** The date the LS file was sent. */
  readonly exportedDate?: IsoDate;
  /** Why the agency rejected it. */
  readonly rejection?: { readonly code?: string; readonly text?: string };
  /** The last settlement event and the money the agency reported collecting (for information only). */
  readonly lastSettlement?: { readonly event: SettlementEvent; readonly date: IsoDate; readonly remitted: Money };
  readonly history: readonly CaseEvent[];
}

/**
 * Puts a claim on the collection list.
 *
 * @example
 * listCase(claim, { collectionDate: '2026-11-23' as IsoDate }).history[0]?.code; // 'listed'
 */
export function listCase(claim: CollectionClaim, options: { readonly collectionDate: IsoDate }): CollectionCase {
  return {
    caseRef: claim.caseRef,
    collectionDate: options.collectionDate,
    status: 'listed',
    claim,
    history: [{ date: options.collectionDate, code: 'listed', text: 'put on the collection list' }],
  };
}

/**
 * A group of the collection list: the listed cases of one collection date.
 *
 * @example
 * const g: CollectionGroup = { collectionDate: '2026-11-23' as IsoDate, cases: [] };
 */
export interface CollectionGroup {
  readonly collectionDate: IsoDate;
  readonly cases: readonly CollectionCase[];
}

/**
 * The collection list (inkassolisten): cases still waiting to be exported (`listed`), grouped by collection
 * date, oldest first, cases by reference within a group.
 *
 * @example
 * collectionList(cases).map((g) => g.collectionDate); // ['2026-11-20', '2026-11-23']
 */
export function collectionList(cases: Iterable<CollectionCase>): CollectionGroup[] {
  const groups = new Map<IsoDate, CollectionCase[]>();
  for (const c of cases) {
    if (c.status !== 'listed') continue;
    const g = groups.get(c.collectionDate) ?? [];
    g.push(c);
    groups.set(c.collectionDate, g);
  }
  return [...groups]
    .sort(([a], [b]) => compareDates(a, b))
    .map(([collectionDate, list]) => ({
      collectionDate,
      cases: list.sort((x, y) => (x.caseRef < y.caseRef ? -1 : x.caseRef > y.caseRef ? 1 : 0)),
    }));
}

/**
 * How the user picks the group to export: by its collection date, or by one of its invoices.
 *
 * @example
 * const s: GroupSelection = { invoice: '1001' };
 */
export type GroupSelection = { readonly collectionDate: IsoDate } | { readonly invoice: string };

/**
 * The group the selection names. Throws `no_such_group` (no listed case on that date) or `invoice_not_listed`.
 *
 * @example
 * selectGroup(cases, { invoice: '1001' }).collectionDate; // the date of invoice 1001's group
 */
export function selectGroup(cases: Iterable<CollectionCase>, selection: GroupSelection): CollectionGroup {
  const groups = collectionList(cases);
  let date: IsoDate;
  if ('invoice' in selection) {
    const hit = groups
      .flatMap((g) => g.cases)
      .find((c) => c.claim.invoice.number === selection.invoice || c.caseRef === selection.invoice);
    if (hit === undefined) {
      throw new NordfilError(
        issue('invoice_not_listed', `invoice ${selection.invoice} is not on the collection list`, {
          actual: selection.invoice,
        }),
      );
    }
    date = hit.collectionDate;
  } else {
    date = selection.collectionDate;
  }
  const group = groups.find((g) => g.collectionDate === date);
  if (group === undefined) {
    throw new NordfilError(issue('no_such_group', `no cases on the collection list for ${date}`, { actual: date }));
  }
  return group;
}

const LOCKED: ReadonlySet<CaseStatus> = new Set([
  'listed',
  'queued',
  'exported',
  'acknowledged',
  'partly_paid',
  'paid',
  'legal',
  'surveillance',
]);

/**
 * True when the invoice is locked for payment registration: from the moment it is on the collection list
 * until the case is removed, rejected, closed or returned.
 *
 * @example
 * isLocked(listCase(claim, { collectionDate })); // true
 */
export function isLocked(c: Pick<CollectionCase, 'status'>): boolean {
  return LOCKED.has(c.status);
}

/**
 * The typed refusal to register a payment on an invoice that is in collection. Its `code` is `invoice_locked`.
 *
 * @example
 * try { assertPaymentAllowed(c, { channel: 'manual' }, agencyAccount) } catch (e) { if (e instanceof InvoiceLockedError) e.caseStatus; }
 */
export class InvoiceLockedError extends NordfilError {
  readonly invoice: string;
  readonly caseStatus: CaseStatus;
  constructor(c: CollectionCase) {
    super(
      issue(
        'invoice_locked',
        `invoice ${c.claim.invoice.number} is in collection (${c.status}): remove it from the collection list first, and tell the agency`,
        { field: c.caseRef, actual: c.status },
      ),
    );
    this.invoice = c.claim.invoice.number;
    this.caseStatus = c.status;
  }
}

/**
 * A payment someone wants to register on an invoice.
 *
 * @example
 * const p: PaymentAttempt = { channel: 'ocr', fromAccount: '86011117947' };
 */
export interface PaymentAttempt {
  /** `manual`: posted by hand (innbetaling registrert manuelt); `ocr`: from the OCR giro file. */
  readonly channel: 'manual' | 'ocr';
  /** The payer's account, when known. */
  readonly fromAccount?: string;
}

/**
 * Refuses, with an {@link InvoiceLockedError}, a manual payment on a locked invoice. Allowed: anything on an
 * unlocked invoice; OCR payments (the balance moves when the OCR file is read: the agency's settlements and
 * direct payments alike, the latter then reported in the RD file); payments from the agency's own account.
 *
 * @example
 * assertPaymentAllowed(caseInCollection, { channel: 'manual' }, '86011117947'); // throws InvoiceLockedError
 */
export function assertPaymentAllowed(
  c: CollectionCase | undefined,
  attempt: PaymentAttempt,
  agencyBankAccount: string,
): void {
  if (c === undefined || !isLocked(c)) return;
  if (attempt.channel === 'ocr') return;
  if (attempt.fromAccount !== undefined && accountDigits(attempt.fromAccount) === agencyBankAccount) return;
  throw new InvoiceLockedError(c);
}

/**
 * The notice that the agency must be told (manually) that an invoice left the collection list. Listed until
 * acknowledged.
 *
 * @example
 * const n: RemovalNotice = { id: 'removal:1001:2026-11-25', caseRef: '1001', invoice: '1001', date, reason: 'paid directly', wasExported: true };
 */
export interface RemovalNotice {
  readonly id: string;
  readonly caseRef: string;
  readonly invoice: string;
  readonly agencyRef?: string;
  readonly date: IsoDate;
  readonly reason: string;
  /** False when the case never left: the agency has not seen it yet, but is told all the same (Cordel). */
  readonly wasExported: boolean;
  readonly acknowledged?: { readonly date: IsoDate; readonly by: string };
}

/**
 * Removes a case from the collection list (to register a direct payment): the case becomes `removed`
 * (unlocked) and a {@link RemovalNotice} is made. Throws `not_removable` for a case already closed.
 *
 * @example
 * const { case: c, notice } = removeFromList(acknowledgedCase, { date, reason: 'paid directly to us' });
 */
export function removeFromList(
  c: CollectionCase,
  options: { readonly date: IsoDate; readonly reason: string },
): { case: CollectionCase; notice: RemovalNotice } {
  if (!isLocked(c)) {
    throw new NordfilError(
      issue('not_removable', `case ${c.caseRef} is ${c.status}: not on the collection list`, {
        field: c.caseRef,
        actual: c.status,
      }),
    );
  }
  const wasExported = c.status !== 'listed' && c.status !== 'queued';
  const notice: RemovalNotice = {
    id: `removal:${c.caseRef}:${options.date}`,
    caseRef: c.caseRef,
    invoice: c.claim.invoice.number,
    ...(c.agencyRef === undefined ? {} : { agencyRef: c.agencyRef }),
    date: options.date,
    reason: options.reason,
    wasExported,
  };
  return {
    case: {
      ...c,
      status: 'removed',
      history: [
        ...c.history,
        {
          date: options.date,
          code: 'removed',
          text: `removed from the collection list: ${options.reason}; the agency must be told`,
        },
      ],
    },
    notice,
  };
}

/**
 * The notices not yet acknowledged, oldest first.
 *
 * @example
 * pendingNotices(notices).length; // what is still to tell the agency
 */
export function pendingNotices(notices: Iterable<RemovalNotice>): RemovalNotice[] {
  return [...notices]
    .filter((n) => n.acknowledged === undefined)
    .sort((a, b) => compareDates(a.date, b.date) || (a.id < b.id ? -1 : 1));
}

/**
 * Marks a notice as told to the agency.
 *
 * @example
 * acknowledgeNotice(notice, { date, by: 'kari' }).acknowledged?.by; // 'kari'
 */
export function acknowledgeNotice(
  notice: RemovalNotice,
  options: { readonly date: IsoDate; readonly by: string },
): RemovalNotice {
  return { ...notice, acknowledged: { date: options.date, by: options.by } };
}

/**
 * Marks queued cases as sent in the LS file `file` on `date`.
 *
 * @example
 * markExported(queuedCase, { file: 'LS12345…', date }).status; // 'exported'
 */
export function markExported(
  c: CollectionCase,
  options: { readonly file: string; readonly date: IsoDate },
): CollectionCase {
  if (c.status !== 'queued' && c.status !== 'listed') return c;
  return {
    ...c,
    status: 'exported',
    exportFile: options.file,
    exportedDate: options.date,
    history: [...c.history, { date: options.date, code: 'exported', text: 'sent to the agency', file: options.file }],
  };
}

/**
 * What applying an agency file decided: the changed cases, interest notes to book, and issues (warnings) for
 * lines that matched no case. Never a balance change.
 *
 * @example
 * const d = applyReceipts(cases, file, { file: 'Kvitt_…' });
 * d.changed.map((c) => c.agencyRef);
 */
export interface AgencyFileDecision {
  readonly changed: readonly CollectionCase[];
  readonly interestNotes: readonly AgencyInterestNote[];
  readonly issues: readonly Issue[];
}

/**
 * An interest note (rentenota) to book because the agency collected interest (an Avsl line's rentenota amount).
 *
 * @example
 * const n: AgencyInterestNote = { id: 'Avsl_…#2', caseRef: '1001', agencyRef: 'L-77', date, amount: Money.of('57.30', 'NOK') };
 */
export interface AgencyInterestNote {
  readonly id: string;
  readonly caseRef: string;
  readonly agencyRef: string;
  readonly date: IsoDate;
  readonly amount: Money;
}

function finder(cases: Iterable<CollectionCase>) {
  const byRef = new Map<string, CollectionCase>();
  const byAgency = new Map<string, CollectionCase>();
  for (const c of cases) {
    byRef.set(c.caseRef, c);
    if (c.agencyRef !== undefined) byAgency.set(c.agencyRef, c);
  }
  return { byRef, byAgency };
}

/**
 * Applies a receipt file (kvittering): each accepted case gets the agency's reference (shown in its history);
 * each rejected case becomes `rejected` with the reason. Lines for unknown cases give `unknown_case` warnings.
 * Applying the same receipt twice changes nothing the second time.
 *
 * @example
 * applyReceipts([exported], { header, receipts: [{ id: 'K#2', caseRef: '1001', agencyRef: 'L-77', status: 'accepted', registeredDate }] }, { file: 'Kvitt_…' }).changed[0]?.status; // 'acknowledged'
 */
export function applyReceipts(
  cases: Iterable<CollectionCase>,
  file: ReceiptFile,
  options: { readonly file: string },
): AgencyFileDecision {
  const { byRef } = finder(cases);
  const changed = new Map<string, CollectionCase>();
  const issues: Issue[] = [];
  for (const r of file.receipts) {
    const c = changed.get(r.caseRef) ?? byRef.get(r.caseRef);
    if (c === undefined) {
      issues.push(
        issue('unknown_case', `receipt for case ${r.caseRef}, which is not ours`, {
          severity: 'warning',
          source: options.file,
          field: r.caseRef,
        }),
      );
      continue;
    }
    const next = receive(c, r, options.file);
    if (next !== c) changed.set(c.caseRef, next);
  }
  return { changed: [...changed.values()], interestNotes: [], issues };
}

function receive(c: CollectionCase, r: Receipt, file: string): CollectionCase {
  if (c.history.some((h) => h.recordId === r.id)) return c;
  if (r.status === 'accepted') {
    const status: CaseStatus =
      c.status === 'queued' || c.status === 'exported' || c.status === 'listed' ? 'acknowledged' : c.status;
    return {
      ...c,
      status,
      ...(r.agencyRef === undefined ? {} : { agencyRef: r.agencyRef }),
      history: [
        ...c.history,
        {
          date: r.registeredDate,
          code: 'agency_reference',
          text: `registered by the agency as ${r.agencyRef}`,
          file,
          recordId: r.id,
        },
      ],
    };
  }
  const reason = [r.reasonCode, r.reasonText].filter(Boolean).join(': ') || 'no reason given';
  return {
    ...c,
    status: 'rejected',
    ...(r.agencyRef === undefined ? {} : { agencyRef: r.agencyRef }),
    rejection: {
      ...(r.reasonCode === undefined ? {} : { code: r.reasonCode }),
      ...(r.reasonText === undefined ? {} : { text: r.reasonText }),
    },
    history: [
      ...c.history,
      { date: r.registeredDate, code: 'rejected', text: `rejected by the agency: ${reason}`, file, recordId: r.id },
    ],
  };
}

/**
 * The case status each settlement event gives.
 *
 * @example
 * SETTLEMENT_STATUS.OPPG; // 'paid'
 */
export const SETTLEMENT_STATUS: { readonly [E in SettlementEvent]: CaseStatus } = Object.freeze({
  DELB: 'partly_paid',
  OPPG: 'paid',
  AVSL: 'closed',
  RETU: 'returned',
  RETT: 'legal',
  OVV: 'surveillance',
});

/**
 * Applies a settlement/closure file (avslutning): updates each case's status and lists the interest notes
 * (rentenotaer) to book. It never changes an invoice balance: the money arrives in the OCR giro file.
 * Lines are matched by case reference, else by agency reference; unknown ones give `unknown_case` warnings.
 *
 * @example
 * applySettlements([acknowledged], avslFile, { file: 'Avsl_…' }).changed[0]?.status; // 'paid'
 */
export function applySettlements(
  cases: Iterable<CollectionCase>,
  file: SettlementFile,
  options: { readonly file: string },
): AgencyFileDecision {
  const { byRef, byAgency } = finder(cases);
  const changed = new Map<string, CollectionCase>();
  const notes: AgencyInterestNote[] = [];
  const issues: Issue[] = [];
  for (const s of file.settlements) {
    const found = byRef.get(s.caseRef) ?? byAgency.get(s.agencyRef);
    const c = found === undefined ? undefined : (changed.get(found.caseRef) ?? found);
    if (c === undefined) {
      issues.push(
        issue('unknown_case', `settlement for case ${s.caseRef} / ${s.agencyRef}, which is not ours`, {
          severity: 'warning',
          source: options.file,
          field: s.caseRef,
        }),
      );
      continue;
    }
    if (c.history.some((h) => h.recordId === s.id)) continue;
    changed.set(c.caseRef, settle(c, s, options.file));
    if (!s.rentenota.isZero()) {
      notes.push({ id: s.id, caseRef: c.caseRef, agencyRef: s.agencyRef, date: s.eventDate, amount: s.rentenota });
    }
  }
  return { changed: [...changed.values()], interestNotes: notes, issues };
}

function settle(c: CollectionCase, s: Settlement, file: string): CollectionCase {
  const status = SETTLEMENT_STATUS[s.event];
  return {
    ...c,
    status,
    agencyRef: c.agencyRef ?? s.agencyRef,
    lastSettlement: { event: s.event, date: s.eventDate, remitted: s.remitted },
    history: [
      ...c.history,
      {
        date: s.eventDate,
        code: 'settlement',
        text: `${s.event} (${status}): collected principal ${s.principal}, interest ${s.interest}, fees ${s.fees}; remitted ${s.remitted}`,
        file,
        recordId: s.id,
      },
    ],
  };
}
