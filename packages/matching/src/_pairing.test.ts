/**
 * Deduction pairing against the rule as first written (string-keyed maps, bigint minor units, one suggestion
 * object per pairing pushed to both ids, deductions taken by id): the same decisions, on worlds that reach its every
 * path (wide windows that rank the pool, amounts beyond 2^52 minor units, fractions of an öre, repeated payment
 * ids, a deduction sharing its id with an underpaid payment, payments settled together, several files and
 * currencies).
 */
import { fc, test } from '@fast-check/vitest';
import { Money, type Payment } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../scripts/random.js';
import { BG_AB, BG_AB_EUR, BG_CD, inv, ledger, pay } from '../test/helpers.js';
import {
  buildInvoiceIndex,
  type DecideContext,
  type Decision,
  type DeductionPairSuggestion,
  decide,
  decideBatch,
  type Invoice,
  type MatchingConfigInput,
  matchingConfig,
  plainDecision,
  resolveRule,
  toleranceLimit,
} from './index.js';

/** The pairing rule as first written, applied to the batch's decisions without pairing. */
function referencePairing(
  payments: readonly Payment[],
  invoices: readonly Invoice[],
  decisions: Decision[],
  ctx: DecideContext,
): Decision[] {
  const config = ctx.config;
  const byId = new Map(invoices.map((i) => [i.id, i]));
  // each payment decided alone: which are deductions and Amount decisions, and the invoice each is about
  const alone = payments.map((p) => decide(p, ctx));
  const deductions = alone.flatMap((d, i) => (d.comment !== 'Amount' && d.status === 'Credit' ? [i] : []));
  const amounts = alone.flatMap((d, i) => (d.comment === 'Amount' ? [i] : []));
  const primary = (i: number): Invoice | undefined => {
    const d = alone[i] as Decision;
    return d.evidence.rule === 'several_invoices' || d.invoiceId === undefined ? undefined : byId.get(d.invoiceId);
  };
  if (deductions.length === 0) return decisions;
  const out = [...decisions];
  const files = new Set(deductions.map((i) => `${payments[i]?.source.file}\u0000${payments[i]?.currency}`));
  type Underpaid = { i: number; invoice: Invoice; shortfall: bigint; over: bigint; under: bigint };
  const pools = new Map<string, { entries: Underpaid[]; bound: bigint }>();
  const seenPayments = new Set<string>();
  for (const i of amounts) {
    const d = out[i] as Decision;
    if (d.comment !== 'Amount' || (d.status !== 'Error' && d.status !== 'Complete')) continue;
    const invoice = primary(i);
    const a = d.evidence.amount;
    if (a === undefined || invoice === undefined || d.evidence.group !== undefined) continue;
    if (a.side !== 'under' || d.evidence.invoiceIds !== undefined) continue;
    const p = payments[i] as Payment;
    const file = `${p.source.file}\u0000${p.currency}`;
    if (!files.has(file) || seenPayments.has(p.id)) continue;
    seenPayments.add(p.id);
    const rule = resolveRule(config, invoice.customer, p.currency);
    const open = invoice.openAmount;
    if (!open.minorExact() || !a.paid.minorExact()) continue;
    const entry: Underpaid = {
      i,
      invoice,
      shortfall: open.minus(a.paid).toMinor(),
      over: toleranceLimit(rule, 'over', open).toMinor(),
      under: toleranceLimit(rule, 'under', open).toMinor(),
    };
    const pool = pools.get(file) ?? { entries: [], bound: 0n };
    pools.set(file, pool);
    pool.entries.push(entry);
    if (entry.over > pool.bound) pool.bound = entry.over;
    if (entry.under > pool.bound) pool.bound = entry.under;
  }
  for (const pool of pools.values())
    pool.entries.sort((a, b) => (a.shortfall < b.shortfall ? -1 : a.shortfall > b.shortfall ? 1 : a.i - b.i));
  const added = new Map<string, DeductionPairSuggestion[]>();
  const seenIds = new Set<string>();
  // deductions by id (a stable sort: the first of a repeated id stays first), so that no order of the input shows
  const idOf = (i: number): string => (payments[i] as Payment).id;
  const byDeductionId = [...deductions].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
  for (const di of byDeductionId) {
    const ded = payments[di] as Payment;
    if (seenIds.has(ded.id)) continue;
    seenIds.add(ded.id);
    const pool = pools.get(`${ded.source.file}\u0000${ded.currency}`);
    if (pool === undefined) continue;
    const deducted = ded.amount.abs();
    if (!deducted.minorExact()) continue;
    const dm = deducted.toMinor();
    const named = new Set<string>();
    for (const r of (out[di] as Decision).evidence.references) {
      for (const x of ctx.invoices.byOcr(r.key)) named.add(x.id);
      for (const x of ctx.invoices.byInvoiceNumber(r.key)) named.add(x.id);
    }
    const fits: { u: Underpaid; diff: bigint; strong: boolean; id: string }[] = [];
    for (const u of pool.entries) {
      if (u.shortfall < dm - pool.bound || u.shortfall > dm + pool.bound) continue;
      const diff = dm - u.shortfall;
      if (diff > 0n ? diff <= u.over : -diff <= u.under)
        fits.push({ u, diff, strong: named.has(u.invoice.id), id: (payments[u.i] as Payment).id });
    }
    if (fits.length === 0) continue;
    const strong = fits.filter((f) => f.strong);
    const chosen = (strong.length > 0 ? strong : fits).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const f of chosen) {
      const p = payments[f.u.i] as Payment;
      const s: DeductionPairSuggestion = {
        kind: 'deduction-pair',
        deductionId: ded.id,
        paymentId: p.id,
        invoiceId: f.u.invoice.id,
        deducted,
        difference: Money.fromMinor(f.diff, ded.currency),
        strength: f.strong ? 'reference' : 'amount',
        alternatives: chosen.length - 1,
      };
      for (const id of [ded.id, p.id]) added.set(id, [...(added.get(id) ?? []), s]);
    }
  }
  const next = new Map<string, Decision>();
  for (const list of [deductions, amounts]) {
    for (const i of list) {
      const id = (payments[i] as Payment).id;
      const more = added.get(id);
      if (more === undefined) continue;
      const d = next.get(id) ?? {
        ...plainDecision(out[i] as Decision),
        suggestions: [...(out[i] as Decision).suggestions, ...more],
      };
      next.set(id, d);
      out[i] = d;
    }
  }
  return out;
}

