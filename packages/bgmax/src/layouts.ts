/**
 * Internal home of the record layouts (re-exported by `records.ts`, the `/records` subpath).
 *
 * The records layer of BGMax (Bankgirot "Bankgiro Inbetalningar", technical manual November 2019):
 * one typed record per transaction code (TK, transaktionskod), each layout declared once with
 * `defineRecord`, read and written as exact inverses, with the line's raw text and number kept.
 *
 * `parseBgmaxRecords` / `writeBgmaxRecords` reproduce every valid file byte for byte: a parsed record
 * keeps its raw text and line ending, and is written back as read unless its fields were changed; a
 * record built in code is written in the canonical 80-column form.
 */
import {
  defineRecord,
  type LayoutInput,
  type LayoutRecord,
  type LineTerminator,
  type RecordLayout,
} from '@nordfil/core';

/**
 * Every BGMax record is 80 characters.
 *
 * @example
 * line.padEnd(RECORD_LENGTH, ' ');
 */
export const RECORD_LENGTH = 80;

const REFERENCE_CODES = ['0', '1', '2', '3', '4', '5'] as const;
const CHANNEL_CODES = ['1', '2', '3', '4'] as const;
const IMAGE_FLAGS = ['0', '1', ''] as const;
const CURRENCIES = ['SEK', 'EUR'] as const;

/**
 * TK01 Startpost: the start record (layout name, version, write timestamp, test mark).
 *
 * @example
 * tk01.read(line).record.timestamp; // '20040525173035010331'
 */
export const tk01 = defineRecord({
  type: '01',
  label: 'TK01',
  length: RECORD_LENGTH,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '01', description: 'transaktionskod' },
    layoutName: { start: 3, length: 20, kind: 'const', value: 'BGMAX', description: 'layoutnamn' },
    layoutVersion: { start: 23, length: 2, kind: 'digits', description: 'version, 01' },
    timestamp: {
      start: 25,
      length: 20,
      kind: 'digits',
      description: 'skrivdag: CCYYMMDDhhmmss + 6 digits of microseconds, local Swedish time',
    },
    testMark: {
      start: 45,
      length: 1,
      kind: 'code',
      values: ['T', 'P'],
      description: 'testmarkering: T test, P production',
    },
    reserved: { start: 46, length: 35, kind: 'filler' },
  },
});

/**
 * TK05 Öppningspost: opens a section (avsnitt): receiving bankgiro, converted plusgiro, currency.
 *
 * @example
 * tk05.read(line).record.bankgiro; // '0009912346'
 */
export const tk05 = defineRecord({
  type: '05',
  label: 'TK05',
  length: RECORD_LENGTH,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '05' },
    bankgiro: { start: 3, length: 10, kind: 'digits', description: 'mottagarbankgironummer, zero-padded' },
    plusgiro: {
      start: 13,
      length: 10,
      kind: 'digits',
      optional: true,
      description: 'mottagarplusgironummer, only when plusgiro payments were converted; blank otherwise',
    },
    currency: {
      start: 23,
      length: 3,
      kind: 'code',
      values: CURRENCIES,
      description: 'valuta: SEK (EUR before 2016-10-31)',
    },
    reserved: { start: 26, length: 55, kind: 'filler' },
  },
});

