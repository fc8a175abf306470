import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compileExportSchema } from '../test/schema.js';
import { borrower, ctx, type TODAY } from '../test/support.js';
import {
  BORROWER_EXPORT_SCHEMA_ID,
  BORROWER_SCHEMA_VERSION,
  blockBorrower,
  borrowerExportJsonSchema,
  exportBorrowerData,
  HOLDINGS_NOTE,
  PIN_NOT_EXPORTED_NOTE,
} from './index.js';

describe('export JSON Schema', () => {
  test('the committed schema file equals the generated one (run `npm run schema -w @nordfil/patron`)', () => {
    const file = new URL(`../schema/borrower-export.v${BORROWER_SCHEMA_VERSION}.json`, import.meta.url);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(borrowerExportJsonSchema());
  });

  test('has an $id, draft 2020-12, and forbids unknown properties on every object', () => {
    const schema = borrowerExportJsonSchema();
    expect(schema.$id).toBe(BORROWER_EXPORT_SCHEMA_ID);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    const objects: Record<string, unknown>[] = [];
    const walk = (n: unknown) => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n !== null && typeof n === 'object') {
        const o = n as Record<string, unknown>;
        if (o.type === 'object' && o.properties !== undefined) objects.push(o);
        Object.values(o).forEach(walk);
      }
    };
    walk(schema);
    expect(objects.length).toBeGreaterThan(10);
    for (const o of objects) expect(o.additionalProperties).toBe(false);
  });

  test('an export validates against the published schema; a smuggled field does not', () => {
    const validate = compileExportSchema();
    const b = blockBorrower(borrower(), { comment: 'x', expiresOn: '2027-01-01' as never }, ctx()).borrower;
    const { document } = exportBorrowerData(b, ctx());
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
    const leaked = { ...document, borrower: { ...document.borrower, pin: { hashRef: 'x' } } };
    expect(validate(leaked)).toBe(false);
  });
});

describe('exportBorrowerData', () => {
  test('builds by allow-list: a field unknown to the export never appears', () => {
    const b = { ...borrower(), secretFutureField: 'leak' } as ReturnType<typeof borrower>;
    const text = JSON.stringify(exportBorrowerData(b, ctx()).document);
    expect(text).not.toContain('secretFutureField');
  });

  test('states what is not included: PIN, holdings, other accounts', () => {
    const { document, schemaVersion } = exportBorrowerData(borrower(), ctx());
    expect(schemaVersion).toBe(1);
    expect(document.notIncluded).toEqual({ pin: PIN_NOT_EXPORTED_NOTE, holdings: HOLDINGS_NOTE });
    expect(document.generatedAt).toBe(ctx().at);
  });

  test('includes the debt block and manual blocks with their reasons', () => {
    const b = borrower({
      blocks: [
        {
          kind: 'debt',
          id: 'debt',
          balance: { amount: '300.00', currency: 'SEK' },
          limit: { amount: '200.00', currency: 'SEK' },
          since: '2026-11-01T00:00:00Z',
        },
      ],
    });
    const blocked = blockBorrower(b, { comment: 'Avliden', reason: 'deceased' }, ctx()).borrower;
    const { document } = exportBorrowerData(blocked, ctx());
    expect(document.borrower.blocks.map((x) => [x.kind, x.reason, x.liftableByHand])).toEqual([
      ['debt', 'debt_limit', false],
      ['manual', 'deceased', true],
    ]);
  });

  test('includes this account’s history for the borrower, without staff identities', () => {
    const r = blockBorrower(borrower(), { comment: 'x' }, ctx());
    const other = { ...r.audit, account: 'malmo' };
    const { document } = exportBorrowerData(r.borrower, ctx(), { history: [r.audit, other] });
    expect(document.history).toHaveLength(1);
    expect(document.history![0]).toMatchObject({ action: 'borrower.block', outcome: 'done' });
    expect(JSON.stringify(document.history)).not.toContain('staff-admin');
  });

  test('refuses a borrower who does not belong to the account (not_a_member)', () => {
    expect(() => exportBorrowerData(borrower(), ctx(undefined, { account: 'umea' }))).toThrow(/not_a_member/);
  });

  test('a malformed borrower is refused with invalid_borrower, not exported half-valid', () => {
    const bad = borrower({ birthDate: '1912-13-45' as typeof TODAY });
    expect(() => exportBorrowerData(bad, ctx())).toThrow(/invalid_borrower/);
  });
});
