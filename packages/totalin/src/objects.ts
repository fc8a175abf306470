/**
 * The objects layer of Total-IN: the file with its header, account sections and their payments and
 * deductions (children attached), control records checked, control records derived when writing
 * ({@link toRecords}), and the mapping to the shared {@link Payment} model ({@link toPayments}).
 */
import {
  DOS_EOF,
  type ExtraReference,
  expandTabs,
  type IsoDate,
  type IsoTimestamp,
  type IssueCollector,
  isCurrencyCode,
  isPlusgiro,
  issue,
  type Line,
  type LineTerminator,
  Money,
  NordfilError,
  type PayerDetails,
  type Payment,
  parseCompactTimestamp,
  paymentId,
} from '@nordfil/core';
import type {
  PhysicalLayout,
  Record00,
  Record10,
  Record20,
  Record25,
  Record70,
  Record90,
  Record99,
  TotalInKnownRecord,
  TotalInRecord,
} from './codecs.js';
import { changedByOpt, opt, trimBlanks } from './text.js';

// ---------------------------------------------------------------------------------------------
// the model

/**
 * Startpost (00): who made the file and when.
 *
 * @example
 * file.header?.timestamp;    // '20111025041330123456' (all 20 digits)
 * file.header?.isoTimestamp; // '2011-10-25T04:13:30.123456'
 */
export interface TotalInHeader {
  /** Total-IN id, e.g. `TI222222`. */
  id: string;
  /** Creation timestamp as in the file: `CCYYMMDDhhmmss` + 6 fraction digits (kept as text: 20 digits). */
  timestamp: string;
  /** The same timestamp as ISO local time at full precision; undefined when it is not a valid timestamp. */
  isoTimestamp: IsoTimestamp | undefined;
  /** Leveransnummer: the file's sequence number within the day (`01`, `02`…). */
  deliveryNumber: string;
  /** File type: `TL1`. */
  fileType: string;
  /** File name: `TOTALIN`, or `TOTALIN-T` for a test file. */
  fileName: string;
  /**
   * Test file: file name `TOTALIN-T`. This is jacob22/accounting's reading, not confirmed by a bank
   * document (the Nordea record description could not be consulted).
   */
  test: boolean;
  /** 1-based line of the record (absent on objects built in code). */
  line?: number;
}

/** Referenspost (30): up to two extra references. Empty fields (blank or all zeros) are undefined. */
export interface TotalInExtraReferences {
  reference: string | undefined;
  secondReference: string | undefined;
  line?: number;
}

/** Meddelandepost (40): two 35-character lines of the payer's message (`''` when blank). */
export interface TotalInMessage {
  message: string;
  secondMessage: string;
  line?: number;
}

/**
 * A party: the sender (avsändare, records 50-52: the party named on the payment) or the payer
 * (betalare, records 61-63: the holder of the debited account, which can be a bank). Empty fields are
 * undefined; `lines` tells which records were in the file (a record is written when it has a line or a
 * value).
 */
export interface TotalInParty {
  /** 50/61 first field. */
  name: string | undefined;
  /** 50/61 second field. */
  extraName: string | undefined;
  /** 51/62 first field. */
  street: string | undefined;
  /** 51/62 second field. */
  street2: string | undefined;
  /** 52/63 postnummer. */
  postalCode: string | undefined;
  /** 52/63 ort. */
  town: string | undefined;
  /** 52/63 landkod (blank = Sweden). */
  countryCode: string | undefined;
  /** Lines of the name (50/61), address (51/62) and town (52/63) records. */
  lines: { name?: number; address?: number; town?: number };
}

/** Betalarkonto (60): the account the money came from and the payer's organisation number. */
export interface TotalInPayerAccount {
  account: string | undefined;
  /** jacob22: `1` bank account, `2` bankgiro number; often blank. */
  accountType: string | undefined;
  organisationNumber: string | undefined;
  line?: number;
}

/**
 * Utlandsbetalning (70): a payment from abroad. The original amount times the exchange rate is the
 * payment's amount, to the öre (checked: `control_total_mismatch` warning).
 */
export interface TotalInForeignPayment {
  /** The bank's cost; undefined when the field is blank. In `costCurrency`, or the section's when blank. */
  bankCost: Money | undefined;
  /** The cost currency as in the file (`''` when blank). */
  costCurrency: string;
  /**
   * Ursprungligt belopp, in `originalCurrency`; undefined when the field is blank. The field has 2
   * decimals whatever the currency (reference §2.4): `000000010000000` JPY is 100000.00 JPY.
   */
  originalAmount: Money | undefined;
  /** As in the file, e.g. `EUR`. */
  originalCurrency: string;
  /** Växelkurs as an exact decimal string with 4 decimals, e.g. `'8.8000'`. */
  exchangeRate: string;
  line?: number;
}

/**
 * An inbetalning (record 20) or avdrag (record 25) with its child records.
 *
 * @example
 * for (const item of section.items) if (item.kind === 'deduction') console.log(item.amount.negate().toString());
 */
export interface TotalInItem {
  kind: 'payment' | 'deduction';
  /** Kundreferens, trimmed; undefined when blank or all zeros (Nordea writes 25 zeros for none). */
  reference: string | undefined;
  /** The amount as in the file (unsigned: a deduction is subtracted in totals). */
  amount: Money;
  /** Löpnummer: the bank's unique transaction number. */
  serialNumber: string | undefined;
  /** The sender's bankgiro number when the payment came through Bankgirot (25: oktavilla's columns 71-78). */
  bankgiro: string | undefined;
  /** Avdragskod (25 column 70): 0 full, 1 partial, 2 final part (jacob22); undefined when blank. */
  deductionCode: string | undefined;
  extraReferences: TotalInExtraReferences[];
  messages: TotalInMessage[];
  /** Avsändare: records 50, 51, 52. */
  sender: TotalInParty | undefined;
  /** Record 60. */
  payerAccount: TotalInPayerAccount | undefined;
  /** Betalare: records 61, 62, 63. */
  payer: TotalInParty | undefined;
  /** Record 70. */
  foreign: TotalInForeignPayment | undefined;
  /** 1-based line of the 20/25 record. */
  line?: number;
}