/** The columns TK20, TK21, TK22 and TK23 share (1-70). */
function paymentFields<const T extends string>(type: T) {
  return {
    type: { start: 1, length: 2, kind: 'const', value: type },
    senderBankgiro: {
      start: 3,
      length: 10,
      kind: 'text',
      description:
        'avsändarbankgironummer, 10 digits zero-padded (zeros when unknown); read as text because Bankgirot examples write 9 digits and a blank',
    },
    reference: {
      start: 13,
      length: 25,
      kind: 'text',
      description:
        'referens: format by reference code (2: digits right-aligned; 4: left-aligned; 3, 5: verbatim); leading blanks kept',
    },
    amount: { start: 38, length: 18, kind: 'amount', description: 'belopp in öre' },
    referenceCode: { start: 56, length: 1, kind: 'code', values: REFERENCE_CODES, description: 'referenskod 0-5' },
    channel: { start: 57, length: 1, kind: 'code', values: CHANNEL_CODES, description: 'betalningskanalkod 1-4' },
    serialNumber: {
      start: 58,
      length: 12,
      kind: 'digits',
      optional: true,
      description: 'BGC-löpnummer, the key of the payment image; blank in the 2009 Autogiro example',
    },
    imageFlag: {
      start: 70,
      length: 1,
      kind: 'code',
      values: IMAGE_FLAGS,
      description: 'avbildningsmarkering: 0 none, 1 image',
    },
  } as const;
}

/**
 * TK20 Betalningspost: a payment.
 *
 * @example
 * tk20.read(line).record.amount; // 100000n (öre)
 */
export const tk20 = defineRecord({
  type: '20',
  label: 'TK20',
  length: RECORD_LENGTH,
  fields: { ...paymentFields('20'), reserved: { start: 71, length: 10, kind: 'filler' } },
});

/**
 * TK21 Avdragspost: a deduction (e.g. a credit note), subtracted from the section total.
 *
 * @example
 * tk21.read(line).record.deductionCode; // '0'
 */
export const tk21 = defineRecord({
  type: '21',
  label: 'TK21',
  length: RECORD_LENGTH,
  fields: {
    ...paymentFields('21'),
    deductionCode: {
      start: 71,
      length: 1,
      kind: 'code',
      values: ['0', '1', '2'],
      description: 'avdragskod: 0 full, 1 partial (remainder), 2 final after partial',
    },
    reserved: { start: 72, length: 9, kind: 'filler' },
  },
});

/** The layout TK22 and TK23 share (extra reference; TK23's amount is negative). */
function extraReferenceLayout<const T extends '22' | '23'>(type: T) {
  return {
    type,
    label: `TK${type}` as const,
    length: RECORD_LENGTH,
    fields: { ...paymentFields(type), reserved: { start: 71, length: 10, kind: 'filler' } },
  } as const;
}

/**
 * TK22 Extra referensnummerpost: an extra reference (amount zero or positive).
 *
 * @example
 * tk22.read(line).record.reference; // '                    65600'
 */
export const tk22 = defineRecord(extraReferenceLayout('22'));

/**
 * TK23 Extra referensnummerpost (minusbelopp): an extra reference whose amount is negative.
 *
 * @example
 * tk23.read(line).record.amount; // 10000n, to be read as negative
 */
export const tk23 = defineRecord(extraReferenceLayout('23'));

/**
 * TK25 Informationspost: one line of the payer's message (leading blanks kept).
 *
 * @example
 * tk25.read(line).record.text; // ' Faktura 65599'
 */
export const tk25 = defineRecord({
  type: '25',
  label: 'TK25',
  length: RECORD_LENGTH,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '25' },
    text: { start: 3, length: 50, kind: 'text', description: 'informationstext' },
    reserved: { start: 53, length: 28, kind: 'filler' },
  },
});

/**
 * TK26 Namnpost: the payer's name and an extra name line.
 *
 * @example
 * tk26.read(line).record.name; // 'Kalles Plåt AB'
 */
export const tk26 = defineRecord({
  type: '26',
  label: 'TK26',
  length: RECORD_LENGTH,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '26' },
    name: { start: 3, length: 35, kind: 'text', description: 'betalarens namn' },
    extraName: { start: 38, length: 35, kind: 'text', description: 'extra namnfält' },
    reserved: { start: 73, length: 8, kind: 'filler' },
  },
});

/**
 * TK27 Adresspost 1: street address and postal code.
 *
 * @example
 * tk27.read(line).record.postalCode; // '12345'
 */
