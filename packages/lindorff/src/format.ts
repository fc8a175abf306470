/**
 * The object layer of the exchange files and the {@link CollectionCodec} interface behind which any layout
 * plugs in. {@link nordfilCollectionFormat} is nordfil's OWN documented format (reference §3, `records.ts`):
 * it is not Lindorff's or Intrum's, whose layouts are handed out privately under the customer agreement.
 */
import { decode, encode, type IsoDate, type Issue, issue, Money, NordfilError, splitLines } from '@nordfil/core';
import {
  amountSum,
  CASE_LINE,
  CLAIM_LINE,
  CORRECTION_LINE,
  DETAIL_TYPES,
  FORMAT_ID,
  FORMAT_VERSION,
  HEADER_LINE,
  type HeaderFileKind,
  type LineCodec,
  RECEIPT_LINE,
  readTrailer,
  SETTLEMENT_LINE,
  writeTrailer,
} from './records.js';

/**
 * The header of an exchange file.
 *
 * @example
 * const h: FileHeader = { customerNo: '12345', createdAt: '2026-11-23T06:00:00', sequence: 1 };
 */
export interface FileHeader {
  /** KundeID: our customer number at the agency. */
  readonly customerNo: string;
  /** Our organisation number (organisasjonsnummer), when the agency wants it. */
  readonly creditorOrgNo?: string;
  /** When the file was made, Europe/Oslo wall-clock time `YYYY-MM-DDTHH:mm:ss`. */
  readonly createdAt: string;
  /** The file's sequence number among files of its kind. */
  readonly sequence: number;
}

/**
 * The debtor (skyldner) of a case. The agency must know whether it is a person (`P`), a company (`F`,
 * firma) or a public body (`O`, offentlig).
 *
 * @example
 * const d: Debtor = { number: '5001', type: 'P', name: 'Kari Nordmann', country: 'NO' };
 */
export interface Debtor {
  /** The debtor's customer number with the creditor. */
  readonly number: string;
  readonly type: 'P' | 'F' | 'O';
  /** Fødselsnummer (11 digits) or organisasjonsnummer (9 digits). */
  readonly nationalId?: string;
  /** When there is no national id. */
  readonly birthDate?: IsoDate;
  readonly name: string;
  readonly name2?: string;
  readonly address1?: string;
  readonly address2?: string;
  readonly postalCode?: string;
  readonly city?: string;
  /** ISO 3166-1 alpha-2. */
  readonly country: string;
  readonly email?: string;
  readonly phone?: string;
}

/**
 * A claim line: the invoice, then credit notes and payments made before the transfer (negative).
 *
 * @example
 * const l: ClaimLine = { type: 'PAY', date: '2026-10-01' as IsoDate, amount: Money.of('-200', 'NOK') };
 */
export interface ClaimLine {
  readonly type: 'INV' | 'CRN' | 'PAY';
  readonly date: IsoDate;
  readonly amount: Money;
  readonly text?: string;
}

/**
 * One case as sent to the agency in an LS file: an overdue invoice with its debtor, reminder history and
 * interest basis. The claim is the original invoice amount without fees or interest (Intrum Access's rule).
 *
 * @example
 * const claim: CollectionClaim = { caseRef: '1001', debtor, invoice: { number: '1001', invoiceDate, dueDate,
 *   originalPrincipal: Money.of('1250', 'NOK'), outstandingPrincipal: Money.of('1250', 'NOK') },
 *   reminders: { feesCharged: Money.of('35', 'NOK'), feeNoticeCount: 1 }, interest: { from: dueDate, basis: 'LOV' },
 *   disputed: false, lines: [] };
 */
