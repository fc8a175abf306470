/**
 * Generated, realistic and deterministic demo data: a seeded PRNG, Swedish names and addresses, valid
 * personnummer (Luhn check digit), OCR numbers (Luhn, with length digit), customers with open invoices, and
 * library borrowers. The same seed always gives the same data, so a second demo run sees the same files.
 */
import { createOcr, type IsoDate, luhnCheckDigit } from '@nordfil/core';
import type { Borrower } from '@nordfil/patron';

/**
 * A small seeded PRNG (mulberry32): fast, good enough for test data, and the same on every platform.
 *
 * @example
 * const r = prng(2026); r.int(1, 6); r.pick(['a', 'b']);
 */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** True with probability p. */
  chance(p: number): boolean;
}

/**
 * Makes a {@link Prng}.
 *
 * @example
 * prng(1).int(0, 9); // always the same digit for seed 1
 */
export function prng(seed: number): Prng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T,
    chance: (p) => next() < p,
  };
}

const GIVEN_F = [
  'Anna',
  'Eva',
  'Maria',
  'Karin',
  'Sara',
  'Lena',
  'Kerstin',
  'Emma',
  'Ingrid',
  'Elsa',
  'Astrid',
  'Maja',
  'Linnéa',
  'Sofia',
  'Birgitta',
  'Ulla-Karin',
];
const GIVEN_M = [
  'Lars',
  'Karl',
  'Anders',
  'Johan',
  'Per',
  'Erik',
  'Nils',
  'Mikael',
  'Olof',
  'Gustav',
  'Björn',
  'Sven',
  'Åke',
  'Oscar',
  'Hugo',
  'Mats',
];
const FAMILY = [
  'Andersson',
  'Johansson',
  'Karlsson',
  'Nilsson',
  'Eriksson',
  'Larsson',
  'Olsson',
  'Persson',
  'Svensson',
  'Gustafsson',
  'Lindqvist',
  'Bergström',
  'Åberg',
  'Holm',
  'Sjöberg',
  'Ekström',
  'Lindgren',
  'Öberg',
];
const STREETS = [
  'Storgatan',
  'Kyrkogatan',
  'Drottninggatan',
  'Södra Vägen',
  'Linnégatan',
  'Björkvägen',
  'Järnvägsgatan',
  'Skolgatan',
  'Ängsvägen',
  'Östra Förstadsgatan',
  'Klostergatan',
  'Bangårdsgatan',
];
const TOWNS: readonly (readonly [string, string])[] = [
  ['22350', 'LUND'],
  ['21120', 'MALMÖ'],
  ['41301', 'GÖTEBORG'],
  ['11146', 'STOCKHOLM'],
  ['75310', 'UPPSALA'],
  ['58223', 'LINKÖPING'],
  ['90326', 'UMEÅ'],
  ['25225', 'HELSINGBORG'],
];

/** A generated person: a valid personnummer, a name and a home address. */
export interface DemoPerson {
  readonly pin: string;
  readonly birthDate: IsoDate;
  readonly given: string;
  readonly family: string;
  readonly street: string;
  readonly postalCode: string;
  readonly town: string;
}

/**
 * A valid 12-digit personnummer for a birth date and a three-digit birth number (Luhn over the last 9+… digits
 * of the 10-digit form).
 *
 * @example
 * personnummer('19121212', '121'); // '191212121212'
 */
export function personnummer(yyyymmdd: string, birthNumber: string): string {
  return `${yyyymmdd}${birthNumber}${luhnCheckDigit(yyyymmdd.slice(2) + birthNumber)}`;
}

/**
 * Generates `n` people with distinct personnummer.
 *
 * @example
 * const people = people(prng(1), 10);
 */
