/**
 * The record layer of nordfil's OWN collection file format ("nordfil collection format", format id
 * `ERP-COLL`, version 1), as proposed in reference/lindorff-inkasso.md §3. It is NOT Lindorff's or Intrum's
 * layout: no public specification of theirs exists. The agency's real layout is plugged in as another
 * {@link CollectionCodec} (see `format.ts`).
 *
 * Layout: one record per line, fields separated by `;`, the record type first. Each record type is declared
 * once as a list of fields ({@link defineLine}); the same declaration reads and writes it, so writing a read
 * record gives back its line. Amounts are integer øre with an optional leading `-`, dates `YYYYMMDD`,
 * timestamps `YYYYMMDDHHmmss` (Europe/Oslo), flags `J`/`N`; an empty field is an absent optional value.
 *
 * Why not the fixed-width `defineRecord` of `@nordfil/core`: §3 chooses separated fields so that names and
 * addresses are never cut; a fixed-width layout (if the agency demands one) is another codec.
 */
import {
  type IsoDate,
  type Issue,
  issue,
  parseCompactTimestamp,
  toCompactTimestamp,
  tryParseCompactDate,
} from '@nordfil/core';

/**
 * The format id written in every header.
 *
 * @example
 * FORMAT_ID; // 'ERP-COLL'
 */
export const FORMAT_ID = 'ERP-COLL';
/**
 * The format version this package writes and reads.
 *
 * @example
 * FORMAT_VERSION; // 1
 */
export const FORMAT_VERSION = 1;
/**
 * The field separator.
 *
 * @example
 * 'L;1001;INV'.split(SEPARATOR); // ['L', '1001', 'INV']
 */
export const SEPARATOR = ';';

/**
 * What a field holds on the line and in the record:
 * `text` (string, no `;` CR or LF), `digits` (string of digits), `amount` (bigint øre, signed),
 * `date` (IsoDate from `YYYYMMDD`), `timestamp` (`YYYY-MM-DDTHH:mm:ss` from `YYYYMMDDHHmmss`),
 * `int` (non-negative number), `code` (one of `values`), `flag` (boolean from `J`/`N`).
 *
 * @example
 * const k: LineFieldKind = 'amount';
 */
export type LineFieldKind = 'text' | 'digits' | 'amount' | 'date' | 'timestamp' | 'int' | 'code' | 'flag';

interface KindValues {
  text: string;
  digits: string;
  amount: bigint;
  date: IsoDate;
  timestamp: string;
  int: number;
  code: string;
  flag: boolean;
}

/**
 * One field of a line layout.
 *
 * @example
 * const f: LineField = { name: 'amount', kind: 'amount' };
 */
export interface LineField {
  readonly name: string;
  readonly kind: LineFieldKind;
  /** An empty field means absent (the record property is left out). */
  readonly optional?: boolean;
  /** For `code`: the allowed values. */
  readonly values?: readonly string[];
  readonly description?: string;
}

type ValueOf<F extends LineField> = F extends { kind: 'code'; values: readonly (infer V)[] }
  ? V
  : KindValues[F['kind']];
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/**
 * The record type a field list declares: required fields as properties, optional ones as optional properties.
 *
 * @example
 * type Line = LineRecord<typeof LINE_FIELDS>;
 */
export type LineRecord<F extends readonly LineField[]> = Simplify<
  { -readonly [E in F[number] as E extends { optional: true } ? never : E['name']]: ValueOf<E> } & {
    -readonly [E in F[number] as E extends { optional: true } ? E['name'] : never]?: ValueOf<E>;
  }
>;

/**
 * A read record: the fields, the line number and the raw line.
 *
 * @example
 * const r: ReadLine<{ amount: bigint }> = { amount: 100n, line: 2, raw: 'L;…' };
 */
export type ReadLine<T> = T & { readonly line: number; readonly raw: string };

/**
 * The reader and writer of one record type, made from one declaration by {@link defineLine}.
 *
 * @example
 * const { record, issues } = CASE_LINE.read('C;…', { source: 'LS…', line: 2 });
 */
export interface LineCodec<T> {
  readonly type: string;
  readonly label: string;
  readonly fields: readonly LineField[];
  /** Reads one line (with its record type first); issues instead of throws; `record` is undefined when unusable. */
  read(
    text: string,
    at?: { readonly source?: string; readonly line?: number },
  ): { record?: ReadLine<T>; issues: Issue[] };
  /** Writes one record, with an issue for each value that cannot be written (the caller decides to throw). */
  write(record: T): { text: string; issues: Issue[] };
}

