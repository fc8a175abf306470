import { describe, expect, it } from 'vitest';
import { luhnCheckDigit, mod11CheckDigit } from './checkdigits.js';
import { NordfilError } from './errors.js';
import {
  isFodselsnummer,
  isOrganisasjonsnummer,
  isOrganisationsnummer,
  isPersonnummer,
  maskPersonnummer,
  parseFodselsnummer,
  parseOrganisasjonsnummer,
  parseOrganisationsnummer,
  parsePersonnummer,
} from './identity.js';

const today = '2026-11-23';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NordfilError);
    return (e as NordfilError).code;
  }
  throw new Error('expected a NordfilError');
}

/** A 10-digit personnummer with a correct check digit for the 9 digits given. */
const pnr = (nine: string) => nine + luhnCheckDigit(nine);

/** A fødselsnummer with correct K1 and K2 for the 9 digits given (undefined when no such number exists). */
function fnr(nine: string): string | undefined {
  const k1 = mod11CheckDigit(nine, { weights: [3, 7, 6, 1, 8, 9, 4, 5, 2] });
  if (k1 === '-') return undefined;
  const k2 = mod11CheckDigit(nine + k1, { weights: [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] });
  return k2 === '-' ? undefined : `${nine}${k1}${k2}`;
}

describe('personnummer: published vectors (spar.md §3.1)', () => {
  it('811218-9876 is valid', () => {
    const p = parsePersonnummer('811218-9876', { today });
    expect(p).toMatchObject({ kind: 'personnummer', canonical: '198112189876', birthDate: '1981-12-18', sex: 'male' });
    expect(p.format()).toBe('198112189876');
    expect(p.format('long-dash')).toBe('19811218-9876');
    expect(p.format('short')).toBe('811218-9876');
  });
  it('19121212-1212: 12 digits need no today; the 10-digit form takes its century from the separator', () => {
    expect(parsePersonnummer('19121212-1212').canonical).toBe('191212121212');
    expect(parsePersonnummer('191212121212').sex).toBe('male'); // 121212-1212: ninth digit 1 is odd
    expect(parsePersonnummer('121212-1212', { today }).canonical).toBe('201212121212');
    expect(parsePersonnummer('121212+1212', { today }).canonical).toBe('191212121212');
    expect(parsePersonnummer('1212121212', { today }).canonical).toBe('201212121212');
  });
  it('900161-1236 is a samordningsnummer (day + 60)', () => {
    const s = parsePersonnummer('900161-1236', { today });
    expect(s).toMatchObject({ kind: 'samordningsnummer', canonical: '199001611236', birthDate: '1990-01-01' });
    expect(s.format('short')).toBe('900161-1236');
  });
});

