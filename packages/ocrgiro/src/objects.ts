/**
 * The objects layer: records grouped into a transmission (forsendelse) of assignments (oppdrag) of
 * transactions, with every control record checked against the content, and the mapping to the shared
 * {@link Payment} model.
 */
import {
  type IsoDate,
  type Issue,
  isLuhnValid,
  isMod11Valid,
  isNorwegianBankAccount,
  type LineTerminator,
  Money,
  type Payment,
  paymentId,
} from '@nordfil/core';
import type {
  AgreementRecord,
  AmountItem1Record,
  AmountItem2Record,
  AmountItem3Record,
  ASSIGNMENT_TYPES,
  AssignmentEndRecord,
  AssignmentStartRecord,
  AVTALEGIRO_TRANSACTION_TYPES,
  AvtaleGiroAmountItem1Record,
  AvtaleGiroAmountItem2Record,
  OCR_GIRO_TRANSACTION_TYPES,
  OcrGiroRecord,
  SpecificationRecord,
  TransmissionEndRecord,
  TransmissionStartRecord,
} from './codecs.js';
import { type LineContext, lineIssue, recordOf, report } from './line.js';

/**
 * Service code (tjenestekode): `09` OCR giro, `21` AvtaleGiro.
 *
 * @example
 * const s: ServiceCode = '09';
 */
export type ServiceCode = '09' | '21';
/**
 * Assignment type (oppdragstype): `00` transactions/payment requests, `24` agreements, `36` cancellations.
 *
 * @example
 * const t: AssignmentType = '00';
 */
export type AssignmentType = (typeof ASSIGNMENT_TYPES)[number];
/**
 * OCR giro transaction type (transaksjonstype, service 09): `10`–`21`.
 *
 * @example
 * const t: OcrGiroTransactionType = '18'; // reversal with KID
 */
export type OcrGiroTransactionType = (typeof OCR_GIRO_TRANSACTION_TYPES)[number];
/**
 * AvtaleGiro transaction type (service 21): `02`, `21`, `93`.
 *
 * @example
 * const t: AvtaleGiroTransactionType = '21'; // payment request with bank notification
 */
export type AvtaleGiroTransactionType = (typeof AVTALEGIRO_TRANSACTION_TYPES)[number];

/**
 * What each OCR giro transaction type means (service 09). Types are scoped by service: `21` here is a
 * terminal purchase with free text, while under AvtaleGiro it is a payment request with bank notification.
 *
 * @example
 * OCR_GIRO_TRANSACTION_TYPE_NAMES['18']; // 'reversal-with-kid'
 */
export const OCR_GIRO_TRANSACTION_TYPE_NAMES: Readonly<Record<OcrGiroTransactionType, string>> = Object.freeze({
  '10': 'giro-debited-account',
  '11': 'standing-order',
  '12': 'direct-remittance',
  '13': 'business-terminal-giro',
  '14': 'counter-giro',
  '15': 'avtalegiro',
  '16': 'telegiro',
  '17': 'giro-paid-in-cash',
  '18': 'reversal-with-kid',
  '19': 'purchase-with-kid',
  '20': 'reversal-with-text',
  '21': 'purchase-with-text',
});

/**
 * What each AvtaleGiro transaction type means (service 21).
 *
 * @example
 * AVTALEGIRO_TRANSACTION_TYPE_NAMES['21']; // 'payment-request-bank-notification'
 */
export const AVTALEGIRO_TRANSACTION_TYPE_NAMES: Readonly<Record<AvtaleGiroTransactionType | '94', string>> =
  Object.freeze({
    '02': 'payment-request-payee-notification',
    '21': 'payment-request-bank-notification',
    '93': 'cancellation',
    '94': 'agreement',
  });

/**
 * The meaning of a transaction type within its service, or undefined for an unknown pair.
 *
 * @example
 * transactionTypeName('09', '21'); // 'purchase-with-text'
 * transactionTypeName('21', '21'); // 'payment-request-bank-notification'
 */
export function transactionTypeName(serviceCode: string, type: string): string | undefined {
  if (serviceCode === '09') return (OCR_GIRO_TRANSACTION_TYPE_NAMES as Record<string, string>)[type];
  if (serviceCode === '21') return (AVTALEGIRO_TRANSACTION_TYPE_NAMES as Record<string, string>)[type];
  return undefined;
}

/**
 * True for the reversal types (tilbakeføring) 18 and 20.
 *
 * @example
 * isReversal('18'); // true
 */
export function isReversal(type: string): boolean {
  return type === '18' || type === '20';
}

/**
 * Data found in columns the specification reserves (fillers), keyed `<record type>.<field>`, e.g.
 * `{ '30.filler77': '0012' }`. Present only when a filler held data, so that the writer reproduces it.
 *
 * @example
 * file.assignments[0]?.reserved; // undefined, or { '20.filler36': '…' }
 */
export type Reserved = Readonly<Record<string, string>>;

/**
 * A transaction of an OCR giro assignment (service 09): amount items 1 and 2, and 3 for types 20 and 21.
 *
 * @example
 * const tx = file.assignments[0]!.transactions[0];
 * if (tx?.kind === 'ocr-giro') console.log(tx.kid, tx.amount.toString(), tx.netsDate);
 */
export interface OcrGiroTransaction {
  readonly kind: 'ocr-giro';
  readonly serviceCode: '09';
  /** Transaksjonstype 10–21, see {@link OCR_GIRO_TRANSACTION_TYPE_NAMES}. */
  readonly type: OcrGiroTransactionType;
  /** Transaksjonsnummer, 1, 2, 3… within the assignment. */
  readonly number: number;
  /** Oppgjørsdato: the Nets processing (settlement) date. */
  readonly netsDate: IsoDate;
  /** Sentral-ID: the first two digits of the bank data centre ID. */
  readonly centreId: string;
  /** Dagkode: day of month processed (1–31). */
  readonly dayCode: number;
  /** Delavregningsnummer (always 0 for types 18–21). */
  readonly partialSettlementNumber: number;
  /** Løpenummer within the partial settlement (5 digits); the bank statement shows one sum per number. */
  readonly partialSettlementSerialNumber: string;
  /** Fortegn: `-` for a negative amount (credit), else `0`. */
  readonly sign: '0' | '-';
  /** Beløp, signed: negative when `sign` is `-`. */
  readonly amount: Money;
  /**
   * KID, as in the file without its leading padding (the field is right-aligned); undefined when blank. A
   * failing check digit is a warning, never dropped. `Payment.reference` is this KID trimmed on both sides.
   */
  readonly kid: string | undefined;
  /** Card issuer (kortutsteder, columns 75–76 of record 30) when not `00`. */
  readonly cardIssuer: string | undefined;
  /** Blankettnummer: the giro form number (10 digits; zeros when none). */
  readonly formNumber: string;
  /**
   * Columns 26–34 of record 31: the payer's agreement ID (direct remittance), the archive reference
   * (BTG, standing orders, paper giro), or BAX number + session number (types 18–21).
   */
  readonly archiveReference: string;
  /** Columns 35–41 of record 31, kept opaque: documented as zeros, but Nets' own sample has data there. */
  readonly filler31: string;
  /** The payer's bank date; undefined when `000000`. */
  readonly bankDate: IsoDate | undefined;
  /** Debet konto: the payer's account (11 digits), zeros when unknown. */
  readonly debitAccount: string;
  /** Fritekst from amount item 3 (types 20 and 21). */
  readonly freeText: string | undefined;
  /** Line of amount item 1. */
  readonly line: number;
  readonly reserved: Reserved | undefined;
}

