/**
 * Corrections (RD, "Direkteinnbetalinger og korrigeringer"): the direct payments (direktebetalinger) and credit
 * notes (kreditnotaer) the creditor registered on cases the agency holds, so the agency can close or reduce
 * them. Quick3's rules: built only after the OCR files of the period are read; payments from the agency's own
 * bank account are its settlements and are left out; each item is reported at most once.
 */
import { compareDates, type IsoDate, type Issue, issue, type Money, NordfilError, type Payment } from '@nordfil/core';
import { accountDigits } from './accounts.js';
import type { CaseStatus, CollectionCase } from './cases.js';
import type { Correction } from './format.js';

/**
 * One OCR giro file as read: its id, the days it covers (Nets settlement dates, inclusive) and its payments.
 * A day without a file (a weekend) is covered by recording an entry with no payments, so the ledger can say
 * "read through" that day.
 *
 * @example
 * const e: OcrLedgerEntry = { fileId: 'OCR.20261120', from: '2026-11-20' as IsoDate, to: '2026-11-20' as IsoDate, payments: [] };
 */
export interface OcrLedgerEntry {
  readonly fileId: string;
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly payments: readonly Payment[];
}

/**
 * A payment the creditor posted by hand on a case (not from an OCR file).
 *
 * @example
 * const m: ManualPayment = { id: 'bilag-4411', caseRef: '1001', date, amount: Money.of('300', 'NOK') };
 */
export interface ManualPayment {
  readonly id: string;
  readonly caseRef: string;
  readonly date: IsoDate;
  /** Positive: what was paid. */
  readonly amount: Money;
  readonly text?: string;
}

/**
 * A credit note (kreditnota) the creditor issued on a case's invoice.
 *
 * @example
 * const c: CreditNote = { id: 'KN-88', caseRef: '1001', date, amount: Money.of('100', 'NOK') };
 */
export interface CreditNote {
  readonly id: string;
  readonly caseRef: string;
  readonly date: IsoDate;
  /** Positive: what is credited. */
  readonly amount: Money;
  readonly text?: string;
}

/**
 * What {@link buildCorrections} needs.
 *
 * @example
 * buildCorrections({ cases, ocr: await ledger.list(), cutoff, agencyBankAccount, reported: new Set() });
 */
export interface CorrectionInput {
  readonly cases: Iterable<CollectionCase>;
  /** The OCR ledger. */
  readonly ocr: readonly OcrLedgerEntry[];
  /** The last day the correction file covers. */
  readonly cutoff: IsoDate;
  /** OCR files known to exist (e.g. listed on the bank's server) with their date; unread ones dated up to the cutoff refuse. */
  readonly knownOcrFiles?: readonly { readonly fileId: string; readonly date: IsoDate }[];
  readonly manualPayments?: readonly ManualPayment[];
  readonly creditNotes?: readonly CreditNote[];
  /** The agency's bank account (11 digits): payments from it are settlements, not corrections. */
  readonly agencyBankAccount: string;
  /** Ids already reported in an earlier RD file. */
  readonly reported: ReadonlySet<string>;
}

/**
 * Why an item was left out of the corrections.
 *
 * @example
 * const e: Excluded = { id: 'ocr#4', caseRef: '1001', reason: 'from_agency_account' };
 */
export interface Excluded {
  readonly id: string;
  readonly caseRef: string;
  readonly reason: 'from_agency_account' | 'already_reported' | 'case_not_with_agency' | 'before_transfer';
}

/**
 * The corrections to report, and what was left out and why.
 *
 * @example
 * const { corrections, excluded } = buildCorrections(input);
 */
export interface CorrectionBatch {
  readonly corrections: readonly Correction[];
  readonly excluded: readonly Excluded[];
}

const WITH_AGENCY: ReadonlySet<CaseStatus> = new Set([
  'exported',
  'acknowledged',
  'partly_paid',
  'paid',
  'legal',
  'surveillance',
]);

/**
 * Refusals while the OCR files of the period are not all read (`ocr_files_not_read`): the ledger must cover
 * every day up to the cutoff (the latest `to` is on or after it), and no known OCR file dated on or before
 * the cutoff may be unread. Empty when corrections may be built.
 *
 * @example
 * checkOcrRead([], '2026-11-23' as IsoDate)[0]?.code; // 'ocr_files_not_read'
 */
