import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { isFodselsnummer, isPersonnummer, parseFodselsnummer, parsePersonnummer } from './identity.js';

const today = '2026-11-23';

const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();
const p2 = (n: number) => String(n).padStart(2, '0');

/** Independent Luhn over a digit string (weights 2, 1, … from the left for an odd-length payload). */
function luhn(nine: string): number {
  const sum = [...nine].reduce((acc, ch, i) => {
    const v = Number(ch) * (i % 2 === 0 ? 2 : 1);
    return acc + Math.floor(v / 10) + (v % 10);
  }, 0);
  return (10 - (sum % 10)) % 10;
}

/** Independent modulus 11 with explicit weights; undefined for the value 10. */
function mod11(s: string, w: number[]): number | undefined {
  const r = 11 - ([...s].reduce((a, ch, i) => a + Number(ch) * w[i]!, 0) % 11);
  return r === 11 ? 0 : r === 10 ? undefined : r;
}

const birth = fc
  .record({
    y: fc.integer({ min: 1850, max: 2026 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ y, m, d }) => ({ y, m, d: Math.min(d, daysIn(y, m)) }))
  .filter(({ y, m, d }) => `${y}-${p2(m)}-${p2(d)}` <= today);

const personnummer = fc
  .record({ date: birth, serial: fc.integer({ min: 1, max: 999 }), samordning: fc.boolean() })
  .map(({ date, serial, samordning }) => {
    const nine = `${p2(date.y % 100)}${p2(date.m)}${p2(date.d + (samordning ? 60 : 0))}${String(serial).padStart(3, '0')}`;
    return { ...date, samordning, twelve: `${String(date.y).slice(0, 2)}${nine}${luhn(nine)}` };
  });

describe('personnummer properties', () => {
  test.prop([personnummer])('generated numbers parse and re-format to the canonical 12-digit form', (g) => {
    const p = parsePersonnummer(g.twelve);
    expect(p.canonical).toBe(g.twelve);
    expect(p.kind).toBe(g.samordning ? 'samordningsnummer' : 'personnummer');
    expect(p.birthDate).toBe(`${g.y}-${p2(g.m)}-${p2(g.d)}`);
    expect(p.sex).toBe(Number(g.twelve[10]) % 2 === 1 ? 'male' : 'female');
    expect(p.format('long')).toBe(g.twelve);
    expect(p.format('long-dash')).toBe(`${g.twelve.slice(0, 8)}-${g.twelve.slice(8)}`);
  });
  test.prop([personnummer])(
    'the 10-digit short form (with "+" from the year of the 100th birthday) parses back to the same number',
    (g) => {
      const short = parsePersonnummer(g.twelve).format('short', { today });
      expect(short).toMatch(2026 - g.y >= 100 ? /^\d{6}\+\d{4}$/ : /^\d{6}-\d{4}$/);
      expect(parsePersonnummer(short, { today }).canonical).toBe(g.twelve);
    },
  );
  test.prop([personnummer, fc.integer({ min: 2, max: 11 }), fc.integer({ min: 1, max: 9 })])(
    'every single-digit substitution after the century is rejected',
    (g, pos, delta) => {
      const d = (Number(g.twelve[pos]) + delta) % 10;
      const changed = g.twelve.slice(0, pos) + d + g.twelve.slice(pos + 1);
      expect(isPersonnummer(changed, { today })).toBe(false);
    },
  );
});

/** Individual numbers allowed for a year (Skatteetaten's allocation). */
function individualFor(y: number, pick: number): number | undefined {
  const ranges: [number, number][] =
    y < 1900
      ? y >= 1854
        ? [[500, 749]]
        : []
      : y < 2000
        ? y >= 1940
          ? [
              [0, 499],
              [900, 999],
            ]
          : [[0, 499]]
        : y <= 2039
          ? [[500, 999]]
          : [];
  const total = ranges.reduce((a, [lo, hi]) => a + hi - lo + 1, 0);
  if (total === 0) return undefined;
  let k = pick % total;
  for (const [lo, hi] of ranges) {
    if (k <= hi - lo) return lo + k;
    k -= hi - lo + 1;
  }
  return undefined;
}

const fodselsnummer = fc
  .record({
    y: fc.integer({ min: 1854, max: 2039 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
    pick: fc.nat(),
    kind: fc.constantFrom('fodselsnummer', 'd-nummer', 'h-nummer'),
  })
  .map(({ y, m, d, pick, kind }) => {
    const day = Math.min(d, daysIn(y, m));
    const ind = individualFor(y, pick)!;
    const nine = `${p2(day + (kind === 'd-nummer' ? 40 : 0))}${p2(m + (kind === 'h-nummer' ? 40 : 0))}${p2(y % 100)}${String(ind).padStart(3, '0')}`;
    const k1 = mod11(nine, [3, 7, 6, 1, 8, 9, 4, 5, 2]);
    const k2 = k1 === undefined ? undefined : mod11(nine + k1, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    return { kind, birthDate: `${y}-${p2(m)}-${p2(day)}`, value: k2 === undefined ? undefined : `${nine}${k1}${k2}` };
  });

describe('fødselsnummer properties', () => {
  test.prop([fodselsnummer])('generated numbers parse to their date and kind and re-format', (g) => {
    fc.pre(g.value !== undefined);
    const f = parseFodselsnummer(g.value!);
    expect(f.canonical).toBe(g.value);
    expect(f.kind).toBe(g.kind);
    expect(f.birthDate).toBe(g.birthDate);
    expect(parseFodselsnummer(f.format('spaced')).canonical).toBe(g.value);
  });
  test.prop([fodselsnummer, fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 9 })])(
    'every single-digit substitution is rejected',
    (g, pos, delta) => {
      fc.pre(g.value !== undefined);
      const v = g.value!;
      const changed = v.slice(0, pos) + ((Number(v[pos]) + delta) % 10) + v.slice(pos + 1);
      expect(isFodselsnummer(changed)).toBe(false);
    },
  );
});
