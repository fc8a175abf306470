import { describe, expect, it } from 'vitest';
import { mod97, mod97CheckDigits } from './checkdigits.js';
import { NordfilError } from './errors.js';
import {
  classifyReference,
  compactReference,
  createFinnishReference,
  createKid,
  createOcr,
  createRf,
  detectReferenceKind,
  finnishReferenceToRf,
  formatFinnishReference,
  formatRf,
  isOcr,
  isRf,
  normalizeReference,
  rfToFinnishReference,
  validateFinnishReference,
  validateKid,
  validateOcr,
  validateRf,
} from './references.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NordfilError);
    return (e as NordfilError).code;
  }
  throw new Error('expected a NordfilError');
}

const codes = (v: { issues: readonly { code: string }[] }) => v.issues.map((i) => i.code);

describe('matching.md §3.6 published test vectors', () => {
  it('§3.6 655969: SE OCR, check + length digit (6 digits, length digit 6)', () => {
    expect(validateOcr('655969', 'variable').valid).toBe(true);
    expect(createOcr('6559', { lengthDigit: true })).toBe('655969');
  });
  it('§3.6 18108401345678778: SE OCR, length digit 7 for 17 digits', () => {
    expect(validateOcr('18108401345678778', 'variable').valid).toBe(true);
    expect(createOcr('181084013456787', { lengthDigit: true })).toBe('18108401345678778');
  });
  it('§3.6 1202951008: SE OCR, length digit 0 for 10 digits (the Odoo pitfall)', () => {
    expect(validateOcr('1202951008', 'variable').valid).toBe(true);
    expect(createOcr('12029510', { lengthDigit: true })).toBe('1202951008');
  });
  it('§3.6 03368912618: the leading zero counts towards the length digit', () => {
    expect(validateOcr('03368912618', 'variable').valid).toBe(true);
    expect(validateOcr('3368912618', 'hard').valid).toBe(true);
    expect(validateOcr('3368912618', 'variable').valid).toBe(false);
  });
  it('§3.6 1636919: check digit valid, length digit wrong', () => {
    expect(validateOcr('1636919', 'soft').valid).toBe(true);
    expect(validateOcr('1636919', 'hard').valid).toBe(true);
    const v = validateOcr('1636919', 'variable');
    expect(v.valid).toBe(false);
    expect(codes(v)).toEqual(['invalid_length_digit']);
  });
  it('§3.6 89853: free text, fails Luhn', () => {
    expect(validateOcr('89853', 'hard').valid).toBe(false);
    expect(detectReferenceKind('89853', { country: 'SE' })).toBe('unknown');
  });
  it('§3.6 12345 -> 123453: Finnish 7-3-1', () => {
    expect(createFinnishReference('12345')).toBe('123453');
    expect(validateFinnishReference('123453').valid).toBe(true);
  });
  it('§3.6 RF18 5390 0754 7034 valid, RF17 … invalid', () => {
    expect(validateRf('RF18 5390 0754 7034').valid).toBe(true);
    expect(codes(validateRf('RF17 5390 0754 7034'))).toEqual(['invalid_check_digit']);
    expect(createRf('539007547034')).toBe('RF18539007547034');
  });
});