/** Slutpost konto (90) as the file declares it. */
export interface TotalInSectionClosing {
  /** Number of records 20 + 25 declared. */
  count: number;
  /** Σ20 − Σ25 declared. */
  total: Money;
  /** Kontoutdragsreferens, e.g. `20111024001`. */
  statementReference: string;
  line?: number;
}

/**
 * One account section (records 10 … 90): one receiving account, currency and booking date.
 *
 * @example
 * for (const s of file.accounts) console.log(s.account, s.currency, s.bookingDate, s.items.length);
 */
export interface TotalInAccountSection {
  /** Mottagarkonto: the receiving PlusGiro (or other) account, as in the file. */
  account: string;
  currency: string;
  /** Bokföringsdag; undefined when the record's date is unreadable (an `invalid_date` error). */
  bookingDate: IsoDate | undefined;
  items: TotalInItem[];
  /** The 90 record as read; undefined for a section built in code or one the file never closed. */
  closing: TotalInSectionClosing | undefined;
  line?: number;
}

/** A line kept verbatim for byte-exact writing. */
export interface RawLine {
  line: number;
  raw: string;
  terminator: LineTerminator;
  /**
   * `record`: the original text of a record the objects hold (used when the objects still give the same
   * values); `extra`: a line no object holds (blank line, unknown record, orphan), always written back.
   */
  kind: 'record' | 'extra';
}

/** How the parsed file was laid out, so that writing it gives back the same bytes. */
export interface TotalInPhysical extends PhysicalLayout {
  /** Lines whose text or terminator the canonical writer would not reproduce, in line order. */
  rawLines: RawLine[];
}

/** Slutpost (99) as the file declares it. */
export interface TotalInTrailer {
  /** Number of records declared, 00 and 99 included. */
  recordCount: number;
  line?: number;
}

/**
 * A Total-IN file: header, account sections and trailer.
 *
 * @example
 * const file = parseTotalIn(bytes);
 * file.header?.test; // false
 * file.accounts[0]?.closing?.total.toString(); // '19190.00'
 */
export interface TotalInFile {
  /** Undefined only when the file has no 00 record (lenient mode). */
  header: TotalInHeader | undefined;
  accounts: TotalInAccountSection[];
  /** Undefined only when the file has no 99 record (lenient mode). */
  trailer: TotalInTrailer | undefined;
  /** Present on parsed files: what the writer needs to reproduce the bytes. */
  physical?: TotalInPhysical;
}

// ---------------------------------------------------------------------------------------------
// helpers

const ZERO_MONEY = new Map<string, Money>();

/** A currency Money accepts: the code itself, or `XXX` (no currency) when it is not three capitals. */
export function moneyCurrency(currency: string): string {
  return isCurrencyCode(currency) ? currency : 'XXX';
}

/** Shared zero of a currency (Money is immutable). */
export function zeroMoney(currency: string): Money {
  let z = ZERO_MONEY.get(currency);
  if (z === undefined) {
    z = Money.zero(moneyCurrency(currency));
    ZERO_MONEY.set(currency, z);
  }
  return z;
}

/** The canonical "no reference" of records 20/25: 25 zeros (Nordea's example). */
const NO_REFERENCE = '0'.repeat(25);

/** `000000088000` → `'8.8000'`; other text unchanged. */
function rateText(digits: string): string {
  if (!/^\d{5,}$/.test(digits)) return digits;
  const n = digits.replace(/^0+(?=\d{5})/, '');
  return `${n.slice(0, -4)}.${n.slice(-4)}`;
}

/** `'8.8000'` → `000000088000` (12 digits). */
function rateDigits(rate: string): string {
  const m = /^(\d+)\.(\d{4})$/.exec(rate);
  if (m === null) return rate;
  return (m[1]! + m[2]!).padStart(12, '0');
}

function emptyParty(): TotalInParty {
  return {
    name: undefined,
    extraName: undefined,
    street: undefined,
    street2: undefined,
    postalCode: undefined,
    town: undefined,
    countryCode: undefined,
    lines: {},
  };
}

const CHILD_ORDER: Readonly<Record<string, number>> = {
  '30': 0,
  '40': 1,
  '50': 2,
  '51': 3,
  '52': 4,
  '60': 5,
  '61': 6,
  '62': 7,
  '63': 8,
  '70': 9,
};

const q = JSON.stringify;

/**
 * A parsed item: the amount is kept in öre and becomes Money on first use (a million payments need not
 * build a million Decimals to be counted and checked).
 */
class ParsedItem implements TotalInItem {
  kind: 'payment' | 'deduction';
  reference: string | undefined;
  /** The amount in öre, as in the file. */
  amountMinor: bigint;
  currency: string;
  serialNumber: string | undefined;
  bankgiro: string | undefined;
  deductionCode: string | undefined;
  extraReferences: TotalInExtraReferences[] = [];
  messages: TotalInMessage[] = [];
  sender: TotalInParty | undefined = undefined;
  payerAccount: TotalInPayerAccount | undefined = undefined;
  payer: TotalInParty | undefined = undefined;
  foreign: TotalInForeignPayment | undefined = undefined;
  declare line?: number;
  #money: Money | undefined;

  constructor(
    kind: 'payment' | 'deduction',
    reference: string | undefined,
    amountMinor: bigint,
    currency: string,
    serialNumber: string | undefined,
    bankgiro: string | undefined,
    deductionCode: string | undefined,
    line: number | undefined,
  ) {
    this.kind = kind;
    this.reference = reference;
    this.amountMinor = amountMinor;
    this.currency = currency;
    this.serialNumber = serialNumber;
    this.bankgiro = bankgiro;
    this.deductionCode = deductionCode;
    if (line !== undefined) this.line = line;
  }

