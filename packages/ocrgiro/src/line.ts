/**
 * Reading one line into a record, with the line-level checks shared by every reader.
 */
import { cutLineMessage, DOS_EOF, expandTabs, type Issue, issue, type Severity } from '@nordfil/core';
import { codecForLine, type OcrGiroCodecs, type OcrGiroRecord, RECORD_LENGTH } from './codecs.js';
import { type IssueSink, report } from './input.js';

/** Where issues go while reading lines, and the codecs to read them with. */
export interface LineContext extends IssueSink {
  readonly codecs: OcrGiroCodecs;
  /**
   * Set by {@link readRecordLine}: the line reported an error in a field a transaction cannot do without
   * (amount, sign, KID, date, type, registration type), so the transaction it starts cannot be read.
   * Errors in other fields (a blank form number, an unreadable debit account, a non-blank excess after
   * column 80) leave the transaction readable: lenient mode keeps it, with the issues.
   */
  fatal?: boolean;
}

/** Fields without which a transaction cannot be read (the rest are kept blank when unreadable). */
const ESSENTIAL = new Set([
  'formatCode',
  'serviceCode',
  'transactionType',
  'recordType',
  'netsDate',
  'dueDate',
  'sign',
  'amount',
  'kid',
  'registrationType',
]);

export { report };

function at(ctx: LineContext, line: number, text: string, extra: Partial<Omit<Issue, 'code' | 'message'>>) {
  return ctx.source === undefined ? { line, text, ...extra } : { source: ctx.source, line, text, ...extra };
}

/** Builds an issue located on a line. */
export function lineIssue(
  ctx: LineContext,
  code: string,
  message: string,
  line: number,
  text: string,
  extra: Partial<Omit<Issue, 'code' | 'message' | 'line' | 'text' | 'source'>> = {},
  severity: Severity = 'error',
): Issue {
  if (text === '') {
    const loc = ctx.source === undefined ? { line, ...extra } : { source: ctx.source, line, ...extra };
    return issue(code, message, { severity, ...loc });
  }
  return issue(code, `${message} in line ${JSON.stringify(text)}`, { severity, ...at(ctx, line, text, extra) });
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 32) return false;
  return true;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

const NOT_ASCII = /[^\u0000-\u007f]/;
const NOT_LATIN1 = /[^\u0000-\u00ff]/;

/**
 * `{ record }` for issues on a line: its record type (columns 7-8), as written even when it is not two
 * digits; nothing for a line too short to have one.
 */
export function recordOf(text: string): { record?: string } {
  return text.length >= 8 ? { record: text.slice(6, 8) } : {};
}

/** The record type of a line (columns 7-8) when it has one, for issues. */
export function recordTypeOf(text: string): string | undefined {
  return isDigit(text.charCodeAt(6)) && isDigit(text.charCodeAt(7)) ? text.slice(6, 8) : undefined;
}

/**
 * Checks of text that can hold characters above U+00FF (text input, or bytes decoded as UTF-8): the
 * pending `encoding` warning, given with the first line holding a non-ASCII character, and `not_latin1`
 * for a character an OCR giro file (ISO-8859-1) cannot hold, which the writer could not write back.
 */
function wide(ctx: LineContext, text: string, line: number): void {
  if (ctx.encodingNote !== undefined && NOT_ASCII.test(text)) {
    report(
      ctx,
      lineIssue(ctx, 'encoding', ctx.encodingNote, line, text, { expected: 'latin1', actual: 'utf-8' }, 'warning'),
    );
    ctx.encodingNote = undefined;
  }
  const m = NOT_LATIN1.exec(text);
  if (m === null) return;
  const column = m.index + 1;
  const record = recordTypeOf(text);
  const extra: { column: number; actual: string; record?: string; field?: string } = { column, actual: m[0] };
  if (record !== undefined) extra.record = record;
  const codec = text.charCodeAt(0) === 78 && text.charCodeAt(1) === 89 ? codecForLine(ctx.codecs, text) : undefined;
  const f = codec?.fields.find((x) => column >= x.start && column < x.start + x.length);
  if (f !== undefined) extra.field = f.name;
  const cp = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  report(
    ctx,
    lineIssue(
      ctx,
      'not_latin1',
      `${JSON.stringify(m[0])} (U+${cp}) is not a latin-1 (ISO-8859-1) character: an OCR giro file cannot hold it, and it cannot be written back`,
      line,
      text,
      extra,
      'warning',
    ),
  );
}

/**
 * Reads one line into a record, reporting line-level problems: `blank_line`, `tab` (expanded to 8-column
 * stops), `replacement_character`, `record_length`, `invalid_record`, `unknown_record`, and every field
 * problem the codec finds. Never throws for bad content.
 */
