import { Money } from '@nordfil/core';
import { describe, expect, test } from 'vitest';
import { borrower, ctx, NOW, SEK, TODAY } from '../test/support.js';
import { applyDebtBalance, blockBorrower, effectiveBlocks, isBlockedFor, unblockBorrower } from './index.js';

const at = '2026-11-01T00:00:00Z';

describe('manual blocks', () => {
  test('a scoped block stops only its actions', () => {
    const { borrower: b, block } = blockBorrower(borrower(), { comment: 'Förlorat kort', scope: ['renewals'] }, ctx());
    expect(block).toMatchObject({
      kind: 'manual',
      reason: 'staff',
      scope: ['renewals'],
      placedBy: 'staff-admin',
      placedAt: NOW,
    });
    expect(isBlockedFor(b, 'renewals', TODAY)).toBe(true);
    expect(isBlockedFor(b, 'borrowing', TODAY)).toBe(false);
  });

  test('a block stops applying on its expiry day', () => {
    const { borrower: b } = blockBorrower(borrower(), { comment: 'x', expiresOn: '2026-12-01' as typeof TODAY }, ctx());
    expect(isBlockedFor(b, 'borrowing', '2026-11-30' as typeof TODAY)).toBe(true);
    expect(isBlockedFor(b, 'borrowing', '2026-12-01' as typeof TODAY)).toBe(false);
    expect(effectiveBlocks(b, '2026-12-01' as typeof TODAY)).toEqual([]);
  });

  test('refuses every problem at once: no comment, empty scope, expiry not after today', () => {
    try {
      blockBorrower(borrower(), { comment: '', scope: [], expiresOn: TODAY }, ctx());
      expect.unreachable();
    } catch (e) {
      expect((e as { issues: { code: string; field?: string }[] }).issues.map((i) => [i.code, i.field])).toEqual([
        ['comment_required', 'comment'],
        ['invalid_block', 'scope'],
        ['invalid_block', 'expiresOn'],
      ]);
    }
  });

  test('placing the same block twice adds it once (replay-safe)', () => {
    const first = blockBorrower(borrower(), { comment: 'SPAR - Avliden', reason: 'deceased' }, ctx());
    const again = blockBorrower(first.borrower, { comment: 'SPAR - Avliden', reason: 'deceased' }, ctx());
    expect(again.borrower).toBe(first.borrower);
    expect(again.audit.outcome).toBe('unchanged');
  });

  test('ids stay unique for blocks placed at the same instant', () => {
    const one = blockBorrower(borrower(), { comment: 'a' }, ctx()).borrower;
    const two = blockBorrower(one, { comment: 'b' }, ctx()).borrower;
    expect(new Set(two.blocks.map((b) => b.id)).size).toBe(2);
  });

  test('unblocking one id keeps the others; unknown id and nothing to lift are errors', () => {
    const one = blockBorrower(borrower(), { comment: 'a' }, ctx());
    const two = blockBorrower(one.borrower, { comment: 'b' }, ctx());
    const r = unblockBorrower(two.borrower, { blockId: one.block.id }, ctx());
    expect(r.borrower.blocks).toEqual([two.block]);
    expect(() => unblockBorrower(r.borrower, { blockId: 'nope' }, ctx())).toThrow(/block_not_found/);
    expect(() => unblockBorrower(borrower(), {}, ctx())).toThrow(/not_blocked/);
  });

  test('unblocking all lifts the manual blocks and leaves the debt block', () => {
    const debt = applyDebtBalance(borrower(), SEK('500'), SEK('100'), { account: 'lund', at }).borrower;
    const blocked = blockBorrower(debt, { comment: 'x' }, ctx()).borrower;
    const r = unblockBorrower(blocked, {}, ctx());
    expect(r.borrower).toEqual(debt);
  });
});

describe('the debt block', () => {
  test('placed at the limit, kept while over, updated with the new balance, lifted under it', () => {
    const placed = applyDebtBalance(borrower(), SEK('100'), SEK('100'), { account: 'lund', at });
    expect(placed.change).toBe('placed');
    expect(placed.audit).toMatchObject({ action: 'borrower.debt_block', actor: { id: 'system' }, outcome: 'done' });
    const same = applyDebtBalance(placed.borrower, SEK('100.00'), SEK('100'), { account: 'lund', at: NOW });
    expect(same.change).toBe('unchanged');
    expect(same.borrower).toBe(placed.borrower);
    const more = applyDebtBalance(placed.borrower, SEK('180'), SEK('100'), { account: 'lund', at: NOW });
    expect(more.change).toBe('updated');
    expect(more.borrower.blocks[0]).toMatchObject({ balance: { amount: '180.00' }, since: at });
    const none = applyDebtBalance(borrower(), SEK('10'), SEK('100'), { account: 'lund', at });
    expect(none.change).toBe('unchanged');
  });

  test('different currencies are refused (currency_mismatch)', () => {
    expect(() => applyDebtBalance(borrower(), SEK('1'), Money.of('1', 'NOK'), { account: 'lund', at })).toThrow(
      /currency_mismatch/,
    );
  });

  test('effectiveBlocks lists both kinds with reasons; the debt block stops everything', () => {
    const debt = applyDebtBalance(borrower(), SEK('500'), SEK('100'), { account: 'lund', at }).borrower;
    const both = blockBorrower(
      debt,
      { comment: 'Utvandrad', reason: 'emigrated', scope: ['reservations'] },
      ctx(),
    ).borrower;
    expect(effectiveBlocks(both, TODAY).map((e) => [e.kind, e.reason, e.scope.length, e.liftableByHand])).toEqual([
      ['debt', 'debt_limit', 3, false],
      ['manual', 'emigrated', 1, true],
    ]);
  });
});