export interface CollectionClaim {
  /** The creditor's case reference: the invoice number, unique and stable. */
  readonly caseRef: string;
  readonly debtor: Debtor;
  readonly invoice: {
    readonly number: string;
    /** KID: the Norwegian payment reference (MOD10 or MOD11). */
    readonly kid?: string;
    readonly invoiceDate: IsoDate;
    /** Forfallsdato. */
    readonly dueDate: IsoDate;
    readonly originalPrincipal: Money;
    readonly outstandingPrincipal: Money;
  };
  /** Purringer: the fees charged so far and the number of fee-bearing notices (inkassoforskriften § 1-3). */
  readonly reminders: {
    readonly feesCharged: Money;
    readonly feeNoticeCount: number;
    readonly lastNoticeDate?: IsoDate;
    /** `PUR` purring (reminder), `VAR` inkassovarsel (collection notice). */
    readonly lastNoticeType?: 'PUR' | 'VAR';
  };
  /** Forsinkelsesrente: the date interest runs from, and the statutory (`LOV`) or contract (`AVT`) basis. */
  readonly interest: { readonly from: IsoDate; readonly basis: 'LOV' | 'AVT'; readonly contractRatePercent?: string };
  /** Bestridt: the debtor disputes the claim. */
  readonly disputed: boolean;
  readonly text?: string;
  /** The account the agency pays settlements into (11 digits). */
  readonly settlementAccount?: string;
  readonly lines: readonly ClaimLine[];
}

/**
 * A correction (RD): a direct payment (`PAY`, direktebetaling), credit note (`CRN`, kreditnota), write-off
 * (`WOF`), withdrawal (`CAN`) or amount correction (`ADJ`). Reductions of the claim are negative.
 *
 * @example
 * const c: Correction = { id: 'ocr-2026-11-20#4', caseRef: '1001', kind: 'PAY', amount: Money.of('-500', 'NOK'),
 *   valueDate: '2026-11-20' as IsoDate, source: 'OCR' };
 */
export interface Correction {
  /** Deterministic id: the payment's id, or the credit note's; each is reported at most once. */
  readonly id: string;
  readonly caseRef: string;
  readonly agencyRef?: string;
  readonly kind: 'PAY' | 'CRN' | 'WOF' | 'CAN' | 'ADJ';
  readonly amount: Money;
  readonly valueDate: IsoDate;
  readonly kid?: string;
  /** `OCR`: read from an OCR giro file; `MAN`: posted by hand. */
  readonly source: 'OCR' | 'MAN';
  /** The OCR payment id or the voucher number. */
  readonly sourceRef?: string;
  readonly text?: string;
}

/**
 * A receipt line (kvittering): the agency accepted the case and gave it a reference, or rejected it with a reason.
 *
 * @example
 * const r: Receipt = { id: 'Kvitt_K1_20261124060000#2', caseRef: '1001', agencyRef: 'L-77', status: 'accepted',
 *   registeredDate: '2026-11-24' as IsoDate };
 */
export interface Receipt {
  /** `<file>#<line>`: deterministic. */
  readonly id: string;
  readonly caseRef: string;
  readonly agencyRef?: string;
  readonly status: 'accepted' | 'rejected';
  readonly reasonCode?: string;
  readonly reasonText?: string;
  readonly registeredDate: IsoDate;
}

/**
 * The events of an avslutning (settlement/closure) line: `DELB` delbetaling (partly paid), `OPPG` oppgjort
 * (paid in full), `AVSL` avsluttet (closed without payment or withdrawn), `RETU` returned to the creditor
 * uncollected, `RETT` moved to legal collection (rettslig inkasso), `OVV` overvåking (long-term surveillance).
 *
 * @example
 * const e: SettlementEvent = 'DELB';
 */
export type SettlementEvent = 'DELB' | 'OPPG' | 'AVSL' | 'RETU' | 'RETT' | 'OVV';

/**
 * A settlement or closure line. It changes the case status only; the invoice balance moves when the
 * agency's money arrives in the OCR giro file.
 *
 * @example
 * const s: Settlement = { id: 'Avsl_…#2', agencyRef: 'L-77', caseRef: '1001', event: 'OPPG', eventDate,
 *   principal, interest, fees, costs, remitted, rentenota };
 */
export interface Settlement {
  readonly id: string;
  readonly agencyRef: string;
  readonly caseRef: string;
  readonly event: SettlementEvent;
  readonly eventDate: IsoDate;
  /** Collected principal (hovedstol). */
  readonly principal: Money;
  /** Collected interest. */
  readonly interest: Money;
  /** Collected fees (gebyrer). */
  readonly fees: Money;
  /** Collection costs (salær, the agency's). */
  readonly costs: Money;
  /** Remitted to the creditor (remittert). */
  readonly remitted: Money;
  /** Interest to book as an interest note (rentenota). */
  readonly rentenota: Money;
  readonly settlementRef?: string;
}