  get amount(): Money {
    this.#money ??= Money.fromMinor(this.amountMinor, this.currency);
    return this.#money;
  }

  set amount(m: Money) {
    this.#money = m;
    this.amountMinor = m.toMinor();
    this.currency = m.currency;
  }

  toJSON(): Record<string, unknown> {
    const { amountMinor: _m, currency: _c, ...rest } = this;
    return { ...rest, amount: this.amount };
  }
}

/** Öre of an item, without building Money for parsed items. */
function itemMinor(item: TotalInItem): bigint {
  return item instanceof ParsedItem ? item.amountMinor : minor(item.amount);
}

// ---------------------------------------------------------------------------------------------
// assembling records into objects (incrementally: used by the whole-file and the streaming parsers)

/** What the assembler reports as it goes. @internal */
export interface AssemblerEvents {
  /** A section was closed (by its 90, or implicitly by a 10, 99 or the end). */
  section?(section: TotalInAccountSection, index: number): void;
  /** An item is complete (its children are all read). */
  item?(item: TotalInItem, section: TotalInAccountSection, index: number): void;
}

/** Options of the assembler. @internal */
export interface AssemblerOptions {
  /** Keep items in their sections (false when streaming payments: constant memory). */
  retainItems: boolean;
  /** Collect raw lines for byte-exact writing (whole-file parsing only). */
  keepPhysical: boolean;
}

interface SectionState {
  section: TotalInAccountSection;
  /** The line that opened the section (its 10 record, or the 20/25 of an implicit section). */
  opened: Line;
  index: number;
  count: number;
  sum: bigint;
  sumOk: boolean;
  currency: string;
}

/**
 * Groups records into the file model, checking structure and control totals as it goes: constant
 * memory when items are not retained.
 * @internal
 */
export class Assembler {
  header: TotalInHeader | undefined;
  trailer: TotalInTrailer | undefined;
  readonly accounts: TotalInAccountSection[] = [];
  readonly rawLines: RawLine[] = [];
  /** Non-blank records seen (what record 99 counts). */
  records = 0;
  private cur: SectionState | undefined;
  private item: TotalInItem | undefined;
  private itemAmount = 0n;
  private lastChild = -1;
  private seenChildren = 0;
  private sectionCount = 0;
  private ended = false;
  private startMissingReported = false;
  private lastLineRead: Line | undefined;
  private lastType = '';
  /** The line being assembled. */
  private ln: Line = { text: '', number: 0, terminator: '' };
  /** The line being assembled took the reader's slow path: its raw text is kept for the writer. */
  private dirty = false;

  constructor(
    private readonly issues: IssueCollector,
    private readonly options: AssemblerOptions,
    private readonly events: AssemblerEvents = {},
  ) {}

  private at(r: TotalInRecord): { line: number; text: string; record: string } {
    return { line: this.ln.number, text: this.ln.text, record: r.type === 'unknown' ? r.code : r.type };
  }

  /** Keeps a line no object holds, for the writer. */
  private extra(): void {
    if (!this.options.keepPhysical) return;
    const l = this.ln;
    this.rawLines.push({ line: l.number, raw: l.text, terminator: l.terminator, kind: 'extra' });
  }

  /** Notes a record line the canonical writer would not reproduce. */
  private verbatim(r: TotalInKnownRecord, force: boolean): void {
    if (!this.options.keepPhysical) return;
    const l = this.ln;
    const x = r as { reserved?: string; reserved1?: string; reserved2?: string };
    if (
      force ||
      this.dirty ||
      l.text.length !== 80 ||
      l.terminator !== this.lineEnding ||
      l.text.indexOf('\t') !== -1 ||
      (x.reserved !== undefined && x.reserved !== '') ||
      (x.reserved1 !== undefined && x.reserved1 !== '') ||
      (x.reserved2 !== undefined && x.reserved2 !== '')
    ) {
      this.rawLines.push({ line: l.number, raw: l.text, terminator: l.terminator, kind: 'record' });
    }
  }

  /** The separator of ordinary lines (set by the parser once known). */
  lineEnding: LineTerminator = '\r\n';

  /**
   * Adds the record read from `line`; `dirty` when the reader looked at the line closely (it may have had
   * warnings): its raw text is then kept, so that an unchanged record is written back as read.
   */
  push(r: TotalInRecord, line: Line, dirty = false): void {
    this.ln = line;
    this.dirty = dirty;
    if (r.type === 'blank') {
      this.extra();
      return;
    }
    this.records++;
    this.lastLineRead = line;
    this.lastType = r.type;
    if (this.ended) {
      // lenient mode must not drop what follows a stray 99: report each such record and read on; the file
      // had its 99, so the end of input is no missing_end
      this.issues.report('unexpected_record', `record ${this.at(r).record} after the 99 end record`, {
        ...this.at(r),
        column: 1,
      });
    }
    if (r.type !== '00' && this.header === undefined && !this.startMissingReported) {
      this.startMissingReported = true;
      this.issues.report('missing_start', 'the file does not start with a 00 start record', {
        ...this.at(r),
        column: 1,
      });
    }
    switch (r.type) {
      case 'unknown':
        this.extra();
        return;
      case '00':
        this.start(r);
        return;
      case '10':
        this.open(r);
        return;
      case '20':
      case '25':
        this.itemRecord(r);
        return;
      case '90':
        this.close(r);
        return;
      case '99':
        this.end(r);
        return;
      default:
        this.child(r);
    }
  }

