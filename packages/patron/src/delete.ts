/**
 * Deleting a borrower ("Radera låntagare"). Refused while the borrower has loans, reservations or debts;
 * the refusal lists every reason at once with a machine-readable code and count, and
 * {@link checkDeletion} answers the same question without deleting. Deletion removes the data of the
 * current account only: the person stays at the other accounts where they have one.
 *
 * Loans, reservations and debts are not this package's: the host answers for them through
 * {@link HoldingsPort}, and the decision itself is a pure function of the answers.
 */

import type { Money } from '@nordfil/core';
import { type Issue, issue, NordfilError } from '@nordfil/core';
import { type AuditEntry, auditEntry, type OperationContext, requireCapability } from './audit.js';
import type { Borrower } from './model.js';

/**
 * The host's answer about unpaid debts: how many and their total.
 *
 * @example
 * const d: DebtSummary = { count: 2, total: Money.of('45.00', 'SEK') };
 */
export interface DebtSummary {
  readonly count: number;
  readonly total: Money;
}

/**
 * The port through which the host (the circulation system) answers for the borrower's holdings in one
 * account. Async because real hosts ask a database. `guarantees` is optional: hosts that record
 * guarantor links (borgensman for a child's card) implement it.
 *
 * @example
 * const port: HoldingsPort = {
 *   loans: async (id, account) => db.count('loans', { id, account }),
 *   reservations: async (id, account) => db.count('holds', { id, account }),
 *   debts: async (id, account) => ({ count: 0, total: Money.zero('SEK') }),
 * };
 */
export interface HoldingsPort {
  loans(borrowerId: string, account: string): Promise<number>;
  reservations(borrowerId: string, account: string): Promise<number>;
  debts(borrowerId: string, account: string): Promise<DebtSummary>;
  /** Borrowers this borrower stands guarantor for. */
  guarantees?(borrowerId: string, account: string): Promise<number>;
}

/**
 * The host's answers, gathered: the input of the pure deletion decision.
 *
 * @example
 * const h: Holdings = { loans: 0, reservations: 1, debts: { count: 0, total: Money.zero('SEK') } };
 */
export interface Holdings {
  readonly loans: number;
  readonly reservations: number;
  readonly debts: DebtSummary;
  readonly guarantees?: number;
}

/**
 * Asks the port every question at once (in parallel).
 *
 * @example
 * const holdings = await fetchHoldings(port, b.id, ctx.account);
 */
export async function fetchHoldings(port: HoldingsPort, borrowerId: string, account: string): Promise<Holdings> {
  const [loans, reservations, debts, guarantees] = await Promise.all([
    port.loans(borrowerId, account),
    port.reservations(borrowerId, account),
    port.debts(borrowerId, account),
    port.guarantees?.(borrowerId, account),
  ]);
  return { loans, reservations, debts, ...(guarantees === undefined ? {} : { guarantees }) };
}

/**
 * Why a deletion is refused: `loans`, `reservations`, `debts`, and optionally `guarantees` and
 * `manual_blocks` (see {@link DeletionOptions}).
 *
 * @example
 * const c: DeletionReasonCode = 'debts';
 */
export type DeletionReasonCode = 'loans' | 'reservations' | 'debts' | 'guarantees' | 'manual_blocks';

/**
 * One reason, with its count (and the debt total).
 *
 * @example
 * const r: DeletionReason = { code: 'loans', count: 3, message: 'the borrower has 3 active loans' };
 */
export interface DeletionReason {
  readonly code: DeletionReasonCode;
  readonly count: number;
  /** For `debts`: the total, as a decimal string with the currency. */
  readonly amount?: { readonly amount: string; readonly currency: string };
  readonly message: string;
}

/**
 * Stricter guards some libraries want (both off by default, as in the seed).
 *
 * @example
 * const o: DeletionOptions = { refuseWithGuarantees: true, refuseWithManualBlocks: true };
 */
export interface DeletionOptions {
  /** Refuse while the borrower stands guarantor for others (needs `HoldingsPort.guarantees`). */
  readonly refuseWithGuarantees?: boolean;
  /** Refuse while a manual block is in place (FOLIO's rule: settle the block first). */
  readonly refuseWithManualBlocks?: boolean;
}

/**
 * The pure deletion decision: every reason that stops deletion, in a stable order (loans, reservations,
 * debts, guarantees, manual blocks). Empty means deletion is allowed. A debt counts when its count is
 * above zero or its total is not zero.
 *
 * @example
 * deletionBlockers(b, { loans: 2, reservations: 0, debts: { count: 0, total: Money.zero('SEK') } }).map((r) => r.code); // ['loans']
 */
