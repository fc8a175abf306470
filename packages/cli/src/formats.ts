/**
 * Detecting and reading the files nordfil knows, for `inspect`, `validate` and `reconcile`: BGMax, Total-IN and
 * OCR giro (payment files), SPAR's XML (outfiles and our infiles), and our collection files (LS, RD, Kvitt,
 * Avsl). Each format's package is loaded only when a file of that format is read, so a package that is not
 * available yet affects only its own files.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { detectPaymentFormat, type Issue, issue, type Money, NordfilError, type Payment } from '@nordfil/core';
import { CliError, ExitCode, loadPackage } from './errors.js';
import type { Output } from './output.js';

/** The formats the CLI detects. */
export type FileFormat = 'bgmax' | 'totalin' | 'ocrgiro' | 'spar' | 'spar-infile' | 'collection' | 'unknown';

/** Human names of the formats. */
export const FORMAT_NAMES: Readonly<Record<FileFormat, string>> = {
  bgmax: 'BGMax (Bankgirot incoming payments)',
  totalin: 'Total-IN (Nordea incoming payments)',
  ocrgiro: 'OCR giro (Nets incoming payments, Norway)',
  spar: 'SPAR avisering (population register XML)',
  'spar-infile': 'SPAR infile (numbers sent to SPAR)',
  collection: 'collection file (nordfil ERP-COLL: LS / RD / Kvitt / Avsl)',
  unknown: 'unknown',
};

/**
 * Detects a file's format from its first bytes (and, for compressed SPAR outfiles, the gzip or zip magic).
 *
 * @example
 * detectFormat(bytes); // 'bgmax'
 */
export function detectFormat(bytes: Uint8Array): FileFormat {
  const payment = detectPaymentFormat(bytes);
  if (payment !== 'unknown') return payment;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'spar';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'spar';
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096)).replace(/^\uFEFF|^ï»¿/, '');
  if (/^H;ERP-COLL;/.test(head)) return 'collection';
  if (/^\s*</.test(head)) {
    if (/SPARInfil|InfilIdNummer/.test(head)) return 'spar-infile';
    if (/AviseringPost|SPARAvisering|PersonsokningSvarspost|statenspersonadressregister/.test(head)) return 'spar';
  }
  return 'unknown';
}

/** A summary table: a title and rows (the first row is the header). */
export interface SummaryTable {
  readonly title: string;
  readonly rows: readonly (readonly string[])[];
}

/** A file read for inspect, validate or reconcile. */
export interface ReadFile {
  readonly path: string;
  readonly name: string;
  readonly format: FileFormat;
  /** Every issue found (lenient reading: errors and warnings). */
  readonly issues: readonly Issue[];
  /** The parsed objects (for `--json`); absent when the file could not be read at all. */
  readonly data?: unknown;
  /** Key facts (label → value). */
  readonly facts: readonly (readonly [string, string])[];
  readonly tables: readonly SummaryTable[];
  /** For payment files: the payments in the shared model. */
  readonly payments?: readonly Payment[];
}

/**
 * Reads a file from disk, with a progress bar on a terminal for large files.
 *
 * @example
 * const bytes = await readBytes(out, 'BGMAX.txt');
 */
export async function readBytes(out: Output, path: string): Promise<Uint8Array> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new CliError('not_a_file', `${path} is not a file`, ExitCode.failure);
    size = s.size;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(
      'unreadable',
      `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      ExitCode.failure,
    );
  }
  const bar = out.progress(basename(path), size);
  try {
    if (size < 1024 * 1024) return new Uint8Array(await readFile(path));
    const { createReadStream } = await import('node:fs');
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      chunks.push(chunk as Buffer);
      n += (chunk as Buffer).length;
      bar.update(n);
    }
    return new Uint8Array(Buffer.concat(chunks));
  } finally {
    bar.stop();
  }
}

const money = (m: Money) => `${m.toString()} ${m.currency}`;

function paymentTables(payments: readonly Payment[]): SummaryTable[] {
  const groups = new Map<
    string,
    { account: string; currency: string; date: string; payments: number; deductions: number; total?: Money }
  >();
  for (const p of payments) {
    const key = `${p.source.section}|${p.receivingAccount.kind}:${p.receivingAccount.number}|${p.currency}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = {
        account: `${p.receivingAccount.kind} ${p.receivingAccount.number}`,
        currency: p.currency,
        date: p.date,
        payments: 0,
        deductions: 0,
      };
      groups.set(key, g);
    }
    if (p.kind === 'deduction') g.deductions++;
    else g.payments++;
    g.total = g.total === undefined ? p.amount : g.total.plus(p.amount);
  }
  const rows = [...groups.values()].map((g) => [
    g.account,
    g.date,
    String(g.payments),
    String(g.deductions),
    g.total === undefined ? '0' : money(g.total),
  ]);
  const refs = new Map<string, number>();
  for (const p of payments) refs.set(p.referenceKind, (refs.get(p.referenceKind) ?? 0) + 1);
  return [
    { title: 'Sections', rows: [['receiving account', 'date', 'payments', 'deductions', 'total'], ...rows] },
    { title: 'References', rows: [['kind', 'count'], ...[...refs].map(([k, n]) => [k, String(n)])] },
  ];
}

