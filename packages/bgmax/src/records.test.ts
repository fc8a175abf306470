import {
  type BgmaxRecord,
  formatBgmaxRecord,
  parseBgmaxRecords,
  readBgmaxRecord,
  tk01,
  tk05,
  tk15,
  tk20,
  tk21,
  tk22,
  tk23,
  tk25,
  tk26,
  tk27,
  tk28,
  tk29,
  tk70,
  writeBgmaxRecords,
} from '@nordfil/bgmax/records';
import { describe, expect, it } from 'vitest';
import { fixture, fixtureText, pad, where } from '../test/support.js';

const lines = fixtureText('valid-basic.txt').split('\r\n');
const line = (n: number): string => lines[n - 1]!;

describe('record codecs: one per transaction code, exact inverses', () => {
  const cases: [
    string,
    { write(r: never): string; read(t: string): { record: unknown; issues: readonly unknown[] } },
    number,
  ][] = [
    ['TK01', tk01, 1],
    ['TK05', tk05, 2],
    ['TK20', tk20, 3],
    ['TK22', tk22, 4],
    ['TK25', tk25, 5],
    ['TK26', tk26, 6],
    ['TK27', tk27, 7],
    ['TK28', tk28, 8],
    ['TK29', tk29, 9],
    ['TK21', tk21, 11],
    ['TK15', tk15, 12],
    ['TK05 with plusgiro', tk05, 13],
    ['TK23', tk23, 15],
    ['TK28 foreign', tk28, 18],
    ['TK70', tk70, 20],
  ];
  for (const [name, codec, n] of cases) {
    it(`${name} reads line ${n} without issues and writes it back`, () => {
      const { record, issues } = codec.read(line(n));
      expect(issues).toEqual([]);
      expect(codec.write(record as never)).toBe(line(n));
    });
  }
});

