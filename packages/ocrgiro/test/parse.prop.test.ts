import { fc, test } from '@fast-check/vitest';
import { createKid, luhnCheckDigit, Money, mod11CheckDigit, NordfilError, type Payment } from '@nordfil/core';
import {
  type BuildAssignmentInput,
  type BuildInput,
  type BuildTransactionInput,
  buildOcrGiro,
  type OcrGiroTransaction,
  parseOcrGiro,
  parseOcrGiroAsync,
  readOcrGiro,
  safeParseOcrGiro,
  safeParseOcrGiroAsync,
  toPayments,
  writeOcrGiro,
} from '@nordfil/ocrgiro';
import { parseOcrGiroRecords, writeOcrGiroRecords } from '@nordfil/ocrgiro/records';
import { describe, expect } from 'vitest';
import { chunked, collect, fixture } from './helpers.js';

const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const latin1Text = (max: number) =>
  fc.string({
    unit: fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
      fc.constantFrom(...'æøåÆØÅéü'),
    ),
    maxLength: max,
  });
const account = digits(10)
  .map((d) => ({ d, c: mod11CheckDigit(d, { weights: [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] }) }))
  .filter(({ c }) => c !== '-')
  .map(({ d, c }) => d + String(c));
const isoDay = fc
  .integer({ min: Date.UTC(1970, 0, 1) / 864e5, max: Date.UTC(2069, 11, 31) / 864e5 })
  .map((d) => new Date(d * 864e5).toISOString().slice(0, 10));
const kid = fc.oneof(
  fc.constant(undefined),
  fc
    .string({ unit: fc.constantFrom(...'0123456789'), minLength: 3, maxLength: 24 })
    .chain((base) =>
      fc.constantFrom(base + String(luhnCheckDigit(base)), createKid(base, { algorithm: 'mod11', allowDash: true })),
    ),
);
const ore = (min: bigint) => fc.bigInt({ min, max: 10n ** 15n }).map((m) => Money.fromMinor(m, 'NOK'));

const ocrTx: fc.Arbitrary<BuildTransactionInput> = fc
  .record(
    {
      type: fc.constantFrom('10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '21'),
      kid,
      amount: ore(-(10n ** 15n)),
      date: isoDay,
      centreId: digits(2),
      partialSettlementSerialNumber: digits(5),
      formNumber: digits(10),
      archiveReference: digits(9),
      filler31: fc.oneof(digits(7), fc.constant('0000000')),
      bankDate: fc.option(isoDay, { nil: undefined }),
      debitAccount: fc.oneof(account, fc.constant('00000000000')),
      freeText: latin1Text(40),
      cardIssuer: fc.option(digits(2), { nil: undefined }),
    },
    { requiredKeys: ['type', 'amount', 'date'] },
  )
  .map((t) => (t.type === '20' || t.type === '21' ? t : { ...t, freeText: undefined }));

const avtaleTx: fc.Arbitrary<BuildTransactionInput> = fc
  .record({
    type: fc.constantFrom('02', '21', '93'),
    kid,
    amount: ore(0n),
    date: isoDay,
    payerName: latin1Text(10),
    externalReference: latin1Text(25),
    specification: fc.array(latin1Text(80), { maxLength: 3 }),
  })
  .map((t) => (t.type === '21' ? t : { ...t, specification: [] }));

const sortByDate = (txs: BuildTransactionInput[]) => [...txs].sort((a, b) => (a.date < b.date ? -1 : 1));

const assignment: fc.Arbitrary<BuildAssignmentInput> = fc.oneof(
  fc.record({
    serviceCode: fc.constant('09' as const),
    account,
    agreementId: digits(9),
    transactions: fc.array(ocrTx, { minLength: 1, maxLength: 6 }).map(sortByDate),
  }),
  fc.record({
    serviceCode: fc.constant('21' as const),
    account,
    agreementId: digits(9),
    transactions: fc.array(avtaleTx, { minLength: 1, maxLength: 3 }).map(sortByDate),
  }),
);

const buildInput: fc.Arbitrary<BuildInput> = fc.record({
  transmission: fc.record({
    transmissionNumber: digits(7),
    dataRecipient: digits(8),
    date: isoDay,
  }),
  assignments: fc.array(assignment, { minLength: 1, maxLength: 3 }),
  layout: fc.record({ lineEnding: fc.constantFrom('\r\n' as const, '\n' as const) }),
});

const validFile = buildInput.map((input) => {
  const file = buildOcrGiro(input);
  return { input, file, bytes: writeOcrGiro(file) };
});

const key = (p: Payment) => `${p.source.line}|${p.reference}|${p.amount.toString()}|${p.date}|${p.transactionCode}`;

describe('round trip', () => {
  test.prop([validFile], { numRuns: 150 })(
    'parse(write(file)) equals file, write(parse(bytes)) equals bytes',
    ({ file, bytes }) => {
      const again = parseOcrGiro(bytes);
      expect(again).toEqual(file);
      expect(Buffer.from(writeOcrGiro(again)).equals(Buffer.from(bytes))).toBe(true);
      const { records } = parseOcrGiroRecords(bytes);
      expect(Buffer.from(writeOcrGiroRecords(records)).equals(Buffer.from(bytes))).toBe(true);
    },
  );

  test.prop([validFile], { numRuns: 100 })('the built objects hold what was asked for', ({ input, file }) => {
    expect(file.assignments).toHaveLength(input.assignments.length);
    input.assignments.forEach((a, i) => {
      const got = file.assignments[i]!;
      expect(got.account).toBe(a.account);
      a.transactions.forEach((t, k) => {
        const tx = got.transactions[k]!;
        expect(tx.number).toBe(k + 1);
        if (tx.kind === 'agreement') throw new Error('no agreements built');
        expect(tx.amount.equals(typeof t.amount === 'string' ? Money.of(t.amount, 'NOK') : t.amount)).toBe(true);
        expect(tx.kid).toBe(t.kid);
        if (tx.kind === 'ocr-giro') {
          expect(tx.netsDate).toBe(t.date);
          if (t.type === '20' || t.type === '21') expect(tx.freeText).toBe((t.freeText ?? '').trimEnd());
        }
      });
    });
    const sum = file.assignments
      .flatMap((a) => a.transactions)
      .reduce((s, t) => s + (t.kind === 'agreement' ? 0n : t.amount.abs().toMinor()), 0n);
    expect(file.end?.total.toMinor()).toBe(sum);
  });
});

// random damage: byte flips, deletions, insertions, truncations
const edit = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 100 }) }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 90 }),
  }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