export const tk27 = defineRecord({
  type: '27',
  label: 'TK27',
  length: RECORD_LENGTH,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '27' },
    address: { start: 3, length: 35, kind: 'text', description: 'betalarens adress' },
    postalCode: { start: 38, length: 9, kind: 'text', description: 'postnummer' },
    reserved: { start: 47, length: 34, kind: 'filler' },
  },
});

/**
 * TK28 Adresspost 2: town, and country name and code for a foreign address.
 *
 * @example
 * tk28.read(line).record.town; // 'STORÅKER'
 */
export const tk28 = defineRecord({
  type: '28',
  label: 'TK28',
  length: RECORD_LENGTH,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '28' },
    town: { start: 3, length: 35, kind: 'text', description: 'ortsadress' },
    country: { start: 38, length: 35, kind: 'text', description: 'land (foreign address only)' },
    countryCode: { start: 73, length: 2, kind: 'text', description: 'landskod (foreign address only)' },
    reserved: { start: 75, length: 6, kind: 'filler' },
  },
});

/**
 * TK29 Organisationsnummerpost: the payer's organisation number.
 *
 * @example
 * tk29.read(line).record.organisationNumber; // '005500001234'
 */
export const tk29 = defineRecord({
  type: '29',
  label: 'TK29',
  length: RECORD_LENGTH,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '29' },
    organisationNumber: {
      start: 3,
      length: 12,
      kind: 'text',
      description:
        'organisationsnummer, 12 digits zero-padded; read as text (Bankgirot examples write 11 digits and a blank)',
    },
    reserved: { start: 15, length: 66, kind: 'filler' },
  },
});

/**
 * TK15 Insättningspost: closes a section (the deposit): bank account, date, serial, amount, count.
 *
 * @example
 * tk15.read(line).record.paymentDate; // '2004-05-25'
 */
export const tk15 = defineRecord({
  type: '15',
  label: 'TK15',
  length: RECORD_LENGTH,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '15' },
    bankAccount: {
      start: 3,
      length: 35,
      kind: 'digits',
      description: 'mottagarbankkontonummer: cols 22-25 clearing number, 26-37 account number (zero-padded)',
    },
    paymentDate: { start: 38, length: 8, kind: 'date', format: 'YYYYMMDD', description: 'betalningsdag' },
    depositSerial: { start: 46, length: 5, kind: 'digits', description: 'insättningslöpnummer' },
    amount: {
      start: 51,
      length: 18,
      kind: 'amount',
      description: 'insättningsbelopp in öre (payments minus deductions)',
    },
    currency: { start: 69, length: 3, kind: 'code', values: CURRENCIES, description: 'valuta' },
    count: { start: 72, length: 8, kind: 'digits', description: 'antal betalningsposter: TK20 plus TK21' },
    depositType: {
      start: 80,
      length: 1,
      kind: 'text',
      description: 'typ av insättning: K, D or blank (customer-specific)',
    },
  },
});

/**
 * TK70 Slutpost: the end record with the file's record counts.
 *
 * @example
 * tk70.read(line).record.deposits; // '00000001'
 */
export const tk70 = defineRecord({
  type: '70',
  label: 'TK70',
  length: RECORD_LENGTH,
  fields: {
    type: { start: 1, length: 2, kind: 'const', value: '70' },
    payments: { start: 3, length: 8, kind: 'digits', description: 'antal betalningsposter (TK20)' },
    deductions: { start: 11, length: 8, kind: 'digits', description: 'antal avdragsposter (TK21)' },
    extraReferences: {
      start: 19,
      length: 8,
      kind: 'digits',
      description: 'antal extra referensnummerposter (TK22 + TK23)',
    },
    deposits: { start: 27, length: 8, kind: 'digits', description: 'antal insättningsposter (TK15)' },
    reserved: { start: 35, length: 46, kind: 'filler' },
  },
});

/**
 * Every BGMax record codec, by transaction code.
 *
 * @example
 * bgmaxCodecs['20'].fields.map((f) => `${f.name} ${f.start}-${f.end}`);
 */
