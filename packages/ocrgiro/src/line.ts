/**
 * Reading one line into a record, with the line-level checks shared by every reader.
 */
import { expandTabs, type Issue, issue, type Severity } from '@nordfil/core';
import { codecForLine, type OcrGiroCodecs, type OcrGiroRecord, RECORD_LENGTH } from './codecs.js';
import { type IssueSink, report } from './input.js';

/** Where issues go while reading lines, and the codecs to read them with. */
export interface LineContext extends IssueSink {
  readonly codecs: OcrGiroCodecs;
}

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

/**
 * Reads one line into a record, reporting line-level problems: `blank_line`, `tab` (expanded to 8-column
 * stops), `replacement_character`, `record_length`, `invalid_record`, `unknown_record`, and every field
 * problem the codec finds. Never throws for bad content.
 */
export function readRecordLine(ctx: LineContext, original: string, line: number): OcrGiroRecord {
  let text = original;
  if (text.length === 0 || isBlank(text)) {
    report(ctx, lineIssue(ctx, 'blank_line', 'blank line (ignored)', line, text, {}, 'warning'));
    return { recordType: 'unknown', reason: 'blank', raw: original, line };
  }
  if (text.indexOf('\t') !== -1) {
    report(ctx, lineIssue(ctx, 'tab', 'tab character (expanded to 8-column stops)', line, text, {}, 'warning'));
    text = expandTabs(text);
  }
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
        { column: Math.min(text.length, RECORD_LENGTH) + 1, expected: '80', actual: String(text.length) },
        bad ? 'error' : 'warning',
      ),
    );
  }
  if (text.charCodeAt(0) !== 78 || text.charCodeAt(1) !== 89) {
    report(
      ctx,
      lineIssue(ctx, 'invalid_record', `expected the format code "NY" at columns 1-2`, line, text, {
        column: 1,
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
      report(ctx, i);
    }
  }
  const rec = r.record as OcrGiroRecord;
  rec.line = line;
  return rec;
}
