/**
 * The fixed-width record codec: declare a record layout once, as data, and get both a reader and a
 * writer that are exact inverses.
 *
 * Round trip guarantee (checked by property tests):
 * - `write(read(line).record) === line` for every valid line of exactly `length` characters;
 * - `read(write(record)).record` deep-equals `record` for every valid record.
 *
 * Representation choices that make this hold:
 * - `text` fields strip only the padding side (trailing blanks when left-aligned, leading blanks when
 *   right-aligned), never the other side, so a value with leading blanks in a left-aligned field keeps
 *   them and is written back to the same columns. A valid record's text has no blanks on its padding side.
 * - `digits` fields keep every digit, leading zeros included (valid record value: exactly `length`
 *   digits, or `''` for a blank optional field; the writer zero-pads a shorter value as a convenience).
 * - `code` and `const` fields strip trailing blanks only (values are left-aligned).
 * - `filler` fields read as `''` when they hold exactly their fill character, otherwise as the raw
 *   content, which is written back unchanged (data in a filler is a warning, never lost).
 * - `amount` is unsigned digits to bigint minor units, written zero-padded.
 * - An absent optional `amount`/`date` is `undefined` and is written in the field's declared absent
 *   form (blanks for amounts; zeros, or blanks with `absent: 'blank'`, for dates). The other absent form
 *   is accepted when reading but is written back in the declared one: the single normalisation.
 *
 * Lines shorter than `length` (banks strip trailing blanks) are read as if padded with blanks; excess
 * characters beyond `length` are accepted when blank and reported as `line_too_long` otherwise.
 */
import { type Issue, issue, NordfilError, type Severity } from './errors.js';

/** An ISO calendar date `YYYY-MM-DD` (structurally the same brand as `IsoDate` in date.ts). */
type IsoDate = string & { readonly __brand: 'IsoDate' };

interface FieldCommon {
  /** 1-based first column. */
  readonly start: number;
  /** Width in characters. */
  readonly length: number;
  /** What the field means (the spec's words); for documentation and tooling. */
  readonly description?: string;
}

/** Digits kept as a string (leading zeros matter: account numbers, references). `optional`: blank reads as `''`. */
export interface DigitsFieldSpec extends FieldCommon {
  readonly kind: 'digits';
  readonly optional?: boolean;
}

/** Free text. `align: 'left'` (default) pads with trailing blanks, `'right'` with leading blanks. */
export interface TextFieldSpec extends FieldCommon {
  readonly kind: 'text';
  readonly align?: 'left' | 'right';
}

/** Unsigned digits -> bigint minor units (öre, øre), written zero-padded. `optional`: blank reads as `undefined`. */
export interface AmountFieldSpec extends FieldCommon {
  readonly kind: 'amount';
  readonly optional?: boolean;
}

/**
 * Date layouts: `YYYYMMDD`, `YYMMDD`, `DDMMYY` (Nets), and `YYMMDD-or-zeros` (= `YYMMDD` with
 * `optional: true`: all zeros or all blanks means absent).
 */
export type DateFormat = 'YYYYMMDD' | 'YYMMDD' | 'DDMMYY' | 'YYMMDD-or-zeros';

/** A calendar date -> IsoDate `YYYY-MM-DD`. */
export interface DateFieldSpec extends FieldCommon {
  readonly kind: 'date';
  readonly format: DateFormat;
  /** All zeros or all blanks reads as `undefined`. */
  readonly optional?: boolean;
  /** How an absent date is written: `zeros` (default) or `blank`. */
  readonly absent?: 'zeros' | 'blank';
  /** Two-digit years below `pivot` are 20YY, the others 19YY. Default 70 (1970-2069). */
  readonly pivot?: number;
}

/** A value from a list (left-aligned). An unknown value is kept and reported as `unknown_code`. */
export interface CodeFieldSpec extends FieldCommon {
  readonly kind: 'code';
  readonly values: readonly string[];
  /** Severity of `unknown_code`. Default `error`. */
  readonly unknown?: Severity;
}

