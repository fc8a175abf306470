/**
 * Editing the borrower's details section by section (the seed: "klicka på pennan uppe till höger i den
 * sektionen … Spara"). Validation lists every problem at once.
 */

import type { IsoDate } from '@nordfil/core';
import { issue, NordfilError } from '@nordfil/core';
import { type AuditEntry, auditEntry, type BorrowerChange, type OperationContext, requireCapability } from './audit.js';
import type {
  Address,
  Borrower,
  Contact,
  Identity,
  Name,
  Pin,
  ProtectableSection,
  RegisterStatus,
  UpdatePolicy,
} from './model.js';
import { BorrowerSchema, PinSchema } from './model.js';
import { borrowerIssues } from './validate.js';

/**
 * The sections {@link editBorrower} changes. Blocks, comments, accounts and the PIN have their own
 * operations.
 *
 * @example
 * EDITABLE_SECTIONS.includes('addresses'); // true
 */
export const EDITABLE_SECTIONS = Object.freeze([
  'identities',
  'name',
  'birthDate',
  'language',
  'addresses',
  'contact',
  'updatePolicy',
  'register',
] as const);

/**
 * A section {@link editBorrower} can change.
 *
 * @example
 * const s: EditableSection = 'contact';
 */
export type EditableSection = (typeof EDITABLE_SECTIONS)[number];

/**
 * New values for whole sections; absent sections stay as they are, `null` clears an optional one.
 *
 * @example
 * const edit: BorrowerEdit = { contact: { email: 'ny@example.se' }, birthDate: null };
 */
export interface BorrowerEdit {
  readonly identities?: readonly Identity[];
  readonly name?: Name;
  readonly birthDate?: IsoDate | null;
  readonly language?: string | null;
  readonly addresses?: readonly Address[];
  readonly contact?: Contact;
  readonly updatePolicy?: UpdatePolicy;
  readonly register?: RegisterStatus | null;
}

/**
 * Options of {@link editBorrower}.
 *
 * @example
 * const o: EditOptions = { respectUpdatePolicy: true }; // an automatic update such as SPAR
 */
export interface EditOptions {
  /**
   * For automatic updates: skip the sections the borrower's update policy protects (every section but
   * `register` when "Tillåt uppdatering" is off; the listed `protectedSections` otherwise) and never
   * change `updatePolicy` itself. Skipped sections are reported, not refused. Default false (staff edit).
   */
  readonly respectUpdatePolicy?: boolean;
}

/**
 * What {@link editBorrower} did.
 *
 * @example
 * if (r.skipped.length > 0) log('protected sections kept', r.skipped);
 */
export interface EditResult {
  readonly borrower: Borrower;
  readonly audit: AuditEntry;
  /** The sections whose value changed. */
  readonly changed: readonly EditableSection[];
  /** The sections left as they were because the update policy protects them. */
  readonly skipped: readonly EditableSection[];
}

/**
 * Sections an automatic update must leave alone for this borrower: with "Tillåt uppdatering" off, every
 * editable section but `register` plus `blocks`; otherwise the listed `protectedSections` and
 * `updatePolicy` itself.
 *
 * @example
 * protectedSections(b).includes('addresses');
 */
export function protectedSections(borrower: Borrower): readonly (EditableSection | ProtectableSection)[] {
  if (!borrower.updatePolicy.allowUpdate) return [...EDITABLE_SECTIONS.filter((s) => s !== 'register'), 'blocks'];
  return [...borrower.updatePolicy.protectedSections, 'updatePolicy'];
}

/**
 * True when an automatic update may change the section ("Tillåt uppdatering" on and the section not
 * protected). The SPAR import asks this before each step (`blocks` before placing a register block).
 *
 * @example
 * if (mayUpdate(b, 'addresses')) applyNewAddress();
 */
export function mayUpdate(borrower: Borrower, section: ProtectableSection | EditableSection): boolean {
  return !protectedSections(borrower).includes(section);
}