  private start(r: Record00): void {
    if (this.header !== undefined || this.records > 1) {
      // after a section has begun, a 00 is not the header either: a stream has already handed out that
      // section's payments, their ids made without it, so whole and streamed parses would disagree
      const late = this.header === undefined && (this.sectionCount > 0 || this.item !== undefined);
      this.issues.report(
        'unexpected_record',
        this.header !== undefined
          ? 'a second 00 start record'
          : late
            ? '00 start record after the first section: kept aside, not the start'
            : '00 start record is not the first record',
        { ...this.at(r), column: 1 },
      );
      if (this.header !== undefined || late) {
        this.extra();
        return;
      }
    }
    const fileName = trimBlanks(r.fileName);
    let iso: IsoTimestamp | undefined;
    try {
      iso = parseCompactTimestamp(r.timestamp);
    } catch {
      iso = undefined;
    }
    if (iso === undefined || r.timestamp.length !== 20) {
      this.issues.report('field_format', `timestamp ${q(r.timestamp)} is not CCYYMMDDhhmmss + 6 digits`, {
        severity: 'warning',
        ...this.at(r),
        column: 15,
        field: 'timestamp',
        actual: r.timestamp,
      });
    }
    if (!/^\d\d$/.test(r.deliveryNumber)) {
      this.issues.report('field_format', `delivery number ${q(r.deliveryNumber)} is not two digits`, {
        severity: 'warning',
        ...this.at(r),
        column: 35,
        field: 'deliveryNumber',
        actual: r.deliveryNumber,
      });
    }
    if (r.fileType !== 'TL1') {
      this.issues.report('field_format', `file type ${q(r.fileType)} is not TL1`, {
        ...this.at(r),
        column: 37,
        field: 'fileType',
        expected: 'TL1',
        actual: r.fileType,
      });
    }
    this.header = {
      id: trimBlanks(r.id),
      timestamp: r.timestamp,
      isoTimestamp: iso,
      deliveryNumber: r.deliveryNumber,
      fileType: r.fileType,
      fileName,
      test: fileName === 'TOTALIN-T',
      ...{ line: this.ln.number },
    };
    this.verbatim(r, r.id !== trimBlanks(r.id) || r.fileName !== fileName);
  }

  private open(r: Record10): void {
    if (this.cur !== undefined) {
      this.issues.report('unclosed_section', 'a 10 record opens a section before the previous one was closed by 90', {
        ...this.at(r),
        column: 1,
      });
      this.finishSection();
    }
    const currency = r.currency;
    if (!isCurrencyCode(currency)) {
      this.issues.report('unknown_code', `currency ${q(r.currency)} is not an ISO 4217 code`, {
        ...this.at(r),
        column: 39,
        field: 'currency',
        actual: r.currency,
      });
    }
    const date = /^\d{4}-\d\d-\d\d$/.test(r.bookingDate) ? (r.bookingDate as IsoDate) : undefined;
    const section: TotalInAccountSection = {
      account: trimBlanks(r.account),
      currency: r.currency,
      bookingDate: date,
      items: [],
      closing: undefined,
      ...{ line: this.ln.number },
    };
    this.beginSection(section, this.ln);
    this.verbatim(r, r.account.charCodeAt(0) === 32);
  }

  private beginSection(section: TotalInAccountSection, opened: Line): void {
    this.sectionCount++;
    this.cur = {
      section,
      opened,
      index: this.sectionCount,
      count: 0,
      sum: 0n,
      sumOk: true,
      currency: section.currency,
    };
    this.item = undefined;
  }

  private itemRecord(r: Record20 | Record25): void {
    this.finishItem();
    if (this.cur === undefined) {
      // lenient mode must not drop the payment: keep it in an implicit section
      this.issues.report('unexpected_record', `record ${r.type} outside an account section (no 10 record before it)`, {
        ...this.at(r),
        column: 1,
      });
      this.beginSection({ account: '', currency: '', bookingDate: undefined, items: [], closing: undefined }, this.ln);
    }
    const cur = this.cur!;
    const amountOk = fieldDigits(this.ln.text, 38, 15);
    if (!amountOk) cur.sumOk = false;
    cur.count++;
    cur.sum += r.type === '20' ? r.amount : -r.amount;
    const reference = opt(r.reference);
    const item = new ParsedItem(
      r.type === '20' ? 'payment' : 'deduction',
      reference,
      r.amount,
      moneyCurrency(cur.currency),
      opt(r.serialNumber),
      opt(r.bankgiro),
      r.type === '25' && r.deductionCode !== '' ? r.deductionCode : undefined,
      this.ln.number,
    );
    this.item = item;
    this.itemAmount = r.amount;
    this.lastChild = -1;
    this.seenChildren = 0;
    const force =
      (reference === undefined ? r.reference !== NO_REFERENCE : changedByOpt(r.reference)) ||
      changedByOpt(r.serialNumber) ||
      changedByOpt(r.bankgiro) ||
      !amountOk;
    this.verbatim(r, force);
  }

