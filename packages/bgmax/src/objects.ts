/**
 * The objects layer of BGMax: the file (start record, sections, end record), each section (avsnitt:
 * one deposit to the receiving bank account) with its payments and deductions in file order, and each
 * of those with its child records attached. Amounts are signed {@link Money} (deductions and TK23
 * extra references negative). Control records are checked while assembling and derived, never typed
 * in, when writing ({@link toRecords}). {@link toPayments} maps the file onto the shared `Payment` model.
 */
import {
  type ExtraReference,
  type IsoDate,
  type IsoTimestamp,
  type IssueCollector,
  isCurrencyCode,
  isIsoDate,
  issue,
  Money,
  NordfilError,
  type PayerDetails,
  type Payment,
  parseCompactTimestamp,
  paymentId,
  type ReceivingAccount,
  type ReferenceKind,
} from '@nordfil/core';
import { blanksAt, cleanTextAt, digitsAt, paymentColumns, recordBytes } from './fast.js';
import type { BgmaxFileFormat } from './input.js';
import type {
  BgmaxRecord,
  BgmaxRecordInput,
  Tk01,
  Tk05,
  Tk15,
  Tk20,
  Tk21,
  Tk22,
  Tk25,
  Tk26,
  Tk27,
  Tk28,
  Tk29,
  Tk70,
  UnknownRecord,
} from './layouts.js';
import { formatBgmaxRecord } from './records.js';

/** A record the format does not define, kept where it was found so nothing is lost. */
export interface BgmaxUnknownRecord {
  /** Columns 1-2 as read. */
  readonly code: string;
  /** The line as read. */
  readonly raw: string;
  readonly line?: number | undefined;
}

/** Startpost (TK01): what the start record says. */
export interface BgmaxHeader {
  /** Layoutnamn: always `BGMAX`. */
  readonly layoutName: 'BGMAX';
  /** Version: `01` in every file seen. */
  readonly layoutVersion: string;
  /** Skrivdag: the write timestamp as in the file, all 20 digits (`20040525173035010331`). */
  readonly timestamp: string;
  /** The same timestamp parsed at full precision, local Swedish time (`2004-05-25T17:30:35.010331`). */
  readonly writtenAt?: IsoTimestamp | undefined;
  /** Testmarkering: true for a test file (`T`), false for production (`P`). */
  readonly test: boolean;
  readonly line?: number | undefined;
}

/** Extra referensnummerpost (TK22, or TK23 with a negative amount). */
export interface BgmaxExtraReference {
  /** True for TK23 (the amount is to be read as negative). */
  readonly negative: boolean;
  /** Avsändarbankgironummer, as the payment's. */
  readonly senderBankgiro: string;
  /** The reference, blanks trimmed (leading blanks kept unless the code says right-aligned digits). */
  readonly reference: string;
  /** Signed: negative for TK23. Zero except under extended form registration (part amounts). */
  readonly amount: Money;
  /** Referenskod (0-5). */
  readonly referenceCode: string;
  /** Betalningskanalkod (1-4). */
  readonly channel: string;
  /** BGC-löpnummer (12 digits, as the payment's). */
  readonly serialNumber: string;
  /** Avbildningsmarkering: `0`, `1`, or `''` when blank. */
  readonly imageFlag: string;
  readonly line?: number | undefined;
}

/**
 * Betalning (TK20) or avdrag (TK21), with its child records attached.
 *
 * @example
 * item.kind === 'deduction' && item.amount.isNegative(); // true: deductions are negative
 */
export interface BgmaxItem {
  /** `payment` (TK20 betalningspost) or `deduction` (TK21 avdragspost). */
  readonly kind: 'payment' | 'deduction';
  /** Avsändarbankgironummer: the payer's bankgiro (10 digits, zeros when unknown). */
  readonly senderBankgiro: string;
  /** Referens, blanks trimmed (leading blanks kept unless the code says right-aligned digits). */
  readonly reference: string;
  /** Belopp, signed: deductions are negative. */
  readonly amount: Money;
  /** Referenskod (0-5), see {@link referenceKindOf}. */
  readonly referenceCode: string;
  /** Betalningskanalkod: 1 bank, 2 LB, 3 paper slip, 4 Autogiro. */
  readonly channel: string;
  /** BGC-löpnummer: Bankgirot's serial number (12 digits; `''` when blank). */
  readonly serialNumber: string;
  /** Avbildningsmarkering: `1` when an image of the slip exists, `0` none, `''` blank. */
  readonly imageFlag: string;
  /** Avdragskod (TK21 only): 0 full, 1 partial, 2 final after partial. */
  readonly deductionCode?: string | undefined;
  /** TK22/TK23 in file order. */
  readonly extraReferences: readonly BgmaxExtraReference[];
  /** TK25 informationsposter in the payer's order; leading blanks kept, trailing trimmed. */
  readonly informationTexts: readonly string[];
  /** TK26 namn. */
  readonly name?: string | undefined;
  /** TK26 extra namnfält. */
  readonly extraName?: string | undefined;
  /** TK27 adress. */
  readonly address?: string | undefined;
  /** TK27 postnummer. */
  readonly postalCode?: string | undefined;
  /** TK28 ort (town). */
  readonly town?: string | undefined;
  /** TK28 land (foreign addresses only). */
  readonly country?: string | undefined;
  /** TK28 landskod (foreign addresses only). */
  readonly countryCode?: string | undefined;
  /** TK29 organisationsnummer as in the file (12 digits zero-padded). */
  readonly organisationNumber?: string | undefined;
  /** Records the format does not define that followed this item. */
  readonly extra?: readonly BgmaxUnknownRecord[] | undefined;
  /**
   * The fields of the TK20/TK21 that could not be read (lenient mode), e.g. `['amount']`; absent when the
   * record is valid. An item whose `amount` could not be read holds a zero amount that is not the payer's: it
   * is not mapped to a `Payment` ({@link toPayments}, `readBgmax({ yield: 'payments' })`) and its section's
   * total is not checked. The writer writes such an item's line as read (`raw`): delete `invalid` once
   * the fields are corrected.
   */
  readonly invalid?: readonly string[] | undefined;
  /** The TK20/TK21 line as read, kept only beside `invalid`. */
  readonly raw?: string | undefined;
  readonly line?: number | undefined;
}

/** Mottagarbankkonto: the bank account the deposit went to (TK15). */
export interface BgmaxBankAccount {
  /** Clearingnummer (4 digits). */
  readonly clearing: string;
  /** Kontonummer without its zero padding. */
  readonly account: string;
}

/** Insättningspost (TK15): the deposit that closes a section, as the file declares it. */
export interface BgmaxDeposit {
  readonly bankAccount: BgmaxBankAccount;
  /** Betalningsdag: the payment date of every item in the section; undefined when unreadable. */
  readonly paymentDate?: IsoDate | undefined;
  /** Insättningslöpnummer (5 digits), unique per bankgiro number and year. */
  readonly serialNumber: string;
  /** Insättningsbelopp as declared (written back derived from the items); undefined when unreadable. */
  readonly amount?: Money | undefined;
  /** Valuta as declared. */
  readonly currency: string;
  /** Antal betalningsposter (TK20 + TK21) as declared; undefined when unreadable. */
  readonly count?: number | undefined;
  /** Typ av insättning: `K`, `D` or `''` (customer-specific). */
  readonly depositType: string;
  readonly line?: number | undefined;
}

/**
 * Avsnitt: one section (TK05 ... TK15), one deposit to one receiving bankgiro in one currency.
 *
 * @example
 * for (const s of file.sections) console.log(s.bankgiro, s.deposit?.paymentDate, s.items.length);
 */