describe('readBgmaxRecord', () => {
  it('reads TK01 with the 20-digit timestamp as text', () => {
    const { record, issues } = readBgmaxRecord(line(1), { line: 1 });
    expect(issues).toEqual([]);
    expect(record).toMatchObject({
      type: '01',
      layoutName: 'BGMAX',
      layoutVersion: '01',
      timestamp: '20261123093015123456',
      testMark: 'P',
    });
  });

  it('reads TK05 with and without a plusgiro number', () => {
    expect(readBgmaxRecord(line(2)).record).toMatchObject({
      type: '05',
      bankgiro: '0009912346',
      plusgiro: '',
      currency: 'SEK',
    });
    expect(readBgmaxRecord(line(13)).record).toMatchObject({ plusgiro: '0001234567' });
  });

  it('reads TK20: reference right-aligned under code 2 (leading blanks kept), amount in öre', () => {
    const r = readBgmaxRecord(line(3)).record;
    expect(r).toMatchObject({
      type: '20',
      senderBankgiro: '0003783511',
      reference: '                    65599',
      amount: 100000n,
      referenceCode: '2',
      channel: '1',
      serialNumber: '000120000018',
      imageFlag: '0',
    });
  });

  it('reads TK21 with its deduction code (avdragskod)', () => {
    expect(readBgmaxRecord(line(11)).record).toMatchObject({ type: '21', amount: 20000n, deductionCode: '1' });
  });

  it('reads TK22 and TK23 with the same layout', () => {
    expect(readBgmaxRecord(line(4)).record).toMatchObject({ type: '22', amount: 0n, referenceCode: '2' });
    expect(readBgmaxRecord(line(15)).record).toMatchObject({ type: '23', reference: 'KREDIT 9', amount: 10000n });
  });

  it('keeps leading blanks of TK25 text', () => {
    expect(readBgmaxRecord(line(5)).record).toMatchObject({ type: '25', text: ' Faktura 65599 och 65600' });
  });

  it('reads TK26-TK29 (latin-1 letters kept)', () => {
    expect(readBgmaxRecord(line(6)).record).toMatchObject({ name: 'Kalles Plåt AB', extraName: 'Avd. Ekonomi' });
    expect(readBgmaxRecord(line(7)).record).toMatchObject({ address: 'Storgatan 2', postalCode: '12345' });
    expect(readBgmaxRecord(line(18)).record).toMatchObject({ town: 'OSLO', country: 'NORGE', countryCode: 'NO' });
    expect(readBgmaxRecord(line(9)).record).toMatchObject({ organisationNumber: '005500001234' });
  });

  it('reads TK15 and TK70', () => {
    expect(readBgmaxRecord(line(12)).record).toMatchObject({
      type: '15',
      bankAccount: '00000000000000000005841000001009823',
      paymentDate: '2026-11-23',
      depositSerial: '00042',
      amount: 330050n,
      currency: 'SEK',
      count: '00000003',
      depositType: '',
    });
    expect(readBgmaxRecord(line(20)).record).toMatchObject({
      payments: '00000003',
      deductions: '00000001',
      extraReferences: '00000002',
      deposits: '00000002',
    });
  });

  it('pads short records and warns (record_length), accepts blank excess, rejects non-blank excess', () => {
    const short = readBgmaxRecord('7000000001000000000000000000000001', { line: 9 });
    expect(where(short.issues)).toEqual(['record_length@9:35']);
    expect(short.record).toMatchObject({ type: '70', deposits: '00000001' });
    expect(where(readBgmaxRecord(`${line(5)}        `, { line: 4 }).issues)).toEqual(['record_length@4:81']);
    const long = readBgmaxRecord(`${line(5)}XX`, { line: 4 });
    expect(long.issues.map((i) => [i.code, i.severity])).toEqual([['record_length', 'error']]);
  });

  it('expands tabs to 8-column stops (tab warning)', () => {
    const text = `220003783511\t\t        65600${'0'.repeat(18)}21000120000018 0`.replace(' 0', '0');
    const { record, issues } = readBgmaxRecord(text, { line: 4 });
    expect(where(issues)).toContain('tab@4:13');
    expect(record).toMatchObject({ type: '22', reference: '                    65600', amount: 0n });
  });

  it('warns about the sender bankgiro written as 9 digits and a blank (field_format)', () => {
    const { record, issues } = readBgmaxRecord(`20009701233 ${line(3).slice(12)}`, { line: 3 });
    expect(where(issues)).toEqual(['field_format@3:3']);
    expect(issues[0]!.severity).toBe('warning');
    expect(record).toMatchObject({ senderBankgiro: '009701233' });
  });

  it('rejects a sender bankgiro that is not digits (invalid_digits)', () => {
    const { issues } = readBgmaxRecord(`2000037X3511${line(3).slice(12)}`, { line: 3 });
    expect(where(issues, 'error')).toEqual(['invalid_digits@3:3']);
  });

  it('warns about an organisation number of 11 digits and a blank', () => {
    expect(where(readBgmaxRecord(pad('2900550000432 '), { line: 9 }).issues, 'warning')).toEqual(['field_format@9:3']);
    expect(where(readBgmaxRecord(pad('290055000043A'), { line: 9 }).issues, 'error')).toEqual(['invalid_digits@9:3']);
  });

  it('warns about a left-aligned reference under code 2 and blank serial/image flag (Autogiro example)', () => {
    const text = `200003783511${'65598'.padEnd(25)}${'10000'.padStart(18, '0')}24`;
    const { record, issues } = readBgmaxRecord(text, { line: 3 });
    expect(where(issues).sort()).toEqual(['field_format@3:13', 'field_format@3:58', 'record_length@3:58']);
    expect(record).toMatchObject({ serialNumber: '', imageFlag: '', channel: '4' });
  });

  it('reports invalid digits, amounts, dates and codes with their columns', () => {
    expect(
      where(readBgmaxRecord(`${line(3).slice(0, 37)}00000000000010O000${line(3).slice(55)}`, { line: 3 }).issues),
    ).toEqual(['invalid_amount@3:38']);
    expect(
      where(readBgmaxRecord(`${line(12).slice(0, 37)}20261332${line(12).slice(45)}`, { line: 12 }).issues),
    ).toEqual(['invalid_date@12:38']);
    expect(where(readBgmaxRecord(`${line(3).slice(0, 55)}7${line(3).slice(56)}`, { line: 3 }).issues)).toEqual([
      'unknown_code@3:56',
    ]);
    expect(where(readBgmaxRecord(`${line(11).slice(0, 70)}3${line(11).slice(71)}`, { line: 11 }).issues)).toEqual([
      'unknown_code@11:71',
    ]);
    expect(where(readBgmaxRecord(pad('05000991234X          SEK'), { line: 2 }).issues)).toEqual([
      'invalid_digits@2:3',
    ]);
    expect(where(readBgmaxRecord(pad('050009912346          NOK'), { line: 2 }).issues)).toEqual(['unknown_code@2:23']);
  });

  it('keeps data in reserved columns with a warning (filler_not_blank)', () => {
    expect(where(readBgmaxRecord(pad('7000000001000000000000000000000001 X'), { line: 5 }).issues)).toEqual([
      'filler_not_blank@5:35',
    ]);
  });

  it('warns about an unknown two-digit code and keeps the record verbatim', () => {
    const { record, issues } = readBgmaxRecord(pad('99NEW'), { line: 7 });
    expect(record).toEqual({ type: 'unknown', code: '99', raw: pad('99NEW') });
    expect(issues.map((i) => [i.code, i.severity, i.line, i.column])).toEqual([['unknown_record', 'warning', 7, 1]]);
  });

  it('rejects a code that is not two digits (invalid_record)', () => {
    const { record, issues } = readBgmaxRecord(pad('X5JUNK'), { line: 6 });
    expect(record).toMatchObject({ type: 'unknown', code: 'X5' });
    expect(where(issues, 'error')).toEqual(['invalid_record@6:1']);
  });

  it('flags replacement characters and characters outside latin-1', () => {
    expect(where(readBgmaxRecord(pad('26Kalles Pl\ufffdt AB'), { line: 6 }).issues)).toEqual([
      'replacement_character@6:12',
    ]);
    expect(where(readBgmaxRecord(pad('26Olles f\u2030rg AB'), { line: 6 }).issues)).toEqual(['not_latin1@6:10']);
    expect(where(readBgmaxRecord(pad('26Kalles Pl\u00c2t AB'), { line: 6 }).issues)).toEqual(['suspicious_text@6:12']);
  });

  it('every issue carries the quoted line', () => {
    const { issues } = readBgmaxRecord(pad('05000991234X          SEK'), { line: 2, source: 'f.txt' });
    expect(issues[0]).toMatchObject({
      source: 'f.txt',
      record: 'TK05',
      field: 'bankgiro',
      text: pad('05000991234X          SEK'),
    });
  });
});

