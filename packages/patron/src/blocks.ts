/**
 * Blocks (spärrar). Two different things, as in the seed:
 * - a manual block ("Spärra låntagare"): needs a comment, is allowed even when the borrower has debts or
 *   loans, can be limited to some actions and can expire; lifted by hand ("Upphäv låntagarspärr");
 * - the soft block from debts that reached the limit ("mjuk spärr"): placed and lifted only by
 *   {@link applyDebtBalance} from the balance the host reports, never by hand.
 * Both are listed, with their reasons, by {@link effectiveBlocks}.
 */

import type { IsoDate, Money } from '@nordfil/core';
import { type Issue, issue, NordfilError } from '@nordfil/core';
import {
  type AuditContext,
  auditEntry,
  type BorrowerChange,
  type OperationContext,
  requireCapability,
} from './audit.js';
import {
  ALL_BLOCK_SCOPES,
  type Block,
  type BlockReason,
  type BlockScope,
  BlockScopeSchema,
  type Borrower,
  type DebtBlock,
  type ManualBlock,
  type MoneyJson,
  type Provenance,
} from './model.js';
import type { Actor } from './permissions.js';

/**
 * What to block.
 *
 * @example
 * const req: BlockRequest = { comment: 'Hotfullt beteende mot personal', scope: ['borrowing', 'reservations'], expiresOn: '2027-01-01' };
 */
export interface BlockRequest {
  /** Why; required (the seed: "Lägg till en kommentar"). */
  readonly comment: string;
  /** The actions it stops; default all ({@link ALL_BLOCK_SCOPES}). */
  readonly scope?: readonly BlockScope[];
  /** The first day on which the block no longer applies; absent: until lifted. Must be after today. */
  readonly expiresOn?: IsoDate;
  /** Default `staff`; register rules use `deceased`, `emigrated`, `missing` … */
  readonly reason?: BlockReason;
  /** An id for the block; default derived from the context time. */
  readonly id?: string;
  readonly provenance?: Provenance;
}

/**
 * Places a manual block. Needs `borrower.block`. Debts, loans or an existing debt block do not matter:
 * a manual block is always allowed. Placing a block identical (reason, comment, scope, expiry) to one
 * already in place changes nothing (outcome `unchanged`), so replaying an import adds no duplicate.
 *
 * Throws `permission_denied`, `comment_required`, `invalid_block` (scope or expiry), all issues at once.
 *
 * @example
 * const { borrower, audit } = blockBorrower(b, { comment: 'Lånekortet rapporterat stulet', scope: ['borrowing'] }, ctx);
 */
export function blockBorrower(
  borrower: Borrower,
  request: BlockRequest,
  ctx: OperationContext,
): BorrowerChange & { readonly block: ManualBlock } {
  requireCapability(ctx, 'borrower.block', 'borrower.block', borrower.id);
  const problems: Issue[] = [];
  const comment = typeof request.comment === 'string' ? request.comment.trim() : '';
  if (comment === '') problems.push(issue('comment_required', 'a manual block needs a comment', { field: 'comment' }));
  const scope = [...(request.scope ?? ALL_BLOCK_SCOPES)];
  if (scope.length === 0)
    problems.push(issue('invalid_block', 'the scope must name at least one action', { field: 'scope' }));
  for (const s of scope)
    if (!BlockScopeSchema.safeParse(s).success)
      problems.push(issue('invalid_block', `unknown scope "${String(s)}"`, { field: 'scope', actual: String(s) }));
  if (new Set(scope).size !== scope.length)
    problems.push(issue('invalid_block', 'the scope lists an action twice', { field: 'scope' }));
  if (request.expiresOn !== undefined && !(request.expiresOn > ctx.today))
    problems.push(
      issue('invalid_block', `the block would expire on ${request.expiresOn}, not after today (${ctx.today})`, {
        field: 'expiresOn',
        expected: `> ${ctx.today}`,
        actual: request.expiresOn,
      }),
    );
  const reason = request.reason ?? 'staff';
  const existingIds = new Set(borrower.blocks.map((b) => b.id));
  if (request.id !== undefined && existingIds.has(request.id))
    problems.push(issue('invalid_block', `block id "${request.id}" is in use`, { field: 'id', actual: request.id }));
  if (problems.length > 0) throw new NordfilError(problems);

  // canonical scope order, so equal requests make equal blocks
  const ordered = ALL_BLOCK_SCOPES.filter((s) => scope.includes(s));
  const same = borrower.blocks.find(
    (b): b is ManualBlock =>
      b.kind === 'manual' &&
      b.reason === reason &&
      b.comment === comment &&
      b.expiresOn === request.expiresOn &&
      b.scope.length === ordered.length &&
      b.scope.every((s, i) => s === ordered[i]),
  );
  if (same !== undefined)
    return {
      borrower,
      block: same,
      audit: auditEntry(ctx, 'borrower.block', borrower.id, 'unchanged', { blockId: same.id, reason }),
    };

  let id = request.id ?? `manual-${ctx.at}`;
  for (let n = 2; existingIds.has(id); n++) id = `manual-${ctx.at}-${n}`;
  const block: ManualBlock = {
    kind: 'manual',
    id,
    reason,
    comment,
    scope: ordered,
    placedAt: ctx.at,
    placedBy: ctx.actor.id,
    ...(request.expiresOn === undefined ? {} : { expiresOn: request.expiresOn }),
    ...(request.provenance === undefined ? {} : { provenance: request.provenance }),
  };
  return {
    borrower: { ...borrower, blocks: [...borrower.blocks, block] },
    block,
    audit: auditEntry(ctx, 'borrower.block', borrower.id, 'done', {
      blockId: id,
      reason,
      scope: ordered,
      comment,
      expiresOn: request.expiresOn,
    }),
  };
}