export interface BgmaxSection {
  /**
   * Mottagarbankgironummer (10 digits, zero-padded). `''` (unknown) for a section without a TK05 (lenient
   * mode: payments found outside any section are kept in a section of their own, closed by the next TK15).
   */
  readonly bankgiro: string;
  /** Mottagarplusgironummer, when plusgiro payments were converted to this bankgiro. */
  readonly plusgiro?: string | undefined;
  /** Valuta: `SEK` (or `EUR` before 2016-10-31). */
  readonly currency: string;
  /** Payments and deductions in file order. */
  readonly items: readonly BgmaxItem[];
  /** The closing TK15; undefined when the section was never closed (lenient mode). */
  readonly deposit?: BgmaxDeposit | undefined;
  /** Records the format does not define found before the first item. */
  readonly extra?: readonly BgmaxUnknownRecord[] | undefined;
  readonly line?: number | undefined;
}

/** Slutpost (TK70): the record counts the file declares. */
export interface BgmaxTrailer {
  /** Antal betalningsposter (TK20). */
  readonly payments?: number | undefined;
  /** Antal avdragsposter (TK21). */
  readonly deductions?: number | undefined;
  /** Antal extra referensnummerposter (TK22 + TK23). */
  readonly extraReferences?: number | undefined;
  /** Antal insättningsposter (TK15). */
  readonly deposits?: number | undefined;
  readonly line?: number | undefined;
}

/**
 * A BGMax file (Bankgiro Inbetalningar).
 *
 * @example
 * const file: BgmaxFile = parseBgmax(bytes);
 * file.sections.flatMap((s) => s.items).length; // payments and deductions
 */
export interface BgmaxFile {
  /** The start record; undefined when the file has none (lenient mode). */
  readonly header?: BgmaxHeader | undefined;
  readonly sections: readonly BgmaxSection[];
  /** What TK70 declares (ignored when writing: the end record is derived). */
  readonly trailer?: BgmaxTrailer | undefined;
  /** The layout on disk: the writer's defaults. */
  readonly format?: BgmaxFileFormat | undefined;
  /** Source name given when parsing, used as `Payment.source.file`. */
  readonly source?: string | undefined;
  /** File identity given when parsing, the base of payment ids. */
  readonly fileIdentity?: string | undefined;
  /** Records the format does not define found outside the sections. */
  readonly extra?: readonly BgmaxUnknownRecord[] | undefined;
}

/** Computed totals of a section, for comparison with its TK15. */
export interface BgmaxSectionSummary {
  /** Σ TK20 − Σ TK21 in öre. */
  readonly totalMinor: bigint;
  /** The same as Money. */
  readonly total: Money;
  readonly payments: number;
  readonly deductions: number;
  /** TK22 + TK23 records. */
  readonly extraReferences: number;
}

// ---------------------------------------------------------------------------------------------
// helpers

const EMPTY: readonly never[] = Object.freeze([]);

/**
 * The shared model's reference kind for a BGMax reference code (S1 table 5): 0/1 none, 2 ocr,
 * 3 unchecked, 4 structured, 5 incorrect.
 *
 * @example
 * referenceKindOf('2'); // 'ocr'
 */
export function referenceKindOf(code: string): ReferenceKind {
  switch (code) {
    case '2':
      return 'ocr';
    case '3':
      return 'unchecked';
    case '4':
      return 'structured';
    case '5':
      return 'incorrect';
    default:
      return 'none';
  }
}

/** Trims the reference: both sides under code 2 (right-aligned digits), else only the padding side. */
function trimReference(ref: string, code: string): string {
  if (code !== '2') return ref;
  let s = 0;
  while (s < ref.length && ref.charCodeAt(s) === 32) s++;
  return s === 0 ? ref : ref.slice(s);
}

function stripZeros(digits: string): string {
  let s = 0;
  while (s < digits.length - 1 && digits.charCodeAt(s) === 48) s++;
  return s === 0 ? digits : digits.slice(s);
}

function isAllDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const moneyCurrency = (c: string): string => (isCurrencyCode(c) ? c : 'XXX');

/**
 * `list` and `x` in a new array of their exact length: a pushed-to array keeps room for 17 elements (200 bytes
 * instead of 64 for two texts). Array literals instead of `concat`, a generic builtin that checks its arguments
 * for spreading: in the CPU profile of a streaming read, `concat` was most of the time of the info-text records
 * (a few per cent of the read in alternating runs, within the noise).
 */
function appended<T>(list: readonly T[], x: T): T[] {
  const n = list.length;
  if (n === 0) return [x];
  if (n === 1) return [list[0]!, x];
  if (n === 2) return [list[0]!, list[1]!, x];
  const out = new Array<T>(n + 1);
  for (let i = 0; i < n; i++) out[i] = list[i]!;
  out[n] = x;
  return out;
}

/**
 * Adds öre to a section's total: in a number while the total stays a safe integer (every real file), in a
 * bigint for the rest, so no bigint is made per payment and nothing is ever rounded.
 */
function addToTotal(open: OpenSection, amount: number | bigint): void {
  if (typeof amount === 'number') {
    const t = open.small + amount;
    if (Number.isSafeInteger(t)) {
      open.small = t;
      return;
    }
    open.big += BigInt(amount);
    return;
  }
  open.big += amount;
}

/** A section's total in öre. */
function totalOf(open: OpenSection): bigint {
  return open.big + BigInt(open.small);
}

/** A cache of Money values for frequent amounts (zero extra references). */
class MoneyMaker {
  private readonly zeros = new Map<string, Money>();

  of(minor: number | bigint, currency: string): Money {
    if (minor === 0 || minor === 0n) {
      let z = this.zeros.get(currency);
      if (z === undefined) {
        z = Money.zero(currency);
        this.zeros.set(currency, z);
      }
      return z;
    }
    return Money.fromMinor(minor, currency);
  }
}

/**
 * Σ payments − Σ deductions and the record counts of a section, computed from its items.
 *
 * @example
 * const s = summarizeSection(file.sections[0]!);
 * s.total.equals(file.sections[0]!.deposit!.amount); // true for a valid file
 */
export function summarizeSection(section: BgmaxSection): BgmaxSectionSummary {
  let total = 0n;
  let payments = 0;
  let deductions = 0;
  let extraReferences = 0;
  for (const it of section.items) {
    total += it.amount.toMinor();
    if (it.kind === 'payment') payments++;
    else deductions++;
    extraReferences += it.extraReferences.length;
  }
  const currency = moneyCurrency(section.currency);
  return { totalMinor: total, total: Money.fromMinor(total, currency), payments, deductions, extraReferences };
}

/**
 * The identity a file's payment ids start with: given, or `bgmax:<timestamp>:<T|P>` from the start record.
 *
 * @example
 * bgmaxFileIdentity(file); // 'bgmax:20040525173035010331:P'
 */
export function bgmaxFileIdentity(file: Pick<BgmaxFile, 'header' | 'fileIdentity' | 'source'>): string {
  if (file.fileIdentity !== undefined) return file.fileIdentity;
  if (file.header !== undefined) return `bgmax:${file.header.timestamp}:${file.header.test ? 'T' : 'P'}`;
  return `bgmax:${file.source ?? 'unknown'}`;
}

// ---------------------------------------------------------------------------------------------
// assembling records into objects, with the structure and control checks

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface OpenSection {
  readonly obj: Mutable<BgmaxSection> & { items: BgmaxItem[] };
  readonly index: number;
  moneyCurrency: string;
  /** The TK05 line as read (for issues); for an implicit section, the line of the record that opened it. */
  readonly text: string;
  /** Opened without a TK05 (lenient mode: a payment outside any section): the receiving bankgiro is unknown. */
  readonly implicit: boolean;
  /** Items whose amount could not be read: the section's total cannot be checked. */
  unreadable: number;
  /** Σ payments − Σ deductions in öre: `small` while it is a safe integer, the rest carried in `big`. */
  small: number;
  big: bigint;
  payments: number;
  deductions: number;
  extraReferences: number;
}