  private child(r: Exclude<TotalInKnownRecord, Record00 | Record10 | Record20 | Record25 | Record90 | Record99>): void {
    const item = this.item;
    if (item === undefined) {
      this.issues.report('orphan_record', `record ${r.type} before any 20/25 record in its section`, {
        ...this.at(r),
        column: 1,
      });
      this.extra();
      return;
    }
    const pos = CHILD_ORDER[r.type]!;
    if (pos < this.lastChild) {
      this.issues.report('record_order', `record ${r.type} after a later child record type`, {
        severity: 'warning',
        ...this.at(r),
        column: 1,
      });
    }
    if (pos > this.lastChild) this.lastChild = pos;
    const bit = 1 << pos;
    if (pos > 1 && (this.seenChildren & bit) !== 0) {
      this.issues.report('unexpected_record', `a second record ${r.type} for one payment (kept as is)`, {
        severity: 'warning',
        ...this.at(r),
        column: 1,
      });
      this.extra();
      return;
    }
    this.seenChildren |= bit;
    const line = { line: this.ln.number };
    let force = false;
    switch (r.type) {
      case '30': {
        item.extraReferences.push({
          reference: opt(r.reference),
          secondReference: opt(r.secondReference),
          ...line,
        });
        force = changedByOpt(r.reference) || changedByOpt(r.secondReference);
        break;
      }
      case '40':
        item.messages.push({ message: r.message, secondMessage: r.secondMessage, ...line });
        break;
      case '50':
      case '61': {
        const p = this.party(item, r.type === '50');
        p.name = opt(r.name);
        p.extraName = opt(r.extraName);
        p.lines.name = this.ln.number;
        force = changedByOpt(r.name) || changedByOpt(r.extraName);
        break;
      }
      case '51':
      case '62': {
        const p = this.party(item, r.type === '51');
        p.street = opt(r.street);
        p.street2 = opt(r.street2);
        p.lines.address = this.ln.number;
        force = changedByOpt(r.street) || changedByOpt(r.street2);
        break;
      }
      case '52':
      case '63': {
        const p = this.party(item, r.type === '52');
        p.postalCode = opt(r.postalCode);
        p.town = opt(r.town);
        p.countryCode = opt(r.countryCode);
        p.lines.town = this.ln.number;
        force = changedByOpt(r.postalCode) || changedByOpt(r.town) || changedByOpt(r.countryCode);
        break;
      }
      case '60': {
        item.payerAccount = {
          account: opt(r.account),
          accountType: r.accountType === '' ? undefined : r.accountType,
          organisationNumber: opt(r.organisationNumber),
          ...line,
        };
        force = changedByOpt(r.account) || changedByOpt(r.organisationNumber);
        break;
      }
      case '70':
        item.foreign = this.foreign(r, item);
        force = r.costCurrency.charCodeAt(0) === 32 || r.originalCurrency.charCodeAt(0) === 32;
        break;
    }
    this.verbatim(r, force);
  }

  private party(item: TotalInItem, sender: boolean): TotalInParty {
    if (sender) {
      item.sender ??= emptyParty();
      return item.sender;
    }
    item.payer ??= emptyParty();
    return item.payer;
  }

  private foreign(r: Record70, item: TotalInItem): TotalInForeignPayment {
    const costCurrency = trimBlanks(r.costCurrency);
    const originalCurrency = trimBlanks(r.originalCurrency);
    const rate = rateText(r.exchangeRate);
    const digitsOk = fieldDigits(this.ln.text, 39, 15) && /^\d{12}$/.test(r.exchangeRate);
    if (digitsOk && r.originalAmount !== undefined) {
      // original (2 decimals) × rate (4 decimals) = the payment's amount in öre, to the öre
      const product = r.originalAmount! * BigInt(r.exchangeRate);
      const expected = this.itemAmount * 10000n;
      const diff = product > expected ? product - expected : expected - product;
      if (diff >= 5000n) {
        this.issues.report(
          'control_total_mismatch',
          `70: original amount ${r.originalAmount} × exchange rate ${rate} ≠ the ${item.kind === 'payment' ? '20' : '25'} record's amount ${this.itemAmount} öre`,
          {
            severity: 'warning',
            ...this.at(r),
            column: 39,
            field: 'originalAmount',
            expected: String(this.itemAmount),
            actual: `${product / 10000n}.${(product % 10000n).toString().padStart(4, '0')}`,
          },
        );
      }
    }
    return {
      bankCost:
        r.bankCost === undefined
          ? undefined
          : Money.fromMinor(r.bankCost, moneyCurrency(costCurrency === '' ? this.cur!.currency : costCurrency)),
      costCurrency,
      // 2 decimals whatever the currency (reference §2.4), not the currency's minor unit
      originalAmount:
        r.originalAmount === undefined
          ? undefined
          : Money.of(hundredthsText(r.originalAmount), moneyCurrency(originalCurrency)),
      originalCurrency,
      exchangeRate: rate,
      ...{ line: this.ln.number },
    };
  }

  private finishItem(): void {
    const item = this.item;
    if (item === undefined || this.cur === undefined) return;
    this.item = undefined;
    if (this.options.retainItems) this.cur.section.items.push(item);
    this.events.item?.(item, this.cur.section, this.cur.index);
  }

  private close(r: Record90): void {
    this.finishItem();
    const cur = this.cur;
    if (cur === undefined) {
      this.issues.report('unexpected_record', '90 record without a preceding 10 record', { ...this.at(r), column: 1 });
      this.extra();
      return;
    }
    const countOk = /^\d{8}$/.test(r.count);
    const declaredCount = countOk ? Number(r.count) : Number.NaN;
    if (countOk && declaredCount !== cur.count) {
      this.issues.report(
        'count_mismatch',
        `90 declares ${declaredCount} transactions, the section has ${cur.count} records 20 + 25`,
        { ...this.at(r), column: 3, field: 'count', expected: String(declaredCount), actual: String(cur.count) },
      );
    }
    const totalOk = fieldDigits(this.ln.text, 11, 17);
    if (totalOk && cur.sumOk && r.total !== cur.sum) {
      this.issues.report(
        'control_total_mismatch',
        `90 declares ${r.total} öre, records 20 minus 25 of the section give ${cur.sum} öre`,
        { ...this.at(r), column: 11, field: 'total', expected: String(r.total), actual: String(cur.sum) },
      );
    }
    cur.section.closing = {
      count: declaredCount,
      total: Money.fromMinor(r.total, moneyCurrency(cur.currency)),
      statementReference: trimBlanks(r.statementReference),
      ...{ line: this.ln.number },
    };
    this.verbatim(r, r.statementReference.charCodeAt(0) === 32 || !countOk || !totalOk);
    this.finishSection();
  }

  private finishSection(): void {
    this.finishItem();
    const cur = this.cur;
    if (cur === undefined) return;
    this.cur = undefined;
    if (this.options.retainItems) this.accounts.push(cur.section);
    this.events.section?.(cur.section, cur.index);
  }