/**
 * One half-line of AvtaleGiro notice text (record 49).
 *
 * @example
 * const line: SpecificationLine = { lineNumber: 1, column: '1', text: 'Faktura 1002', reserved: undefined };
 */
export interface SpecificationLine {
  /** 1–42. */
  readonly lineNumber: number;
  /** 1 (columns 1–40 of the printed line) or 2 (41–80). */
  readonly column: '1' | '2';
  readonly text: string;
  readonly reserved: Reserved | undefined;
}

/**
 * An AvtaleGiro payment request or cancellation (service 21, transaction type 02, 21 or 93).
 *
 * @example
 * for (const tx of assignment.transactions) if (tx.kind === 'avtalegiro') console.log(tx.dueDate, tx.payerName);
 */
export interface AvtaleGiroRequest {
  readonly kind: 'avtalegiro';
  readonly serviceCode: '21';
  readonly type: AvtaleGiroTransactionType;
  readonly number: number;
  /** Forfallsdato. */
  readonly dueDate: IsoDate;
  readonly amount: Money;
  readonly kid: string | undefined;
  /** Forkortet navn: the payer's short name (10 characters). */
  readonly payerName: string;
  /** Fremmedreferanse (25 characters). */
  readonly externalReference: string;
  /** Notice text lines (record 49), in file order. */
  readonly specification: readonly SpecificationLine[];
  readonly line: number;
  readonly reserved: Reserved | undefined;
}

/**
 * An AvtaleGiro agreement update (service 21, transaction type 94, record 70).
 *
 * @example
 * for (const tx of assignment.transactions) if (tx.kind === 'agreement') console.log(tx.kid, tx.notify);
 */
export interface AvtaleGiroAgreement {
  readonly kind: 'agreement';
  readonly serviceCode: '21';
  readonly type: '94';
  readonly number: number;
  /** Registreringstype: `0` active (full list), `1` new or changed, `2` deleted. */
  readonly registrationType: '0' | '1' | '2';
  readonly kid: string | undefined;
  /** Skriftlig varsel: the payer wants a written notice (`J`). */
  readonly notify: boolean;
  readonly line: number;
  readonly reserved: Reserved | undefined;
}

/**
 * A transaction of any service, discriminated on `kind`.
 *
 * @example
 * switch (tx.kind) { case 'ocr-giro': case 'avtalegiro': case 'agreement': }
 */
export type Transaction = OcrGiroTransaction | AvtaleGiroRequest | AvtaleGiroAgreement;

/**
 * The end record of an assignment (88), as read from the file.
 *
 * @example
 * file.assignments[0]?.end?.total.toString(); // '6320.50'
 */
export interface AssignmentEnd {
  /** Antall transaksjoner. */
  readonly count: number;
  /** Antall records, the assignment's start and end included. */
  readonly records: number;
  /** Sum of the item-1 amounts (unsigned; reversals are added). */
  readonly total: Money;
  /** OCR giro: the date Nets generated the assignment. AvtaleGiro: normally absent. */
  readonly netsDate: IsoDate | undefined;
  /** Earliest transaction (or due) date. */
  readonly earliest: IsoDate | undefined;
  /** Latest transaction (or due) date. */
  readonly latest: IsoDate | undefined;
  readonly line: number;
  readonly reserved: Reserved | undefined;
}

/**
 * An assignment (oppdrag): one service and one agreement/account.
 *
 * @example
 * for (const a of file.assignments) console.log(a.serviceCode, a.account, a.transactions.length);
 */
export interface Assignment {
  readonly serviceCode: ServiceCode;
  readonly assignmentType: AssignmentType;
  /** Avtale-ID (9 digits; zeros for AvtaleGiro agreements and cancellations). */
  readonly agreementId: string;
  /** Oppdragsnummer (7 digits). */
  readonly assignmentNumber: string;
  /** Oppdragskonto: the payee's 11-digit account (its MOD11 check digit is verified: `invalid_account`). */
  readonly account: string;
  readonly transactions: readonly Transaction[];
  /** The end record as read; undefined when missing (lenient mode). */
  readonly end: AssignmentEnd | undefined;
  /** Line of the start record (20). */
  readonly line: number;
  readonly reserved: Reserved | undefined;
}

/**
 * The end record of the transmission (89), as read.
 *
 * @example
 * file.end?.records; // every record of the file, 10 and 89 included
 */
export interface TransmissionEnd {
  readonly count: number;
  /** Every record of the transmission, its own start and end included. */
  readonly records: number;
  readonly total: Money;
  /** The date the transmission was generated (AvtaleGiro: the earliest due date). */
  readonly netsDate: IsoDate;
  readonly line: number;
  readonly reserved: Reserved | undefined;
}

/**
 * How the file was written: what the writer reproduces by default.
 *
 * @example
 * writeOcrGiro(file, { lineEnding: file.layout.lineEnding === '\n' ? '\r\n' : '\n' });
 */
export interface FileLayout {
  readonly encoding: 'latin1' | 'utf-8';
  /** `''`: no separators (a stream of 80-character records). */
  readonly lineEnding: LineTerminator;
  /** Whether the last record has a terminator. */
  readonly finalNewline: boolean;
}

/**
 * A Nets OCR giro file: one transmission (forsendelse) of assignments.
 *
 * @example
 * const file = parseOcrGiro(bytes);
 * file.assignments[0].transactions[0].amount.toString(); // '1250.00'
 */
