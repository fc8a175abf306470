import { fc, test } from '@fast-check/vitest';
import { addDays, decode, type IsoDate, Money } from '@nordfil/core';
import { describe, expect } from 'vitest';
import { type CollectionClaim, type Correction, nordfilCollectionFormat as fmt } from './format.js';
import { amountSum, CASE_LINE, CLAIM_LINE, CORRECTION_LINE, readTrailer } from './records.js';

const chars = fc.constantFrom(...'abcxyzABCÆØÅæøåéü 0123456789-.,/&\'"'.split(''));
const text = fc.string({ unit: chars, maxLength: 20 });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const date = fc.integer({ min: 0, max: 20000 }).map((n) => addDays('2000-01-01' as IsoDate, n));
const minor = fc.bigInt({ min: -10_000_000_00n, max: 10_000_000_00n });
const nok = minor.map((m) => Money.fromMinor(m, 'NOK'));
const digits = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: n, maxLength: n });
const clean = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const claimArb: fc.Arbitrary<CollectionClaim> = fc
  .record({
    caseRef: fc.string({ unit: fc.constantFrom(...'0123456789ABC'.split('')), minLength: 1, maxLength: 10 }),
    debtor: fc.record({
      number: text,
      type: fc.constantFrom('P', 'F', 'O') as fc.Arbitrary<'P' | 'F' | 'O'>,
      nationalId: opt(digits(11)),
      birthDate: opt(date),
      name: text,
      name2: opt(text.filter((s) => s !== '')),
      address1: opt(text.filter((s) => s !== '')),
      address2: opt(text.filter((s) => s !== '')),
      postalCode: opt(digits(4)),
      city: opt(text.filter((s) => s !== '')),
      country: fc.constantFrom('NO', 'SE', 'DK'),
      email: opt(fc.constant('a@b.no')),
      phone: opt(digits(8)),
    }),
    invoice: fc.record({
      number: text,
      kid: opt(digits(7)),
      invoiceDate: date,
      dueDate: date,
      originalPrincipal: nok,
      outstandingPrincipal: nok,
    }),
    reminders: fc.record({
      feesCharged: nok,
      feeNoticeCount: fc.nat(5),
      lastNoticeDate: opt(date),
      lastNoticeType: opt(fc.constantFrom('PUR', 'VAR') as fc.Arbitrary<'PUR' | 'VAR'>),
    }),
    interest: fc.record({
      from: date,
      basis: fc.constantFrom('LOV', 'AVT') as fc.Arbitrary<'LOV' | 'AVT'>,
      contractRatePercent: opt(fc.constantFrom('8.50', '12')),
    }),
    disputed: fc.boolean(),
    text: opt(text.filter((s) => s !== '')),
    settlementAccount: opt(digits(11)),
    lines: fc.array(
      fc.record({
        type: fc.constantFrom('INV', 'CRN', 'PAY') as fc.Arbitrary<'INV' | 'CRN' | 'PAY'>,
        date,
        amount: nok,
        text: opt(text.filter((s) => s !== '')),
      }),
      { maxLength: 3 },
    ),
  })
  .map(
    (c) =>
      ({
        ...clean(c),
        debtor: clean(c.debtor),
        invoice: clean(c.invoice),
        reminders: clean(c.reminders),
        interest: clean(c.interest),
        lines: c.lines.map(clean),
      }) as unknown as CollectionClaim,
  );

const casesArb = fc.uniqueArray(claimArb, { selector: (c) => c.caseRef, maxLength: 8 });
const header = { customerNo: '12345', createdAt: '2026-11-23T06:00:00', sequence: 7 };

describe('properties of the format', () => {
  test.prop([
    casesArb,
    fc.constantFrom<'latin1' | 'utf-8'>('latin1', 'utf-8'),
    fc.constantFrom<'\r\n' | '\n'>('\r\n', '\n'),
  ])('encode → decode gives the same cases, for any case list', (cases, encoding, lineEnding) => {
    const back = fmt.decodeCases(fmt.encodeCases({ header, cases }, { encoding, lineEnding }));
    expect(JSON.stringify(back.cases)).toBe(JSON.stringify(cases));
    expect(back.header).toEqual(header);
  });

  test.prop([casesArb])("a case file's trailer always matches its lines", (cases) => {
    const lines = decode(fmt.encodeCases({ header, cases }), 'latin1').split('\r\n').slice(0, -1);
    const trailer = readTrailer(lines.at(-1)!).record!;
    expect(trailer.total).toBe(lines.length);
    const body = lines.slice(1, -1);
    for (const codec of [CASE_LINE, CLAIM_LINE]) {
      const mine = body.filter((l) => l.startsWith(`${codec.type};`)).map((l) => codec.read(l).record!);
      const t = trailer.totals.find((x) => x.type === codec.type)!;
      expect(t.count).toBe(mine.length);
      expect(t.sum).toBe(mine.reduce((s, r) => s + amountSum(codec as never, r as never), 0n));
    }
    expect(body.filter((l) => l.startsWith('C;')).length).toBe(cases.length);
  });

  test.prop([
    fc.array(
      fc.record({
        id: fc.string({ unit: fc.constantFrom(...'ab#0123'.split('')), minLength: 1, maxLength: 8 }),
        caseRef: fc.string({ unit: fc.constantFrom(...'0123456789'.split('')), minLength: 1, maxLength: 6 }),
        kind: fc.constantFrom('PAY', 'CRN', 'WOF', 'CAN', 'ADJ') as fc.Arbitrary<Correction['kind']>,
        amount: nok,
        valueDate: date,
        source: fc.constantFrom('OCR', 'MAN') as fc.Arbitrary<'OCR' | 'MAN'>,
      }),
      { maxLength: 10 },
    ),
  ])('RD: encode → decode gives the same corrections and the trailer sums the amounts', (corrections) => {
    const bytes = fmt.encodeCorrections({ header, corrections });
    expect(JSON.stringify(fmt.decodeCorrections(bytes).corrections)).toBe(JSON.stringify(corrections));
    const lines = decode(bytes, 'latin1').split('\r\n');
    const sum = corrections.reduce((s, c) => s + c.amount.toMinor(), 0n);
    expect(lines.at(-2)).toBe(`T;${corrections.length + 2};D;${corrections.length};${sum}`);
    expect(CORRECTION_LINE.type).toBe('D');
  });
});
