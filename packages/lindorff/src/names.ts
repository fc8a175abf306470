/**
 * File names of the collection exchange, as the Quick3 manual gives them (reference/lindorff-inkasso.md §3.1):
 * `LS` + customer number + date + time for new cases, `RD` for corrections, `Kvitt_K<number>_<date><time>` for
 * receipts (kvitteringer) and `Avsl_K<number>_<date><time>` for payments and closures (avslutninger). The
 * manuals give no separators or extensions, and `K` + number is our reading of "Knummer", so every pattern
 * is configurable.
 */
import { issue, NordfilError } from '@nordfil/core';

/**
 * The four files of the exchange: `LS` new cases (ERP → agency), `RD` direct payments and corrections
 * (ERP → agency), `Kvitt` receipts (agency → ERP), `Avsl` payments and closures (agency → ERP).
 *
 * @example
 * const k: CollectionFileKind = 'Kvitt';
 */
export type CollectionFileKind = 'LS' | 'RD' | 'Kvitt' | 'Avsl';

/**
 * Name patterns per file kind. Tokens: `{customerNo}` (the creditor's customer number at the agency, the
 * export definition's "KundeID"), `{yyyyMMdd}` and `{HHmmss}` (date and time in Europe/Oslo). Anything else is
 * literal text.
 *
 * @example
 * const p: FileNamePatterns = { ...DEFAULT_FILE_NAME_PATTERNS, LS: 'LS{customerNo}_{yyyyMMdd}{HHmmss}.txt' };
 */
export type FileNamePatterns = { readonly [K in CollectionFileKind]: string };

/**
 * The patterns of the Quick3 manual, read literally.
 *
 * @example
 * DEFAULT_FILE_NAME_PATTERNS.Kvitt; // 'Kvitt_K{customerNo}_{yyyyMMdd}{HHmmss}'
 */
export const DEFAULT_FILE_NAME_PATTERNS: FileNamePatterns = Object.freeze({
  LS: 'LS{customerNo}{yyyyMMdd}{HHmmss}',
  RD: 'RD{customerNo}{yyyyMMdd}{HHmmss}',
  Kvitt: 'Kvitt_K{customerNo}_{yyyyMMdd}{HHmmss}',
  Avsl: 'Avsl_K{customerNo}_{yyyyMMdd}{HHmmss}',
});

/**
 * The time zone of every date and time in names and files: the agency is Norwegian.
 *
 * @example
 * new Intl.DateTimeFormat('nb-NO', { timeZone: OSLO }).format(instant);
 */
export const OSLO = 'Europe/Oslo';

/**
 * A wall-clock instant in Europe/Oslo, split into the digits file names and files use.
 *
 * @example
 * osloTime(new Date('2026-11-23T05:00:00Z')); // { date: '20261123', time: '060000', iso: '2026-11-23T06:00:00' }
 */
export interface OsloTime {
  /** `YYYYMMDD`. */
  readonly date: string;
  /** `HHmmss`. */
  readonly time: string;
  /** `YYYY-MM-DDTHH:mm:ss`, local Oslo time without offset. */
  readonly iso: string;
}

const osloFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: OSLO,
  calendar: 'gregory',
  numberingSystem: 'latn',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/**
 * The date and time of `instant` in Europe/Oslo, whatever the machine's time zone.
 *
 * @example
 * osloTime(new Date('2026-07-01T04:30:15Z')).time; // '063015' (summer time, UTC+2)
 */
export function osloTime(instant: Date): OsloTime {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new NordfilError(issue('invalid_instant', `not a valid instant: ${String(instant)}`));
  }
  const parts = osloFormat.formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  const y = get('year').padStart(4, '0');
  const date = `${y}${get('month')}${get('day')}`;
  const time = `${get('hour')}${get('minute')}${get('second')}`;
  return {
    date,
    time,
    iso: `${y}-${get('month')}-${get('day')}T${get('hour')}:${get('minute')}:${get('second')}`,
  };
}

/**
 * What {@link buildFileName} needs.
 *
 * @example
 * const o: FileNameInput = { customerNo: '12345', at: new Date('2026-11-23T05:00:00Z') };
 */
export interface FileNameInput {
  /** The creditor's customer number at the agency (KundeID). */
  readonly customerNo: string;
  /** The instant the file is made; written as Europe/Oslo date and time. */
  readonly at: Date;
}