export interface OcrGiroFile {
  readonly format: 'ocrgiro';
  /** Dataavsender: 00008080 for files from Nets. */
  readonly dataTransmitter: string;
  /** Forsendelsesnummer (7 digits). */
  readonly transmissionNumber: string;
  /** Datamottaker: the recipient's customer unit ID (8 digits). */
  readonly dataRecipient: string;
  readonly assignments: readonly Assignment[];
  /** The end record as read; undefined when missing (lenient mode). */
  readonly end: TransmissionEnd | undefined;
  /** The file's identity for payment ids: `ocrgiro:<transmitter>:<recipient>:<transmission number>` unless given. */
  readonly identity: string;
  /** The source name given to the parser. */
  readonly source: string | undefined;
  readonly layout: FileLayout;
  /** Problems found while reading (warnings only in strict mode); empty for a built file. */
  readonly issues: readonly Issue[];
  /** Line of the start record (10). */
  readonly line: number;
  readonly reserved: Reserved | undefined;
}

/**
 * The transmission start, for streaming readers (known after the first line).
 *
 * @example
 * const reader = readOcrGiro(stream);
 * for await (const a of reader) console.log(reader.transmission?.transmissionNumber, a.account);
 */
export interface TransmissionHeader {
  readonly dataTransmitter: string;
  readonly transmissionNumber: string;
  readonly dataRecipient: string;
  readonly identity: string;
  readonly line: number;
}

// ------------------------------------------------------------------------------------------------------------
// helpers

const fmtOre = (ore: bigint): string => {
  const neg = ore < 0n;
  const a = neg ? -ore : ore;
  const s = (a / 100n).toString();
  const c = (a % 100n).toString().padStart(2, '0');
  return `${neg ? '-' : ''}${s}.${c}`;
};

function allDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function allZeros(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

function put(r: Record<string, string> | undefined, key: string, v: string): Record<string, string> {
  const out = r ?? {};
  out[key] = v;
  return out;
}

function reserved1(key: string, v: string): Reserved | undefined {
  return v === '' ? undefined : { [key]: v };
}

/**
 * Why a KID fails (undefined when it passes). Accepts MOD10 or MOD11; a MOD11 `-` only as the last character.
 * A KID is 3 digits + 1 check digit up to 25 characters and cannot hold letters (Nets' Brukerhåndbok).
 *
 * @example
 * kidProblem('12345674'); // undefined (MOD10)
 * kidProblem('12345675'); // 'the check digit fails both MOD10 and MOD11'
 */
export function kidProblem(kid: string): string | undefined {
  const n = kid.length;
  if (n < 4 || n > 25) return `a KID has 4–25 characters, found ${n}`;
  for (let i = 0; i < n - 1; i++) {
    const c = kid.charCodeAt(i);
    if (c < 48 || c > 57) return 'a KID holds digits only (MOD11 may end in "-")';
  }
  const last = kid.charCodeAt(n - 1);
  if (last === 45) return isMod11Valid(kid, { allowDash: true }) ? undefined : 'the MOD11 check character is wrong';
  if (last < 48 || last > 57) return 'a KID holds digits only (MOD11 may end in "-")';
  return isLuhnValid(kid) || isMod11Valid(kid) ? undefined : 'the check digit fails both MOD10 and MOD11';
}

// ------------------------------------------------------------------------------------------------------------
// the assembler: records in, objects out, every control record checked

/** The file identity before (or without) a transmission start record. */
const UNKNOWN_IDENTITY = 'ocrgiro:unknown';

interface OpenAssignment {
  readonly start: AssignmentStartRecord | undefined;
  /** The text of the line that opened it (the 20, or the first transaction of an implicit assignment). */
  readonly text: string;
  readonly serviceCode: ServiceCode;
  readonly assignmentType: AssignmentType;
  readonly agreementId: string;
  readonly assignmentNumber: string;
  readonly account: string;
  readonly line: number;
  readonly index: number;
  readonly transactions: Transaction[];
  count: number;
  records: number;
  total: bigint;
  earliest: string | undefined;
  latest: string | undefined;
  last: string | undefined;
  unsorted: boolean;
}

interface Pending {
  i1: AmountItem1Record | AvtaleGiroAmountItem1Record;
  text1: string;
  i2: AmountItem2Record | AvtaleGiroAmountItem2Record | undefined;
  text2: string;
  i3: AmountItem3Record | undefined;
  spec: SpecificationRecord[] | undefined;
  /** 0 clean; 1 a line reported an error in a field the transaction can do without; 2 it cannot be read. */
  damage: Damage;
}

/**
 * What reading a line found: 0 clean, 1 an error in a field a transaction can do without (kept, the field
 * blanked when unreadable), 2 an error in a field it cannot do without (amount, sign, KID, date, type).
 */
export type Damage = 0 | 1 | 2;

/** Callbacks of the {@link Assembler}. */
export interface AssemblerHandlers {
  /** A closed assignment (only with `retain`). */
  readonly onAssignment?: (a: Assignment) => void;
  /** A finished transaction, with its assignment's account and 1-based index. */
  readonly onTransaction?: (tx: Transaction, account: string, section: number) => void;
}

/** Options of the {@link Assembler}. */
export interface AssemblerOptions {
  /** Keep transactions in their assignment (false when streaming payments: constant memory). */
  readonly retain: boolean;
  readonly fileIdentity?: string | undefined;
}

/**
 * Turns records into objects one at a time, checking the grammar
 * (`10 (20 (30 31 [32] | 30 31 49* | 70)* 88)* 89`) and every control field of 88 and 89 as it goes.
 * Memory: the open assignment only (and with `retain: false`, not even its transactions).
 */
export class Assembler {
  private header: TransmissionStartRecord | undefined;
  private started = false;
  private ended = false;
  private endRecord: TransmissionEndRecord | undefined;
  private cur: OpenAssignment | undefined;
  private pending: Pending | undefined;
  private assignmentIndex = 0;
  private fileCount = 0;
  private fileRecords = 0;
  private fileTotal = 0n;
  private lastLine = 0;
  private lastText = '';
  private readonly strings = new Map<string, string>();
  private truncatedLine = -1;
  /** Every closed assignment (with `retain`). */
  readonly assignments: Assignment[] = [];
  /** The file identity (set from the start record). */
  identity: string;

  constructor(
    private readonly ctx: LineContext,
    private readonly options: AssemblerOptions,
    private readonly handlers: AssemblerHandlers = {},
  ) {
    this.identity = options.fileIdentity ?? UNKNOWN_IDENTITY;
  }

  /** The transmission start as read, once seen. */
  get transmission(): TransmissionHeader | undefined {
    const h = this.header;
    if (h === undefined) return undefined;
    return {
      dataTransmitter: h.dataTransmitter,
      transmissionNumber: h.transmissionNumber,
      dataRecipient: h.dataRecipient,
      identity: this.identity,
      line: h.line,
    };
  }

  /** Data in the filler of the transmission start (10), if any. */
  get reserved(): Reserved | undefined {
    return this.header === undefined ? undefined : reserved1('10.filler32', this.header.filler32);
  }

  /** The transmission end as read, once seen. */
  get end(): TransmissionEnd | undefined {
    const e = this.endRecord;
    if (e === undefined) return undefined;
    return {
      count: Number(e.transactionCount),
      records: Number(e.recordCount),
      total: Money.fromMinor(e.total, 'NOK'),
      netsDate: e.netsDate,
      line: e.line,
      reserved: reserved1('89.filler48', e.filler48),
    };
  }

  /**
   * One shared instance of a repeated short value (dates, centre IDs, zero fields): a file of a million
   * transactions holds a few hundred distinct dates, and keeping one string each spares the garbage collector.
   */
  private intern<T extends string>(v: T): T {
    const c = this.strings.get(v);
    if (c !== undefined) return c as T;
    if (this.strings.size >= 4096) this.strings.clear();
    this.strings.set(v, v);
    return v;
  }

  private internZeros(v: string): string {
    return allZeros(v) ? this.intern(v) : v;
  }

  private err(code: string, message: string, line: number, text: string, extra: Partial<Issue> = {}): void {
    report(this.ctx, lineIssue(this.ctx, code, message, line, text, extra));
  }

  private warn(code: string, message: string, line: number, text: string, extra: Partial<Issue> = {}): void {
    report(this.ctx, lineIssue(this.ctx, code, message, line, text, extra, 'warning'));
  }

  /**
   * Feeds one record with the text of its line. `damage` 2: reading the line reported an error in a field
   * the transaction cannot do without (its amount, sign, KID, date or type), so it is counted in the control
   * checks but left out of the objects, with a `dropped_transaction` error naming its line. `damage` 1: an
   * error in another field: the transaction is kept (unreadable optional fields blanked), with the issues.
   */
  push(rec: OcrGiroRecord, text: string, damage: Damage = 0): void {
    if (rec.recordType === 'unknown' && rec.reason === 'blank') return;
    this.fileRecords++;
    this.lastLine = rec.line;
    this.lastText = text;
    if (this.ended) {
      // a record after the end: report it and carry on (lenient mode keeps what follows a premature 89);
      // the file has its 89, so no missing_end at the end of input
      this.err('record_order', 'record after the end of the transmission (89)', rec.line, text, {
        column: 7,
        ...recordOf(text),
      });
      this.ended = false;
    }
    if (!this.started) {
      this.started = true;
      if (rec.recordType !== '10') {
        this.err('missing_start', 'the file does not start with a transmission start record (10)', rec.line, text, {
          column: 7,
          ...recordOf(text),
          expected: '10',
          actual: text.slice(6, 8),
        });
      }
    }
    switch (rec.recordType) {
      case 'unknown':
        if (this.cur !== undefined) this.cur.records++;
        return;
      case '10':
        // a transaction before a late 10 completes before it: its payment id is made without the identity
        // (the rule toPayments follows, so that whole and streamed parses give the same ids)
        this.flush();
        if (this.header !== undefined || this.fileRecords !== 1) {
          this.err('record_order', 'transmission start (10) where it is not the first record', rec.line, text, {
            column: 7,
            record: '10',
          });
          if (this.header !== undefined) return;
        }
        this.header = rec;
        this.identity =
          this.options.fileIdentity ?? `ocrgiro:${rec.dataTransmitter}:${rec.dataRecipient}:${rec.transmissionNumber}`;
        return;
      case '20':
        this.flush();
        if (this.cur !== undefined) {
          this.err(
            'unclosed_section',
            `assignment at line ${this.cur.line} has no end record (88) before the next start`,
            rec.line,
            text,
            { column: 7, record: '20' },
          );
          this.close(undefined, '');
        }
        this.open(rec, text);
        return;
      case '30': {
        this.flush();
        const cur = this.ensure(rec.serviceCode === '21' ? '21' : '09', rec.line, text, '30');
        cur.records++;
        if (cur.serviceCode !== rec.serviceCode) {
          this.err(
            'record_order',
            `transaction of service ${rec.serviceCode} in an assignment of service ${cur.serviceCode}`,
            rec.line,
            text,
            { column: 3, record: '30', field: 'serviceCode', expected: cur.serviceCode, actual: rec.serviceCode },
          );
        } else if (cur.assignmentType === '24') {
          this.err('unexpected_record', 'amount item in an agreement assignment (type 24)', rec.line, text, {
            column: 7,
            record: '30',
          });
        }
        this.pending = { i1: rec, text1: text, i2: undefined, text2: '', i3: undefined, spec: undefined, damage };
        return;
      }
      case '31': {
        if (this.cur !== undefined) this.cur.records++;
        const p = this.pending;
        if (p === undefined) {
          this.err('orphan_record', 'amount item 2 (31) without an amount item 1 (30)', rec.line, text, {
            column: 7,
            record: '31',
          });
        } else if (p.i2 !== undefined) {
          this.err('record_order', `a second amount item 2 for transaction ${p.i1.transactionNumber}`, rec.line, text, {
            column: 7,
            record: '31',
          });
        } else {
          this.matchItem(p, rec.serviceCode, rec.transactionType, rec.transactionNumber, rec.line, text, '31');
          p.i2 = rec;
          p.text2 = text;
          if (damage > 0 && p.damage === 0) p.damage = 1;
        }
        return;
      }
      case '32': {
        if (this.cur !== undefined) this.cur.records++;
        const p = this.pending;
        if (p === undefined) {
          this.err('orphan_record', 'amount item 3 (32) without an amount item 1 (30)', rec.line, text, {
            column: 7,
            record: '32',
          });
        } else if (p.i1.serviceCode !== '09' || (p.i1.transactionType !== '20' && p.i1.transactionType !== '21')) {
          this.err(
            'unexpected_record',
            `amount item 3 (32) is only for OCR giro types 20 and 21, transaction ${p.i1.transactionNumber} is type ${p.i1.transactionType}`,
            rec.line,
            text,
            { column: 5, record: '32', field: 'transactionType', actual: rec.transactionType },
          );
        } else if (p.i2 === undefined || p.i3 !== undefined) {
          this.err(
            'record_order',
            p.i2 === undefined ? 'amount item 3 (32) before amount item 2 (31)' : 'a second amount item 3 (32)',
            rec.line,
            text,
            { column: 7, record: '32' },
          );
        } else {
          this.matchItem(p, rec.serviceCode, rec.transactionType, rec.transactionNumber, rec.line, text, '32');
          p.i3 = rec;
          if (damage > 0 && p.damage === 0) p.damage = 1;
        }
        return;
      }
      case '49': {
        if (this.cur !== undefined) this.cur.records++;
        const p = this.pending;
        if (p === undefined || p.i1.serviceCode !== '21') {
          this.err('orphan_record', 'specification line (49) without an AvtaleGiro payment request', rec.line, text, {
            column: 7,
            record: '49',
          });
        } else if (p.i2 === undefined) {
          this.err('record_order', 'specification line (49) before amount item 2 (31)', rec.line, text, {
            column: 7,
            record: '49',
          });
        } else {
          this.matchItem(p, rec.serviceCode, rec.transactionType, rec.transactionNumber, rec.line, text, '49');
          if (p.spec === undefined) p.spec = [rec];
          else p.spec.push(rec);
          if (damage > 0 && p.damage === 0) p.damage = 1;
        }
        return;
      }
      case '70': {
        this.flush();
        const cur = this.ensure('21', rec.line, text, '70');
        cur.records++;
        if (cur.serviceCode !== '21' || cur.assignmentType !== '24') {
          this.err(
            'unexpected_record',
            'agreement record (70) outside an AvtaleGiro agreement assignment (21/24)',
            rec.line,
            text,
            {
              column: 7,
              record: '70',
            },
          );
        }
        this.finish(cur, this.agreement(rec, text), undefined, text, damage === 2, rec.line);
        return;
      }
      case '88':
        this.flush();
        if (this.cur === undefined) {
          this.err('orphan_record', 'assignment end (88) without an assignment start (20)', rec.line, text, {
            column: 7,
            record: '88',
          });
          return;
        }
        this.cur.records++;
        this.close(rec, text);
        return;
      case '89':
        this.flush();
        if (this.cur !== undefined) {
          this.err(
            'unclosed_section',
            `assignment at line ${this.cur.line} has no end record (88) before the transmission end`,
            rec.line,
            text,
            { column: 7, record: '89' },
          );
          this.close(undefined, '');
        }
        this.ended = true;
        this.endRecord = rec;
        this.checkTransmissionEnd(rec, text);
        return;
    }
  }

  private matchItem(
    p: Pending,
    service: string,
    type: string,
    number: string,
    line: number,
    text: string,
    record: string,
  ): void {
    const i1 = p.i1;
    if (service !== i1.serviceCode || type !== i1.transactionType) {
      this.err(
        'item_mismatch',
        `record ${record} has service/type ${service}/${type}, its amount item 1 (line ${i1.line}) ${i1.serviceCode}/${i1.transactionType}`,
        line,
        text,
        { column: 3, record, field: 'transactionType', expected: i1.transactionType, actual: type },
      );
    }
    if (number !== i1.transactionNumber) {
      this.err(
        'item_mismatch',
        `record ${record} has transaction number ${number}, its amount item 1 (line ${i1.line}) ${i1.transactionNumber}`,
        line,
        text,
        { column: 9, record, field: 'transactionNumber', expected: i1.transactionNumber, actual: number },
      );
    }
  }

  private open(rec: AssignmentStartRecord, text: string): void {
    if (!isNorwegianBankAccount(rec.account)) {
      this.warn('invalid_account', `assignment account ${rec.account} fails the MOD11 check`, rec.line, text, {
        column: 25,
        record: '20',
        field: 'account',
        actual: rec.account,
      });
    }
    this.cur = {
      start: rec,
      text,
      serviceCode: rec.serviceCode,
      assignmentType: rec.assignmentType,
      agreementId: rec.agreementId,
      assignmentNumber: rec.assignmentNumber,
      account: rec.account,
      line: rec.line,
      index: ++this.assignmentIndex,
      transactions: [],
      count: 0,
      records: 1,
      total: 0n,
      earliest: undefined,
      latest: undefined,
      last: undefined,
      unsorted: false,
    };
  }

  /** The open assignment, or an implicit one (reported) for a transaction outside any assignment. */
  private ensure(service: ServiceCode, line: number, text: string, record: string): OpenAssignment {
    if (this.cur !== undefined) return this.cur;
    this.err('record_order', 'transaction outside an assignment (no start record 20)', line, text, {
      column: 7,
      record,
    });
    this.cur = {
      start: undefined,
      text,
      serviceCode: service,
      assignmentType: record === '70' ? '24' : '00',
      agreementId: '',
      assignmentNumber: '',
      account: '',
      line,
      index: ++this.assignmentIndex,
      transactions: [],
      count: 0,
      records: 0,
      total: 0n,
      earliest: undefined,
      latest: undefined,
      last: undefined,
      unsorted: false,
    };
    return this.cur;
  }

  /** Completes the pending transaction (called when a record that cannot belong to it arrives). */
  private flush(): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    const cur = this.cur!;
    const i1 = p.i1;
    if (p.i2 === undefined && i1.line !== this.truncatedLine) {
      this.err('record_order', `transaction ${i1.transactionNumber} has no amount item 2 (31)`, i1.line, p.text1, {
        column: 7,
        record: '30',
      });
    }
    if (i1.serviceCode === '09') {
      const i2 = p.i2?.serviceCode === '09' ? p.i2 : undefined;
      const tx = this.ocrTransaction(i1, i2, p.i3, p.text1, p.text2, p.damage === 1);
      if ((i1.transactionType === '20' || i1.transactionType === '21') && p.i3 === undefined) {
        this.err(
          'record_order',
          `transaction ${i1.transactionNumber} of type ${i1.transactionType} has no amount item 3 (32)`,
          i1.line,
          p.text1,
          { column: 7, record: '30' },
        );
      }
      this.finish(cur, tx, i1.amount, p.text1, p.damage === 2, i1.line);
    } else {
      const i2 = p.i2?.serviceCode === '21' ? p.i2 : undefined;
      this.finish(cur, this.request(i1, i2, p.spec, p.text1), i1.amount, p.text1, p.damage === 2, i1.line);
    }
  }

  private ocrTransaction(
    i1: AmountItem1Record,
    i2: AmountItem2Record | undefined,
    i3: AmountItem3Record | undefined,
    text: string,
    text2: string,
    damaged = false,
  ): OcrGiroTransaction {
    const kid = i1.kid === '' ? undefined : i1.kid;
    if (kid !== undefined) {
      const why = kidProblem(kid);
      if (why !== undefined) {
        this.warn('invalid_kid', `KID ${JSON.stringify(kid)}: ${why} (kept)`, i1.line, text, {
          column: 50,
          record: '30',
          field: 'kid',
          actual: kid,
        });
      }
    }
    const type = i1.transactionType;
    const info = type === '18' || type === '19' || type === '20' || type === '21';
    const dayCode = Number(i1.dayCode);
    if (!(dayCode >= 1 && dayCode <= 31)) {
      this.warn('field_format', `day code ${i1.dayCode} is not a day of the month (01–31)`, i1.line, text, {
        column: 24,
        record: '30',
        field: 'dayCode',
        actual: i1.dayCode,
      });
    }
    if (info && i1.partialSettlementNumber !== '0') {
      this.warn('field_format', `partial settlement number must be 0 for type ${type}`, i1.line, text, {
        column: 26,
        record: '30',
        field: 'partialSettlementNumber',
        actual: i1.partialSettlementNumber,
      });
    }
    if (info && i2 !== undefined && !allZeros(i2.debitAccount)) {
      this.warn('field_format', `debit account must be zeros for type ${type}`, i2.line, text2, {
        column: 48,
        record: '31',
        field: 'debitAccount',
        actual: i2.debitAccount,
      });
    }
    let reserved: Record<string, string> | undefined;
    if (i1.filler77 !== '') reserved = { '30.filler77': i1.filler77 };
    // a kept transaction with an unreadable field other than amount, sign, KID and date (reported already):
    // the field is left blank (never guessed)
    const digitsOr = (v: string, blank: string): string => (damaged && !allDigits(v) ? blank : v);
    const num = (v: string): number => {
      const n = Number(v);
      return damaged && !allDigits(v) ? 0 : n;
    };
    if (i2 !== undefined && i2.filler59 !== '') reserved = put(reserved, '31.filler59', i2.filler59);
    if (i3 !== undefined && i3.filler56 !== '') reserved = put(reserved, '32.filler56', i3.filler56);
    const minor = i1.sign === '-' ? -i1.amount : i1.amount;
    return {
      kind: 'ocr-giro',
      serviceCode: '09',
      type,
      number: num(i1.transactionNumber),
      netsDate: this.intern(i1.netsDate),
      centreId: this.intern(i1.centreId),
      dayCode,
      partialSettlementNumber: num(i1.partialSettlementNumber),
      partialSettlementSerialNumber: this.intern(i1.partialSettlementSerialNumber),
      sign: i1.sign,
      amount: Money.fromMinor(minor, 'NOK'),
      kid,
      cardIssuer: i1.cardIssuer === '00' ? undefined : this.intern(i1.cardIssuer),
      formNumber: i2 === undefined ? '' : this.internZeros(digitsOr(i2.formNumber, '')),
      archiveReference: i2 === undefined ? '' : this.internZeros(digitsOr(i2.archiveReference, '')),
      filler31: i2 === undefined ? '' : this.intern(i2.filler35),
      bankDate:
        i2?.bankDate === undefined || (damaged && i2.bankDate.length !== 10) ? undefined : this.intern(i2.bankDate),
      debitAccount: i2 === undefined ? '' : this.internZeros(digitsOr(i2.debitAccount, '')),
      freeText: i3?.freeText,
      line: i1.line,
      reserved,
    };
  }

  private request(
    i1: AvtaleGiroAmountItem1Record,
    i2: AvtaleGiroAmountItem2Record | undefined,
    spec: SpecificationRecord[] | undefined,
    text: string,
  ): AvtaleGiroRequest {
    const kid = i1.kid === '' ? undefined : i1.kid;
    if (kid !== undefined) {
      const why = kidProblem(kid);
      if (why !== undefined) {
        this.warn('invalid_kid', `KID ${JSON.stringify(kid)}: ${why} (kept)`, i1.line, text, {
          column: 50,
          record: '30',
          field: 'kid',
          actual: kid,
        });
      }
    }
    let reserved: Record<string, string> | undefined;
    if (i1.filler22 !== '') reserved = { '30.filler22': i1.filler22 };
    if (i1.filler75 !== '') reserved = put(reserved, '30.filler75', i1.filler75);
    if (i2 !== undefined && i2.filler26 !== '') reserved = put(reserved, '31.filler26', i2.filler26);
    if (i2 !== undefined && i2.filler76 !== '') reserved = put(reserved, '31.filler76', i2.filler76);
    const minor = i1.amount;
    return {
      kind: 'avtalegiro',
      serviceCode: '21',
      type: i1.transactionType,
      number: Number(i1.transactionNumber),
      dueDate: i1.dueDate,
      amount: Money.fromMinor(minor, 'NOK'),
      kid,
      payerName: i2 === undefined ? '' : i2.payerName,
      externalReference: i2 === undefined ? '' : i2.externalReference,
      specification: (spec ?? []).map((s) => ({
        lineNumber: Number(s.lineNumber),
        column: s.column,
        text: s.text,
        reserved: reserved1('49.filler61', s.filler61),
      })),
      line: i1.line,
      reserved,
    };
  }

  private agreement(rec: AgreementRecord, text: string): AvtaleGiroAgreement {
    const kid = rec.kid === '' ? undefined : rec.kid;
    if (kid !== undefined) {
      const why = kidProblem(kid);
      if (why !== undefined) {
        this.warn('invalid_kid', `KID ${JSON.stringify(kid)}: ${why} (kept)`, rec.line, text, {
          column: 17,
          record: '70',
          field: 'kid',
          actual: kid,
        });
      }
    }
    return {
      kind: 'agreement',
      serviceCode: '21',
      type: '94',
      number: Number(rec.transactionNumber),
      registrationType: rec.registrationType,
      kid,
      notify: rec.notify === 'J',
      line: rec.line,
      reserved: reserved1('70.filler43', rec.filler43),
    };
  }

  /** Adds a finished transaction to its assignment and the running totals. */
  private finish(
    cur: OpenAssignment,
    tx: Transaction,
    amount: bigint | undefined,
    text: string,
    broken: boolean,
    line: number,
  ): void {
    cur.count++;
    this.fileCount++;
    if (amount !== undefined) {
      cur.total += amount;
      this.fileTotal += amount;
      const d = tx.kind === 'ocr-giro' ? tx.netsDate : tx.kind === 'avtalegiro' ? tx.dueDate : undefined;
      // a date the codec could not read stays as its raw text: leave it out of the date checks
      if (d !== undefined && d.length === 10) {
        if (cur.earliest === undefined || d < cur.earliest) cur.earliest = d;
        if (cur.latest === undefined || d > cur.latest) cur.latest = d;
        if (tx.kind === 'ocr-giro' && cur.last !== undefined && d < cur.last && !cur.unsorted) {
          cur.unsorted = true;
          this.warn(
            'unsorted_transactions',
            `transaction ${tx.number} (${d}) comes after one dated ${cur.last}: transactions are not sorted by Nets date`,
            tx.line,
            text,
            { column: 16, record: '30', field: 'netsDate' },
          );
        }
        cur.last = d;
      }
    }
    if (broken) {
      // counted above so that the control checks stay meaningful; say plainly that it is left out
      this.err(
        'dropped_transaction',
        `transaction ${tx.number} left out: its amount, sign, KID, date or type cannot be read (still counted in the 88/89 checks)`,
        line,
        text,
        { column: 1, record: tx.kind === 'agreement' ? '70' : '30' },
      );
      return;
    }
    if (this.options.retain) cur.transactions.push(tx);
    this.handlers.onTransaction?.(tx, cur.account, cur.index);
  }

  private close(rec: AssignmentEndRecord | undefined, text: string): void {
    const cur = this.cur!;
    this.cur = undefined;
    let end: AssignmentEnd | undefined;
    if (rec !== undefined) {
      const ocr = cur.serviceCode === '09';
      end = {
        count: Number(rec.transactionCount),
        records: Number(rec.recordCount),
        total: Money.fromMinor(rec.total, 'NOK'),
        netsDate: ocr ? rec.date1 : rec.date3,
        earliest: ocr ? rec.date2 : rec.date1,
        latest: ocr ? rec.date3 : rec.date2,
        line: rec.line,
        reserved: reserved1('88.filler60', rec.filler60),
      };
      this.checkAssignmentEnd(cur, rec, end, text);
    }
    if (cur.count === 0) {
      this.warn('section_without_payments', `assignment at line ${cur.line} has no transactions`, cur.line, '', {
        record: '20',
      });
    }
    const a: Assignment = {
      serviceCode: cur.serviceCode,
      assignmentType: cur.assignmentType,
      agreementId: cur.agreementId,
      assignmentNumber: cur.assignmentNumber,
      account: cur.account,
      transactions: cur.transactions,
      end,
      line: cur.line,
      reserved: cur.start === undefined ? undefined : reserved1('20.filler36', cur.start.filler36),
    };
    if (this.options.retain) this.assignments.push(a);
    this.handlers.onAssignment?.(a);
  }

  private checkAssignmentEnd(cur: OpenAssignment, rec: AssignmentEndRecord, end: AssignmentEnd, text: string): void {
    const line = rec.line;
    if (rec.serviceCode !== cur.serviceCode || rec.assignmentType !== cur.assignmentType) {
      this.err(
        'record_order',
        `assignment end has service/type ${rec.serviceCode}/${rec.assignmentType}, its start ${cur.serviceCode}/${cur.assignmentType}`,
        line,
        text,
        { column: 3, record: '88', expected: `${cur.serviceCode}${cur.assignmentType}` },
      );
    }
    this.countCheck(
      '88',
      'transactionCount',
      9,
      end.count,
      rec.transactionCount,
      cur.count,
      'transactions',
      line,
      text,
    );
    this.countCheck('88', 'recordCount', 17, end.records, rec.recordCount, cur.records, 'records', line, text);
    if (rec.total !== cur.total) {
      this.err(
        'control_total_mismatch',
        `assignment total ${fmtOre(rec.total)} NOK, the transactions add up to ${fmtOre(cur.total)} NOK (reversals added)`,
        line,
        text,
        { column: 25, record: '88', field: 'total', expected: fmtOre(rec.total), actual: fmtOre(cur.total) },
      );
    }
    if (cur.count > 0 && cur.assignmentType !== '24') {
      const ocr = cur.serviceCode === '09';
      this.dateCheck(ocr ? 'date2' : 'date1', ocr ? 48 : 42, 'earliest', end.earliest, cur.earliest, line, text);
      this.dateCheck(ocr ? 'date3' : 'date2', ocr ? 54 : 48, 'latest', end.latest, cur.latest, line, text);
    }
  }

  private dateCheck(
    field: string,
    column: number,
    what: string,
    declared: string | undefined,
    found: string | undefined,
    line: number,
    text: string,
  ): void {
    if (found === undefined || declared === found) return;
    if (declared !== undefined && declared.length !== 10) return; // unreadable: already reported as invalid_date
    this.err(
      'control_date_mismatch',
      `assignment end gives the ${what} date as ${declared ?? '000000'}, the transactions ${found}`,
      line,
      text,
      { column, record: '88', field, expected: declared ?? '', actual: found },
    );
  }

  private countCheck(
    record: string,
    field: string,
    column: number,
    declared: number,
    raw: string,
    found: number,
    what: string,
    line: number,
    text: string,
  ): void {
    if (declared === found || Number.isNaN(declared)) return;
    this.err(
      'count_mismatch',
      `${record === '88' ? 'assignment' : 'transmission'} end declares ${declared} ${what}, ${found} found`,
      line,
      text,
      { column, record, field, expected: String(declared), actual: String(found) },
    );
    void raw;
  }

  private checkTransmissionEnd(rec: TransmissionEndRecord, text: string): void {
    const line = rec.line;
    this.countCheck(
      '89',
      'transactionCount',
      9,
      Number(rec.transactionCount),
      '',
      this.fileCount,
      'transactions',
      line,
      text,
    );
    this.countCheck('89', 'recordCount', 17, Number(rec.recordCount), '', this.fileRecords, 'records', line, text);
    if (rec.total !== this.fileTotal) {
      this.err(
        'control_total_mismatch',
        `transmission total ${fmtOre(rec.total)} NOK, the transactions add up to ${fmtOre(this.fileTotal)} NOK`,
        line,
        text,
        { column: 25, record: '89', field: 'total', expected: fmtOre(rec.total), actual: fmtOre(this.fileTotal) },
      );
    }
  }

  /**
   * Ends the input: completes the pending transaction and reports what is missing. `truncatedAt`: the last
   * line, when it is a partial record without a terminator (the file was cut short).
   */
  endOfInput(truncatedAt: { line: number; text: string } | undefined): void {
    const truncated = truncatedAt !== undefined && !this.ended;
    if (truncated) this.truncatedLine = truncatedAt.line;
    this.flush();
    if (truncated) {
      this.err(
        'truncated_file',
        'the file ends inside a record: it was cut short',
        truncatedAt.line,
        truncatedAt.text,
        {
          column: truncatedAt.text.length + 1,
          ...recordOf(truncatedAt.text),
        },
      );
    }
    if (!this.started) {
      report(
        this.ctx,
        lineIssue(this.ctx, 'missing_start', 'the input holds no records', 1, '', {
          column: 1,
          record: '10',
          expected: '10',
        }),
      );
      return;
    }
    if (this.cur !== undefined) {
      if (!truncated) {
        const cur = this.cur;
        this.err('unclosed_section', `assignment at line ${cur.line} has no end record (88)`, cur.line, cur.text, {
          column: 7,
          ...(cur.start === undefined ? recordOf(cur.text) : { record: '20' }),
          expected: '88',
        });
      }
      this.close(undefined, '');
    }
    // a file whose 89 was read (records after it are reported as they come) does not miss its end
    if (!this.ended && this.endRecord === undefined && !truncated) {
      this.err('missing_end', 'the file has no transmission end record (89)', this.lastLine, this.lastText, {
        column: 1,
        ...recordOf(this.lastText),
        expected: '89',
      });
    }
  }
}

