/**
 * End to end: real BGMax and Total-IN files, written by `@nordfil/bgmax` and `@nordfil/totalin`, read through
 * `paymentFileParser` with the real parsers, imported by the payment-file register.
 */
import { type BgmaxFile, type BgmaxItem, toPayments as bgmaxPayments, parseBgmax, writeBgmax } from '@nordfil/bgmax';
import { createOcr, type IsoDate, Money, NordfilError } from '@nordfil/core';
import { toPayments as ocrGiroPayments, parseOcrGiro } from '@nordfil/ocrgiro';
import { fixedClock, memoryLog, memoryStorage } from '@nordfil/ports';
import {
  parseTotalIn,
  type TotalInFile,
  type TotalInItem,
  toPayments as totalInPayments,
  writeTotalIn,
} from '@nordfil/totalin';
import { describe, expect, it } from 'vitest';
import {
  buildInvoiceIndex,
  fileSha256,
  getFileRecord,
  type Invoice,
  importPaymentFile,
  ledgerAccounts,
  type MatchingJobContext,
  matchingConfig,
  memoryRegistrar,
  type PaymentRecord,
  paymentFileParser,
  toCheck,
} from './index.js';

const BANKGIRO = '9912346';
const PLUSGIRO = createOcr('4711');
const DATE = '2026-11-20' as IsoDate;
const sek = (s: string) => Money.of(s, 'SEK');

/** Open invoices: OCR numbers with a length digit and a Luhn check digit. */
const invoice = (n: number, open: string): Invoice => ({
  id: `inv-${n}`,
  invoiceNumber: String(n),
  ocr: createOcr(`7${n}`, { lengthDigit: true }),
  customer: `C-${n}`,
  company: 'AB',
  openAmount: sek(open),
});
const INVOICES = [
  invoice(10001, '1000.00'),
  invoice(10002, '500.00'),
  invoice(10003, '250.00'),
  invoice(10004, '1200.00'),
  invoice(10005, '750.50'),
  invoice(10006, '99.00'),
];
const ocr = (n: number) => INVOICES.find((i) => i.invoiceNumber === String(n))?.ocr as string;
/** A well-formed OCR number no invoice carries. */
const UNKNOWN = createOcr('7999999', { lengthDigit: true });

let serial = 0;
function bgItem(reference: string, amount: Money, over: Partial<BgmaxItem> = {}): BgmaxItem {
  serial++;
  return {
    kind: 'payment',
    senderBankgiro: '0005050505',
    reference,
    amount,
    referenceCode: '2',
    channel: '1',
    serialNumber: String(serial).padStart(12, '0'),
    imageFlag: '0',
    extraReferences: [],
    informationTexts: [],
    name: `PAYER ${serial}`,
    ...over,
  };
}

function bgmaxFile(items: BgmaxItem[]): BgmaxFile {
  return {
    header: { layoutName: 'BGMAX', layoutVersion: '01', timestamp: '20261120050312345678', test: false },
    sections: [
      {
        bankgiro: BANKGIRO.padStart(10, '0'),
        currency: 'SEK',
        items,
        deposit: {
          bankAccount: { clearing: '5371', account: '0123456' },
          paymentDate: DATE,
          serialNumber: '00042',
          currency: 'SEK',
          depositType: 'K',
        },
      },
    ],
  };
}

function tiItem(reference: string | undefined, amount: Money, over: Partial<TotalInItem> = {}): TotalInItem {
  serial++;
  return {
    kind: 'payment',
    reference,
    amount,
    serialNumber: String(serial).padStart(12, '0'),
    bankgiro: undefined,
    deductionCode: undefined,
    extraReferences: [],
    messages: [],
    sender: {
      name: `SENDER ${serial}`,
      extraName: undefined,
      street: undefined,
      street2: undefined,
      postalCode: undefined,
      town: undefined,
      countryCode: undefined,
      lines: {},
    },
    payerAccount: undefined,
    payer: undefined,
    foreign: undefined,
    ...over,
  };
}