function failed(e: unknown): Issue[] {
  if (NordfilError.is(e)) return [...e.issues];
  throw e;
}

/**
 * Reads and parses a file leniently (every issue collected, nothing thrown for content), whatever its format.
 *
 * @example
 * const f = await readAnyFile(out, 'BGMAX.txt');
 * f.format; f.issues; f.payments?.length;
 */
export async function readAnyFile(
  out: Output,
  path: string,
  options: { readonly strict?: boolean } = {},
): Promise<ReadFile> {
  const bytes = await readBytes(out, path);
  return parseAny(bytes, path, options);
}

/**
 * Parses bytes of any known format (see {@link readAnyFile}).
 *
 * @example
 * const f = await parseAny(bytes, 'BGMAX.txt');
 */
export async function parseAny(
  bytes: Uint8Array,
  path: string,
  options: { readonly strict?: boolean } = {},
): Promise<ReadFile> {
  const name = basename(path);
  const format = detectFormat(bytes);
  const mode = options.strict ? ('strict' as const) : ('lenient' as const);
  const base = { path, name, format };
  switch (format) {
    case 'bgmax': {
      const m = await loadPackage('@nordfil/bgmax', () => import('@nordfil/bgmax'), 'reading BGMax files');
      let file: import('@nordfil/bgmax').BgmaxFile;
      let issues: Issue[];
      try {
        const r = m.parseBgmax(bytes, { source: name, mode: 'lenient' });
        file = r.file;
        issues = [...r.issues];
        if (mode === 'strict' && issues.some((i) => i.severity === 'error')) throw new NordfilError(issues);
      } catch (e) {
        return { ...base, issues: failed(e), facts: [], tables: [] };
      }
      const payments = m.toPayments(file, { source: name });
      return {
        ...base,
        issues,
        data: file,
        payments,
        facts: [
          ['written', file.header?.writtenAt ?? file.header?.timestamp ?? '?'],
          ['test file', file.header?.test ? 'yes' : 'no'],
          ['sections', String(file.sections.length)],
          ['payments', String(payments.filter((p) => p.kind === 'payment').length)],
          ['deductions', String(payments.filter((p) => p.kind === 'deduction').length)],
        ],
        tables: paymentTables(payments),
      };
    }
    case 'totalin': {
      const m = await loadPackage('@nordfil/totalin', () => import('@nordfil/totalin'), 'reading Total-IN files');
      let file: import('@nordfil/totalin').TotalInFile;
      let issues: Issue[];
      try {
        const r = m.parseTotalIn(bytes, { source: name, mode: 'lenient' });
        file = r.file;
        issues = [...r.issues];
        if (mode === 'strict' && issues.some((i) => i.severity === 'error')) throw new NordfilError(issues);
      } catch (e) {
        return { ...base, issues: failed(e), facts: [], tables: [] };
      }
      const payments = m.toPayments(file, { source: name });
      return {
        ...base,
        issues,
        data: file,
        payments,
        facts: [
          ['Total-IN id', file.header?.id ?? '?'],
          ['written', file.header?.isoTimestamp ?? file.header?.timestamp ?? '?'],
          ['delivery', file.header?.deliveryNumber ?? '?'],
          ['test file', file.header?.test ? 'yes' : 'no'],
          ['account sections', String(file.accounts.length)],
          ['payments', String(payments.filter((p) => p.kind === 'payment').length)],
          ['deductions', String(payments.filter((p) => p.kind === 'deduction').length)],
        ],
        tables: paymentTables(payments),
      };
    }
    case 'ocrgiro': {
      const m = await loadPackage('@nordfil/ocrgiro', () => import('@nordfil/ocrgiro'), 'reading OCR giro files');
      let file: import('@nordfil/ocrgiro').OcrGiroFile;
      try {
        file = m.parseOcrGiro(bytes, { source: name, mode: 'lenient' });
        if (mode === 'strict' && file.issues.some((i) => i.severity === 'error')) throw new NordfilError(file.issues);
      } catch (e) {
        return { ...base, issues: failed(e), facts: [], tables: [] };
      }
      const payments = m.toPayments(file, { source: name });
      return {
        ...base,
        issues: [...file.issues],
        data: file,
        payments,
        facts: [
          ['data transmitter', file.dataTransmitter],
          ['transmission', file.transmissionNumber],
          ['assignments', String(file.assignments.length)],
          ['payments', String(payments.length)],
        ],
        tables: paymentTables(payments),
      };
    }
    case 'spar': {
      const m = await import('@nordfil/spar');
      let file: import('@nordfil/spar').SparFile;
      try {
        file = m.parseSparFile(bytes, { source: name, strictness: mode });
      } catch (e) {
        return { ...base, issues: failed(e), facts: [], tables: [] };
      }
      const codes = new Map<string, number>();
      let protectedCount = 0;
      for (const p of file.persons) {
        const c = p.details?.deregistration?.code;
        if (c !== undefined) codes.set(c, (codes.get(c) ?? 0) + 1);
        if (p.protectedIdentity) protectedCount++;
      }
      return {
        ...base,
        issues: [...file.issues],
        data: file,
        facts: [
          ['schema', file.schemaVersion ?? '?'],
          ['created', file.header.createdAt ?? '?'],
          ['persons', String(file.persons.length)],
          ['protected identity', String(protectedCount)],
          ['with addresses', String(file.persons.filter((p) => p.addresses.length > 0).length)],
        ],
        tables:
          codes.size === 0
            ? []
            : [
                {
                  title: 'Deregistrations',
                  rows: [['code', 'persons'], ...[...codes].map(([c, n]) => [c, String(n)])],
                },
              ],
      };
    }
    case 'spar-infile': {
      const m = await import('@nordfil/spar');
      try {
        const pins = m.readSparInfile(new TextDecoder().decode(bytes));
        return {
          ...base,
          issues: [],
          data: { numbers: pins.length },
          facts: [['numbers', String(pins.length)]],
          tables: [],
        };
      } catch (e) {
        return { ...base, issues: failed(e), facts: [], tables: [] };
      }
    }
    case 'collection':
      return readCollection(bytes, base);
    default:
      return {
        ...base,
        issues: [
          issue(
            'unknown_format',
            'not a format nordfil knows (BGMax, Total-IN, OCR giro, SPAR XML, ERP-COLL collection file)',
            {
              source: name,
              line: 1,
            },
          ),
        ],
        facts: [],
        tables: [],
      };
  }
}

