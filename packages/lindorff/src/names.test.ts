import { describe, expect, it } from 'vitest';
import { buildFileName, DEFAULT_FILE_NAME_PATTERNS, osloTime, parseFileName } from './names.js';

const winter = new Date('2026-11-23T05:07:09Z'); // 06:07:09 in Oslo (CET)
const summer = new Date('2026-07-01T04:30:15Z'); // 06:30:15 in Oslo (CEST)

describe('file names (Quick3 "Filutveksling for inkasso saker")', () => {
  it('Quick3: the new-cases file is named LS + customer number + date + time stamp', () => {
    expect(buildFileName('LS', { customerNo: '12345', at: winter })).toBe('LS1234520261123060709');
  });
  it('Quick3: the direct payments and corrections file is named RD + customer number + date + time stamp', () => {
    expect(buildFileName('RD', { customerNo: '12345', at: winter })).toBe('RD1234520261123060709');
  });
  it('Quick3: the receipt is named Kvitt_K<number>_ + date + time stamp', () => {
    expect(buildFileName('Kvitt', { customerNo: '12345', at: winter })).toBe('Kvitt_K12345_20261123060709');
  });
  it('Quick3: the payments and closures file is named Avsl_K<number>_ + date + time stamp', () => {
    expect(buildFileName('Avsl', { customerNo: '12345', at: winter })).toBe('Avsl_K12345_20261123060709');
  });
  it('dates and times are Europe/Oslo, summer and winter, whatever the machine zone', () => {
    expect(osloTime(summer)).toEqual({ date: '20260701', time: '063015', iso: '2026-07-01T06:30:15' });
    expect(osloTime(new Date('2026-12-31T23:30:00Z')).date).toBe('20270101');
  });
  it('parses every kind back, in a folder or not, with an optional extension', () => {
    for (const kind of ['LS', 'RD', 'Kvitt', 'Avsl'] as const) {
      const name = buildFileName(kind, { customerNo: '987', at: summer });
      expect(parseFileName(`ut/${name}`)).toMatchObject({
        kind,
        customerNo: '987',
        date: '2026-07-01',
        time: '06:30:15',
        name,
      });
    }
    expect(parseFileName('Kvitt_K987_20260701063015.txt')?.extension).toBe('.txt');
  });
  it('a customer number that ends in digits is still split from the date (the date and time are the last 14 digits)', () => {
    expect(parseFileName('LS98765432120260701063015')).toMatchObject({ customerNo: '987654321', date: '2026-07-01' });
  });
  it('leaves unrelated and impossible names alone', () => {
    expect(parseFileName('README.txt')).toBeUndefined();
    expect(parseFileName('Kvitt_K1_20261332060000')).toBeUndefined();
    expect(parseFileName('Kvitt_K1_20261123250000')).toBeUndefined();
    expect(parseFileName('LS1234520261123060709', DEFAULT_FILE_NAME_PATTERNS, ['Kvitt', 'Avsl'])).toBeUndefined();
  });
  it('patterns are configurable: the agency may add separators or extensions', () => {
    const patterns = { ...DEFAULT_FILE_NAME_PATTERNS, Kvitt: 'KV-{customerNo}-{yyyyMMdd}-{HHmmss}.csv' };
    const name = buildFileName('Kvitt', { customerNo: '12345', at: winter }, patterns);
    expect(name).toBe('KV-12345-20261123-060709.csv');
    expect(parseFileName(name, patterns)?.kind).toBe('Kvitt');
  });
  it('refuses a pattern without its tokens and a customer number that cannot be in a file name', () => {
    expect(() =>
      buildFileName('LS', { customerNo: '1', at: winter }, { ...DEFAULT_FILE_NAME_PATTERNS, LS: 'LS{yyyyMMdd}' }),
    ).toThrow(/customerNo/);
    expect(() => buildFileName('LS', { customerNo: '12/45', at: winter })).toThrow(/letters and digits/);
  });
});