/** Ranks of the child records: the order S1 draws (22/23, 25, 26, 27, 28, 29). */
const CHILD_RANK: Readonly<Record<string, number>> = { '22': 1, '23': 1, '25': 2, '26': 3, '27': 4, '28': 5, '29': 6 };

/** EUR sections were discontinued on 31 October 2016. */
const EUR_END = '2016-10-31';

/** What the assembler hands over when a section closes (or is abandoned unclosed). */
export interface ClosedSection {
  readonly section: BgmaxSection;
  /** 1-based position in the file. */
  readonly index: number;
}

/**
 * Internal: turns records (in file order) into the object tree, checking structure and control
 * records incrementally, so the same code serves whole-file and streaming parsing.
 */
export class Assembler {
  header: BgmaxHeader | undefined;
  trailer: BgmaxTrailer | undefined;
  readonly extra: BgmaxUnknownRecord[] = [];
  private started = false;
  private ended = false;
  /**
   * The fast path is closed: before the start record, after the end record, or in an implicit section (whose
   * every record is reported). One flag, so that the fast path tests one field (see {@link gate}).
   */
  private slow = true;
  private open: OpenSection | undefined;
  private item: Mutable<BgmaxItem> | undefined;
  private rank = 0;
  private sections = 0;
  private n20 = 0;
  private n21 = 0;
  private n2223 = 0;
  private n15 = 0;
  private readonly money = new MoneyMaker();
  /** The text being read and its latin-1 bytes, where known: the fast path checks a record's bytes. */
  private sourceText = '';
  private sourceBytes: Buffer | undefined;
  private lastLine = 0;
  /** The raw text of the record being pushed (kept verbatim when a record cannot be placed). */
  private text = '';
  /** The line and record label of the last record that went by {@link push} (not the fast path). */
  private pushLine = 0;
  private pushRecord: string | undefined;

  constructor(
    private readonly issues: IssueCollector,
    private readonly onSection: (closed: ClosedSection) => void,
  ) {}

  /** Adds one record; `badFields` are the fields the record reader found invalid. */
  push(rec: BgmaxRecord, line: number, badFields: ReadonlySet<string>, text: string): void {
    this.lastLine = line;
    this.text = text;
    if (rec.type === 'blank') return;
    this.pushLine = line;
    // an unknown two-digit code is a record type still (TK99); text that is no code at all is none
    this.pushRecord = rec.type !== 'unknown' ? `TK${rec.type}` : /^\d\d$/.test(rec.code) ? `TK${rec.code}` : undefined;
    if (!this.started) {
      if (rec.type === 'unknown') {
        // reference 1.1: "Do not fail on an unknown 2-digit code; surface it as a warning" (the record reader
        // has reported it): kept, and the TK01 that follows is still the start
        this.keepExtra(rec, line);
        return;
      }
      this.started = true;
      this.gate();
      if (rec.type !== '01') {
        this.issues.report('missing_start', 'the file does not start with a TK01 start record', {
          line,
          column: 1,
          record: `TK${rec.type}`,
          text,
          expected: '01',
          actual: rec.type,
        });
      }
    }
    if (this.ended && rec.type !== 'unknown') {
      // records after the TK70 (e.g. two files joined) are read on, so that no payment is lost: a second TK01
      // or TK70 is reported (and kept aside) by its own handler, a record that would otherwise fit, here
      this.ended = false;
      this.gate();
      if (rec.type === '05') {
        this.unexpected(
          rec,
          line,
          `after the TK70 end record on line ${this.trailer?.line}: read as a further section`,
        );
      }
    }
    switch (rec.type) {
      case '01':
        this.startRecord(rec, line, badFields);
        return;
      case '05':
        this.openSection(rec, line);
        return;
      case '20':
      case '21':
        this.startItem(rec, line, badFields);
        return;
      case '22':
      case '23':
      case '25':
      case '26':
      case '27':
      case '28':
      case '29':
        this.child(rec, line);
        return;
      case '15':
        this.closeSection(rec, line, badFields);
        return;
      case '70':
        this.endRecord(rec, line, badFields);
        return;
      case 'unknown':
        this.unknown(rec, line);
        return;
    }
  }

  /** Ends the input: reports an unclosed section and a missing end record. */
  finish(truncated: boolean): void {
    const last = this.lastRecord();
    if (this.open !== undefined) this.abandon('the file ends');
    if (!this.started) {
      this.issues.report(
        'missing_start',
        this.extra.length === 0
          ? 'the input holds no records: no TK01 start record'
          : 'the input holds no BGMax records: no TK01 start record',
        {},
      );
    }
    const at =
      last === undefined
        ? {}
        : {
            line: this.lastLine,
            column: 1,
            ...(last.record === undefined ? {} : { record: last.record }),
            text: last.text,
          };
    if (this.trailer === undefined) {
      this.issues.report(
        'missing_end',
        `the file has no TK70 end record (the last record is on line ${this.lastLine})`,
        {
          ...at,
          expected: '70',
        },
      );
    }
    if (truncated && !this.ended) {
      this.issues.report('truncated_file', `the file ends in the middle of a record (line ${this.lastLine})`, {
        ...at,
        ...(last === undefined ? {} : { column: last.text.length + 1 }),
      });
    }
  }

  /**
   * The last record read (text and record label), for the issues at the end of the input. A record taken by the
   * fast path kept no text (so that path stays as fast as it is), but the fast path takes only canonical
   * 80-column records that fit where they are: formatting its values again gives its line back.
   */
  private lastRecord(): { text: string; record: string | undefined } | undefined {
    const line = this.lastLine;
    if (line === 0) return undefined;
    if (line === this.pushLine) return { text: this.text, record: this.pushRecord };
    const item = this.item;
    if (item === undefined) return undefined;
    let rec: BgmaxRecordInput;
    const lastRef = item.extraReferences[item.extraReferences.length - 1];
    if (item.line === line) {
      const minor = item.amount.toMinor();
      rec = {
        type: item.kind === 'deduction' ? '21' : '20',
        senderBankgiro: item.senderBankgiro,
        reference: referenceField(item.reference, item.referenceCode),
        amount: item.kind === 'deduction' ? -minor : minor,
        referenceCode: item.referenceCode as '0',
        channel: item.channel as '1',
        serialNumber: item.serialNumber,
        imageFlag: item.imageFlag as '0',
        ...(item.kind === 'deduction' ? { deductionCode: (item.deductionCode ?? '0') as '0' } : {}),
      } as BgmaxRecordInput;
    } else if (lastRef !== undefined && lastRef.line === line) {
      const minor = lastRef.amount.toMinor();
      rec = {
        type: lastRef.negative ? '23' : '22',
        senderBankgiro: lastRef.senderBankgiro,
        reference: referenceField(lastRef.reference, lastRef.referenceCode),
        amount: lastRef.negative ? -minor : minor,
        referenceCode: lastRef.referenceCode as '0',
        channel: lastRef.channel as '1',
        serialNumber: lastRef.serialNumber,
        imageFlag: lastRef.imageFlag as '0',
      };
    } else {
      switch (this.rank) {
        case 2:
          rec = { type: '25', text: item.informationTexts[item.informationTexts.length - 1] ?? '' };
          break;
        case 3:
          rec = { type: '26', name: item.name ?? '', extraName: item.extraName ?? '' };
          break;
        case 4:
          rec = { type: '27', address: item.address ?? '', postalCode: item.postalCode ?? '' };
          break;
        case 5:
          rec = { type: '28', town: item.town ?? '', country: item.country ?? '', countryCode: item.countryCode ?? '' };
          break;
        case 6:
          rec = { type: '29', organisationNumber: item.organisationNumber ?? '' };
          break;
        default:
          return undefined;
      }
    }
    try {
      return { text: formatBgmaxRecord(rec), record: `TK${rec.type}` };
    } catch (e) {
      if (!NordfilError.is(e)) throw e;
      return undefined;
    }
  }