const UNSAFE = /[;\r\n]/;

function readField(f: LineField, raw: string): { value?: unknown; problem?: string } {
  if (raw === '') {
    if (f.optional) return {};
    if (f.kind === 'text') return { value: '' };
    return { problem: 'is required' };
  }
  switch (f.kind) {
    case 'text':
      return { value: raw };
    case 'digits':
      return /^\d+$/.test(raw) ? { value: raw } : { problem: `must be digits, got "${raw}"` };
    case 'amount':
      return /^-?\d+$/.test(raw) && raw !== '-0'
        ? { value: BigInt(raw) }
        : { problem: `must be whole øre (optional "-"), got "${raw}"` };
    case 'date': {
      const d = tryParseCompactDate(raw);
      return d === undefined ? { problem: `must be a date YYYYMMDD, got "${raw}"` } : { value: d };
    }
    case 'timestamp':
      if (!/^\d{14}$/.test(raw)) return { problem: `must be YYYYMMDDHHmmss, got "${raw}"` };
      try {
        return { value: parseCompactTimestamp(raw) };
      } catch {
        return { problem: `is not a valid time "${raw}"` };
      }
    case 'int':
      return /^\d{1,15}$/.test(raw) ? { value: Number(raw) } : { problem: `must be a whole number, got "${raw}"` };
    case 'code':
      return f.values?.includes(raw)
        ? { value: raw }
        : { problem: `must be one of ${f.values?.join(', ')}, got "${raw}"` };
    case 'flag':
      return raw === 'J'
        ? { value: true }
        : raw === 'N'
          ? { value: false }
          : { problem: `must be J or N, got "${raw}"` };
  }
}

function writeField(f: LineField, value: unknown): { text: string; problem?: string } {
  if (value === undefined) {
    if (f.optional) return { text: '' };
    if (f.kind === 'text') return { text: '', problem: 'is required' };
    return { text: '', problem: 'is required' };
  }
  switch (f.kind) {
    case 'text': {
      const s = String(value);
      return UNSAFE.test(s) ? { text: s, problem: 'must not contain ";", CR or LF' } : { text: s };
    }
    case 'digits': {
      const s = String(value);
      return /^\d+$/.test(s) ? { text: s } : { text: s, problem: `must be digits, got "${s}"` };
    }
    case 'amount':
      return typeof value === 'bigint' ? { text: value.toString() } : { text: '', problem: 'must be a bigint of øre' };
    case 'date': {
      const s = String(value);
      const d = tryParseCompactDate(s.replaceAll('-', ''));
      return d === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(s)
        ? { text: s, problem: `must be a date, got "${s}"` }
        : { text: s.replaceAll('-', '') };
    }
    case 'timestamp':
      try {
        const t = toCompactTimestamp(String(value));
        return t.length === 14 ? { text: t } : { text: t, problem: 'must have seconds and no fraction' };
      } catch {
        return { text: String(value), problem: `must be a time YYYY-MM-DDTHH:mm:ss, got "${String(value)}"` };
      }
    case 'int':
      return Number.isSafeInteger(value) && (value as number) >= 0
        ? { text: String(value) }
        : { text: String(value), problem: 'must be a non-negative whole number' };
    case 'code':
      return f.values?.includes(String(value))
        ? { text: String(value) }
        : { text: String(value), problem: `must be one of ${f.values?.join(', ')}` };
    case 'flag':
      return typeof value === 'boolean' ? { text: value ? 'J' : 'N' } : { text: '', problem: 'must be a boolean' };
  }
}

/**
 * Declares one record type: the same field list reads and writes it.
 *
 * @example
 * const L = defineLine('L', 'claim line', [
 *   { name: 'caseRef', kind: 'text' },
 *   { name: 'amount', kind: 'amount' },
 * ] as const);
 * L.write({ caseRef: '1001', amount: -5000n }).text; // 'L;1001;-5000'
 */
