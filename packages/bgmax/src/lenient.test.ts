import { type BgmaxFile, parseBgmax, readBgmax, safeParseBgmax, toPayments, writeBgmax } from '@nordfil/bgmax';
import type { Issue, Payment } from '@nordfil/core';
import { describe, expect, it } from 'vitest';
import { fixtureText, insertLine, latin1, pad, replaceLine, where } from '../test/support.js';

const basic = fixtureText('valid-basic.txt');
const lines = basic.split('\r\n');
/** Lines 1-20 of valid-basic.txt: 01, 05, 20 22 25 26 27 28 29, 20, 21, 15, 05, 20 23 26 27 28, 15, 70. */
const line = (n: number): string => lines[n - 1]!;

async function streamedPayments(text: string): Promise<Payment[]> {
  const out: Payment[] = [];
  for await (const p of readBgmax(latin1(text), { mode: 'lenient', yield: 'payments' })) out.push(p);
  return out;
}

const amounts = (ps: readonly Payment[]) => ps.map((p) => `${p.amount.toString()}@${p.source.line}`);
/** `unexpected_record@n:1` for lines `from` to `to`: every record outside a real section is reported. */
const outside = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `unexpected_record@${from + i}:1`);
const items = (f: BgmaxFile) => f.sections.flatMap((s) => s.items.map((i) => `${i.amount.toString()}@${i.line}`));

describe('lenient mode keeps every payment it cannot place', () => {
  const all = ['1000.00@3', '2500.50@10', '-200.00@11', '500.00@14'];

  it('a TK05 with one bad byte: its payments are kept in a section with an unknown bankgiro, closed by the TK15', async () => {
    const text = replaceLine(basic, 2, `O${line(2).slice(1)}`);
    const { file, issues } = parseBgmax(text, { mode: 'lenient' });
    expect(where(issues, 'error')).toEqual(['invalid_record@2:1', ...outside(3, 11)]);
    expect(file.extra).toEqual([{ code: 'O5', raw: `O${line(2).slice(1)}`, line: 2 }]);
    expect(file.sections).toHaveLength(2);
    expect(file.sections[0]).toMatchObject({ bankgiro: '', currency: 'SEK', line: 3 });
    expect(file.sections[0]!.deposit).toMatchObject({ paymentDate: '2026-11-23', line: 12 });
    expect(items(file)).toEqual(all);
    const payments = toPayments(file);
    expect(amounts(payments)).toEqual(all);
    expect(payments[0]!.receivingAccount).toEqual({ kind: 'bankgiro', number: '' });
    expect(payments[0]!.date).toBe('2026-11-23');
    expect(amounts(await streamedPayments(text))).toEqual(all);
  });

  it('a missing TK05: the same', async () => {
    const text = replaceLine(basic, 2, undefined);
    const { file, issues } = parseBgmax(text, { mode: 'lenient' });
    expect(where(issues, 'error')).toEqual(outside(2, 10));
    expect(toPayments(file)).toHaveLength(4);
    expect(await streamedPayments(text)).toHaveLength(4);
  });

  it('the implicit section takes the currency its TK15 declares', () => {
    const eur = replaceLine(
      replaceLine(basic, 1, pad('01BGMAX               0120150101120000000000P')),
      13,
      line(13).replace('SEK', 'EUR'),
    );
    const text = replaceLine(replaceLine(eur, 19, line(19).replace('SEK', 'EUR')), 13, undefined);
    const { file, issues } = parseBgmax(text, { mode: 'lenient' });
    expect(where(issues, 'error')).toEqual(outside(13, 17));
    expect(file.sections[1]).toMatchObject({ bankgiro: '', currency: 'EUR' });
    expect(file.sections[1]!.items[0]!.amount.currency).toBe('EUR');
    expect(file.sections[1]!.items[0]!.extraReferences[0]!.amount.currency).toBe('EUR');
    expect(toPayments(file)[3]).toMatchObject({ currency: 'EUR' });
    // EUR is checked on the TK15 that declares it, as on a TK05 (a warning in a file written before 2016-10-31)
    expect(where(issues, 'warning')).toContain('obsolete_currency@18:69');
  });

  it('a TK01 after a section is not the start: whole and streamed payments agree in every chunking', async () => {
    const text = [line(2), line(3), line(20), line(1), line(13), line(14), line(19), line(20), ''].join('\r\n');
    const { file, issues } = parseBgmax(text, { mode: 'lenient' });
    expect(file.header).toBeUndefined();
    expect(where(issues, 'error')).toContain('unexpected_record@4:1');
    expect(file.extra?.map((u) => [u.code, u.line])).toContainEqual(['01', 4]);
    const whole = toPayments(file).map((p) => [p.id, p.date]);
    expect(whole).toEqual([['bgmax:unknown#6', '2026-11-23']]);
    const bytes = latin1(text);
    for (const size of [1, 82, 164, 4096]) {
      const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) =>
        bytes.subarray(i * size, (i + 1) * size),
      );
      const streamed: (string | undefined)[][] = [];
      for await (const p of readBgmax(chunks, { mode: 'lenient', yield: 'payments' })) streamed.push([p.id, p.date]);
      expect(streamed).toEqual(whole);
    }
  });

  it('two files joined: the second is read on, its TK01 and TK70 are errors and kept aside', async () => {
    const text = basic + basic;
    const { file, issues } = parseBgmax(text, { mode: 'lenient' });
    expect(where(issues, 'error')).toEqual(['unexpected_record@21:1', 'unexpected_record@40:1']);
    expect(file.sections).toHaveLength(4);
    expect(file.extra?.map((u) => [u.code, u.line])).toEqual([
      ['01', 21],
      ['70', 40],
    ]);
    expect(file.trailer?.line).toBe(20);
    expect(toPayments(file)).toHaveLength(8);
    expect(await streamedPayments(text)).toHaveLength(8);
  });

  it('a section after the TK70 is read on with one error', async () => {
    const text = `${basic}${lines.slice(12, 19).join('\r\n')}\r\n`;
    const { file, issues } = parseBgmax(text, { mode: 'lenient' });
    expect(where(issues, 'error')).toEqual(['unexpected_record@21:1']);
    expect(issues[0]!.message).toMatch(/after the TK70 end record on line 20/);
    expect(file.sections).toHaveLength(3);
    expect(toPayments(file)).toHaveLength(5);
    expect(await streamedPayments(text)).toHaveLength(5);
  });

  it('records that cannot be placed are kept in extra', () => {
    const stray = pad('25Efter slutet');
    const text = insertLine(insertLine(basic, 13, stray), 13, line(12));
    const { file, issues } = parseBgmax(text, { mode: 'lenient' });
    expect(where(issues, 'error')).toEqual([
      'unexpected_record@13:1',
      'unexpected_record@14:1',
      'count_mismatch@22:27',
    ]);
    expect(file.extra?.map((u) => [u.code, u.raw, u.line])).toEqual([
      ['15', line(12), 13],
      ['25', stray, 14],
    ]);
  });
});

