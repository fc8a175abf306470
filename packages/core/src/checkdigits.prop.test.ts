import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  finnishCheckDigit,
  isFinnishCheckValid,
  isLuhnValid,
  isMod11Valid,
  isMod97Valid,
  luhnCheckDigit,
  mod11CheckDigit,
  mod97CheckDigits,
} from './checkdigits.js';

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/** Every string that differs from `s` in exactly one digit. */
function substitutions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    for (const d of '0123456789') if (d !== s[i]) out.push(s.slice(0, i) + d + s.slice(i + 1));
  }
  return out;
}

/** Every string obtained by swapping two different adjacent characters of `s`, with the pair swapped. */
function transpositions(s: string): { value: string; pair: string }[] {
  const out: { value: string; pair: string }[] = [];
  for (let i = 0; i + 1 < s.length; i++) {
    if (s[i] !== s[i + 1])
      out.push({ value: s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2), pair: s[i]! + s[i + 1] });
  }
  return out;
}

describe('Luhn properties', () => {
  test.prop([digits(1, 30)])('every computed check digit validates', (base) => {
    expect(isLuhnValid(base + luhnCheckDigit(base))).toBe(true);
  });
  test.prop([digits(1, 30)])('every single-digit substitution is detected', (base) => {
    for (const s of substitutions(base + luhnCheckDigit(base))) expect(isLuhnValid(s)).toBe(false);
  });
  test.prop([digits(1, 30)])('every adjacent transposition except 09 <-> 90 is detected', (base) => {
    for (const t of transpositions(base + luhnCheckDigit(base))) {
      expect(isLuhnValid(t.value)).toBe(t.pair === '09' || t.pair === '90');
    }
  });
});

describe('modulus 11 properties', () => {
  test.prop([digits(1, 30)])('weights 2-7: the computed check character validates ("-" only when allowed)', (base) => {
    const cd = mod11CheckDigit(base);
    if (cd === '-') {
      expect(isMod11Valid(`${base}-`, { allowDash: true })).toBe(true);
      expect(isMod11Valid(`${base}-`)).toBe(false);
    } else {
      expect(isMod11Valid(base + cd)).toBe(true);
    }
  });
  test.prop([digits(1, 30)])('weights 2-7: every single-digit substitution is detected', (base) => {
    const cd = mod11CheckDigit(base);
    const value = base + String(cd);
    const body = cd === '-' ? base : value;
    const tail = cd === '-' ? '-' : '';
    for (const s of substitutions(body)) expect(isMod11Valid(s + tail, { allowDash: true })).toBe(false);
  });
  const fnrWeights = [3, 7, 6, 1, 8, 9, 4, 5, 2];
  test.prop([digits(9, 9)])('explicit weights: every single-digit substitution is detected', (base) => {
    const cd = mod11CheckDigit(base, { weights: fnrWeights });
    fc.pre(cd !== '-');
    const value = base + String(cd);
    expect(isMod11Valid(value, { weights: fnrWeights })).toBe(true);
    for (const s of substitutions(value)) expect(isMod11Valid(s, { weights: fnrWeights })).toBe(false);
  });
});

describe('MOD 97-10 properties', () => {
  test.prop([digits(1, 30)])('computed check digits validate', (base) => {
    expect(isMod97Valid(base + mod97CheckDigits(base))).toBe(true);
  });
  test.prop([digits(1, 30)])('every single-digit substitution is detected', (base) => {
    for (const s of substitutions(base + mod97CheckDigits(base))) expect(isMod97Valid(s)).toBe(false);
  });
  test.prop([digits(1, 30)])('every adjacent transposition of digits is detected', (base) => {
    for (const t of transpositions(base + mod97CheckDigits(base))) expect(isMod97Valid(t.value)).toBe(false);
  });
  test.prop([
    fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: 1, maxLength: 21 }),
  ])('letters count as 10-35: computed check digits validate', (base) => {
    expect(isMod97Valid(base + mod97CheckDigits(base))).toBe(true);
  });
});

describe('Finnish 7-3-1 properties', () => {
  test.prop([digits(1, 19)])('the computed check digit validates; every single substitution is detected', (base) => {
    const value = base + finnishCheckDigit(base);
    expect(isFinnishCheckValid(value)).toBe(true);
    for (const s of substitutions(value)) expect(isFinnishCheckValid(s)).toBe(false);
  });
});
