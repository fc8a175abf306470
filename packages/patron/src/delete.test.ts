import { Money } from '@nordfil/core';
import { describe, expect, test } from 'vitest';
import { borrower, ctx, holdings, SEK } from '../test/support.js';
import {
  blockBorrower,
  checkDeletion,
  deleteBorrower,
  deletionBlockers,
  fetchHoldings,
  type HoldingsPort,
} from './index.js';

describe('deletion', () => {
  test('fetchHoldings asks every question of the port, for this borrower and account', async () => {
    const asked: string[] = [];
    const port: HoldingsPort = {
      loans: async (id, acc) => {
        asked.push(`loans:${id}:${acc}`);
        return 1;
      },
      reservations: async (id, acc) => {
        asked.push(`res:${id}:${acc}`);
        return 0;
      },
      debts: async () => ({ count: 0, total: Money.zero('SEK') }),
      guarantees: async () => 2,
    };
    const h = await fetchHoldings(port, 'b-1', 'lund');
    expect(h).toMatchObject({ loans: 1, reservations: 0, guarantees: 2 });
    expect(asked).toEqual(['loans:b-1:lund', 'res:b-1:lund']);
  });

  test('a debt total without a count (e.g. a fee the host cannot count) still refuses', () => {
    expect(deletionBlockers(borrower(), holdings({ debts: { count: 0, total: SEK('5') } })).map((r) => r.code)).toEqual(
      ['debts'],
    );
  });

  test('optional guards: guarantor links and manual blocks', () => {
    const blocked = blockBorrower(borrower(), { comment: 'x' }, ctx()).borrower;
    const h = holdings({ guarantees: 1 });
    expect(deletionBlockers(blocked, h)).toEqual([]);
    expect(
      deletionBlockers(blocked, h, { refuseWithGuarantees: true, refuseWithManualBlocks: true }).map((r) => r.code),
    ).toEqual(['guarantees', 'manual_blocks']);
  });

  test('a borrower who does not belong to the account cannot be deleted there', () => {
    expect(() => deleteBorrower(borrower(), holdings(), ctx(undefined, { account: 'umea' }))).toThrow(/not_a_member/);
  });

  test('the last account: no accounts remain', () => {
    const r = deleteBorrower(borrower({ accounts: [{ account: 'lund' }] }), holdings(), ctx());
    expect(r.remainingAccounts).toBe(0);
  });

  test('checkDeletion records a refused check in the audit entry', () => {
    const c = checkDeletion(borrower(), holdings({ loans: 1 }), ctx());
    expect(c.audit).toMatchObject({ outcome: 'refused', details: { reasons: ['loans'] } });
  });
});