function applyEdits(bytes: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let b = Buffer.from(bytes);
  for (const e of edits) {
    const at = b.length === 0 ? 0 : e.at % (b.length + 1);
    if (e.op === 'flip' && at < b.length) {
      b = Buffer.from(b);
      b[at] = e.byte;
    } else if (e.op === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.n)]);
    else if (e.op === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(e.bytes), b.subarray(at)]);
    else if (e.op === 'truncate') b = b.subarray(0, at);
  }
  return b;
}

const damaged = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc.tuple(validFile, fc.array(edit, { minLength: 1, maxLength: 4 })).map(([f, edits]) => applyEdits(f.bytes, edits)),
  fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => applyEdits(fixture('valid.txt'), edits)),
);

function onlyNordfilErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    if (!NordfilError.is(e)) throw e;
  }
}

describe('damaged input', () => {
  test.prop([damaged], { numRuns: 300 })('gives issues or a NordfilError, never another exception', (bytes) => {
    onlyNordfilErrors(() => parseOcrGiro(bytes));
    onlyNordfilErrors(() => parseOcrGiroRecords(bytes));
    const lenient = parseOcrGiro(bytes, { mode: 'lenient' });
    toPayments(lenient);
    const parsed = parseOcrGiroRecords(bytes, { mode: 'lenient' });
    // the records layer is lossless for anything read as latin-1 (every byte is a character)
    if (parsed.encoding === 'latin1') {
      expect(Buffer.from(writeOcrGiroRecords(parsed.records)).equals(Buffer.from(bytes))).toBe(true);
    }
    onlyNordfilErrors(() => writeOcrGiro(lenient));
  });

  test.prop([damaged], { numRuns: 100 })(
    'streaming never throws in lenient mode, only NordfilError in strict',
    async (bytes) => {
      await collect(readOcrGiro(bytes, { mode: 'lenient' }));
      await collect(readOcrGiro(bytes, { mode: 'lenient', yield: 'payments' }));
      try {
        await collect(readOcrGiro(bytes));
      } catch (e) {
        if (!NordfilError.is(e)) throw e;
      }
    },
  );
});