export const bgmaxCodecs = {
  '01': tk01,
  '05': tk05,
  '20': tk20,
  '21': tk21,
  '22': tk22,
  '23': tk23,
  '25': tk25,
  '26': tk26,
  '27': tk27,
  '28': tk28,
  '29': tk29,
  '15': tk15,
  '70': tk70,
} as const;

/**
 * A BGMax transaction code this library knows.
 *
 * @example
 * const t: BgmaxRecordType = '20';
 */
export type BgmaxRecordType = keyof typeof bgmaxCodecs;

type LayoutOf<C> = C extends { layout: infer L extends RecordLayout } ? L : never;

/** Where a parsed record came from (absent on a record built in code). */
export interface RecordSource {
  /** The line as read, without its line ending (tabs and short lengths as in the file). */
  raw?: string;
  /** 1-based line (record) number. */
  line?: number;
  /** The line ending that followed it in the file. */
  terminator?: LineTerminator;
}

type Rec<C> = LayoutRecord<LayoutOf<C>> & RecordSource;

/** TK01 Startpost. */
export type Tk01 = Rec<typeof tk01>;
/** TK05 Öppningspost. */
export type Tk05 = Rec<typeof tk05>;
/** TK20 Betalningspost. */
export type Tk20 = Rec<typeof tk20>;
/** TK21 Avdragspost. */
export type Tk21 = Rec<typeof tk21>;
/** TK22 Extra referensnummerpost. */
export type Tk22 = Rec<typeof tk22>;
/** TK23 Extra referensnummerpost, minusbelopp. */
export type Tk23 = Rec<typeof tk23>;
/** TK25 Informationspost. */
export type Tk25 = Rec<typeof tk25>;
/** TK26 Namnpost. */
export type Tk26 = Rec<typeof tk26>;
/** TK27 Adresspost 1. */
export type Tk27 = Rec<typeof tk27>;
/** TK28 Adresspost 2. */
export type Tk28 = Rec<typeof tk28>;
/** TK29 Organisationsnummerpost. */
export type Tk29 = Rec<typeof tk29>;
/** TK15 Insättningspost. */
export type Tk15 = Rec<typeof tk15>;
/** TK70 Slutpost. */
export type Tk70 = Rec<typeof tk70>;

/** A record with a two-digit code BGMax does not define (S1: ignore it), or a code that is not two digits; kept verbatim. */
export interface UnknownRecord extends RecordSource {
  type: 'unknown';
  /** Columns 1-2 as read. */
  code: string;
  raw: string;
}

/** An empty (or all-blank) line; kept so the writer reproduces the file. */
export interface BlankRecord extends RecordSource {
  type: 'blank';
  raw: string;
}

/**
 * Any BGMax record, discriminated on `type` (the transaction code).
 *
 * @example
 * if (record.type === '20') record.amount; // bigint öre
 */
export type BgmaxRecord =
  | Tk01
  | Tk05
  | Tk20
  | Tk21
  | Tk22
  | Tk23
  | Tk25
  | Tk26
  | Tk27
  | Tk28
  | Tk29
  | Tk15
  | Tk70
  | UnknownRecord
  | BlankRecord;

type In<C, T extends string> = LayoutInput<LayoutOf<C>> & { type: T } & RecordSource;

/** What `writeBgmaxRecords` accepts: a record where constants, fillers and optional fields may be left out. */
export type BgmaxRecordInput =
  | In<typeof tk01, '01'>
  | In<typeof tk05, '05'>
  | In<typeof tk20, '20'>
  | In<typeof tk21, '21'>
  | In<typeof tk22, '22'>
  | In<typeof tk23, '23'>
  | In<typeof tk25, '25'>
  | In<typeof tk26, '26'>
  | In<typeof tk27, '27'>
  | In<typeof tk28, '28'>
  | In<typeof tk29, '29'>
  | In<typeof tk15, '15'>
  | In<typeof tk70, '70'>
  | UnknownRecord
  | BlankRecord;