describe('personnummer: rules', () => {
  it('takes the sex from the ninth digit (odd male, even female)', () => {
    expect(parsePersonnummer(pnr('811218987'), { today }).sex).toBe('male');
    expect(parsePersonnummer(pnr('811218986'), { today }).sex).toBe('female');
  });
  it('uses the year rule for the century: "+" from the year the person turns 100', () => {
    // born 1926-12-01: turns 100 in 2026, so already "+" on 2026-11-23
    const old = parsePersonnummer(`19${pnr('261201123')}`);
    expect(old.format('short', { today })).toBe(`261201+${pnr('261201123').slice(6)}`);
    expect(old.format('short', { today: '2025-12-31' })).toBe(`261201-${pnr('261201123').slice(6)}`);
    expect(parsePersonnummer(`261201+${pnr('261201123').slice(6)}`, { today }).canonical).toBe(old.canonical);
    // "-" with YY of this year: this year's child; a date later this year is in the future
    expect(codeOf(() => parsePersonnummer(pnr('261201123'), { today }))).toBe('invalid_date');
    expect(parsePersonnummer(pnr('261101123'), { today }).birthDate).toBe('2026-11-01');
  });
  it('checks 29 February by the century', () => {
    expect(parsePersonnummer(pnr('000229123'), { today }).birthDate).toBe('2000-02-29');
    const plus = `000229+${pnr('000229123').slice(6)}`;
    expect(codeOf(() => parsePersonnummer(plus, { today }))).toBe('invalid_date'); // 1900 was not a leap year
    expect(isPersonnummer(pnr('000229123'))).toBe(true);
    expect(isPersonnummer(pnr('010229123'))).toBe(false);
  });
  it('accepts surrounding whitespace and ignores the separator of a 12-digit form', () => {
    expect(parsePersonnummer(' 19121212+1212 ').canonical).toBe('191212121212');
  });
  it('invalid_format', () => {
    for (const bad of ['abc', '12345', '811218_9876', '8112189876x', '811218--9876', '81121-89876', '']) {
      expect(codeOf(() => parsePersonnummer(bad, { today }))).toBe('invalid_format');
    }
    expect(codeOf(() => parsePersonnummer(pnr('811218000'), { today }))).toBe('invalid_format'); // birth number 000
  });
  it('century_unknown: a 10-digit number without today', () => {
    expect(codeOf(() => parsePersonnummer('811218-9876'))).toBe('century_unknown');
  });
  it('invalid_date', () => {
    expect(codeOf(() => parsePersonnummer(pnr('811318987'), { today }))).toBe('invalid_date');
    expect(codeOf(() => parsePersonnummer(pnr('810231987'), { today }))).toBe('invalid_date');
    expect(codeOf(() => parsePersonnummer(pnr('810245987'), { today }))).toBe('invalid_date'); // 32-60
    expect(codeOf(() => parsePersonnummer(pnr('810192987'), { today }))).toBe('invalid_date'); // 92 - 60 = 32
    expect(codeOf(() => parsePersonnummer(`2030${pnr('300101123').slice(2)}`, { today }))).toBe('invalid_date');
  });
  it('invalid_check_digit', () => {
    expect(codeOf(() => parsePersonnummer('811218-9875', { today }))).toBe('invalid_check_digit');
    expect(parsePersonnummer.bind(null, '811218-9875', { today })).toThrow(/expected 6/);
  });
  it('samordningsnummer_not_allowed', () => {
    expect(codeOf(() => parsePersonnummer('900161-1236', { today, allowSamordningsnummer: false }))).toBe(
      'samordningsnummer_not_allowed',
    );
  });
  it('invalid_config: a bad today', () => {
    expect(codeOf(() => parsePersonnummer('811218-9876', { today: '2026-02-30' }))).toBe('invalid_config');
    expect(codeOf(() => parsePersonnummer('811218-9876', { today: '23/11/2026' }))).toBe('invalid_config');
  });
  it('today_required: the short form of a 12-digit input', () => {
    const p = parsePersonnummer('198112189876');
    expect(codeOf(() => p.format('short'))).toBe('today_required');
    expect(p.format('short', { today })).toBe('811218-9876');
  });
  it('isPersonnummer', () => {
    expect(isPersonnummer('811218-9876')).toBe(true);
    expect(isPersonnummer('811218-9875')).toBe(false);
    expect(isPersonnummer('811218-9876', { today })).toBe(true);
    expect(isPersonnummer('900161-1236', { allowSamordningsnummer: false })).toBe(false);
    expect(isPersonnummer('nonsense')).toBe(false);
  });
  it('maskPersonnummer redacts the last four digits and hides anything unrecognised', () => {
    expect(maskPersonnummer('191212121212')).toBe('19121212-****');
    expect(maskPersonnummer('19121212-1212')).toBe('19121212-****');
    expect(maskPersonnummer('121212-1212')).toBe('121212-****');
    expect(maskPersonnummer('121212+1212')).toBe('121212+****');
    expect(maskPersonnummer('1212121212')).toBe('121212-****');
    expect(maskPersonnummer('hello 1212')).toBe('****');
    expect(maskPersonnummer('12345')).toBe('****');
  });
});