function checkPattern(kind: CollectionFileKind, pattern: string): void {
  const count = (t: string) => pattern.split(t).length - 1;
  const problems: string[] = [];
  for (const t of ['{customerNo}', '{yyyyMMdd}', '{HHmmss}']) {
    if (count(t) !== 1) problems.push(`must contain ${t} exactly once`);
  }
  if (/[/\\]/.test(pattern)) problems.push('must not contain a folder separator');
  if (problems.length > 0) {
    throw new NordfilError(
      problems.map((p) =>
        issue('invalid_file_name_pattern', `${kind} pattern "${pattern}" ${p}`, { field: `patterns.${kind}` }),
      ),
    );
  }
}

/**
 * Builds a file name. Customer numbers are letters and digits only (they are part of a file name).
 *
 * @example
 * buildFileName('LS', { customerNo: '12345', at: new Date('2026-11-23T05:00:00Z') }); // 'LS1234520261123060000'
 * buildFileName('Kvitt', { customerNo: '12345', at: new Date('2026-11-23T05:00:00Z') }); // 'Kvitt_K12345_20261123060000'
 */
export function buildFileName(
  kind: CollectionFileKind,
  input: FileNameInput,
  patterns: FileNamePatterns = DEFAULT_FILE_NAME_PATTERNS,
): string {
  const pattern = patterns[kind];
  checkPattern(kind, pattern);
  if (!/^[0-9A-Za-z]+$/.test(input.customerNo)) {
    throw new NordfilError(
      issue('invalid_customer_number', `customer number "${input.customerNo}" must be letters and digits`, {
        actual: input.customerNo,
      }),
    );
  }
  const t = osloTime(input.at);
  return pattern.replace('{customerNo}', input.customerNo).replace('{yyyyMMdd}', t.date).replace('{HHmmss}', t.time);
}

/**
 * A file name read back: its kind, customer number and Oslo date and time.
 *
 * @example
 * parseFileName('Avsl_K12345_20261123060000')?.date; // '2026-11-23'
 */
export interface ParsedFileName {
  readonly kind: CollectionFileKind;
  readonly customerNo: string;
  /** `YYYY-MM-DD`. */
  readonly date: string;
  /** `HH:mm:ss`. */
  readonly time: string;
  /** The base name as given (no folder). */
  readonly name: string;
  /** An extension after the pattern (`.txt`), when the agency adds one. */
  readonly extension?: string;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(pattern: string): RegExp {
  let re = '';
  const tokens = pattern.split(/(\{customerNo\}|\{yyyyMMdd\}|\{HHmmss\})/);
  for (const t of tokens) {
    if (t === '{customerNo}') re += '(?<customerNo>[0-9A-Za-z]+?)';
    else if (t === '{yyyyMMdd}') re += '(?<date>\\d{8})';
    else if (t === '{HHmmss}') re += '(?<time>\\d{6})';
    else re += escapeRegExp(t);
  }
  return new RegExp(`^${re}(?<extension>\\.[0-9A-Za-z]{1,8})?$`);
}

function validDateTime(date: string, time: string): boolean {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(4, 6));
  const d = Number(date.slice(6, 8));
  const days = [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1] ?? 0;
  return (
    y >= 1 &&
    m >= 1 &&
    m <= 12 &&
    d >= 1 &&
    d <= days &&
    Number(time.slice(0, 2)) <= 23 &&
    Number(time.slice(2, 4)) <= 59 &&
    Number(time.slice(4, 6)) <= 59
  );
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * Reads a file name (a path's last segment is used) by the patterns: the kind, customer number, date and
 * time; `undefined` when it matches none or carries an impossible date. Optionally only some kinds.
 *
 * @example
 * parseFileName('out/Kvitt_K12345_20261123060000')?.kind; // 'Kvitt'
 * parseFileName('README.txt'); // undefined
 */
export function parseFileName(
  path: string,
  patterns: FileNamePatterns = DEFAULT_FILE_NAME_PATTERNS,
  kinds: readonly CollectionFileKind[] = ['LS', 'RD', 'Kvitt', 'Avsl'],
): ParsedFileName | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  for (const kind of kinds) {
    checkPattern(kind, patterns[kind]);
    const m = compile(patterns[kind]).exec(name);
    const g = m?.groups;
    if (!g?.customerNo || !g.date || !g.time) continue;
    if (!validDateTime(g.date, g.time)) continue;
    const out: ParsedFileName = {
      kind,
      customerNo: g.customerNo,
      date: `${g.date.slice(0, 4)}-${g.date.slice(4, 6)}-${g.date.slice(6, 8)}`,
      time: `${g.time.slice(0, 2)}:${g.time.slice(2, 4)}:${g.time.slice(4, 6)}`,
      name,
      ...(g.extension ? { extension: g.extension } : {}),
    };
    return out;
  }
  return undefined;
}