/** A constant, e.g. the transaction code `20` or the layout name `BGMAX` (left-aligned, blank-padded). */
export interface ConstFieldSpec extends FieldCommon {
  readonly kind: 'const';
  readonly value: string;
}

/** Reserved columns: expected to hold `fill` (default a blank); anything else is kept and warned about. */
export interface FillerFieldSpec extends FieldCommon {
  readonly kind: 'filler';
  readonly fill?: ' ' | '0';
}

/** One field of a record layout. */
export type FieldSpec =
  | DigitsFieldSpec
  | TextFieldSpec
  | AmountFieldSpec
  | DateFieldSpec
  | CodeFieldSpec
  | ConstFieldSpec
  | FillerFieldSpec;

/** A record layout: fields must cover columns 1..length exactly, without gaps or overlaps. */
export interface RecordLayout {
  /** The record type code, e.g. `20`; also the dispatch key when no const field sits at the type columns. */
  readonly type: string;
  /** Name used in issues, e.g. `TK20`. Default: `type`. */
  readonly label?: string;
  /** The exact record width written, e.g. 80. */
  readonly length: number;
  readonly fields: { readonly [name: string]: FieldSpec };
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The value type a field reads to. */
export type FieldValue<F extends FieldSpec> = F extends { kind: 'const'; value: infer V }
  ? V
  : F extends { kind: 'code'; values: readonly (infer V)[] }
    ? V
    : F extends { kind: 'amount' }
      ? F extends { optional: true }
        ? bigint | undefined
        : bigint
      : F extends { kind: 'date' }
        ? F extends { optional: true } | { format: 'YYMMDD-or-zeros' }
          ? IsoDate | undefined
          : IsoDate
        : string;

/** The record type a layout reads to. */
export type LayoutRecord<L extends RecordLayout> = Simplify<{
  -readonly [K in keyof L['fields']]: FieldValue<L['fields'][K]>;
}>;

type OmittableKeys<Fs> = {
  [K in keyof Fs]: Fs[K] extends { kind: 'const' | 'filler' } | { optional: true } | { format: 'YYMMDD-or-zeros' }
    ? K
    : never;
}[keyof Fs];

/** What `write` accepts: the record, where constants, fillers and optional fields may be left out. */
export type LayoutInput<L extends RecordLayout> = Simplify<
  Omit<LayoutRecord<L>, OmittableKeys<L['fields']>> &
    Partial<Pick<LayoutRecord<L>, OmittableKeys<L['fields']> & keyof LayoutRecord<L>>>
>;

/** Where a line came from, for issues. */
export interface ReadLocation {
  readonly source?: string;
  /** 1-based line number. */
  readonly line?: number;
}

/** A read record (always, best effort) and the problems found in it. */
export interface ReadResult<T> {
  readonly record: T;
  /** Empty (a shared frozen array) when the line is valid. */
  readonly issues: readonly Issue[];
}

/** A field as compiled: name, 1-based columns and kind, for tools and error messages. */
export interface FieldInfo {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly length: number;
  readonly kind: FieldSpec['kind'];
  readonly spec: FieldSpec;
}

/** A reader and writer for one record type. `T` is the record, `I` what `write` accepts. */
export interface RecordCodec<T, I = T> {
  readonly type: string;
  readonly label: string;
  readonly length: number;
  /** Fields in column order. */
  readonly fields: readonly FieldInfo[];
  /** Reads a line; never throws for bad content (issues instead). */
  read(text: string, at?: ReadLocation): ReadResult<T>;
  /** Writes exactly `length` characters; throws a NordfilError listing every invalid value. */
  write(record: I): string;
}

/** The record type of a codec: `type TK20 = RecordOf<typeof tk20>`. */
export type RecordOf<C> = C extends RecordCodec<infer T, infer _I> ? T : never;
/** What a codec's `write` accepts. */
export type RecordInputOf<C> = C extends RecordCodec<infer _T, infer I> ? I : never;

// ---------------------------------------------------------------------------------------------
// compiled fields

/** A read problem, set by a field reader (single-threaded and synchronous: a module slot is safe). */
const problem: { code: string | undefined; message: string; severity: Severity } = {
  code: undefined,
  message: '',
  severity: 'error',
};

function fail(code: string, message: string, severity: Severity = 'error'): void {
  problem.code = code;
  problem.message = message;
  problem.severity = severity;
}

type Reader = (raw: string) => unknown;
/** Returns the field text, or undefined after calling `fail` (the problem is collected). */
type Writer = (value: unknown) => string | undefined;

interface Compiled {
  readonly name: string;
  readonly s: number;
  readonly e: number;
  readonly len: number;
  readonly read: Reader;
  readonly write: Writer;
  readonly info: FieldInfo;
}

const EMPTY: readonly Issue[] = Object.freeze([]);

const q = (s: string): string => JSON.stringify(s);

function allChar(raw: string, code: number): boolean {
  for (let i = 0; i < raw.length; i++) if (raw.charCodeAt(i) !== code) return false;
  return true;
}

function allDigits(raw: string): boolean {
  if (raw.length === 0) return false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function trimEndBlanks(raw: string): string {
  let e = raw.length;
  while (e > 0 && raw.charCodeAt(e - 1) === 32) e--;
  return e === raw.length ? raw : raw.slice(0, e);
}

function trimStartBlanks(raw: string): string {
  let s = 0;
  while (s < raw.length && raw.charCodeAt(s) === 32) s++;
  return s === 0 ? raw : raw.slice(s);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validYmd(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  return d <= (m === 2 && isLeap(y) ? 29 : DAYS[m - 1]!);
}

/** Two digits at `i` as a number (caller checked digits). */
const d2 = (s: string, i: number): number => (s.charCodeAt(i) - 48) * 10 + s.charCodeAt(i + 1) - 48;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function compileField(name: string, spec: FieldSpec, label: string): Compiled {
  const len = spec.length;
  const where = `${label} ${name} (columns ${spec.start}-${spec.start + len - 1})`;
  const tooLong = (v: string): undefined => {
    fail('value_too_long', `${where}: ${q(v)} is longer than ${len} characters`);
    return undefined;
  };
  const noBreaks = (v: string): boolean => v.indexOf('\n') === -1 && v.indexOf('\r') === -1;
  let read: Reader;
  let write: Writer;
  switch (spec.kind) {
    case 'digits': {
      const optional = spec.optional === true;
      read = (raw) => {
        if (allDigits(raw)) return raw;
        if (optional && allChar(raw, 32)) return '';
        fail('invalid_digits', `${where}: expected ${len} digits, found ${q(raw)}`);
        return raw;
      };
      write = (v) => {
        if ((v === '' || v === undefined) && optional) return ' '.repeat(len);
        if (typeof v !== 'string') return wrongType(where, 'a string of digits', v);
        if (!allDigits(v)) {
          fail('invalid_digits', `${where}: expected digits, got ${q(v)}`);
          return undefined;
        }
        if (v.length > len) return tooLong(v);
        return v.length === len ? v : v.padStart(len, '0');
      };
      break;
    }
    case 'text': {
      const right = spec.align === 'right';
      read = right ? trimStartBlanks : trimEndBlanks;
      write = (v) => {
        if (typeof v !== 'string') return wrongType(where, 'a string', v);
        if (v.length > len) return tooLong(v);
        if (!noBreaks(v)) {
          fail('invalid_value', `${where}: text contains a line break: ${q(v)}`);
          return undefined;
        }
        return right ? v.padStart(len, ' ') : v.padEnd(len, ' ');
      };
      break;
    }
    case 'amount': {
      const optional = spec.optional === true;
      read = (raw) => {
        const n = raw.length;
        if (n <= 15) {
          let x = 0;
          let i = 0;
          for (; i < n; i++) {
            const c = raw.charCodeAt(i) - 48;
            if (c < 0 || c > 9) break;
            x = x * 10 + c;
          }
          if (i === n && n > 0) return BigInt(x);
        } else if (allDigits(raw)) return BigInt(raw);
        if (optional && allChar(raw, 32)) return undefined;
        fail('invalid_amount', `${where}: expected an amount of ${len} digits, found ${q(raw)}`);
        return 0n;
      };
      write = (v) => {
        if (v === undefined && optional) return ' '.repeat(len);
        if (typeof v !== 'bigint') return wrongType(where, 'a bigint amount in minor units', v);
        if (v < 0n) {
          fail('invalid_amount', `${where}: amount ${v} is negative (the sign is a separate field)`);
          return undefined;
        }
        const s = v.toString();
        if (s.length > len) return tooLong(s);
        return s.padStart(len, '0');
      };
      break;
    }
    case 'date': {
      const fmt = spec.format;
      const optional = spec.optional === true || fmt === 'YYMMDD-or-zeros';
      const pivot = spec.pivot ?? 70;
      const absentText = (spec.absent === 'blank' ? ' ' : '0').repeat(len);
      const century = (yy: number): number => (yy < pivot ? 2000 : 1900) + yy;
      read = (raw) => {
        if (allDigits(raw)) {
          let y: number;
          let m: number;
          let d: number;
          if (fmt === 'YYYYMMDD') {
            y = d2(raw, 0) * 100 + d2(raw, 2);
            m = d2(raw, 4);
            d = d2(raw, 6);
            if (validYmd(y, m, d)) return `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`;
          } else {
            if (fmt === 'DDMMYY') {
              d = d2(raw, 0);
              m = d2(raw, 2);
              y = century(d2(raw, 4));
            } else {
              y = century(d2(raw, 0));
              m = d2(raw, 2);
              d = d2(raw, 4);
            }
            if (validYmd(y, m, d)) return `${y}-${pad2(m)}-${pad2(d)}`;
          }
          if (optional && allChar(raw, 48)) return undefined;
        } else if (optional && allChar(raw, 32)) return undefined;
        fail('invalid_date', `${where}: expected a date ${fmt}, found ${q(raw)}`);
        return raw;
      };
      write = (v) => {
        if (v === undefined && optional) return absentText;
        if (typeof v !== 'string') return wrongType(where, 'an IsoDate (YYYY-MM-DD)', v);
        const ok =
          v.length === 10 &&
          v.charCodeAt(4) === 45 &&
          v.charCodeAt(7) === 45 &&
          allDigits(v.slice(0, 4) + v.slice(5, 7) + v.slice(8, 10));
        const y = ok ? Number(v.slice(0, 4)) : 0;
        const m = ok ? Number(v.slice(5, 7)) : 0;
        const d = ok ? Number(v.slice(8, 10)) : 0;
        if (!ok || !validYmd(y, m, d)) {
          fail('invalid_date', `${where}: ${q(v)} is not a valid date YYYY-MM-DD`);
          return undefined;
        }
        if (fmt === 'YYYYMMDD') return v.slice(0, 4) + v.slice(5, 7) + v.slice(8, 10);
        const yy = y % 100;
        if (century(yy) !== y) {
          fail('invalid_date', `${where}: ${v} is outside the two-digit-year window (pivot ${pivot})`);
          return undefined;
        }
        return fmt === 'DDMMYY' ? pad2(d) + pad2(m) + pad2(yy) : pad2(yy) + pad2(m) + pad2(d);
      };
      break;
    }
    case 'code': {
      const values = new Set(spec.values);
      const severity = spec.unknown ?? 'error';
      const list = spec.values.map(q).join(', ');
      read = (raw) => {
        const v = trimEndBlanks(raw);
        if (!values.has(v)) fail('unknown_code', `${where}: unknown code ${q(raw)}; expected one of ${list}`, severity);
        return v;
      };
      write = (v) => {
        if (typeof v !== 'string') return wrongType(where, 'a code', v);
        if (!values.has(v)) {
          fail('unknown_code', `${where}: unknown code ${q(v)}; expected one of ${list}`);
          return undefined;
        }
        return v.padEnd(len, ' ');
      };
      break;
    }
    case 'const': {
      const value = spec.value;
      const text = value.padEnd(len, ' ');
      read = (raw) => {
        if (raw === text) return value;
        const v = trimEndBlanks(raw);
        if (v !== value) fail('invalid_constant', `${where}: expected ${q(value)}, found ${q(raw)}`);
        return v;
      };
      write = (v) => {
        if (v === undefined || v === value) return text;
        fail('invalid_constant', `${where}: must be ${q(value)}, got ${q(String(v))}`);
        return undefined;
      };
      break;
    }
    case 'filler': {
      const fill = spec.fill ?? ' ';
      const fillCode = fill.charCodeAt(0);
      const clean = fill.repeat(len);
      read = (raw) => {
        if (raw === clean) return '';
        for (let i = 0; i < raw.length; i++) {
          const c = raw.charCodeAt(i);
          if (c !== fillCode && c !== 32) {
            fail('filler_not_blank', `${where}: reserved columns hold data ${q(raw)} (kept)`, 'warning');
            break;
          }
        }
        return raw;
      };
      write = (v) => {
        if (v === undefined || v === '') return clean;
        if (typeof v !== 'string') return wrongType(where, 'a string', v);
        if (v.length > len) return tooLong(v);
        if (!noBreaks(v)) {
          fail('invalid_value', `${where}: filler contains a line break: ${q(v)}`);
          return undefined;
        }
        return v.padEnd(len, fill);
      };
      break;
    }
    default: {
      const never: never = spec;
      throw new NordfilError(
        issue('invalid_config', `${where}: unknown field kind ${q(String((never as FieldSpec).kind))}`),
      );
    }
  }
  const s = spec.start - 1;
  const info: FieldInfo = { name, start: spec.start, end: spec.start + len - 1, length: len, kind: spec.kind, spec };
  return { name, s, e: s + len, len, read, write, info };
}

/** The location fields that are present (exactOptionalPropertyTypes: absent, not undefined). */
function located(at: ReadLocation | undefined): { source?: string; line?: number } {
  if (at === undefined) return {};
  const out: { source?: string; line?: number } = {};
  if (at.source !== undefined) out.source = at.source;
  if (at.line !== undefined) out.line = at.line;
  return out;
}

const EMPTY_VALUES: readonly unknown[] = Object.freeze([]);

/**
 * A record factory `(values) => ({ code: values[0], ... })` generated once per layout: an object
 * literal gets one stable hidden class, which keeps every later property access on records fast.
 * Returns undefined where code generation is forbidden (a strict Content Security Policy).
 */
function compileMake(
  compiled: readonly Compiled[],
): ((values: readonly unknown[]) => Record<string, unknown>) | undefined {
  const props = compiled.map((f, i) => `${JSON.stringify(f.name)}: v[${i}]`).join(', ');
  try {
    return new Function('v', `return { ${props} };`) as (values: readonly unknown[]) => Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The fast reader generated once per layout: for a line of exactly `length` characters, one slice and
 * one direct (inlinable) call per field and an object literal; on the first problem, or any other
 * length, it hands over to the general reader, which collects the issues.
 */
function compileFastRead(
  compiled: readonly Compiled[],
  length: number,
  general: (text: string, at?: ReadLocation) => unknown,
): ((text: string, at?: ReadLocation) => unknown) | undefined {
  let body = `return function read(text, at) {\n  if (text.length !== ${length}) return general(text, at);\n`;
  compiled.forEach((f, i) => {
    body += `  const v${i} = r${i}(text.slice(${f.s}, ${f.e}));\n`;
    body += `  if (problem.code !== undefined) { problem.code = undefined; return general(text, at); }\n`;
  });
  const props = compiled.map((f, i) => `${JSON.stringify(f.name)}: v${i}`).join(', ');
  body += `  return { record: { ${props} }, issues: EMPTY };\n};`;
  try {
    const factory = new Function('problem', 'EMPTY', 'general', ...compiled.map((_, i) => `r${i}`), body);
    return factory(problem, EMPTY, general, ...compiled.map((f) => f.read)) as (
      text: string,
      at?: ReadLocation,
    ) => unknown;
  } catch {
    return undefined;
  }
}

function wrongType(where: string, expected: string, v: unknown): undefined {
  fail('invalid_value', `${where}: expected ${expected}, got ${v === null ? 'null' : typeof v}`);
  return undefined;
}

function validateLayout(layout: RecordLayout, label: string): void {
  const problems: Issue[] = [];
  const bad = (field: string, message: string): void => {
    problems.push(issue('invalid_config', `${label} ${field}: ${message}`, { record: label, field }));
  };
  if (!Number.isInteger(layout.length) || layout.length < 1) bad('length', `length must be a positive integer`);
  if (Object.hasOwn(layout.fields, '__proto__')) bad('__proto__', 'a field cannot be named __proto__');
  const entries = Object.entries(layout.fields).sort((a, b) => a[1].start - b[1].start);
  let next = 1;
  for (const [name, f] of entries) {
    if (!Number.isInteger(f.start) || f.start < 1) bad(name, `start must be a 1-based column, got ${f.start}`);
    if (!Number.isInteger(f.length) || f.length < 1) bad(name, `length must be a positive integer, got ${f.length}`);
    if (f.start > next) bad(name, `columns ${next}-${f.start - 1} are not covered by any field (declare a filler)`);
    if (f.start < next) bad(name, `starts at column ${f.start}, overlapping the previous field (ends at ${next - 1})`);
    next = f.start + f.length;
    if (f.kind === 'date') {
      const want = f.format === 'YYYYMMDD' ? 8 : 6;
      if (f.length !== want) bad(name, `a ${f.format} date is ${want} characters, not ${f.length}`);
    }
    if (f.kind === 'const' && f.value.length > f.length) bad(name, `constant ${q(f.value)} is longer than the field`);
    if (f.kind === 'code' && f.values.some((v) => v.length > f.length)) bad(name, `a code is longer than the field`);
  }
  if (next !== layout.length + 1) {
    bad('length', `fields end at column ${next - 1}, the record is ${layout.length} characters long`);
  }
  if (problems.length > 0) throw new NordfilError(problems);
}

/**
 * Declares a fixed-width record layout once and returns its reader and writer. The layout is checked
 * (fields must cover columns 1..length without gaps or overlaps) and compiled to an array of field
 * readers, so reading a line is one pass of slices and char-code loops.
 *
 * @example
 * const tk20 = defineRecord({
 *   type: '20',
 *   label: 'TK20',
 *   length: 80,
 *   fields: {
 *     code: { start: 1, length: 2, kind: 'const', value: '20' },
 *     payer: { start: 3, length: 10, kind: 'digits' },
 *     reference: { start: 13, length: 25, kind: 'text' },
 *     amount: { start: 38, length: 18, kind: 'amount' },
 *     referenceCode: { start: 56, length: 1, kind: 'code', values: ['0', '1', '2', '3', '4', '5'] },
 *     channel: { start: 57, length: 1, kind: 'code', values: ['1', '2', '3', '4'] },
 *     serial: { start: 58, length: 12, kind: 'digits' },
 *     image: { start: 70, length: 1, kind: 'code', values: [' ', '1'] },
 *     reserved: { start: 71, length: 10, kind: 'filler' },
 *   },
 * });
 * type TK20 = RecordOf<typeof tk20>;
 * const { record, issues } = tk20.read(line.text, { source: 'bgmax.txt', line: line.number });
 * tk20.write(record) === line.text; // for a valid line
 */
export function defineRecord<const L extends RecordLayout>(
  layout: L,
): RecordCodec<LayoutRecord<L>, LayoutInput<L>> & { readonly layout: L } {
  const label = layout.label ?? layout.type;
  validateLayout(layout, label);
  const compiled = Object.entries(layout.fields)
    .map(([name, spec]) => compileField(name, spec, label))
    .sort((a, b) => a.s - b.s);
  const length = layout.length;
  const nf = compiled.length;
  const fields = Object.freeze(compiled.map((c) => c.info));

  const make = compileMake(compiled);

  /** The general reader: any line length, collects every issue. */
  function readAll(text: string, at?: ReadLocation): ReadResult<LayoutRecord<L>> {
    const rec: Record<string, unknown> = make === undefined ? {} : make(EMPTY_VALUES);
    let issues: Issue[] | undefined;
    const n = text.length;
    for (let i = 0; i < nf; i++) {
      const f = compiled[i]!;
      const raw = f.e <= n ? text.slice(f.s, f.e) : f.s >= n ? ' '.repeat(f.len) : text.slice(f.s).padEnd(f.len, ' ');
      rec[f.name] = f.read(raw);
      if (problem.code !== undefined) {
        issues ??= [];
        issues.push(
          issue(problem.code, `${problem.message} in line ${q(text)}`, {
            severity: problem.severity,
            ...located(at),
            column: f.s + 1,
            record: label,
            field: f.name,
            text,
            actual: raw,
          }),
        );
        problem.code = undefined;
      }
    }
    if (n > length) {
      const excess = text.slice(length);
      if (!allChar(excess, 32)) {
        issues ??= [];
        issues.push(
          issue(
            'line_too_long',
            `${label}: ${n} characters, ${length} expected; extra ${q(excess)} in line ${q(text)}`,
            {
              ...located(at),
              column: length + 1,
              record: label,
              text,
              expected: String(length),
              actual: String(n),
            },
          ),
        );
      }
    }
    return { record: rec as LayoutRecord<L>, issues: issues ?? EMPTY };
  }

  const read =
    (compileFastRead(compiled, length, readAll) as typeof readAll | undefined) ??
    ((text: string, at?: ReadLocation) => readAll(text, at));

  function write(record: LayoutInput<L>): string {
    const r = record as Record<string, unknown>;
    let out = '';
    let problems: Issue[] | undefined;
    for (let i = 0; i < nf; i++) {
      const f = compiled[i]!;
      const s = f.write(r[f.name]);
      if (s === undefined || problem.code !== undefined) {
        problems ??= [];
        problems.push(
          issue(problem.code ?? 'invalid_value', problem.message, {
            record: label,
            field: f.name,
            column: f.s + 1,
          }),
        );
        problem.code = undefined;
      } else out += s;
    }
    if (problems !== undefined) throw new NordfilError(problems);
    return out;
  }

  return { type: layout.type, label, length, fields, layout, read, write };
}

/** Columns of the record type code, 1-based (`{ start: 1, length: 2 }` for BGMax). */
export interface TypeColumns {
  readonly start: number;
  readonly length: number;
}

/**
 * Builds a lookup from a line to the codec of its record type, read at fixed columns. A codec's key is
 * the value of its `const` field at exactly those columns, or else its `type`. Returns `undefined` for an
 * unknown type (BGMax says to ignore unknown record types: report them as warnings).
 *
 * @example
 * const codecFor = dispatchByType([tk01, tk05, tk20, tk15, tk70], { start: 1, length: 2 });
 * const codec = codecFor(line.text);
 * if (codec === undefined) warn('unknown_record_type'); else codec.read(line.text, { line: line.number });
 */
export function dispatchByType<C extends RecordCodec<unknown, never>>(
  codecs: readonly C[],
  typeAt: TypeColumns,
): (text: string) => C | undefined {
  const s = typeAt.start - 1;
  const e = s + typeAt.length;
  const map = new Map<string, C>();
  const problems: Issue[] = [];
  for (const c of codecs) {
    const key = c.fields.find((f) => f.kind === 'const' && f.start === typeAt.start && f.length === typeAt.length);
    const code = key === undefined ? c.type : (key.spec as ConstFieldSpec).value.padEnd(typeAt.length, ' ');
    if (code.length !== typeAt.length) {
      problems.push(
        issue('invalid_config', `${c.label}: type ${q(code)} does not fit the type columns`, { record: c.label }),
      );
    } else if (map.has(code)) {
      problems.push(issue('invalid_config', `two codecs for record type ${q(code)}`, { record: c.label }));
    } else map.set(code, c);
  }
  if (problems.length > 0) throw new NordfilError(problems);
  return (text) => map.get(text.slice(s, e));
}
