import { describe, expect, test } from 'vitest';
import { borrower, ctx, desk, TOLVAN_NEW } from '../test/support.js';
import { editBorrower, mayUpdate, parseBorrower, protectedSections, safeParseBorrower, setPin } from './index.js';

describe('editBorrower', () => {
  test('an edit equal to the current value changes nothing', () => {
    const b = borrower();
    const r = editBorrower(b, { name: { ...b.name } }, ctx());
    expect(r.borrower).toBe(b);
    expect(r.audit.outcome).toBe('unchanged');
  });

  test('null clears an optional section', () => {
    const r = editBorrower(borrower(), { birthDate: null }, ctx());
    expect('birthDate' in r.borrower).toBe(false);
    expect(r.changed).toEqual(['birthDate']);
  });

  test('cross-section rules: two national ids and two active home addresses, reported together', () => {
    const b = borrower();
    try {
      editBorrower(
        b,
        {
          identities: [...b.identities, { type: 'personnummer', value: TOLVAN_NEW }],
          addresses: [b.addresses[0]!, { ...b.addresses[0]!, lines: ['Lillgatan 2'] }],
        },
        ctx(),
      );
      expect.unreachable();
    } catch (e) {
      const issues = (e as { issues: { code: string; field?: string }[] }).issues;
      expect(issues.every((i) => i.code === 'invalid_borrower')).toBe(true);
      expect(issues.map((i) => i.field)).toEqual(['identities', 'addresses.1.active']);
    }
  });

  test('a personnummer with a wrong check digit, and one in the 10-digit form, are refused', () => {
    expect(() =>
      editBorrower(borrower(), { identities: [{ type: 'personnummer', value: '191212121213' }] }, ctx()),
    ).toThrow(/not a valid personnummer/);
    expect(() =>
      editBorrower(borrower(), { identities: [{ type: 'personnummer', value: '121212-1212' }] }, ctx()),
    ).toThrow(/12 digits/);
  });

  test('blocks, comments, accounts and the PIN are not editable sections', () => {
    expect(() => editBorrower(borrower(), { pin: { hashRef: 'x' } } as never, ctx())).toThrow(
      /not an editable section/,
    );
    expect(() => editBorrower(borrower(), { blocks: [] } as never, ctx())).toThrow(/not an editable section/);
  });

  test('needs borrower.edit', () => {
    expect(() => editBorrower(borrower(), { contact: {} }, ctx({ id: 'x', roles: [] }))).toThrow(/permission_denied/);
  });

  test('the audit entry names sections, never values', () => {
    const r = editBorrower(borrower(), { contact: { email: 'hemlig@example.se' } }, ctx(desk));
    expect(JSON.stringify(r.audit)).not.toContain('hemlig');
  });
});

describe('update policy ("Tillåt uppdatering" and per-section protection)', () => {
  test('with allowUpdate off an automatic update changes nothing but register status', () => {
    const b = borrower({ updatePolicy: { allowUpdate: false, protectedSections: [] } });
    const r = editBorrower(b, { name: { family: 'Nytt' }, register: { protectedIdentity: false } }, ctx(), {
      respectUpdatePolicy: true,
    });
    expect(r.changed).toEqual(['register']);
    expect(r.skipped).toEqual(['name']);
    expect(r.borrower.name).toEqual(b.name);
    expect(mayUpdate(b, 'blocks')).toBe(false);
  });

  test('a protected section is kept, the others are updated; staff edits ignore the policy', () => {
    const b = borrower({ updatePolicy: { allowUpdate: true, protectedSections: ['addresses'] } });
    const auto = editBorrower(b, { addresses: [], contact: {} }, ctx(), { respectUpdatePolicy: true });
    expect(auto.changed).toEqual(['contact']);
    expect(auto.skipped).toEqual(['addresses']);
    expect(protectedSections(b)).toEqual(['addresses', 'updatePolicy']);
    const staff = editBorrower(b, { addresses: [] }, ctx());
    expect(staff.changed).toEqual(['addresses']);
  });
});

describe('parseBorrower and setPin', () => {
  test('parseBorrower lists every problem', () => {
    const r = safeParseBorrower({ ...borrower(), id: '', accounts: [] });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues.map((i) => i.field).sort()).toEqual(['accounts', 'id']);
    expect(parseBorrower(borrower())).toEqual(borrower());
  });

  test('setPin stores a reference and audits without it', () => {
    const { pin: _p, ...noPin } = borrower();
    const r = setPin(noPin, { hashRef: 'vault:new-ref' }, ctx());
    expect(r.borrower.pin).toEqual({ hashRef: 'vault:new-ref' });
    expect(JSON.stringify(r.audit)).not.toContain('vault:new-ref');
    expect('pin' in setPin(r.borrower, null, ctx()).borrower).toBe(false);
  });
});
