/**
 * The record layouts of Nets OCR giro, each declared once with `defineRecord`, and the record types they
 * read to. Positions are 1-based and inclusive, as in Nets' *System specification OCR giro*.
 */
import {
  defineRecord,
  expandTabs,
  issue,
  type LineTerminator,
  NordfilError,
  type RecordInputOf,
  type RecordOf,
} from '@nordfil/core';

/**
 * Every OCR giro record is 80 characters long.
 *
 * @example
 * line.length === RECORD_LENGTH;
 */
export const RECORD_LENGTH = 80;

/**
 * The default two-digit-year pivot for `DDMMYY` dates: years below 70 are 20YY, the others 19YY
 * (window 1970–2069). python-netsgiro uses Python's `%y` rule (1969–2068); pass `pivot: 69` for that.
 *
 * @example
 * ocrGiroCodecs(DEFAULT_PIVOT) === ocrGiroCodecs(); // true
 */
export const DEFAULT_PIVOT = 70;

/**
 * OCR giro transaction types (service 09), positions 5–6 of records 30, 31 and 32.
 *
 * @example
 * OCR_GIRO_TRANSACTION_TYPES.includes('21'); // true
 */
export const OCR_GIRO_TRANSACTION_TYPES = [
  '10',
  '11',
  '12',
  '13',
  '14',
  '15',
  '16',
  '17',
  '18',
  '19',
  '20',
  '21',
] as const;

/**
 * AvtaleGiro transaction types (service 21): `02` payee notification, `21` bank notification, `93` cancellation.
 *
 * @example
 * AVTALEGIRO_TRANSACTION_TYPES; // ['02', '21', '93']
 */
export const AVTALEGIRO_TRANSACTION_TYPES = ['02', '21', '93'] as const;

/**
 * Assignment types: `00` transactions or payment requests, `24` AvtaleGiro agreements, `36` AvtaleGiro cancellations.
 *
 * @example
 * ASSIGNMENT_TYPES; // ['00', '24', '36']
 */
export const ASSIGNMENT_TYPES = ['00', '24', '36'] as const;

const NY = { start: 1, length: 2, kind: 'const', value: 'NY', description: 'format code' } as const;
const txNumber = {
  start: 9,
  length: 7,
  kind: 'digits',
  description: 'transaction number (løpenummer per transaction in the assignment)',
} as const;

