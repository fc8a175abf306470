/**
 * Internal home of the records layer (re-exported by records.ts, the `@nordfil/totalin/records` entry): one typed record per record type, each
 * layout declared once with `defineRecord`, as a discriminated union on `type`, keeping the raw line and
 * its number, and a reader and writer that are exact inverses (`write(parse(bytes))` gives back the bytes).
 *
 * Columns follow the Nordea "Total IN Bas" example file and the two implementations that agree with it
 * (the reference's §2.4; the bank's own record description could not be read, see the README).
 */
import {
  DOS_EOF,
  defineRecord,
  type EncodingName,
  encode,
  expandTabs,
  type Issue,
  IssueCollector,
  issue,
  type Line,
  type LineTerminator,
  NORDIC_TEXT,
  NordfilError,
  type RecordCodec,
  type RecordOf,
} from '@nordfil/core';
import type { TotalInEncoding } from './encoding.js';
import { Physical, type PhysicalLayout, RECORD_LENGTH } from './physical.js';

export { type PhysicalLayout, RECORD_LENGTH };

// ---------------------------------------------------------------------------------------------
// layouts

/**
 * Startpost (00): start of file. Total-IN id, creation timestamp (20 digits, full precision), delivery
 * number, file type `TL1` and file name (`TOTALIN`, or `TOTALIN-T` for a test file per jacob22).
 *
 * @example
 * const { record } = record00.read('00TI222222    2011102504133012345601TL1TOTALIN'.padEnd(80));
 * record.timestamp; // '20111025041330123456'
 */
export const record00 = defineRecord({
  type: '00',
  length: 80,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '00' },
    id: { start: 3, length: 12, kind: 'text', description: 'Total-IN id, e.g. TI222222' },
    // text, not digits: a bad timestamp is a warning (it is used in no total), checked by the parser
    timestamp: { start: 15, length: 20, kind: 'text', description: 'CCYYMMDDhhmmss + 6 fraction digits' },
    deliveryNumber: { start: 35, length: 2, kind: 'text', description: 'leveransnummer within the day' },
    fileType: { start: 37, length: 3, kind: 'text', description: 'TL1' },
    fileName: { start: 40, length: 10, kind: 'text', description: 'TOTALIN or TOTALIN-T' },
    reserved: { start: 50, length: 31, kind: 'filler' },
  },
});

/**
 * Kontopost (10): opens an account section: receiving account (PlusGiro or other, left-aligned),
 * currency and booking date (bokföringsdag).
 *
 * @example
 * record10.read('1010181'.padEnd(38) + 'SEK20111024'.padEnd(42)).record.bookingDate; // '2011-10-24'
 */
export const record10 = defineRecord({
  type: '10',
  length: 80,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '10' },
    account: { start: 3, length: 36, kind: 'text', description: 'mottagarkonto: receiving account' },
    currency: { start: 39, length: 3, kind: 'text', description: 'valuta' },
    bookingDate: { start: 42, length: 8, kind: 'date', format: 'YYYYMMDD', description: 'bokföringsdag' },
    reserved: { start: 50, length: 31, kind: 'filler' },
  },
});

/**
 * Betalningspost (20): a payment. Reference (25 zeros = none), amount in öre, the bank's serial number
 * and the sender's bankgiro number when the payment came through Bankgirot.
 *
 * @example
 * const line = '2038952344444'.padEnd(37) + '000000000302550' + '22222333334444451'.padEnd(43);
 * record20.read(line).record.amount; // 302550n
 */
export const record20 = defineRecord({
  type: '20',
  length: 80,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '20' },
    reference: { start: 3, length: 35, kind: 'text', description: 'kundreferens (OCR or other)' },
    amount: { start: 38, length: 15, kind: 'amount', description: 'belopp, öre' },
    serialNumber: { start: 53, length: 17, kind: 'text', description: 'löpnummer: the bank serial number' },
    bankgiro: { start: 70, length: 8, kind: 'text', description: 'bankgironummer, blank unless via Bankgirot' },
    reserved: { start: 78, length: 3, kind: 'filler' },
  },
});

/**
 * Avdragspost (25): a deduction (credit note). As record 20, with the deduction code (avdragskod) at
 * column 70 and (per oktavilla only, unverified) a bankgiro number at 71-78.
 *
 * @example
 * record25.read('25987654123'.padEnd(37) + '000000000052550' + '22222333334444457'.padEnd(43)).record.deductionCode; // ''
 */
