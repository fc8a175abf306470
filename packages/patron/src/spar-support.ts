/**
 * Operations the SPAR package (and other register imports) build on: comments with a source, moving a
 * borrower to a new personnummer (SPAR codes GN/GS), stripping contact data for a protected identity,
 * and finding borrowers by comment keyword or by an identity number (current or former).
 */

import type { IsoDate } from '@nordfil/core';
import { issue, NordfilError } from '@nordfil/core';
import { auditEntry, auditId, type BorrowerChange, type OperationContext, requireCapability } from './audit.js';
import { type EditOptions, type EditResult, editBorrower, mayUpdate } from './edit.js';
import type { Borrower, Comment, FormerIdentity, Identity, Provenance } from './model.js';
import { CommentSchema, nationalIdKind } from './model.js';
import { borrowerIssues } from './validate.js';

/**
 * A comment to add.
 *
 * @example
 * const c: NewComment = { text: 'SPAR - Avliden. Avregistreringsdatum 20261101', source: 'SPAR' };
 */
export interface NewComment {
  readonly text: string;
  /** `staff`, `SPAR`, `system` … (see COMMENT_SOURCES). */
  readonly source: string;
  /** Default: the actor's id. */
  readonly author?: string;
  /** Default: `ctx.today`. */
  readonly date?: IsoDate;
  /** Default: derived from `ctx.at`. */
  readonly id?: string;
  readonly provenance?: Provenance;
  /**
   * Default true: when a comment with the same text and source exists, nothing is added (outcome
   * `unchanged`), so replaying an import file adds no second comment.
   */
  readonly dedupe?: boolean;
}

/**
 * Adds a comment with its author, date and source. Needs `borrower.edit`. Throws `invalid_borrower`
 * for an empty text or source.
 *
 * @example
 * const { borrower, added } = addComment(b, { text: 'SPAR - Personuppgifterna har sekretesskyddats och personen avregistrerats', source: 'SPAR' }, ctx);
 */
export function addComment(
  borrower: Borrower,
  comment: NewComment,
  ctx: OperationContext,
): BorrowerChange & { readonly comment: Comment; readonly added: boolean } {
  requireCapability(ctx, 'borrower.edit', 'borrower.comment', borrower.id);
  const ids = new Set(borrower.comments.map((c) => c.id));
  let id = comment.id ?? `comment-${ctx.at}`;
  if (comment.id === undefined) for (let n = 2; ids.has(id); n++) id = `comment-${ctx.at}-${n}`;
  const parsed = CommentSchema.safeParse({
    id,
    text: comment.text,
    author: comment.author ?? ctx.actor.id,
    date: comment.date ?? ctx.today,
    source: comment.source,
    ...(comment.provenance === undefined ? {} : { provenance: comment.provenance }),
  });
  if (!parsed.success)
    throw new NordfilError(borrowerIssues(parsed.error.issues.map((i) => ({ ...i, path: ['comment', ...i.path] }))));
  const made = parsed.data;
  if (comment.dedupe !== false) {
    const same = borrower.comments.find((c) => c.text === made.text && c.source === made.source);
    if (same !== undefined)
      return {
        borrower,
        comment: same,
        added: false,
        audit: auditEntry(ctx, 'borrower.comment', borrower.id, 'unchanged', {
          commentId: same.id,
          source: same.source,
        }),
      };
  }
  if (ids.has(made.id))
    throw new NordfilError(
      issue('invalid_borrower', `comment id "${made.id}" is in use`, { field: 'comment.id', actual: made.id }),
    );
  return {
    borrower: { ...borrower, comments: [...borrower.comments, made] },
    comment: made,
    added: true,
    audit: auditEntry(ctx, 'borrower.comment', borrower.id, 'done', { commentId: made.id, source: made.source }),
  };
}

/**
 * The borrower's current personnummer or samordningsnummer, if any.
 *
 * @example
 * nationalIdentity(b)?.value; // '191212121212'
 */
export function nationalIdentity(borrower: Borrower): Identity | undefined {
  return borrower.identities.find((i) => i.type === 'personnummer' || i.type === 'samordningsnummer');
}

/**
 * Moving a borrower to a new number.
 *
 * @example
 * const r: IdentityReplacement = { to: '191212121220', reason: 'GN', provenance: { source: 'SPAR', file: 'avi-2026-11.xml' } };
 */
export interface IdentityReplacement {
  /** The new personnummer or samordningsnummer, canonical 12 digits (SPAR's hänvisning). */
  readonly to: string;
  /** Why, e.g. `GN` or `GS`. */
  readonly reason?: string;
  readonly provenance?: Provenance;
}

