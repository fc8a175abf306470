/**
 * Writing: objects -> records -> bytes. The control records (88, 89) are always derived from the objects
 * (counts, record counts, totals, earliest and latest dates), never copied from what was read; only the
 * dates that are data (the Nets date of 88 and 89) come from the `end` objects.
 */
import { encode, type IsoDate, issue, type LineTerminator, type Money, NordfilError } from '@nordfil/core';
import { formatOcrGiroRecord, type OcrGiroRecordInput, ocrGiroCodecs } from './codecs.js';
import type { Assignment, FileLayout, Reserved, Transaction } from './objects.js';

/**
 * What the writer needs: an {@link OcrGiroFile} is one; `assignments` may be any iterable (a generator streams).
 *
 * @example
 * writeOcrGiroChunks({ dataTransmitter: '00008080', transmissionNumber: '0000001', dataRecipient: '00012345',
 *   assignments: generateAssignments(), end: { netsDate: '2025-03-31' as IsoDate } });
 */
export interface OcrGiroWriteInput {
  readonly dataTransmitter: string;
  readonly transmissionNumber: string;
  readonly dataRecipient: string;
  readonly assignments: Iterable<Assignment>;
  /** The transmission end: only its `netsDate` (and reserved data) is used; counts and total are derived. */
  readonly end?: { readonly netsDate: IsoDate; readonly reserved?: Reserved | undefined } | undefined;
  readonly layout?: Partial<FileLayout> | undefined;
  readonly reserved?: Reserved | undefined;
}

/**
 * Options of {@link writeOcrGiro}.
 *
 * @example
 * writeOcrGiro(file, { lineEnding: '\n', finalNewline: false, encoding: 'latin1' });
 */