export const record25 = defineRecord({
  type: '25',
  length: 80,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '25' },
    reference: { start: 3, length: 35, kind: 'text', description: 'kundreferens' },
    amount: { start: 38, length: 15, kind: 'amount', description: 'belopp, öre (subtracted in totals)' },
    serialNumber: { start: 53, length: 17, kind: 'text', description: 'löpnummer' },
    deductionCode: {
      start: 70,
      length: 1,
      kind: 'code',
      values: ['', '0', '1', '2'],
      unknown: 'warning',
      description: 'avdragskod: 0 full, 1 partial, 2 final part (jacob22)',
    },
    bankgiro: { start: 71, length: 8, kind: 'text', description: 'bankgironummer (oktavilla only)' },
    reserved: { start: 79, length: 2, kind: 'filler' },
  },
});

/** The one layout of records 30, 40, 50, 51, 61 and 62: two 35-character text fields (3-37, 38-72). */
function textPair<const T extends string, const A extends string, const B extends string>(
  type: T,
  first: A,
  second: B,
  what: string,
) {
  return defineRecord({
    type,
    length: 80,
    fields: {
      type: { start: 1, length: 2, kind: 'const', value: type },
      [first]: { start: 3, length: 35, kind: 'text', description: `${what} (first field)` },
      [second]: { start: 38, length: 35, kind: 'text', description: `${what} (second field)` },
      reserved: { start: 73, length: 8, kind: 'filler' },
    } as { type: { start: 1; length: 2; kind: 'const'; value: T } } & {
      [K in A | B]: { start: number; length: 35; kind: 'text' };
    } & { reserved: { start: 73; length: 8; kind: 'filler' } },
  });
}

/** The one layout of records 52 and 63: postal code (3-11), town (12-46), country code (47-48). */
function postalTown<const T extends string>(type: T, what: string) {
  return defineRecord({
    type,
    length: 80,
    fields: {
      type: { start: 1, length: 2, kind: 'const', value: type },
      postalCode: { start: 3, length: 9, kind: 'text', description: `${what}: postnummer` },
      town: { start: 12, length: 35, kind: 'text', description: `${what}: ort` },
      countryCode: { start: 47, length: 2, kind: 'text', description: `${what}: landkod (blank = Sweden)` },
      reserved: { start: 49, length: 32, kind: 'filler' },
    },
  });
}

/**
 * Referenspost (30): up to two extra references given with the payment.
 *
 * @example
 * record30.read('3038952345678'.padEnd(37) + '38952145778'.padEnd(43)).record.secondReference; // '38952145778'
 */
export const record30 = textPair('30', 'reference', 'secondReference', 'extra reference');
/**
 * Meddelandepost (40): two 35-character lines of the payer's message; repeats.
 *
 * @example
 * record40.read('40TACK'.padEnd(80)).record.message; // 'TACK'
 */
export const record40 = textPair('40', 'message', 'secondMessage', 'message');
/**
 * Avsändarnamn (50): the sender's name and a second name field.
 *
 * @example
 * record50.read('50TESTFABRIKEN AB'.padEnd(80)).record.name; // 'TESTFABRIKEN AB'
 */
export const record50 = textPair('50', 'name', 'extraName', 'sender name');
/**
 * Avsändaradress (51): the sender's street address (two fields).
 *
 * @example
 * record51.read('51GATAN 22'.padEnd(80)).record.street; // 'GATAN 22'
 */
export const record51 = textPair('51', 'street', 'street2', 'sender address');
/**
 * Avsändarort (52): the sender's postal code, town and country code.
 *
 * @example
 * record52.read('5211111    TESTVIKEN'.padEnd(80)).record.town; // 'TESTVIKEN'
 */
export const record52 = postalTown('52', 'sender');

/**
 * Betalarkonto (60): the account the money came from, its type (jacob22: 1 bank account, 2 bankgiro) and
 * the payer's organisation number.
 *
 * @example
 * record60.read('601234567'.padEnd(38) + '19999999999'.padEnd(42)).record.organisationNumber; // '9999999999'
 */
