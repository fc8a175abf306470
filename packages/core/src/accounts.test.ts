import { describe, expect, it } from 'vitest';
import {
  clearingInfo,
  formatPlusgiro,
  isBankgiro,
  isNorwegianBankAccount,
  isPlusgiro,
  isSwedishBankAccount,
  parseBankgiro,
  parseNorwegianBankAccount,
  parsePlusgiro,
  parseSwedishBankAccount,
} from './accounts.js';
import { luhnCheckDigit } from './checkdigits.js';
import { NordfilError } from './errors.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NordfilError);
    return (e as NordfilError).code;
  }
  throw new Error('expected a NordfilError');
}

describe('bankgiro', () => {
  it('parses 7 and 8 digits, with or without hyphen, and BGMax zero padding', () => {
    expect(parseBankgiro('991-2346')).toEqual({ canonical: '991-2346', digits: '9912346' });
    expect(parseBankgiro('9912346').canonical).toBe('991-2346');
    expect(parseBankgiro('0009912346').canonical).toBe('991-2346');
    expect(parseBankgiro('5050-1055').canonical).toBe('5050-1055');
    expect(isBankgiro('5050 1055')).toBe(true);
  });
  it('invalid_format and invalid_check_digit', () => {
    expect(codeOf(() => parseBankgiro('123456'))).toBe('invalid_format');
    expect(codeOf(() => parseBankgiro('123456789'))).toBe('invalid_format');
    expect(codeOf(() => parseBankgiro('991-234x'))).toBe('invalid_format');
    expect(codeOf(() => parseBankgiro('991-2345'))).toBe('invalid_check_digit');
    expect(isBankgiro('991-2345')).toBe(false);
  });
});

describe('plusgiro', () => {
  it('parses 2 to 8 digits and prints pairs from the right', () => {
    expect(parsePlusgiro('90 20 01-7')).toEqual({ canonical: '902001-7', digits: '9020017' });
    expect(formatPlusgiro('9020017')).toBe('90 20 01-7');
    expect(formatPlusgiro('4411112')).toBe('44 11 11-2');
    expect(formatPlusgiro('441113')).toBe('4 41 11-3');
    expect(parsePlusgiro('18').canonical).toBe('1-8');
    expect(parsePlusgiro('00000000018').canonical).toBe('1-8');
    expect(isPlusgiro('4411112')).toBe(true);
  });
  it('invalid_format and invalid_check_digit', () => {
    expect(codeOf(() => parsePlusgiro('8'))).toBe('invalid_format');
    expect(codeOf(() => parsePlusgiro('123456789'))).toBe('invalid_format');
    expect(codeOf(() => parsePlusgiro('4411113'))).toBe('invalid_check_digit');
    expect(codeOf(() => formatPlusgiro('4411113'))).toBe('invalid_check_digit');
    expect(isPlusgiro('44-11-11-x')).toBe(false);
  });
});