/** An LS file. @example const f: CaseFile = { header, cases: [claim] }; */
export interface CaseFile {
  readonly header: FileHeader;
  readonly cases: readonly CollectionClaim[];
}
/** An RD file. @example const f: CorrectionFile = { header, corrections: [] }; */
export interface CorrectionFile {
  readonly header: FileHeader;
  readonly corrections: readonly Correction[];
}
/** A Kvitt file. @example const f: ReceiptFile = { header, receipts: [] }; */
export interface ReceiptFile {
  readonly header: FileHeader;
  readonly receipts: readonly Receipt[];
}
/** An Avsl file. @example const f: SettlementFile = { header, settlements: [] }; */
export interface SettlementFile {
  readonly header: FileHeader;
  readonly settlements: readonly Settlement[];
}

/**
 * Options for encoding.
 *
 * @example
 * nordfilCollectionFormat.encodeCases(file, { encoding: 'utf-8', lineEnding: '\n' });
 */
export interface EncodeFileOptions {
  /** Default `latin1` (ISO-8859-1, the norm of Norwegian bank files). */
  readonly encoding?: 'latin1' | 'utf-8';
  /** Default CRLF. Both are accepted on read. */
  readonly lineEnding?: '\r\n' | '\n';
}

/**
 * Options for decoding.
 *
 * @example
 * nordfilCollectionFormat.decodeReceipts(bytes, { source: 'Kvitt_K12345_20261124060000' });
 */
export interface DecodeFileOptions {
  /** The file name, for issues and record ids. */
  readonly source?: string;
}

/**
 * A file layout of the collection exchange. The exchange job needs the four required methods; the agency-side
 * ones (`decodeCases`, `decodeCorrections`, `encodeReceipts`, `encodeClosures`) serve tests and simulators.
 * Plug the agency's real layout in by implementing this interface. Decoders throw one NordfilError with every
 * issue, and check the control totals before returning anything.
 *
 * @example
 * const intrum: CollectionCodec = { id: 'intrum-v3', description: 'Intrum layout (customer agreement)',
 *   encodeCases, encodeCorrections, decodeReceipts, decodeClosures };
 */
export interface CollectionCodec {
  readonly id: string;
  readonly description: string;
  encodeCases(file: CaseFile, options?: EncodeFileOptions): Uint8Array;
  encodeCorrections(file: CorrectionFile, options?: EncodeFileOptions): Uint8Array;
  decodeReceipts(bytes: Uint8Array, options?: DecodeFileOptions): ReceiptFile;
  decodeClosures(bytes: Uint8Array, options?: DecodeFileOptions): SettlementFile;
  decodeCases?(bytes: Uint8Array, options?: DecodeFileOptions): CaseFile;
  decodeCorrections?(bytes: Uint8Array, options?: DecodeFileOptions): CorrectionFile;
  encodeReceipts?(file: ReceiptFile, options?: EncodeFileOptions): Uint8Array;
  encodeClosures?(file: SettlementFile, options?: EncodeFileOptions): Uint8Array;
}

// ------------------------------------------------------------------------------------------------------------
// the default implementation

const opt = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

interface Detail {
  readonly codec: LineCodec<never>;
  readonly record: unknown;
}

function write(
  kind: HeaderFileKind,
  header: FileHeader,
  details: readonly Detail[],
  options: EncodeFileOptions,
): Uint8Array {
  const encoding = options.encoding ?? 'latin1';
  const eol = options.lineEnding ?? '\r\n';
  const issues: Issue[] = [];
  const lines: string[] = [];
  const h = HEADER_LINE.write({
    formatId: FORMAT_ID,
    version: FORMAT_VERSION,
    fileKind: kind,
    customerNo: header.customerNo,
    ...opt('creditorOrgNo', header.creditorOrgNo),
    createdAt: header.createdAt,
    sequence: header.sequence,
    encoding,
  });
  issues.push(...h.issues.map((i) => ({ ...i, line: 1 })));
  lines.push(h.text);
  const totals = new Map(DETAIL_TYPES[kind].map((t) => [t, { count: 0, sum: 0n }]));
  for (const d of details) {
    const codec = d.codec as unknown as LineCodec<unknown>;
    const w = codec.write(d.record);
    issues.push(...w.issues.map((i) => ({ ...i, line: lines.length + 1 })));
    lines.push(w.text);
    const t = totals.get(codec.type)!;
    t.count++;
    if (w.issues.length === 0) t.sum += amountSum(codec, d.record);
  }
  lines.push(
    writeTrailer({
      total: lines.length + 1,
      totals: DETAIL_TYPES[kind].map((type) => ({ type, ...totals.get(type)! })),
    }),
  );
  if (issues.length > 0) throw new NordfilError(issues);
  return encode(lines.join(eol) + eol, encoding);
}