/** Builds every record codec for one two-digit-year pivot (dates are `DDMMYY`). */
function createCodecs(pivot: number) {
  const date = (start: number, description: string) =>
    ({ start, length: 6, kind: 'date', format: 'DDMMYY', pivot, description }) as const;
  const optionalDate = (start: number, description: string) =>
    ({ start, length: 6, kind: 'date', format: 'DDMMYY', pivot, optional: true, description }) as const;

  /** Start record for transmission (forsendelse start), record type 10. */
  const transmissionStart = defineRecord({
    type: '10',
    length: RECORD_LENGTH,
    fields: {
      formatCode: NY,
      serviceCode: { start: 3, length: 2, kind: 'code', values: ['00'] },
      transmissionType: { start: 5, length: 2, kind: 'const', value: '00' },
      recordType: { start: 7, length: 2, kind: 'const', value: '10' },
      dataTransmitter: { start: 9, length: 8, kind: 'digits', description: 'data transmitter (Nets: 00008080)' },
      transmissionNumber: { start: 17, length: 7, kind: 'digits', description: 'transmission number set by Nets' },
      dataRecipient: { start: 24, length: 8, kind: 'digits', description: "recipient's customer unit ID" },
      filler32: { start: 32, length: 49, kind: 'filler', fill: '0' },
    },
  });

  /** Start record for assignment (oppdrag start), record type 20. */
  const assignmentStart = defineRecord({
    type: '20',
    length: RECORD_LENGTH,
    fields: {
      formatCode: NY,
      serviceCode: { start: 3, length: 2, kind: 'code', values: ['09', '21'] },
      assignmentType: { start: 5, length: 2, kind: 'code', values: ASSIGNMENT_TYPES },
      recordType: { start: 7, length: 2, kind: 'const', value: '20' },
      agreementId: { start: 9, length: 9, kind: 'digits', description: 'Nets agreement ID (avtale-ID)' },
      assignmentNumber: { start: 18, length: 7, kind: 'digits', description: 'assignment number (oppdragsnummer)' },
      account: { start: 25, length: 11, kind: 'digits', description: "payee's account (oppdragskonto)" },
      filler36: { start: 36, length: 45, kind: 'filler', fill: '0' },
    },
  });

  /** OCR giro amount item 1 (beløpspost 1), record type 30, service 09. */
  const item1 = defineRecord({
    type: '30',
    label: '30',
    length: RECORD_LENGTH,
    fields: {
      formatCode: NY,
      serviceCode: { start: 3, length: 2, kind: 'code', values: ['09'] },
      transactionType: { start: 5, length: 2, kind: 'code', values: OCR_GIRO_TRANSACTION_TYPES },
      recordType: { start: 7, length: 2, kind: 'const', value: '30' },
      transactionNumber: txNumber,
      netsDate: date(16, 'Nets processing date (oppgjørsdato)'),
      centreId: { start: 22, length: 2, kind: 'digits', description: 'bank data centre ID (sentral-ID)' },
      dayCode: { start: 24, length: 2, kind: 'digits', description: 'day of month processed (dagkode)' },
      partialSettlementNumber: { start: 26, length: 1, kind: 'digits', description: 'delavregningsnummer' },
      partialSettlementSerialNumber: { start: 27, length: 5, kind: 'digits', description: 'løpenummer' },
      sign: { start: 32, length: 1, kind: 'code', values: ['0', '-'], description: "'-' = negative" },
      amount: { start: 33, length: 17, kind: 'amount', description: 'amount in øre' },
      kid: { start: 50, length: 25, kind: 'text', align: 'right', description: 'KID, right-aligned' },
      cardIssuer: { start: 75, length: 2, kind: 'text', description: "card issuer ('00' when none)" },
      filler77: { start: 77, length: 4, kind: 'filler', fill: '0' },
    },
  });

  /** AvtaleGiro amount item 1, record type 30, service 21 (payment request or cancellation). */
  const avtaleGiroItem1 = defineRecord({
    type: '30',
    label: '30',
    length: RECORD_LENGTH,
    fields: {
      formatCode: NY,
      serviceCode: { start: 3, length: 2, kind: 'code', values: ['21'] },
      transactionType: { start: 5, length: 2, kind: 'code', values: AVTALEGIRO_TRANSACTION_TYPES },
      recordType: { start: 7, length: 2, kind: 'const', value: '30' },
      transactionNumber: txNumber,
      dueDate: date(16, 'due date (forfallsdato)'),
      filler22: { start: 22, length: 11, kind: 'filler', fill: ' ' },
      amount: { start: 33, length: 17, kind: 'amount', description: 'amount in øre' },
      kid: { start: 50, length: 25, kind: 'text', align: 'right', description: 'KID, right-aligned' },
      filler75: { start: 75, length: 6, kind: 'filler', fill: '0' },
    },
  });

  /** OCR giro amount item 2 (beløpspost 2), record type 31, service 09. */
  const item2 = defineRecord({
    type: '31',
    label: '31',
    length: RECORD_LENGTH,
    fields: {
      formatCode: NY,
      serviceCode: { start: 3, length: 2, kind: 'code', values: ['09'] },
      transactionType: { start: 5, length: 2, kind: 'code', values: OCR_GIRO_TRANSACTION_TYPES },
      recordType: { start: 7, length: 2, kind: 'const', value: '31' },
      transactionNumber: txNumber,
      formNumber: { start: 16, length: 10, kind: 'digits', description: 'blankettnummer' },
      archiveReference: {
        start: 26,
        length: 9,
        kind: 'digits',
        optional: true,
        description: "payer's agreement ID or archive reference (arkivreferanse)",
      },
      filler35: {
        start: 35,
        length: 7,
        kind: 'text',
        description: "documented as zeros, but Nets' own sample has data here: kept opaque",
      },
      bankDate: optionalDate(42, "payer's bank date (oppgjørsdato i bank); 000000 = none"),
      // reference §2 (31): "Payer's account if known, else zeros": blanks read as '' (unknown), no error
      debitAccount: {
        start: 48,
        length: 11,
        kind: 'digits',
        optional: true,
        description: 'debet konto; zeros (or blanks) when unknown',
      },
      filler59: { start: 59, length: 22, kind: 'filler', fill: '0' },
    },
  });

  /** AvtaleGiro amount item 2, record type 31, service 21. */
  const avtaleGiroItem2 = defineRecord({
    type: '31',
    label: '31',
    length: RECORD_LENGTH,
    fields: {
      formatCode: NY,
      serviceCode: { start: 3, length: 2, kind: 'code', values: ['21'] },
      transactionType: { start: 5, length: 2, kind: 'code', values: AVTALEGIRO_TRANSACTION_TYPES },
      recordType: { start: 7, length: 2, kind: 'const', value: '31' },
      transactionNumber: txNumber,
      payerName: { start: 16, length: 10, kind: 'text', description: 'payer short name (forkortet navn)' },
      filler26: { start: 26, length: 25, kind: 'filler', fill: ' ' },
      externalReference: { start: 51, length: 25, kind: 'text', description: 'fremmedreferanse' },
      filler76: { start: 76, length: 5, kind: 'filler', fill: '0' },
    },
  });

  /** OCR giro amount item 3 (beløpspost 3), record type 32: free text, transaction types 20 and 21 only. */
  const item3 = defineRecord({
    type: '32',
    length: RECORD_LENGTH,
    fields: {
      formatCode: NY,
      serviceCode: { start: 3, length: 2, kind: 'code', values: ['09'] },
      transactionType: { start: 5, length: 2, kind: 'code', values: OCR_GIRO_TRANSACTION_TYPES },
      recordType: { start: 7, length: 2, kind: 'const', value: '32' },
      transactionNumber: txNumber,
      freeText: { start: 16, length: 40, kind: 'text', description: 'message from the payment terminal' },
      filler56: { start: 56, length: 25, kind: 'filler', fill: '0' },
    },
  });

  /** AvtaleGiro specification line (spesifikasjonspost), record type 49: half a line of notice text. */
  const specification = defineRecord({
    type: '49',
    length: RECORD_LENGTH,
    fields: {
      formatCode: NY,
      serviceCode: { start: 3, length: 2, kind: 'code', values: ['21'] },
      transactionType: { start: 5, length: 2, kind: 'code', values: ['21'] },
      recordType: { start: 7, length: 2, kind: 'const', value: '49' },
      transactionNumber: txNumber,
      notificationType: { start: 16, length: 1, kind: 'const', value: '4' },
      lineNumber: { start: 17, length: 3, kind: 'digits', description: 'line 001–042' },
      column: { start: 20, length: 1, kind: 'code', values: ['1', '2'] },
      text: { start: 21, length: 40, kind: 'text' },
      filler61: { start: 61, length: 20, kind: 'filler', fill: '0' },
    },
  });

  /** AvtaleGiro agreement update (avtale), record type 70, transaction type 94. */
  const agreement = defineRecord({
    type: '70',
    length: RECORD_LENGTH,
    fields: {
      formatCode: NY,
      serviceCode: { start: 3, length: 2, kind: 'code', values: ['21'] },
      transactionType: { start: 5, length: 2, kind: 'code', values: ['94'] },
      recordType: { start: 7, length: 2, kind: 'const', value: '70' },
      transactionNumber: txNumber,
      registrationType: {
        start: 16,
        length: 1,
        kind: 'code',
        values: ['0', '1', '2'],
        description: '0 active (full list), 1 new or changed, 2 deleted',
      },
      kid: { start: 17, length: 25, kind: 'text', align: 'right' },
      notify: { start: 42, length: 1, kind: 'code', values: ['J', 'N'], description: 'skriftlig varsel' },
      filler43: { start: 43, length: 38, kind: 'filler', fill: '0' },
    },
  });

  /**
   * End record for assignment (oppdrag slutt), record type 88. OCR giro: `date1` Nets date, `date2` earliest,
   * `date3` latest transaction date. AvtaleGiro: `date1` earliest, `date2` latest due date, `date3` zeros.
   */
  const assignmentEnd = defineRecord({
    type: '88',
    length: RECORD_LENGTH,
    fields: {
      formatCode: NY,
      serviceCode: { start: 3, length: 2, kind: 'code', values: ['09', '21'] },
      assignmentType: { start: 5, length: 2, kind: 'code', values: ASSIGNMENT_TYPES },
      recordType: { start: 7, length: 2, kind: 'const', value: '88' },
      transactionCount: { start: 9, length: 8, kind: 'digits', description: 'antall transaksjoner' },
      recordCount: { start: 17, length: 8, kind: 'digits', description: 'antall records, start and end included' },
      total: { start: 25, length: 17, kind: 'amount', description: 'sum of item-1 amounts in øre' },
      date1: optionalDate(42, 'OCR: Nets date; AvtaleGiro: earliest due date'),
      date2: optionalDate(48, 'OCR: earliest Nets date; AvtaleGiro: latest due date'),
      date3: optionalDate(54, 'OCR: latest Nets date; AvtaleGiro: zeros'),
      filler60: { start: 60, length: 21, kind: 'filler', fill: '0' },
    },
  });

  /** End record for transmission (forsendelse slutt), record type 89. */
  const transmissionEnd = defineRecord({
    type: '89',
    length: RECORD_LENGTH,
    fields: {
      formatCode: NY,
      serviceCode: { start: 3, length: 2, kind: 'code', values: ['00'] },
      transmissionType: { start: 5, length: 2, kind: 'const', value: '00' },
      recordType: { start: 7, length: 2, kind: 'const', value: '89' },
      transactionCount: { start: 9, length: 8, kind: 'digits' },
      recordCount: { start: 17, length: 8, kind: 'digits', description: 'every record in the transmission' },
      total: { start: 25, length: 17, kind: 'amount', description: 'øre, all transactions' },
      netsDate: date(42, 'date the transmission was generated'),
      filler48: { start: 48, length: 33, kind: 'filler', fill: '0' },
    },
  });

  return {
    transmissionStart,
    assignmentStart,
    item1,
    avtaleGiroItem1,
    item2,
    avtaleGiroItem2,
    item3,
    specification,
    agreement,
    assignmentEnd,
    transmissionEnd,
  };
}