/** Decisions as JSON, under one configuration version (pairing on and off are two configurations). */
const json = (d: Decision) => JSON.stringify({ ...plainDecision(d), configVersion: '' });

function expectLikeReference(payments: readonly Payment[], invoices: readonly Invoice[], cfg: MatchingConfigInput) {
  const index = buildInvoiceIndex(invoices);
  const on = { invoices: index, ledger, config: matchingConfig({ ...cfg, deductionPairing: true }) };
  const off = { invoices: index, ledger, config: matchingConfig({ ...cfg, deductionPairing: false }) };
  const want = referencePairing(payments, invoices, decideBatch(payments, off), on);
  const got = decideBatch(payments, on);
  expect(got.map(json)).toEqual(want.map(json));
  return got;
}

/**
 * A batch of underpaid payments (a few shortfalls, so deductions find many of them), exact and overpaid ones,
 * and deductions near those shortfalls, over two files and two currencies, with repeated ids.
 */
function world(seed: number, size: number, options: { big?: boolean } = {}) {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const invoices: Invoice[] = [];
  for (let k = 0; k < size; k++) {
    const currency = rnd() < 0.85 ? 'SEK' : 'EUR';
    const minor = options.big && rnd() < 0.5 ? 9_007_199_254_740_000n + BigInt(k) : BigInt(100_000 + k * 7);
    const open =
      rnd() < 0.03 ? `${Money.fromMinor(minor, currency).toString()}5` : Money.fromMinor(minor, currency).toString();
    invoices.push(inv(10_000 + k, { open, currency, customer: pick(['C1', 'C2', 'C3']) }));
  }
  const payments: Payment[] = [];
  const shortfalls = [500n, 1000n, 1001n, 2500n];
  for (let k = 0; k < size * 2; k++) {
    const target = pick(invoices);
    const currency = target.openAmount.currency;
    const account = currency === 'EUR' ? BG_AB_EUR : rnd() < 0.97 ? BG_AB : BG_CD;
    const file = pick(['A.txt', 'A.txt', 'B.txt']);
    const open = target.openAmount.minorExact() ? target.openAmount.toMinor() : 100_000n;
    const r = rnd();
    let amount: bigint;
    let kind: 'payment' | 'deduction' = 'payment';
    let reference: string | undefined = target.ocr;
    if (r < 0.55) amount = open - pick(shortfalls) + BigInt(Math.floor(rnd() * 7) - 3);
    else if (r < 0.7) amount = open + BigInt(Math.floor(rnd() * 2000));
    else if (r < 0.9) {
      kind = 'deduction';
      amount = -(pick(shortfalls) + BigInt(Math.floor(rnd() * 9) - 4));
      reference = rnd() < 0.5 ? target.ocr : rnd() < 0.5 ? undefined : '12345678';
    } else amount = open;
    const id =
      k > 0 && rnd() < 0.04
        ? (payments[Math.floor(rnd() * k)] as Payment).id // a repeated id (maybe of another kind of payment)
        : `${file}#${k}`;
    const p = pay({
      id,
      file,
      line: k,
      kind,
      currency,
      account,
      amount:
        rnd() < 0.02
          ? `${Money.fromMinor(amount, currency).toString()}1`
          : Money.fromMinor(amount, currency).toString(),
      ...(reference === undefined ? {} : { reference }),
    });
    payments.push(p);
    if (rnd() < 0.03) payments.push(p); // the same payment twice
  }
  return { invoices, payments };
}

const configs: MatchingConfigInput[] = [
  { tolerance: { absolute: '10' } },
  { tolerance: { absolute: '2', percent: '1', combine: 'max' }, customers: { C2: { absolute: '0' } } },
  {
    tolerance: { over: { absolute: '5' }, under: { percent: '2' } },
    customerPolicy: 'stricter',
    customers: { C3: { absolute: '1' } },
  },
];