interface Parsed {
  readonly header: FileHeader;
  readonly records: readonly { type: string; record: Record<string, unknown> & { line: number } }[];
}

function read(
  kind: HeaderFileKind,
  bytes: Uint8Array,
  options: DecodeFileOptions,
  codecs: readonly LineCodec<unknown>[],
): Parsed {
  const source = options.source;
  const at = (line: number) => ({ ...opt('source', source), line });
  // the header is ASCII: read it as latin-1, then decode the whole file with the encoding it names
  const first = splitLines(decode(bytes.subarray(0, 512), 'latin1')).find(() => true);
  const enc = first?.text.split(';')[8] === 'utf-8' ? 'utf-8' : 'latin1';
  const lines = splitLines(decode(bytes, enc, { fatal: enc === 'utf-8' })).filter(
    (l, i, all) => !(i === all.length - 1 && l.text === ''),
  );
  const issues: Issue[] = [];
  const fail = (code: string, message: string, extra: Partial<Issue> = {}): never => {
    throw new NordfilError([...issues, issue(code, message, { ...opt('source', source), ...extra })]);
  };
  if (lines.length < 2) fail('truncated_file', 'a file has at least a header and a trailer');
  const h = HEADER_LINE.read(lines[0]!.text, at(1));
  if (h.record === undefined) throw new NordfilError(h.issues);
  if (h.record.version !== FORMAT_VERSION)
    fail('unsupported_version', `format version ${h.record.version} is not ${FORMAT_VERSION}`, { line: 1 });
  if (h.record.fileKind !== kind) {
    fail('wrong_file_kind', `expected a ${kind} file, the header says ${h.record.fileKind}`, {
      line: 1,
      expected: kind,
      actual: h.record.fileKind,
    });
  }
  const byType = new Map(codecs.map((c) => [c.type, c]));
  const records: { type: string; record: Record<string, unknown> & { line: number } }[] = [];
  const totals = new Map(DETAIL_TYPES[kind].map((t) => [t, { count: 0, sum: 0n }]));
  const last = lines[lines.length - 1]!;
  for (const l of lines.slice(1, -1)) {
    const type = l.text.split(';')[0]!;
    const codec = byType.get(type);
    if (codec === undefined) {
      issues.push(
        issue('unexpected_record', `record type "${type}" does not belong in a ${kind} file`, {
          ...at(l.number),
          text: l.text,
        }),
      );
      continue;
    }
    const r = codec.read(l.text, at(l.number));
    issues.push(...r.issues);
    if (r.record === undefined) continue;
    const t = totals.get(type)!;
    t.count++;
    t.sum += amountSum(codec, r.record);
    records.push({ type, record: r.record as unknown as Record<string, unknown> & { line: number } });
  }
  const t = readTrailer(last.text, at(last.number));
  issues.push(...t.issues);
  if (t.record !== undefined) {
    if (t.record.total !== lines.length) {
      issues.push(
        issue('control_total_mismatch', `the trailer counts ${t.record.total} records, the file has ${lines.length}`, {
          ...at(last.number),
          record: 'T',
          field: 'total',
          expected: String(lines.length),
          actual: String(t.record.total),
          text: last.text,
        }),
      );
    }
    const named = new Map(t.record.totals.map((x) => [x.type, x]));
    for (const [type, mine] of totals) {
      const theirs = named.get(type);
      if (theirs === undefined || theirs.count !== mine.count || theirs.sum !== mine.sum) {
        issues.push(
          issue(
            'control_total_mismatch',
            `the trailer says ${type}: ${theirs?.count ?? '-'} records summing ${theirs?.sum ?? '-'} øre; the file has ${mine.count} summing ${mine.sum}`,
            {
              ...at(last.number),
              record: 'T',
              field: type,
              expected: `${mine.count}/${mine.sum}`,
              actual: `${theirs?.count}/${theirs?.sum}`,
              text: last.text,
            },
          ),
        );
      }
    }
    for (const x of t.record.totals) {
      if (!totals.has(x.type))
        issues.push(
          issue('invalid_trailer', `the trailer names ${x.type}, not a ${kind} record type`, {
            ...at(last.number),
            text: last.text,
          }),
        );
    }
  }
  if (issues.length > 0) throw new NordfilError(issues);
  const r = h.record;
  return {
    header: {
      customerNo: r.customerNo,
      ...opt('creditorOrgNo', r.creditorOrgNo),
      createdAt: r.createdAt,
      sequence: r.sequence,
    },
    records,
  };
}

