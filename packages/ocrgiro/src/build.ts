/**
 * A small builder for tests and demos: describe the payments, get a consistent file object (numbers
 * assigned, control records derived), exactly as {@link parseOcrGiro} would read it back.
 */
import { type IsoDate, Money } from '@nordfil/core';
import { DEFAULT_PIVOT } from './codecs.js';
import type {
  Assignment,
  AvtaleGiroTransactionType,
  FileLayout,
  OcrGiroFile,
  OcrGiroTransactionType,
  SpecificationLine,
  Transaction,
} from './objects.js';
import { parseOcrGiro } from './parse.js';
import { writeOcrGiro } from './write.js';

/**
 * A transaction to build. OCR giro fields apply to service 09, AvtaleGiro fields to service 21.
 *
 * @example
 * const t: BuildTransactionInput = { kid: '12345674', amount: '1250.00', date: '2025-03-15', type: '10' };
 */
export interface BuildTransactionInput {
  /** The KID (may be left out: no KID). */
  readonly kid?: string | undefined;
  /** NOK, as Money or a decimal string (`'1250.00'`); negative gives sign `-`. */
  readonly amount: Money | string;
  /** The Nets date (OCR giro) or due date (AvtaleGiro), `YYYY-MM-DD`. */
  readonly date: IsoDate | string;
  /** Transaction type. Default `10` (OCR giro) or `02` (AvtaleGiro). */
  readonly type?: OcrGiroTransactionType | AvtaleGiroTransactionType | undefined;
  readonly centreId?: string | undefined;
  readonly dayCode?: number | undefined;
  readonly partialSettlementNumber?: number | undefined;
  readonly partialSettlementSerialNumber?: string | undefined;
  readonly cardIssuer?: string | undefined;
  readonly formNumber?: string | undefined;
  readonly archiveReference?: string | undefined;
  readonly filler31?: string | undefined;
  readonly bankDate?: IsoDate | string | undefined;
  readonly debitAccount?: string | undefined;
  /** Free text (item 3) for types 20 and 21. */
  readonly freeText?: string | undefined;
  /** AvtaleGiro: payer short name (10 characters). */
  readonly payerName?: string | undefined;
  /** AvtaleGiro: external reference (25 characters). */
  readonly externalReference?: string | undefined;
  /** AvtaleGiro type 21: notice text, one string per printed line (up to 80 characters). */
  readonly specification?: readonly string[] | undefined;
}

/**
 * An assignment to build.
 *
 * @example
 * const a: BuildAssignmentInput = { account: '12345678903', agreementId: '123456789', transactions: [] };
 */
export interface BuildAssignmentInput {
  /** `09` OCR giro (default) or `21` AvtaleGiro payment requests. */
  readonly serviceCode?: '09' | '21' | undefined;
  /** The payee's 11-digit account. */
  readonly account: string;
  /** Nets agreement ID (9 digits). */
  readonly agreementId: string;
  /** Default: the assignment's position, 1-based, 7 digits. */
  readonly assignmentNumber?: string | undefined;
  /** OCR giro: the date Nets generated the assignment (88). Default: the latest transaction date. */
  readonly date?: IsoDate | string | undefined;
  readonly transactions: readonly BuildTransactionInput[];
}

/**
 * What {@link buildOcrGiro} takes.
 *
 * @example
 * buildOcrGiro({ transmission: { transmissionNumber: '1', dataRecipient: '2' }, assignments: [] });
 */
export interface BuildInput {
  readonly transmission: {
    /** Default `00008080` (Nets). */
    readonly dataTransmitter?: string | undefined;
    readonly transmissionNumber: string;
    readonly dataRecipient: string;
    /** The date of record 89. Default: the latest assignment date. */
    readonly date?: IsoDate | string | undefined;
  };
  readonly assignments: readonly BuildAssignmentInput[];
  readonly layout?: Partial<FileLayout> | undefined;
  readonly fileIdentity?: string | undefined;
  readonly pivot?: number | undefined;
}

function money(m: Money | string): Money {
  return typeof m === 'string' ? Money.of(m, 'NOK') : m;
}

function day(d: string): number {
  return Number(d.slice(8, 10));
}