  private unexpected(rec: BgmaxRecord, line: number, where: string): void {
    const code = rec.type === 'unknown' || rec.type === 'blank' ? '??' : rec.type;
    this.issues.report('unexpected_record', `TK${code} ${where}`, {
      line,
      column: 1,
      record: `TK${code}`,
      text: this.text,
      actual: code,
    });
  }

  private startRecord(rec: Tk01, line: number, bad: ReadonlySet<string>): void {
    // the start only before any section: a stream has yielded those sections' payments, their ids and dates
    // made without a header, so a later TK01 cannot become the header without whole and stream disagreeing
    if (
      this.header !== undefined ||
      this.n15 > 0 ||
      this.open !== undefined ||
      this.sections > 0 ||
      this.trailer !== undefined
    ) {
      this.unexpected(
        rec,
        line,
        this.trailer === undefined
          ? 'start record after the start of the file: kept aside'
          : `start record after the TK70 end record on line ${this.trailer.line} (two files joined?): kept aside, the records after it are read on`,
      );
      this.keepExtra(rec, line);
      return;
    }
    let writtenAt: IsoTimestamp | undefined;
    if (!bad.has('timestamp')) {
      try {
        writtenAt = parseCompactTimestamp(rec.timestamp);
      } catch {
        this.issues.report('invalid_date', `write timestamp ${JSON.stringify(rec.timestamp)} is not a valid time`, {
          line,
          column: 25,
          record: 'TK01',
          field: 'timestamp',
          text: this.text,
          actual: rec.timestamp,
        });
      }
    }
    this.header = {
      layoutName: 'BGMAX',
      layoutVersion: rec.layoutVersion,
      timestamp: rec.timestamp,
      writtenAt,
      test: rec.testMark === 'T',
      line,
    };
  }

  private openSection(rec: Tk05, line: number): void {
    if (this.open !== undefined) this.abandon(`a new section starts on line ${line}`);
    this.item = undefined;
    const currency = rec.currency;
    if (currency === 'EUR') this.eur(line, 23, 'TK05');
    const obj: OpenSection['obj'] = {
      bankgiro: rec.bankgiro,
      currency,
      items: [],
      line,
    };
    if (rec.plusgiro !== '') obj.plusgiro = rec.plusgiro;
    this.open = this.newSection(obj, moneyCurrency(currency), false);
    this.gate();
  }

  /** The state of a section being read, opened by a TK05 (or, `implicit`, by a payment outside any). */
  private newSection(obj: OpenSection['obj'], currency: string, implicit: boolean): OpenSection {
    return {
      obj,
      index: ++this.sections,
      moneyCurrency: currency,
      text: this.text,
      implicit,
      unreadable: 0,
      small: 0,
      big: 0n,
      payments: 0,
      deductions: 0,
      extraReferences: 0,
    };
  }

  /**
   * Opens a section for a payment found outside any (its TK05 unreadable or missing, or records after the
   * TK70): lenient mode never drops a payment. The receiving bankgiro is unknown (`''`); the currency is SEK
   * (the only one since 2016) until a TK15 closes the section and declares it.
   */
  private implicitSection(rec: Tk20 | Tk21, line: number): OpenSection {
    this.unexpected(
      rec,
      line,
      `${rec.type === '21' ? 'deduction' : 'payment'} outside a TK05 ... TK15 section${
        this.trailer === undefined ? '' : ` (after the TK70 end record on line ${this.trailer.line})`
      }: kept in a section of its own, receiving bankgiro unknown`,
    );
    const obj: OpenSection['obj'] = { bankgiro: '', currency: 'SEK', items: [], line };
    const open = this.newSection(obj, 'SEK', true);
    this.open = open;
    this.item = undefined;
    this.gate();
    return open;
  }

  /** Opens or closes the fast path after the state it depends on changed. */
  private gate(): void {
    this.slow = !this.started || this.ended || this.open?.implicit === true;
  }

  private startItem(rec: Tk20 | Tk21, line: number, bad: ReadonlySet<string>): void {
    let open = this.open;
    if (open === undefined) open = this.implicitSection(rec, line);
    else if (open.implicit) {
      this.unexpected(
        rec,
        line,
        `${rec.type === '21' ? 'deduction' : 'payment'} outside a TK05 ... TK15 section: kept in the section of unknown receiving bankgiro opened on line ${open.obj.line}`,
      );
    }
    this.addItem(
      open,
      rec.type === '21' ? (rec as Tk21).deductionCode : undefined,
      rec.senderBankgiro,
      trimReference(rec.reference, rec.referenceCode),
      rec.amount,
      rec.referenceCode,
      rec.channel,
      rec.serialNumber,
      rec.imageFlag,
      line,
    );
    if (bad.size > 0) {
      // a field could not be read: the item says which, and keeps its line so that writing gives it back
      const item = this.item!;
      item.invalid = [...bad];
      item.raw = this.text;
      if (bad.has('amount')) open.unreadable++;
    }
  }

  /** Adds a payment (no deduction code) or a deduction to the open section; `reference` already trimmed. */
  private addItem(
    open: OpenSection,
    deductionCode: string | undefined,
    senderBankgiro: string,
    reference: string,
    unsigned: number | bigint,
    referenceCode: string,
    channel: string,
    serialNumber: string,
    imageFlag: string,
    line: number,
  ): void {
    const deduction = deductionCode !== undefined;
    const amount = deduction ? -unsigned : unsigned;
    if (deduction) {
      this.n21++;
      open.deductions++;
    } else {
      this.n20++;
      open.payments++;
    }
    addToTotal(open, amount);
    // every item has the common keys (undefined until their record is read): one shape for nearly all
    // items, so reading them stays fast and no property store grows as child records arrive; the rare
    // ones (extra name, country, country code, unknown records) are added when read
    const item: Mutable<BgmaxItem> = {
      kind: deduction ? 'deduction' : 'payment',
      senderBankgiro,
      reference,
      amount: this.money.of(amount, open.moneyCurrency),
      referenceCode,
      channel,
      serialNumber,
      imageFlag,
      deductionCode,
      extraReferences: EMPTY,
      informationTexts: EMPTY,
      name: undefined,
      address: undefined,
      postalCode: undefined,
      town: undefined,
      organisationNumber: undefined,
      line,
    };
    open.obj.items.push(item);
    this.item = item;
    this.rank = 0;
  }

  /**
   * Tells the fast path the text about to be read and, when known, its latin-1 bytes (one byte per
   * character, same offsets); records of any other text are checked in a copy of their bytes.
   */
  source(text: string, bytes: Buffer | undefined): void {
    this.sourceText = text;
    this.sourceBytes = bytes;
  }

  /**
   * The fast path (see `fast.ts`): takes the clean 80-character TK20-TK23 or TK25-TK29 record at
   * offset `o` of `t` that fits where it is (no issue of any kind would be reported) straight into
   * the objects and returns true; returns false, having changed nothing, for anything else. It checks
   * every one of the 80 columns (digits, codes, blanks, text characters), so a record it takes holds no
   * CR or LF: the line splitter may offer it a record before searching for the line end.
   */
  fast(text: string, offset: number, line: number): boolean {
    if (this.slow) return false;
    const open = this.open;
    if (open === undefined) return false;
    let b: Buffer;
    let t: string;
    let o: number;
    const bytes = this.sourceBytes;
    if (text === this.sourceText && bytes !== undefined) {
      // recordBytes' first case, inlined: the round trip through its shared result cost a few per cent of a
      // streaming read (alternating runs)
      b = bytes;
      t = text;
      o = offset;
    } else {
      const r = recordBytes(text, offset, this.sourceText, bytes);
      if (r === undefined) return false;
      b = r.b;
      t = r.t;
      o = r.o;
    }
    if (b[o] !== 50) return false;
    const c1 = b[o + 1] as number;
    // one small method per record type, so the compiler inlines the column readers into each
    if (c1 <= 51) return c1 >= 48 && this.fastPayment(b, t, o, line, open, c1);
    const item = this.item;
    if (item === undefined) return false;
    let ok: boolean;
    switch (c1) {
      case 53:
        ok = this.fast25(b, t, o, item);
        break;
      case 54:
        ok = this.fast26(b, t, o, item);
        break;
      case 55:
        ok = this.fast27(b, t, o, item);
        break;
      case 56:
        ok = this.fast28(b, t, o, item);
        break;
      case 57:
        ok = this.fast29(b, t, o, item);
        break;
      default:
        return false;
    }
    if (ok) this.lastLine = line;
    return ok;
  }