/**
 * The set of OCR giro codecs for one date pivot.
 *
 * @example
 * const { item1, item2 }: OcrGiroCodecs = ocrGiroCodecs();
 */
export type OcrGiroCodecs = ReturnType<typeof createCodecs>;

const codecCache = new Map<number, OcrGiroCodecs>();

/**
 * The record codecs (reader and writer per record type) for a two-digit-year pivot, built once and cached.
 *
 * @example
 * const { item1 } = ocrGiroCodecs();
 * item1.read(line).record.amount; // 125000n (øre)
 * ocrGiroCodecs(69).item1; // dates in 1969–2068, as python-netsgiro
 */
export function ocrGiroCodecs(pivot: number = DEFAULT_PIVOT): OcrGiroCodecs {
  let c = codecCache.get(pivot);
  if (c === undefined) {
    if (!Number.isInteger(pivot) || pivot < 0 || pivot > 100) {
      throw new NordfilError(
        issue('invalid_config', `pivot must be an integer 0–100, got ${pivot}`, { field: 'pivot' }),
      );
    }
    c = createCodecs(pivot);
    codecCache.set(pivot, c);
  }
  return c;
}

/**
 * Where a record came from and how it was written, kept so that the writer reproduces the input exactly.
 *
 * @example
 * parseOcrGiroRecords(bytes).records[0]; // { ..., line: 1, raw: 'NY000010…', terminator: '\r\n', valid: true }
 */
