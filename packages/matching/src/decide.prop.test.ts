/** The invariants of reference/matching.md §7.3, as property tests. */
import { fc, test } from '@fast-check/vitest';
import { Money } from '@nordfil/core';
import { describe, expect } from 'vitest';
import { BG_AB, BG_AB_EUR, BG_CD, inv, ledger, pay } from '../test/helpers.js';
import {
  buildInvoiceIndex,
  type Decision,
  decideBatch,
  type Invoice,
  type InvoiceLookup,
  type MatchingConfigInput,
  matchingConfig,
  plainDecision,
  referenceKey,
} from './index.js';

const invoiceArb = fc.record({
  n: fc.integer({ min: 10, max: 30 }),
  open: fc.integer({ min: 1, max: 200_000 }),
  currency: fc.constantFrom('SEK', 'SEK', 'EUR'),
  company: fc.constantFrom('AB', 'AB', 'CD'),
  customer: fc.constantFrom('C1', 'C2'),
});

/** A universe of up to 8 invoices (distinct numbers) and up to 10 payments that mostly reference them. */
const worldArb = fc.uniqueArray(invoiceArb, { minLength: 1, maxLength: 8, selector: (i) => i.n }).chain((specs) => {
  const invoices = specs.map((s) =>
    inv(s.n, {
      open: Money.fromMinor(BigInt(s.open), 'SEK').toString(),
      currency: s.currency,
      company: s.company,
      customer: s.customer,
    }),
  );
  const refArb = fc.oneof(
    fc.constantFrom(...invoices.map((i) => i.ocr as string)),
    fc.constantFrom(...invoices.map((i) => i.invoiceNumber)),
    fc.constantFrom(...invoices.map((i) => `00 ${i.ocr as string}`)),
    fc.stringMatching(/^[0-9]{2,6}$/),
  );
  const paymentArb = fc.record({
    reference: fc.option(refArb, { nil: undefined }),
    extra: fc.array(refArb, { maxLength: 2 }),
    target: fc.integer({ min: 0, max: invoices.length - 1 }),
    delta: fc.integer({ min: -3000, max: 3000 }),
    exact: fc.boolean(),
    deduction: fc.boolean(),
    account: fc.constantFrom(BG_AB, BG_AB, BG_AB, BG_AB_EUR, BG_CD, '1111111'),
    currency: fc.constantFrom('SEK', 'SEK', 'SEK', 'EUR'),
  });
  return fc.record({
    invoices: fc.constant(invoices),
    payments: fc.array(paymentArb, { maxLength: 10 }).map((ps) =>
      ps.map((p, k) => {
        const open = (invoices[p.target] as Invoice).openAmount.toMinor();
        const minor = p.exact ? open : open + BigInt(p.delta);
        return pay({
          line: 3 + 2 * k,
          ...(p.reference === undefined ? {} : { reference: p.reference }),
          extra: p.extra,
          amount: Money.fromMinor(minor === 0n ? 1n : minor, p.currency).toString(),
          currency: p.currency,
          account: p.account,
          ...(p.deduction && k % 4 === 0 ? { kind: 'deduction' as const } : {}),
        });
      }),
    ),
  });
});

const toleranceArb: fc.Arbitrary<MatchingConfigInput> = fc.record({
  tolerance: fc.record(
    {
      absolute: fc.integer({ min: 0, max: 2000 }).map((m) => Money.fromMinor(BigInt(m), 'SEK').toString()),
      percent: fc.constantFrom('0', '0.5', '1', '2.5'),
      combine: fc.constantFrom('min' as const, 'max' as const),
    },
    { requiredKeys: [] },
  ),
});

function widen(c: MatchingConfigInput): MatchingConfigInput {
  const t = (c.tolerance ?? {}) as { absolute?: string; percent?: string; combine?: 'min' | 'max' };
  return {
    tolerance: {
      ...t,
      ...(t.absolute === undefined
        ? {}
        : { absolute: Money.of(t.absolute, 'SEK').plus(Money.of('7.5', 'SEK')).toString() }),
      ...(t.percent === undefined ? {} : { percent: String(Number(t.percent) + 1) }),
    },
  };
}

const run = (payments: Parameters<typeof decideBatch>[0], invoices: readonly Invoice[], config: MatchingConfigInput) =>
  decideBatch(payments, { invoices: buildInvoiceIndex(invoices), ledger, config: matchingConfig(config) });

const json = (d: Decision) => JSON.stringify(d);

/** The same invoices behind a plain lookup (not the in-memory index): decide takes its general path. */
function plainLookup(invoices: readonly Invoice[]): InvoiceLookup {
  const index = buildInvoiceIndex(invoices);
  return { byOcr: (k) => index.byOcr(k), byInvoiceNumber: (k) => index.byInvoiceNumber(k) };
}