describe('Swedish OCR control levels', () => {
  it('none checks the format only', () => {
    const v = validateOcr('1636918', 'none');
    expect(v.valid).toBe(true);
    expect(v.issues).toEqual([]);
    expect(v.checkDigitValid).toBe(false);
  });
  it('soft reports a wrong check digit as a warning', () => {
    const v = validateOcr('1636918', 'soft');
    expect(v.valid).toBe(true);
    expect(v.issues).toMatchObject([{ code: 'invalid_check_digit', severity: 'warning', expected: '9', actual: '8' }]);
  });
  it('hard rejects a wrong check digit', () => {
    const v = validateOcr('1636918');
    expect(v.level).toBe('hard');
    expect(v.issues).toMatchObject([{ code: 'invalid_check_digit', severity: 'error' }]);
  });
  it('variable demands both digits', () => {
    expect(codes(validateOcr('655968', 'variable'))).toEqual(['invalid_check_digit']);
    expect(validateOcr('655969', { level: 'variable' }).lengthDigitValid).toBe(true);
  });
  it('fixed demands the check digit and one of at most two lengths', () => {
    const ref = createOcr('42', { length: 10 });
    expect(ref).toBe('0000000422');
    expect(validateOcr(ref, { level: 'fixed', lengths: [10] }).valid).toBe(true);
    expect(validateOcr(ref, { level: 'fixed', lengths: [8, 10] }).valid).toBe(true);
    expect(codes(validateOcr('655969', { level: 'fixed', lengths: [8, 10] }))).toEqual(['invalid_length']);
    expect(codes(validateOcr('0000000423', { level: 'fixed', lengths: [10] }))).toEqual(['invalid_check_digit']);
  });
  it('fixed without lengths is a configuration error (invalid_config)', () => {
    expect(codeOf(() => validateOcr('655969', 'fixed'))).toBe('invalid_config');
    expect(codeOf(() => validateOcr('655969', { level: 'fixed', lengths: [1] }))).toBe('invalid_config');
    expect(codeOf(() => validateOcr('655969', { level: 'fixed', lengths: [5, 6, 7] as unknown as [number] }))).toBe(
      'invalid_config',
    );
  });
  it('reports invalid_format for non-digits and lengths outside 2-25', () => {
    expect(codes(validateOcr('12a4'))).toEqual(['invalid_format']);
    expect(codes(validateOcr('1'))).toEqual(['invalid_format']);
    expect(codes(validateOcr('1'.repeat(26)))).toEqual(['invalid_format']);
    expect(validateOcr('65 59 69').valid).toBe(true);
    expect(isOcr('655969', 'variable')).toBe(true);
  });
  it('createOcr rejects bad bases (invalid_digits, invalid_length)', () => {
    expect(codeOf(() => createOcr('12a'))).toBe('invalid_digits');
    expect(codeOf(() => createOcr(''))).toBe('invalid_digits');
    expect(codeOf(() => createOcr('1'.repeat(25)))).toBe('invalid_length');
    expect(codeOf(() => createOcr('1'.repeat(24), { lengthDigit: true }))).toBe('invalid_length');
    expect(codeOf(() => createOcr('1234', { length: 4 }))).toBe('invalid_length');
    expect(codeOf(() => createOcr('1', { length: 26 }))).toBe('invalid_length');
    expect(createOcr('', { lengthDigit: true })).toBe('26');
  });
});

describe('Norwegian KID', () => {
  it('creates MOD10 and MOD11 KIDs, with "-" for the value 10', () => {
    expect(createKid('1234567')).toBe('12345674');
    expect(createKid('12345678', { algorithm: 'mod11' })).toBe('123456785');
    expect(createKid('6', { algorithm: 'mod11' })).toBe('6-');
  });
  it('reports which algorithms pass', () => {
    expect(validateKid('12345609').algorithms).toEqual(['mod10']);
    expect(validateKid('6-').algorithms).toEqual(['mod11']);
    expect(validateKid('123456785', { algorithm: 'mod11' }).valid).toBe(true);
    expect(codes(validateKid('123456785', { algorithm: 'mod10' }))).toEqual(['invalid_check_digit']);
    expect(codes(validateKid('7-'))).toEqual(['invalid_check_digit']);
  });
  it('reports invalid_format', () => {
    expect(codes(validateKid('1'))).toEqual(['invalid_format']);
    expect(codes(validateKid('12-3'))).toEqual(['invalid_format']);
    expect(codes(validateKid('-'))).toEqual(['invalid_format']);
    expect(codes(validateKid('1'.repeat(26)))).toEqual(['invalid_format']);
  });
  it('createKid error codes', () => {
    expect(codeOf(() => createKid('6', { algorithm: 'mod11', allowDash: false }))).toBe('unrepresentable_check_digit');
    expect(codeOf(() => createKid('x'))).toBe('invalid_digits');
    expect(codeOf(() => createKid('1'.repeat(25)))).toBe('invalid_length');
  });
});

describe('RF creditor reference', () => {
  it('formats in groups of four and accepts lower case and spaces', () => {
    expect(formatRf('RF18539007547034')).toBe('RF18 5390 0754 7034');
    expect(formatRf('rf18 5390075470')).toBe('RF18 5390 0754 70');
    expect(isRf('rf18539007547034')).toBe(true);
  });
  it('rejects malformed references with invalid_format', () => {
    for (const bad of ['XX18539007547034', 'RF1', 'RF18', 'RFAB1234', 'RF18-5390', `RF18${'1'.repeat(22)}`]) {
      expect(codes(validateRf(bad))).toEqual(['invalid_format']);
    }
  });
  it('rejects check digits 00, 01 and 99 even when MOD 97 is 1', () => {
    // find a base whose canonical check digits are 97 or 98: then 00 or 01 also give remainder 1
    const base = Array.from({ length: 2000 }, (_, i) => String(i + 1)).find(
      (b) => Number(mod97CheckDigits(`${b}RF`)) >= 97,
    )!;
    const alt = mod97CheckDigits(`${base}RF`) === '97' ? '00' : '01';
    expect(mod97(`${base}RF${alt}`)).toBe(1);
    expect(codes(validateRf(`RF${alt}${base}`))).toEqual(['invalid_check_digit']);
  });
  it('createRf rejects bad bases with invalid_format', () => {
    expect(codeOf(() => createRf(''))).toBe('invalid_format');
    expect(codeOf(() => createRf('1'.repeat(22)))).toBe('invalid_format');
    expect(codeOf(() => createRf('AB-12'))).toBe('invalid_format');
  });
});