/**
 * What to unblock: one block by id, or (without `blockId`) every manual block.
 *
 * @example
 * const req: UnblockRequest = { blockId: 'manual-2026-11-23T10:00:00Z', comment: 'Ärendet utrett' };
 */
export interface UnblockRequest {
  readonly blockId?: string;
  /** Why it was lifted (kept in the audit entry). */
  readonly comment?: string;
}

/**
 * Lifts manual blocks. Needs `borrower.block`. The debt block cannot be lifted by hand: naming it, or
 * unblocking a borrower whose only block is the debt block, throws `debt_block_manual_lift`. Throws
 * `block_not_found` for an unknown id and `not_blocked` when there is nothing to lift. The debt block, if
 * any, stays.
 *
 * @example
 * const { borrower } = unblockBorrower(blocked, {}, ctx);
 */
export function unblockBorrower(
  borrower: Borrower,
  request: UnblockRequest,
  ctx: OperationContext,
): BorrowerChange & { readonly lifted: readonly ManualBlock[] } {
  requireCapability(ctx, 'borrower.block', 'borrower.unblock', borrower.id);
  const debtLiftIssue = () =>
    issue(
      'debt_block_manual_lift',
      'the block for unpaid debts cannot be lifted by hand; it is lifted when the debt falls under the limit',
      { field: 'blocks' },
    );
  let lifted: ManualBlock[];
  if (request.blockId !== undefined) {
    const b = borrower.blocks.find((x) => x.id === request.blockId);
    if (b === undefined)
      throw new NordfilError(
        issue('block_not_found', `no block with id "${request.blockId}"`, {
          field: 'blockId',
          actual: request.blockId,
        }),
      );
    if (b.kind === 'debt') throw new NordfilError(debtLiftIssue());
    lifted = [b];
  } else {
    lifted = borrower.blocks.filter((b): b is ManualBlock => b.kind === 'manual');
    if (lifted.length === 0) {
      if (borrower.blocks.some((b) => b.kind === 'debt')) throw new NordfilError(debtLiftIssue());
      throw new NordfilError(issue('not_blocked', 'the borrower has no block to lift'));
    }
  }
  const ids = new Set(lifted.map((b) => b.id));
  return {
    borrower: { ...borrower, blocks: borrower.blocks.filter((b) => !ids.has(b.id)) },
    lifted,
    audit: auditEntry(ctx, 'borrower.unblock', borrower.id, 'done', {
      blockIds: [...ids],
      comment: request.comment?.trim() || undefined,
    }),
  };
}

/**
 * The actor recorded when the host's debt rule, not a person, changes the debt block.
 *
 * @example
 * applyDebtBalance(b, balance, limit, { account: 'lund', at, actor: SYSTEM_ACTOR });
 */
export const SYSTEM_ACTOR: Actor = Object.freeze({ id: 'system', roles: Object.freeze([]) as readonly string[] });

/**
 * The context of {@link applyDebtBalance}: no permission is needed (it is the debt rule), the actor
 * defaults to {@link SYSTEM_ACTOR}.
 *
 * @example
 * const ctx: DebtContext = { account: 'lund', at: '2026-11-23T02:00:00Z' };
 */
export interface DebtContext {
  readonly account: string;
  readonly at: string;
  readonly actor?: Actor;
}

/**
 * What {@link applyDebtBalance} did to the debt block.
 *
 * @example
 * const c: DebtBlockChange = 'lifted';
 */
export type DebtBlockChange = 'placed' | 'updated' | 'lifted' | 'unchanged';

/**
 * Money as the model stores it.
 *
 * @example
 * toMoneyJson(Money.of('12.5', 'SEK')); // { amount: '12.50', currency: 'SEK' }
 */
export function toMoneyJson(m: Money): MoneyJson {
  return { amount: m.toString(), currency: m.currency };
}