/**
 * Re-keys the borrower to a new personnummer/samordningsnummer: the old number moves to
 * `formerIdentities` (dated, with the reason and the new number) and the new one becomes current. Needs
 * `borrower.edit`. With `respectUpdatePolicy`, a borrower whose identities are protected is left as it
 * is (`skipped: true`). Re-keying to the current number changes nothing. Throws `invalid_identity` for a
 * number that is not a valid 12-digit personnummer or samordningsnummer.
 *
 * @example
 * const { borrower } = replaceIdentity(b, { to: '191212121220', reason: 'GN' }, ctx);
 * borrower.formerIdentities[0]?.identity.value; // the old number
 */
export function replaceIdentity(
  borrower: Borrower,
  replacement: IdentityReplacement,
  ctx: OperationContext,
  options: EditOptions = {},
): BorrowerChange & { readonly skipped: boolean } {
  requireCapability(ctx, 'borrower.edit', 'borrower.replace_identity', borrower.id);
  const kind = nationalIdKind(replacement.to);
  if (kind === undefined)
    throw new NordfilError(
      issue('invalid_identity', 'not a valid 12-digit personnummer or samordningsnummer', {
        field: 'to',
        actual: auditId(replacement.to, ctx),
      }),
    );
  const current = nationalIdentity(borrower);
  const details = {
    from: current === undefined ? undefined : auditId(current.value, ctx),
    to: auditId(replacement.to, ctx),
    reason: replacement.reason,
  };
  if (current?.value === replacement.to)
    return {
      borrower,
      skipped: false,
      audit: auditEntry(ctx, 'borrower.replace_identity', borrower.id, 'unchanged', details),
    };
  if (options.respectUpdatePolicy === true && !mayUpdate(borrower, 'identities'))
    return {
      borrower,
      skipped: true,
      audit: auditEntry(ctx, 'borrower.replace_identity', borrower.id, 'unchanged', { ...details, skipped: true }),
    };
  const next: Identity = {
    type: kind,
    value: replacement.to,
    ...(replacement.provenance === undefined ? {} : { provenance: replacement.provenance }),
  };
  const former: FormerIdentity[] =
    current === undefined
      ? []
      : [
          {
            identity: current,
            replacedOn: ctx.today,
            replacedBy: replacement.to,
            ...(replacement.reason === undefined ? {} : { reason: replacement.reason }),
            ...(replacement.provenance === undefined ? {} : { provenance: replacement.provenance }),
          },
        ];
  return {
    borrower: {
      ...borrower,
      identities: [...borrower.identities.filter((i) => i !== current), next],
      formerIdentities: [...borrower.formerIdentities, ...former],
    },
    skipped: false,
    audit: auditEntry(ctx, 'borrower.replace_identity', borrower.id, 'done', details),
  };
}

/**
 * Removes every address, phone, mobile and e-mail (Libra's rule for a protected identity, sekretessmarkering).
 * Needs `borrower.edit`; an edit of the `addresses` and `contact` sections, so `respectUpdatePolicy`
 * applies as in {@link editBorrower}.
 *
 * @example
 * const { borrower } = stripContactData(b, ctx, { respectUpdatePolicy: true });
 */
export function stripContactData(borrower: Borrower, ctx: OperationContext, options: EditOptions = {}): EditResult {
  return editBorrower(borrower, { addresses: [], contact: {} }, ctx, options);
}

/**
 * The borrowers with a comment whose text contains the keyword or whose source equals it (both ignoring
 * case), e.g. every borrower SPAR has commented on.
 *
 * @example
 * findByCommentKeyword(all, 'SPAR').map((b) => b.id);
 */
export function findByCommentKeyword(borrowers: Iterable<Borrower>, keyword: string): Borrower[] {
  const k = keyword.toLocaleLowerCase('sv');
  const out: Borrower[] = [];
  if (k === '') return out;
  for (const b of borrowers)
    if (b.comments.some((c) => c.source.toLocaleLowerCase('sv') === k || c.text.toLocaleLowerCase('sv').includes(k)))
      out.push(b);
  return out;
}

/**
 * The borrowers who have, or used to have, the identity number (so a SPAR record under an old number
 * still finds a re-keyed borrower).
 *
 * @example
 * findByIdentity(all, '191212121212');
 */
export function findByIdentity(
  borrowers: Iterable<Borrower>,
  value: string,
): { borrower: Borrower; current: boolean }[] {
  const out: { borrower: Borrower; current: boolean }[] = [];
  for (const b of borrowers) {
    if (b.identities.some((i) => i.value === value)) out.push({ borrower: b, current: true });
    else if (b.formerIdentities.some((f) => f.identity.value === value)) out.push({ borrower: b, current: false });
  }
  return out;
}