export interface RecordMeta {
  /** 1-based line number in the file (0 for a record built in code). */
  line: number;
  /** The line as read (without terminator), when the record was read from a file. */
  raw?: string;
  /** The terminator that followed the line in the file. */
  terminator?: LineTerminator;
  /** `false` when reading the line reported an error: its fields are best effort and the writer writes `raw`. */
  valid?: boolean;
}

type C = OcrGiroCodecs;
/**
 * Record 10: start of transmission.
 *
 * @example
 * const r = records.find((x): x is TransmissionStartRecord => x.recordType === '10');
 */
export type TransmissionStartRecord = RecordOf<C['transmissionStart']> & RecordMeta;
/**
 * Record 20: start of assignment.
 *
 * @example
 * const r = records.find((x): x is AssignmentStartRecord => x.recordType === '20');
 */
export type AssignmentStartRecord = RecordOf<C['assignmentStart']> & RecordMeta;
/**
 * Record 30, service 09: OCR giro amount item 1.
 *
 * @example
 * const r = records.find((x): x is AmountItem1Record => x.recordType === '30');
 */
export type AmountItem1Record = RecordOf<C['item1']> & RecordMeta;
/**
 * Record 30, service 21: AvtaleGiro amount item 1.
 *
 * @example
 * const r = records.find((x): x is AvtaleGiroAmountItem1Record => x.recordType === '30');
 */