// every field name of a decision and of what it holds
const FIELDS = [
  ...['paymentId', 'status', 'comment', 'invoiceId', 'allocations', 'unapplied', 'ledgerAccount', 'evidence'],
  ...['suggestions', 'configVersion', 'rule', 'account', 'references', 'candidates', 'matched', 'amount'],
  ...['invoiceIds', 'group', 'kind', 'number', 'company', 'currency', 'field', 'index', 'raw', 'key', 'checkDigit'],
  ...['against', 'gate', 'paid', 'open', 'difference', 'side', 'limit', 'tolerance', 'fits', 'remainingOnInvoice'],
  ...['source', 'over', 'under', 'stricterThan', 'absolute', 'percent', 'combine', 'paymentIds', 'total'],
  ...['deductionId', 'deducted', 'strength', 'alternatives', 'reference', 'corrected', 'edit', 'position'],
  ...['from', 'to', 'ledgerAccount'],
];

/** A value as read field by field (getters included), for comparing what a caller reads, not only the JSON. */
function read(v: unknown): unknown {
  if (v instanceof Money) return `${v.toString()} ${v.currency}`;
  if (Array.isArray(v)) return v.map(read);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  const keys = new Set(Object.keys(v));
  for (const k of FIELDS) if ((v as Record<string, unknown>)[k] !== undefined) keys.add(k);
  for (const k of [...keys].sort()) out[k] = read((v as Record<string, unknown>)[k]);
  return out;
}

