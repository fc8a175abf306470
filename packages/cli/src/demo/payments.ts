/**
 * The demo's payment files: a BGMax file and a Total-IN file paying the generated invoices, built as objects and
 * written with `@nordfil/bgmax` and `@nordfil/totalin`'s own writers. The mix is realistic: most payments carry
 * the right OCR number and amount, some pay a little less or more (within tolerance), some far less, some have a
 * mistyped OCR number (the check digit fails), one names two invoices, one carries no reference, and each file has
 * a deduction (a credit).
 */

import type { BgmaxFile, BgmaxItem } from '@nordfil/bgmax';
import { createOcr, type IsoDate, Money } from '@nordfil/core';
import type { TotalInFile, TotalInItem } from '@nordfil/totalin';
import type { DemoInvoice, Prng } from './data.js';

/** The demo's receiving bankgiro number (Bankgirot's test number 991-2346). */
export const DEMO_BANKGIRO = '9912346';
/** The demo's receiving PlusGiro account (Total-IN), with a valid check digit. */
export const DEMO_PLUSGIRO = createOcr('4711');

const sek = (s: string) => Money.of(s, 'SEK');
const minus = (amount: string, kronor: number) => sek(amount).minus(sek(String(kronor)));
const plus = (amount: string, kronor: number) => sek(amount).plus(sek(String(kronor)));

/** Changes one digit of an OCR number so that its check digit fails (a typing mistake). */
function mistype(ocr: string): string {
  const i = 2;
  const d = (Number(ocr[i]) + 3) % 10;
  return ocr.slice(0, i) + String(d) + ocr.slice(i + 1);
}

function bgItem(r: Prng, reference: string, amount: Money, name: string, over: Partial<BgmaxItem> = {}): BgmaxItem {
  return {
    kind: 'payment',
    senderBankgiro: String(r.int(1000000, 9999999)).padStart(10, '0'),
    reference,
    amount,
    referenceCode: reference === '' ? '1' : '2',
    channel: '1',
    serialNumber: String(r.int(1, 999999999999)).padStart(12, '0'),
    imageFlag: '0',
    extraReferences: [],
    informationTexts: [],
    name,
    ...over,
  };
}

/**
 * The BGMax file: payments for `invoices` (the first part of the generated list).
 *
 * @example
 * const bytes = writeBgmax(demoBgmax(prng(1), invoices.slice(0, 30), '2026-11-20'));
 */
export function demoBgmax(r: Prng, invoices: readonly DemoInvoice[], date: IsoDate): BgmaxFile {
  const items: BgmaxItem[] = [];
  invoices.forEach((inv, i) => {
    const name = inv.customerName.toUpperCase();
    const n = invoices.length;
    if (i === n - 1) {
      // a deduction (avdrag): the payer's credit against the bankgiro
      items.push(bgItem(r, inv.ocr, sek(inv.amount).negate(), name, { kind: 'deduction', deductionCode: '0' }));
    } else if (i === n - 2) {
      items.push(
        bgItem(r, '', sek(inv.amount), name, {
          referenceCode: '0',
          informationTexts: [`AVSER FAKTURA ${inv.invoiceNumber}`],
        }),
      );
    } else if (i === n - 3 || i === n - 4) {
      items.push(bgItem(r, mistype(inv.ocr), sek(inv.amount), name, { referenceCode: '3' }));
    } else if (i === n - 5 || i === n - 6) {
      items.push(bgItem(r, inv.ocr, minus(inv.amount, Math.min(100, Math.floor(Number(inv.amount) / 2))), name));
    } else if (i % 9 === 4) {
      items.push(bgItem(r, inv.ocr, minus(inv.amount, 3), name));
    } else if (i % 9 === 7) {
      items.push(bgItem(r, inv.ocr, plus(inv.amount, 2), name));
    } else {
      items.push(bgItem(r, inv.ocr, sek(inv.amount), name));
    }
  });
  return {
    header: {
      layoutName: 'BGMAX',
      layoutVersion: '01',
      timestamp: `${date.replace(/-/g, '')}050312345678`,
      test: false,
    },
    sections: [
      {
        bankgiro: DEMO_BANKGIRO.padStart(10, '0'),
        currency: 'SEK',
        items,
        deposit: {
          bankAccount: { clearing: '5371', account: '0123456' },
          paymentDate: date,
          serialNumber: '00042',
          currency: 'SEK',
          depositType: 'K',
        },
      },
    ],
  };
}

function tiItem(
  reference: string | undefined,
  amount: Money,
  name: string,
  serial: number,
  over: Partial<TotalInItem> = {},
): TotalInItem {
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
      name,
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

/**
 * The Total-IN file: payments for `invoices` (another part of the generated list), to the PlusGiro account.
 *
 * @example
 * const bytes = writeTotalIn(demoTotalIn(prng(1), invoices.slice(30, 42), '2026-11-20'));
 */
export function demoTotalIn(r: Prng, invoices: readonly DemoInvoice[], date: IsoDate): TotalInFile {
  const items: TotalInItem[] = invoices.map((inv, i) => {
    const serial = 700000 + i * 7 + r.int(0, 6);
    const name = inv.customerName.toUpperCase();
    const n = invoices.length;
    if (i === n - 1) return tiItem(inv.ocr, sek(inv.amount), name, serial, { kind: 'deduction', deductionCode: '0' });
    if (i === n - 2) return tiItem('99999999', sek(inv.amount), name, serial);
    if (i === n - 3) return tiItem(inv.invoiceNumber, sek(inv.amount), name, serial);
    if (i === n - 4) return tiItem(inv.ocr, minus(inv.amount, 5), name, serial);
    return tiItem(inv.ocr, sek(inv.amount), name, serial);
  });
  const stamp = `${date.replace(/-/g, '')}041330123456`;
  return {
    header: {
      id: 'TI471100',
      timestamp: stamp,
      isoTimestamp: undefined,
      deliveryNumber: '01',
      fileType: 'TL1',
      fileName: 'TOTALIN',
      test: false,
    },
    accounts: [{ account: DEMO_PLUSGIRO, currency: 'SEK', bookingDate: date, items, closing: undefined }],
    trailer: undefined,
  };
}