async function streamResult(
  input: Uint8Array | Uint8Array[],
  mode: 'strict' | 'lenient',
  yieldKind: 'assignments' | 'payments',
) {
  const items: unknown[] = [];
  let error: readonly unknown[] | undefined;
  const reader =
    yieldKind === 'payments'
      ? readOcrGiro(input, { mode, yield: 'payments' })
      : readOcrGiro(input, { mode, yield: 'assignments' });
  try {
    for await (const x of reader) items.push(x);
  } catch (e) {
    if (!NordfilError.is(e)) throw e;
    error = e.issues;
  }
  return { items, error, issues: [...reader.issues], end: reader.end };
}

/** Valid or damaged files, chunk boundaries, modes: what the chunking properties run over. */
const anyBytes = fc.oneof(
  validFile.map((f) => f.bytes),
  damaged,
);
const cuts = fc.array(fc.nat({ max: 4000 }), { maxLength: 12 });
const modes = fc.constantFrom('strict' as const, 'lenient' as const);

describe('streaming', () => {
  test.prop([anyBytes, cuts, modes, fc.constantFrom('assignments' as const, 'payments' as const)], { numRuns: 150 })(
    'every chunking of the same bytes gives the same result',
    async (bytes, cuts, mode, kind) => {
      const whole = await streamResult(bytes, mode, kind);
      const parts = await streamResult(chunked(bytes, cuts), mode, kind);
      expect(parts).toEqual(whole);
    },
  );

  test.prop([validFile], { numRuns: 50 })(
    'streamed assignments and payments equal the whole-file parse',
    async ({ bytes }) => {
      const file = parseOcrGiro(bytes);
      expect(await collect(readOcrGiro(chunked(bytes, [100, 1000])))).toEqual(file.assignments);
      expect(await collect(readOcrGiro(bytes, { yield: 'payments' }))).toEqual(toPayments(file));
    },
  );
});

describe('lenient mode', () => {
  test.prop([validFile, fc.nat(), fc.nat({ max: 79 }), fc.integer({ min: 0x20, max: 0x7e })], { numRuns: 300 })(
    'corrupting one record drops at most the transaction it belongs to',
    ({ file, bytes }, lineSeed, col, ch) => {
      const text = Buffer.from(bytes).toString('latin1');
      const eol = file.layout.lineEnding;
      const lines = text.split(eol);
      lines.pop(); // after the final terminator
      const n = lineSeed % lines.length;
      const line = lines[n]!;
      lines[n] = line.slice(0, col) + String.fromCharCode(ch) + line.slice(col + 1);
      const damagedBytes = Buffer.from(lines.join(eol) + eol, 'latin1');
      const damagedLine = n + 1;
      const before = toPayments(file);
      const after = new Set(toPayments(parseOcrGiro(damagedBytes, { mode: 'lenient' })).map(key));
      const owners = new Map<number, number>(); // line -> line of the transaction's item 1
      for (const a of file.assignments) {
        for (const t of a.transactions) {
          const size = t.kind === 'ocr-giro' ? ((t as OcrGiroTransaction).freeText === undefined ? 2 : 3) : 2;
          for (let k = 0; k < size; k++) owners.set(t.line + k, t.line);
        }
      }
      for (const p of before) {
        if (owners.get(damagedLine) === p.source.line) continue;
        expect(after.has(key(p)), `payment at line ${p.source.line} after damage at line ${damagedLine}`).toBe(true);
      }
    },
  );
});

