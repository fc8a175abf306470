import { fc, test } from '@fast-check/vitest';
import { type IsoDate, Money, NordfilError, type Payment } from '@nordfil/core';
import {
  parseTotalIn,
  parseTotalInAsync,
  readTotalIn,
  safeParseTotalIn,
  safeParseTotalInAsync,
  type TotalInAccountSection,
  type TotalInFile,
  type TotalInItem,
  type TotalInParty,
  toPayments,
  type WriteTotalInOptions,
  writeTotalIn,
} from '@nordfil/totalin';
import { parseTotalInRecords, writeTotalInRecords } from '@nordfil/totalin/records';
import { describe, expect, it } from 'vitest';

// ---------------------------------------------------------------------------------------------
// generators of valid files (objects, written with the package's own writer)

const CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ0123456789 -.,:/'];
const text = (max: number) => fc.string({ unit: fc.constantFrom(...CHARS), maxLength: max });
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const date = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2089-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10) as IsoDate);

const party: fc.Arbitrary<TotalInParty> = fc.record({
  name: maybe(text(35)),
  extraName: maybe(text(35)),
  street: maybe(text(35)),
  street2: maybe(text(35)),
  postalCode: maybe(text(9)),
  town: maybe(text(35)),
  countryCode: maybe(fc.constantFrom('SE', 'NO', 'DK', 'FI')),
  lines: fc.constant({}),
});

function itemArb(currency: string): fc.Arbitrary<TotalInItem> {
  return fc
    .record({
      kind: fc.constantFrom<'payment' | 'deduction'>('payment', 'payment', 'payment', 'deduction'),
      reference: maybe(text(35)),
      minor: fc.bigInt({ min: 0n, max: 10n ** 12n }),
      serialNumber: maybe(digits(1, 17)),
      bankgiro: maybe(digits(7, 8)),
      deductionCode: maybe(fc.constantFrom('0', '1', '2')),
      extraReferences: fc.array(fc.record({ reference: maybe(text(35)), secondReference: maybe(text(35)) }), {
        maxLength: 2,
      }),
      messages: fc.array(fc.record({ message: text(35), secondMessage: text(35) }), { maxLength: 3 }),
      sender: maybe(party),
      payerAccount: maybe(
        fc.record({
          account: maybe(digits(1, 36)),
          accountType: maybe(fc.constantFrom('1', '2')),
          organisationNumber: maybe(digits(10, 12)),
        }),
      ),
      payer: maybe(party),
      foreign: maybe(
        fc.record({
          original: fc.bigInt({ min: 0n, max: 10n ** 10n }),
          rate: fc.bigInt({ min: 1n, max: 10n ** 8n }),
          cost: maybe(fc.bigInt({ min: 0n, max: 100000n })),
          costCurrency: fc.constantFrom('', 'SEK'),
          originalCurrency: fc.constantFrom('EUR', 'USD', 'NOK'),
        }),
      ),
    })
    .map((g) => {
      // a foreign payment's amount is its original amount times the rate, to the öre
      const minor = g.foreign === undefined ? g.minor : (g.foreign.original * g.foreign.rate + 5000n) / 10000n;
      const item: TotalInItem = {
        kind: g.kind,
        reference: g.reference,
        amount: Money.fromMinor(minor, currency),
        serialNumber: g.serialNumber,
        bankgiro: g.bankgiro,
        deductionCode: g.kind === 'deduction' ? g.deductionCode : undefined,
        extraReferences: g.extraReferences,
        messages: g.messages,
        sender: g.sender,
        payerAccount: g.payerAccount,
        payer: g.payer,
        foreign:
          g.foreign === undefined || g.kind === 'deduction'
            ? undefined
            : {
                bankCost: g.foreign.cost === undefined ? undefined : Money.fromMinor(g.foreign.cost, 'SEK'),
                costCurrency: g.foreign.costCurrency,
                originalAmount: Money.fromMinor(g.foreign.original, g.foreign.originalCurrency),
                originalCurrency: g.foreign.originalCurrency,
                exchangeRate: `${g.foreign.rate / 10000n}.${(g.foreign.rate % 10000n).toString().padStart(4, '0')}`,
              },
      };
      return item;
    });
}