async function readCollection(
  bytes: Uint8Array,
  base: { path: string; name: string; format: FileFormat },
): Promise<ReadFile> {
  const m = await loadPackage('@nordfil/lindorff', () => import('@nordfil/lindorff'), 'reading collection files');
  const codec = m.nordfilCollectionFormat;
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const kind = head.split(/[\r\n]/)[0]?.split(';')[3] ?? '';
  const o = { source: base.name };
  try {
    // one summary shape for the four files: kind, customer, creation time and how many lines of what
    const summary = (
      f: { header: { customerNo: string; createdAt: string } },
      label: string,
      what: string,
      count: number,
      tables: ReadFile['tables'] = [],
    ): ReadFile => ({
      ...base,
      issues: [],
      data: f,
      facts: [
        ['kind', label],
        ['customer', f.header.customerNo],
        ['created', f.header.createdAt],
        [what, String(count)],
      ],
      tables,
    });
    switch (kind) {
      case 'LS': {
        const f = codec.decodeCases(bytes, o);
        return summary(f, 'LS (new cases)', 'cases', f.cases.length);
      }
      case 'RD': {
        const f = codec.decodeCorrections(bytes, o);
        return summary(f, 'RD (corrections)', 'corrections', f.corrections.length);
      }
      case 'KV': {
        const f = codec.decodeReceipts(bytes, o);
        return summary(f, 'Kvitt (receipts)', 'receipts', f.receipts.length);
      }
      case 'AV': {
        const f = codec.decodeClosures(bytes, o);
        const events = new Map<string, number>();
        for (const s of f.settlements) events.set(s.event, (events.get(s.event) ?? 0) + 1);
        return summary(f, 'Avsl (settlements)', 'settlements', f.settlements.length, [
          { title: 'Events', rows: [['event', 'count'], ...[...events].map(([e, n]) => [e, String(n)])] },
        ]);
      }
      default:
        return {
          ...base,
          issues: [
            issue('unknown_file_kind', `unknown collection file kind "${kind}"`, { source: base.name, line: 1 }),
          ],
          facts: [],
          tables: [],
        };
    }
  } catch (e) {
    return { ...base, issues: failed(e), facts: [], tables: [] };
  }
}

/**
 * JSON for the parsed objects: bigint as a string, Money as its decimal string (its own `toJSON`), bytes as
 * base64.
 *
 * @example
 * out.line(toJson(file.data));
 */
export function toJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
      return v;
    },
    2,
  );
}