export function readRecordLine(ctx: LineContext, original: string, line: number): OcrGiroRecord {
  let text = original;
  ctx.fatal = false;
  const cut = ctx.cutLines;
  if (cut !== undefined && cut.length > 0 && cut[0]![0] === line) {
    const records = cut.shift()![1];
    report(
      ctx,
      lineIssue(
        ctx,
        'line_separator',
        cutLineMessage(line, records, 80),
        line,
        text,
        { column: records === 0 ? 1 : 81 },
        'warning',
      ),
    );
  }
  if (text === DOS_EOF) {
    // MS-DOS tools end a text file with Ctrl-Z (0x1A): not a record, nothing is lost by ignoring it
    report(
      ctx,
      lineIssue(
        ctx,
        'end_of_file_marker',
        'DOS end-of-file character (Ctrl-Z, 0x1A) ignored',
        line,
        text,
        { column: 1, actual: '\\x1a' },
        'warning',
      ),
    );
    return { recordType: 'unknown', reason: 'blank', raw: original, line };
  }
  if (text.length === 0 || isBlank(text)) {
    report(ctx, lineIssue(ctx, 'blank_line', 'blank line (ignored)', line, text, {}, 'warning'));
    return { recordType: 'unknown', reason: 'blank', raw: original, line };
  }
  if (text.indexOf('\t') !== -1) {
    report(ctx, lineIssue(ctx, 'tab', 'tab character (expanded to 8-column stops)', line, text, {}, 'warning'));
    text = expandTabs(text);
  }
  if (ctx.wide === true) wide(ctx, text, line);
  if (text.indexOf('\ufffd') !== -1) {
    report(
      ctx,
      lineIssue(
        ctx,
        'replacement_character',
        'U+FFFD: bytes that did not decode',
        line,
        text,
        { column: text.indexOf('\ufffd') + 1 },
        'warning',
      ),
    );
  }
  if (text.length !== RECORD_LENGTH) {
    const excess = text.length > RECORD_LENGTH ? text.slice(RECORD_LENGTH) : '';
    const bad = excess.length > 0 && !isBlank(excess);
    report(
      ctx,
      lineIssue(
        ctx,
        'record_length',
        `${text.length} characters, ${RECORD_LENGTH} expected${bad ? `; extra ${JSON.stringify(excess)}` : ''}`,
        line,
        text,
        {
          column: Math.min(text.length, RECORD_LENGTH) + 1,
          ...recordOf(text),
          expected: '80',
          actual: String(text.length),
        },
        bad ? 'error' : 'warning',
      ),
    );
  }
  if (text.charCodeAt(0) !== 78 || text.charCodeAt(1) !== 89) {
    report(
      ctx,
      lineIssue(ctx, 'invalid_record', `expected the format code "NY" at columns 1-2`, line, text, {
        column: 1,
        ...recordOf(text),
        field: 'formatCode',
        expected: 'NY',
        actual: text.slice(0, 2),
      }),
    );
    return { recordType: 'unknown', reason: 'invalid', raw: original, line };
  }
  if (!isDigit(text.charCodeAt(6)) || !isDigit(text.charCodeAt(7))) {
    report(
      ctx,
      lineIssue(ctx, 'invalid_record', 'the record type (columns 7-8) is not two digits', line, text, {
        column: 7,
        record: text.slice(6, 8),
        field: 'recordType',
        actual: text.slice(6, 8),
      }),
    );
    return { recordType: 'unknown', reason: 'invalid', raw: original, line };
  }
  const codec = codecForLine(ctx.codecs, text);
  if (codec === undefined) {
    report(
      ctx,
      lineIssue(
        ctx,
        'unknown_record',
        `unknown record type ${text.slice(6, 8)} (ignored)`,
        line,
        text,
        {
          column: 7,
          record: text.slice(6, 8),
          field: 'recordType',
          actual: text.slice(6, 8),
        },
        'warning',
      ),
    );
    return { recordType: 'unknown', reason: 'unknown', raw: original, line };
  }
  const r = codec.read(text, ctx.source === undefined ? { line } : { source: ctx.source, line });
  if (r.issues.length > 0) {
    for (const i of r.issues) {
      if (i.code === 'line_too_long') continue; // reported above as record_length
      if (i.severity === 'error' && i.field !== undefined && ESSENTIAL.has(i.field)) ctx.fatal = true;
      report(ctx, i);
    }
  }
  const rec = r.record as OcrGiroRecord;
  rec.line = line;
  return rec;
}