describe('§7.3 invariants', () => {
  test('the generated worlds reach every outcome', () => {
    const seen = new Set<string>();
    for (const w of fc.sample(worldArb, { numRuns: 300, seed: 42 })) {
      for (const d of run(w.payments, w.invoices, { tolerance: { absolute: '10' } }))
        seen.add(`${d.status}/${d.comment}`);
    }
    for (const o of [
      'Complete/',
      'Complete/Amount',
      'Error/Amount',
      'Error/No Match',
      'Error/Currency',
      'Error/Company',
      'Error/Account',
      'Credit/',
      'Ambiguous/Ambiguous',
    ]) {
      expect(seen).toContain(o);
    }
  });

  test.prop([worldArb, toleranceArb])('never allocate more than was paid; parts sum exactly', (w, cfg) => {
    for (const d of run(w.payments, w.invoices, cfg)) {
      const p = w.payments.find((x) => x.id === d.paymentId);
      if (p === undefined) throw new Error('decision for an unknown payment');
      let sum = Money.zero(p.currency);
      for (const a of d.allocations) {
        expect(a.amount.isPositive()).toBe(true);
        sum = sum.plus(a.amount);
      }
      expect(sum.plus(d.unapplied).equals(p.amount)).toBe(true);
      if (p.amount.isPositive()) expect(sum.compare(p.amount)).toBeLessThanOrEqual(0);
      if (d.status !== 'Complete') expect(d.allocations).toHaveLength(0);
    }
  });

  test.prop([worldArb, toleranceArb])('no invoice receives more than its open amount, across the batch', (w, cfg) => {
    const applied = new Map<string, Money>();
    const seen = new Set<string>();
    for (const d of run(w.payments, w.invoices, cfg)) {
      if (seen.has(d.paymentId)) continue;
      seen.add(d.paymentId);
      for (const a of d.allocations)
        applied.set(a.invoiceId, (applied.get(a.invoiceId) ?? Money.zero(a.amount.currency)).plus(a.amount));
    }
    for (const [id, total] of applied) {
      const invoice = w.invoices.find((i) => i.id === id) as Invoice;
      expect(total.compare(invoice.openAmount)).toBeLessThanOrEqual(0);
    }
  });

  test.prop([worldArb, toleranceArb, fc.integer()])(
    'input order changes no decision (payments and invoices)',
    (w, cfg, seed) => {
      const shuffle = <T>(xs: readonly T[]): T[] => {
        const out = [...xs];
        let s = seed >>> 0;
        for (let i = out.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          const j = s % (i + 1);
          [out[i], out[j]] = [out[j] as T, out[i] as T];
        }
        return out;
      };
      const a = run(w.payments, w.invoices, cfg);
      const b = run(shuffle(w.payments), shuffle(w.invoices), cfg);
      const byId = new Map(b.map((d) => [d.paymentId, json(d)]));
      for (const d of a) expect(byId.get(d.paymentId)).toBe(json(d));
    },
  );

  test.prop([worldArb, toleranceArb])(
    'the in-memory index decides as any lookup does (compact evidence reads and serialises the same)',
    (w, cfg) => {
      const config = matchingConfig(cfg);
      const fast = decideBatch(w.payments, { invoices: buildInvoiceIndex(w.invoices), ledger, config });
      const plain = decideBatch(w.payments, { invoices: plainLookup(w.invoices), ledger, config });
      expect(fast.map(json)).toEqual(plain.map(json));
      expect(fast.map(read)).toEqual(plain.map(read));
    },
  );

  test.prop([worldArb, toleranceArb])(
    'every decision, compact or not, reads and serialises as its plain copy, and reads equal twice',
    (w, cfg) => {
      for (const d of run(w.payments, w.invoices, cfg)) {
        const plain = plainDecision(d);
        expect(read(plain)).toEqual(read(d));
        expect(JSON.stringify(plain)).toBe(JSON.stringify(d));
        expect(read(d.allocations)).toEqual(read(d.allocations));
        expect(read(d.evidence)).toEqual(read(d.evidence));
      }
    },
  );

  test.prop([worldArb, toleranceArb])('the same input and configuration always give the same decisions', (w, cfg) => {
    expect(run(w.payments, w.invoices, cfg).map(json)).toEqual(run(w.payments, w.invoices, cfg).map(json));
  });

  test.prop([worldArb, toleranceArb])('widening the tolerance never turns Complete into Error', (w, cfg) => {
    const narrow = run(w.payments, w.invoices, cfg);
    const wide = run(w.payments, w.invoices, widen(cfg));
    narrow.forEach((d, i) => {
      if (d.status === 'Complete') expect(wide[i]?.status).toBe('Complete');
    });
  });

  test.prop([worldArb, toleranceArb])('a currency or company mismatch is never Complete', (w, cfg) => {
    const ds = run(w.payments, w.invoices, cfg);
    const accounts: Record<string, { company: string; currency: string }> = {
      [BG_AB]: { company: 'AB', currency: 'SEK' },
      [BG_AB_EUR]: { company: 'AB', currency: 'EUR' },
      [BG_CD]: { company: 'CD', currency: 'SEK' },
    };
    ds.forEach((d, i) => {
      const p = w.payments[i];
      if (p === undefined || d.status !== 'Complete') return;
      const acc = accounts[p.receivingAccount.number];
      expect(acc).toBeDefined();
      expect(acc?.currency).toBe(p.currency);
      for (const a of d.allocations) {
        const invoice = w.invoices.find((x) => x.id === a.invoiceId) as Invoice;
        expect(invoice.openAmount.currency).toBe(p.currency);
        expect(invoice.company).toBe(acc?.company);
      }
    });
  });

  test.prop([worldArb, toleranceArb])(
    'deductions are never registered; unknown accounts are always Error/Account',
    (w, cfg) => {
      run(w.payments, w.invoices, cfg).forEach((d, i) => {
        const p = w.payments[i];
        if (p?.receivingAccount.number === '1111111') expect([d.status, d.comment]).toEqual(['Error', 'Account']);
        else if (p?.kind === 'deduction') expect(d.status).toBe('Credit');
      });
    },
  );

  test.prop([worldArb, toleranceArb])(
    'duplicating the winning invoice turns the decision Ambiguous, never a match on a copy',
    (w, cfg) => {
      const ds = run(w.payments, w.invoices, cfg);
      ds.forEach((d, i) => {
        if (d.status !== 'Complete' || d.allocations.length !== 1 || d.evidence.group !== undefined) return;
        const winner = w.invoices.find((x) => x.id === d.invoiceId) as Invoice;
        const copy = { ...winner, id: `${winner.id}-copy` };
        const again = run([w.payments[i] as (typeof w.payments)[number]], [...w.invoices, copy], cfg)[0] as Decision;
        expect(again.status).toBe('Ambiguous');
      });
    },
  );

  test.prop([worldArb, toleranceArb])('adding an unrelated invoice (other reference) changes no decision', (w, cfg) => {
    const unrelated = inv(987654, { ocr: '98765434', number: 'ZZ-UNRELATED', company: 'CD', currency: 'EUR' });
    const a = run(w.payments, w.invoices, cfg).map(json);
    const b = run(w.payments, [...w.invoices, unrelated], cfg).map(json);
    expect(b).toEqual(a);
  });

  test.prop([
    fc.stringMatching(/^[0-9]{1,12}$/),
    fc.array(fc.constantFrom(' ', '-', '\u2013'), { maxLength: 3 }),
    fc.nat(3),
  ])('reference keys ignore spaces, hyphens and leading zeros, and are idempotent', (digits, seps, zeros) => {
    const messy = `${'0'.repeat(zeros)}${seps.join('')}${digits}`;
    expect(referenceKey(messy)).toBe(referenceKey(digits));
    expect(referenceKey(referenceKey(messy))).toBe(referenceKey(messy));
  });
});