const sectionArb: fc.Arbitrary<TotalInAccountSection> = fc
  .record({
    account: fc.oneof(digits(2, 8), text(36)),
    currency: fc.constantFrom('SEK', 'EUR'),
    bookingDate: date,
    statementReference: digits(11, 11),
  })
  .chain((s) =>
    fc.array(itemArb(s.currency), { maxLength: 5 }).map((items) => {
      // a section total is never negative (the 90 amount is unsigned)
      let sum = 0n;
      for (const i of items) sum += (i.kind === 'payment' ? 1n : -1n) * i.amount.toMinor();
      if (sum < 0n) for (const i of items) i.kind = 'payment';
      return {
        account: s.account,
        currency: s.currency,
        bookingDate: s.bookingDate,
        items,
        closing: { count: 0, total: Money.zero(s.currency), statementReference: s.statementReference },
      };
    }),
  );

const fileArb: fc.Arbitrary<TotalInFile> = fc
  .record({
    id: text(12),
    when: fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-01-01T00:00:00Z'),
      noInvalidDate: true,
    }),
    micros: digits(6, 6),
    deliveryNumber: digits(2, 2),
    test: fc.boolean(),
    accounts: fc.array(sectionArb, { maxLength: 3 }),
  })
  .map((g) => {
    const ts = `${g.when.toISOString().replace(/[-:T]/g, '').slice(0, 14)}${g.micros}`;
    return {
      header: {
        id: g.id,
        timestamp: ts,
        isoTimestamp: undefined,
        deliveryNumber: g.deliveryNumber,
        fileType: 'TL1',
        fileName: g.test ? 'TOTALIN-T' : 'TOTALIN',
        test: g.test,
      },
      accounts: g.accounts,
      trailer: undefined,
    };
  });

const optionsArb: fc.Arbitrary<WriteTotalInOptions> = fc.record({
  lineEnding: fc.constantFrom<'\r\n' | '\n' | ''>('\r\n', '\r\n', '\n', ''),
  finalTerminator: fc.boolean(),
  encoding: fc.constantFrom<'latin1' | 'utf-8'>('latin1', 'latin1', 'utf-8'),
});

const validBytes = fc.tuple(fileArb, optionsArb).map(([f, o]) => writeTotalIn(f, o));

/** Only NordfilError may escape; anything else is a bug. */
function onlyNordfilErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!NordfilError.is(e)) throw e;
  }
}

async function stream(chunks: Iterable<Uint8Array>, mode: 'strict' | 'lenient') {
  const reader = readTotalIn(chunks, { mode });
  const sections: unknown[] = [];
  let error: string[] | undefined;
  try {
    for await (const s of reader) sections.push(s);
  } catch (e) {
    if (!NordfilError.is(e)) throw e;
    error = e.issues.map((i) => `${i.code}@${i.line}`);
  }
  return { sections, error, issues: reader.issues.map((i) => `${i.code}@${i.line}:${i.column}`) };
}

function cut(bytes: Uint8Array, points: number[]): Uint8Array[] {
  const at = [...new Set(points.map((p) => p % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of at) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

// ---------------------------------------------------------------------------------------------

const seen = { items: 0, foreign: 0, deductions: 0, stream: 0 };

describe('round trip of generated valid files', () => {
  test.prop([validBytes], { numRuns: 150 })(
    'parse(write(file)) deep-equals file and write(parse(bytes)) === bytes',
    (bytes) => {
      const file = parseTotalIn(bytes);
      for (const s of file.accounts) {
        for (const i of s.items) {
          seen.items++;
          if (i.foreign !== undefined) seen.foreign++;
          if (i.kind === 'deduction') seen.deductions++;
        }
      }
      if (file.physical?.lineEnding === '') seen.stream++;
      expect(Buffer.from(writeTotalIn(file)).equals(Buffer.from(bytes))).toBe(true);
      expect(parseTotalIn(writeTotalIn(file))).toEqual(file);
      const records = parseTotalInRecords(bytes);
      expect(Buffer.from(writeTotalInRecords(records.records, records.layout)).equals(Buffer.from(bytes))).toBe(true);
    },
  );

  it('the generator makes non-trivial files', () => {
    expect(seen.items).toBeGreaterThan(300);
    expect(seen.foreign).toBeGreaterThan(10);
    expect(seen.deductions).toBeGreaterThan(10);
    expect(seen.stream).toBeGreaterThan(5);
  });

  test.prop([fileArb], { numRuns: 50 })('control records written are the ones the parser checks', (f) => {
    const file = parseTotalIn(writeTotalIn(f));
    expect(file.accounts.map((s) => s.items.length)).toEqual(f.accounts.map((s) => s.items.length));
    expect(toPayments(file)).toHaveLength(f.accounts.reduce((n, s) => n + s.items.length, 0));
  });
});

describe('robustness', () => {
  test.prop([fc.uint8Array({ maxLength: 400 }), fc.constantFrom<'strict' | 'lenient'>('strict', 'lenient')], {
    numRuns: 200,
  })('random bytes give issues, never another exception', (bytes, mode) => {
    onlyNordfilErrors(() => parseTotalIn(bytes, { mode }));
    onlyNordfilErrors(() => parseTotalInRecords(bytes));
  });

  const edit = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 90 }) }),
    fc.record({
      kind: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 90 }),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );

  test.prop(
    [
      validBytes,
      fc.array(edit, { minLength: 1, maxLength: 4 }),
      fc.constantFrom<'strict' | 'lenient'>('strict', 'lenient'),
    ],
    {
      numRuns: 200,
    },
  )('random edits of a valid file give issues, never another exception', async (bytes, edits, mode) => {
    let b = Buffer.from(bytes);
    for (const e of edits) {
      const at = e.at % (b.length + 1);
      if (e.kind === 'flip' && b.length > 0) b[at % b.length] = e.value;
      else if (e.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.length)]);
      else if (e.kind === 'insert') b = Buffer.concat([b.subarray(0, at), e.bytes, b.subarray(at)]);
      else if (e.kind === 'truncate') b = b.subarray(0, at);
    }
    onlyNordfilErrors(() => parseTotalIn(b, { mode }));
    const r = mode === 'lenient' ? parseTotalIn(b, { mode }) : undefined;
    if (r !== undefined) onlyNordfilErrors(() => writeTotalIn(r.file));
    await stream([b], mode);
  });
});