function buildTx(t: BuildTransactionInput, i: number, service: '09' | '21'): Transaction {
  const amount = money(t.amount);
  const date = t.date as IsoDate;
  if (service === '21') {
    const type = (t.type ?? '02') as AvtaleGiroTransactionType;
    const specification: SpecificationLine[] = [];
    (t.specification ?? []).forEach((text, k) => {
      specification.push({ lineNumber: k + 1, column: '1', text: text.slice(0, 40).trimEnd(), reserved: undefined });
      specification.push({ lineNumber: k + 1, column: '2', text: text.slice(40, 80).trimEnd(), reserved: undefined });
    });
    return {
      kind: 'avtalegiro',
      serviceCode: '21',
      type,
      number: i + 1,
      dueDate: date,
      amount,
      kid: t.kid,
      payerName: t.payerName ?? '',
      externalReference: t.externalReference ?? '',
      specification,
      line: 0,
      reserved: undefined,
    };
  }
  const type = (t.type ?? '10') as OcrGiroTransactionType;
  const info = type === '18' || type === '19' || type === '20' || type === '21';
  return {
    kind: 'ocr-giro',
    serviceCode: '09',
    type,
    number: i + 1,
    netsDate: date,
    centreId: t.centreId ?? '01',
    dayCode: t.dayCode ?? day(date),
    partialSettlementNumber: t.partialSettlementNumber ?? (info ? 0 : 1),
    partialSettlementSerialNumber: t.partialSettlementSerialNumber ?? '00001',
    sign: amount.isNegative() ? '-' : '0',
    amount,
    kid: t.kid,
    cardIssuer: t.cardIssuer,
    formNumber: t.formNumber ?? '0000000000',
    archiveReference: t.archiveReference ?? '000000000',
    filler31: t.filler31 ?? '0000000',
    bankDate: t.bankDate as IsoDate | undefined,
    debitAccount: t.debitAccount ?? '00000000000',
    freeText: type === '20' || type === '21' ? (t.freeText ?? '') : t.freeText,
    line: 0,
    reserved: undefined,
  };
}

/**
 * Builds a consistent OCR giro file from a short description: transaction and assignment numbers are
 * assigned, the control records derived, and the result is exactly what {@link parseOcrGiro} reads back
 * from {@link writeOcrGiro}'s output (line numbers, identity and all). Throws a NordfilError for values
 * that do not fit the layout; KIDs and accounts that fail their check digits are warnings in `issues`.
 *
 * @example
 * const file = buildOcrGiro({
 *   transmission: { transmissionNumber: '0000123', dataRecipient: '00012345' },
 *   assignments: [{ account: '12345678903', agreementId: '123456789',
 *     transactions: [{ kid: '12345674', amount: '1250.00', date: '2025-03-15' }] }],
 * });
 * writeOcrGiro(file); // six 80-character records, CRLF
 */
export function buildOcrGiro(input: BuildInput): OcrGiroFile {
  const assignments: Assignment[] = input.assignments.map((a, i) => {
    const service = a.serviceCode ?? '09';
    return {
      serviceCode: service,
      assignmentType: '00',
      agreementId: a.agreementId,
      assignmentNumber: a.assignmentNumber ?? String(i + 1).padStart(7, '0'),
      account: a.account,
      transactions: a.transactions.map((t, k) => buildTx(t, k, service)),
      end:
        a.date === undefined
          ? undefined
          : {
              count: 0,
              records: 0,
              total: Money.zero('NOK'),
              netsDate: a.date as IsoDate,
              earliest: undefined,
              latest: undefined,
              line: 0,
              reserved: undefined,
            },
      line: 0,
      reserved: undefined,
    };
  });
  const tr = input.transmission;
  const bytes = writeOcrGiro(
    {
      dataTransmitter: tr.dataTransmitter ?? '00008080',
      transmissionNumber: tr.transmissionNumber,
      dataRecipient: tr.dataRecipient,
      assignments,
      end: tr.date === undefined ? undefined : { netsDate: tr.date as IsoDate },
      layout: input.layout,
    },
    { pivot: input.pivot ?? DEFAULT_PIVOT },
  );
  const options = {
    mode: 'strict' as const,
    encoding: input.layout?.encoding ?? 'latin1',
    pivot: input.pivot ?? DEFAULT_PIVOT,
  };
  return parseOcrGiro(
    bytes,
    input.fileIdentity === undefined ? options : { ...options, fileIdentity: input.fileIdentity },
  );
}