export function defineLine<const F extends readonly LineField[]>(
  type: string,
  label: string,
  fields: F,
): LineCodec<LineRecord<F>> {
  return {
    type,
    label,
    fields,
    read(text, at = {}) {
      const loc = {
        ...(at.source === undefined ? {} : { source: at.source }),
        ...(at.line === undefined ? {} : { line: at.line }),
        record: type,
        text,
      };
      const parts = text.split(SEPARATOR);
      const issues: Issue[] = [];
      if (parts[0] !== type) {
        return { issues: [issue('unexpected_record', `expected a ${type} (${label}) record, got "${parts[0]}"`, loc)] };
      }
      if (parts.length !== fields.length + 1) {
        return {
          issues: [
            issue(
              'wrong_field_count',
              `a ${type} (${label}) record has ${fields.length + 1} fields, got ${parts.length}`,
              {
                ...loc,
                expected: String(fields.length + 1),
                actual: String(parts.length),
              },
            ),
          ],
        };
      }
      const out: Record<string, unknown> = {};
      fields.forEach((f, i) => {
        const r = readField(f, parts[i + 1]!);
        if (r.problem !== undefined)
          issues.push(issue('invalid_field', `${f.name} ${r.problem}`, { ...loc, field: f.name }));
        else if (r.value !== undefined) out[f.name] = r.value;
      });
      if (issues.length > 0) return { issues };
      out.line = at.line ?? 0;
      out.raw = text;
      return { record: out as ReadLine<LineRecord<F>>, issues };
    },
    write(record) {
      const r = record as Record<string, unknown>;
      const issues: Issue[] = [];
      const texts = [type];
      for (const f of fields) {
        const w = writeField(f, r[f.name]);
        if (w.problem !== undefined)
          issues.push(issue('invalid_field', `${f.name} ${w.problem}`, { record: type, field: f.name }));
        texts.push(w.text);
      }
      return { text: texts.join(SEPARATOR), issues };
    },
  };
}

/**
 * The file kinds of the header: `LS` new cases, `RD` corrections, `KV` receipts (kvitteringer),
 * `AV` settlements and closures (avslutninger).
 *
 * @example
 * const k: HeaderFileKind = 'KV';
 */
export type HeaderFileKind = 'LS' | 'RD' | 'KV' | 'AV';

/**
 * `H`: the header, one per file, first.
 *
 * @example
 * HEADER_LINE.write({ formatId: 'ERP-COLL', version: 1, fileKind: 'LS', customerNo: '12345',
 *   createdAt: '2026-11-23T06:00:00', sequence: 1, encoding: 'latin1' });
 */
export const HEADER_LINE = defineLine('H', 'header', [
  { name: 'formatId', kind: 'code', values: [FORMAT_ID] },
  { name: 'version', kind: 'int' },
  { name: 'fileKind', kind: 'code', values: ['LS', 'RD', 'KV', 'AV'] },
  { name: 'customerNo', kind: 'text' },
  { name: 'creditorOrgNo', kind: 'digits', optional: true },
  { name: 'createdAt', kind: 'timestamp' },
  { name: 'sequence', kind: 'int' },
  { name: 'encoding', kind: 'code', values: ['latin1', 'utf-8'] },
] as const);

/**
 * `C`: a case (one invoice) in an LS file.
 *
 * @example
 * CASE_LINE.fields.map((f) => f.name); // ['caseRef', 'debtorNo', 'debtorType', …]
 */
export const CASE_LINE = defineLine('C', 'case', [
  { name: 'caseRef', kind: 'text', description: 'creditor case reference: the invoice number, unique and stable' },
  { name: 'debtorNo', kind: 'text' },
  { name: 'debtorType', kind: 'code', values: ['P', 'F', 'O'], description: 'P person, F company, O public body' },
  { name: 'nationalId', kind: 'digits', optional: true, description: 'fødselsnummer (11) or organisasjonsnummer (9)' },
  { name: 'birthDate', kind: 'date', optional: true },
  { name: 'name', kind: 'text' },
  { name: 'name2', kind: 'text', optional: true },
  { name: 'address1', kind: 'text', optional: true },
  { name: 'address2', kind: 'text', optional: true },
  { name: 'postalCode', kind: 'text', optional: true },
  { name: 'city', kind: 'text', optional: true },
  { name: 'country', kind: 'text', description: 'ISO 3166-1 alpha-2' },
  { name: 'email', kind: 'text', optional: true },
  { name: 'phone', kind: 'text', optional: true },
  { name: 'invoiceNo', kind: 'text' },
  { name: 'kid', kind: 'text', optional: true },
  { name: 'invoiceDate', kind: 'date' },
  { name: 'dueDate', kind: 'date' },
  { name: 'originalPrincipal', kind: 'amount' },
  { name: 'outstandingPrincipal', kind: 'amount' },
  { name: 'currency', kind: 'text' },
  { name: 'feesCharged', kind: 'amount' },
  { name: 'feeNoticeCount', kind: 'int' },
  { name: 'lastNoticeDate', kind: 'date', optional: true },
  { name: 'lastNoticeType', kind: 'code', values: ['PUR', 'VAR'], optional: true },
  { name: 'interestFrom', kind: 'date' },
  { name: 'interestBasis', kind: 'code', values: ['LOV', 'AVT'] },
  { name: 'contractRate', kind: 'text', optional: true },
  { name: 'disputed', kind: 'flag' },
  { name: 'text', kind: 'text', optional: true },
  { name: 'settlementAccount', kind: 'digits', optional: true },
] as const);