export type AvtaleGiroAmountItem1Record = RecordOf<C['avtaleGiroItem1']> & RecordMeta;
/**
 * Record 31, service 09: OCR giro amount item 2.
 *
 * @example
 * const r = records.find((x): x is AmountItem2Record => x.recordType === '31');
 */
export type AmountItem2Record = RecordOf<C['item2']> & RecordMeta;
/**
 * Record 31, service 21: AvtaleGiro amount item 2.
 *
 * @example
 * const r = records.find((x): x is AvtaleGiroAmountItem2Record => x.recordType === '31');
 */
export type AvtaleGiroAmountItem2Record = RecordOf<C['avtaleGiroItem2']> & RecordMeta;
/**
 * Record 32: OCR giro amount item 3 (free text).
 *
 * @example
 * const r = records.find((x): x is AmountItem3Record => x.recordType === '32');
 */
export type AmountItem3Record = RecordOf<C['item3']> & RecordMeta;
/**
 * Record 49: AvtaleGiro specification line.
 *
 * @example
 * const r = records.find((x): x is SpecificationRecord => x.recordType === '49');
 */
export type SpecificationRecord = RecordOf<C['specification']> & RecordMeta;
/**
 * Record 70: AvtaleGiro agreement.
 *
 * @example
 * const r = records.find((x): x is AgreementRecord => x.recordType === '70');
 */
export type AgreementRecord = RecordOf<C['agreement']> & RecordMeta;
/**
 * Record 88: end of assignment.
 *
 * @example
 * const r = records.find((x): x is AssignmentEndRecord => x.recordType === '88');
 */
export type AssignmentEndRecord = RecordOf<C['assignmentEnd']> & RecordMeta;
/**
 * Record 89: end of transmission.
 *
 * @example
 * const r = records.find((x): x is TransmissionEndRecord => x.recordType === '89');
 */
export type TransmissionEndRecord = RecordOf<C['transmissionEnd']> & RecordMeta;

/**
 * A line that is not a known record: a blank line, an unknown record type, or a line too broken to
 * dispatch (not starting with `NY`, a non-numeric record type). Kept verbatim so that nothing is lost.
 *
 * @example
 * if (r.recordType === 'unknown') console.log(r.reason, r.raw);
 */
export interface UnknownRecord extends RecordMeta {
  recordType: 'unknown';
  /** Why the line is not a record. */
  reason: 'blank' | 'unknown' | 'invalid';
  raw: string;
}

/**
 * One OCR giro record: a discriminated union on `recordType` (and `serviceCode` for 30 and 31).
 *
 * @example
 * for (const r of parseOcrGiroRecords(bytes).records) {
 *   if (r.recordType === '30' && r.serviceCode === '09') console.log(r.kid, r.amount);
 * }
 */
export type OcrGiroRecord =
  | TransmissionStartRecord
  | AssignmentStartRecord
  | AmountItem1Record
  | AvtaleGiroAmountItem1Record
  | AmountItem2Record
  | AvtaleGiroAmountItem2Record
  | AmountItem3Record
  | SpecificationRecord
  | AgreementRecord
  | AssignmentEndRecord
  | TransmissionEndRecord
  | UnknownRecord;

type In<K extends keyof C, T extends string> = RecordInputOf<C[K]> & { recordType: T } & Partial<RecordMeta>;

/**
 * What the writer accepts: a record where constants (`formatCode`), clean fillers and absent optional
 * fields may be left out, and `line` too. Every {@link OcrGiroRecord} is one.
 *
 * @example
 * writeOcrGiroRecords([{ recordType: '89', serviceCode: '00', transactionCount: '00000000',
 *   recordCount: '00000002', total: 0n, netsDate: '2025-03-15' as IsoDate }]);
 */
export type OcrGiroRecordInput =
  | In<'transmissionStart', '10'>
  | In<'assignmentStart', '20'>
  | In<'item1', '30'>
  | In<'avtaleGiroItem1', '30'>
  | In<'item2', '31'>
  | In<'avtaleGiroItem2', '31'>
  | In<'item3', '32'>
  | In<'specification', '49'>
  | In<'agreement', '70'>
  | In<'assignmentEnd', '88'>
  | In<'transmissionEnd', '89'>
  | (Omit<UnknownRecord, 'line'> & Partial<RecordMeta>);

