import { describe, expect, test } from 'vitest';
import { borrower, ctx, TOLVAN, TOLVAN_NEW } from '../test/support.js';
import {
  addComment,
  findByCommentKeyword,
  findByIdentity,
  nationalIdentity,
  replaceIdentity,
  stripContactData,
} from './index.js';

describe('SPAR support', () => {
  test('addComment records author, date and source; the same text and source twice is added once', () => {
    const text = 'SPAR - Avliden. Avregistreringsdatum 20261101';
    const one = addComment(borrower(), { text, source: 'SPAR' }, ctx({ id: 'spar-job', roles: ['register-sync'] }));
    expect(one.comment).toMatchObject({ text, source: 'SPAR', author: 'spar-job', date: '2026-11-23' });
    const two = addComment(one.borrower, { text, source: 'SPAR' }, ctx());
    expect(two.added).toBe(false);
    expect(two.borrower).toBe(one.borrower);
    expect(() => addComment(borrower(), { text: ' ', source: 'SPAR' }, ctx())).toThrow(/invalid_borrower/);
  });

  test('replaceIdentity moves the borrower to the new number and keeps the old one, dated', () => {
    const r = replaceIdentity(borrower(), { to: TOLVAN_NEW, reason: 'GN' }, ctx());
    expect(nationalIdentity(r.borrower)).toEqual({ type: 'personnummer', value: TOLVAN_NEW });
    expect(r.borrower.formerIdentities).toEqual([
      {
        identity: { type: 'personnummer', value: TOLVAN },
        replacedOn: '2026-11-23',
        replacedBy: TOLVAN_NEW,
        reason: 'GN',
      },
    ]);
    expect(r.borrower.identities).toContainEqual({ type: 'other', scheme: 'card', value: '2000123456' });
    expect(r.audit.details).toEqual({ from: '19121212-****', to: '19121212-****', reason: 'GN' });
    expect(JSON.stringify(r.audit)).not.toContain(TOLVAN);
    expect(findByIdentity([r.borrower], TOLVAN)).toEqual([{ borrower: r.borrower, current: false }]);
    expect(replaceIdentity(r.borrower, { to: TOLVAN_NEW }, ctx()).audit.outcome).toBe('unchanged');
  });

  test('replaceIdentity reveals numbers in the audit only when configured', () => {
    const r = replaceIdentity(borrower(), { to: TOLVAN_NEW }, ctx(undefined, { revealPersonalIds: true }));
    expect(r.audit.details).toMatchObject({ from: TOLVAN, to: TOLVAN_NEW });
  });

  test('replaceIdentity refuses an invalid number and respects identity protection', () => {
    expect(() => replaceIdentity(borrower(), { to: '191212121213' }, ctx())).toThrow(/invalid_identity/);
    const locked = borrower({ updatePolicy: { allowUpdate: true, protectedSections: ['identities'] } });
    const r = replaceIdentity(locked, { to: TOLVAN_NEW }, ctx(), { respectUpdatePolicy: true });
    expect(r.skipped).toBe(true);
    expect(r.borrower).toBe(locked);
  });

  test('a samordningsnummer replaced by a personnummer changes the identity type', () => {
    const samordning = '199001611236'; // 900161-1236 from reference/spar.md
    const b = borrower({ identities: [{ type: 'samordningsnummer', value: samordning }] });
    const r = replaceIdentity(b, { to: TOLVAN_NEW, reason: 'GS' }, ctx());
    expect(r.borrower.identities).toEqual([{ type: 'personnummer', value: TOLVAN_NEW }]);
    expect(r.borrower.formerIdentities[0]?.identity.type).toBe('samordningsnummer');
  });

  test('stripContactData removes addresses, phone, mobile and e-mail', () => {
    const r = stripContactData(borrower(), ctx());
    expect(r.borrower.addresses).toEqual([]);
    expect(r.borrower.contact).toEqual({});
  });

  test('findByCommentKeyword finds by source or text, ignoring case', () => {
    const a = borrower({
      id: 'a',
      comments: [{ id: 'c', text: 'x', author: 'j', date: '2026-01-01' as never, source: 'SPAR' }],
    });
    const b = borrower({
      id: 'b',
      comments: [{ id: 'c', text: 'enligt spar', author: 'j', date: '2026-01-01' as never, source: 'staff' }],
    });
    const c = borrower({ id: 'c' });
    expect(findByCommentKeyword([a, b, c], 'SPAR').map((x) => x.id)).toEqual(['a', 'b']);
    expect(findByCommentKeyword([a], '')).toEqual([]);
  });
});
