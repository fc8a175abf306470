import { fc, test } from '@fast-check/vitest';
import { NordfilError } from '@nordfil/core';
import { describe, expect } from 'vitest';
import { compileExportSchema } from '../test/schema.js';
import { borrowerArb, ctx, holdings, SEK, type TODAY } from '../test/support.js';
import {
  AuditEntrySchema,
  BorrowerSchema,
  blockBorrower,
  deleteBorrower,
  exportBorrowerData,
  exportToJson,
  unblockBorrower,
} from './index.js';

const validate = compileExportSchema();
const scopeArb = fc.subarray(['borrowing', 'renewals', 'reservations'] as const, { minLength: 1 });

describe('properties', () => {
  test.prop([borrowerArb])('the arbitrary makes valid borrowers', (b) => {
    const r = BorrowerSchema.safeParse(b);
    expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
  });

  test.prop([borrowerArb])('the export never contains the PIN nor its hash reference', (b) => {
    const { document } = exportBorrowerData(b, ctx());
    const text = exportToJson(document);
    expect(Object.keys(document.borrower)).not.toContain('pin');
    if (b.pin !== undefined) {
      expect(text).not.toContain(b.pin.hashRef);
      expect(text).not.toContain('hashRef');
    }
  });

  test.prop([borrowerArb])('the export always validates against the published JSON Schema', (b) => {
    const { document } = exportBorrowerData(b, ctx());
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    expect(document.otherAccounts.count).toBe(b.accounts.length - 1);
  });

  test.prop([
    borrowerArb,
    fc.record({
      loans: fc.nat(5),
      reservations: fc.nat(5),
      debtCount: fc.nat(3),
    }),
  ])('a refused deletion changes nothing and lists every reason', (b, h) => {
    fc.pre(h.loans + h.reservations + h.debtCount > 0);
    const before = structuredClone(b);
    const given = holdings({
      loans: h.loans,
      reservations: h.reservations,
      debts: { count: h.debtCount, total: SEK(String(h.debtCount * 10)) },
    });
    let error: unknown;
    try {
      deleteBorrower(b, given, ctx());
    } catch (e) {
      error = e;
    }
    expect(NordfilError.is(error)).toBe(true);
    const issues = (error as NordfilError).issues;
    expect(issues.every((i) => i.code === 'deletion_refused')).toBe(true);
    const expected = [
      ...(h.loans > 0 ? [['loans', String(h.loans)]] : []),
      ...(h.reservations > 0 ? [['reservations', String(h.reservations)]] : []),
      ...(h.debtCount > 0 ? [['debts', String(h.debtCount)]] : []),
    ];
    expect(issues.map((i) => [i.field, i.actual])).toEqual(expected);
    expect(b).toEqual(before);
  });

  test.prop([
    borrowerArb,
    fc.stringMatching(/^\S.{0,40}$/),
    scopeArb,
    fc.option(fc.constantFrom('2026-11-24', '2030-01-01'), { nil: undefined }),
  ])('a blocked-then-unblocked borrower equals the original apart from the audit trail', (b, comment, scope, exp) => {
    fc.pre(comment.trim() !== '');
    const before = structuredClone(b);
    const request = { comment, scope, ...(exp === undefined ? {} : { expiresOn: exp as typeof TODAY }) };
    const blocked = blockBorrower(b, request, ctx());
    fc.pre(blocked.audit.outcome === 'done');
    const { borrower: after } = unblockBorrower(blocked.borrower, { blockId: blocked.block.id }, ctx());
    expect(after).toEqual(b);
    expect(b).toEqual(before);
    expect(AuditEntrySchema.safeParse(blocked.audit).success).toBe(true);
  });

  test.prop([borrowerArb, fc.stringMatching(/^\S{1,20}$/)])(
    'without manual blocks, block then "Upphäv låntagarspärr" (lift all) restores the borrower',
    (b, comment) => {
      const plain = { ...b, blocks: b.blocks.filter((x) => x.kind === 'debt') };
      const blocked = blockBorrower(plain, { comment }, ctx());
      expect(unblockBorrower(blocked.borrower, {}, ctx()).borrower).toEqual(plain);
    },
  );
});