  /** TK20-TK23 (`c1`: the second digit of the code). */
  private fastPayment(b: Buffer, t: string, o: number, line: number, open: OpenSection, c1: number): boolean {
    const columns = paymentColumns(b, t, o);
    if (columns === undefined) return false;
    if (c1 === 49) {
      // TK21: deduction code 0-2 in column 71
      const dc = b[o + 70] as number;
      if (dc < 48 || dc > 50 || !blanksAt(b, o, 71, 80)) return false;
    } else if (!blanksAt(b, o, 70, 80)) return false;
    if (c1 <= 49) {
      this.lastLine = line;
      this.addItem(
        open,
        c1 === 49 ? t[o + 70]! : undefined,
        columns.senderBankgiro,
        columns.reference,
        columns.amount,
        columns.referenceCode,
        columns.channel,
        columns.serialNumber,
        columns.imageFlag,
        line,
      );
      return true;
    }
    const item = this.item;
    if (item === undefined || this.rank > 1) return false;
    this.lastLine = line;
    this.rank = 1;
    const negative = c1 === 51;
    const amount = negative ? -columns.amount : columns.amount;
    const ref: BgmaxExtraReference = {
      negative,
      senderBankgiro: columns.senderBankgiro,
      reference: columns.reference,
      amount: this.money.of(amount, open.moneyCurrency),
      referenceCode: columns.referenceCode,
      channel: columns.channel,
      serialNumber: columns.serialNumber,
      imageFlag: columns.imageFlag,
      line,
    };
    item.extraReferences = appended(item.extraReferences, ref);
    this.n2223++;
    open.extraReferences++;
    return true;
  }

  /** TK25: text (3-52), filler (53-80). */
  private fast25(b: Buffer, t: string, o: number, item: Mutable<BgmaxItem>): boolean {
    if (this.rank > 2 || !blanksAt(b, o, 52, 80)) return false;
    const texts = item.informationTexts as readonly string[];
    if (texts.length >= 90) return false;
    const text = cleanTextAt(b, t, o, 2, 52);
    if (text === undefined) return false;
    item.informationTexts = appended(texts, text);
    this.rank = 2;
    return true;
  }

  /** TK26: name (3-37), extra name (38-72), filler (73-80). */
  private fast26(b: Buffer, t: string, o: number, item: Mutable<BgmaxItem>): boolean {
    if (this.rank > 3 || item.name !== undefined || !blanksAt(b, o, 72, 80)) return false;
    const name = cleanTextAt(b, t, o, 2, 37);
    const extraName = cleanTextAt(b, t, o, 37, 72);
    if (name === undefined || extraName === undefined) return false;
    item.name = name;
    if (extraName !== '') item.extraName = extraName;
    this.rank = 3;
    return true;
  }

  /** TK27: address (3-37), postal code (38-46), filler (47-80). */
  private fast27(b: Buffer, t: string, o: number, item: Mutable<BgmaxItem>): boolean {
    if (this.rank > 4 || item.address !== undefined || !blanksAt(b, o, 46, 80)) return false;
    const address = cleanTextAt(b, t, o, 2, 37);
    const postalCode = cleanTextAt(b, t, o, 37, 46);
    if (address === undefined || postalCode === undefined) return false;
    item.address = address;
    if (postalCode !== '') item.postalCode = postalCode;
    this.rank = 4;
    return true;
  }

  /** TK28: town (3-37), country (38-72), country code (73-74), filler (75-80). */
  private fast28(b: Buffer, t: string, o: number, item: Mutable<BgmaxItem>): boolean {
    if (this.rank > 5 || item.town !== undefined || !blanksAt(b, o, 74, 80)) return false;
    const town = cleanTextAt(b, t, o, 2, 37);
    const country = cleanTextAt(b, t, o, 37, 72);
    const countryCode = cleanTextAt(b, t, o, 72, 74);
    if (town === undefined || country === undefined || countryCode === undefined) return false;
    item.town = town;
    if (country !== '') item.country = country;
    if (countryCode !== '') item.countryCode = countryCode;
    this.rank = 5;
    return true;
  }

  /** TK29: organisation number (3-14, 12 digits), filler (15-80). */
  private fast29(b: Buffer, t: string, o: number, item: Mutable<BgmaxItem>): boolean {
    if (item.organisationNumber !== undefined || !digitsAt(b, o, 2, 14) || !blanksAt(b, o, 14, 80)) return false;
    item.organisationNumber = t.slice(o + 2, o + 14);
    this.rank = 6;
    return true;
  }

  private child(rec: Tk22 | Tk25 | Tk26 | Tk27 | Tk28 | Tk29 | BgmaxRecord, line: number): void {
    const type = rec.type as string;
    // TK70 counts every TK22/TK23 in the file, placed or not
    if (this.open === undefined) {
      if (type === '22' || type === '23') this.n2223++;
      this.unexpected(rec, line, 'child record of a payment outside any section: kept aside');
      this.keepExtra(rec as BgmaxRecord, line);
      return;
    }
    const item = this.item;
    if (this.open.implicit && item !== undefined) {
      this.unexpected(
        rec,
        line,
        `child record of a payment outside any section: kept with that payment (line ${item.line})`,
      );
    }
    if (item === undefined) {
      if (type === '22' || type === '23') this.n2223++;
      this.issues.report(
        'orphan_record',
        `TK${type} before any TK20/TK21 of its section: it belongs to no payment (kept aside)`,
        {
          line,
          column: 1,
          record: `TK${type}`,
          text: this.text,
        },
      );
      this.keepExtra(rec as BgmaxRecord, line);
      return;
    }
    const rank = CHILD_RANK[type]!;
    if (rank < this.rank) {
      this.issues.report(
        'record_order',
        `TK${type} after a later child record of the same payment (S1 order: 22/23, 25, 26, 27, 28, 29)`,
        {
          severity: 'warning',
          line,
          column: 1,
          record: `TK${type}`,
          text: this.text,
        },
      );
    }
    if (rank > this.rank) this.rank = rank;
    switch (type) {
      case '22':
      case '23': {
        const r = rec as Tk22;
        const negative = type === '23';
        const amount = negative ? -r.amount : r.amount;
        const ref: BgmaxExtraReference = {
          negative,
          senderBankgiro: r.senderBankgiro,
          reference: trimReference(r.reference, r.referenceCode),
          amount: this.money.of(amount, this.open.moneyCurrency),
          referenceCode: r.referenceCode,
          channel: r.channel,
          serialNumber: r.serialNumber,
          imageFlag: r.imageFlag,
          line,
        };
        item.extraReferences = appended(item.extraReferences, ref);
        this.n2223++;
        this.open.extraReferences++;
        return;
      }
      case '25': {
        const texts = item.informationTexts as readonly string[];
        if (texts.length >= 90) {
          this.issues.report('unexpected_record', 'more than 90 TK25 information records for one payment', {
            severity: 'warning',
            line,
            column: 1,
            record: 'TK25',
            text: this.text,
          });
        }
        const text = (rec as Tk25).text;
        item.informationTexts = appended(texts, text);
        return;
      }
      case '26': {
        if (item.name !== undefined) {
          this.duplicate(rec, line);
          return;
        }
        const r = rec as Tk26;
        item.name = r.name;
        if (r.extraName !== '') item.extraName = r.extraName;
        return;
      }
      case '27': {
        if (item.address !== undefined) {
          this.duplicate(rec, line);
          return;
        }
        const r = rec as Tk27;
        item.address = r.address;
        if (r.postalCode !== '') item.postalCode = r.postalCode;
        return;
      }
      case '28': {
        if (item.town !== undefined) {
          this.duplicate(rec, line);
          return;
        }
        const r = rec as Tk28;
        item.town = r.town;
        if (r.country !== '') item.country = r.country;
        if (r.countryCode !== '') item.countryCode = r.countryCode;
        return;
      }
      default: {
        if (item.organisationNumber !== undefined) {
          this.duplicate(rec, line);
          return;
        }
        item.organisationNumber = (rec as Tk29).organisationNumber;
        return;
      }
    }
  }