/**
 * Sets or lifts the soft block from unpaid debts: the borrower is blocked when the balance the host
 * reports is at or above the limit, and the block is lifted when it is under the limit. Nothing else can
 * lift it. Throws `currency_mismatch` when balance and limit are in different currencies.
 *
 * @example
 * const { borrower, change } = applyDebtBalance(b, Money.of('150', 'SEK'), Money.of('100', 'SEK'), { account: 'lund', at });
 * change; // 'placed'
 */
export function applyDebtBalance(
  borrower: Borrower,
  balance: Money,
  limit: Money,
  ctx: DebtContext,
): BorrowerChange & { readonly change: DebtBlockChange } {
  const over = balance.compare(limit) >= 0; // throws currency_mismatch
  const opCtx: AuditContext = { actor: ctx.actor ?? SYSTEM_ACTOR, account: ctx.account, at: ctx.at };
  const details = { balance: balance.toString(), limit: limit.toString(), currency: balance.currency };
  const current = borrower.blocks.find((b): b is DebtBlock => b.kind === 'debt');
  const bal = toMoneyJson(balance);
  const lim = toMoneyJson(limit);
  if (over) {
    if (current === undefined) {
      const block: DebtBlock = { kind: 'debt', id: 'debt', balance: bal, limit: lim, since: ctx.at };
      return {
        borrower: { ...borrower, blocks: [...borrower.blocks, block] },
        change: 'placed',
        audit: auditEntry(opCtx, 'borrower.debt_block', borrower.id, 'done', details),
      };
    }
    if (
      current.balance.amount === bal.amount &&
      current.balance.currency === bal.currency &&
      current.limit.amount === lim.amount &&
      current.limit.currency === lim.currency
    )
      return {
        borrower,
        change: 'unchanged',
        audit: auditEntry(opCtx, 'borrower.debt_block', borrower.id, 'unchanged', details),
      };
    const block: DebtBlock = { ...current, balance: bal, limit: lim };
    return {
      borrower: { ...borrower, blocks: borrower.blocks.map((b) => (b.kind === 'debt' ? block : b)) },
      change: 'updated',
      audit: auditEntry(opCtx, 'borrower.debt_block', borrower.id, 'done', details),
    };
  }
  if (current === undefined)
    return {
      borrower,
      change: 'unchanged',
      audit: auditEntry(opCtx, 'borrower.debt_unblock', borrower.id, 'unchanged', details),
    };
  return {
    borrower: { ...borrower, blocks: borrower.blocks.filter((b) => b.kind !== 'debt') },
    change: 'lifted',
    audit: auditEntry(opCtx, 'borrower.debt_unblock', borrower.id, 'done', details),
  };
}

/**
 * A block in force, as staff and the borrower see it: its kind, reason, the actions it stops, whether
 * staff can lift it, and a description.
 *
 * @example
 * effectiveBlocks(b, '2026-11-23').map((e) => `${e.reason}: ${e.description}`);
 */
export interface EffectiveBlock {
  readonly id: string;
  readonly kind: Block['kind'];
  /** The manual block's reason, or `debt_limit`. */
  readonly reason: BlockReason | 'debt_limit';
  readonly scope: readonly BlockScope[];
  /** The block's comment, or for the debt block the balance and limit in words. */
  readonly description: string;
  /** False for the debt block: only paying under the limit lifts it. */
  readonly liftableByHand: boolean;
  readonly since: string;
  readonly expiresOn?: IsoDate;
}

/**
 * The blocks in force today: manual blocks not yet expired (a block stops applying on its `expiresOn`
 * day) and the debt block. Every kind is listed with its reason.
 *
 * @example
 * effectiveBlocks(b, '2026-11-23').filter((e) => !e.liftableByHand); // the debt block, if any
 */
export function effectiveBlocks(borrower: Borrower, today: IsoDate): EffectiveBlock[] {
  const out: EffectiveBlock[] = [];
  for (const b of borrower.blocks) {
    if (b.kind === 'manual') {
      if (b.expiresOn !== undefined && b.expiresOn <= today) continue;
      out.push({
        id: b.id,
        kind: 'manual',
        reason: b.reason,
        scope: b.scope,
        description: b.comment,
        liftableByHand: true,
        since: b.placedAt,
        ...(b.expiresOn === undefined ? {} : { expiresOn: b.expiresOn as IsoDate }),
      });
    } else {
      out.push({
        id: b.id,
        kind: 'debt',
        reason: 'debt_limit',
        scope: ALL_BLOCK_SCOPES,
        description: `unpaid debts ${b.balance.amount} ${b.balance.currency} reached the limit ${b.limit.amount} ${b.limit.currency}`,
        liftableByHand: false,
        since: b.since,
      });
    }
  }
  return out;
}

/**
 * True when a block in force today stops the action.
 *
 * @example
 * if (isBlockedFor(b, 'renewals', today)) refuseRenewal();
 */
export function isBlockedFor(borrower: Borrower, action: BlockScope, today: IsoDate): boolean {
  return effectiveBlocks(borrower, today).some((e) => e.scope.includes(action));
}