  private end(r: Record99): void {
    if (this.cur !== undefined) {
      this.issues.report('unclosed_section', '99 end record while an account section is still open (no 90)', {
        ...this.at(r),
        column: 1,
      });
      this.finishSection();
    }
    const ok = /^\d{15}$/.test(r.recordCount);
    const declared = ok ? Number(r.recordCount) : Number.NaN;
    if (ok && declared !== this.records) {
      this.issues.report(
        'count_mismatch',
        `99 declares ${declared} records, the file has ${this.records} (00 and 99 included)`,
        { ...this.at(r), column: 3, field: 'recordCount', expected: String(declared), actual: String(this.records) },
      );
    }
    this.trailer = { recordCount: declared, ...{ line: this.ln.number } };
    this.ended = true;
    this.verbatim(r, !ok);
  }

  /** End of input: the final structure checks. */
  finish(): void {
    const last = this.lastLineRead;
    const lastAt =
      last === undefined
        ? {}
        : { line: last.number, column: 1, text: last.text, ...(this.lastType === '' ? {} : { record: this.lastType }) };
    if (this.cur !== undefined) {
      const o = this.cur.opened;
      const opener = o.text.slice(0, 2);
      this.issues.report(
        'unclosed_section',
        `the input ends inside the account section opened at line ${o.number} (no 90 record)`,
        { line: o.number, column: 1, record: opener, text: o.text },
      );
      this.finishSection();
    }
    if (this.records === 0 && !this.startMissingReported) {
      this.issues.report('missing_start', 'the input holds no records (no 00 start record)');
    }
    if (!this.ended) {
      this.issues.report('missing_end', 'no 99 end record', lastAt);
      if (last !== undefined && this.lastType !== '90' && last.text.length < 80 && last.terminator === '') {
        this.issues.report('truncated_file', 'the input ends in a short record without a 99 end record: truncated?', {
          line: last.number,
          column: last.text.length + 1,
          record: this.lastType === 'unknown' ? last.text.slice(0, 2) : this.lastType,
          text: last.text,
          expected: '80',
          actual: String(last.text.length),
        });
      }
    }
  }
}

/** Hundredths (the 70 record's original amount) as a decimal text: `100000n` → `'1000.00'`. */
function hundredthsText(v: bigint): string {
  return `${v / 100n}.${(v % 100n).toString().padStart(2, '0')}`;
}

/** A Money as hundredths of its unit (the 70 record's 2-decimal field), whatever its currency's minor unit. */
function hundredths(m: Money): bigint {
  let v = m.scaled;
  if (v < 0n) v = -v;
  if (m.scale <= 2) return v * 10n ** BigInt(2 - m.scale);
  const d = 10n ** BigInt(m.scale - 2);
  if (v % d !== 0n) {
    throw new NordfilError(
      issue('invalid_amount', `70 original amount ${m.toString()} ${m.currency} has more than 2 decimals`, {
        record: '70',
        field: 'originalAmount',
        actual: m.toString(),
      }),
    );
  }
  return v / d;
}