export function people(r: Prng, n: number): DemoPerson[] {
  const out: DemoPerson[] = [];
  const seen = new Set<string>();
  while (out.length < n) {
    const year = r.int(1935, 2006);
    const month = r.int(1, 12);
    const day = r.int(1, 28);
    const female = r.chance(0.5);
    // the third digit of the birth number is even for women, odd for men
    const birth = `${r.int(0, 9)}${r.int(0, 9)}${(r.int(0, 4) * 2 + (female ? 0 : 1)) % 10}`;
    const ymd = `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}`;
    const pin = personnummer(ymd, birth);
    if (seen.has(pin)) continue;
    seen.add(pin);
    const [postalCode, town] = r.pick(TOWNS);
    out.push({
      pin,
      birthDate: `${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}` as IsoDate,
      given: r.chance(0.3)
        ? `${r.pick(female ? GIVEN_F : GIVEN_M)} ${r.pick(female ? GIVEN_F : GIVEN_M)}`
        : r.pick(female ? GIVEN_F : GIVEN_M),
      family: r.pick(FAMILY),
      street: `${r.pick(STREETS)} ${r.int(1, 60)}${r.chance(0.2) ? r.pick(['A', 'B', 'C']) : ''}`,
      postalCode,
      town,
    });
  }
  return out;
}

/** A generated open invoice of the demo's ledger. */
export interface DemoInvoice {
  readonly id: string;
  readonly invoiceNumber: string;
  readonly ocr: string;
  readonly customer: string;
  readonly customerName: string;
  readonly company: string;
  /** Decimal string in major units. */
  readonly amount: string;
  readonly currency: 'SEK';
  readonly dueDate: IsoDate;
}

/**
 * Generates open invoices: invoice numbers from 10001, OCR numbers with a length digit and a Luhn check digit
 * (Bankgirot's hard check), amounts between 49 and 4,999 kronor.
 *
 * @example
 * const invoices = invoices(prng(1), people, 60, '2026-11-30');
 */
export function invoices(r: Prng, payers: readonly DemoPerson[], n: number, dueDate: IsoDate): DemoInvoice[] {
  const out: DemoInvoice[] = [];
  for (let i = 0; i < n; i++) {
    const p = payers[i % payers.length] as DemoPerson;
    const number = String(10001 + i);
    const kronor = r.pick([49, 99, 149, 250, 395, 480, 750, 1200, 1850, 2400, 3125, 4999]);
    const ore = r.chance(0.3) ? r.pick([50, 25, 90]) : 0;
    out.push({
      id: `inv-${number}`,
      invoiceNumber: number,
      ocr: createOcr(`7${number}`, { lengthDigit: true }),
      customer: `C-${p.pin.slice(2, 8)}`,
      customerName: `${p.given.split(' ')[0]} ${p.family}`,
      company: 'Lunds bibliotek AB',
      amount: `${kronor}.${String(ore).padStart(2, '0')}`,
      currency: 'SEK',
      dueDate,
    });
  }
  return out;
}

/**
 * A borrower of the library for a person, as the library system holds it before SPAR's update: a name, maybe
 * an address, contact data, updates allowed unless `over` says otherwise.
 *
 * @example
 * const b = borrowerOf(person, 'lund', { addresses: [] });
 */
export function borrowerOf(p: DemoPerson, account: string, over: Partial<Borrower> = {}): Borrower {
  return {
    id: `b-${p.pin.slice(2)}`,
    identities: [{ type: 'personnummer', value: p.pin }],
    formerIdentities: [],
    name: { given: p.given, family: p.family },
    birthDate: p.birthDate,
    addresses: [{ type: 'home', active: true, lines: [p.street], postalCode: p.postalCode, town: p.town }],
    contact: {
      email: `${
        p.given
          .split(' ')[0]
          ?.toLowerCase()
          .replace(/[^a-z]/g, '') || 'lantagare'
      }.${p.family.toLowerCase().replace(/[^a-z]/g, '')}@example.se`,
    },
    blocks: [],
    comments: [],
    updatePolicy: { allowUpdate: true, protectedSections: [] },
    accounts: [{ account }],
    ...over,
  } as Borrower;
}