export interface WriteOptions {
  /** Default: the file's `layout.encoding`, else `latin1` (what Nets uses). */
  readonly encoding?: 'latin1' | 'utf-8';
  /** Default: the file's `layout.lineEnding`, else CRLF. `''` writes a stream of 80-character records. */
  readonly lineEnding?: LineTerminator;
  /** Whether the last record gets a terminator. Default: the file's `layout.finalNewline`, else true. */
  readonly finalNewline?: boolean;
  /** Two-digit-year pivot of the dates (1970–2069 by default). */
  readonly pivot?: number;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function minor(m: Money): bigint {
  const v = m.toMinor();
  return v < 0n ? -v : v;
}

function txRecords(tx: Transaction): OcrGiroRecordInput[] {
  const number = pad(tx.number, 7);
  const r = tx.reserved;
  if (tx.kind === 'ocr-giro') {
    if (tx.freeText !== undefined && tx.type !== '20' && tx.type !== '21') {
      throw new NordfilError(
        issue('invalid_value', `transaction ${tx.number}: free text (amount item 3) is only for types 20 and 21`, {
          record: '32',
          field: 'freeText',
          actual: tx.type,
        }),
      );
    }
    const sign = tx.amount.isNegative() ? '-' : tx.amount.isZero() ? tx.sign : '0';
    const out: OcrGiroRecordInput[] = [
      {
        recordType: '30',
        serviceCode: '09',
        transactionType: tx.type,
        transactionNumber: number,
        netsDate: tx.netsDate,
        centreId: tx.centreId,
        dayCode: pad(tx.dayCode, 2),
        partialSettlementNumber: String(tx.partialSettlementNumber),
        partialSettlementSerialNumber: tx.partialSettlementSerialNumber,
        sign,
        amount: minor(tx.amount),
        kid: tx.kid ?? '',
        cardIssuer: tx.cardIssuer ?? '00',
        filler77: r?.['30.filler77'] ?? '',
      },
      {
        recordType: '31',
        serviceCode: '09',
        transactionType: tx.type,
        transactionNumber: number,
        formNumber: tx.formNumber,
        archiveReference: tx.archiveReference,
        filler35: tx.filler31,
        bankDate: tx.bankDate,
        debitAccount: tx.debitAccount,
        filler59: r?.['31.filler59'] ?? '',
      },
    ];
    if (tx.type === '20' || tx.type === '21') {
      out.push({
        recordType: '32',
        serviceCode: '09',
        transactionType: tx.type,
        transactionNumber: number,
        freeText: tx.freeText ?? '',
        filler56: r?.['32.filler56'] ?? '',
      });
    }
    return out;
  }
  if (tx.kind === 'avtalegiro') {
    const out: OcrGiroRecordInput[] = [
      {
        recordType: '30',
        serviceCode: '21',
        transactionType: tx.type,
        transactionNumber: number,
        dueDate: tx.dueDate,
        filler22: r?.['30.filler22'] ?? '',
        amount: minor(tx.amount),
        kid: tx.kid ?? '',
        filler75: r?.['30.filler75'] ?? '',
      },
      {
        recordType: '31',
        serviceCode: '21',
        transactionType: tx.type,
        transactionNumber: number,
        payerName: tx.payerName,
        filler26: r?.['31.filler26'] ?? '',
        externalReference: tx.externalReference,
        filler76: r?.['31.filler76'] ?? '',
      },
    ];
    for (const s of tx.specification) {
      out.push({
        recordType: '49',
        serviceCode: '21',
        transactionType: '21',
        transactionNumber: number,
        lineNumber: pad(s.lineNumber, 3),
        column: s.column,
        text: s.text,
        filler61: s.reserved?.['49.filler61'] ?? '',
      });
    }
    return out;
  }
  return [
    {
      recordType: '70',
      serviceCode: '21',
      transactionType: '94',
      transactionNumber: number,
      registrationType: tx.registrationType,
      kid: tx.kid ?? '',
      notify: tx.notify ? 'J' : 'N',
      filler43: r?.['70.filler43'] ?? '',
    },
  ];
}

function txDate(tx: Transaction): IsoDate | undefined {
  return tx.kind === 'ocr-giro' ? tx.netsDate : tx.kind === 'avtalegiro' ? tx.dueDate : undefined;
}

/** Running totals over the transmission, for record 89. */
interface Totals {
  count: number;
  records: number;
  total: bigint;
  latest: IsoDate | undefined;
}

function assignmentRecords(a: Assignment, totals: Totals): OcrGiroRecordInput[] {
  const out: OcrGiroRecordInput[] = [
    {
      recordType: '20',
      serviceCode: a.serviceCode,
      assignmentType: a.assignmentType,
      agreementId: a.agreementId,
      assignmentNumber: a.assignmentNumber,
      account: a.account,
      filler36: a.reserved?.['20.filler36'] ?? '',
    },
  ];
  let total = 0n;
  let earliest: IsoDate | undefined;
  let latest: IsoDate | undefined;
  for (const tx of a.transactions) {
    for (const r of txRecords(tx)) out.push(r);
    if (tx.kind !== 'agreement') total += minor(tx.amount);
    const d = txDate(tx);
    if (d !== undefined) {
      if (earliest === undefined || d < earliest) earliest = d;
      if (latest === undefined || d > latest) latest = d;
    }
  }
  const count = a.transactions.length;
  const records = out.length + 1;
  const ocr = a.serviceCode === '09';
  const netsDate = a.end?.netsDate ?? (ocr ? latest : undefined);
  out.push({
    recordType: '88',
    serviceCode: a.serviceCode,
    assignmentType: a.assignmentType,
    transactionCount: pad(count, 8),
    recordCount: pad(records, 8),
    total,
    date1: ocr ? netsDate : earliest,
    date2: ocr ? earliest : latest,
    date3: ocr ? latest : netsDate,
    filler60: a.end?.reserved?.['88.filler60'] ?? '',
  });
  totals.count += count;
  totals.records += records;
  totals.total += total;
  if (netsDate !== undefined && (totals.latest === undefined || netsDate > totals.latest)) totals.latest = netsDate;
  return out;
}

/**
 * The records of a file, derived from its objects: start records from the objects, transactions in
 * order, and control records computed from the content. Lazy: one assignment at a time.
 *
 * @example
 * for (const r of ocrGiroRecordsOf(file)) if (r.recordType === '89') console.log(r.recordCount);
 */
export function* ocrGiroRecordsOf(file: OcrGiroWriteInput): Generator<OcrGiroRecordInput, void, undefined> {
  yield {
    recordType: '10',
    serviceCode: '00',
    dataTransmitter: file.dataTransmitter,
    transmissionNumber: file.transmissionNumber,
    dataRecipient: file.dataRecipient,
    filler32: file.reserved?.['10.filler32'] ?? '',
  };
  const totals: Totals = { count: 0, records: 2, total: 0n, latest: undefined };
  for (const a of file.assignments) yield* assignmentRecords(a, totals);
  const netsDate = file.end?.netsDate ?? totals.latest;
  if (netsDate === undefined) {
    throw new NordfilError(
      issue('invalid_value', 'the transmission end needs a Nets date: give file.end.netsDate', {
        record: '89',
        field: 'netsDate',
      }),
    );
  }
  yield {
    recordType: '89',
    serviceCode: '00',
    transactionCount: pad(totals.count, 8),
    recordCount: pad(totals.records, 8),
    total: totals.total,
    netsDate,
    filler48: file.end?.reserved?.['89.filler48'] ?? '',
  };
}

const CHUNK_RECORDS = 8192;

/**
 * Writes a file in chunks of bytes (about 650 KiB each), for files too large to hold as one string; the
 * assignments may come from a generator. Same output as {@link writeOcrGiro}, concatenated.
 *
 * @example
 * import { createWriteStream } from 'node:fs';
 * const out = createWriteStream('OCR.txt');
 * for (const chunk of writeOcrGiroChunks(file)) out.write(chunk);
 */
export function* writeOcrGiroChunks(
  file: OcrGiroWriteInput,
  options: WriteOptions = {},
): Generator<Uint8Array, void, undefined> {
  const codecs = ocrGiroCodecs(options.pivot);
  const le = options.lineEnding ?? file.layout?.lineEnding ?? '\r\n';
  const finalNewline = options.finalNewline ?? file.layout?.finalNewline ?? true;
  const encoding = options.encoding ?? file.layout?.encoding ?? 'latin1';
  let buf = '';
  let n = 0;
  let prev: string | undefined;
  for (const r of ocrGiroRecordsOf(file)) {
    // each record is followed by a terminator, except (without finalNewline) the last one
    if (prev !== undefined) {
      buf += prev + le;
      if (++n === CHUNK_RECORDS) {
        yield encode(buf, encoding);
        buf = '';
        n = 0;
      }
    }
    prev = formatOcrGiroRecord(r, codecs);
  }
  buf += prev + (finalNewline ? le : '');
  yield encode(buf, encoding);
}

/**
 * Writes a file to bytes (latin-1, 80-character records, CRLF by default), deriving the control records
 * from the objects. A parsed file is written back byte for byte (its `layout` keeps the line ending,
 * the final newline and the encoding; data in fillers is kept in `reserved`).
 *
 * @example
 * const bytes = writeOcrGiro(parseOcrGiro(input)); // equals input for a valid file
 * writeOcrGiro(file, { lineEnding: '\n' });
 */
export function writeOcrGiro(file: OcrGiroWriteInput, options: WriteOptions = {}): Uint8Array {
  const chunks = [...writeOcrGiroChunks(file, options)];
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
