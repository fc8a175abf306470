/**
 * Suggestions for a person, never applied automatically: invoices a reference that fails its check digit was
 * probably meant to name (one digit wrong, two adjacent digits swapped), and the pairing of a deduction with
 * the underpaid payment in the same file it belongs to (the seed's "Credit next to Error/Amount").
 */

import type { Money } from '@nordfil/core';
import { isLuhnValid } from '@nordfil/core';

/**
 * One edit that turns a reference failing Luhn into one that passes.
 *
 * @example
 * const e: ReferenceEdit = { kind: 'substitution', position: 3, from: '7', to: '1' };
 */
export type ReferenceEdit =
  | { readonly kind: 'substitution'; readonly position: number; readonly from: string; readonly to: string }
  | { readonly kind: 'transposition'; readonly position: number };

/**
 * A neighbour of a reference: the corrected digits, their comparison key and the edit (1-based position).
 *
 * @example
 * checkDigitNeighbours('655968')[0]; // { reference: '655960'?, key: …, edit: { kind: 'substitution', … } }
 */
export interface ReferenceNeighbour {
  readonly reference: string;
  readonly key: string;
  readonly edit: ReferenceEdit;
}

/** A digit's share of the Luhn sum: doubled (digits summed) at every second place from the right. */
function luhnDigit(d: number, doubled: boolean): number {
  if (!doubled) return d;
  return d > 4 ? 2 * d - 9 : 2 * d;
}

function stripZeros(s: string): string {
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  return i === 0 ? s : s.slice(i);
}

/**
 * Every reference one typing error away from `reference` that passes the Luhn (mod 10) check: each single-digit
 * substitution and each swap of two adjacent different digits. Empty when `reference` is not 2–25 digits or
 * already passes (Luhn catches every single-digit error and every adjacent swap except 09/90, so a valid
 * reference is almost never one of these errors). Keys are the comparison keys (leading zeros stripped);
 * duplicates are dropped, first edit wins, positions ascending.
 *
 * @example
 * checkDigitNeighbours('655996').some((n) => n.reference === '655969'); // true: 9 and 6 swapped
 * checkDigitNeighbours('655969'); // []: already valid
 */
export function checkDigitNeighbours(reference: string): readonly ReferenceNeighbour[] {
  const s = reference;
  const n = s.length;
  if (n < 2 || n > 25) return [];
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return [];
  }
  if (isLuhnValid(s)) return [];
  const out: ReferenceNeighbour[] = [];
  const seen = new Set<string>();
  const push = (candidate: string, edit: ReferenceEdit) => {
    if (!isLuhnValid(candidate)) return;
    const key = stripZeros(candidate);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ reference: candidate, key, edit });
  };
  // the Luhn sum of the reference, so that an edit's sum is known before its text is built (one in ten passes)
  let total = 0;
  for (let i = 0; i < n; i++) total += luhnDigit(s.charCodeAt(i) - 48, (n - 1 - i) % 2 === 1);
  for (let i = 0; i < n; i++) {
    const from = s[i] as string;
    const doubled = (n - 1 - i) % 2 === 1;
    const rest = total - luhnDigit(s.charCodeAt(i) - 48, doubled);
    for (let d = 0; d <= 9; d++) {
      const to = String(d);
      if (to === from || (rest + luhnDigit(d, doubled)) % 10 !== 0) continue;
      push(s.slice(0, i) + to + s.slice(i + 1), { kind: 'substitution', position: i + 1, from, to });
    }
  }
  for (let i = 0; i + 1 < n; i++) {
    if (s[i] === s[i + 1]) continue;
    const a = s.charCodeAt(i) - 48;
    const b = s.charCodeAt(i + 1) - 48;
    const da = (n - 1 - i) % 2 === 1;
    const swapped = total - luhnDigit(a, da) - luhnDigit(b, !da) + luhnDigit(b, da) + luhnDigit(a, !da);
    if (swapped % 10 !== 0) continue;
    push(s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2), { kind: 'transposition', position: i + 1 });
  }
  return out;
}

/**
 * A suggested invoice for a reference that failed its check digit: which reference field, the corrected
 * reference, the edit, and whether it matched the invoice's OCR number or invoice number.
 *
 * @example
 * const s: CheckDigitSuggestion = { kind: 'check-digit', invoiceId: 'i1', field: 'reference', index: 0,
 *   reference: '655996', corrected: '655969', against: 'ocr', edit: { kind: 'transposition', position: 4 } };
 */
export interface CheckDigitSuggestion {
  readonly kind: 'check-digit';
  readonly invoiceId: string;
  readonly field: 'reference' | 'additionalReference';
  /** 0 for the Reference, 1… for the additional references in file order. */
  readonly index: number;
  readonly reference: string;
  readonly corrected: string;
  readonly against: 'ocr' | 'invoiceNumber';
  readonly edit: ReferenceEdit;
}

/**
 * A suggested pairing of a deduction with an underpaid payment of the same file: payment + deduction together
 * settle the invoice within its tolerance (`difference` = paid + deducted − open). `strength` is `reference`
 * when the deduction's own reference names the same invoice, else `amount`. `alternatives` counts the other
 * candidates of equal strength (0: a unique pairing).
 *
 * @example
 * const s: DeductionPairSuggestion = { kind: 'deduction-pair', deductionId: 'f#7', paymentId: 'f#5',
 *   invoiceId: 'i1', deducted: Money.of('500', 'SEK'), difference: Money.of('0', 'SEK'), strength: 'amount', alternatives: 0 };
 */
export interface DeductionPairSuggestion {
  readonly kind: 'deduction-pair';
  readonly deductionId: string;
  readonly paymentId: string;
  readonly invoiceId: string;
  /** The deduction's amount as a positive number. */
  readonly deducted: Money;
  readonly difference: Money;
  readonly strength: 'reference' | 'amount';
  readonly alternatives: number;
}

/**
 * Anything a decision can suggest to the clerk.
 *
 * @example
 * decision.suggestions.filter((s): s is CheckDigitSuggestion => s.kind === 'check-digit');
 */
export type Suggestion = CheckDigitSuggestion | DeductionPairSuggestion;