export const record60 = defineRecord({
  type: '60',
  length: 80,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '60' },
    account: { start: 3, length: 36, kind: 'text', description: 'betalarens konto' },
    accountType: { start: 39, length: 1, kind: 'text', description: '1 bank account, 2 bankgiro (jacob22)' },
    organisationNumber: { start: 40, length: 20, kind: 'text', description: 'organisationsnummer' },
    reserved: { start: 60, length: 21, kind: 'filler' },
  },
});

/**
 * Betalarnamn (61): the name of the holder of the debited account (can be a bank).
 *
 * @example
 * record61.read('61NORDEA BANK AB'.padEnd(80)).record.name; // 'NORDEA BANK AB'
 */
export const record61 = textPair('61', 'name', 'extraName', 'payer name');
/**
 * Betalaradress (62): the payer's street address (two fields).
 *
 * @example
 * record62.read('62GATAN 12'.padEnd(80)).record.street; // 'GATAN 12'
 */
export const record62 = textPair('62', 'street', 'street2', 'payer address');
/**
 * Betalarort (63): the payer's postal code, town and country code.
 *
 * @example
 * record63.read('6310571    STOCKHOLM'.padEnd(80)).record.postalCode; // '10571'
 */
export const record63 = postalTown('63', 'payer');

/**
 * Utlandsbetalning (70): a foreign payment: the bank's cost, the original amount and currency, and the
 * exchange rate with 4 decimals (`000000088000` = 8.8000).
 *
 * @example
 * const line = '70' + '0'.repeat(15) + ' '.repeat(21) + '000000000100000EUR000000088000'.padEnd(42);
 * record70.read(line).record.exchangeRate; // '000000088000'
 */
export const record70 = defineRecord({
  type: '70',
  length: 80,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '70' },
    bankCost: { start: 3, length: 15, kind: 'amount', optional: true, description: 'bankkostnad, öre' },
    costCurrency: { start: 18, length: 3, kind: 'text', description: 'currency of the cost' },
    reserved1: { start: 21, length: 18, kind: 'filler' },
    // 2 decimals whatever the currency (reference §2.4); blank = absent
    originalAmount: {
      start: 39,
      length: 15,
      kind: 'amount',
      optional: true,
      description: 'ursprungligt belopp, hundredths',
    },
    originalCurrency: { start: 54, length: 3, kind: 'text', description: 'ursprunglig valuta' },
    exchangeRate: { start: 57, length: 12, kind: 'digits', description: 'växelkurs, 4 decimals' },
    reserved2: { start: 69, length: 12, kind: 'filler' },
  },
});

/**
 * Slutpost konto (90): closes an account section: number of records 20 + 25, total in öre
 * (Σ20 − Σ25) and the account statement reference (kontoutdragsreferens).
 *
 * @example
 * record90.read('90000000060000000000191900020111024001'.padEnd(80)).record.total; // 1919000n
 */
export const record90 = defineRecord({
  type: '90',
  length: 80,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '90' },
    count: { start: 3, length: 8, kind: 'digits', description: 'antal transaktioner (20 + 25)' },
    total: { start: 11, length: 17, kind: 'amount', description: 'summa, öre: Σ20 − Σ25' },
    statementReference: { start: 28, length: 11, kind: 'text', description: 'kontoutdragsreferens' },
    reserved: { start: 39, length: 42, kind: 'filler' },
  },
});

/**
 * Slutpost (99): end of file: the number of records in the file, 00 and 99 included.
 *
 * @example
 * record99.read('99000000000000061'.padEnd(80)).record.recordCount; // '000000000000061'
 */
export const record99 = defineRecord({
  type: '99',
  length: 80,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '99' },
    recordCount: { start: 3, length: 15, kind: 'digits', description: 'antal poster, 00 and 99 included' },
    reserved: { start: 18, length: 63, kind: 'filler' },
  },
});

// ---------------------------------------------------------------------------------------------
// record types

/**
 * Where a parsed record came from; absent on records built in code.
 *
 * @example
 * const r = parseTotalInRecords(bytes).records[2]; // { type: '20', ..., line: 3, raw: '20…', terminator: '\r\n' }
 */
export interface RecordMeta {
  /** 1-based line (record) number. */
  line?: number;
  /** The line exactly as read (before tab expansion and padding), for byte-exact writing. */
  raw?: string;
  /** The terminator that followed the line (`''` for fixed-length records and an unterminated last line). */
  terminator?: LineTerminator;
}