/**
 * Changes whole sections of the borrower. Needs `borrower.edit`. The result is validated as a whole, so
 * cross-section rules hold (one current personnummer, one active home address); every problem is
 * reported at once as `invalid_borrower` issues (an unknown section too). Sections equal to the current
 * value count as unchanged; with no change the same borrower object comes back with outcome `unchanged`.
 * The audit entry names the changed sections, never their values.
 *
 * @example
 * const { borrower, changed } = editBorrower(b, { contact: { mobile: '070-1234567' } }, ctx);
 * changed; // ['contact']
 */
export function editBorrower(
  borrower: Borrower,
  edit: BorrowerEdit,
  ctx: OperationContext,
  options: EditOptions = {},
): EditResult {
  requireCapability(ctx, 'borrower.edit', 'borrower.edit', borrower.id);
  const unknown = Object.keys(edit).filter((k) => !(EDITABLE_SECTIONS as readonly string[]).includes(k));
  const guarded: readonly string[] = options.respectUpdatePolicy === true ? protectedSections(borrower) : [];
  const next: Record<string, unknown> = { ...borrower };
  const changed: EditableSection[] = [];
  const skipped: EditableSection[] = [];
  for (const section of EDITABLE_SECTIONS) {
    if (!Object.hasOwn(edit, section)) continue;
    const value = edit[section];
    if (value === undefined) continue;
    if (deepEqual(value ?? undefined, borrower[section])) continue;
    if (guarded.includes(section)) {
      skipped.push(section);
      continue;
    }
    if (value === null) delete next[section];
    else next[section] = value;
    changed.push(section);
  }
  const parsed = BorrowerSchema.safeParse(next);
  const problems = [
    ...unknown.map((k) =>
      issue('invalid_borrower', `"${k}" is not an editable section (use its own operation)`, {
        source: 'borrower',
        field: k,
      }),
    ),
    ...(parsed.success ? [] : borrowerIssues(parsed.error.issues)),
  ];
  if (problems.length > 0) throw new NordfilError(problems);
  if (changed.length === 0)
    return {
      borrower,
      changed,
      skipped,
      audit: auditEntry(ctx, 'borrower.edit', borrower.id, 'unchanged', { skipped }),
    };
  return {
    // the parsed copy: zod returns fresh objects, so the caller's edit values are not shared either
    borrower: parsed.data!,
    changed,
    skipped,
    audit: auditEntry(ctx, 'borrower.edit', borrower.id, 'done', { sections: changed, skipped }),
  };
}

/**
 * Stores a new PIN reference, or removes it with `null`. Needs `borrower.edit`. The audit entry says
 * only that the PIN was set or removed.
 *
 * @example
 * setPin(b, { hashRef: 'vault:pin/8812', algorithm: 'argon2id', updatedAt: ctx.at }, ctx);
 */
export function setPin(borrower: Borrower, pin: Pin | null, ctx: OperationContext): BorrowerChange {
  requireCapability(ctx, 'borrower.edit', 'borrower.set_pin', borrower.id);
  if (pin === null) {
    const { pin: _removed, ...rest } = borrower;
    return { borrower: rest, audit: auditEntry(ctx, 'borrower.set_pin', borrower.id, 'done', { pin: 'removed' }) };
  }
  const r = PinSchema.safeParse(pin);
  if (!r.success)
    throw new NordfilError(borrowerIssues(r.error.issues.map((i) => ({ ...i, path: ['pin', ...i.path] }))));
  return {
    borrower: { ...borrower, pin: r.data },
    audit: auditEntry(ctx, 'borrower.set_pin', borrower.id, 'done', { pin: 'set' }),
  };
}

/**
 * Structural equality of JSON-like values (key order ignored; an absent key equals `undefined`).
 *
 * @example
 * deepEqual({ a: 1, b: undefined }, { a: 1 }); // true
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!deepEqual(ra[k], rb[k])) return false;
  return true;
}
