/**
 * Checking borrowers at the boundary: every problem at once, as `invalid_borrower` issues.
 */
import { fromZodIssues, type Issue, NordfilError, type SafeResult, safely } from '@nordfil/core';
import type { z } from 'zod';
import { type Borrower, BorrowerSchema } from './model.js';

/**
 * Zod issues as nordfil issues with the code `invalid_borrower` (the path in `field`).
 *
 * @example
 * borrowerIssues(BorrowerSchema.safeParse(x).error?.issues ?? []);
 */
export function borrowerIssues(zodIssues: readonly z.core.$ZodIssue[], source = 'borrower'): Issue[] {
  return fromZodIssues(zodIssues, source).map((i) => ({ ...i, code: 'invalid_borrower' }));
}

/**
 * Validates unknown data as a {@link Borrower}; throws one NordfilError listing every problem
 * (`invalid_borrower`).
 *
 * @example
 * const borrower = parseBorrower(JSON.parse(row.data));
 */
export function parseBorrower(input: unknown): Borrower {
  const r = BorrowerSchema.safeParse(input);
  if (!r.success) throw new NordfilError(borrowerIssues(r.error.issues));
  return r.data;
}

/**
 * {@link parseBorrower} as a result instead of a throw.
 *
 * @example
 * const r = safeParseBorrower(input); if (!r.success) show(r.error.issues);
 */
export function safeParseBorrower(input: unknown): SafeResult<Borrower> {
  return safely(() => parseBorrower(input));
}