  private duplicate(rec: BgmaxRecord, line: number): void {
    const type = (rec as { type: string }).type;
    this.issues.report(
      'unexpected_record',
      `a second TK${type} for the same payment (at most one is allowed): kept aside`,
      {
        line,
        column: 1,
        record: `TK${type}`,
        text: this.text,
      },
    );
    this.keepExtra(rec, line);
  }

  /** Keeps a record verbatim in the innermost open object (nothing read is ever dropped). */
  private keepExtra(rec: BgmaxRecord, line: number): void {
    const raw = rec.raw ?? this.text;
    const code = rec.type === 'unknown' ? rec.code : rec.type;
    const u: BgmaxUnknownRecord = { code, raw, line };
    if (this.item !== undefined) this.item.extra = [...(this.item.extra ?? EMPTY), u];
    else if (this.open !== undefined) this.open.obj.extra = [...(this.open.obj.extra ?? EMPTY), u];
    else this.extra.push(u);
  }

  private unknown(rec: UnknownRecord, line: number): void {
    this.keepExtra(rec, line);
  }

  private closeSection(rec: Tk15, line: number, bad: ReadonlySet<string>): void {
    const open = this.open;
    // TK70 counts every TK15 in the file, placed or not
    this.n15++;
    if (open === undefined) {
      this.unexpected(rec, line, 'deposit record without a TK05 opening record: kept aside');
      this.keepExtra(rec, line);
      return;
    }
    const s = open.obj;
    const count = open.payments + open.deductions;
    if (count === 0) {
      this.issues.report(
        'section_without_payments',
        'section closed by TK15 has no TK20/TK21 (S1: at least one payment per section)',
        {
          line,
          column: 1,
          record: 'TK15',
          text: this.text,
        },
      );
    }
    if (open.implicit) {
      // a section without its TK05: the TK15 is the only record that declares its currency
      if (rec.currency !== s.currency && isCurrencyCode(rec.currency)) this.recurrency(open, rec.currency);
    } else if (rec.currency !== s.currency) {
      this.issues.report(
        'currency_mismatch',
        `TK15 currency ${JSON.stringify(rec.currency)} differs from TK05 currency ${JSON.stringify(s.currency)} (line ${s.line})`,
        {
          line,
          column: 69,
          record: 'TK15',
          field: 'currency',
          text: this.text,
          expected: s.currency,
          actual: rec.currency,
        },
      );
    }
    const total = totalOf(open);
    if (open.unreadable > 0) {
      // a total computed without the unreadable amounts would be a false mismatch (or a false match)
      this.issues.report(
        'control_total_unchecked',
        `TK15 deposit amount not checked: ${open.unreadable} payment record${open.unreadable === 1 ? '' : 's'} of the section (opened on line ${s.line}) ha${open.unreadable === 1 ? 's' : 've'} an unreadable amount`,
        { severity: 'warning', line, column: 51, record: 'TK15', field: 'amount', text: this.text },
      );
    } else if (!bad.has('amount') && rec.amount !== total) {
      this.issues.report(
        'control_total_mismatch',
        `TK15 declares a deposit of ${rec.amount} öre; the section's payments minus deductions are ${total} öre`,
        {
          line,
          column: 51,
          record: 'TK15',
          field: 'amount',
          text: this.text,
          expected: String(total),
          actual: String(rec.amount),
        },
      );
    }
    const declaredCount = bad.has('count') || !isAllDigits(rec.count) ? undefined : Number(rec.count);
    if (declaredCount !== undefined && declaredCount !== count) {
      this.issues.report(
        'count_mismatch',
        `TK15 declares ${declaredCount} payment records; the section has ${count} (${open.payments} TK20 + ${open.deductions} TK21)`,
        {
          line,
          column: 72,
          record: 'TK15',
          field: 'count',
          text: this.text,
          expected: String(count),
          actual: String(declaredCount),
        },
      );
    }
    if (total < 0n && open.unreadable === 0) {
      this.issues.report('negative_total', `the section's deductions exceed its payments (total ${total} öre)`, {
        line,
        column: 1,
        record: 'TK15',
        field: 'amount',
        text: this.text,
        actual: String(total),
      });
    }
    const acc = rec.bankAccount;
    s.deposit = {
      bankAccount: { clearing: acc.slice(19, 23), account: stripZeros(acc.slice(23, 35)) },
      paymentDate: bad.has('paymentDate') ? undefined : rec.paymentDate,
      serialNumber: rec.depositSerial,
      amount: bad.has('amount') ? undefined : this.money.of(rec.amount, moneyCurrency(rec.currency)),
      currency: rec.currency,
      count: declaredCount,
      depositType: rec.depositType,
      line,
    };
    this.emit();
  }

  /** An EUR section (TK05 column 23, or the TK15 of an implicit section): obsolete since 31 Oct 2016. */
  private eur(line: number, column: number, record: string): void {
    const date = this.header?.writtenAt?.slice(0, 10);
    const late = date !== undefined && date >= EUR_END;
    this.issues.report(
      'obsolete_currency',
      late
        ? `EUR section in a file written ${date}: Bankgirot stopped EUR sections on ${EUR_END}`
        : `EUR section: possible only in files written before ${EUR_END}`,
      {
        severity: late ? 'error' : 'warning',
        line,
        column,
        record,
        field: 'currency',
        text: this.text,
        actual: 'EUR',
      },
    );
  }

  /** Gives an implicit section the currency its TK15 declares (its amounts were made in SEK). */
  private recurrency(open: OpenSection, currency: string): void {
    if (currency === 'EUR') this.eur(this.lastLine, 69, 'TK15');
    open.obj.currency = currency;
    open.moneyCurrency = currency;
    const items = open.obj.items;
    for (let i = 0; i < items.length; i++) {
      const it = items[i]! as Mutable<BgmaxItem>;
      it.amount = this.money.of(it.amount.toMinor(), currency);
      if (it.extraReferences.length > 0) {
        it.extraReferences = it.extraReferences.map((x) => ({
          ...x,
          amount: this.money.of(x.amount.toMinor(), currency),
        }));
      }
    }
  }

  private abandon(why: string): void {
    const open = this.open!;
    // an implicit section has its error already (the payment outside a section that opened it)
    if (!open.implicit) {
      this.issues.report(
        'unclosed_section',
        `the section opened on line ${open.obj.line} has no TK15 deposit record before ${why}`,
        {
          line: open.obj.line ?? 0,
          column: 1,
          record: 'TK05',
          text: open.text,
        },
      );
    }
    this.emit();
  }

  private emit(): void {
    const open = this.open!;
    this.open = undefined;
    this.item = undefined;
    this.gate();
    this.onSection({ section: open.obj, index: open.index });
  }