describe('lenient mode keeps payments whose amount, KID and date are readable', () => {
  // columns a payment can do without: 30 22-31 (centre, day code, partial settlement) and 75-80 (card issuer,
  // filler); 31 16-80 (form number, archive reference, filler, bank date, debit account, filler); and
  // anything past column 80 of either
  const spots = fc.oneof(
    fc.record({ item: fc.constant(0), col: fc.integer({ min: 22, max: 31 }) }),
    fc.record({ item: fc.constant(0), col: fc.integer({ min: 75, max: 80 }) }),
    fc.record({ item: fc.constant(1), col: fc.integer({ min: 16, max: 80 }) }),
    fc.record({ item: fc.integer({ min: 0, max: 1 }), col: fc.integer({ min: 81, max: 83 }) }),
  );
  const junk = fc.constantFrom(...' ;-.,ABCxyz0123456789æ#'.split(''));
  test.prop([validFile, fc.nat(), fc.array(fc.tuple(spots, junk), { minLength: 1, maxLength: 8 })], { numRuns: 200 })(
    'random damage to the optional fields of one transaction keeps the number of payments and their total',
    ({ file, bytes }, seed, damage) => {
      const txs = file.assignments.flatMap((a) => a.transactions.filter((t) => t.kind === 'ocr-giro'));
      fc.pre(txs.length > 0);
      const tx = txs[seed % txs.length]!;
      const eol = file.layout.lineEnding;
      const lines = Buffer.from(bytes).toString('latin1').split(eol);
      for (const [{ item, col }, ch] of damage) {
        const n = tx.line - 1 + item;
        const line = lines[n]!.padEnd(col - 1, ' ');
        lines[n] = line.slice(0, col - 1) + ch + line.slice(col);
      }
      const damaged = Buffer.from(lines.join(eol), 'latin1');
      const total = (ps: readonly Payment[]) => ps.reduce((t, p) => t + p.amount.toMinor(), 0n);
      const keyOf = (p: Payment) => `${p.reference}|${p.amount.toString()}|${p.date}|${p.transactionCode}`;
      const before = toPayments(file);
      const after = toPayments(parseOcrGiro(damaged, { mode: 'lenient' }));
      expect(after.length).toBe(before.length);
      expect(total(after)).toBe(total(before));
      expect(after.map(keyOf)).toEqual(before.map(keyOf));
    },
  );
});

describe('encoding: decided at the first non-ASCII byte, wherever it is', () => {
  // 700 type-21 transactions with ASCII free text (about 172 KB): one of them gets a non-ASCII letter
  const base = buildOcrGiro({
    transmission: { transmissionNumber: '0000001', dataRecipient: '00012345', date: '2025-03-15' },
    assignments: [
      {
        account: '12345678903',
        agreementId: '123456789',
        transactions: Array.from({ length: 700 }, (_, k) => ({
          type: '21',
          kid: '12345674',
          amount: Money.fromMinor(BigInt(100 + k), 'NOK'),
          date: '2025-03-15',
          freeText: `Kjop nr ${k}`,
        })),
      },
    ],
  });
  const text = Buffer.from(writeOcrGiro(base)).toString('latin1');
  test.prop(
    [
      fc.integer({ min: 0, max: 699 }),
      fc.constantFrom('latin1' as const, 'utf8' as const),
      fc.constantFrom(...'øÆåé'),
      fc.array(fc.nat({ max: 180_000 }), { maxLength: 8 }),
    ],
    { numRuns: 25, examples: [[699, 'utf8', 'ø', [65_536, 65_537]]] },
  )(
    'whole and streamed agree for a file entirely UTF-8 or entirely latin-1, any chunking',
    async (k, enc, ch, cuts) => {
      const edited = text.replace(`Kjop nr ${k} `, `Kj${ch}p nr ${k} `);
      const bytes = Buffer.from(edited, enc);
      const whole = parseOcrGiro(bytes, { mode: 'lenient' });
      expect(whole.layout.encoding).toBe(enc === 'utf8' ? 'utf-8' : 'latin1');
      const payments = toPayments(whole);
      expect(payments).toHaveLength(700);
      expect(payments[k]!.messages).toEqual([`Kj${ch}p nr ${k}`]);
      expect(whole.issues.map((i) => i.code)).toEqual(enc === 'utf8' ? ['encoding'] : []);
      const reader = readOcrGiro(chunked(bytes, cuts), { yield: 'payments', mode: 'lenient' });
      expect(await collect(reader)).toEqual(payments);
      expect(reader.issues).toEqual(whole.issues);
    },
  );
});

describe('a whole file from a stream', () => {
  async function outcome(run: () => Promise<unknown> | unknown): Promise<unknown> {
    try {
      return { file: await run() };
    } catch (e) {
      if (!NordfilError.is(e)) throw e;
      return { issues: e.issues };
    }
  }

  test.prop([anyBytes, cuts, modes], { numRuns: 150 })(
    'parseOcrGiroAsync over any chunking equals parseOcrGiro',
    async (bytes, cuts, mode) => {
      const fromBytes = await outcome(() => parseOcrGiro(bytes, { mode }));
      const fromStream = await outcome(() => parseOcrGiroAsync(chunked(bytes, cuts), { mode }));
      expect(fromStream).toEqual(fromBytes);
      expect(await safeParseOcrGiroAsync(chunked(bytes, cuts))).toEqual(safeParseOcrGiro(bytes));
    },
  );
});
