import { fc, test } from '@fast-check/vitest';
import {
  type BgmaxFile,
  type BgmaxItem,
  type BgmaxSection,
  parseBgmax,
  parseBgmaxAsync,
  readBgmax,
  safeParseBgmax,
  safeParseBgmaxAsync,
  toPayments,
  type WriteBgmaxOptions,
  writeBgmax,
} from '@nordfil/bgmax';
import { type IsoDate, type Issue, Money, NordfilError } from '@nordfil/core';
import { describe, expect } from 'vitest';
import { fixture } from '../test/support.js';

// ---------------------------------------------------------------------------------------------
// generators of valid files

const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
const CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -.,/&ÅÄÖåäö';
/** Text as it reads back from a left-aligned field: printable, no trailing blank. */
const text = (max: number) =>
  fc.array(fc.constantFrom(...CHARS), { maxLength: max }).map((a) => a.join('').replace(/ +$/, ''));
const nonEmpty = (max: number) => text(max).filter((s) => s.trim() !== '');
const date = fc
  .record({
    y: fc.integer({ min: 2017, max: 2030 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}` as IsoDate);
const timestamp = fc
  .tuple(
    date,
    fc.integer({ min: 0, max: 23 }),
    fc.integer({ min: 0, max: 59 }),
    fc.integer({ min: 0, max: 59 }),
    digits(6),
  )
  .map(
    ([d, h, mi, s, us]) =>
      `${d.replaceAll('-', '')}${String(h).padStart(2, '0')}${String(mi).padStart(2, '0')}${String(s).padStart(2, '0')}${us}`,
  );

const reference = fc.oneof(
  fc.constant({ referenceCode: '0', reference: '' }),
  fc.constant({ referenceCode: '1', reference: '' }),
  fc.stringMatching(/^[1-9]\d{1,24}$/).map((r) => ({ referenceCode: '2', reference: r })),
  fc.constantFrom('3', '4', '5').chain((code) => text(25).map((r) => ({ referenceCode: code, reference: r }))),
);

const extraReference = (bg: string, serial: string) =>
  fc
    .record({
      negative: fc.boolean(),
      amount: fc.bigInt({ min: 0n, max: 10_000_00n }),
      ref: reference,
      channel: fc.constantFrom('1', '2', '3'),
    })
    .map(({ negative, amount, ref, channel }) => ({
      negative,
      senderBankgiro: bg,
      ...ref,
      amount: Money.fromMinor(negative ? -amount : amount, 'SEK'),
      channel,
      serialNumber: serial,
      imageFlag: '0',
    }));

const item = (kind: 'payment' | 'deduction') =>
  fc
    .record({ bg: digits(10), serial: digits(12) })
    .chain(({ bg, serial }) =>
      fc.record(
        {
          kind: fc.constant(kind),
          senderBankgiro: fc.constant(bg),
          ref: reference,
          amount:
            kind === 'payment' ? fc.bigInt({ min: 100_000n, max: 10n ** 12n }) : fc.bigInt({ min: 0n, max: 1000n }),
          channel: fc.constantFrom('1', '2', '3', '4'),
          serialNumber: fc.constant(serial),
          imageFlag: fc.constantFrom('0', '1'),
          deductionCode: fc.constantFrom('0', '1', '2'),
          extraReferences: fc.array(extraReference(bg, serial), { maxLength: 2 }),
          informationTexts: fc.array(text(50), { maxLength: 3 }),
          name: fc.option(text(35), { nil: undefined }),
          extraName: fc.option(nonEmpty(35), { nil: undefined }),
          address: fc.option(text(35), { nil: undefined }),
          postalCode: fc.option(nonEmpty(9), { nil: undefined }),
          town: fc.option(text(35), { nil: undefined }),
          country: fc.option(nonEmpty(35), { nil: undefined }),
          countryCode: fc.option(fc.constantFrom('NO', 'DK', 'FI'), { nil: undefined }),
          organisationNumber: fc.option(digits(12), { nil: undefined }),
        },
        {
          requiredKeys: [
            'kind',
            'senderBankgiro',
            'ref',
            'amount',
            'channel',
            'serialNumber',
            'imageFlag',
            'deductionCode',
            'extraReferences',
            'informationTexts',
          ],
        },
      ),
    )
    .map(({ ref, amount, deductionCode, ...rest }) => {
      const it: Record<string, unknown> = {
        ...rest,
        ...ref,
        amount: Money.fromMinor(kind === 'deduction' ? -amount : amount, 'SEK'),
      };
      if (kind === 'deduction') it.deductionCode = deductionCode;
      for (const k of Object.keys(it)) if (it[k] === undefined) delete it[k];
      return it as unknown as BgmaxItem;
    });

const section: fc.Arbitrary<BgmaxSection> = fc
  .record({
    bankgiro: digits(10),
    plusgiro: fc.option(digits(10), { nil: undefined }),
    first: item('payment'),
    rest: fc.array(fc.oneof({ arbitrary: item('payment'), weight: 4 }, { arbitrary: item('deduction'), weight: 1 }), {
      maxLength: 4,
    }),
    clearing: digits(4),
    account: fc.stringMatching(/^[1-9]\d{0,11}$/),
    paymentDate: date,
    serial: digits(5),
    depositType: fc.constantFrom('', 'K', 'D'),
  })
  .map((s) => {
    const out: Record<string, unknown> = {
      bankgiro: s.bankgiro,
      currency: 'SEK',
      items: [s.first, ...s.rest],
      deposit: {
        bankAccount: { clearing: s.clearing, account: s.account },
        paymentDate: s.paymentDate,
        serialNumber: s.serial,
        currency: 'SEK',
        depositType: s.depositType,
      },
    };
    if (s.plusgiro !== undefined) out.plusgiro = s.plusgiro;
    return out as unknown as BgmaxSection;
  });

const bgmaxFile: fc.Arbitrary<BgmaxFile> = fc.record({
  header: fc.record({
    layoutName: fc.constant('BGMAX' as const),
    layoutVersion: fc.constant('01'),
    timestamp,
    test: fc.boolean(),
  }),
  sections: fc.array(section, { minLength: 1, maxLength: 3 }),
});

const writeOptions: fc.Arbitrary<WriteBgmaxOptions> = fc.record({
  encoding: fc.constantFrom('latin1' as const, 'utf-8' as const),
  lineEnding: fc.constantFrom('\r\n' as const, '\n' as const, '\r' as const, '' as const),
  finalTerminator: fc.boolean(),
});

const eq = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

/** What must survive a round trip: everything the payer and the bank said, per item. */
function essence(f: BgmaxFile) {
  return f.sections.map((s) => ({
    bankgiro: s.bankgiro,
    plusgiro: s.plusgiro,
    items: s.items.map((i) => ({
      kind: i.kind,
      amount: i.amount.toString(),
      reference: i.reference,
      referenceCode: i.referenceCode,
      serialNumber: i.serialNumber,
      texts: i.informationTexts,
      extra: i.extraReferences.map((x) => [x.negative, x.amount.toString(), x.reference]),
      name: i.name ?? (i.extraName === undefined ? undefined : ''),
      org: i.organisationNumber,
    })),
    deposit: { ...s.deposit, amount: undefined, count: undefined, line: undefined },
  }));
}

// ---------------------------------------------------------------------------------------------

describe('property: generated valid files round-trip', () => {
  test.prop([bgmaxFile, writeOptions], { numRuns: 120 })(
    'parse(write(file)) keeps the file; write(parse(bytes)) === bytes',
    (file, options) => {
      const bytes = writeBgmax(file, options);
      const parsed = parseBgmax(bytes);
      expect(essence(parsed)).toEqual(essence(file));
      expect(parsed.header).toMatchObject(file.header!);
      // a fixed point: the parsed file writes the same bytes and parses to the same objects
      expect(eq(writeBgmax(parsed), bytes)).toBe(true);
      expect(parseBgmax(writeBgmax(parsed))).toEqual(parsed);
    },
  );
});

// ---------------------------------------------------------------------------------------------

const onlyNordfil = (fn: () => unknown): void => {
  try {
    fn();
  } catch (e) {
    if (!NordfilError.is(e)) throw e;
  }
};

async function drain(it: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of it) n++;
  return n;
}

async function onlyNordfilAsync(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (!NordfilError.is(e)) throw e;
  }
}

const base = fixture('valid-basic.txt');

const edit = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 90 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 90 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

interface Edit {
  kind: 'flip' | 'delete' | 'insert' | 'truncate';
  at: number;
  byte?: number;
  n?: number;
  bytes?: Uint8Array;
}

function applyEdits(bytes: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let b = Buffer.from(bytes);
  for (const e of edits) {
    const at = b.length === 0 ? 0 : e.at % (b.length + 1);
    if (e.kind === 'flip' && at < b.length) b[at] = e.byte!;
    else if (e.kind === 'delete') b = Buffer.concat([b.subarray(0, at), b.subarray(at + e.n!)]);
    else if (e.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(e.bytes!), b.subarray(at)]);
    else if (e.kind === 'truncate') b = b.subarray(0, at);
  }
  return new Uint8Array(b);
}

describe('property: bad input gives issues, never another exception', () => {
  test.prop([fc.uint8Array({ maxLength: 600 })], { numRuns: 150 })('random bytes', async (bytes) => {
    expect(() => parseBgmax(bytes, { mode: 'lenient' })).not.toThrow();
    onlyNordfil(() => parseBgmax(bytes));
    onlyNordfil(() => safeParseBgmax(bytes));
    await onlyNordfilAsync(() => drain(readBgmax([bytes], { yield: 'payments' })));
    await drain(readBgmax([bytes], { mode: 'lenient' }));
    await onlyNordfilAsync(() => parseBgmaxAsync([bytes]));
    await parseBgmaxAsync([bytes], { mode: 'lenient' });
  });

  test.prop([fc.array(edit, { minLength: 1, maxLength: 4 })], { numRuns: 150 })(
    'random edits of a valid file',
    async (edits) => {
      const bytes = applyEdits(base, edits);
      const { file } = parseBgmax(bytes, { mode: 'lenient' });
      onlyNordfil(() => writeBgmax(file));
      onlyNordfil(() => parseBgmax(bytes));
      await onlyNordfilAsync(() => drain(readBgmax([bytes])));
      await drain(readBgmax([bytes], { mode: 'lenient', yield: 'payments' }));
    },
  );
});

// ---------------------------------------------------------------------------------------------

function cut(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
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

async function streamed(chunks: Uint8Array[]): Promise<{ sections: string; issues: string[] }> {
  const reader = readBgmax(chunks, { mode: 'lenient' });
  const sections: unknown[] = [];
  for await (const s of reader) sections.push(s);
  const key = (i: Issue) => `${i.code}@${i.line}:${i.column}:${i.severity}`;
  return { sections: JSON.stringify(sections), issues: reader.issues.map(key).sort() };
}

const inputs = fc.oneof(
  bgmaxFile.chain((f) => writeOptions.map((o) => writeBgmax(f, o))),
  fc.array(edit, { maxLength: 3 }).map((e) => applyEdits(fixture('valid-quirks.txt'), e)),
  fc.constant(new TextEncoder().encode(Buffer.from(base).toString('latin1'))),
);

describe('property: every chunking gives the same streaming result', () => {
  test.prop([inputs, fc.array(fc.nat(), { maxLength: 12 })], { numRuns: 100 })(
    'sections and issues',
    async (bytes, points) => {
      const one = await streamed([bytes]);
      const many = await streamed(cut(bytes, points));
      expect(many).toEqual(one);
    },
  );
});

describe('property: a whole file from a stream is the whole file from its bytes', () => {
  test.prop([inputs, fc.array(fc.nat(), { maxLength: 12 })], { numRuns: 100 })(
    'parseBgmaxAsync over any chunking equals parseBgmax, in every mode',
    async (bytes, points) => {
      const chunks = cut(bytes, points);
      const lenient = parseBgmax(bytes, { mode: 'lenient' });
      const streamed = await parseBgmaxAsync(chunks, { mode: 'lenient' });
      if (streamed.file.format?.encoding !== lenient.file.format?.encoding) {
        // the documented difference: valid UTF-8 first, then bytes that are not (a file mixing encodings)
        expect([streamed.file.format?.encoding, lenient.file.format?.encoding]).toEqual(['utf-8', 'latin1']);
        return;
      }
      expect(streamed).toEqual(lenient);
      const fromBytes = safeParseBgmax(bytes);
      const fromStream = await safeParseBgmaxAsync(cut(bytes, points));
      expect(fromStream).toEqual(fromBytes);
      // strict: the same file, or the same error listing every issue
      if (fromBytes.success) expect(await parseBgmaxAsync(cut(bytes, points))).toEqual(fromBytes.data);
      else await expect(parseBgmaxAsync(cut(bytes, points))).rejects.toEqual(fromBytes.error);
    },
  );
});

// ---------------------------------------------------------------------------------------------

describe('property: lenient mode never drops a valid payment', () => {
  test.prop(
    [bgmaxFile, fc.nat(), fc.array(fc.constantFrom(...'0123456789 ABCXYZ#'), { minLength: 78, maxLength: 78 })],
    {
      numRuns: 120,
    },
  )('corrupting the fields of one record keeps every other payment', (file, which, garbage) => {
    const text = Buffer.from(writeBgmax(file)).toString('latin1');
    const lines = text.split('\r\n');
    const n = which % (lines.length - 1); // not the empty string after the final CRLF
    const original = parseBgmax(text);
    lines[n] = lines[n]!.slice(0, 2) + garbage.join('');
    const { file: broken } = parseBgmax(lines.join('\r\n'), { mode: 'lenient' });
    const items = (f: BgmaxFile) =>
      f.sections.flatMap((s) => s.items.map((i) => [i.line, i.kind, i.amount.toMinor()] as const));
    const before = items(original);
    const after = items(broken);
    // every payment record is still there, in order
    expect(after.map((i) => i[0])).toEqual(before.map((i) => i[0]));
    // and every payment whose own record was untouched keeps its amount
    const changedLine = n + 1;
    expect(after.filter((i) => i[0] !== changedLine)).toEqual(before.filter((i) => i[0] !== changedLine));
  });
});

describe('property: lenient mode keeps every payment when the records around it are damaged', () => {
  const damage = fc.array(
    fc.record({
      kind: fc.constantFrom('byte' as const, 'remove' as const, 'duplicate' as const),
      which: fc.nat(),
      at: fc.integer({ min: 0, max: 79 }),
      ch: fc.constantFrom(...'0125679 AOX#-'),
    }),
    { minLength: 1, maxLength: 4 },
  );
  const readable = (l: string) => /^2[01]/.test(l) && /^\d{18}$/.test(l.slice(37, 55));
  const unreadableAmount = (i: BgmaxItem) => i.invalid?.includes('amount') === true;

  test.prop([bgmaxFile, damage], { numRuns: 150 })(
    'a changed byte, a removed or a duplicated TK01, TK05, TK15 or TK70',
    async (file, damages) => {
      const lines = Buffer.from(writeBgmax(file)).toString('latin1').split('\r\n').slice(0, -1);
      for (const d of damages) {
        const targets = lines.flatMap((l, i) => (/^(01|05|15|70)/.test(l) ? [i] : []));
        if (targets.length === 0) break;
        const i = targets[d.which % targets.length]!;
        const l = lines[i]!;
        if (d.kind === 'byte') lines[i] = l.slice(0, d.at) + d.ch + l.slice(d.at + 1);
        else if (d.kind === 'remove') lines.splice(i, 1);
        else lines.splice(i, 0, l);
      }
      const text = `${lines.join('\r\n')}\r\n`;
      const records = lines.filter(readable).length;
      const { file: parsed } = parseBgmax(text, { mode: 'lenient' });
      const kept = (list: readonly { code: string; raw: string }[] | undefined) =>
        (list ?? []).filter((u) => readable(u.raw)).length;
      let items = 0;
      let elsewhere = kept(parsed.extra);
      let dated = 0;
      const fallback = parsed.header?.writtenAt !== undefined;
      for (const s of parsed.sections) {
        const n = s.items.filter((i) => !unreadableAmount(i)).length;
        items += n;
        if (s.deposit?.paymentDate !== undefined || fallback) dated += n;
        elsewhere += kept(s.extra);
        for (const i of s.items) elsewhere += kept(i.extra);
      }
      expect(items + elsewhere).toBe(records);
      const payments = toPayments(parsed);
      expect(payments).toHaveLength(dated);
      const streamed: string[] = [];
      for await (const p of readBgmax([Buffer.from(text, 'latin1')], { mode: 'lenient', yield: 'payments' })) {
        streamed.push(p.id);
      }
      expect(streamed).toEqual(payments.map((p) => p.id));
    },
  );
});
