/**
 * Settlements (Avsl) checked against the money that arrived (reference §3.3, "Reading Avsl files"): a settlement
 * changes a case's status only, and the invoice balance moves when the agency's remittance is read from the OCR
 * giro file. The two are matched on KID and amount, and every disagreement is flagged. Pure: the caller hands
 * over the cases, the settlements and the OCR ledger.
 */
import { compareDates, type Issue, issue, type Money, type Payment } from '@nordfil/core';
import { compareCodePoints } from '@nordfil/ports';
import { accountDigits } from './accounts.js';
import type { CollectionCase } from './cases.js';
import type { OcrLedgerEntry } from './corrections.js';
import type { Settlement } from './format.js';

/**
 * What {@link matchSettlements} needs.
 *
 * @example
 * matchSettlements({ cases, settlements: avsl.settlements, ocr: await ledger.list(), agencyBankAccount: '15031234562' });
 */
export interface SettlementMatchInput {
  readonly cases: Iterable<CollectionCase>;
  /** Settlements read from Avsl files (any number of files, any order). */
  readonly settlements: readonly Settlement[];
  /** The OCR ledger: the OCR giro files read so far and their payments. */
  readonly ocr: readonly OcrLedgerEntry[];
  /**
   * The agency's bank account (11 digits). When given, only payments from it count as the agency's remittances
   * (a payment from any other account is the debtor paying the creditor directly: a correction, not a settlement).
   */
  readonly agencyBankAccount?: string;
}

/**
 * A settlement and the OCR payment that brought its money.
 *
 * @example
 * const m: SettlementMatch = { settlementId: 'Avsl_…#2', caseRef: '1001', kid: '10016', paymentId: 'ocr#7', amount };
 */
export interface SettlementMatch {
  readonly settlementId: string;
  readonly caseRef: string;
  readonly kid: string;
  readonly paymentId: string;
  readonly amount: Money;
}

/**
 * What {@link matchSettlements} found: the matches, and a warning for every disagreement.
 *
 * @example
 * const { matched, issues } = matchSettlements(input);
 */
export interface SettlementCheck {
  readonly matched: readonly SettlementMatch[];
  /**
   * Warnings: `settlement_payment_missing` (no OCR payment with the case's KID yet: perhaps not read yet),
   * `settlement_amount_mismatch` (payments with the KID, none of the remitted amount), `settlement_without_kid`,
   * `unknown_case`, and `agency_payment_without_settlement` (money from the agency with a case's KID that no
   * settlement explains).
   */
  readonly issues: readonly Issue[];
}

/**
 * Matches each settlement that remitted money (`remitted` above zero) to an OCR payment with its case's KID and
 * the remitted amount, each payment used once. Settlements are taken in event-date order (then by id) and
 * payments in date order (then by id), so the result does not depend on the order they are handed over in.
 *
 * @example
 * const { matched, issues } = matchSettlements({ cases, settlements, ocr, agencyBankAccount: '15031234562' });
 * issues.filter((i) => i.code === 'settlement_amount_mismatch'); // flagged for a person
 */
export function matchSettlements(input: SettlementMatchInput): SettlementCheck {
  const byRef = new Map<string, CollectionCase>();
  const byAgency = new Map<string, CollectionCase>();
  const kids = new Set<string>();
  for (const c of input.cases) {
    byRef.set(c.caseRef, c);
    if (c.agencyRef !== undefined) byAgency.set(c.agencyRef, c);
    if (c.claim.invoice.kid !== undefined) kids.add(c.claim.invoice.kid);
  }
  const agency = input.agencyBankAccount === undefined ? undefined : accountDigits(input.agencyBankAccount);
  // the candidate payments by KID, in date order then id
  const byKid = new Map<string, Payment[]>();
  for (const e of input.ocr) {
    for (const p of e.payments) {
      if (p.reference === undefined || !kids.has(p.reference)) continue;
      if (agency !== undefined && accountDigits(p.payer.account) !== agency) continue;
      const list = byKid.get(p.reference);
      if (list === undefined) byKid.set(p.reference, [p]);
      else list.push(p);
    }
  }
  for (const list of byKid.values()) list.sort((a, b) => compareDates(a.date, b.date) || compareCodePoints(a.id, b.id));

  const used = new Set<string>();
  const matched: SettlementMatch[] = [];
  const issues: Issue[] = [];
  const settlements = input.settlements
    .filter((s) => s.remitted.isPositive())
    .sort((a, b) => compareDates(a.eventDate, b.eventDate) || compareCodePoints(a.id, b.id));
  for (const s of settlements) {
    const c = byRef.get(s.caseRef) ?? byAgency.get(s.agencyRef);
    if (c === undefined) {
      issues.push(
        issue('unknown_case', `settlement ${s.id} for case ${s.caseRef} / ${s.agencyRef}, which is not ours`, {
          severity: 'warning',
          field: s.caseRef,
        }),
      );
      continue;
    }
    const kid = c.claim.invoice.kid;
    if (kid === undefined) {
      issues.push(
        issue(
          'settlement_without_kid',
          `settlement ${s.id} for case ${c.caseRef}: the case has no KID, so its payment cannot be matched`,
          { severity: 'warning', field: c.caseRef },
        ),
      );
      continue;
    }
    const candidates = (byKid.get(kid) ?? []).filter((p) => !used.has(p.id));
    const hit = candidates.find((p) => p.amount.equals(s.remitted));
    if (hit !== undefined) {
      used.add(hit.id);
      matched.push({ settlementId: s.id, caseRef: c.caseRef, kid, paymentId: hit.id, amount: hit.amount });
      continue;
    }
    if (candidates.length === 0) {
      issues.push(
        issue(
          'settlement_payment_missing',
          `settlement ${s.id} for case ${c.caseRef} remitted ${s.remitted} ${s.remitted.currency}, but no OCR payment with KID ${kid} has been read (yet)`,
          { severity: 'warning', field: c.caseRef, expected: s.remitted.toString() },
        ),
      );
      continue;
    }
    const found = candidates.map((p) => p.amount.toString()).join(', ');
    issues.push(
      issue(
        'settlement_amount_mismatch',
        `settlement ${s.id} for case ${c.caseRef} remitted ${s.remitted} ${s.remitted.currency}; the OCR payments with KID ${kid} are ${found}`,
        { severity: 'warning', field: c.caseRef, expected: s.remitted.toString(), actual: found },
      ),
    );
  }
  // money from the agency that no settlement explains
  if (agency !== undefined) {
    for (const [kid, list] of [...byKid].sort((a, b) => compareCodePoints(a[0], b[0]))) {
      for (const p of list) {
        if (used.has(p.id)) continue;
        issues.push(
          issue(
            'agency_payment_without_settlement',
            `OCR payment ${p.id} of ${p.amount} ${p.amount.currency} from the agency with KID ${kid}: no settlement explains it`,
            { severity: 'warning', field: kid, actual: p.amount.toString() },
          ),
        );
      }
    }
  }
  return { matched, issues };
}