// ------------------------------------------------------------------------------------------------------------
// payments

/**
 * Options of {@link toPayments}.
 *
 * @example
 * toPayments(file, { source: 'OCR.D150325', fileIdentity: 'nets:2025-03-15:170' });
 */
export interface ToPaymentsOptions {
  /** Payment.source.file. Default: the file's `source`, else `<input>`. */
  readonly source?: string;
  /** The file identity for payment ids. Default: the file's `identity`. */
  readonly fileIdentity?: string;
}

/**
 * One OCR giro transaction as a shared {@link Payment}.
 *
 * - `amount`: signed. Negative when the sign is `-` **or** the type is a reversal (18, 20): a reversal
 *   (tilbakeføring) takes money back from the payee whatever the sign column says, and a reversal with
 *   sign `-` is negative once, never double-negated. Nets' 88/89 totals add reversals; payments do not.
 * - `date`: the Nets date (oppgjørsdato), the day the money is settled to the payee's account. The payer's
 *   bank date is often `000000`, and the bank statement follows the Nets date.
 * - `reference`: the KID (`referenceKind: 'kid'`), or none (`'none'`). A KID that fails its check digit is
 *   still the KID Nets reported: it stays `'kid'` (the parser warns `invalid_kid`).
 * - `serialNumber`: the archive reference (columns 26–34 of item 2), when not all zeros.
 * - `payer.account`: the debit account, when not all zeros. `messages`: the free text of item 3.
 *
 * @example
 * const a = file.assignments[0]!;
 * const tx = a.transactions[0];
 * if (tx?.kind === 'ocr-giro') paymentOf(tx, a.account, 1, file.identity, 'OCR.txt');
 */