export function deletionBlockers(
  borrower: Borrower,
  holdings: Holdings,
  options: DeletionOptions = {},
): DeletionReason[] {
  const out: DeletionReason[] = [];
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (holdings.loans > 0)
    out.push({
      code: 'loans',
      count: holdings.loans,
      message: `the borrower has ${plural(holdings.loans, 'active loan', 'active loans')}`,
    });
  if (holdings.reservations > 0)
    out.push({
      code: 'reservations',
      count: holdings.reservations,
      message: `the borrower has ${plural(holdings.reservations, 'reservation', 'reservations')}`,
    });
  if (holdings.debts.count > 0 || !holdings.debts.total.isZero())
    out.push({
      code: 'debts',
      count: holdings.debts.count,
      amount: { amount: holdings.debts.total.toString(), currency: holdings.debts.total.currency },
      message: `the borrower has ${plural(holdings.debts.count, 'unpaid debt', 'unpaid debts')} totalling ${holdings.debts.total.toString()} ${holdings.debts.total.currency}`,
    });
  if (options.refuseWithGuarantees === true && (holdings.guarantees ?? 0) > 0)
    out.push({
      code: 'guarantees',
      count: holdings.guarantees ?? 0,
      message: `the borrower stands guarantor for ${plural(holdings.guarantees ?? 0, 'borrower', 'borrowers')}`,
    });
  const manual = borrower.blocks.filter((b) => b.kind === 'manual').length;
  if (options.refuseWithManualBlocks === true && manual > 0)
    out.push({
      code: 'manual_blocks',
      count: manual,
      message: `the borrower has ${plural(manual, 'manual block', 'manual blocks')}`,
    });
  return out;
}

/**
 * The reasons as issues of the `deletion_refused` error: code `deletion_refused`, `field` = the reason
 * code, `actual` = the count, `expected` = `0`.
 *
 * @example
 * new NordfilError(deletionIssues(reasons));
 */
export function deletionIssues(reasons: readonly DeletionReason[]): Issue[] {
  return reasons.map((r) =>
    issue('deletion_refused', r.message, { field: r.code, expected: '0', actual: String(r.count) }),
  );
}

/**
 * The answer of {@link checkDeletion}.
 *
 * @example
 * if (!check.allowed) show(check.reasons);
 */
export interface DeletionCheck {
  readonly allowed: boolean;
  readonly reasons: readonly DeletionReason[];
  readonly audit: AuditEntry;
}

/**
 * Answers "may this borrower be deleted?" without deleting: the same decision as
 * {@link deleteBorrower}, every reason at once. Needs `borrower.delete`.
 *
 * @example
 * const { allowed, reasons } = checkDeletion(b, await fetchHoldings(port, b.id, ctx.account), ctx);
 */
export function checkDeletion(
  borrower: Borrower,
  holdings: Holdings,
  ctx: OperationContext,
  options: DeletionOptions = {},
): DeletionCheck {
  requireCapability(ctx, 'borrower.delete', 'borrower.deletion_check', borrower.id);
  const reasons = deletionBlockers(borrower, holdings, options);
  return {
    allowed: reasons.length === 0,
    reasons,
    audit: auditEntry(ctx, 'borrower.deletion_check', borrower.id, reasons.length === 0 ? 'done' : 'refused', {
      reasons: reasons.map((r) => r.code),
    }),
  };
}

/**
 * What the host should do after {@link deleteBorrower}: delete every row the current account holds
 * about the borrower. `remainingAccounts` counts the accounts where the person stays.
 *
 * @example
 * if (r.remainingAccounts === 0) identityStore.forget(b.id);
 */
export interface Deletion {
  readonly borrowerId: string;
  /** The account whose data is to be removed. */
  readonly account: string;
  readonly remainingAccounts: number;
  readonly audit: AuditEntry;
}

/**
 * Decides a deletion. Needs `borrower.delete`. Throws `deletion_refused` (one issue per reason, the
 * count in `actual`) while the borrower has loans, reservations or debts; the error also carries the
 * `refused` audit entry as `audit`. Throws `not_a_member` when the borrower does not belong to the
 * account. Nothing is changed on refusal (the function is pure: the host deletes on success).
 *
 * @example
 * const holdings = await fetchHoldings(port, b.id, ctx.account);
 * const { account } = deleteBorrower(b, holdings, ctx); // then delete this account's rows
 */
export function deleteBorrower(
  borrower: Borrower,
  holdings: Holdings,
  ctx: OperationContext,
  options: DeletionOptions = {},
): Deletion {
  requireCapability(ctx, 'borrower.delete', 'borrower.delete', borrower.id);
  if (!borrower.accounts.some((a) => a.account === ctx.account))
    throw new NordfilError(
      issue('not_a_member', `the borrower does not belong to the account "${ctx.account}"`, {
        field: 'accounts',
        expected: ctx.account,
      }),
    );
  const reasons = deletionBlockers(borrower, holdings, options);
  if (reasons.length > 0) {
    throw new DeletionRefusedError(
      reasons,
      auditEntry(ctx, 'borrower.delete', borrower.id, 'refused', { reasons: reasons.map((r) => r.code) }),
    );
  }
  const remainingAccounts = borrower.accounts.filter((a) => a.account !== ctx.account).length;
  return {
    borrowerId: borrower.id,
    account: ctx.account,
    remainingAccounts,
    audit: auditEntry(ctx, 'borrower.delete', borrower.id, 'done', { remainingAccounts }),
  };
}

/**
 * The `deletion_refused` error: a NordfilError with one issue per reason, plus the reasons and the audit
 * entry of the refusal.
 *
 * @example
 * catch (e) { if (e instanceof DeletionRefusedError) e.reasons.map((r) => [r.code, r.count]) }
 */
export class DeletionRefusedError extends NordfilError {
  readonly reasons: readonly DeletionReason[];
  readonly audit: AuditEntry;

  constructor(reasons: readonly DeletionReason[], audit: AuditEntry) {
    super(deletionIssues(reasons));
    this.reasons = reasons;
    this.audit = audit;
  }
}
