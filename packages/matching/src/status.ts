/**
 * The statuses and comments of the seed's customer-payment table (AVF – Customer Payment File), and the status
 * machine that says who may move a record from which status to which.
 */
import { issue, NordfilError } from '@nordfil/core';

/**
 * The status of a payment record, exactly as the seed spells it. `''` (blank) is "read, not yet processed".
 * `Ambiguous` is **our addition**: two or more invoices (or payments) fit equally well, so nothing was applied;
 * the seed's systems would have picked one silently.
 *
 * @example
 * PaymentStatus.Complete; // 'Complete'
 * PaymentStatus.Unprocessed; // ''
 */
export const PaymentStatus = {
  /** File Error: the file could not be read; the issues are on the file record. */
  FileError: 'File Error',
  /** Blank: read correctly, not yet processed by the workflow. */
  Unprocessed: '',
  /** A deduction (avdrag): handled by a person. */
  Credit: 'Credit',
  /** Something failed; the comment says what. */
  Error: 'Error',
  /** Our addition: more than one invoice or payment fits equally; nothing applied. */
  Ambiguous: 'Ambiguous',
  /** Set by a person: handled by hand, off the error list. */
  Manual: 'Manual',
  /** Set by a person: decide this payment again (after correcting data). */
  Retry: 'Retry',
  /** Registered as a payment on the invoice. */
  Complete: 'Complete',
} as const;

/**
 * One of the {@link PaymentStatus} values.
 *
 * @example
 * const s: PaymentStatus = 'Retry';
 */
export type PaymentStatus = (typeof PaymentStatus)[keyof typeof PaymentStatus];

/**
 * The statuses a decision can give (the workflow's own outcomes; `Manual` and `Retry` are set by people).
 *
 * @example
 * const s: DecisionStatus = 'Credit';
 */
export type DecisionStatus = 'Complete' | 'Error' | 'Credit' | 'Ambiguous';

/**
 * The workflow's comments, exactly as the seed spells them (the clerk may also write free text).
 * `Ambiguous` is our addition, the comment of the `Ambiguous` status.
 *
 * @example
 * MatchComment.NoMatch; // 'No Match'
 */
export const MatchComment = {
  /** The receiving account belongs to no ledger account. */
  Account: 'Account',
  /** No invoice matches the references. */
  NoMatch: 'No Match',
  /** The payment's currency differs from the invoice's (or the account's). */
  Currency: 'Currency',
  /** The invoice belongs to another company than the receiving account. */
  Company: 'Company',
  /** The amount differs from the open amount: outside the tolerance (Error) or inside it (Complete). */
  Amount: 'Amount',
  /** Our addition: two or more candidates fit equally. */
  Ambiguous: 'Ambiguous',
} as const;

/**
 * One of the {@link MatchComment} values, or `''` for none.
 *
 * @example
 * const c: MatchComment = 'Amount';
 */
export type MatchComment = (typeof MatchComment)[keyof typeof MatchComment] | '';

/**
 * Who changes a status: the workflow (`system`, applying a decision) or a person (`person`, setting `Retry` or
 * `Manual`).
 *
 * @example
 * const by: TransitionActor = 'person';
 */
export type TransitionActor = 'system' | 'person';

const DECIDED: readonly PaymentStatus[] = ['Complete', 'Error', 'Credit', 'Ambiguous'];

/**
 * The allowed transitions, by who makes them. Everything not listed is refused with `illegal_transition`.
 *
 * | from | by the workflow | by a person |
 * | --- | --- | --- |
 * | `''` (unprocessed) | Complete, Error, Credit, Ambiguous | Manual |
 * | Retry | Complete, Error, Credit, Ambiguous | Manual |
 * | Error | — | Retry, Manual |
 * | Ambiguous | — | Retry, Manual |
 * | Credit | — | Manual |
 * | Complete | — | Manual (checked; a registered payment is never decided again) |
 * | Manual, File Error | — | — (final) |
 *
 * @example
 * TRANSITIONS.Error.person; // ['Retry', 'Manual']
 */
export const TRANSITIONS: Readonly<
  Record<PaymentStatus, { readonly system: readonly PaymentStatus[]; readonly person: readonly PaymentStatus[] }>
> = {
  '': { system: DECIDED, person: ['Manual'] },
  Retry: { system: DECIDED, person: ['Manual'] },
  Error: { system: [], person: ['Retry', 'Manual'] },
  Ambiguous: { system: [], person: ['Retry', 'Manual'] },
  Credit: { system: [], person: ['Manual'] },
  Complete: { system: [], person: ['Manual'] },
  Manual: { system: [], person: [] },
  'File Error': { system: [], person: [] },
};

/**
 * True when `actor` may move a record from `from` to `to` ({@link TRANSITIONS}).
 *
 * @example
 * canTransition('Error', 'Retry', 'person'); // true
 * canTransition('Complete', 'Retry', 'person'); // false: never apply a payment twice
 */
export function canTransition(from: PaymentStatus, to: PaymentStatus, actor: TransitionActor): boolean {
  return (TRANSITIONS[from]?.[actor] ?? []).includes(to);
}

/**
 * Throws NordfilError `illegal_transition` unless {@link canTransition}.
 *
 * @example
 * assertTransition('Manual', 'Retry', 'person'); // throws illegal_transition
 */
export function assertTransition(
  from: PaymentStatus,
  to: PaymentStatus,
  actor: TransitionActor,
  paymentId?: string,
): void {
  if (canTransition(from, to, actor)) return;
  const name = (s: PaymentStatus) => (s === '' ? 'blank (unprocessed)' : s);
  throw new NordfilError(
    issue(
      'illegal_transition',
      `${actor === 'person' ? 'a person' : 'the workflow'} cannot change status ${name(from)} to ${name(to)}${
        paymentId === undefined ? '' : ` (payment ${paymentId})`
      }; allowed: ${TRANSITIONS[from]?.[actor].map(name).join(', ') || 'none'}`,
      { expected: TRANSITIONS[from]?.[actor].join(',') ?? '', actual: to, ...(paymentId ? { field: paymentId } : {}) },
    ),
  );
}

/**
 * True when a record with this status and comment is on the seed's "Kontroll Betalfil" list: `Error`, `Credit`,
 * `Ambiguous` (ours), and `Complete` with comment `Amount`.
 *
 * @example
 * needsCheck('Complete', 'Amount'); // true
 * needsCheck('Complete', ''); // false
 */
export function needsCheck(status: PaymentStatus, comment: string): boolean {
  return (
    status === 'Error' ||
    status === 'Credit' ||
    status === 'Ambiguous' ||
    (status === 'Complete' && comment === MatchComment.Amount)
  );
}