/** Startpost: see {@link record00}. */
export type Record00 = RecordOf<typeof record00> & RecordMeta;
/** Kontopost: see {@link record10}. */
export type Record10 = RecordOf<typeof record10> & RecordMeta;
/** Betalningspost: see {@link record20}. */
export type Record20 = RecordOf<typeof record20> & RecordMeta;
/** Avdragspost: see {@link record25}. */
export type Record25 = RecordOf<typeof record25> & RecordMeta;
/** Referenspost: see {@link record30}. */
export type Record30 = RecordOf<typeof record30> & RecordMeta;
/** Meddelandepost: see {@link record40}. */
export type Record40 = RecordOf<typeof record40> & RecordMeta;
/** Avsändarnamn: see {@link record50}. */
export type Record50 = RecordOf<typeof record50> & RecordMeta;
/** Avsändaradress: see {@link record51}. */
export type Record51 = RecordOf<typeof record51> & RecordMeta;
/** Avsändarort: see {@link record52}. */
export type Record52 = RecordOf<typeof record52> & RecordMeta;
/** Betalarkonto: see {@link record60}. */
export type Record60 = RecordOf<typeof record60> & RecordMeta;
/** Betalarnamn: see {@link record61}. */
export type Record61 = RecordOf<typeof record61> & RecordMeta;
/** Betalaradress: see {@link record62}. */
export type Record62 = RecordOf<typeof record62> & RecordMeta;
/** Betalarort: see {@link record63}. */
export type Record63 = RecordOf<typeof record63> & RecordMeta;
/** Utlandsbetalning: see {@link record70}. */
export type Record70 = RecordOf<typeof record70> & RecordMeta;
/** Slutpost konto: see {@link record90}. */
export type Record90 = RecordOf<typeof record90> & RecordMeta;
/** Slutpost: see {@link record99}. */
export type Record99 = RecordOf<typeof record99> & RecordMeta;

/**
 * A line whose record type is unknown (a two-digit code the format does not define: ignored with a
 * warning, as the layout may be extended) or not a record type at all (`invalid_record`). Kept raw so
 * the writer reproduces it.
 */
export interface UnknownRecord extends RecordMeta {
  type: 'unknown';
  /** Columns 1-2 as read. */
  code: string;
  raw: string;
}

/** An empty (or all-blank) line: no record, kept so the writer reproduces it. */
export interface BlankLine extends RecordMeta {
  type: 'blank';
  raw: string;
}

/** Any known Total-IN record. */
export type TotalInKnownRecord =
  | Record00
  | Record10
  | Record20
  | Record25
  | Record30
  | Record40
  | Record50
  | Record51
  | Record52
  | Record60
  | Record61
  | Record62
  | Record63
  | Record70
  | Record90
  | Record99;

/**
 * One line of a Total-IN file, discriminated on `type` (the record type at columns 1-2).
 *
 * @example
 * for (const r of parseTotalInRecords(bytes).records) if (r.type === '20') console.log(r.amount);
 */
export type TotalInRecord = TotalInKnownRecord | UnknownRecord | BlankLine;

/** The record types Total-IN defines. */
export type TotalInRecordType = TotalInKnownRecord['type'];

/** Every codec, by record type. */
export const TOTALIN_CODECS = {
  '00': record00,
  '10': record10,
  '20': record20,
  '25': record25,
  '30': record30,
  '40': record40,
  '50': record50,
  '51': record51,
  '52': record52,
  '60': record60,
  '61': record61,
  '62': record62,
  '63': record63,
  '70': record70,
  '90': record90,
  '99': record99,
} as const;

// fields whose unreadable content is a warning, not an error: they enter no total (reference 2.5)
const SOFT_FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  '70': new Set(['bankCost', 'originalAmount', 'exchangeRate']),
};

/**
 * The codec of a record type, or undefined for an unknown type.
 *
 * @example
 * codecFor('20')?.read(line).record; // a Record20
 * codecFor('45'); // undefined: an unknown record type (ignored with a warning)
 */
export function codecFor(type: string): RecordCodec<TotalInKnownRecord, never> | undefined {
  return (TOTALIN_CODECS as Record<string, RecordCodec<TotalInKnownRecord, never>>)[type];
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Blank: empty or only spaces (tabs too, after the warning). */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * Characters a clean line may hold without a closer look (core's `NORDIC_TEXT`, as in the BGMax package):
 * printable ASCII and the Nordic letters. One table lookup per character keeps the fast path fast; anything
 * else (control characters, C1 bytes, other latin-1 letters, characters above U+00FF) sends the line to the
 * slow path, which reports it.
 */
const TEXT_OK = NORDIC_TEXT;

/** True when every character of `text` is in {@link TEXT_OK}. */
function cleanText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff || TEXT_OK[c] === 0) return false;
  }
  return true;
}

