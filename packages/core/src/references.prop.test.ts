import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  compactReference,
  createFinnishReference,
  createKid,
  createOcr,
  createRf,
  finnishReferenceToRf,
  formatRf,
  normalizeReference,
  rfToFinnishReference,
  validateFinnishReference,
  validateKid,
  validateOcr,
  validateRf,
} from './references.js';

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });

/**
 * An independent statement of Bankgirot's OCR rules (matching.md §3.1), written differently from the
 * implementation on purpose: the differential oracle of §7.3.
 */
function oracle(ref: string, level: 'soft' | 'hard' | 'variable' | 'fixed', lengths: number[] = []): boolean {
  if (!/^\d{2,25}$/.test(ref)) return false;
  if (level === 'soft') return true;
  const sum = [...ref]
    .reverse()
    .map(Number)
    .map((d, i) => (i % 2 === 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d))
    .reduce((a, b) => a + b, 0);
  if (sum % 10 !== 0) return false;
  if (level === 'variable') return Number(ref[ref.length - 2]) === ref.length % 10;
  if (level === 'fixed') return lengths.includes(ref.length);
  return true;
}

describe('Swedish OCR properties (§7.3)', () => {
  test.prop([fc.integer({ min: 2, max: 25 }), digits(0, 25)])(
    'generated references pass every control level, for every length 2-25',
    (length, seed) => {
      const withLength = createOcr(seed.slice(0, length - 2).padStart(length - 2, '1'), { lengthDigit: true });
      expect(withLength).toHaveLength(length);
      for (const level of ['none', 'soft', 'hard', 'variable'] as const) {
        expect(validateOcr(withLength, level).valid).toBe(true);
      }
      expect(validateOcr(withLength, { level: 'fixed', lengths: [length] }).valid).toBe(true);
      const fixed = createOcr(seed.slice(0, length - 1) || '7', { length });
      expect(validateOcr(fixed, { level: 'fixed', lengths: [length] }).valid).toBe(true);
    },
  );
  test.prop([
    fc.oneof(digits(0, 27), fc.string({ maxLength: 6 })),
    fc.constantFrom('soft', 'hard', 'variable', 'fixed'),
    fc.uniqueArray(fc.integer({ min: 2, max: 25 }), { minLength: 1, maxLength: 2 }),
  ])('agrees with an independent statement of Bankgirot’s checker on random input', (ref, level, lengths) => {
    const opts = { level, lengths: lengths as [number] | [number, number] };
    expect(validateOcr(ref, opts).valid).toBe(oracle(ref.replace(/\s+/g, ''), level, lengths));
  });
});

describe('KID properties', () => {
  test.prop([digits(1, 24), fc.constantFrom('mod10', 'mod11')])(
    'created KIDs validate with their algorithm',
    (base, algorithm) => {
      const kid = createKid(base, { algorithm });
      const v = validateKid(kid, { algorithm });
      expect(v.valid).toBe(true);
      expect(v.algorithms).toContain(algorithm);
    },
  );
});

describe('RF properties', () => {
  const alnum = fc.string({
    unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'),
    minLength: 1,
    maxLength: 21,
  });
  test.prop([alnum])('created references validate, printed or electronic, any case', (base) => {
    const rf = createRf(base);
    expect(validateRf(rf).valid).toBe(true);
    expect(validateRf(formatRf(rf)).valid).toBe(true);
    expect(validateRf(formatRf(rf).toLowerCase()).valid).toBe(true);
    expect(
      formatRf(rf)
        .split(' ')
        .every((g, i, all) => g.length === 4 || i === all.length - 1),
    ).toBe(true);
  });
  test.prop([alnum, fc.nat(), fc.nat()])(
    'a substitution of one digit by a digit, or one letter by a letter, is detected',
    (base, pos, pick) => {
      const rf = createRf(base);
      const i = 2 + (pos % (rf.length - 2)); // check digits and body
      const ch = rf[i]!;
      const pool = /\d/.test(ch) ? '0123456789' : 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
      const others = pool.replace(ch, '');
      const changed = rf.slice(0, i) + others[pick % others.length] + rf.slice(i + 1);
      expect(validateRf(changed).valid).toBe(false);
    },
  );
});

describe('Finnish reference properties', () => {
  test.prop([digits(3, 19).filter((s) => s.replace(/^0+/, '').length >= 3)])(
    'created references validate, also zero-padded to 20, and survive the RF round trip',
    (base) => {
      const ref = createFinnishReference(base);
      expect(validateFinnishReference(ref).valid).toBe(true);
      expect(validateFinnishReference(ref.padStart(20, '0')).valid).toBe(true);
      expect(rfToFinnishReference(finnishReferenceToRf(ref))).toBe(ref.replace(/^0+/, ''));
    },
  );
});

describe('normalisation properties (§7.3)', () => {
  const noisy = fc.string({ unit: fc.constantFrom(...'0123456789 -–./abcXYZ'), maxLength: 30 });
  test.prop([noisy])('normalizeReference is idempotent, and so is compactReference', (s) => {
    expect(normalizeReference(normalizeReference(s))).toBe(normalizeReference(s));
    expect(compactReference(compactReference(s))).toBe(compactReference(s));
  });
  test.prop([digits(1, 25), fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '-', '\u2013', '.', '/'))), fc.nat(5)])(
    'inner spaces, hyphens and leading zeros do not change the canonical numeric form',
    (ref, inserts, zeros) => {
      let noisy = ref;
      for (const [at, sep] of inserts) {
        const i = 1 + (at % Math.max(1, noisy.length - 1));
        if (i < noisy.length) noisy = noisy.slice(0, i) + sep + noisy.slice(i);
      }
      noisy = '0'.repeat(zeros) + noisy;
      expect(normalizeReference(noisy)).toBe(normalizeReference(ref));
      expect(normalizeReference(` ${noisy} `)).toBe(ref.replace(/^0+(?=\d)/, ''));
    },
  );
});