const money = (minor: unknown, currency: string) => Money.fromMinor(minor as bigint, currency);

function caseDetails(c: CollectionClaim): Detail[] {
  const cur = c.invoice.originalPrincipal.currency;
  const d = c.debtor;
  const out: Detail[] = [
    {
      codec: CASE_LINE as unknown as LineCodec<never>,
      record: {
        caseRef: c.caseRef,
        debtorNo: d.number,
        debtorType: d.type,
        ...opt('nationalId', d.nationalId),
        ...opt('birthDate', d.birthDate),
        name: d.name,
        ...opt('name2', d.name2),
        ...opt('address1', d.address1),
        ...opt('address2', d.address2),
        ...opt('postalCode', d.postalCode),
        ...opt('city', d.city),
        country: d.country,
        ...opt('email', d.email),
        ...opt('phone', d.phone),
        invoiceNo: c.invoice.number,
        ...opt('kid', c.invoice.kid),
        invoiceDate: c.invoice.invoiceDate,
        dueDate: c.invoice.dueDate,
        originalPrincipal: c.invoice.originalPrincipal.toMinor(),
        outstandingPrincipal: c.invoice.outstandingPrincipal.toMinor(),
        currency: cur,
        feesCharged: c.reminders.feesCharged.toMinor(),
        feeNoticeCount: c.reminders.feeNoticeCount,
        ...opt('lastNoticeDate', c.reminders.lastNoticeDate),
        ...opt('lastNoticeType', c.reminders.lastNoticeType),
        interestFrom: c.interest.from,
        interestBasis: c.interest.basis,
        ...opt('contractRate', c.interest.contractRatePercent),
        disputed: c.disputed,
        ...opt('text', c.text),
        ...opt('settlementAccount', c.settlementAccount),
      },
    },
  ];
  for (const l of c.lines) {
    out.push({
      codec: CLAIM_LINE as unknown as LineCodec<never>,
      record: {
        caseRef: c.caseRef,
        lineType: l.type,
        date: l.date,
        amount: l.amount.toMinor(),
        ...opt('text', l.text),
      },
    });
  }
  return out;
}

function currencyOk(claim: CollectionClaim): Issue[] {
  const cur = claim.invoice.originalPrincipal.currency;
  const all = [claim.invoice.outstandingPrincipal, claim.reminders.feesCharged, ...claim.lines.map((l) => l.amount)];
  return all.some((m) => m.currency !== cur)
    ? [
        issue('currency_mismatch', `case ${claim.caseRef} mixes currencies; one currency per case`, {
          field: claim.caseRef,
        }),
      ]
    : [];
}

/**
 * nordfil's own collection file format (reference §3; format id `ERP-COLL` version 1), documented in
 * the package README and in `records.ts`. It is NOT Lindorff's or Intrum's layout. It implements every
 * method of {@link CollectionCodec}, so tests can play the agency's side too.
 *
 * @example
 * const bytes = nordfilCollectionFormat.encodeCases({ header, cases });
 * nordfilCollectionFormat.decodeCases(bytes).cases; // the same cases
 */