const q = JSON.stringify;

function hex(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The name of the field of `codec` at 1-based `column`, if any. */
function fieldAt(codec: RecordCodec<unknown, never> | undefined, column: number): string | undefined {
  if (codec === undefined) return undefined;
  for (const f of codec.fields) if (column >= f.start && column < f.start + f.length) return f.name;
  return undefined;
}

/**
 * Reads one line into a record, reporting problems to `issues`. Internal engine shared by the records
 * parser, the object parser and the streaming reader.
 * @internal
 */
export class LineReader {
  /** True when the last line read took the slow path (it may have had issues): keep its raw text. */
  dirty = false;
  constructor(private readonly issues: IssueCollector) {}

  /**
   * The record of a line. Known records come without their line meta (the caller has the line: adding
   * properties to every record would cost an allocation each); see {@link withMeta}.
   */
  read(line: Line): TotalInRecord {
    const text = line.text;
    // the fast path: a full 80-character record of a known type with clean text and valid fields
    if (text.length === RECORD_LENGTH && cleanText(text)) {
      const codec = codecFor(text.slice(0, 2));
      if (codec !== undefined) {
        const r = codec.read(text);
        if (r.issues.length === 0) {
          this.dirty = false;
          return r.record as TotalInKnownRecord;
        }
      }
    }
    this.dirty = true;
    return this.readSlow(line);
  }

  private readSlow(line: Line): TotalInRecord {
    const issues = this.issues;
    const raw = line.text;
    const at = { line: line.number, text: raw };
    if (raw === DOS_EOF) {
      // a DOS end-of-file marker (Ctrl-Z) on a line of its own, as old tools end a text file: ignored
      issues.report('end_of_file_marker', 'DOS end-of-file character (Ctrl-Z, 0x1A) ignored', {
        severity: 'warning',
        ...at,
        column: 1,
        actual: '\\x1a',
      });
      return { type: 'blank', raw, line: line.number, terminator: line.terminator };
    }
    if (isBlank(raw)) {
      issues.report('blank_line', `line ${line.number} is empty`, { severity: 'warning', ...at });
      return { type: 'blank', raw, line: line.number, terminator: line.terminator };
    }
    const code = raw.slice(0, 2);
    const codec = codecFor(code);
    const record = code.length === 2 ? { record: code } : {};
    let text = raw;
    if (text.indexOf('\t') !== -1) {
      text = expandTabs(text);
      issues.report(
        'tab',
        `TAB character(s) where blanks belong, expanded to 8-column tab stops (${raw.length} characters, ${text.length} after expansion)`,
        { severity: 'warning', ...at, column: raw.indexOf('\t') + 1, ...record },
      );
    }
    if (!cleanText(text)) this.checkCharacters(text, at, record, codec);
    const c0 = text.charCodeAt(0);
    const c1 = text.charCodeAt(1);
    if (codec === undefined) {
      if (isDigit(c0) && isDigit(c1)) {
        issues.report('unknown_record', `unknown record type ${q(code)} (ignored, kept for writing)`, {
          severity: 'warning',
          ...at,
          column: 1,
          record: code,
        });
      } else {
        issues.report('invalid_record', `record type ${q(code)} is not two digits`, { ...at, column: 1, ...record });
      }
      return { type: 'unknown', code, raw, line: line.number, terminator: line.terminator };
    }
    if (text.length < RECORD_LENGTH) {
      issues.report('record_length', `record of ${text.length} characters, padded to ${RECORD_LENGTH} with blanks`, {
        severity: 'warning',
        ...at,
        column: text.length + 1,
        record: code,
        expected: String(RECORD_LENGTH),
        actual: String(text.length),
      });
    } else if (text.length > RECORD_LENGTH && isBlank(text.slice(RECORD_LENGTH))) {
      issues.report(
        'record_length',
        `record of ${text.length} characters; the blanks beyond ${RECORD_LENGTH} are ignored`,
        {
          severity: 'warning',
          ...at,
          column: RECORD_LENGTH + 1,
          record: code,
          expected: String(RECORD_LENGTH),
          actual: String(text.length),
        },
      );
    }
    const r = codec.read(text, { line: line.number });
    const soft = SOFT_FIELDS[code];
    for (const i of r.issues) issues.add(this.adapt(i, soft, raw));
    return r.record as TotalInKnownRecord;
  }

  /**
   * Reports the characters a Total-IN file should not hold (reference §1.1: ISO-8859-1 text): U+FFFD
   * (`replacement_character`), characters above U+00FF (`not_latin1`: string or UTF-8 input), and
   * control characters, C1 bytes or letters outside the Nordic set (`suspicious_text`: e.g. a CP850 or
   * Windows-1252 file read as latin-1). One issue of each kind per line, at the first such character.
   */
  private checkCharacters(
    text: string,
    at: { line: number; text: string },
    record: { record?: string },
    codec: RecordCodec<unknown, never> | undefined,
  ): void {
    let fffd = -1;
    let wide = -1;
    let odd = -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c <= 0xff && TEXT_OK[c] === 1) continue;
      if (c === 0xfffd) {
        if (fffd < 0) fffd = i;
      } else if (c > 0xff) {
        if (wide < 0) wide = i;
      } else if (c !== 9 && odd < 0) odd = i;
    }
    const where = (i: number) => {
      const field = fieldAt(codec, i + 1);
      return { ...at, column: i + 1, ...record, ...(field === undefined ? {} : { field }) };
    };
    if (fffd >= 0) {
      this.issues.report(
        'replacement_character',
        'U+FFFD replacement characters: letters lost in an earlier conversion',
        { severity: 'warning', ...where(fffd) },
      );
    }
    if (wide >= 0) {
      const c = text.charCodeAt(wide);
      this.issues.report(
        'not_latin1',
        `character ${q(text[wide])} (${hex(c)}) is not latin-1: it cannot be written back in ISO-8859-1`,
        { severity: 'warning', ...where(wide), actual: text[wide]! },
      );
    }
    if (odd >= 0) {
      const c = text.charCodeAt(odd);
      const control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
      this.issues.report(
        'suspicious_text',
        control
          ? `control character ${hex(c)} in the text: a file in another encoding (CP850, Windows-1252) or a damaged one?`
          : `unexpected character ${q(text[odd])} (${hex(c)}): not a Swedish letter; text in another encoding?`,
        { severity: 'warning', ...where(odd), actual: text[odd]! },
      );
    }
  }

  /** Codec issues in this package's vocabulary, with the quoted raw line and the source. */
  private adapt(i: Issue, soft: ReadonlySet<string> | undefined, raw: string): Issue {
    const code = i.code === 'line_too_long' ? 'record_length' : i.code;
    const severity = soft !== undefined && i.field !== undefined && soft.has(i.field) ? 'warning' : i.severity;
    const { code: _c, message, severity: _s, ...rest } = i;
    return issue(code, message, {
      ...rest,
      severity,
      text: raw,
      ...(this.issues.source === undefined ? {} : { source: this.issues.source }),
    });
  }
}

