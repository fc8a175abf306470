import { createOcr, type IsoDate, issue, Money, NordfilError, type Payment } from '@nordfil/core';
import { fixedClock, memoryLog, type Storage } from '@nordfil/ports';
import {
  type AsyncInvoiceLookup,
  buildInvoiceIndex,
  type DecideContext,
  type Invoice,
  ledgerAccounts,
  type MatchingConfigInput,
  type MatchingJobContext,
  matchingConfig,
  memoryRegistrar,
} from '../src/index.js';

/** The company AB's SEK bankgiro, its EUR account, and company CD's SEK bankgiro. */
export const BG_AB = '9912346';
export const BG_AB_EUR = '5555555';
export const BG_CD = '7777777';

export const ledger = ledgerAccounts([
  { kind: 'bankgiro', number: '991-2346', ledgerAccount: '1930', company: 'AB', currency: 'SEK' },
  { kind: 'bankgiro', number: BG_AB_EUR, ledgerAccount: '1932', company: 'AB', currency: 'EUR' },
  { kind: 'bankgiro', number: BG_CD, ledgerAccount: '1940', company: 'CD', currency: 'SEK' },
]);

export interface PaymentInput {
  readonly line?: number;
  readonly file?: string;
  readonly amount?: string;
  readonly currency?: string;
  readonly reference?: string;
  readonly extra?: readonly string[];
  readonly kind?: Payment['kind'];
  readonly account?: string;
  readonly id?: string;
  readonly section?: number;
}

/** A payment as the parsers produce it (BGMax-like), with sensible defaults. */
export function pay(input: PaymentInput = {}): Payment {
  const line = input.line ?? 3;
  const file = input.file ?? 'BGMAX.txt';
  const currency = input.currency ?? 'SEK';
  const kind = input.kind ?? 'payment';
  const amount = Money.of(input.amount ?? '1000.00', currency);
  return {
    id: input.id ?? `${file}#${line}`,
    format: 'bgmax',
    kind,
    transactionCode: kind === 'deduction' ? '21' : '20',
    receivingAccount: { kind: 'bankgiro', number: input.account ?? BG_AB },
    amount: kind === 'deduction' && amount.isPositive() ? amount.negate() : amount,
    currency,
    date: '2026-11-23' as IsoDate,
    ...(input.reference === undefined ? {} : { reference: input.reference }),
    referenceKind: input.reference === undefined ? 'none' : 'unchecked',
    referenceCode: input.reference === undefined ? '0' : '3',
    extraReferences: (input.extra ?? []).map((reference, i) => ({
      reference,
      amount: Money.zero(currency),
      referenceKind: 'unchecked' as const,
      line: line + 1 + i,
    })),
    payer: { name: 'Kund AB', organisationNumber: '5561234567' },
    messages: ['Faktura'],
    serialNumber: String(100000 + line),
    ...(kind === 'deduction' ? { deductionCode: '0' } : {}),
    source: { file, line, section: input.section ?? 1 },
  };
}

export interface InvoiceInput {
  readonly number?: string;
  readonly ocr?: string | null;
  readonly open?: string;
  readonly currency?: string;
  readonly customer?: string;
  readonly company?: string;
}

/** An open invoice: `inv(1001)` has invoice number '1001', an OCR of 1001 with a Luhn digit, 1000.00 SEK, company AB. */
export function inv(n: number, input: InvoiceInput = {}): Invoice {
  const ocr = input.ocr === undefined ? createOcr(String(n)) : input.ocr;
  return {
    id: `inv-${n}`,
    invoiceNumber: input.number ?? `F-${n}`,
    ...(ocr === null ? {} : { ocr }),
    customer: input.customer ?? 'C1',
    company: input.company ?? 'AB',
    openAmount: Money.of(input.open ?? '1000.00', input.currency ?? 'SEK'),
  };
}

export function ctx(
  invoices: readonly Invoice[],
  config: MatchingConfigInput = { tolerance: { absolute: '10' } },
): DecideContext {
  return { invoices: buildInvoiceIndex(invoices), ledger, config: matchingConfig(config) };
}

/**
 * A job context for register tests over `storage` and `lookup`: JSON payment files ({@link jsonParser}), the
 * test ledger, a 10 kr tolerance, a fixed clock, and an in-memory registrar and log (returned to look at).
 */
export function jobContext(storage: Storage, lookup: AsyncInvoiceLookup) {
  const registrar = memoryRegistrar();
  const log = memoryLog();
  const c: MatchingJobContext = {
    storage,
    clock: fixedClock('2026-11-23T07:30:00Z'),
    log,
    parse: jsonParser,
    lookup,
    ledger,
    config: matchingConfig({ tolerance: { absolute: '10' } }),
    registrar,
  };
  return { ctx: c, registrar, log };
}

/**
 * A stand-in parser for register tests: the "file" is JSON (a list of {@link PaymentInput}); anything else is
 * refused with a NordfilError, as a real parser refuses a broken file. Payment ids are `<name>#<line>`.
 */
export function jsonParser(bytes: Uint8Array, options: { source: string }): Payment[] {
  let list: PaymentInput[];
  try {
    list = JSON.parse(new TextDecoder().decode(bytes)) as PaymentInput[];
  } catch {
    throw new NordfilError(
      issue('invalid_record', `${options.source}: not a payment file`, { source: options.source, line: 1 }),
    );
  }
  return list.map((p, i) => pay({ line: 3 + 2 * i, ...p, file: options.source }));
}

export function file(name: string, payments: readonly PaymentInput[]): { name: string; bytes: Uint8Array } {
  return { name, bytes: new TextEncoder().encode(JSON.stringify(payments)) };
}