function totalInFile(items: TotalInItem[]): TotalInFile {
  return {
    header: {
      id: 'TI471100',
      timestamp: '20261120041330123456',
      isoTimestamp: undefined,
      deliveryNumber: '01',
      fileType: 'TL1',
      fileName: 'TOTALIN',
      test: false,
    },
    accounts: [{ account: PLUSGIRO, currency: 'SEK', bookingDate: DATE, items, closing: undefined }],
    trailer: undefined,
  };
}

/** BGMax: exact, unknown reference, a deduction, 3 kr short (within ± 5). */
const BGMAX = writeBgmax(
  bgmaxFile([
    bgItem(ocr(10001), sek('1000.00')),
    bgItem(UNKNOWN, sek('300.00')),
    bgItem(ocr(10003), sek('-250.00'), { kind: 'deduction', deductionCode: '0' }),
    bgItem(ocr(10002), sek('497.00')),
  ]),
);

/** Total-IN: exact, 3 kr over (within ± 5), a deduction, unknown reference. */
const TOTALIN = writeTotalIn(
  totalInFile([
    tiItem(ocr(10004), sek('1200.00')),
    tiItem(ocr(10005), sek('753.50')),
    tiItem(ocr(10006), sek('99.00'), { kind: 'deduction', deductionCode: '0' }),
    tiItem(UNKNOWN, sek('42.00')),
  ]),
);

const parse = paymentFileParser({
  bgmax: (bytes, { source }) => bgmaxPayments(parseBgmax(bytes, { source }), { source }),
  totalin: (bytes, { source }) => totalInPayments(parseTotalIn(bytes, { source }), { source }),
  ocrgiro: (bytes, { source }) => ocrGiroPayments(parseOcrGiro(bytes, { source }), { source }),
});

function setup() {
  const storage = memoryStorage();
  const registrar = memoryRegistrar();
  const log = memoryLog();
  const ctx: MatchingJobContext = {
    storage,
    clock: fixedClock('2026-11-23T07:30:00Z'),
    log,
    parse,
    lookup: buildInvoiceIndex(INVOICES),
    ledger: ledgerAccounts([
      { kind: 'bankgiro', number: BANKGIRO, ledgerAccount: '1930', company: 'AB', currency: 'SEK' },
      { kind: 'plusgiro', number: PLUSGIRO, ledgerAccount: '1920', company: 'AB', currency: 'SEK' },
    ]),
    config: matchingConfig({ tolerance: { absolute: '5' } }),
    registrar,
  };
  return { ctx, storage, registrar, log };
}

const outcome = (r: PaymentRecord) => [r.reference, r.amount, r.status, r.comment, r.invoiceId ?? ''];

async function refusal(p: Promise<unknown>): Promise<NordfilError> {
  try {
    await p;
  } catch (e) {
    if (NordfilError.is(e)) return e;
    throw e;
  }
  throw new Error('expected the import to be refused');
}

