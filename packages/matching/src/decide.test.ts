/** Beyond the seed: tolerance as data, Ambiguous, evidence, suggestions, several invoices/payments, what-if. */
import { Money } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { BG_AB_EUR, ctx, inv, ledger, pay } from '../test/helpers.js';
import {
  buildInvoiceIndex,
  checkDigitNeighbours,
  decide,
  decideBatch,
  ledgerAccounts,
  matchingConfig,
  plainDecision,
  referenceKey,
  whatIf,
} from './index.js';

describe('tolerance as data', () => {
  it('separate over and under limits', () => {
    const c = ctx([inv(1001)], { tolerance: { over: { absolute: '5' }, under: { absolute: '50' } } });
    expect(decide(pay({ reference: '10017', amount: '1006.00' }), c).status).toBe('Error');
    expect(decide(pay({ reference: '10017', amount: '1005.00' }), c).status).toBe('Complete');
    expect(decide(pay({ reference: '10017', amount: '950.00' }), c).status).toBe('Complete');
    expect(decide(pay({ reference: '10017', amount: '949.99' }), c).status).toBe('Error');
  });

  it('absolute and percent combined by min (the stricter) or max (either suffices)', () => {
    const min = ctx([inv(1001)], { tolerance: { absolute: '10', percent: '0.5', combine: 'min' } }); // 5.00
    const max = ctx([inv(1001)], { tolerance: { absolute: '10', percent: '0.5', combine: 'max' } }); // 10.00
    const p = pay({ reference: '10017', amount: '1007.00' });
    expect(decide(p, min).status).toBe('Error');
    expect(decide(p, min).evidence.amount?.limit?.toString()).toBe('5.00');
    expect(decide(p, max).status).toBe('Complete');
    expect(decide(p, max).evidence.amount?.limit?.toString()).toBe('10.00');
  });

  it('a percentage is truncated to whole minor units, never rounded up', () => {
    const c = ctx([inv(1001, { open: '999.99' })], { tolerance: { percent: '1' } }); // 9.9999 → 9.99
    expect(decide(pay({ reference: '10017', amount: '1009.98' }), c).status).toBe('Complete');
    expect(decide(pay({ reference: '10017', amount: '1009.99' }), c).status).toBe('Error');
  });

  it('rules per currency and per customer; the customer rule replaces, or with `stricter` the lower wins', () => {
    const invoices = [inv(1001, { customer: 'C1' }), inv(1002, { customer: 'C2' })];
    const input = { tolerance: { absolute: '10' }, customers: { C2: { absolute: '0' } } };
    const c = ctx(invoices, input);
    expect(decide(pay({ reference: '10017', amount: '1005.00' }), c).status).toBe('Complete');
    const d = decide(pay({ reference: '10025', amount: '1005.00' }), c);
    expect(d.status).toBe('Error');
    expect(d.evidence.amount?.tolerance?.source).toBe('customer:C2');
    const generous = ctx(invoices, {
      tolerance: { absolute: '10' },
      customers: { C2: { absolute: '100' } },
      customerPolicy: 'stricter',
    });
    expect(decide(pay({ reference: '10025', amount: '1050.00' }), generous).status).toBe('Error');
    const eur = ctx([inv(1001, { currency: 'EUR' })], {
      tolerance: { absolute: '10' },
      currencies: { EUR: { absolute: '1' } },
    });
    const ledgerEur = {
      ...eur,
      ledger: ledgerAccounts([{ number: '9912346', ledgerAccount: '1932', company: 'AB', currency: 'EUR' }]),
    };
    const e = decide(pay({ reference: '10017', amount: '1001.50', currency: 'EUR' }), ledgerEur);
    expect([e.status, e.evidence.amount?.tolerance?.source]).toEqual(['Error', 'currency:EUR']);
  });

  it('configuration is checked with zod, every problem at once', () => {
    expect(() => matchingConfig({ tolerance: { absolute: '-1', percent: '101' } } as never)).toThrowError(
      expect.objectContaining({ code: 'invalid_config' }),
    );
    try {
      matchingConfig({ tolerance: { absolute: 'x' }, referenceOrder: 'random' } as never);
    } catch (e) {
      expect((e as { issues: unknown[] }).issues.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('the configuration version is a stable hash of the normalised configuration', () => {
    const a = matchingConfig({
      tolerance: { absolute: '10.0' },
      currencies: { EUR: { absolute: '1' }, NOK: { absolute: '10' } },
    });
    const b = matchingConfig({
      currencies: { NOK: { absolute: '10' }, EUR: { absolute: '1.00' } },
      tolerance: { over: { absolute: '10' }, under: { absolute: '10' } },
    });
    expect(a.version).toBe(b.version);
    expect(a.version).not.toBe(matchingConfig({ tolerance: { absolute: '11' } }).version);
    expect(decide(pay({ reference: '10017' }), ctx([inv(1001)])).configVersion).toMatch(/^cfg-[0-9a-f]{16}$/);
  });
});

describe('Ambiguous and evidence', () => {
  it('two invoices answering the same reference with the same amount are Ambiguous, never "oldest wins"', () => {
    const d = decide(pay({ reference: '10017' }), ctx([inv(1001), { ...inv(1001), id: 'inv-1001-copy' }]));
    expect([d.status, d.comment]).toEqual(['Ambiguous', 'Ambiguous']);
    expect(d.allocations).toEqual([]);
    expect(d.evidence.candidates.map((c) => c.invoiceId)).toEqual(['inv-1001', 'inv-1001-copy']);
  });

  it('an exact amount singles one invoice out of several with the same reference', () => {
    const d = decide(
      pay({ reference: '10017', amount: '500.00' }),
      ctx([inv(1001), { ...inv(1001, { open: '500.00' }), id: 'x' }]),
    );
    expect([d.status, d.invoiceId]).toEqual(['Complete', 'x']);
  });

  it('gates filter candidates before ambiguity: an invoice of another company does not make it Ambiguous', () => {
    const d = decide(pay({ reference: '10017' }), ctx([inv(1001), { ...inv(1001, { company: 'CD' }), id: 'other' }]));
    expect([d.status, d.invoiceId]).toEqual(['Complete', 'inv-1001']);
  });

  it('every decision carries its evidence, also as JSON', () => {
    const d = decide(pay({ reference: '0010-017', amount: '995.00' }), ctx([inv(1001)]));
    const json = JSON.parse(JSON.stringify(d));
    expect(json.evidence).toEqual({
      rule: 'within_tolerance',
      account: { kind: 'bankgiro', number: '9912346', ledgerAccount: '1930', company: 'AB', currency: 'SEK' },
      references: [{ field: 'reference', index: 0, raw: '0010-017', key: '10017', checkDigit: 'valid' }],
      candidates: [{ invoiceId: 'inv-1001', field: 'reference', index: 0, against: 'ocr', key: '10017', gate: 'ok' }],
      matched: { invoiceId: 'inv-1001', field: 'reference', index: 0, against: 'ocr', key: '10017', gate: 'ok' },
      amount: {
        paid: '995.00',
        open: '1000.00',
        difference: '-5.00',
        side: 'under',
        limit: '10.00',
        tolerance: {
          source: 'default',
          over: { absolute: '10', combine: 'min' },
          under: { absolute: '10', combine: 'min' },
        },
        fits: true,
        remainingOnInvoice: '5.00',
      },
    });
    expect(json.configVersion).toBe(matchingConfig({ tolerance: { absolute: '10' } }).version);
  });
});

describe('suggestions', () => {
  it('a reference failing its check digit gets the invoice one digit away (substitution)', () => {
    const d = decide(pay({ reference: '10018' }), ctx([inv(1001), inv(1002)]));
    expect([d.status, d.comment]).toEqual(['Error', 'No Match']);
    expect(d.suggestions).toEqual([
      expect.objectContaining({ kind: 'check-digit', invoiceId: 'inv-1001', corrected: '10017', against: 'ocr' }),
    ]);
  });

  it('…and two swapped digits (transposition)', () => {
    const ocr = inv(12345).ocr as string; // '123455'
    const swapped = `${ocr.slice(0, 2)}${ocr[3]}${ocr[2]}${ocr.slice(4)}`;
    const d = decide(pay({ reference: swapped }), ctx([inv(12345)]));
    expect(d.suggestions).toEqual([
      expect.objectContaining({ invoiceId: 'inv-12345', edit: { kind: 'transposition', position: 3 } }),
    ]);
  });

  it('neighbours are Luhn-valid single edits; a valid reference has none', () => {
    expect(checkDigitNeighbours('655969')).toEqual([]);
    const ns = checkDigitNeighbours('655996');
    expect(ns.map((n) => n.reference)).toContain('655969');
    expect(ns.every((n) => n.reference.length === 6)).toBe(true);
  });

  it('a deduction is paired with the underpaid payment of the same file (Credit next to Error/Amount)', () => {
    const c = ctx([inv(1001, { open: '1500.00' }), inv(1002)]);
    const ds = decideBatch(
      [
        pay({ line: 3, reference: '10017', amount: '1000.00' }),
        pay({ line: 5, kind: 'deduction', amount: '500.00', reference: 'Kreditfaktura 17' }),
        pay({ line: 7, reference: '10025', amount: '1000.00' }),
      ],
      c,
    );
    expect(ds.map((d) => `${d.status}/${d.comment}`)).toEqual(['Error/Amount', 'Credit/', 'Complete/']);
    const s = { kind: 'deduction-pair', deductionId: 'BGMAX.txt#5', paymentId: 'BGMAX.txt#3', invoiceId: 'inv-1001' };
    expect(ds[0]?.suggestions).toEqual([expect.objectContaining(s)]);
    expect(ds[1]?.suggestions).toEqual([expect.objectContaining({ ...s, strength: 'amount', alternatives: 0 })]);
    expect(ds[1]?.suggestions[0]).toMatchObject({ difference: Money.of('0', 'SEK') });
  });

  it('a deduction naming the invoice is a strong pairing, and wins over amount-only candidates', () => {
    const c = ctx([inv(1001, { open: '1500.00' }), inv(1002, { open: '1500.00' })]);
    const ds = decideBatch(
      [
        pay({ line: 3, reference: '10017', amount: '1000.00' }),
        pay({ line: 5, reference: '10025', amount: '1000.00' }),
        pay({ line: 7, kind: 'deduction', amount: '500.00', reference: 'F-1002' }),
      ],
      c,
    );
    expect(ds[2]?.suggestions).toEqual([expect.objectContaining({ paymentId: 'BGMAX.txt#5', strength: 'reference' })]);
  });
});

describe('several invoices, several payments', () => {
  it('one payment pays several invoices when its references name them and the sum fits', () => {
    const d = decide(pay({ reference: '10017', extra: ['10025'], amount: '2000.00' }), ctx([inv(1001), inv(1002)]));
    expect([d.status, d.evidence.rule]).toEqual(['Complete', 'several_invoices']);
    expect(d.allocations.map((a) => [a.invoiceId, a.amount.toString()])).toEqual([
      ['inv-1001', '1000.00'],
      ['inv-1002', '1000.00'],
    ]);
  });

  it('…and takes a shortfall inside the tolerance from the last invoice', () => {
    const d = decide(pay({ reference: '10017', extra: ['10025'], amount: '1995.00' }), ctx([inv(1001), inv(1002)]));
    expect([d.status, d.comment]).toEqual(['Complete', 'Amount']);
    expect(d.allocations.map((a) => a.amount.toString())).toEqual(['1000.00', '995.00']);
  });

  it('several payments in one file settle one invoice together when their sum fits', () => {
    const ds = decideBatch(
      [pay({ line: 3, reference: '10017', amount: '600.00' }), pay({ line: 5, reference: '10017', amount: '400.00' })],
      ctx([inv(1001)]),
    );
    expect(ds.map((d) => [d.status, d.evidence.rule, d.allocations[0]?.amount.toString()])).toEqual([
      ['Complete', 'several_payments', '600.00'],
      ['Complete', 'several_payments', '400.00'],
    ]);
  });

  it('the same payment twice (a re-run) is decided once: one shared decision', () => {
    const p = pay({ reference: '10017' });
    const ds = decideBatch([p, p], ctx([inv(1001)]));
    expect(ds[0]).toBe(ds[1]);
    expect(ds[0]?.status).toBe('Complete');
  });

  it('two invoices under one id in different currencies, from a host lookup: invoice_id_conflict, not a money error', () => {
    // the host's own lookup (not buildInvoiceIndex, which refuses such a list up front)
    const sek = inv(1001);
    const eur = { ...inv(1002, { currency: 'EUR' }), id: sek.id };
    const invoices = {
      size: 2,
      byOcr: (k: string) => [sek, eur].filter((i) => i.ocr === k),
      byInvoiceNumber: () => [],
    };
    const payments = [
      pay({ line: 3, reference: sek.ocr as string }),
      pay({ line: 5, reference: eur.ocr as string, currency: 'EUR', account: BG_AB_EUR }),
    ];
    expect(() => decideBatch(payments, { ...ctx([]), invoices })).toThrow(
      expect.objectContaining({
        issues: [expect.objectContaining({ code: 'invoice_id_conflict', actual: sek.id })],
      }),
    );
  });
});

describe('what-if', () => {
  it('lists what changes between two configurations', () => {
    const payments = [
      pay({ line: 3, reference: '10017', amount: '985.00' }),
      pay({ line: 5, reference: '10025', amount: '1000.00' }),
    ];
    const base = { invoices: buildInvoiceIndex([inv(1001), inv(1002)]), ledger };
    const report = whatIf(
      payments,
      base,
      matchingConfig({ tolerance: { absolute: '10' } }),
      matchingConfig({ tolerance: { absolute: '20' } }),
    );
    expect(report.counts).toEqual({ 'Error/Amount → Complete/Amount': 1 });
    expect(report.changes.map((c) => c.paymentId)).toEqual(['BGMAX.txt#3']);
    expect(report.unchanged).toBe(1);
  });
});

describe('referenceKey', () => {
  it('normalises spaces, hyphens, dots, slashes, case and leading zeros (§3.5)', () => {
    expect(referenceKey(' 00 1234–5678 ')).toBe('12345678');
    expect(referenceKey('inv-2024/00123')).toBe('INV202400123');
    expect(referenceKey('0000')).toBe('0');
  });
});

describe('compact decisions (the common single match)', () => {
  const invoices = [inv(1001)];
  const index = ctx(invoices);
  const byIndex = buildInvoiceIndex(invoices);
  // the same invoices behind a plain lookup: decide takes its general path
  const lookup = {
    ...index,
    invoices: { byOcr: byIndex.byOcr.bind(byIndex), byInvoiceNumber: byIndex.byInvoiceNumber.bind(byIndex) },
  };
  const cases = [
    { amount: '1000.00', comment: '', applied: '1000.00', unapplied: '0.00', rule: 'exact' },
    { amount: '1005.00', comment: 'Amount', applied: '1000.00', unapplied: '5.00', rule: 'within_tolerance' },
    { amount: '995.00', comment: 'Amount', applied: '995.00', unapplied: '0.00', rule: 'within_tolerance' },
  ] as const;

  for (const c of cases) {
    for (const [path, context] of [
      ['in-memory index', index],
      ['lookup port', lookup],
    ] as const) {
      it(`${c.amount} for 1000.00 (${path}): reads, copies and serialises as the plain decision`, () => {
        const [d] = decideBatch([pay({ reference: '10017', amount: c.amount })], context);
        if (d === undefined) throw new Error('no decision');
        expect([d.paymentId, d.status, d.comment, d.invoiceId, d.configVersion]).toEqual([
          'BGMAX.txt#3',
          'Complete',
          c.comment,
          'inv-1001',
          index.config.version,
        ]);
        expect(d.allocations.map((a) => [a.invoiceId, a.amount.toString()])).toEqual([['inv-1001', c.applied]]);
        expect(d.unapplied.toString()).toBe(c.unapplied);
        expect(d.ledgerAccount?.ledgerAccount).toBe('1930');
        expect(d.evidence.rule).toBe(c.rule);
        expect(d.suggestions).toEqual([]);
        // derived on each access, equal every time
        expect(JSON.stringify(d.allocations)).toBe(JSON.stringify(d.allocations));
        expect(JSON.stringify(d.evidence)).toBe(JSON.stringify(d.evidence));
        const plain = plainDecision(d);
        expect(Object.keys(plain)).toEqual([
          'paymentId',
          'status',
          'comment',
          'invoiceId',
          'allocations',
          'unapplied',
          'ledgerAccount',
          'evidence',
          'suggestions',
          'configVersion',
        ]);
        expect(JSON.stringify(d)).toBe(JSON.stringify(plain));
        const stored = JSON.parse(JSON.stringify(d));
        expect(stored.allocations).toEqual([{ invoiceId: 'inv-1001', amount: c.applied }]);
        expect(stored.unapplied).toBe(c.unapplied);
        expect(stored.evidence.rule).toBe(c.rule);
        const changed = { ...plainDecision(d), comment: 'Amount' };
        expect([changed.status, changed.invoiceId, changed.comment]).toEqual(['Complete', 'inv-1001', 'Amount']);
        expect(structuredClone(JSON.parse(JSON.stringify(plain))).paymentId).toBe('BGMAX.txt#3');
      });
    }
  }

  it('plainDecision copies a decision that is already plain', () => {
    const d = decide(pay({ reference: '99999', amount: '1000.00' }), index);
    expect(d.status).toBe('Error');
    const copy = plainDecision(d);
    expect(copy).not.toBe(d);
    expect(JSON.stringify(copy)).toBe(JSON.stringify(d));
  });
});