/**
 * `L`: a claim line after its `C` (the invoice, then credit notes and payments before transfer, negative).
 *
 * @example
 * CLAIM_LINE.write({ caseRef: '1001', lineType: 'INV', date: '2026-09-01' as IsoDate, amount: 125000n }).text;
 * // 'L;1001;INV;20260901;125000;'
 */
export const CLAIM_LINE = defineLine('L', 'claim line', [
  { name: 'caseRef', kind: 'text' },
  { name: 'lineType', kind: 'code', values: ['INV', 'CRN', 'PAY'] },
  { name: 'date', kind: 'date' },
  { name: 'amount', kind: 'amount' },
  { name: 'text', kind: 'text', optional: true },
] as const);

/**
 * `D`: a direct payment or correction in an RD file. Reductions of the claim are negative.
 *
 * @example
 * CORRECTION_LINE.fields.length; // 11
 */
export const CORRECTION_LINE = defineLine('D', 'correction', [
  { name: 'id', kind: 'text', description: 'deterministic id: the payment id or the credit note id' },
  { name: 'caseRef', kind: 'text' },
  { name: 'agencyRef', kind: 'text', optional: true },
  { name: 'kind', kind: 'code', values: ['PAY', 'CRN', 'WOF', 'CAN', 'ADJ'] },
  { name: 'amount', kind: 'amount' },
  { name: 'currency', kind: 'text' },
  { name: 'valueDate', kind: 'date' },
  { name: 'kid', kind: 'text', optional: true },
  { name: 'source', kind: 'code', values: ['OCR', 'MAN'] },
  { name: 'sourceRef', kind: 'text', optional: true },
  { name: 'text', kind: 'text', optional: true },
] as const);

/**
 * `K`: a receipt line (kvittering) for one case: accepted with the agency's reference, or rejected with a reason.
 *
 * @example
 * RECEIPT_LINE.read('K;1001;L-77;OK;;;20261124', { line: 2 }).record?.agencyRef; // 'L-77'
 */
export const RECEIPT_LINE = defineLine('K', 'receipt', [
  { name: 'caseRef', kind: 'text' },
  { name: 'agencyRef', kind: 'text', optional: true },
  { name: 'status', kind: 'code', values: ['OK', 'AV'] },
  { name: 'reasonCode', kind: 'text', optional: true },
  { name: 'reasonText', kind: 'text', optional: true },
  { name: 'registeredDate', kind: 'date' },
] as const);

/**
 * `A`: a settlement or closure event (avslutning). `RETU` (returned to the creditor) is our addition to §3.
 *
 * @example
 * SETTLEMENT_LINE.fields.find((f) => f.name === 'event')?.values; // ['DELB', 'OPPG', 'AVSL', 'RETU', 'RETT', 'OVV']
 */
export const SETTLEMENT_LINE = defineLine('A', 'settlement', [
  { name: 'agencyRef', kind: 'text' },
  { name: 'caseRef', kind: 'text' },
  { name: 'event', kind: 'code', values: ['DELB', 'OPPG', 'AVSL', 'RETU', 'RETT', 'OVV'] },
  { name: 'eventDate', kind: 'date' },
  { name: 'currency', kind: 'text' },
  { name: 'principal', kind: 'amount' },
  { name: 'interest', kind: 'amount' },
  { name: 'fees', kind: 'amount' },
  { name: 'costs', kind: 'amount' },
  { name: 'remitted', kind: 'amount' },
  { name: 'rentenota', kind: 'amount', description: 'interest to book as an interest note (rentenota)' },
  { name: 'settlementRef', kind: 'text', optional: true },
] as const);

/**
 * A header record. @example const h: HeaderLine = { formatId: 'ERP-COLL', version: 1, fileKind: 'LS', customerNo: '1', createdAt: '2026-11-23T06:00:00', sequence: 1, encoding: 'latin1' };
 */