describe('importPaymentFile over real BGMax and Total-IN files', () => {
  it('decides a BGMax file end to end and refuses the same bytes again', async () => {
    const { ctx, storage, registrar } = setup();
    const { file, summary, records } = await importPaymentFile(ctx, { name: 'BGMAX_20261120.txt', bytes: BGMAX });
    expect(file).toMatchObject({ state: 'done', status: '', name: 'BGMAX_20261120.txt' });
    expect(summary).toMatchObject({ Complete: 2, Error: 1, Credit: 1, Ambiguous: 0, '': 0 });
    expect(records.map(outcome)).toEqual([
      [ocr(10001), '1000.00', 'Complete', '', 'inv-10001'],
      [UNKNOWN, '300.00', 'Error', 'No Match', ''],
      [ocr(10003), '-250.00', 'Credit', '', ''],
      [ocr(10002), '497.00', 'Complete', 'Amount', 'inv-10002'],
    ]);
    // every field of the seed's table, from the real file
    expect(records[0]).toMatchObject({
      incomingFile: 'BGMAX_20261120.txt',
      payeeBankAccount: BANKGIRO,
      date: DATE,
      currency: 'SEK',
      transactionCode: '20',
      referenceCode: '2',
      account: '1930',
      accountCurrency: 'SEK',
    });
    expect(records[0]?.createdPayment).toBeDefined();
    expect(records[2]).toMatchObject({ transactionCode: '21', deductionType: '0' });
    expect(records[3]?.decision?.evidence.amount).toMatchObject({ paid: '497.00', open: '500.00' });
    // the Complete ones are registered, the within-tolerance one with what it paid
    expect(
      [...registrar.registrations.values()].map((r) => r.allocations.map((a) => [a.invoiceId, `${a.amount}`])),
    ).toEqual([[['inv-10001', '1000.00']], [['inv-10002', '497.00']]]);
    expect((await toCheck(storage)).map((r) => [r.status, r.comment])).toEqual([
      ['Error', 'No Match'],
      ['Credit', ''],
      ['Complete', 'Amount'],
    ]);
    expect(await storage.get(`matching/payment-files/${fileSha256(BGMAX)}`)).toEqual(BGMAX);

    // the same bytes again, under the same or another name: refused, nothing decided or registered
    const calls = registrar.calls.length;
    for (const name of ['BGMAX_20261120.txt', 'BGMAX_copy.txt']) {
      const e = await refusal(importPaymentFile(ctx, { name, bytes: BGMAX }));
      expect(e.code).toBe('file_already_imported');
      expect(e.message).toContain('BGMAX_20261120.txt');
    }
    expect(registrar.calls).toHaveLength(calls);
  });

  it('decides a Total-IN file end to end and refuses the same bytes again', async () => {
    const { ctx, registrar } = setup();
    const { summary, records } = await importPaymentFile(ctx, { name: 'TOTALIN_20261120.txt', bytes: TOTALIN });
    expect(summary).toMatchObject({ Complete: 2, Error: 1, Credit: 1, Ambiguous: 0, '': 0 });
    expect(records.map(outcome)).toEqual([
      [ocr(10004), '1200.00', 'Complete', '', 'inv-10004'],
      [ocr(10005), '753.50', 'Complete', 'Amount', 'inv-10005'],
      [ocr(10006), '-99.00', 'Credit', '', ''],
      [UNKNOWN, '42.00', 'Error', 'No Match', ''],
    ]);
    expect(records[0]).toMatchObject({ payeeBankAccount: PLUSGIRO, transactionCode: '20', account: '1920' });
    expect(records[2]).toMatchObject({ transactionCode: '25' });
    // overpaid within the tolerance: the open amount is applied, the excess is unapplied
    expect(records[1]?.decision).toMatchObject({ allocations: [{ invoiceId: 'inv-10005', amount: '750.50' }] });
    expect(records[1]?.decision?.unapplied).toBe('3.00');
    expect(registrar.registrations.size).toBe(2);

    const e = await refusal(importPaymentFile(ctx, { name: 'TOTALIN_20261120.txt', bytes: TOTALIN }));
    expect(e.code).toBe('file_already_imported');
    expect(registrar.registrations.size).toBe(2);
  });

  it('keeps both files apart in one register, and an unreadable file as File Error', async () => {
    const { ctx, storage } = setup();
    await importPaymentFile(ctx, { name: 'BGMAX_20261120.txt', bytes: BGMAX });
    await importPaymentFile(ctx, { name: 'TOTALIN_20261120.txt', bytes: TOTALIN });
    expect(await toCheck(storage)).toHaveLength(6);
    expect(await toCheck(storage, { file: fileSha256(TOTALIN) })).toHaveLength(3);

    // the BGMax file without its TK70 end record: the strict parser refuses it
    const text = new TextDecoder('latin1').decode(BGMAX);
    const truncated = new TextEncoder().encode(text.replace(/^70.*(\r?\n)?/m, ''));
    const bad = await importPaymentFile(ctx, { name: 'BGMAX_broken.txt', bytes: truncated });
    expect(bad.file.status).toBe('File Error');
    expect(bad.file.issues.length).toBeGreaterThan(0);
    expect(bad.records).toEqual([]);
    expect((await getFileRecord(storage, fileSha256(truncated)))?.status).toBe('File Error');
    const again = await refusal(importPaymentFile(ctx, { name: 'BGMAX_broken.txt', bytes: truncated }));
    expect(again.code).toBe('file_already_imported');
    expect(again.message).toContain('File Error');
  });
});