/** True when columns `start`.. (1-based) of the record's line are `length` digits (records built in code: true). */
function fieldDigits(raw: string, start: number, length: number): boolean {
  if (raw.indexOf('\t') !== -1) raw = expandTabs(raw);
  if (raw.length < start - 1 + length) return false;
  for (let i = start - 1; i < start - 1 + length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// objects -> records

/** Minor units of a Money in the file's currency (the sign is the record type's). */
function minor(m: Money): bigint {
  const v = m.toMinor();
  return v < 0n ? -v : v;
}

/**
 * The records of one account section, its 90 record derived from the items (never typed by hand): count
 * = records 20 + 25, total = Σ20 − Σ25. The statement reference is the closing's (empty when none).
 *
 * @example
 * const records = sectionToRecords(file.accounts[0]!);
 * records.at(-1); // { type: '90', count: '00000006', total: 1919000n, ... }
 */
export function sectionToRecords(section: TotalInAccountSection): TotalInKnownRecord[] {
  const out: TotalInKnownRecord[] = [];
  const ln = (line: number | undefined) => (line === undefined ? {} : { line });
  out.push({
    type: '10',
    account: section.account,
    currency: section.currency,
    bookingDate: (section.bookingDate ?? '') as IsoDate,
    reserved: '',
    ...ln(section.line),
  });
  let sum = 0n;
  for (const item of section.items) {
    const amount = itemMinor(item);
    sum += item.kind === 'payment' ? amount : -amount;
    if (item.kind === 'payment') {
      out.push({
        type: '20',
        reference: item.reference ?? NO_REFERENCE,
        amount,
        serialNumber: item.serialNumber ?? '',
        bankgiro: item.bankgiro ?? '',
        reserved: '',
        ...ln(item.line),
      });
    } else {
      out.push({
        type: '25',
        reference: item.reference ?? NO_REFERENCE,
        amount,
        serialNumber: item.serialNumber ?? '',
        deductionCode: (item.deductionCode ?? '') as '',
        bankgiro: item.bankgiro ?? '',
        reserved: '',
        ...ln(item.line),
      });
    }
    const children: TotalInKnownRecord[] = [];
    for (const x of item.extraReferences) {
      children.push({
        type: '30',
        reference: x.reference ?? '',
        secondReference: x.secondReference ?? '',
        reserved: '',
        ...ln(x.line),
      });
    }
    for (const m of item.messages) {
      children.push({ type: '40', message: m.message, secondMessage: m.secondMessage, reserved: '', ...ln(m.line) });
    }
    partyRecords(item.sender, '50', '51', '52', children);
    const a = item.payerAccount;
    if (a !== undefined) {
      children.push({
        type: '60',
        account: a.account ?? '',
        accountType: a.accountType ?? '',
        organisationNumber: a.organisationNumber ?? '',
        reserved: '',
        ...ln(a.line),
      });
    }
    partyRecords(item.payer, '61', '62', '63', children);
    const f = item.foreign;
    if (f !== undefined) {
      children.push({
        type: '70',
        bankCost: f.bankCost === undefined ? undefined : minor(f.bankCost),
        costCurrency: f.costCurrency,
        reserved1: '',
        originalAmount: f.originalAmount === undefined ? undefined : hundredths(f.originalAmount),
        originalCurrency: f.originalCurrency,
        exchangeRate: rateDigits(f.exchangeRate),
        reserved2: '',
        ...ln(f.line),
      } as Record70);
    }
    // a parsed file keeps its children's order (records out of order are a warning, not a reason to move them)
    if (children.length > 1 && children.some((c) => c.line !== undefined)) {
      const last = Number.MAX_SAFE_INTEGER;
      children.sort((x, y) => (x.line ?? last) - (y.line ?? last));
    }
    for (const c of children) out.push(c);
  }
  const total = sum < 0n ? 0n : sum;
  out.push({
    type: '90',
    count: String(section.items.length).padStart(8, '0'),
    // a negative section total cannot be written (the field is unsigned): Total-IN never has one
    total,
    statementReference: section.closing?.statementReference ?? '',
    reserved: '',
    ...ln(section.closing?.line),
  });
  return out;
}

function partyRecords(
  p: TotalInParty | undefined,
  nameType: '50' | '61',
  addressType: '51' | '62',
  townType: '52' | '63',
  out: TotalInKnownRecord[],
): void {
  if (p === undefined) return;
  const ln = (line: number | undefined) => (line === undefined ? {} : { line });
  if (p.lines.name !== undefined || p.name !== undefined || p.extraName !== undefined) {
    out.push({ type: nameType, name: p.name ?? '', extraName: p.extraName ?? '', reserved: '', ...ln(p.lines.name) });
  }
  if (p.lines.address !== undefined || p.street !== undefined || p.street2 !== undefined) {
    out.push({
      type: addressType,
      street: p.street ?? '',
      street2: p.street2 ?? '',
      reserved: '',
      ...ln(p.lines.address),
    });
  }
  if (p.lines.town !== undefined || p.postalCode !== undefined || p.town !== undefined || p.countryCode !== undefined) {
    out.push({
      type: townType,
      postalCode: p.postalCode ?? '',
      town: p.town ?? '',
      countryCode: p.countryCode ?? '',
      reserved: '',
      ...ln(p.lines.town),
    });
  }
}

/**
 * The 00 record of a header.
 *
 * @example
 * headerRecord(file.header!).fileType; // 'TL1'
 */
export function headerRecord(h: TotalInHeader): Record00 {
  return {
    type: '00',
    id: h.id,
    timestamp: h.timestamp,
    deliveryNumber: h.deliveryNumber,
    fileType: h.fileType,
    fileName: h.fileName,
    reserved: '',
    ...(h.line === undefined ? {} : { line: h.line }),
  };
}

/**
 * The records of a file, control records (90, 99) derived from the objects, never copied from the
 * parsed ones: a file written from objects always passes its own checks.
 *
 * @example
 * const records = toRecords(file);
 * records.at(-1); // { type: '99', recordCount: '000000000000061' }
 */
export function toRecords(file: TotalInFile): TotalInKnownRecord[] {
  const out: TotalInKnownRecord[] = [];
  if (file.header !== undefined) out.push(headerRecord(file.header));
  for (const s of file.accounts) for (const r of sectionToRecords(s)) out.push(r);
  // lines no record holds count as records (unknown ones), but blank lines and a DOS end-of-file marker do not
  const extras =
    file.physical?.rawLines.filter((l) => l.kind === 'extra' && l.raw.trim() !== '' && l.raw !== DOS_EOF).length ?? 0;
  out.push({
    type: '99',
    recordCount: String(out.length + 1 + extras).padStart(15, '0'),
    reserved: '',
    ...(file.trailer?.line === undefined ? {} : { line: file.trailer.line }),
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// objects -> Payment

/** Options of {@link toPayments}. */
export interface ToPaymentsOptions {
  /** The file name, for `Payment.source.file`. Default `''`. */
  source?: string;
  /** The file's identity for payment ids. Default: derived from the header ({@link fileIdentityOf}). */
  fileIdentity?: string;
}

/**
 * The default identity of a file: format, Total-IN id, timestamp, delivery number and test mark
 * (jacob22 identifies a Total-IN delivery by id + timestamp + delivery number).
 *
 * @example
 * fileIdentityOf(file.header); // 'totalin:TI222222:20111025041330123456:01:P'
 */
export function fileIdentityOf(header: TotalInHeader | undefined, source?: string): string {
  if (header === undefined) return `totalin:${source ?? 'unknown'}`;
  return `totalin:${header.id}:${header.timestamp}:${header.deliveryNumber}:${header.test ? 'T' : 'P'}`;
}

/** Digits only: the receiving account as the seed's "Bank File Sender Account" holds it. */
function digitsOnly(s: string): string {
  return s.replace(/[^0-9]/g, '');
}

const ACCOUNTS = new Map<string, Payment['receivingAccount']>();

function receivingAccount(account: string): Payment['receivingAccount'] {
  // a file has few receiving accounts and many payments: remember the last few
  const known = ACCOUNTS.get(account);
  if (known !== undefined) return known;
  if (ACCOUNTS.size > 64) ACCOUNTS.clear();
  const digits = digitsOnly(account);
  const plusgiro = /^[0-9 -]+$/.test(account) && isPlusgiro(digits);
  const out: Payment['receivingAccount'] = Object.freeze({
    kind: plusgiro ? 'plusgiro' : 'bank-account',
    number: digits,
  });
  ACCOUNTS.set(account, out);
  return out;
}

function payerOf(item: TotalInItem): PayerDetails {
  // the sender (50-52) is the party named on the payment; the payer block (61-63) describes the holder
  // of the debited account (can be a bank): used only when the file gives no sender
  const p = item.sender ?? item.payer;
  const out: { -readonly [K in keyof PayerDetails]: PayerDetails[K] } = {};
  if (p !== undefined) {
    if (p.name !== undefined) out.name = p.name;
    if (p.extraName !== undefined) out.extraName = p.extraName;
    if (p.street !== undefined) out.street = p.street2 === undefined ? p.street : `${p.street}, ${p.street2}`;
    else if (p.street2 !== undefined) out.street = p.street2;
    if (p.postalCode !== undefined) out.postalCode = p.postalCode;
    if (p.town !== undefined) out.town = p.town;
    if (p.countryCode !== undefined) out.countryCode = p.countryCode;
  }
  const a = item.payerAccount;
  if (a?.organisationNumber !== undefined) out.organisationNumber = a.organisationNumber;
  if (a?.account !== undefined) out.account = a.account;
  if (item.bankgiro !== undefined) out.bankgiro = item.bankgiro;
  return out;
}

function messagesOf(item: TotalInItem): string[] {
  const out: string[] = [];
  for (const m of item.messages) {
    out.push(m.message.trimEnd());
    const second = m.secondMessage.trimEnd();
    if (second !== '') out.push(second);
  }
  return out;
}

/** Context of one section's payments. @internal */
export interface PaymentContext {
  fileIdentity: string;
  source: string;
  header: TotalInHeader | undefined;
}

/**
 * The shared {@link Payment} of one item. @internal
 */
export function itemToPayment(
  item: TotalInItem,
  section: TotalInAccountSection,
  sectionIndex: number,
  ctx: PaymentContext,
): Payment | undefined {
  const currency = moneyCurrency(section.currency);
  const line = item.line ?? 0;
  const extraReferences: ExtraReference[] = [];
  const zero = zeroMoney(currency);
  for (const x of item.extraReferences) {
    for (const ref of [x.reference, x.secondReference]) {
      if (ref !== undefined)
        extraReferences.push({ reference: ref, amount: zero, referenceKind: 'unchecked', line: x.line ?? 0 });
    }
  }
  // a payment needs a date: the section's booking date, else the file's (lenient mode, an unreadable 10 date);
  // with neither it is not mapped (it stays in its section, and the invalid_date error names it)
  const date = (section.bookingDate ?? ctx.header?.isoTimestamp?.slice(0, 10)) as IsoDate | undefined;
  if (date === undefined) return undefined;
  const amount = item.kind === 'payment' ? item.amount : item.amount.negate();
  const payment: { -readonly [K in keyof Payment]: Payment[K] } = {
    id: paymentId(ctx.fileIdentity, line),
    format: 'totalin',
    kind: item.kind,
    transactionCode: item.kind === 'payment' ? '20' : '25',
    receivingAccount: receivingAccount(section.account),
    amount,
    currency,
    date,
    // Total-IN does not say whether the bank checked the reference: unchecked
    referenceKind: item.reference === undefined ? 'none' : 'unchecked',
    extraReferences,
    payer: payerOf(item),
    messages: messagesOf(item),
    source: { file: ctx.source, line, section: sectionIndex },
  };
  if (item.reference !== undefined) payment.reference = item.reference;
  if (item.serialNumber !== undefined) payment.serialNumber = item.serialNumber;
  if (item.deductionCode !== undefined) payment.deductionCode = item.deductionCode;
  return payment;
}

/**
 * The file's payments and deductions in the shared {@link Payment} model (deductions negative), in file
 * order, with deterministic ids (file identity + line).
 *
 * Mapping: receiving account = record 10 (`plusgiro` when it is a valid PlusGiro number, else
 * `bank-account`), date = booking date, reference `unchecked` (Total-IN does not say whether the bank
 * checked it; `none` when blank or zeros), payer = the sender (50-52), or the payer block (61-63) when
 * there is no sender, plus organisation number and account from 60 and the bankgiro number from 20;
 * messages = every 40 field (blank second fields dropped); extra references = both fields of every 30.
 *
 * @example
 * const payments = toPayments(parseTotalIn(bytes), { source: 'totalin.txt' });
 * payments[0]?.amount.toString(); // '3025.50'
 */
export function toPayments(file: TotalInFile, options: ToPaymentsOptions = {}): Payment[] {
  const ctx: PaymentContext = {
    fileIdentity: options.fileIdentity ?? fileIdentityOf(file.header, options.source),
    source: options.source ?? '',
    header: file.header,
  };
  const out: Payment[] = [];
  file.accounts.forEach((s, i) => {
    for (const item of s.items) {
      const p = itemToPayment(item, s, i + 1, ctx);
      if (p !== undefined) out.push(p);
    }
  });
  return out;
}

/**
 * What a section holds, computed from its items (compare with {@link TotalInSectionClosing}, which is
 * what the 90 record declares).
 *
 * @example
 * sectionSummary(file.accounts[0]!); // { payments: 5, deductions: 1, extraReferenceRecords: 1, total: Money 19190.00 SEK }
 */
export function sectionSummary(section: TotalInAccountSection): {
  payments: number;
  deductions: number;
  extraReferenceRecords: number;
  total: Money;
} {
  let payments = 0;
  let deductions = 0;
  let extra = 0;
  let sum = 0n;
  for (const i of section.items) {
    if (i.kind === 'payment') {
      payments++;
      sum += itemMinor(i);
    } else {
      deductions++;
      sum -= itemMinor(i);
    }
    extra += i.extraReferences.length;
  }
  return {
    payments,
    deductions,
    extraReferenceRecords: extra,
    total: Money.fromMinor(sum, moneyCurrency(section.currency)),
  };
}