describe('organisationsnummer', () => {
  it('parses the short, hyphenated and 16-prefixed forms', () => {
    expect(parseOrganisationsnummer('5560360793')).toEqual({ canonical: '556036-0793', digits: '5560360793' });
    expect(parseOrganisationsnummer('556036-0793').canonical).toBe('556036-0793');
    expect(parseOrganisationsnummer('165560360793').canonical).toBe('556036-0793');
    expect(parseOrganisationsnummer('16556036-0793').canonical).toBe('556036-0793');
    expect(isOrganisationsnummer('556036-0793')).toBe(true);
  });
  it('invalid_format (including a personnummer: third digit below 2)', () => {
    expect(codeOf(() => parseOrganisationsnummer('55603607'))).toBe('invalid_format');
    expect(codeOf(() => parseOrganisationsnummer('556036+0793'))).toBe('invalid_format');
    expect(codeOf(() => parseOrganisationsnummer('811218-9876'))).toBe('invalid_format');
    expect(isOrganisationsnummer('811218-9876')).toBe(false);
  });
  it('invalid_check_digit', () => {
    expect(codeOf(() => parseOrganisationsnummer('556036-0794'))).toBe('invalid_check_digit');
  });
});

describe('fødselsnummer, D-nummer, H-nummer', () => {
  it('parses a fødselsnummer and resolves the century from the individual number', () => {
    const f = parseFodselsnummer('01010750160');
    expect(f).toMatchObject({ kind: 'fodselsnummer', canonical: '01010750160', birthDate: '2007-01-01', sex: 'male' });
    expect(f.format('spaced')).toBe('010107 50160');
    expect(parseFodselsnummer('010107 50160').canonical).toBe('01010750160');
    expect(parseFodselsnummer(fnr('010180123')!).birthDate).toBe('1980-01-01'); // 000-499: 1900s
    expect(parseFodselsnummer(fnr('010160600')!).birthDate).toBe('1860-01-01'); // 500-749, YY >= 54: 1800s
    expect(parseFodselsnummer(fnr('010160950')!).birthDate).toBe('1960-01-01'); // 900-999, YY >= 40: 1900s
    expect(parseFodselsnummer(fnr('010139999')!).birthDate).toBe('2039-01-01'); // 500-999, YY <= 39: 2000s
  });
  it('parses D-nummer (day + 40) and H-nummer (month + 40)', () => {
    expect(parseFodselsnummer('41010750154')).toMatchObject({ kind: 'd-nummer', birthDate: '2007-01-01' });
    expect(parseFodselsnummer('01410750143')).toMatchObject({ kind: 'h-nummer', birthDate: '2007-01-01' });
  });
  it('takes the sex from the ninth digit', () => {
    expect(parseFodselsnummer(fnr('010180122')!).sex).toBe('female');
  });
  it('error codes', () => {
    expect(codeOf(() => parseFodselsnummer('0101075016'))).toBe('invalid_format');
    expect(codeOf(() => parseFodselsnummer('0101075016x'))).toBe('invalid_format');
    expect(codeOf(() => parseFodselsnummer(fnr('010150800')!))).toBe('invalid_individual_number');
    // 500-749 belongs to the 1800s only from 1854
    const y1853 = ['010153500', '010153501', '010153502', '010153503'].map(fnr).find((v) => v !== undefined)!;
    expect(codeOf(() => parseFodselsnummer(y1853))).toBe('invalid_individual_number');
    expect(codeOf(() => parseFodselsnummer(fnr('300280123')!))).toBe('invalid_date');
    expect(codeOf(() => parseFodselsnummer('01010750161'))).toBe('invalid_check_digit');
    expect(isFodselsnummer('01010750160')).toBe(true);
    expect(isFodselsnummer('01010750161')).toBe(false);
  });
});

describe('organisasjonsnummer', () => {
  it('parses and rejects', () => {
    expect(parseOrganisasjonsnummer('923 609 016')).toBe('923609016');
    expect(isOrganisasjonsnummer('923609016')).toBe(true);
    expect(codeOf(() => parseOrganisasjonsnummer('923609017'))).toBe('invalid_check_digit');
    expect(codeOf(() => parseOrganisasjonsnummer('92360901'))).toBe('invalid_format');
    expect(codeOf(() => parseOrganisasjonsnummer('92360901a'))).toBe('invalid_format');
  });
});