describe('streaming', () => {
  test.prop([validBytes, fc.array(fc.nat(), { maxLength: 8 })], { numRuns: 100 })(
    'every chunking of a valid file gives the whole-file result',
    async (bytes, points) => {
      const whole = parseTotalIn(bytes);
      const r = await stream(cut(bytes, points), 'strict');
      expect(r.error).toBeUndefined();
      expect(r.sections).toEqual(whole.accounts);
    },
  );

  test.prop(
    [
      validBytes,
      fc.array(fc.nat(), { maxLength: 8 }),
      fc.nat(),
      fc.integer({ min: 0, max: 255 }),
      fc.constantFrom<'strict' | 'lenient'>('strict', 'lenient'),
    ],
    { numRuns: 100 },
  )('every chunking of an edited file gives the same result', async (bytes, points, at, value, mode) => {
    const b = Buffer.from(bytes);
    if (b.length > 0) b[at % b.length] = value;
    const one = await stream([b], mode);
    const many = await stream(cut(b, points), mode);
    expect(many).toEqual(one);
  });
});

describe('a whole file from a stream', () => {
  test.prop(
    [validBytes, fc.array(fc.nat(), { maxLength: 8 }), fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()],
    { numRuns: 100 },
  )('parseTotalInAsync over any chunking equals parseTotalIn', async (bytes, points, at, value, edit) => {
    const b = Buffer.from(bytes);
    if (edit && b.length > 0) b[at % b.length] = value;
    const whole = parseTotalIn(b, { mode: 'lenient' });
    const streamed = await parseTotalInAsync(cut(b, points), { mode: 'lenient' });
    if (streamed.file.physical?.encoding !== whole.file.physical?.encoding) {
      // the documented difference: valid UTF-8 first, then bytes that are not (a file mixing encodings)
      expect([streamed.file.physical?.encoding, whole.file.physical?.encoding]).toEqual(['utf-8', 'latin1']);
      return;
    }
    expect(streamed).toEqual(whole);
    expect(await safeParseTotalInAsync(cut(b, points))).toEqual(safeParseTotalIn(b));
  });
});