  private endRecord(rec: Tk70, line: number, bad: ReadonlySet<string>): void {
    if (this.open !== undefined) this.abandon(`the TK70 end record on line ${line}`);
    this.ended = true;
    this.gate();
    if (this.trailer !== undefined) {
      this.unexpected(rec, line, `end record after the TK70 end record on line ${this.trailer.line}: kept aside`);
      this.keepExtra(rec, line);
      return;
    }
    const num = (field: 'payments' | 'deductions' | 'extraReferences' | 'deposits'): number | undefined =>
      bad.has(field) || !isAllDigits(rec[field]) ? undefined : Number(rec[field]);
    const trailer: BgmaxTrailer = {
      payments: num('payments'),
      deductions: num('deductions'),
      extraReferences: num('extraReferences'),
      deposits: num('deposits'),
      line,
    };
    this.trailer = trailer;
    const check = (field: keyof Omit<BgmaxTrailer, 'line'>, actual: number, column: number, what: string): void => {
      const declared = trailer[field];
      if (declared !== undefined && declared !== actual) {
        this.issues.report('count_mismatch', `TK70 declares ${declared} ${what}; the file has ${actual}`, {
          line,
          column,
          record: 'TK70',
          field,
          text: this.text,
          expected: String(actual),
          actual: String(declared),
        });
      }
    };
    check('payments', this.n20, 3, 'payment records (TK20)');
    check('deductions', this.n21, 11, 'deduction records (TK21)');
    check('extraReferences', this.n2223, 19, 'extra reference records (TK22 + TK23)');
    check('deposits', this.n15, 27, 'deposit records (TK15)');
  }
}

// ---------------------------------------------------------------------------------------------
// objects -> records (control records derived)

function fail(code: string, message: string, details: Parameters<typeof issue>[2] = {}): never {
  throw new NordfilError(issue(code, message, details));
}

function minorOf(m: Money, what: string): bigint {
  if (!(m instanceof Money)) fail('invalid_amount', `${what}: expected a Money`);
  return m.toMinor();
}

/** Pads a reference to its columns: right-aligned under code 2, else left-aligned. */
function referenceField(ref: string, code: string): string {
  return code === '2' ? ref.padStart(25, ' ') : ref;
}

/**
 * The records of one section, TK05 to TK15, with the TK15 amount, count and currency derived from
 * the items. Throws a NordfilError when the section has no deposit details or a negative total.
 */
export function sectionRecords(section: BgmaxSection): BgmaxRecordInput[] {
  const out: BgmaxRecordInput[] = [];
  out.push({
    type: '05',
    bankgiro: section.bankgiro,
    plusgiro: section.plusgiro ?? '',
    currency: section.currency as 'SEK',
  });
  for (const u of section.extra ?? EMPTY) out.push({ type: 'unknown', code: u.code, raw: u.raw });
  let total = 0n;
  let unreadable = false;
  for (const it of section.items) {
    if (it.invalid !== undefined && it.raw !== undefined) {
      // a field could not be read (lenient mode): the line as read, since its values cannot be written
      if (it.invalid.includes('amount')) unreadable = true;
      else total += minorOf(it.amount, 'item amount');
      out.push({ type: 'unknown', code: it.kind === 'deduction' ? '21' : '20', raw: it.raw });
      childRecords(it, out);
      continue;
    }
    const signed = minorOf(it.amount, 'item amount');
    total += signed;
    const amount = it.kind === 'deduction' ? -signed : signed;
    if (amount < 0n) {
      fail(
        'invalid_amount',
        `a ${it.kind}'s amount must be ${it.kind === 'deduction' ? 'negative or zero' : 'zero or more'}`,
        {
          actual: it.amount.toString(),
        },
      );
    }
    const common = {
      senderBankgiro: it.senderBankgiro,
      reference: referenceField(it.reference, it.referenceCode),
      amount,
      referenceCode: it.referenceCode as '0',
      channel: it.channel as '1',
      serialNumber: it.serialNumber,
      imageFlag: it.imageFlag as '0',
    };
    if (it.kind === 'deduction') out.push({ type: '21', ...common, deductionCode: (it.deductionCode ?? '0') as '0' });
    else out.push({ type: '20', ...common });
    childRecords(it, out);
  }
  const d = section.deposit;
  if (d === undefined)
    fail('unclosed_section', `section of bankgiro ${section.bankgiro} has no deposit (TK15) details`);
  if (unreadable) {
    // the total cannot be derived from an amount that could not be read: the declared one is written
    if (d.amount === undefined) {
      fail(
        'invalid_amount',
        `section of bankgiro ${section.bankgiro} has an unreadable payment amount and no declared deposit amount`,
      );
    }
    total = d.amount.toMinor();
  }
  if (total < 0n) fail('negative_total', `the section's deductions exceed its payments (total ${total} öre)`);
  if (d.paymentDate === undefined) fail('invalid_date', `section of bankgiro ${section.bankgiro} has no payment date`);
  out.push({
    type: '15',
    bankAccount: `${'0'.repeat(19)}${d.bankAccount.clearing.padStart(4, '0')}${d.bankAccount.account.padStart(12, '0')}`,
    paymentDate: d.paymentDate,
    depositSerial: d.serialNumber,
    amount: total,
    currency: section.currency as 'SEK',
    count: String(section.items.length),
    depositType: d.depositType,
  });
  return out;
}

/** The child records of an item (TK22/TK23, TK25, TK26-TK29, then unknown records), in S1 order. */
function childRecords(it: BgmaxItem, out: BgmaxRecordInput[]): void {
  for (const x of it.extraReferences) {
    const signedX = minorOf(x.amount, 'extra reference amount');
    const a = x.negative ? -signedX : signedX;
    if (a < 0n)
      fail(
        'invalid_amount',
        `an extra reference amount must be ${x.negative ? 'negative or zero (TK23)' : 'zero or more (TK22)'}`,
      );
    out.push({
      type: x.negative ? '23' : '22',
      senderBankgiro: x.senderBankgiro,
      reference: referenceField(x.reference, x.referenceCode),
      amount: a,
      referenceCode: x.referenceCode as '0',
      channel: x.channel as '1',
      serialNumber: x.serialNumber,
      imageFlag: x.imageFlag as '0',
    });
  }
  for (const text of it.informationTexts) out.push({ type: '25', text });
  if (it.name !== undefined || it.extraName !== undefined) {
    out.push({ type: '26', name: it.name ?? '', extraName: it.extraName ?? '' });
  }
  if (it.address !== undefined || it.postalCode !== undefined) {
    out.push({ type: '27', address: it.address ?? '', postalCode: it.postalCode ?? '' });
  }
  if (it.town !== undefined || it.country !== undefined || it.countryCode !== undefined) {
    out.push({ type: '28', town: it.town ?? '', country: it.country ?? '', countryCode: it.countryCode ?? '' });
  }
  if (it.organisationNumber !== undefined) out.push({ type: '29', organisationNumber: it.organisationNumber });
  for (const u of it.extra ?? EMPTY) out.push({ type: 'unknown', code: u.code, raw: u.raw });
}

/** Record counts for TK70, accumulated section by section. */
export class TrailerCounter {
  payments = 0;
  deductions = 0;
  extraReferences = 0;
  deposits = 0;

  add(section: BgmaxSection): void {
    for (const it of section.items) {
      if (it.kind === 'payment') this.payments++;
      else this.deductions++;
      this.extraReferences += it.extraReferences.length;
    }
    this.deposits++;
  }

  record(): BgmaxRecordInput {
    return {
      type: '70',
      payments: String(this.payments),
      deductions: String(this.deductions),
      extraReferences: String(this.extraReferences),
      deposits: String(this.deposits),
    };
  }
}

/** The TK01 record of a header. */
export function headerRecord(header: BgmaxHeader | undefined): BgmaxRecordInput {
  if (header === undefined) fail('missing_start', 'the file has no header (TK01 start record) to write');
  return {
    type: '01',
    layoutVersion: header.layoutVersion,
    timestamp: header.timestamp,
    testMark: header.test ? 'T' : 'P',
  };
}

