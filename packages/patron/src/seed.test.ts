// One named test per rule of seed 001 ("Ladda ner låntagaruppgifter samt ändra, spärra eller radera en låntagare").
import { NordfilError } from '@nordfil/core';
import { describe, expect, test } from 'vitest';
import { admin, borrower, ctx, desk, holdings, librarian, SEK, TODAY } from '../test/support.js';
import {
  applyDebtBalance,
  blockBorrower,
  checkDeletion,
  DEFAULT_PERMISSION_POLICY,
  DeletionRefusedError,
  deleteBorrower,
  editBorrower,
  effectiveBlocks,
  exportBorrowerData,
  exportFileName,
  exportToJson,
  isBlockedFor,
  OTHER_ACCOUNTS_NOTE,
  OTHER_ACCOUNTS_NOTE_SV,
  PermissionDeniedError,
  unblockBorrower,
} from './index.js';

function thrown(fn: () => unknown): NordfilError {
  try {
    fn();
  } catch (e) {
    if (NordfilError.is(e)) return e;
    throw e;
  }
  throw new Error('expected a NordfilError');
}

describe('seed 001: download borrower data (Ladda ner låntagaruppgifter)', () => {
  test('seed: all information the system holds about the borrower is downloadable, except the PIN code', () => {
    const b = borrower({ comments: [{ id: 'c1', text: 'Ny adress', author: 'x', date: TODAY, source: 'SPAR' }] });
    const { document } = exportBorrowerData(b, ctx());
    expect(document.borrower.name).toEqual(b.name);
    expect(document.borrower.addresses).toEqual(b.addresses);
    expect(document.borrower.contact).toEqual(b.contact);
    expect(document.borrower.identities).toEqual(b.identities);
    expect(document.borrower.comments).toEqual(b.comments);
    expect(document.borrower.birthDate).toBe(b.birthDate);
    const text = exportToJson(document);
    expect(text).not.toContain(b.pin!.hashRef);
    expect(text).not.toContain('argon2id');
    expect(Object.keys(document.borrower)).not.toContain('pin');
  });

  test('seed: the data is in a machine-readable format (JSON), saved as a .json file', () => {
    const { document } = exportBorrowerData(borrower(), ctx());
    expect(JSON.parse(exportToJson(document))).toEqual(document);
    expect(exportFileName('b-1', TODAY)).toBe('borrower-b-1-2026-11-23.json');
  });

  test('seed: only data at the current account is downloaded', () => {
    const { document } = exportBorrowerData(borrower(), ctx());
    expect(document.account).toBe('lund');
    expect(document.borrower.membership).toEqual({ account: 'lund', since: '2020-01-15', category: 'adult' });
    expect(exportToJson(document)).not.toContain('malmo');
  });

  test('seed: a borrower with several accounts must contact each account, and the export says so', () => {
    const r = exportBorrowerData(borrower(), ctx());
    expect(r.document.otherAccounts).toEqual({ count: 1, note: OTHER_ACCOUNTS_NOTE });
    expect(r.excludedAccounts.count).toBe(1);
    const sv = exportBorrowerData(borrower(), ctx(), { noteLanguage: 'sv' });
    expect(sv.document.otherAccounts.note).toBe(OTHER_ACCOUNTS_NOTE_SV);
    expect(OTHER_ACCOUNTS_NOTE_SV).toContain('kontakta respektive konto');
  });

  test('seed: only users with "Låntagare - Ladda ner låntagardata" may download', () => {
    const e = thrown(() => exportBorrowerData(borrower(), ctx(desk)));
    expect(e).toBeInstanceOf(PermissionDeniedError);
    expect(e.code).toBe('permission_denied');
    expect((e as PermissionDeniedError).audit).toMatchObject({
      action: 'borrower.export',
      outcome: 'denied',
      actor: { id: 'staff-desk' },
    });
    expect(exportBorrowerData(borrower(), ctx(librarian)).audit.outcome).toBe('done');
  });
});