/** A record with its line number, raw text and terminator. @internal */
export function withMeta(r: TotalInRecord, l: Line): TotalInRecord {
  r.line = l.number;
  r.raw = l.text;
  r.terminator = l.terminator;
  return r;
}

/** Options of the records parser. */
export interface ParseRecordsOptions {
  /** File name for issues. */
  source?: string;
  /** `latin1`, `utf-8`, or `auto` (default): latin-1 unless a BOM or valid UTF-8 multi-byte sequences. */
  encoding?: TotalInEncoding;
}

/** What {@link parseTotalInRecords} returns: every line as a record, the problems, and the layout. */
export interface ParsedRecords {
  records: TotalInRecord[];
  issues: Issue[];
  layout: PhysicalLayout;
}

/**
 * Parses a Total-IN file into records, one per line (blank lines and unknown record types included, so
 * nothing is lost), without checking the structure. Never throws for bad content: see `issues`.
 *
 * @example
 * import { parseTotalInRecords } from '@nordfil/totalin/records';
 * const { records, issues } = parseTotalInRecords(bytes, { source: 'totalin.txt' });
 * const payments = records.filter((r) => r.type === '20');
 */
export function parseTotalInRecords(input: Uint8Array | string, options: ParseRecordsOptions = {}): ParsedRecords {
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) {
    throw new NordfilError({
      code: 'invalid_input',
      message: 'parseTotalInRecords expects bytes or a string',
      severity: 'error',
    });
  }
  const issues = new IssueCollector(options.source);
  const physical = new Physical(options.encoding ?? 'auto', issues, typeof input === 'string' ? undefined : input);
  const reader = new LineReader(issues);
  const records: TotalInRecord[] = [];
  for (const batch of physical.whole(input)) {
    for (const l of batch) {
      physical.line(l);
      records.push(withMeta(reader.read(l), l));
    }
  }
  physical.finish();
  issues.finish();
  return { records, issues: issues.list, layout: physical.layout() };
}