describe('Swedish bank accounts', () => {
  it('looks up clearing numbers (Länsförsäkringar 3400-3409, Nordea from 3410)', () => {
    expect(clearingInfo('3405')?.bank).toBe('Länsförsäkringar Bank');
    expect(clearingInfo('3450')?.bank).toBe('Nordea');
    expect(clearingInfo('6789')).toEqual({ bank: 'Handelsbanken', rule: { type: 2, comment: 2 } });
    expect(clearingInfo('8327-9')?.rule).toEqual({ type: 2, comment: 3 });
    expect(clearingInfo('0999')).toBeUndefined();
  });
  it('type 1, comment 1: modulus 11 over three clearing digits + seven account digits', () => {
    expect(parseSwedishBankAccount('5000 1000004')).toMatchObject({
      clearing: '5000',
      account: '1000004',
      bank: 'SEB',
      canonical: '5000, 1000004',
    });
    expect(parseSwedishBankAccount('5000', '1000004').canonical).toBe('5000, 1000004');
  });
  it('type 1, comment 2: modulus 11 over four clearing digits + seven account digits', () => {
    const account = Array.from({ length: 100 }, (_, i) => `10000${String(i).padStart(2, '0')}`).find((a) =>
      isSwedishBankAccount('4000', a),
    )!;
    expect(parseSwedishBankAccount(`4000-${account}`).rule).toEqual({ type: 1, comment: 2 });
    // the same account under a comment-1 clearing number uses only three clearing digits
    expect(isSwedishBankAccount('1100', account)).toBe(isSwedishBankAccount('5000', account));
  });
  it('type 2: Nordea personkonto, Handelsbanken, Swedbank 8xxx-x, Plusgirot', () => {
    expect(parseSwedishBankAccount('3300', '8112189876').bank).toBe('Nordea (personkonto)');
    expect(parseSwedishBankAccount('6789 123456703').account).toBe('123456703');
    expect(codeOf(() => parseSwedishBankAccount('6789', '23456703'))).toBe('invalid_check_digit');
    expect(parseSwedishBankAccount('8327-9, 946 438 213-5')).toMatchObject({
      clearing: '8327-9',
      account: '9464382135',
      canonical: '8327-9, 9464382135',
    });
    expect(parseSwedishBankAccount('9500', '4411112').bank).toBe('Nordea Plusgirot');
  });
  it('unknown_clearing', () => {
    expect(codeOf(() => parseSwedishBankAccount('0999 1234567'))).toBe('unknown_clearing');
    expect(codeOf(() => parseSwedishBankAccount('2100', '1234567'))).toBe('unknown_clearing');
  });
  it('invalid_length', () => {
    expect(codeOf(() => parseSwedishBankAccount('5000', '12345678'))).toBe('invalid_length');
    expect(codeOf(() => parseSwedishBankAccount('6789', '1234567'))).toBe('invalid_length');
    expect(codeOf(() => parseSwedishBankAccount('3300', '811218987'))).toBe('invalid_length');
    expect(codeOf(() => parseSwedishBankAccount('9500', '123456789'))).toBe('invalid_length');
    expect(codeOf(() => parseSwedishBankAccount('8327-9', '12345678901'))).toBe('invalid_length');
    expect(codeOf(() => parseSwedishBankAccount('5000', '1'))).toBe('invalid_length');
  });
  it('invalid_check_digit (account, and the fifth digit of a Swedbank clearing number)', () => {
    expect(codeOf(() => parseSwedishBankAccount('5000 1000005'))).toBe('invalid_check_digit');
    expect(codeOf(() => parseSwedishBankAccount('6789 123456704'))).toBe('invalid_check_digit');
    expect(codeOf(() => parseSwedishBankAccount('8327-8, 9464382135'))).toBe('invalid_check_digit');
    expect(luhnCheckDigit('8327')).toBe(9);
  });
  it('invalid_format', () => {
    expect(codeOf(() => parseSwedishBankAccount('abcd 1234567'))).toBe('invalid_format');
    expect(codeOf(() => parseSwedishBankAccount('123'))).toBe('invalid_format');
    expect(codeOf(() => parseSwedishBankAccount('500', '1000004'))).toBe('invalid_format');
    expect(isSwedishBankAccount('5000', 'x')).toBe(false);
    expect(codeOf(() => parseSwedishBankAccount('5000', '0000000'))).toBe('invalid_format');
  });
});

describe('Norwegian bank accounts', () => {
  it('parses and prints NNNN.NN.NNNNN', () => {
    expect(parseNorwegianBankAccount('8601 11 17947')).toEqual({ canonical: '8601.11.17947', digits: '86011117947' });
    expect(parseNorwegianBankAccount('8601.11.17947').digits).toBe('86011117947');
    expect(isNorwegianBankAccount('86011117947')).toBe(true);
  });
  it('invalid_format and invalid_check_digit', () => {
    expect(codeOf(() => parseNorwegianBankAccount('8601111794'))).toBe('invalid_format');
    expect(codeOf(() => parseNorwegianBankAccount('8601-11-17947'))).toBe('invalid_format');
    expect(codeOf(() => parseNorwegianBankAccount('86011117948'))).toBe('invalid_check_digit');
  });
});