describe('seed 001: change borrower information (Ändra information)', () => {
  test('seed: a section of the borrower details can be changed and saved', () => {
    const b = borrower();
    const r = editBorrower(b, { contact: { email: 'ny@example.se' } }, ctx(desk));
    expect(r.borrower.contact).toEqual({ email: 'ny@example.se' });
    expect(r.changed).toEqual(['contact']);
    expect(r.borrower.addresses).toEqual(b.addresses);
    expect(r.audit).toMatchObject({ action: 'borrower.edit', outcome: 'done', details: { sections: ['contact'] } });
    expect(b.contact.email).toBe('tolvan@example.se');
  });

  test('seed: saving invalid details reports every problem at once', () => {
    const e = thrown(() =>
      editBorrower(
        borrower(),
        { contact: { email: 'not-an-email', mobile: 'x' }, name: { family: '' }, birthDate: '2026-02-30' as never },
        ctx(),
      ),
    );
    expect(e.code).toBe('invalid_borrower');
    const fields = e.issues.map((i) => i.field).sort();
    expect(fields).toEqual(['birthDate', 'contact.email', 'contact.mobile', 'name.family']);
  });
});

describe('seed 001: block a borrower (Spärra en låntagare)', () => {
  test('seed: a blocked borrower cannot use the library services', () => {
    const { borrower: b } = blockBorrower(borrower(), { comment: 'Hotfullt beteende' }, ctx());
    for (const action of ['borrowing', 'renewals', 'reservations'] as const)
      expect(isBlockedFor(b, action, TODAY)).toBe(true);
  });

  test('seed: a borrower can be blocked even with unpaid debts, loans etc.', () => {
    const inDebt = applyDebtBalance(borrower(), SEK('500'), SEK('100'), {
      account: 'lund',
      at: '2026-11-01T00:00:00Z',
    });
    const r = blockBorrower(inDebt.borrower, { comment: 'Spärrad av personal' }, ctx());
    expect(r.audit.outcome).toBe('done');
    expect(r.borrower.blocks.map((b) => b.kind)).toEqual(['debt', 'manual']);
  });

  test('seed: blocking needs a comment ("Lägg till en kommentar")', () => {
    const e = thrown(() => blockBorrower(borrower(), { comment: '   ' }, ctx()));
    expect(e.code).toBe('comment_required');
  });

  test('seed: only users with "Låntagare - Spärra/upphäva spärr för låntagare" may block or unblock', () => {
    expect(DEFAULT_PERMISSION_POLICY.desk).not.toContain('borrower.block');
    expect(thrown(() => blockBorrower(borrower(), { comment: 'x' }, ctx(desk))).code).toBe('permission_denied');
    const { borrower: b } = blockBorrower(borrower(), { comment: 'x' }, ctx(librarian));
    expect(thrown(() => unblockBorrower(b, {}, ctx(desk))).code).toBe('permission_denied');
    expect(unblockBorrower(b, {}, ctx(librarian)).borrower.blocks).toEqual([]);
  });

  test('seed: a block is lifted the same way ("Upphäv låntagarspärr")', () => {
    const original = borrower();
    const blocked = blockBorrower(original, { comment: 'x' }, ctx()).borrower;
    const r = unblockBorrower(blocked, { comment: 'utrett' }, ctx());
    expect(r.borrower).toEqual(original);
    expect(r.audit).toMatchObject({ action: 'borrower.unblock', outcome: 'done', details: { comment: 'utrett' } });
  });

  test('seed: the block for debts over the limit is a different, soft block', () => {
    const { borrower: b } = applyDebtBalance(borrower(), SEK('150'), SEK('100'), {
      account: 'lund',
      at: '2026-11-01T00:00:00Z',
    });
    const [debt] = effectiveBlocks(b, TODAY);
    expect(debt).toMatchObject({ kind: 'debt', reason: 'debt_limit', liftableByHand: false });
    expect(debt!.description).toContain('150.00 SEK');
  });

  test('seed: the soft debt block cannot be lifted from the borrower details', () => {
    const { borrower: b } = applyDebtBalance(borrower(), SEK('150'), SEK('100'), {
      account: 'lund',
      at: '2026-11-01T00:00:00Z',
    });
    expect(thrown(() => unblockBorrower(b, {}, ctx(admin))).code).toBe('debt_block_manual_lift');
    expect(thrown(() => unblockBorrower(b, { blockId: 'debt' }, ctx(admin))).code).toBe('debt_block_manual_lift');
  });

  test('seed: the soft debt block is lifted only when the debt is paid under the limit', () => {
    const at = '2026-11-01T00:00:00Z';
    const blocked = applyDebtBalance(borrower(), SEK('150'), SEK('100'), { account: 'lund', at }).borrower;
    const atLimit = applyDebtBalance(blocked, SEK('100'), SEK('100'), { account: 'lund', at });
    expect(atLimit.change).toBe('updated');
    expect(atLimit.borrower.blocks).toHaveLength(1);
    const under = applyDebtBalance(blocked, SEK('99.99'), SEK('100'), { account: 'lund', at });
    expect(under.change).toBe('lifted');
    expect(under.borrower.blocks).toEqual([]);
  });
});