describe('parseBgmaxRecords / writeBgmaxRecords', () => {
  it('keeps every line, with raw text, number and line ending', () => {
    const { records, issues, format } = parseBgmaxRecords(fixture('valid-basic.txt'));
    expect(issues).toEqual([]);
    expect(records).toHaveLength(20);
    expect(records[2]).toMatchObject({ type: '20', line: 3, raw: line(3), terminator: '\r\n' });
    expect(format).toEqual({ encoding: 'latin1', bom: false, lineEnding: '\r\n', finalTerminator: true });
  });

  for (const name of [
    'valid-basic.txt',
    'valid-stream.txt',
    'valid-lf.txt',
    'valid-quirks.txt',
    'valid-autogiro.txt',
    'broken-truncated.txt',
  ]) {
    it(`reproduces ${name} byte for byte`, () => {
      const bytes = fixture(name);
      const { records, format } = parseBgmaxRecords(bytes);
      expect(Buffer.from(writeBgmaxRecords(records, format)).equals(Buffer.from(bytes))).toBe(true);
    });
  }

  it('writes a changed record in canonical form, the others as read', () => {
    const bytes = fixture('valid-quirks.txt');
    const { records, format } = parseBgmaxRecords(bytes);
    const tk26 = records[5] as Extract<BgmaxRecord, { type: '26' }>;
    tk26.name = 'Nytt Namn AB';
    const out = Buffer.from(writeBgmaxRecords(records, format)).toString('latin1').split('\r\n');
    expect(out[5]).toBe(pad('26Nytt Namn AB'));
    expect(out[0]).toBe(records[0]!.raw);
    expect(out[3]).toContain('\t');
  });

  it('writes records built in code in canonical 80-column form', () => {
    const out = writeBgmaxRecords(
      [
        { type: '25', text: 'Hej' },
        { type: '70', payments: '1', deductions: '0', extraReferences: '0', deposits: '1' },
      ],
      { lineEnding: '\n', finalTerminator: false },
    );
    expect(Buffer.from(out).toString('latin1')).toBe(`${pad('25Hej')}\n${pad('7000000001000000000000000000000001')}`);
  });

  it('zero-pads a short sender bankgiro and organisation number written in code', () => {
    const rec = { type: '29' as const, organisationNumber: '5500001234' };
    expect(formatBgmaxRecord(rec)).toBe(pad('29005500001234'));
  });

  it('refuses invalid values, listing every field', () => {
    expect(() => writeBgmaxRecords([{ type: '05', bankgiro: '12X', currency: 'NOK' as 'SEK' }])).toThrowError(
      /bankgiro[\s\S]*currency/,
    );
  });
});
