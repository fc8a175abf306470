/**
 * Internal: the record reader, the BGMax rules around the codecs (physical checks of a line, the
 * known quirks of Bankgirot's example files, code remapping), shared by every parser.
 */
import { expandTabs, type IssueCollector, type RecordCodec } from '@nordfil/core';
import { type BgmaxRecord, bgmaxCodecs, RECORD_LENGTH, type Tk01, type Tk15, type Tk20, type Tk29 } from './layouts.js';

// ASCII printable and the Nordic letters: anything else is looked at closely
const UNUSUAL = /[^\x20-\x7e\xc4\xc5\xd6\xe4\xe5\xf6\xc6\xd8\xe6\xf8\xc9\xe9\xdc\xfc\xc8\xe8]/;

const CODEC_CODE_MAP: Readonly<Record<string, string>> = {
  line_too_long: 'record_length',
  invalid_constant: 'unknown_code',
};

/**
 * Whether a record has free-text fields worth a character check (references, names, messages):
 * other fields are digits or codes, which their own checks reject when they hold anything else.
 */
function hasText(t: string): boolean {
  const c0 = t.charCodeAt(0);
  return c0 === 50 || (c0 === 48 && t.charCodeAt(1) === 49);
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isDigitCode(s.charCodeAt(i))) return false;
  return true;
}

export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 32) return false;
  return true;
}

const q = (s: string): string => JSON.stringify(s);

/**
 * The record reader with the BGMax rules around the codecs (internal, allocation-light; the
 * public {@link readBgmaxRecord} wraps it).
 */
export class RecordReader {
  private readonly loc: { source?: string; line: number };
  /** Fields of the last record read that hold an error (empty when the record is valid). */
  readonly bad = new Set<string>();

  constructor(private readonly issues: IssueCollector) {
    this.loc = issues.source === undefined ? { line: 0 } : { source: issues.source, line: 0 };
  }

  /** Reads one non-blank line. */
  read(text: string, line: number): BgmaxRecord {
    if (this.bad.size > 0) this.bad.clear();
    let t = text;
    if (t.length !== RECORD_LENGTH || t.indexOf('\t') !== -1 || (hasText(t) && UNUSUAL.test(t))) {
      t = this.physical(text, line);
    }
    const c0 = t.charCodeAt(0);
    const c1 = t.charCodeAt(1);
    if (!isDigitCode(c0) || !isDigitCode(c1)) {
      const code = t.slice(0, 2);
      this.issues.report('invalid_record', `record code ${q(code)} is not two digits: not a BGMax record`, {
        line,
        column: 1,
        field: 'type',
        text,
        actual: code,
      });
      return { type: 'unknown', code, raw: text };
    }
    const code = t.slice(0, 2);
    const codec = (bgmaxCodecs as Record<string, RecordCodec<unknown, never>>)[code];
    if (codec === undefined) {
      this.issues.report('unknown_record', `unknown record type ${code}: ignored (the layout may be extended)`, {
        severity: 'warning',
        line,
        column: 1,
        record: `TK${code}`,
        field: 'type',
        text,
        actual: code,
      });
      return { type: 'unknown', code, raw: text };
    }
    this.loc.line = line;
    const r = codec.read(t, this.loc);
    const rec = r.record as BgmaxRecord;
    if (r.issues.length > 0) {
      const item = code === '20' || code === '21';
      for (const i of r.issues) {
        if (i.severity === 'error' && i.field !== undefined) this.bad.add(i.field);
        const mapped = CODEC_CODE_MAP[i.code];
        // an item whose amount cannot be read is kept in the objects but is not a payment (objects.ts)
        const message =
          item && i.field === 'amount' && i.severity === 'error'
            ? `${i.message}: the ${code === '20' ? 'payment' : 'deduction'} is not mapped to a Payment (its amount is unknown)`
            : i.message;
        this.issues.add({ ...i, ...(mapped === undefined ? {} : { code: mapped }), message, text });
      }
    }
    switch (code) {
      case '20':
      case '21':
      case '22':
      case '23':
        this.checkPaymentFields(rec as Tk20, t, text, line);
        break;
      case '29':
        this.checkOrganisationNumber(rec as Tk29, text, line);
        break;
      case '15':
        this.checkDeposit(rec as Tk15, text, line);
        break;
      case '01':
        if ((rec as Tk01).layoutVersion !== '01') {
          this.warn(
            'unknown_code',
            line,
            23,
            'TK01',
            'layoutVersion',
            text,
            `layout version ${q((rec as Tk01).layoutVersion)} is not 01`,
          );
        }
        break;
    }
    return rec;
  }