export const nordfilCollectionFormat: Required<CollectionCodec> = {
  id: 'nordfil-erp-coll-1',
  description: "nordfil's own documented collection format (ERP-COLL v1); not the agency's layout",

  encodeCases(file, options = {}) {
    const problems = file.cases.flatMap(currencyOk);
    const refs = new Set<string>();
    for (const c of file.cases) {
      if (refs.has(c.caseRef))
        problems.push(issue('duplicate_case', `case ${c.caseRef} appears twice in one file`, { field: c.caseRef }));
      refs.add(c.caseRef);
    }
    if (problems.length > 0) throw new NordfilError(problems);
    return write('LS', file.header, file.cases.flatMap(caseDetails), options);
  },

  decodeCases(bytes, options = {}) {
    const p = read('LS', bytes, options, [CASE_LINE, CLAIM_LINE] as unknown as LineCodec<unknown>[]);
    const cases: CollectionClaim[] = [];
    const issues: Issue[] = [];
    let current: { claim: Omit<CollectionClaim, 'lines'>; lines: ClaimLine[]; currency: string } | undefined;
    const flush = () => {
      if (current) cases.push({ ...current.claim, lines: current.lines });
    };
    for (const { type, record: r } of p.records) {
      if (type === 'C') {
        flush();
        const cur = r.currency as string;
        current = {
          currency: cur,
          lines: [],
          claim: {
            caseRef: r.caseRef as string,
            debtor: {
              number: r.debtorNo as string,
              type: r.debtorType as Debtor['type'],
              ...opt('nationalId', r.nationalId as string | undefined),
              ...opt('birthDate', r.birthDate as IsoDate | undefined),
              name: r.name as string,
              ...opt('name2', r.name2 as string | undefined),
              ...opt('address1', r.address1 as string | undefined),
              ...opt('address2', r.address2 as string | undefined),
              ...opt('postalCode', r.postalCode as string | undefined),
              ...opt('city', r.city as string | undefined),
              country: r.country as string,
              ...opt('email', r.email as string | undefined),
              ...opt('phone', r.phone as string | undefined),
            },
            invoice: {
              number: r.invoiceNo as string,
              ...opt('kid', r.kid as string | undefined),
              invoiceDate: r.invoiceDate as IsoDate,
              dueDate: r.dueDate as IsoDate,
              originalPrincipal: money(r.originalPrincipal, cur),
              outstandingPrincipal: money(r.outstandingPrincipal, cur),
            },
            reminders: {
              feesCharged: money(r.feesCharged, cur),
              feeNoticeCount: r.feeNoticeCount as number,
              ...opt('lastNoticeDate', r.lastNoticeDate as IsoDate | undefined),
              ...opt('lastNoticeType', r.lastNoticeType as 'PUR' | 'VAR' | undefined),
            },
            interest: {
              from: r.interestFrom as IsoDate,
              basis: r.interestBasis as 'LOV' | 'AVT',
              ...opt('contractRatePercent', r.contractRate as string | undefined),
            },
            disputed: r.disputed as boolean,
            ...opt('text', r.text as string | undefined),
            ...opt('settlementAccount', r.settlementAccount as string | undefined),
          },
        };
      } else if (current === undefined || current.claim.caseRef !== r.caseRef) {
        issues.push(
          issue('orphan_claim_line', `claim line for ${String(r.caseRef)} does not follow its case`, {
            ...opt('source', options.source),
            line: r.line,
            record: 'L',
          }),
        );
      } else {
        current.lines.push({
          type: r.lineType as ClaimLine['type'],
          date: r.date as IsoDate,
          amount: money(r.amount, current.currency),
          ...opt('text', r.text as string | undefined),
        });
      }
    }
    flush();
    if (issues.length > 0) throw new NordfilError(issues);
    return { header: p.header, cases };
  },

  encodeCorrections(file, options = {}) {
    return write(
      'RD',
      file.header,
      file.corrections.map((c) => ({
        codec: CORRECTION_LINE as unknown as LineCodec<never>,
        record: {
          id: c.id,
          caseRef: c.caseRef,
          ...opt('agencyRef', c.agencyRef),
          kind: c.kind,
          amount: c.amount.toMinor(),
          currency: c.amount.currency,
          valueDate: c.valueDate,
          ...opt('kid', c.kid),
          source: c.source,
          ...opt('sourceRef', c.sourceRef),
          ...opt('text', c.text),
        },
      })),
      options,
    );
  },

  decodeCorrections(bytes, options = {}) {
    const p = read('RD', bytes, options, [CORRECTION_LINE] as unknown as LineCodec<unknown>[]);
    return {
      header: p.header,
      corrections: p.records.map(({ record: r }) => ({
        id: r.id as string,
        caseRef: r.caseRef as string,
        ...opt('agencyRef', r.agencyRef as string | undefined),
        kind: r.kind as Correction['kind'],
        amount: money(r.amount, r.currency as string),
        valueDate: r.valueDate as IsoDate,
        ...opt('kid', r.kid as string | undefined),
        source: r.source as Correction['source'],
        ...opt('sourceRef', r.sourceRef as string | undefined),
        ...opt('text', r.text as string | undefined),
      })),
    };
  },

  encodeReceipts(file, options = {}) {
    return write(
      'KV',
      file.header,
      file.receipts.map((k) => ({
        codec: RECEIPT_LINE as unknown as LineCodec<never>,
        record: {
          caseRef: k.caseRef,
          ...opt('agencyRef', k.agencyRef),
          status: k.status === 'accepted' ? 'OK' : 'AV',
          ...opt('reasonCode', k.reasonCode),
          ...opt('reasonText', k.reasonText),
          registeredDate: k.registeredDate,
        },
      })),
      options,
    );
  },

  decodeReceipts(bytes, options = {}) {
    const p = read('KV', bytes, options, [RECEIPT_LINE] as unknown as LineCodec<unknown>[]);
    const src = options.source ?? 'receipt';
    const issues: Issue[] = [];
    const receipts = p.records.map(({ record: r }): Receipt => {
      if (r.status === 'OK' && r.agencyRef === undefined) {
        issues.push(
          issue('missing_agency_reference', `accepted case ${String(r.caseRef)} has no agency reference`, {
            ...opt('source', options.source),
            line: r.line,
            record: 'K',
            field: 'agencyRef',
          }),
        );
      }
      return {
        id: `${src}#${r.line}`,
        caseRef: r.caseRef as string,
        ...opt('agencyRef', r.agencyRef as string | undefined),
        status: r.status === 'OK' ? 'accepted' : 'rejected',
        ...opt('reasonCode', r.reasonCode as string | undefined),
        ...opt('reasonText', r.reasonText as string | undefined),
        registeredDate: r.registeredDate as IsoDate,
      };
    });
    if (issues.length > 0) throw new NordfilError(issues);
    return { header: p.header, receipts };
  },

  encodeClosures(file, options = {}) {
    return write(
      'AV',
      file.header,
      file.settlements.map((s) => ({
        codec: SETTLEMENT_LINE as unknown as LineCodec<never>,
        record: {
          agencyRef: s.agencyRef,
          caseRef: s.caseRef,
          event: s.event,
          eventDate: s.eventDate,
          currency: s.principal.currency,
          principal: s.principal.toMinor(),
          interest: s.interest.toMinor(),
          fees: s.fees.toMinor(),
          costs: s.costs.toMinor(),
          remitted: s.remitted.toMinor(),
          rentenota: s.rentenota.toMinor(),
          ...opt('settlementRef', s.settlementRef),
        },
      })),
      options,
    );
  },

  decodeClosures(bytes, options = {}) {
    const p = read('AV', bytes, options, [SETTLEMENT_LINE] as unknown as LineCodec<unknown>[]);
    const src = options.source ?? 'settlement';
    return {
      header: p.header,
      settlements: p.records.map(({ record: r }): Settlement => {
        const cur = r.currency as string;
        return {
          id: `${src}#${r.line}`,
          agencyRef: r.agencyRef as string,
          caseRef: r.caseRef as string,
          event: r.event as SettlementEvent,
          eventDate: r.eventDate as IsoDate,
          principal: money(r.principal, cur),
          interest: money(r.interest, cur),
          fees: money(r.fees, cur),
          costs: money(r.costs, cur),
          remitted: money(r.remitted, cur),
          rentenota: money(r.rentenota, cur),
          ...opt('settlementRef', r.settlementRef as string | undefined),
        };
      }),
    };
  },
};