/**
 * The file as records, TK01 to TK70, with every control record (TK15 amount, count and currency;
 * TK70 counts) derived from the objects, never copied from what was read.
 *
 * @example
 * const records = toRecords(file);
 * records.at(-1); // { type: '70', payments: '5', deductions: '0', extraReferences: '0', deposits: '1' }
 */
export function toRecords(file: BgmaxFile): BgmaxRecordInput[] {
  const out: BgmaxRecordInput[] = [headerRecord(file.header)];
  for (const u of file.extra ?? EMPTY) out.push({ type: 'unknown', code: u.code, raw: u.raw });
  const counter = new TrailerCounter();
  for (const s of file.sections) {
    for (const r of sectionRecords(s)) out.push(r);
    counter.add(s);
  }
  out.push(counter.record());
  return out;
}

// ---------------------------------------------------------------------------------------------
// objects -> the shared Payment model

/** Options for {@link toPayments}. */
export interface ToPaymentsOptions {
  /** The identity payment ids start with. Default: the file's, else `bgmax:<timestamp>:<T|P>`. */
  readonly fileIdentity?: string;
  /** `Payment.source.file`. Default: the file's source name, else `''`. */
  readonly source?: string;
}

/** Internal: what mapping one section needs. */
export interface PaymentContext {
  readonly fileIdentity: string;
  readonly source: string;
  /** Used when a section has no valid payment date (an unclosed section in lenient mode). */
  readonly fallbackDate: IsoDate | undefined;
}

export function paymentContext(
  file: Pick<BgmaxFile, 'header' | 'fileIdentity' | 'source'>,
  options: ToPaymentsOptions = {},
): PaymentContext {
  const fileIdentity = options.fileIdentity ?? bgmaxFileIdentity(file);
  const written = file.header?.writtenAt?.slice(0, 10);
  return {
    fileIdentity,
    source: options.source ?? file.source ?? '',
    fallbackDate: written !== undefined && isIsoDate(written) ? written : undefined,
  };
}

function trimBoth(s: string): string {
  return s.trim();
}

function significantBankgiro(digits: string): string | undefined {
  // the common case first: 10 digits, not all zeros (no trim, no regex)
  let s = 0;
  const n = digits.length;
  while (s < n && digits.charCodeAt(s) === 48) s++;
  if (s === n) return undefined;
  if (n === 10 && isAllDigits(digits)) return s === 0 ? digits : digits.slice(s);
  const t = digits.trim();
  if (t === '' || /^0*$/.test(t)) return undefined;
  return stripZeros(t);
}

function extraToShared(x: BgmaxExtraReference): ExtraReference {
  return {
    reference: x.reference.trim(),
    amount: x.amount,
    referenceCode: x.referenceCode,
    referenceKind: referenceKindOf(x.referenceCode),
    line: x.line ?? 0,
  };
}

/**
 * What a payment says about its payer (TK26-TK29 and the sender bankgiro). The usual combinations are
 * built as one literal each (same key order as the general case): one allocation, no growing object.
 */
function payerOf(it: BgmaxItem, bg: string | undefined): PayerDetails {
  const { name, address, postalCode, town } = it;
  const org = it.organisationNumber === undefined ? undefined : it.organisationNumber.trim();
  if (it.extraName === undefined && it.country === undefined && it.countryCode === undefined && bg !== undefined) {
    if (name === undefined && address === undefined && postalCode === undefined && town === undefined) {
      if (org === undefined || org === '') return { bankgiro: bg };
    } else if (name && address && postalCode !== undefined && town) {
      if (org === undefined || org === '') return { name, street: address, postalCode, town, bankgiro: bg };
      return { name, street: address, postalCode, town, organisationNumber: org, bankgiro: bg };
    }
  }
  const payer: Mutable<PayerDetails> = {};
  if (name !== undefined && name !== '') payer.name = name;
  if (it.extraName !== undefined) payer.extraName = it.extraName;
  if (address !== undefined && address !== '') payer.street = address;
  if (postalCode !== undefined) payer.postalCode = postalCode;
  if (town !== undefined && town !== '') payer.town = town;
  if (it.country !== undefined) payer.country = it.country;
  if (it.countryCode !== undefined) payer.countryCode = it.countryCode;
  if (org !== undefined && org !== '') payer.organisationNumber = org;
  if (bg !== undefined) payer.bankgiro = bg;
  return payer;
}

/**
 * The payments of one section in the shared model (internal; {@link toPayments} maps a whole file).
 * Returns an empty list when the section has no usable payment date.
 */
export function sectionPayments(
  section: BgmaxSection,
  index: number,
  ctx: PaymentContext,
  out: Payment[] = [],
): Payment[] {
  const d = section.deposit?.paymentDate;
  const date = d !== undefined && isIsoDate(d) ? d : ctx.fallbackDate;
  if (date === undefined) return out;
  const receivingAccount: ReceivingAccount = { kind: 'bankgiro', number: stripZeros(section.bankgiro.trim()) };
  const currency = section.currency;
  const file = ctx.source;
  const items = section.items;
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    // an amount that could not be read is not a payment of 0.00 (its invalid_amount issue says so)
    if (it.invalid?.includes('amount')) continue;
    const line = it.line ?? 0;
    const ref = it.reference.trim();
    const bg = significantBankgiro(it.senderBankgiro);
    const payer = payerOf(it, bg);
    const id = paymentId(ctx.fileIdentity, line);
    const kind = it.kind;
    const transactionCode = kind === 'payment' ? '20' : '21';
    const referenceKind = referenceKindOf(it.referenceCode);
    const extraReferences = it.extraReferences.length === 0 ? EMPTY : it.extraReferences.map(extraToShared);
    const messages = it.informationTexts.length === 0 ? EMPTY : it.informationTexts.map(trimBoth);
    const source = { file, line, section: index };
    // the common shape (a reference, a serial number, no deduction code) in one literal: one
    // allocation instead of growing the object; the key order is the same either way
    if (ref !== '' && it.serialNumber !== '' && it.deductionCode === undefined) {
      out.push({
        id,
        format: 'bgmax',
        kind,
        transactionCode,
        receivingAccount,
        amount: it.amount,
        currency,
        date,
        referenceKind,
        referenceCode: it.referenceCode,
        extraReferences,
        payer,
        messages,
        channel: it.channel,
        source,
        reference: ref,
        serialNumber: it.serialNumber,
      });
      continue;
    }
    const p: Mutable<Payment> = {
      id,
      format: 'bgmax',
      kind,
      transactionCode,
      receivingAccount,
      amount: it.amount,
      currency,
      date,
      referenceKind,
      referenceCode: it.referenceCode,
      extraReferences,
      payer,
      messages,
      channel: it.channel,
      source,
    };
    if (ref !== '') p.reference = ref;
    if (it.serialNumber !== '') p.serialNumber = it.serialNumber;
    if (it.deductionCode !== undefined) p.deductionCode = it.deductionCode;
    out.push(p);
  }
  return out;
}

/**
 * Maps a BGMax file onto the shared `Payment` model: one payment per TK20 and TK21 (deductions with
 * a negative amount), dated with their section's TK15 payment date, the receiving bankgiro as
 * `receivingAccount`, TK22/TK23 as extra references, TK25 texts as messages and TK26-TK29 as payer.
 * Ids are `<fileIdentity>#<line>`, stable for the same file.
 *
 * @example
 * const payments = toPayments(parseBgmax(bytes, { source: 'BgMax.txt' }));
 * payments[0]!.amount.toString(); // '1000.00'
 * payments[0]!.id; // 'bgmax:20040525173035010331:P#3'
 */
export function toPayments(file: BgmaxFile, options: ToPaymentsOptions = {}): Payment[] {
  const ctx = paymentContext(file, options);
  const out: Payment[] = [];
  const sections = file.sections;
  for (let i = 0; i < sections.length; i++) sectionPayments(sections[i]!, i + 1, ctx, out);
  return out;
}
