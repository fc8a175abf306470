/**
 * Permissions (behörigheter): roles map to capabilities; every operation names the capability it needs
 * and refuses a caller without it with a typed error that carries the audit entry of the refusal.
 */
import { fromZodIssues, issue, NordfilError } from '@nordfil/core';
import { z } from 'zod';
import type { AuditEntry } from './audit.js';

/**
 * What an operation needs:
 * - `borrower.download`: "Låntagare - Ladda ner låntagardata" (the GDPR export)
 * - `borrower.edit`: change the borrower's details (also comments, identities, PIN reference)
 * - `borrower.block`: "Låntagare - Spärra/upphäva spärr för låntagare"
 * - `borrower.delete`: "Låntagare - Radera låntagare" (also the check-only call)
 *
 * @example
 * const c: Capability = 'borrower.block';
 */
export type Capability = 'borrower.download' | 'borrower.edit' | 'borrower.block' | 'borrower.delete';

/**
 * Every capability, in a stable order.
 *
 * @example
 * CAPABILITIES.length; // 4
 */
export const CAPABILITIES: readonly Capability[] = Object.freeze([
  'borrower.download',
  'borrower.edit',
  'borrower.block',
  'borrower.delete',
]);

const CapabilitySchema = z.enum(['borrower.download', 'borrower.edit', 'borrower.block', 'borrower.delete']);

/**
 * Who is calling: an id (a staff user, or a job such as `spar-import`) and its roles.
 *
 * @example
 * const actor: Actor = { id: 'staff-17', roles: ['librarian'] };
 */
export interface Actor {
  readonly id: string;
  readonly roles: readonly string[];
}

/**
 * Role name -> the capabilities it grants. A caller has a capability when any of its roles grants it.
 *
 * @example
 * const policy: PermissionPolicy = { desk: ['borrower.edit'], admin: [...CAPABILITIES] };
 */
export type PermissionPolicy = Readonly<Record<string, readonly Capability[]>>;

/**
 * The default roles: `administrator` (everything), `librarian` (download, edit, block), `desk` (edit),
 * `register-sync` (edit and block: the SPAR job). Replace with {@link definePermissionPolicy}.
 *
 * @example
 * DEFAULT_PERMISSION_POLICY.librarian; // ['borrower.download', 'borrower.edit', 'borrower.block']
 */
export const DEFAULT_PERMISSION_POLICY: PermissionPolicy = Object.freeze({
  administrator: CAPABILITIES,
  librarian: Object.freeze(['borrower.download', 'borrower.edit', 'borrower.block'] as Capability[]),
  desk: Object.freeze(['borrower.edit'] as Capability[]),
  'register-sync': Object.freeze(['borrower.edit', 'borrower.block'] as Capability[]),
});

const PolicySchema = z.record(z.string().trim().min(1), z.array(CapabilitySchema));

/**
 * Validates a role map from configuration (all problems at once, `invalid_config`) and freezes it.
 *
 * @example
 * const policy = definePermissionPolicy({ 'gdpr-officer': ['borrower.download', 'borrower.delete'] });
 */
export function definePermissionPolicy(input: unknown): PermissionPolicy {
  const r = PolicySchema.safeParse(input);
  if (!r.success) throw new NordfilError(fromZodIssues(r.error.issues, 'permission policy'));
  const out: Record<string, readonly Capability[]> = {};
  for (const [role, caps] of Object.entries(r.data)) out[role] = Object.freeze([...new Set(caps)]);
  return Object.freeze(out);
}

/**
 * The capabilities an actor has under a policy.
 *
 * @example
 * capabilitiesOf({ id: 'a', roles: ['desk'] }); // Set { 'borrower.edit' }
 */
export function capabilitiesOf(actor: Actor, policy: PermissionPolicy = DEFAULT_PERMISSION_POLICY): Set<Capability> {
  const out = new Set<Capability>();
  for (const role of actor.roles) {
    // own properties only: a role named "constructor" must not reach Object.prototype
    if (!Object.hasOwn(policy, role)) continue;
    for (const c of policy[role] ?? []) out.add(c);
  }
  return out;
}

/**
 * True when the actor has the capability.
 *
 * @example
 * can({ id: 'a', roles: ['librarian'] }, 'borrower.delete'); // false
 */
export function can(
  actor: Actor,
  capability: Capability,
  policy: PermissionPolicy = DEFAULT_PERMISSION_POLICY,
): boolean {
  return capabilitiesOf(actor, policy).has(capability);
}

/**
 * Thrown when a caller lacks the capability an operation needs. A {@link NordfilError} with code
 * `permission_denied`; `audit` records who tried what, for the host to store.
 *
 * @example
 * try { deleteBorrower(b, holdings, ctx) } catch (e) { if (e instanceof PermissionDeniedError) store(e.audit) }
 */
export class PermissionDeniedError extends NordfilError {
  readonly capability: Capability;
  readonly actor: Actor;
  readonly audit: AuditEntry;

  constructor(actor: Actor, capability: Capability, audit: AuditEntry) {
    super(
      issue('permission_denied', `actor "${actor.id}" lacks the capability "${capability}"`, {
        expected: capability,
        actual: actor.roles.length === 0 ? '(no roles)' : actor.roles.join(','),
      }),
    );
    this.capability = capability;
    this.actor = actor;
    this.audit = audit;
  }
}
