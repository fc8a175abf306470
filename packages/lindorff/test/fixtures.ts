// Shared test fixtures: a debtor, claims, an export definition and a reminder setup (example rates only).
import { type IsoDate, Money, type Payment } from '@nordfil/core';
import {
  type CollectionClaim,
  type ExportDefinition,
  type FileHeader,
  parseExportDefinition,
  parseReminderSetup,
  type ReminderSetup,
} from '../src/index.js';

export const d = (s: string) => s as IsoDate;
export const nok = (s: string) => Money.of(s, 'NOK');

export const CLIENT_ACCOUNT = '86011117947';
export const AGENCY_ACCOUNT = '15031234562';
export const OTHER_ACCOUNT = '12345678903';

export const definitionInput = {
  name: 'Inkasso Lindorff',
  format: 'Lindorff',
  serverAddress: 'sftp.agency.example',
  userName: 'creditor42',
  uploadFolder: 'inn',
  downloadFolder: 'ut',
  sftp: true,
  password: 'hemmelig',
  customerId: '12345',
  agencyBankAccount: '1503.12.34562',
};

export const definition: ExportDefinition = parseExportDefinition(definitionInput).definition;

/** Example values from reference §2 for tests only (2025 H2 "check before use"). */
export const setupInput = {
  method: 'Lindorff',
  clientAccount: '8601.11.17947',
  remindersBeforeCollection: 1,
  fees: {
    inkassosats: [{ from: '2020-01-01', amount: '700' }],
    reminderFeeFraction: '0.05',
    minDaysAfterDueForFee: 14,
    minNoticeDays: 14,
    transferMinDaysAfterDue: 14,
  },
  interest: {
    rates: [
      { from: '2020-01-01', percent: '9.50' },
      { from: '2020-07-01', percent: '8.00' },
      { from: '2022-07-01', percent: '9.25' },
      { from: '2023-01-01', percent: '10.75' },
      { from: '2023-07-01', percent: '11.75' },
      { from: '2024-01-01', percent: '12.50' },
      { from: '2025-07-01', percent: '12.25' },
    ],
    dayCountDivisor: 365,
  },
};

export const setup: ReminderSetup = parseReminderSetup(setupInput).setup;

export function claim(caseRef: string, over: Partial<CollectionClaim> = {}): CollectionClaim {
  return {
    caseRef,
    debtor: {
      number: `K${caseRef}`,
      type: 'P',
      nationalId: '01010750160',
      name: 'Kari Nordmann',
      address1: 'Storgata 1',
      postalCode: '0155',
      city: 'Oslo',
      country: 'NO',
      email: 'kari@example.no',
    },
    invoice: {
      number: caseRef,
      kid: kidFor(caseRef),
      invoiceDate: d('2026-09-01'),
      dueDate: d('2026-09-15'),
      originalPrincipal: nok('1250.00'),
      outstandingPrincipal: nok('1250.00'),
    },
    reminders: { feesCharged: nok('35'), feeNoticeCount: 1, lastNoticeDate: d('2026-10-01'), lastNoticeType: 'PUR' },
    interest: { from: d('2026-09-15'), basis: 'LOV' },
    disputed: false,
    lines: [{ type: 'INV', date: d('2026-09-01'), amount: nok('1250.00'), text: 'Faktura' }],
    ...over,
  };
}

/** A MOD10 KID from digits (Luhn). */
export function kidFor(base: string): string {
  const digits = base.replace(/\D/g, '') || '0';
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return digits + String((10 - (sum % 10)) % 10);
}

export const header: FileHeader = { customerNo: '12345', createdAt: '2026-11-23T06:00:00', sequence: 1 };

export function ocrPayment(id: string, kid: string, amount: string, date: string, fromAccount?: string): Payment {
  return {
    id,
    format: 'ocrgiro',
    kind: 'payment',
    transactionCode: '10',
    receivingAccount: { kind: 'no-account', number: CLIENT_ACCOUNT },
    amount: nok(amount),
    currency: 'NOK',
    date: d(date),
    reference: kid,
    referenceKind: 'kid',
    extraReferences: [],
    payer: fromAccount === undefined ? {} : { account: fromAccount },
    messages: [],
    source: { file: id.split('#')[0] ?? id, line: Number(id.split('#')[1] ?? 1), section: 1 },
  };
}