/** Options of the writers. */
export interface WriteOptions {
  /** Output encoding. Default: the parsed layout's, else `latin1` (what the banks send). */
  encoding?: EncodingName;
  /** Separator after each record. Default: the parsed layout's, else `'\r\n'` (as in Nordea's example). */
  lineEnding?: '\r\n' | '\n' | '';
  /** Terminate the last record too. Default: the parsed layout's, else true. */
  finalTerminator?: boolean;
  /** Write a UTF-8 byte order mark (UTF-8 only). Default: the parsed layout's, else false. */
  bom?: boolean;
}

/**
 * The text of one record: its original `raw` line when that still reads to the same values (so short
 * lines, tabs and trailing blanks survive a round trip), else the canonical 80-character form.
 * @internal
 */
export function recordText(r: TotalInRecord): string {
  if (r.type === 'unknown' || r.type === 'blank') return r.raw;
  const codec = codecFor(r.type)!;
  const raw = r.raw;
  let canonical: string;
  try {
    canonical = (codec as unknown as RecordCodec<unknown, unknown>).write(r);
  } catch (e) {
    // a record read with a warning (an unknown code, a blank rate) may not be writable canonically:
    // unchanged, it is written back as read
    if (raw !== undefined && sameValues(codec, raw, r)) return raw;
    throw e;
  }
  if (raw === undefined || raw === canonical) return canonical;
  return sameValues(codec, raw, r) ? raw : canonical;
}

/** True when `raw` reads (tabs expanded, padded) to the same field values as `r`. */
export function sameValues(codec: RecordCodec<unknown, never>, raw: string, r: object): boolean {
  const back = codec.read(expandTabs(raw)).record as Record<string, unknown>;
  const rec = r as Record<string, unknown>;
  for (const f of codec.fields) {
    if (back[f.name] !== rec[f.name] && !(f.kind === 'filler' && isBlank(String(back[f.name] ?? '')))) return false;
  }
  return true;
}

/**
 * Writes records to bytes. A parsed record keeps its raw line and terminator, so
 * `writeTotalInRecords(parseTotalInRecords(bytes))` gives back `bytes` for every file it can read;
 * records built in code are written in canonical 80-column form with `lineEnding`.
 *
 * @example
 * import { parseTotalInRecords, writeTotalInRecords } from '@nordfil/totalin/records';
 * const parsed = parseTotalInRecords(bytes);
 * writeTotalInRecords(parsed.records, parsed.layout); // the same bytes
 */
export function writeTotalInRecords(
  records: readonly TotalInRecord[],
  options: Omit<WriteOptions, 'lineEnding'> & Partial<PhysicalLayout> = {},
): Uint8Array {
  const lineEnding = options.lineEnding ?? '\r\n';
  const final = options.finalTerminator ?? true;
  let out = '';
  const parts: string[] = [];
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const last = i === records.length - 1;
    const term = last && !final ? '' : (r.terminator ?? lineEnding);
    out += recordText(r) + (last && final && term === '' ? lineEnding : term);
    if (out.length > 1 << 20) {
      parts.push(out);
      out = '';
    }
  }
  parts.push(out);
  return encodeText(parts, options.encoding ?? 'latin1', options.bom ?? false);
}

/**
 * Encodes text pieces to one byte array (pieces keep every string short of V8's limits).
 * @internal
 */
export function encodeText(parts: readonly string[], encoding: EncodingName, bom: boolean): Uint8Array {
  const chunks = parts.map((p, i) => encode(p, encoding, { bom: bom && i === 0 }));
  if (chunks.length === 1) return chunks[0]!;
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