export function paymentOf(
  tx: OcrGiroTransaction,
  account: string,
  section: number,
  identity: string,
  source: string,
): Payment {
  const kid = tx.kid;
  let amount = tx.amount;
  if (isReversal(tx.type) && !amount.isNegative()) amount = amount.negate();
  const payment: {
    -readonly [K in keyof Payment]: Payment[K];
  } = {
    id: paymentId(identity, tx.line),
    format: 'ocrgiro',
    kind: 'payment',
    transactionCode: tx.type,
    receivingAccount: { kind: 'no-account', number: account },
    amount,
    currency: 'NOK',
    date: tx.netsDate,
    referenceKind: kid === undefined ? 'none' : 'kid',
    extraReferences: [],
    payer: tx.debitAccount === '' || allZeros(tx.debitAccount) ? {} : { account: tx.debitAccount },
    messages: tx.freeText === undefined || tx.freeText === '' ? [] : [tx.freeText],
    source: { file: source, line: tx.line, section },
  };
  // the shared model's reference is "as in the file but trimmed": a KID left-aligned in its right-aligned
  // field (a format error, reported as invalid_kid) keeps its padding in the transaction (so the writer
  // reproduces the line), not in the payment
  if (kid !== undefined) payment.reference = kid.trim();
  if (tx.archiveReference !== '' && !allZeros(tx.archiveReference)) payment.serialNumber = tx.archiveReference;
  return payment;
}