describe('deduction pairing', () => {
  test.prop([fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 60 }), fc.constantFrom(0, 1, 2)])(
    'pairs exactly as the rule states, in the same order',
    (seed, size, c) => {
      expectLikeReference(world(seed, size).payments, world(seed, size).invoices, configs[c] as MatchingConfigInput);
    },
  );

  test.prop([fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 60 }), fc.constantFrom(0, 1, 2)])(
    'pairs the same whatever the order of the payments and the invoices',
    (seed, size, c) => {
      const w = world(seed, size);
      // one payment per id (a repeated id is the same payment twice: ids are file identity and position)
      const first = new Map<string, Payment>();
      for (const p of w.payments) if (!first.has(p.id)) first.set(p.id, p);
      const payments = w.payments.filter((p) => first.get(p.id) === p);
      const rnd = mulberry32(seed ^ 0x5bd1e995);
      const shuffle = <T>(xs: readonly T[]): T[] => {
        const out = [...xs];
        for (let k = out.length - 1; k > 0; k--) {
          const j = Math.floor(rnd() * (k + 1));
          [out[k], out[j]] = [out[j] as T, out[k] as T];
        }
        return out;
      };
      const config = matchingConfig({ ...(configs[c] as MatchingConfigInput), deductionPairing: true });
      const ctx = (invoices: readonly Invoice[]) => ({ invoices: buildInvoiceIndex(invoices), ledger, config });
      const byId = new Map(decideBatch(shuffle(payments), ctx(shuffle(w.invoices))).map((d) => [d.paymentId, json(d)]));
      for (const d of decideBatch(payments, ctx(w.invoices))) expect(byId.get(d.paymentId)).toBe(json(d));
    },
  );

  it('with amounts beyond 2^52 minor units (compared as bigints)', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const w = world(seed, 40, { big: true });
      expectLikeReference(w.payments, w.invoices, { tolerance: { absolute: '10' } });
    }
  });

  it('with thousands of fits for one deduction (sorted by payment id through ranks)', () => {
    const invoices = Array.from({ length: 3000 }, (_, k) => inv(20_000 + k, { open: '1000.00' }));
    const underpaid = invoices.map((i, k) => pay({ line: 2 * k, amount: '995.00', reference: i.ocr as string }));
    // ids out of order with the shortfall order, some repeated as a deduction's id
    const deductions = [3, 7, 7, 11].map((k, n) =>
      pay({
        line: 100_000 + n,
        ...(n === 2 ? { id: (underpaid[5] as Payment).id } : {}),
        kind: 'deduction',
        amount: `-${k}.00`,
      }),
    );
    const payments = [...deductions.slice(0, 2), ...underpaid.reverse(), ...deductions.slice(2)];
    const ds = expectLikeReference(payments, invoices, { tolerance: { absolute: '10' } });
    expect(ds[0]?.suggestions).toHaveLength(3000);
  });

  it('gives a payment that two deductions fit their suggestions by deduction id, in any input order', () => {
    // found by the order property (seed -1229732896): the payment's list followed the deductions' input order
    const invoices = [inv(1001, { open: '1000.00' })];
    const underpaid = pay({ line: 7, reference: invoices[0]?.ocr as string, amount: '995.00' });
    const a = pay({ line: 3, kind: 'deduction', amount: '-5.00' });
    const b = pay({ line: 5, kind: 'deduction', amount: '-4.00' });
    const ctx = {
      invoices: buildInvoiceIndex(invoices),
      ledger,
      config: matchingConfig({ tolerance: { absolute: '10' } }),
    };
    const lists = [
      [a, b, underpaid],
      [underpaid, b, a],
      [b, underpaid, a],
    ].map((payments) => {
      const ds = decideBatch(payments, ctx);
      const d = ds[payments.indexOf(underpaid)] as Decision;
      return d.suggestions.map((x) => (x as DeductionPairSuggestion).deductionId);
    });
    expect(lists).toEqual([
      [a.id, b.id],
      [a.id, b.id],
      [a.id, b.id],
    ]);
    expectLikeReference([b, underpaid, a], invoices, { tolerance: { absolute: '10' } });
  });

  it('leaves payments settled together out, as the rule does', () => {
    const invoices = [inv(1001, { open: '1000.00' }), inv(1002, { open: '1000.00' })];
    const payments = [
      pay({ line: 3, reference: invoices[0]?.ocr as string, amount: '400.00' }),
      pay({ line: 5, reference: invoices[0]?.ocr as string, amount: '595.00' }),
      pay({ line: 7, reference: invoices[1]?.ocr as string, amount: '995.00' }),
      pay({ line: 9, kind: 'deduction', amount: '-5.00' }),
    ];
    const ds = expectLikeReference(payments, invoices, { tolerance: { absolute: '10' } });
    expect(ds.map((d) => d.suggestions.length)).toEqual([0, 0, 1, 1]);
  });
});