describe('Finnish reference number', () => {
  it('validates padded machine forms and prints groups of five', () => {
    expect(validateFinnishReference('00000000000000123453').valid).toBe(true);
    expect(validateFinnishReference('12345 3').valid).toBe(true);
    expect(formatFinnishReference('00000000000001234561')).toBe('12 34561');
    expect(formatFinnishReference('123453')).toBe('1 23453');
  });
  it('reports invalid_format and invalid_check_digit', () => {
    expect(codes(validateFinnishReference('123'))).toEqual(['invalid_format']);
    expect(codes(validateFinnishReference('0000123'))).toEqual(['invalid_format']);
    expect(codes(validateFinnishReference('1'.repeat(21)))).toEqual(['invalid_format']);
    expect(codes(validateFinnishReference('12a453'))).toEqual(['invalid_format']);
    expect(validateFinnishReference('123454').issues).toMatchObject([
      { code: 'invalid_check_digit', expected: '3', actual: '4' },
    ]);
  });
  it('createFinnishReference error codes', () => {
    expect(codeOf(() => createFinnishReference('12'))).toBe('invalid_length');
    expect(codeOf(() => createFinnishReference('1'.repeat(20)))).toBe('invalid_length');
    expect(codeOf(() => createFinnishReference('12a'))).toBe('invalid_digits');
  });
  it('converts to and from the Finnish RF form', () => {
    expect(finnishReferenceToRf('0000123453')).toBe('RF81123453');
    expect(rfToFinnishReference('RF81 1234 53')).toBe('123453');
    expect(codeOf(() => finnishReferenceToRf('123454'))).toBe('invalid_check_digit');
    expect(codeOf(() => rfToFinnishReference('RF80123453'))).toBe('invalid_check_digit');
    expect(codeOf(() => rfToFinnishReference(createRf('123454')))).toBe('invalid_check_digit');
  });
});

describe('normalisation (§3.5)', () => {
  it('compacts separators but keeps leading zeros and a trailing KID "-"', () => {
    expect(compactReference(' 1202 951-008 ')).toBe('1202951008');
    expect(compactReference('0336.8912/618')).toBe('03368912618');
    expect(compactReference('12\u00a03456\u20137')).toBe('1234567');
    expect(compactReference('１２３')).toBe('123'); // NFKC folds full-width digits
    expect(compactReference('12 3456 7-')).toBe('1234567-');
    expect(compactReference('12 3456 7\u2013 ')).toBe('1234567-');
    expect(compactReference('rf18 5390 0754 7034')).toBe('RF18539007547034');
    expect(compactReference('INV-')).toBe('INV');
  });
  it('normalises for comparison: leading zeros stripped for numeric references only', () => {
    expect(normalizeReference('0000 1234 5')).toBe('12345');
    expect(normalizeReference('000')).toBe('0');
    expect(normalizeReference('00 6-')).toBe('6-');
    expect(normalizeReference('inv-2024/00123')).toBe('INV202400123');
    expect(normalizeReference('RF08 0012')).toBe('RF080012');
  });
});

describe('classification', () => {
  it('records every check a reference passes', () => {
    expect(classifyReference('655969')).toEqual([
      { kind: 'ocr', lengthDigit: true },
      { kind: 'kid', algorithm: 'mod10' },
    ]);
    expect(classifyReference('123453')).toEqual([{ kind: 'finnish' }]);
    expect(classifyReference('RF18 5390 0754 7034')).toEqual([{ kind: 'rf' }]);
    expect(classifyReference('RF17 5390 0754 7034')).toEqual([]);
    expect(classifyReference('6-')).toEqual([{ kind: 'kid', algorithm: 'mod11' }]);
  });
  it('detects the kind, with the country removing ambiguity', () => {
    expect(detectReferenceKind('RF18 5390 0754 7034')).toBe('rf');
    expect(detectReferenceKind('655969')).toBe('ocr');
    expect(detectReferenceKind('655969', { country: 'NO' })).toBe('kid');
    expect(detectReferenceKind('123456785')).toBe('kid');
    expect(detectReferenceKind('123453')).toBe('finnish');
    expect(detectReferenceKind('123453', { country: 'SE' })).toBe('unknown');
    expect(detectReferenceKind('INV-1')).toBe('unknown');
  });
});