describe('lenient mode never drops a valid payment', () => {
  test.prop([fileArb, fc.nat(), fc.string({ maxLength: 80 })], { numRuns: 150 })(
    'corrupting one other record keeps every payment and deduction',
    (f, pick, garbage) => {
      const lines = Buffer.from(writeTotalIn(f, { lineEnding: '\r\n' }))
        .toString('latin1')
        .split('\r\n');
      lines.pop();
      const itemLines = lines.flatMap((l, i) => (l.startsWith('20') || l.startsWith('25') ? [i + 1] : []));
      const others = lines.flatMap((l, i) => (l.startsWith('20') || l.startsWith('25') ? [] : [i]));
      const victim = others[pick % others.length]!;
      lines[victim] = garbage.replace(/[\r\n]/g, ' ');
      const { file } = parseTotalIn(Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1'), { mode: 'lenient' });
      const found = new Set(toPayments(file).map((p) => p.source.line));
      for (const l of itemLines) expect(found.has(l)).toBe(true);
    },
  );
});

describe('decoding does not depend on where the first letter is, nor on the chunking', () => {
  // audit item 5: a streaming parse decides the encoding at the first non-ASCII byte, a whole parse
  // from all the bytes; for a file wholly latin-1 or wholly UTF-8 they must agree, wherever that byte is
  // (past the first 64 KiB too) and however the bytes are cut
  const head = '00TI12345678  2026112006150265432103TL1TOTALIN';
  const payment = (i: number) => `20${String(i + 1).padEnd(35)}000000000001000${String(i).padStart(17, '0')}`;
  const letters = fc
    .tuple(fc.string({ unit: fc.constantFrom(...'ÅÄÖåäöÉéÜü ABC'), maxLength: 30 }), fc.constantFrom(...'ÅÄÖåäöÉéÜü'))
    .map(([s, letter]) => `${letter}${s}`.slice(0, 35));
  test.prop(
    [
      // files up to 82 KB, often past 64 KiB, with the first letter often near the end
      fc.oneof(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 820, max: 1000 })),
      fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0.85, max: 1, noNaN: true })),
      fc.array(letters, { minLength: 1, maxLength: 3 }),
      fc.constantFrom<'latin1' | 'utf8'>('latin1', 'utf8'),
      fc.array(fc.oneof(fc.integer({ min: 1, max: 70_000 }), fc.integer({ min: 1, max: 4000 })), {
        minLength: 1,
        maxLength: 6,
      }),
    ],
    { numRuns: 30 },
  )('whole, streaming and async parses agree', async (n, where, names, encoding, sizes) => {
    const at = Math.min(n - 1, Math.floor(where * n));
    const lines = [head, `10${'4411112'.padEnd(36)}SEK20261119`];
    for (let i = 0; i < n; i++) {
      lines.push(payment(i));
      if (i === at) for (const name of names) lines.push(`50${name}`);
    }
    lines.push(`90${String(n).padStart(8, '0')}${String(n * 1000).padStart(17, '0')}`);
    lines.push(`99${String(lines.length + 1).padStart(15, '0')}`);
    const bytes = Buffer.from(`${lines.map((l) => l.padEnd(80)).join('\r\n')}\r\n`, encoding);
    // cut into the given sizes, repeated
    const parts: Uint8Array[] = [];
    for (let off = 0, k = 0; off < bytes.length; k++) {
      const size = sizes[k % sizes.length]!;
      parts.push(bytes.subarray(off, off + size));
      off += size;
    }
    const whole = parseTotalIn(bytes, { mode: 'lenient' });
    expect(whole.file.physical?.encoding).toBe(encoding === 'utf8' ? 'utf-8' : 'latin1');
    expect(whole.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(whole.file.accounts[0]!.items[at]!.sender?.name).toBe(names[0]!.trim());
    const reader = readTotalIn(parts, { mode: 'lenient', yield: 'payments' });
    const streamed: Payment[] = [];
    for await (const p of reader) streamed.push(p);
    expect(streamed).toEqual(toPayments(whole.file));
    expect(reader.issues).toEqual(whole.issues);
    expect(reader.layout).toEqual((({ rawLines: _r, ...l }) => l)(whole.file.physical!));
    expect(await parseTotalInAsync(parts, { mode: 'lenient' })).toEqual(whole);
  });
});

describe('mixed line separators', () => {
  // audit item 1: the reference asks a robust reader to split on CRLF, LF and CR alike (§1.1, §2.2)
  const essence = (ps: readonly Payment[]) => ps.map((p) => [p.kind, p.amount.toString(), p.reference, p.date]);
  test.prop(
    [
      fileArb,
      fc.array(fc.constantFrom('\r\n', '\n', '\r', '\r\r\n'), { minLength: 1, maxLength: 40 }),
      fc.constantFrom('', '\n', '\r\n\r\n'),
      fc.array(fc.nat(), { maxLength: 6 }),
    ],
    { numRuns: 60 },
  )('are a warning: strict parsing reads the same payments, whole and streamed', async (f, seps, tail, points) => {
    const canonical = Buffer.from(writeTotalIn(f));
    const lines = canonical.toString('latin1').split('\r\n').slice(0, -1);
    const mixed = Buffer.from(lines.map((l, i) => l + seps[i % seps.length]!).join('') + tail, 'latin1');
    const expected = essence(toPayments(parseTotalIn(canonical)));
    const { file, issues } = parseTotalIn(mixed, { mode: 'lenient' });
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(essence(toPayments(file))).toEqual(expected);
    const streamed: Payment[] = [];
    for await (const p of readTotalIn(cut(mixed, points), { yield: 'payments' })) streamed.push(p);
    expect(essence(streamed)).toEqual(expected);
  });
});
