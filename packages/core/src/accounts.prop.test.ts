import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  formatPlusgiro,
  isNorwegianBankAccount,
  isSwedishBankAccount,
  parseBankgiro,
  parseNorwegianBankAccount,
  parsePlusgiro,
  parseSwedishBankAccount,
} from './accounts.js';

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
const nonZeroLead = (min: number, max: number) => digits(min, max).filter((s) => s[0] !== '0');

/** Independent Luhn check digit. */
function luhn(base: string): number {
  let sum = 0;
  [...base].reverse().forEach((ch, i) => {
    const v = Number(ch) * (i % 2 === 0 ? 2 : 1);
    sum += v > 9 ? v - 9 : v;
  });
  return (10 - (sum % 10)) % 10;
}

describe('giro numbers', () => {
  test.prop([nonZeroLead(6, 7)])('generated bankgiro numbers parse, also zero-padded to 10', (base) => {
    const bg = base + luhn(base);
    const p = parseBankgiro(bg);
    expect(p.canonical).toBe(`${bg.slice(0, -4)}-${bg.slice(-4)}`);
    expect(parseBankgiro(bg.padStart(10, '0'))).toEqual(p);
    expect(parseBankgiro(p.canonical)).toEqual(p);
  });
  test.prop([nonZeroLead(1, 7)])('generated plusgiro numbers parse, and their printed form parses back', (base) => {
    const pg = base + luhn(base);
    expect(parsePlusgiro(pg).digits).toBe(pg);
    expect(parsePlusgiro(formatPlusgiro(pg)).digits).toBe(pg);
  });
});

describe('Norwegian account properties', () => {
  const w = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
  test.prop([digits(10, 10), fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 9 })])(
    'generated numbers parse to NNNN.NN.NNNNN; every single-digit substitution is rejected',
    (base, pos, delta) => {
      const r = 11 - ([...base].reduce((a, ch, i) => a + Number(ch) * w[i]!, 0) % 11);
      fc.pre(r !== 10);
      const acct = base + (r === 11 ? 0 : r);
      expect(parseNorwegianBankAccount(acct).canonical).toMatch(/^\d{4}\.\d{2}\.\d{5}$/);
      const changed = acct.slice(0, pos) + ((Number(acct[pos]) + delta) % 10) + acct.slice(pos + 1);
      expect(isNorwegianBankAccount(changed)).toBe(false);
    },
  );
});

describe('Swedish type 1 account properties', () => {
  // comment 1 (three clearing digits) and comment 2 (four) banks
  const clearing = fc.constantFrom(
    ['5000', 1],
    ['7123', 1],
    ['1234', 1],
    ['9270', 1],
    ['4000', 2],
    ['2300', 2],
    ['9550', 2],
  ) as fc.Arbitrary<[string, 1 | 2]>;
  test.prop([clearing, digits(6, 6), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 1, max: 9 })])(
    'accounts built by the modulus 11 rule parse; every single substitution in the account is rejected',
    ([cl, comment], six, pos, delta) => {
      const head = (comment === 1 ? cl.slice(1) : cl) + six;
      let sum = 0;
      for (let i = head.length - 1, wt = 2; i >= 0; i--, wt = wt === 10 ? 1 : wt + 1) sum += Number(head[i]) * wt;
      const check = (11 - (sum % 11)) % 11;
      fc.pre(check !== 10);
      const account = six + check;
      expect(parseSwedishBankAccount(cl, account).canonical).toBe(`${cl}, ${account}`);
      const changed = account.slice(0, pos) + ((Number(account[pos]) + delta) % 10) + account.slice(pos + 1);
      expect(isSwedishBankAccount(cl, changed)).toBe(false);
    },
  );
});