  private warn(
    code: string,
    line: number,
    column: number,
    record: string,
    field: string,
    text: string,
    message: string,
    actual?: string,
    severity: 'warning' | 'error' = 'warning',
  ): void {
    if (severity === 'error') this.bad.add(field);
    this.issues.report(code, `${message} in line ${q(text)}`, {
      severity,
      line,
      column,
      record,
      field,
      text,
      ...(actual === undefined ? {} : { actual }),
    });
  }

  /** Length, tabs and characters; returns the text to slice (tabs expanded). */
  private physical(text: string, line: number): string {
    let t = text;
    const record =
      isDigitCode(text.charCodeAt(0)) && isDigitCode(text.charCodeAt(1)) ? `TK${text.slice(0, 2)}` : undefined;
    const rec = record === undefined ? {} : { record };
    if (t.indexOf('\t') !== -1) {
      t = expandTabs(text, 8);
      let n = 0;
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 9) n++;
      this.issues.report(
        'tab',
        `${n} TAB character${n === 1 ? '' : 's'} where blanks belong: expanded to 8-column tab stops`,
        {
          severity: 'warning',
          line,
          column: text.indexOf('\t') + 1,
          ...rec,
          text,
        },
      );
    }
    if (t.length < RECORD_LENGTH) {
      this.issues.report('record_length', `record of ${t.length} characters, padded with blanks to ${RECORD_LENGTH}`, {
        severity: 'warning',
        line,
        column: t.length + 1,
        ...rec,
        text,
        expected: String(RECORD_LENGTH),
        actual: String(t.length),
      });
    } else if (t.length > RECORD_LENGTH && isBlank(t.slice(RECORD_LENGTH))) {
      this.issues.report(
        'record_length',
        `record of ${t.length} characters; the characters beyond ${RECORD_LENGTH} are blanks`,
        {
          severity: 'warning',
          line,
          column: RECORD_LENGTH + 1,
          ...rec,
          text,
          expected: String(RECORD_LENGTH),
          actual: String(t.length),
        },
      );
    }
    if (UNUSUAL.test(t)) {
      let fffd = -1;
      let wide = -1;
      let odd = -1;
      for (let i = 0; i < t.length; i++) {
        const c = t.charCodeAt(i);
        if (c >= 0x20 && c <= 0x7e) continue;
        if (c === 0xfffd) {
          if (fffd < 0) fffd = i;
        } else if (c > 0xff) {
          if (wide < 0) wide = i;
        } else if (!UNUSUAL.test(t[i]!)) continue;
        else if (odd < 0) odd = i;
      }
      if (fffd >= 0) {
        this.issues.report(
          'replacement_character',
          'U+FFFD replacement characters: letters were lost when the file was converted',
          {
            severity: 'warning',
            line,
            column: fffd + 1,
            text,
          },
        );
      }
      if (wide >= 0) {
        const ch = t[wide]!;
        this.issues.report(
          'not_latin1',
          `character ${q(ch)} (U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}) cannot be written in ISO-8859-1`,
          {
            severity: 'warning',
            line,
            column: wide + 1,
            text,
            actual: ch,
          },
        );
      }
      if (odd >= 0) {
        const ch = t[odd]!;
        this.issues.report(
          'suspicious_text',
          `unexpected character ${q(ch)} (U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}): a control character, or text in another encoding`,
          { severity: 'warning', line, column: odd + 1, text, actual: ch },
        );
      }
    }
    return t;
  }

  private checkPaymentFields(rec: Tk20, t: string, text: string, line: number): void {
    const label = `TK${rec.type}`;
    const bg = rec.senderBankgiro;
    if (bg.length !== 10 || !allDigits(bg)) {
      if (bg.length === 9 && allDigits(bg)) {
        this.warn(
          'field_format',
          line,
          3,
          label,
          'senderBankgiro',
          text,
          `sender bankgiro ${q(`${bg} `)}: 9 digits and a blank instead of 10 zero-padded digits (a known error in Bankgirot's examples)`,
          `${bg} `,
        );
      } else {
        this.warn(
          'invalid_digits',
          line,
          3,
          label,
          'senderBankgiro',
          text,
          `sender bankgiro ${q(t.slice(2, 12))} is not 10 digits`,
          t.slice(2, 12),
          'error',
        );
      }
    }
    if (rec.referenceCode === '2') {
      const ref = rec.reference;
      let s = 0;
      while (s < ref.length && ref.charCodeAt(s) === 32) s++;
      const digits = ref.slice(s);
      if (digits.length > 0 && ref.length < 25) {
        this.warn(
          'field_format',
          line,
          13,
          label,
          'reference',
          text,
          `reference code 2 calls for a right-aligned number, but the reference ${q(digits)} is left-aligned`,
          t.slice(12, 37),
        );
      } else if (digits.length > 0 && !allDigits(digits)) {
        this.warn(
          'field_format',
          line,
          13,
          label,
          'reference',
          text,
          `reference code 2 calls for digits, found ${q(digits)}`,
          t.slice(12, 37),
        );
      }
    }
    if (rec.serialNumber === '' && rec.imageFlag === '') {
      this.warn(
        'field_format',
        line,
        58,
        label,
        'serialNumber',
        text,
        'columns 58-70 are blank: no BGC serial number and no image flag (as in the 2009 Autogiro-in-BGMax example)',
      );
    } else if (rec.serialNumber === '') {
      this.warn(
        'invalid_digits',
        line,
        58,
        label,
        'serialNumber',
        text,
        'BGC serial number is blank',
        t.slice(57, 69),
        'error',
      );
    } else if (rec.imageFlag === '') {
      this.warn(
        'unknown_code',
        line,
        70,
        label,
        'imageFlag',
        text,
        'image flag is blank; expected 0 or 1',
        ' ',
        'error',
      );
    }
  }

  private checkOrganisationNumber(rec: Tk29, text: string, line: number): void {
    const org = rec.organisationNumber;
    if (org.length === 12 && allDigits(org)) return;
    if (org.length === 11 && allDigits(org)) {
      this.warn(
        'field_format',
        line,
        3,
        'TK29',
        'organisationNumber',
        text,
        `organisation number ${q(`${org} `)}: 11 digits and a blank instead of 12 zero-padded digits (a known error in Bankgirot's examples)`,
        `${org} `,
      );
    } else {
      this.warn(
        'invalid_digits',
        line,
        3,
        'TK29',
        'organisationNumber',
        text,
        `organisation number ${q(org)} is not 12 digits`,
        org,
        'error',
      );
    }
  }

  private checkDeposit(rec: Tk15, text: string, line: number): void {
    const dt = rec.depositType;
    if (dt !== '' && dt !== 'K' && dt !== 'D') {
      this.warn(
        'unknown_code',
        line,
        80,
        'TK15',
        'depositType',
        text,
        `deposit type ${q(dt)} is not K, D or blank`,
        dt,
      );
    }
    const acc = rec.bankAccount;
    if (acc.length === 35 && allDigits(acc)) {
      for (let i = 0; i < 19; i++) {
        if (acc.charCodeAt(i) !== 48) {
          this.warn(
            'field_format',
            line,
            3,
            'TK15',
            'bankAccount',
            text,
            'columns 3-21 of the bank account are not zeros (only the clearing number in 22-25 and the account in 26-37 carry data)',
            acc.slice(0, 19),
          );
          break;
        }
      }
    }
  }
}