export type HeaderLine = Parameters<typeof HEADER_LINE.write>[0];
/** A `C` record. @example type X = CaseLine['caseRef']; */
export type CaseLine = Parameters<typeof CASE_LINE.write>[0];
/** An `L` record. @example type X = ClaimLineRecord['amount']; // bigint */
export type ClaimLineRecord = Parameters<typeof CLAIM_LINE.write>[0];
/** A `D` record. @example type X = CorrectionLine['kind']; */
export type CorrectionLine = Parameters<typeof CORRECTION_LINE.write>[0];
/** A `K` record. @example type X = ReceiptLine['status']; // 'OK' | 'AV' */
export type ReceiptLine = Parameters<typeof RECEIPT_LINE.write>[0];
/** An `A` record. @example type X = SettlementLine['event']; */
export type SettlementLine = Parameters<typeof SETTLEMENT_LINE.write>[0];

/**
 * `T`: the trailer, last: total records (H and T included), then for each detail type of the file kind, in a fixed
 * order, the type, its count and the sum of all its amount fields in øre: `T;5;C;2;250000;L;1;-5000`.
 *
 * @example
 * const t: TrailerLine = { total: 5, totals: [{ type: 'C', count: 2, sum: 250000n }] };
 */
export interface TrailerLine {
  readonly total: number;
  readonly totals: readonly { readonly type: string; readonly count: number; readonly sum: bigint }[];
}

/**
 * The detail record types of each file kind, in trailer order.
 *
 * @example
 * DETAIL_TYPES.LS; // ['C', 'L']
 */
export const DETAIL_TYPES: { readonly [K in HeaderFileKind]: readonly string[] } = Object.freeze({
  LS: ['C', 'L'],
  RD: ['D'],
  KV: ['K'],
  AV: ['A'],
});

/**
 * Writes a trailer line.
 *
 * @example
 * writeTrailer({ total: 3, totals: [{ type: 'D', count: 1, sum: -5000n }] }); // 'T;3;D;1;-5000'
 */
export function writeTrailer(t: TrailerLine): string {
  return ['T', String(t.total), ...t.totals.flatMap((x) => [x.type, String(x.count), x.sum.toString()])].join(
    SEPARATOR,
  );
}

/**
 * Reads a trailer line; issues instead of throws.
 *
 * @example
 * readTrailer('T;3;D;1;-5000').record?.totals[0]?.sum; // -5000n
 */
export function readTrailer(
  text: string,
  at: { readonly source?: string; readonly line?: number } = {},
): { record?: TrailerLine; issues: Issue[] } {
  const loc = {
    ...(at.source === undefined ? {} : { source: at.source }),
    ...(at.line === undefined ? {} : { line: at.line }),
    record: 'T',
    text,
  };
  const p = text.split(SEPARATOR);
  if (p[0] !== 'T' || p.length < 2 || (p.length - 2) % 3 !== 0) {
    return { issues: [issue('invalid_trailer', 'a trailer is T;total followed by type;count;sum triples', loc)] };
  }
  if (!/^\d{1,15}$/.test(p[1]!))
    return { issues: [issue('invalid_trailer', `total must be a number, got "${p[1]}"`, loc)] };
  const totals: { type: string; count: number; sum: bigint }[] = [];
  for (let i = 2; i < p.length; i += 3) {
    const [type, count, sum] = [p[i]!, p[i + 1]!, p[i + 2]!];
    if (!/^\d{1,15}$/.test(count) || !/^-?\d+$/.test(sum)) {
      return { issues: [issue('invalid_trailer', `bad count or sum for ${type}: "${count}", "${sum}"`, loc)] };
    }
    totals.push({ type, count: Number(count), sum: BigInt(sum) });
  }
  return { record: { total: Number(p[1]), totals }, issues: [] };
}

/**
 * The sum of a record's amount fields in øre, as the trailer counts it.
 *
 * @example
 * amountSum(CLAIM_LINE, { caseRef: '1', lineType: 'PAY', date: '2026-01-01' as IsoDate, amount: -100n }); // -100n
 */
export function amountSum<T>(codec: LineCodec<T>, record: T): bigint {
  let s = 0n;
  for (const f of codec.fields) {
    const v = (record as Record<string, unknown>)[f.name];
    if (f.kind === 'amount' && typeof v === 'bigint') s += v;
  }
  return s;
}
