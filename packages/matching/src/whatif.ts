/**
 * What-if: decide the same payments under two configurations and list what changes (reference/matching.md
 * §7.2: "how many Error → Complete if the tolerance becomes 20 SEK?").
 */
import type { Payment } from '@nordfil/core';
import type { MatchingConfig } from './config.js';
import { type DecideContext, type Decision, decideBatch } from './decide.js';

/**
 * One payment whose outcome differs between the two configurations.
 *
 * @example
 * const c: WhatIfChange = { paymentId: 'f#3', before: decisionA, after: decisionB, transition: 'Error/Amount → Complete/Amount' };
 */
export interface WhatIfChange {
  readonly paymentId: string;
  readonly before: Decision;
  readonly after: Decision;
  /** `status/comment → status/comment`, for counting. */
  readonly transition: string;
}

/**
 * The result of {@link whatIf}: the changes in payment-id order, and how many of each transition.
 *
 * @example
 * report.counts['Error/Amount → Complete/Amount']; // 7
 */
export interface WhatIfReport {
  readonly before: string;
  readonly after: string;
  readonly changes: readonly WhatIfChange[];
  readonly counts: Readonly<Record<string, number>>;
  readonly unchanged: number;
}

function label(d: Decision): string {
  return d.comment === '' ? d.status : `${d.status}/${d.comment}`;
}

/** Whether the two decisions differ in outcome: status, comment, invoice, allocations or unapplied amount. */
function differs(a: Decision, b: Decision): boolean {
  if (a.status !== b.status || a.comment !== b.comment || a.invoiceId !== b.invoiceId) return true;
  if (!a.unapplied.equals(b.unapplied) || a.allocations.length !== b.allocations.length) return true;
  return a.allocations.some((x, i) => {
    const y = b.allocations[i];
    return y === undefined || x.invoiceId !== y.invoiceId || !x.amount.equals(y.amount);
  });
}

/**
 * Decides `payments` under configuration `before` and under `after` (same invoices and ledger) and reports
 * every payment whose outcome changes: status, comment, invoice, allocations or unapplied amount. Pure.
 *
 * @example
 * const report = whatIf(payments, { invoices, ledger }, matchingConfig({ tolerance: { absolute: '10' } }), matchingConfig({ tolerance: { absolute: '20' } }));
 * report.counts; // { 'Error/Amount → Complete/Amount': 7 }
 */
export function whatIf(
  payments: readonly Payment[],
  ctx: Omit<DecideContext, 'config'>,
  before: MatchingConfig,
  after: MatchingConfig,
): WhatIfReport {
  const a = decideBatch(payments, { ...ctx, config: before });
  const b = decideBatch(payments, { ...ctx, config: after });
  const changes: WhatIfChange[] = [];
  const seen = new Set<string>();
  let unchanged = 0;
  for (let i = 0; i < payments.length; i++) {
    const id = (payments[i] as Payment).id;
    if (seen.has(id)) continue;
    seen.add(id);
    const x = a[i] as Decision;
    const y = b[i] as Decision;
    if (differs(x, y)) changes.push({ paymentId: id, before: x, after: y, transition: `${label(x)} → ${label(y)}` });
    else unchanged++;
  }
  changes.sort((p, q) => (p.paymentId < q.paymentId ? -1 : p.paymentId > q.paymentId ? 1 : 0));
  const counts: Record<string, number> = {};
  for (const c of changes) counts[c.transition] = (counts[c.transition] ?? 0) + 1;
  return { before: before.version, after: after.version, changes, counts, unchanged };
}
