import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  parseTotalInRecords,
  record00,
  record10,
  record20,
  record25,
  record30,
  record40,
  record50,
  record51,
  record52,
  record60,
  record61,
  record62,
  record63,
  record70,
  record90,
  record99,
  TOTALIN_CODECS,
  writeTotalInRecords,
} from '@nordfil/totalin/records';
import { describe, expect, it } from 'vitest';

const fixtures = join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => readFileSync(join(fixtures, name));
const rec = (s: string) => s.padEnd(80, ' ');

describe('record layouts (reference 2.4)', () => {
  it('00 start record', () => {
    const line = rec(`00${'TI12345678'.padEnd(12)}2026112006150265432103TL1TOTALIN`);
    const { record, issues } = record00.read(line);
    expect(issues).toEqual([]);
    expect(record).toMatchObject({
      type: '00',
      id: 'TI12345678',
      timestamp: '20261120061502654321',
      deliveryNumber: '03',
      fileType: 'TL1',
      fileName: 'TOTALIN',
    });
    expect(record00.write(record)).toBe(line);
  });

  it('10 account record', () => {
    const line = rec(`10${'4411112'.padEnd(36)}SEK20261119`);
    const { record } = record10.read(line);
    expect(record).toMatchObject({ account: '4411112', currency: 'SEK', bookingDate: '2026-11-19' });
    expect(record10.write(record)).toBe(line);
  });

  it('20 payment: reference 3-37, amount 38-52, serial 53-69, bankgiro 70-77', () => {
    const line = rec(`20${'0'.repeat(25).padEnd(35)}0000000000300001000000000000000256781234`);
    const { record } = record20.read(line);
    expect(record).toMatchObject({
      reference: '0'.repeat(25),
      amount: 30000n,
      serialNumber: '10000000000000002',
      bankgiro: '56781234',
    });
    expect(record20.write(record)).toBe(line);
  });

  it('25 deduction: deduction code at 70, bankgiro 71-78', () => {
    const line = rec(`25${'7350012345702'.padEnd(35)}00000000001000010000000000000004156781234`);
    const { record, issues } = record25.read(line);
    expect(issues).toEqual([]);
    expect(record).toMatchObject({ amount: 10000n, deductionCode: '1', bankgiro: '56781234' });
    expect(record25.write(record)).toBe(line);
  });

  it('25 with an unknown deduction code: warning unknown_code at column 70', () => {
    const { issues } = record25.read(rec(`25${'X'.padEnd(35)}000000000010000100000000000000047`));
    expect(issues).toMatchObject([{ code: 'unknown_code', severity: 'warning', column: 70 }]);
  });

  it('30, 40, 50, 51, 61, 62 share two 35-character fields', () => {
    const two = (t: string) => rec(`${t}${'FIRST'.padEnd(35)}SECOND`);
    expect(record30.read(two('30')).record).toMatchObject({ reference: 'FIRST', secondReference: 'SECOND' });
    expect(record40.read(two('40')).record).toMatchObject({ message: 'FIRST', secondMessage: 'SECOND' });
    expect(record50.read(two('50')).record).toMatchObject({ name: 'FIRST', extraName: 'SECOND' });
    expect(record51.read(two('51')).record).toMatchObject({ street: 'FIRST', street2: 'SECOND' });
    expect(record61.read(two('61')).record).toMatchObject({ name: 'FIRST', extraName: 'SECOND' });
    expect(record62.read(two('62')).record).toMatchObject({ street: 'FIRST', street2: 'SECOND' });
    for (const c of [record30, record40, record50, record51, record61, record62]) {
      expect(c.fields.map((f) => [f.start, f.length])).toEqual([
        [1, 2],
        [3, 35],
        [38, 35],
        [73, 8],
      ]);
    }
  });

  it('52 and 63: postal code 3-11, town 12-46, country 47-48', () => {
    const line = rec(`52${'41256'.padEnd(9)}${'GÖTEBORG'.padEnd(35)}SE`);
    expect(record52.read(line).record).toMatchObject({ postalCode: '41256', town: 'GÖTEBORG', countryCode: 'SE' });
    expect(record63.read(`63${line.slice(2)}`).record).toMatchObject({ town: 'GÖTEBORG' });
  });

  it('60 payer account: account 3-38, type 39, organisation number 40-59', () => {
    const line = rec(`60${'8327912345'.padEnd(36)}1${'5566778899'.padEnd(20)}`);
    expect(record60.read(line).record).toMatchObject({
      account: '8327912345',
      accountType: '1',
      organisationNumber: '5566778899',
    });
  });

  it('70 foreign payment: exchange rate kept as its 12 digits', () => {
    const line = rec(`70000000000001500SEK${' '.repeat(18)}000000000050000EUR000000088000`);
    const { record, issues } = record70.read(line);
    expect(issues).toEqual([]);
    expect(record).toMatchObject({
      bankCost: 1500n,
      costCurrency: 'SEK',
      originalAmount: 50000n,
      originalCurrency: 'EUR',
      exchangeRate: '000000088000',
    });
    expect(record70.write(record)).toBe(line);
  });

  it('90 and 99 control records', () => {
    expect(record90.read(rec('90000000040000000000058500020261119001')).record).toMatchObject({
      count: '00000004',
      total: 585000n,
      statementReference: '20261119001',
    });
    expect(record99.read(rec('99000000000000025')).record.recordCount).toBe('000000000000025');
  });

  it('declares one codec per record type', () => {
    expect(Object.keys(TOTALIN_CODECS).sort()).toEqual(
      ['00', '10', '20', '25', '30', '40', '50', '51', '52', '60', '61', '62', '63', '70', '90', '99'].sort(),
    );
    for (const [type, codec] of Object.entries(TOTALIN_CODECS)) expect(codec.type).toBe(type);
  });
});