export function checkOcrRead(
  ocr: readonly OcrLedgerEntry[],
  cutoff: IsoDate,
  knownOcrFiles: readonly { readonly fileId: string; readonly date: IsoDate }[] = [],
): Issue[] {
  const out: Issue[] = [];
  const readThrough = ocr.reduce<IsoDate | undefined>(
    (m, e) => (m === undefined || compareDates(e.to, m) > 0 ? e.to : m),
    undefined,
  );
  if (readThrough === undefined || compareDates(readThrough, cutoff) < 0) {
    out.push(
      issue(
        'ocr_files_not_read',
        `OCR files are read through ${readThrough ?? '(none)'}; read the OCR files up to ${cutoff} before making the correction file`,
        {
          expected: cutoff,
          actual: readThrough ?? '',
        },
      ),
    );
  }
  const read = new Set(ocr.map((e) => e.fileId));
  for (const f of knownOcrFiles) {
    if (!read.has(f.fileId) && compareDates(f.date, cutoff) <= 0) {
      out.push(issue('ocr_files_not_read', `OCR file ${f.fileId} of ${f.date} is not read yet`, { source: f.fileId }));
    }
  }
  return out;
}

/**
 * Builds the corrections: OCR payments whose KID is a case's KID, manual payments and credit notes, on cases
 * the agency holds, dated on or after the day the case was sent, up to the cutoff; leaving out payments from
 * the agency's bank account and anything reported before. Throws a NordfilError `ocr_files_not_read` (with
 * every unread file) until the OCR files of the period are read. Amounts reduce the claim, so they are negative.
 *
 * @example
 * buildCorrections({ ...input, ocr: [] }); // throws ocr_files_not_read
 */
export function buildCorrections(input: CorrectionInput): CorrectionBatch {
  const refusals = checkOcrRead(input.ocr, input.cutoff, input.knownOcrFiles);
  if (refusals.length > 0) throw new NordfilError(refusals);
  const cases = [...input.cases];
  const byKid = new Map<string, CollectionCase>();
  const byRef = new Map<string, CollectionCase>();
  for (const c of cases) {
    byRef.set(c.caseRef, c);
    if (c.claim.invoice.kid !== undefined) byKid.set(c.claim.invoice.kid, c);
  }
  const corrections: Correction[] = [];
  const excluded: Excluded[] = [];
  const seen = new Set<string>();
  const consider = (id: string, c: CollectionCase, date: IsoDate, build: () => Correction, fromAgency = false) => {
    if (seen.has(id) || compareDates(date, input.cutoff) > 0) return;
    seen.add(id);
    let reason: Excluded['reason'] | undefined;
    if (fromAgency) reason = 'from_agency_account';
    else if (input.reported.has(id)) reason = 'already_reported';
    else if (!WITH_AGENCY.has(c.status)) reason = 'case_not_with_agency';
    else if (c.exportedDate !== undefined && compareDates(date, c.exportedDate) < 0) reason = 'before_transfer';
    if (reason === undefined) corrections.push(build());
    else excluded.push({ id, caseRef: c.caseRef, reason });
  };
  const entries = [...input.ocr].sort((a, b) => compareDates(a.from, b.from) || (a.fileId < b.fileId ? -1 : 1));
  for (const e of entries) {
    for (const p of e.payments) {
      const c = p.reference === undefined ? undefined : byKid.get(p.reference);
      if (c === undefined) continue;
      const fromAgency = accountDigits(p.payer.account) === input.agencyBankAccount;
      consider(
        p.id,
        c,
        p.date,
        () => ({
          id: p.id,
          caseRef: c.caseRef,
          ...(c.agencyRef === undefined ? {} : { agencyRef: c.agencyRef }),
          kind: 'PAY',
          amount: p.amount.negate(),
          valueDate: p.date,
          kid: p.reference!,
          source: 'OCR',
          sourceRef: `${e.fileId}:${p.source.line}`,
          text: 'direct payment to the creditor (OCR)',
        }),
        fromAgency,
      );
    }
  }
  for (const m of input.manualPayments ?? []) {
    const c = byRef.get(m.caseRef);
    if (c === undefined) continue;
    consider(m.id, c, m.date, () => ({
      id: m.id,
      caseRef: c.caseRef,
      ...(c.agencyRef === undefined ? {} : { agencyRef: c.agencyRef }),
      kind: 'PAY',
      amount: m.amount.negate(),
      valueDate: m.date,
      source: 'MAN',
      sourceRef: m.id,
      text: m.text ?? 'direct payment to the creditor',
    }));
  }
  for (const n of input.creditNotes ?? []) {
    const c = byRef.get(n.caseRef);
    if (c === undefined) continue;
    consider(n.id, c, n.date, () => ({
      id: n.id,
      caseRef: c.caseRef,
      ...(c.agencyRef === undefined ? {} : { agencyRef: c.agencyRef }),
      kind: 'CRN',
      amount: n.amount.negate(),
      valueDate: n.date,
      source: 'MAN',
      sourceRef: n.id,
      text: n.text ?? 'credit note',
    }));
  }
  return { corrections, excluded };
}