type AnyCodec = C[keyof C];

/**
 * The codec for a line, by record type (7–8) and, for 30 and 31, service code (3–4: `21` is AvtaleGiro,
 * anything else is read with the OCR giro layout, whose service-code check reports it).
 *
 * @example
 * codecForLine(ocrGiroCodecs(), line)?.read(line);
 */
export function codecForLine(codecs: OcrGiroCodecs, text: string): AnyCodec | undefined {
  const a = text.charCodeAt(6);
  const b = text.charCodeAt(7);
  const avtale = text.charCodeAt(2) === 50 && text.charCodeAt(3) === 49; // '21'
  switch (a) {
    case 49: // '1'
      return b === 48 ? codecs.transmissionStart : undefined;
    case 50: // '2'
      return b === 48 ? codecs.assignmentStart : undefined;
    case 51: // '3'
      if (b === 48) return avtale ? codecs.avtaleGiroItem1 : codecs.item1;
      if (b === 49) return avtale ? codecs.avtaleGiroItem2 : codecs.item2;
      if (b === 50) return codecs.item3;
      return undefined;
    case 52: // '4'
      return b === 57 ? codecs.specification : undefined;
    case 55: // '7'
      return b === 48 ? codecs.agreement : undefined;
    case 56: // '8'
      if (b === 56) return codecs.assignmentEnd;
      if (b === 57) return codecs.transmissionEnd;
      return undefined;
    default:
      return undefined;
  }
}

/**
 * Writes one record as its 80 characters. A record read from a file is written back as its raw line when
 * its fields are unchanged (short lines and blank excess stay as they were) or when it was read with
 * errors (`valid: false`); any other record is written in canonical 80-column form. Throws a NordfilError listing every invalid field value.
 *
 * @example
 * formatOcrGiroRecord({ recordType: '89', transactionCount: '00000001', recordCount: '00000006',
 *   total: 125000n, netsDate: '2025-03-15', formatCode: 'NY', serviceCode: '00', transmissionType: '00' });
 * // 'NY000089000000010000000600000000000125000150325000000000000000000000000000000000'
 */
export function formatOcrGiroRecord(record: OcrGiroRecordInput, codecs: OcrGiroCodecs = ocrGiroCodecs()): string {
  if (record.recordType === 'unknown') return record.raw;
  if (record.valid === false && record.raw !== undefined) return record.raw;
  const codec = codecForRecord(codecs, record);
  const canonical = (codec.write as (r: unknown) => string)(record);
  const raw = record.raw;
  if (raw === undefined || raw === canonical) return canonical;
  // a line read from a file (short, long with blank excess, with tabs, or with an absent date written as
  // blanks) goes back as it was when its fields still hold what was read from it
  const again = codec.read(raw.indexOf('\t') === -1 ? raw : expandTabs(raw)).record as Record<string, unknown>;
  const r = record as unknown as Record<string, unknown>;
  for (const f of codec.fields) {
    if (!(f.name in r) && (f.kind === 'const' || f.kind === 'filler')) continue;
    if (again[f.name] !== r[f.name]) return canonical;
  }
  return raw;
}

function codecForRecord(codecs: OcrGiroCodecs, r: Exclude<OcrGiroRecordInput, { recordType: 'unknown' }>): AnyCodec {
  switch (r.recordType) {
    case '10':
      return codecs.transmissionStart;
    case '20':
      return codecs.assignmentStart;
    case '30':
      return r.serviceCode === '21' ? codecs.avtaleGiroItem1 : codecs.item1;
    case '31':
      return r.serviceCode === '21' ? codecs.avtaleGiroItem2 : codecs.item2;
    case '32':
      return codecs.item3;
    case '49':
      return codecs.specification;
    case '70':
      return codecs.agreement;
    case '88':
      return codecs.assignmentEnd;
    case '89':
      return codecs.transmissionEnd;
    default: {
      const never: never = r;
      throw new NordfilError(
        issue('invalid_value', `unknown record type ${JSON.stringify((never as { recordType: unknown }).recordType)}`),
      );
    }
  }
}
