import { describe, expect, test } from 'vitest';
import { borrower, ctx } from '../test/support.js';
import { can, capabilitiesOf, definePermissionPolicy, exportBorrowerData, PermissionDeniedError } from './index.js';

describe('permissions', () => {
  test('default roles', () => {
    expect([...capabilitiesOf({ id: 'a', roles: ['administrator'] })].sort()).toEqual([
      'borrower.block',
      'borrower.delete',
      'borrower.download',
      'borrower.edit',
    ]);
    expect(can({ id: 'a', roles: ['register-sync'] }, 'borrower.block')).toBe(true);
    expect(can({ id: 'a', roles: ['register-sync'] }, 'borrower.download')).toBe(false);
    expect(can({ id: 'a', roles: ['constructor', 'toString'] }, 'borrower.edit')).toBe(false);
  });

  test('a configured policy replaces the default', () => {
    const policy = definePermissionPolicy({ 'gdpr-officer': ['borrower.download'] });
    const c = ctx({ id: 'dpo', roles: ['gdpr-officer'] }, { policy });
    expect(exportBorrowerData(borrower(), c).audit.actor).toEqual({ id: 'dpo', roles: ['gdpr-officer'] });
    expect(() => exportBorrowerData(borrower(), ctx({ id: 'x', roles: ['administrator'] }, { policy }))).toThrow(
      PermissionDeniedError,
    );
  });

  test('an invalid policy lists every problem', () => {
    try {
      definePermissionPolicy({ a: ['borrower.fly'], b: 'borrower.edit' });
      expect.unreachable();
    } catch (e) {
      expect((e as { issues: unknown[] }).issues).toHaveLength(2);
    }
  });

  test('the denial carries who tried what', () => {
    try {
      exportBorrowerData(borrower(), ctx({ id: 'intern', roles: ['desk'] }));
      expect.unreachable();
    } catch (e) {
      const d = e as PermissionDeniedError;
      expect(d.capability).toBe('borrower.download');
      expect(d.audit).toMatchObject({
        actor: { id: 'intern' },
        action: 'borrower.export',
        outcome: 'denied',
        borrowerId: 'b-1',
        account: 'lund',
        details: { capability: 'borrower.download' },
      });
    }
  });
});