describe('an amount that cannot be read is not a payment of 0.00', () => {
  const bad = `${line(10).slice(0, 45)}O${line(10).slice(46)}`;
  const text = replaceLine(basic, 10, bad);

  it('the item is kept, marked, and not mapped; the section total is not checked', async () => {
    const { file, issues } = parseBgmax(text, { mode: 'lenient' });
    expect(where(issues)).toEqual(['invalid_amount@10:38', 'control_total_unchecked@12:51']);
    const [amount, unchecked] = issues as [Issue, Issue];
    expect(amount.message).toMatch(/not mapped to a Payment/);
    expect(unchecked).toMatchObject({ severity: 'warning', record: 'TK15', text: line(12) });
    const item = file.sections[0]!.items[1]!;
    expect(item).toMatchObject({ line: 10, invalid: ['amount'], raw: bad });
    expect(file.sections[0]!.items[0]!.invalid).toBeUndefined();
    const expected = ['1000.00@3', '-200.00@11', '500.00@14'];
    expect(amounts(toPayments(file))).toEqual(expected);
    expect(amounts(await streamedPayments(text))).toEqual(expected);
  });

  it('an unreadable amount does not make a false negative total either', () => {
    const { issues } = parseBgmax(replaceLine(basic, 3, `${line(3).slice(0, 40)}X${line(3).slice(41)}`), {
      mode: 'lenient',
    });
    expect(where(issues).filter((i) => !i.startsWith('invalid_amount'))).toEqual(['control_total_unchecked@12:51']);
  });

  it('writing the unchanged file gives the line back (and the declared deposit amount)', () => {
    const { file } = parseBgmax(text, { mode: 'lenient' });
    expect(Buffer.from(writeBgmax(file)).toString('latin1')).toBe(text);
  });
});