describe('seed 001: delete a borrower (Radera en låntagare)', () => {
  test('seed: a borrower with active loans cannot be deleted', () => {
    const e = thrown(() => deleteBorrower(borrower(), holdings({ loans: 2 }), ctx()));
    expect(e).toBeInstanceOf(DeletionRefusedError);
    expect(e.issues).toEqual([expect.objectContaining({ code: 'deletion_refused', field: 'loans', actual: '2' })]);
  });

  test('seed: a borrower with reservations cannot be deleted', () => {
    const e = thrown(() => deleteBorrower(borrower(), holdings({ reservations: 1 }), ctx()));
    expect(e.issues).toEqual([expect.objectContaining({ field: 'reservations', actual: '1' })]);
  });

  test('seed: a borrower with debts cannot be deleted', () => {
    const e = thrown(() => deleteBorrower(borrower(), holdings({ debts: { count: 3, total: SEK('75') } }), ctx()));
    expect(e.issues).toEqual([expect.objectContaining({ field: 'debts', actual: '3' })]);
    expect(e.issues[0]!.message).toContain('75.00 SEK');
  });

  test('seed: every tab is checked: all reasons are reported at once', () => {
    const h = holdings({ loans: 1, reservations: 4, debts: { count: 1, total: SEK('20') } });
    const e = thrown(() => deleteBorrower(borrower(), h, ctx())) as DeletionRefusedError;
    expect(e.reasons.map((r) => [r.code, r.count])).toEqual([
      ['loans', 1],
      ['reservations', 4],
      ['debts', 1],
    ]);
    expect(e.audit).toMatchObject({ action: 'borrower.delete', outcome: 'refused' });
    const check = checkDeletion(borrower(), h, ctx());
    expect(check.allowed).toBe(false);
    expect(check.reasons).toEqual(e.reasons);
  });

  test('seed: deleting removes the borrower from this library only; other accounts keep theirs', () => {
    const r = deleteBorrower(borrower(), holdings(), ctx());
    expect(r).toMatchObject({ borrowerId: 'b-1', account: 'lund', remainingAccounts: 1 });
    expect(r.audit).toMatchObject({ action: 'borrower.delete', outcome: 'done', account: 'lund' });
  });

  test('seed: only users with "Låntagare - Radera låntagare" may delete', () => {
    expect(thrown(() => deleteBorrower(borrower(), holdings(), ctx(librarian))).code).toBe('permission_denied');
    expect(thrown(() => checkDeletion(borrower(), holdings(), ctx(librarian))).code).toBe('permission_denied');
  });

  test('seed: deletion is confirmed in a second step: a check-only call answers first', () => {
    const check = checkDeletion(borrower(), holdings(), ctx());
    expect(check).toMatchObject({ allowed: true, reasons: [] });
    expect(check.audit.action).toBe('borrower.deletion_check');
  });
});
