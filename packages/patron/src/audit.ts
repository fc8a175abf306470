/**
 * Audit entries: who did what to which borrower, when, in which account, and with what outcome. Every
 * operation returns one (a refusal too). Entries never hold the PIN or its hash, and national identity
 * numbers only masked unless the context asks for them in clear.
 */

import { type IsoDate, maskPersonnummer } from '@nordfil/core';
import { z } from 'zod';
import { type Borrower, type Instant, InstantSchema } from './model.js';
import {
  type Actor,
  type Capability,
  can,
  DEFAULT_PERMISSION_POLICY,
  PermissionDeniedError,
  type PermissionPolicy,
} from './permissions.js';

/**
 * What every operation receives from its caller: who acts, in which account, and the clock value
 * (the functions never read a clock).
 *
 * @example
 * const ctx: OperationContext = { actor: { id: 'staff-7', roles: ['librarian'] }, account: 'lund', at: '2026-11-23T10:00:00Z', today: '2026-11-23' };
 */
export interface OperationContext {
  readonly actor: Actor;
  /** The current library account: the one whose data is read, changed or deleted. */
  readonly account: string;
  /** Now, as an ISO instant. */
  readonly at: Instant;
  /** Today in the library's time zone (block expiry is by calendar day). */
  readonly today: IsoDate;
  /** Role map; defaults to {@link DEFAULT_PERMISSION_POLICY}. */
  readonly policy?: PermissionPolicy;
  /** Write personnummer in clear in audit details (default false: masked). */
  readonly revealPersonalIds?: boolean;
}

/**
 * The actions an audit entry can record.
 *
 * @example
 * const a: AuditAction = 'borrower.block';
 */
export const AuditActionSchema = z.enum([
  'borrower.export',
  'borrower.edit',
  'borrower.block',
  'borrower.unblock',
  'borrower.debt_block',
  'borrower.debt_unblock',
  'borrower.deletion_check',
  'borrower.delete',
  'borrower.comment',
  'borrower.replace_identity',
  'borrower.set_pin',
]);

/**
 * An audited action.
 *
 * @example
 * entries.filter((e) => e.action === ('borrower.delete' satisfies AuditAction));
 */
export type AuditAction = z.infer<typeof AuditActionSchema>;

/**
 * `done`: the change was made; `unchanged`: allowed but nothing to change; `refused`: a rule refused it
 * (e.g. deletion with loans); `denied`: the caller lacked the capability.
 *
 * @example
 * const o: AuditOutcome = 'refused';
 */
export type AuditOutcome = 'done' | 'unchanged' | 'refused' | 'denied';

const DetailValue = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

/**
 * One audit entry.
 *
 * @example
 * AuditEntrySchema.parse(result.audit);
 */
export const AuditEntrySchema = z
  .object({
    at: InstantSchema,
    actor: z.object({ id: z.string(), roles: z.array(z.string()) }),
    action: AuditActionSchema,
    outcome: z.enum(['done', 'unchanged', 'refused', 'denied']),
    borrowerId: z.string(),
    account: z.string(),
    details: z.record(z.string(), DetailValue),
  })
  .meta({ id: 'AuditEntry' });

/**
 * One audit entry: what happened, never the PIN, national ids masked unless configured.
 *
 * @example
 * function store(e: AuditEntry) { db.insert('audit', e) }
 */
export interface AuditEntry {
  readonly at: Instant;
  readonly actor: { readonly id: string; readonly roles: readonly string[] };
  readonly action: AuditAction;
  readonly outcome: AuditOutcome;
  readonly borrowerId: string;
  readonly account: string;
  readonly details: Readonly<Record<string, string | number | boolean | readonly string[]>>;
}

/**
 * The outcome of an operation on a borrower: the new borrower (a new object when anything changed; the
 * input is never mutated) and the audit entry.
 *
 * @example
 * const { borrower, audit }: BorrowerChange = blockBorrower(b, { comment: 'x' }, ctx);
 */
export interface BorrowerChange {
  readonly borrower: Borrower;
  readonly audit: AuditEntry;
}

/**
 * The part of the context an audit entry needs.
 *
 * @example
 * const a: AuditContext = { actor: SYSTEM_ACTOR, account: 'lund', at: '2026-11-23T02:00:00Z' };
 */
export type AuditContext = Pick<OperationContext, 'actor' | 'account' | 'at'>;

/**
 * Builds an audit entry (absent details are left out). Exported so packages built on this one (SPAR)
 * record their own steps the same way.
 *
 * @example
 * auditEntry(ctx, 'borrower.edit', b.id, 'unchanged', { reason: 'allowUpdate is off' });
 */
export function auditEntry(
  ctx: AuditContext,
  action: AuditAction,
  borrowerId: string,
  outcome: AuditOutcome,
  details: Record<string, string | number | boolean | readonly string[] | undefined> = {},
): AuditEntry {
  const clean: Record<string, string | number | boolean | readonly string[]> = {};
  for (const [k, v] of Object.entries(details)) if (v !== undefined) clean[k] = v;
  return {
    at: ctx.at,
    actor: { id: ctx.actor.id, roles: [...ctx.actor.roles] },
    action,
    outcome,
    borrowerId,
    account: ctx.account,
    details: clean,
  };
}

/**
 * A personnummer/samordningsnummer as it may appear in audit details: masked (`19121212-****`) unless
 * the context sets `revealPersonalIds`.
 *
 * @example
 * auditId('191212121212', ctx); // '19121212-****'
 */
export function auditId(value: string, ctx: Pick<OperationContext, 'revealPersonalIds'>): string {
  return ctx.revealPersonalIds === true ? value : maskPersonnummer(value);
}

/**
 * Throws {@link PermissionDeniedError} (with a `denied` audit entry) unless the actor has the capability.
 *
 * @example
 * requireCapability(ctx, 'borrower.block', 'borrower.block', borrower.id);
 */
export function requireCapability(
  ctx: OperationContext,
  capability: Capability,
  action: AuditAction,
  borrowerId: string,
): void {
  if (can(ctx.actor, capability, ctx.policy ?? DEFAULT_PERMISSION_POLICY)) return;
  throw new PermissionDeniedError(ctx.actor, capability, auditEntry(ctx, action, borrowerId, 'denied', { capability }));
}