describe('issues quote their line', () => {
  const complete = (i: Issue) => [i.code, i.line, i.column, i.record, i.text];

  it('control records, structure and physical layout', () => {
    const text = [
      pad('99x'),
      line(1),
      line(2),
      pad('25orphan'),
      line(3),
      line(6),
      line(5),
      line(6),
      line(10).replace('    ', '\t'),
      line(12).replace('SEK', 'EUR'),
      pad('0500099123460001234567EUR'),
      line(12).slice(0, 40),
      line(20),
      line(14),
    ].join('\r\n');
    const { issues } = parseBgmax(`${text}\r\n`, { mode: 'lenient' });
    const codes = new Set(issues.map((i) => i.code));
    for (const code of [
      'orphan_record',
      'record_order',
      'unexpected_record',
      'tab',
      'record_length',
      'control_total_mismatch',
      'count_mismatch',
      'currency_mismatch',
      'obsolete_currency',
    ]) {
      expect(codes).toContain(code);
    }
    for (const i of issues) {
      if (i.code === 'unknown_record' || i.code === 'missing_final_newline') continue;
      expect(
        complete(i).every((x) => x !== undefined),
        `${i.code}@${i.line}`,
      ).toBe(true);
    }
    const at = (code: string) => issues.find((i) => i.code === code)!;
    expect(at('control_total_mismatch').text).toBe(line(12).replace('SEK', 'EUR'));
    expect(at('obsolete_currency').text).toBe(pad('0500099123460001234567EUR'));
    expect(at('tab')).toMatchObject({ record: 'TK20', line: 9 });
    expect(at('count_mismatch')).toMatchObject({ record: 'TK15', line: 10, text: line(12).replace('SEK', 'EUR') });
  });

  it('unclosed sections, empty sections, negative totals, missing start', () => {
    const checks: [string, string, number, string][] = [
      [replaceLine(basic, 12, undefined), 'unclosed_section', 2, line(2)],
      [insertLine(basic, 13, line(12)).replace(line(12), line(12)), 'unexpected_record', 13, line(12)],
      [replaceLine(basic, 1, undefined), 'missing_start', 1, line(2)],
      [lines.slice(0, 2).concat(lines.slice(11)).join('\r\n'), 'section_without_payments', 3, line(12)],
      [
        replaceLine(basic, 11, `${line(11).slice(0, 37)}000000000099999999${line(11).slice(55)}`),
        'negative_total',
        12,
        line(12),
      ],
    ];
    for (const [text, code, at, quoted] of checks) {
      const i = parseBgmax(text, { mode: 'lenient' }).issues.find((x) => x.code === code)!;
      expect(i, code).toMatchObject({ line: at, column: 1, text: quoted });
      expect(i.record).toMatch(/^TK\d\d$/);
    }
  });

  it('a missing end record points at the last line and quotes it, whatever record it is', () => {
    for (const n of [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18]) {
      const text = `${lines.slice(0, n).join('\r\n')}\r\n`;
      const { issues } = parseBgmax(text, { mode: 'lenient' });
      const end = issues.find((i) => i.code === 'missing_end')!;
      expect(end, `cut after line ${n}`).toMatchObject({
        line: n,
        column: 1,
        record: `TK${line(n).slice(0, 2)}`,
        text: line(n),
      });
    }
  });

  it('a truncated file: the column where the record is cut', () => {
    const text = `${lines.slice(0, 3).join('\r\n')}\r\n${line(4).slice(0, 30)}`;
    const i = parseBgmax(text, { mode: 'lenient' }).issues.find((x) => x.code === 'truncated_file')!;
    expect(i).toMatchObject({ line: 4, column: 31, record: 'TK22', text: line(4).slice(0, 30) });
  });
});

describe('smaller fixes', () => {
  it('an orphan TK22 inside a section is counted for TK70 like any other', () => {
    const text = insertLine(basic, 3, line(4));
    const { issues } = parseBgmax(replaceLine(text, 21, `${line(20).slice(0, 18)}00000003${line(20).slice(26)}`), {
      mode: 'lenient',
    });
    expect(where(issues, 'error')).toEqual(['orphan_record@3:1']);
  });

  it('an unknown record before the TK01 is a warning, kept, and the TK01 is the start', () => {
    const text = `${pad('99A RECORD FROM A LATER VERSION')}\r\n${basic}`;
    const r = safeParseBgmax(text);
    expect(r.success).toBe(true);
    if (!r.success) return;
    expect(where(r.warnings)).toEqual(['unknown_record@1:1']);
    expect(r.data.header?.line).toBe(2);
    expect(r.data.extra).toEqual([{ code: '99', raw: pad('99A RECORD FROM A LATER VERSION'), line: 1 }]);
    expect(Buffer.from(writeBgmax(r.data)).toString('latin1')).toBe(text);
  });
});
