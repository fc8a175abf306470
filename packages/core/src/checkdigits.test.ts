import { describe, expect, it } from 'vitest';
import {
  finnishCheckDigit,
  isDigits,
  isFinnishCheckValid,
  isLuhnValid,
  isMod11Valid,
  isMod97Valid,
  luhnCheckDigit,
  mod11CheckDigit,
  mod97,
  mod97CheckDigits,
} from './checkdigits.js';
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

describe('Luhn (modulus 10)', () => {
  it('computes the check digit of known numbers (matching.md §3.6, spar.md §3.1)', () => {
    expect(luhnCheckDigit('65596')).toBe(9); // OCR 655969
    expect(luhnCheckDigit('811218987')).toBe(6); // personnummer 811218-9876
    expect(luhnCheckDigit('121212121')).toBe(2); // 19121212-1212
    expect(luhnCheckDigit('0')).toBe(0);
  });
  it('validates and rejects', () => {
    expect(isLuhnValid('1202951008')).toBe(true);
    expect(isLuhnValid('89853')).toBe(false); // §3.6: free text, fails Luhn
    expect(isLuhnValid('0')).toBe(false); // no payload
  });
  it('cannot see the 09 <-> 90 transposition (the one it misses)', () => {
    const v = `123409${luhnCheckDigit('123409')}`;
    expect(isLuhnValid(v)).toBe(true);
    expect(isLuhnValid(v.replace('09', '90'))).toBe(true);
  });
  it('rejects non-digits with invalid_digits', () => {
    expect(codeOf(() => luhnCheckDigit('12a'))).toBe('invalid_digits');
    expect(codeOf(() => luhnCheckDigit(''))).toBe('invalid_digits');
    expect(codeOf(() => isLuhnValid('12 3'))).toBe('invalid_digits');
    expect(codeOf(() => isLuhnValid('１２３'))).toBe('invalid_digits'); // full-width digits are not ASCII
  });
});

describe('modulus 11', () => {
  it('uses weights 2-7 from the right by default; 11 -> 0, 10 -> "-"', () => {
    expect(mod11CheckDigit('12345678')).toBe(5);
    expect(mod11CheckDigit('6')).toBe('-'); // 12 mod 11 = 1 -> 10
    expect(mod11CheckDigit('0')).toBe(0); // 11 - 0 = 11 -> 0
  });
  it('takes explicit weights, left to right', () => {
    expect(mod11CheckDigit('92360901', { weights: [3, 2, 7, 6, 5, 4, 3, 2] })).toBe(6);
  });
  it('accepts "-" only where allowed', () => {
    expect(isMod11Valid('6-', { allowDash: true })).toBe(true);
    expect(isMod11Valid('6-')).toBe(false);
    expect(isMod11Valid('7-', { allowDash: true })).toBe(false);
    expect(isMod11Valid('123456785')).toBe(true);
    expect(isMod11Valid('123456784')).toBe(false);
  });
  it('rejects bad input with invalid_digits and a weight mismatch with invalid_length', () => {
    expect(codeOf(() => mod11CheckDigit('12x'))).toBe('invalid_digits');
    expect(codeOf(() => isMod11Valid('1'))).toBe('invalid_digits');
    expect(codeOf(() => isMod11Valid('1x'))).toBe('invalid_digits');
    expect(codeOf(() => isMod11Valid('-1'))).toBe('invalid_digits');
    expect(codeOf(() => mod11CheckDigit('123', { weights: [1, 2] }))).toBe('invalid_length');
  });
});

describe('ISO 7064 MOD 97-10', () => {
  it('validates the RF vector of matching.md §3.6 in rearranged form', () => {
    expect(mod97('539007547034RF18')).toBe(1);
    expect(isMod97Valid('539007547034RF17')).toBe(false);
    expect(mod97CheckDigits('539007547034RF')).toBe('18');
  });
  it('handles numbers longer than a double without losing digits', () => {
    const big = '1234567890123456789012345678901234567890';
    expect(mod97(big)).toBe(Number(BigInt(big) % 97n));
  });
  it('pads single-digit check values with a zero', () => {
    const base = Array.from({ length: 200 }, (_, i) => String(i)).find((b) => 98 - mod97(`${b}00`) < 10)!;
    expect(mod97CheckDigits(base)).toMatch(/^0\d$/);
    expect(isMod97Valid(base + mod97CheckDigits(base))).toBe(true);
  });
  it('rejects lower case and punctuation with invalid_digits', () => {
    expect(codeOf(() => mod97('rf18'))).toBe('invalid_digits');
    expect(codeOf(() => mod97('12-3'))).toBe('invalid_digits');
    expect(codeOf(() => mod97(''))).toBe('invalid_digits');
  });
});

describe('Finnish 7-3-1', () => {
  it('computes the §3.6 vector 12345 -> 123453', () => {
    expect(finnishCheckDigit('12345')).toBe(3);
    expect(isFinnishCheckValid('123453')).toBe(true);
    expect(isFinnishCheckValid('123454')).toBe(false);
    expect(isFinnishCheckValid('3')).toBe(false);
  });
  it('rejects non-digits with invalid_digits', () => {
    expect(codeOf(() => finnishCheckDigit('1 2'))).toBe('invalid_digits');
    expect(codeOf(() => isFinnishCheckValid('12a'))).toBe('invalid_digits');
  });
});

describe('isDigits', () => {
  it('accepts ASCII digits only', () => {
    expect(isDigits('0123')).toBe(true);
    expect(isDigits('')).toBe(false);
    expect(isDigits('12 3')).toBe(false);
    expect(isDigits('-1')).toBe(false);
  });
});
