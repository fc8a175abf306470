/** The in-memory invoice index against a naive one: the same lookups and the same repeated-id ordinals. */
import { fc, test } from '@fast-check/vitest';
import { Money } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { MemoryInvoiceIndex, numericKey, rawNumericKey } from './_index.js';
import { type Invoice, referenceKey } from './ports.js';

/** What the index must answer, the slow way: every invoice whose normalised key equals, sorted by id (stable). */
function naive(invoices: readonly Invoice[]) {
  const lookup = (field: (inv: Invoice) => string | undefined) => {
    const by = new Map<string, Invoice[]>();
    invoices.forEach((inv) => {
      const raw = field(inv);
      if (raw === undefined) return;
      const k = referenceKey(raw);
      if (k === '') return;
      const list = by.get(k) ?? [];
      if (!list.includes(inv)) list.push(inv);
      by.set(k, list);
    });
    for (const list of by.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return by;
  };
  const firstWithId = new Map<string, number>();
  const canonical = invoices.map((inv, o) => {
    const f = firstWithId.get(inv.id);
    if (f === undefined) firstWithId.set(inv.id, o);
    return f ?? o;
  });
  return { ocr: lookup((i) => i.ocr), numbers: lookup((i) => i.invoiceNumber), canonical };
}

function expectSameAsNaive(invoices: readonly Invoice[], probes: readonly string[] = []): void {
  const index = new MemoryInvoiceIndex(invoices);
  const want = naive(invoices);
  for (const [k, list] of want.ocr) expect(index.byOcr(k)).toEqual(list);
  for (const [k, list] of want.numbers) expect(index.byInvoiceNumber(k)).toEqual(list);
  for (const raw of probes) {
    const k = referenceKey(raw);
    expect(index.byOcr(k)).toEqual(want.ocr.get(k) ?? []);
    expect(index.byInvoiceNumber(k)).toEqual(want.numbers.get(k) ?? []);
  }
  const repeats = want.canonical.some((c, o) => c !== o);
  if (repeats) expect(Array.from(index.canonical ?? [])).toEqual(want.canonical);
  else expect(index.canonical).toBeUndefined();
}

const keyArb = fc.oneof(
  fc
    .integer({ min: 0, max: 60 })
    .map(String), // few distinct keys: many collisions
  fc.constantFrom('0', '00', '007', ' 0 07', 'AB-12', 'ab12', '', '  ', '1234567890123456', '99999999999999999'),
  fc.stringMatching(/^[0-9]{1,16}$/),
  fc.stringMatching(/^[A-Z0-9 -]{0,6}$/),
);

const invoiceArb = fc.record({
  id: fc.integer({ min: 0, max: 40 }).map((n) => `inv-${n}`),
  invoiceNumber: keyArb,
  ocr: fc.option(keyArb, { nil: undefined }),
});

function build(specs: readonly { id: string; invoiceNumber: string; ocr: string | undefined }[]): Invoice[] {
  const out: Invoice[] = [];
  for (const s of specs) {
    const inv: Invoice = {
      id: s.id,
      invoiceNumber: s.invoiceNumber,
      ...(s.ocr === undefined ? {} : { ocr: s.ocr }),
      customer: 'C',
      company: 'AB',
      openAmount: Money.of('1', 'SEK'),
    };
    out.push(inv);
    if (s.id.endsWith('7')) out.push(inv); // the same object listed twice
  }
  return out;
}

describe('rawNumericKey', () => {
  test.prop([fc.oneof(keyArb, fc.string(), fc.stringMatching(/^0*[0-9]{0,18}$/))])(
    'is numericKey(referenceKey(raw)) for any reference',
    (raw) => {
      expect(rawNumericKey(raw)).toBe(numericKey(referenceKey(raw)));
    },
  );
});

describe('MemoryInvoiceIndex', () => {
  test.prop([fc.array(invoiceArb, { maxLength: 60 }), fc.array(keyArb, { maxLength: 10 })])(
    'answers every lookup as a naive index does, with the same ordinals for repeated ids',
    (specs, probes) => {
      expectSameAsNaive(build(specs), probes);
    },
  );

  it('inserts across build blocks as one by one in invoice order', () => {
    // more invoices than a build block (2^16), keys repeating across blocks, some ids repeated far apart
    const invoices: Invoice[] = [];
    for (let o = 0; o < 140_000; o++) {
      invoices.push({
        // inv-shared: one id, different keys; inv-twin: one id and one invoice number, in different blocks (the
        // list keeps them in invoice order)
        id: o % 50_000 === 7 ? 'inv-shared' : o === 12 || o === 70_013 ? 'inv-twin' : `inv-${o}`,
        invoiceNumber: String(o % 70_001),
        ocr: o % 3 === 0 ? `OCR-${o % 1000}` : String(1_000_000 + (o % 90_000)),
        customer: 'C',
        company: 'AB',
        openAmount: Money.of('1', 'SEK'),
      });
    }
    expectSameAsNaive(invoices, ['5', '70000', '1000001', 'OCR-3', '123456789']);
  });

  it('finds nothing outside its numeric keys without looking (and still finds what is there)', () => {
    const index = new MemoryInvoiceIndex(build([{ id: 'inv-1', invoiceNumber: '1001', ocr: '555' }]));
    expect(index.byInvoiceNumber('1000')).toEqual([]);
    expect(index.byInvoiceNumber('1002')).toEqual([]);
    expect(index.byOcr('554')).toEqual([]);
    expect(index.byOcr('555').map((i) => i.id)).toEqual(['inv-1']);
    expect(index.byInvoiceNumber('1001').map((i) => i.id)).toEqual(['inv-1']);
  });
});

describe('an id listed twice', () => {
  const base = { id: 'inv-7', invoiceNumber: '7001', customer: 'C', company: 'AB', openAmount: Money.of('100', 'SEK') };

  it('is one invoice when both entries agree (the host listed it twice)', () => {
    const index = new MemoryInvoiceIndex([base, { ...base, ocr: '70013' }]);
    expect(Array.from(index.canonical ?? [])).toEqual([0, 0]);
  });

  it.each([
    ['currency', { openAmount: Money.of('100', 'EUR') }],
    ['company', { company: 'CD' }],
    ['customer', { customer: 'C2' }],
    ['open amount', { openAmount: Money.of('99', 'SEK') }],
  ])('is refused with invoice_id_conflict when the entries differ in %s', (what, change) => {
    const other = { ...base, invoiceNumber: '7002', ...change };
    let error: unknown;
    try {
      new MemoryInvoiceIndex([base, { ...base, id: 'inv-8', invoiceNumber: '8001' }, other]);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ issues: [{ code: 'invoice_id_conflict', field: 'id', actual: 'inv-7' }] });
    expect((error as Error).message).toContain(`#1 and #3 share the id "inv-7" but differ in ${what}`);
  });
});