/**
 * The payments of a file, in file order: every OCR giro transaction (service 09). Ids are those
 * {@link readOcrGiro} gives: the file identity known when the transaction was complete (a transaction before
 * a late transmission start, in lenient mode, gets `ocrgiro:unknown`), unless `fileIdentity` is given. AvtaleGiro assignments
 * (service 21) hold payment requests and agreements, not money received: AvtaleGiro payments reach the
 * payee as OCR giro transactions of type 15. See {@link paymentOf} for the mapping.
 *
 * @example
 * const payments = toPayments(parseOcrGiro(bytes, { source: 'OCR.D150325' }));
 * payments[0]; // { format: 'ocrgiro', reference: '12345674', referenceKind: 'kid', amount: Money 1250.00 NOK, ... }
 */
export function toPayments(file: OcrGiroFile, options: ToPaymentsOptions = {}): Payment[] {
  const identity = options.fileIdentity ?? file.identity;
  const source = options.source ?? file.source ?? '<input>';
  // the identity known when each payment was complete, as the streaming reader hands it out: a transaction
  // before a late transmission start (10, lenient mode) gets the identity of a file without one
  const derived = `ocrgiro:${file.dataTransmitter}:${file.dataRecipient}:${file.transmissionNumber}`;
  const early = options.fileIdentity === undefined && file.identity === derived ? UNKNOWN_IDENTITY : identity;
  const out: Payment[] = [];
  file.assignments.forEach((a, i) => {
    for (const tx of a.transactions) {
      if (tx.kind !== 'ocr-giro') continue;
      out.push(paymentOf(tx, a.account, i + 1, tx.line < file.line ? early : identity, source));
    }
  });
  return out;
}