describe('parseTotalInRecords / writeTotalInRecords', () => {
  it('reads every line of the valid fixture as a typed record with its line number', () => {
    const { records, issues, layout } = parseTotalInRecords(fixture('valid.txt'), { source: 'valid.txt' });
    expect(issues).toEqual([]);
    expect(layout).toEqual({ encoding: 'latin1', bom: false, lineEnding: '\r\n', finalTerminator: true });
    expect(records.map((r) => r.type).join(' ')).toBe(
      '00 10 20 30 40 40 50 51 52 60 61 63 20 40 60 20 70 25 40 90 10 20 50 90 99',
    );
    expect(records[2]).toMatchObject({ type: '20', line: 3, amount: 125000n });
  });

  it('keeps unknown records and blank lines', () => {
    const { records, issues } = parseTotalInRecords(fixture('valid-unknown-record.txt'));
    expect(records[14]).toMatchObject({ type: 'unknown', code: '45', line: 15 });
    expect(issues).toMatchObject([{ code: 'unknown_record', severity: 'warning', line: 15, column: 1 }]);
    const blank = parseTotalInRecords(fixture('warn-blank-line.txt'));
    expect(blank.records.at(-1)).toMatchObject({ type: 'blank', line: 26 });
  });

  it('reports a record code that is not two digits as invalid_record', () => {
    const { records, issues } = parseTotalInRecords(fixture('broken-invalid-record.txt'));
    expect(records[13]).toMatchObject({ type: 'unknown', code: 'X0' });
    expect(issues).toMatchObject([{ code: 'invalid_record', severity: 'error', line: 14, column: 1 }]);
  });

  for (const name of readdirSync(fixtures).filter((f) => f.endsWith('.txt'))) {
    it(`writes ${name} back byte for byte`, () => {
      const bytes = fixture(name);
      const parsed = parseTotalInRecords(bytes);
      expect(Buffer.from(writeTotalInRecords(parsed.records, parsed.layout)).equals(bytes)).toBe(true);
    });
  }

  it('writes records built in code in canonical 80-column form', () => {
    const out = writeTotalInRecords(
      [
        { type: '40', message: 'TACK', secondMessage: '', reserved: '' },
        { type: '99', recordCount: '2', reserved: '' },
      ],
      { lineEnding: '\n' },
    );
    expect(Buffer.from(out).toString('latin1')).toBe(`${rec('40TACK')}\n${rec('99000000000000002')}\n`);
  });
});
