// Shared builders for the SPAR tests: borrowers, contexts, fixtures and valid personnummer.
import { readFileSync } from 'node:fs';
import type { IsoDate } from '@nordfil/core';
import type { Address, Borrower } from '@nordfil/patron';
import { sparContext } from '../src/index.js';

export const TODAY = '2026-11-23' as IsoDate;
export const NOW = '2026-11-23T02:00:00.000Z';
export const ctx = (over: Record<string, unknown> = {}) =>
  sparContext({ account: 'lund', at: NOW, today: TODAY, file: 'avi.xml', ...over });

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
}
export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** Luhn check digit over 9 digits (weights 2,1,…). */
export function luhn(nine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let p = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (p > 9) p -= 9;
    sum += p;
  }
  return (10 - (sum % 10)) % 10;
}
export const pnr = (yyyymmdd: string, birthNumber: string) =>
  `${yyyymmdd}${birthNumber}${luhn(yyyymmdd.slice(2) + birthNumber)}`;

export const PIN = {
  A: '195704133106',
  B: '198112189876',
  C: '199001011239',
  D: '197505052469',
  E: '196002291356',
  N1: '200101012383',
  AV: '193001011117',
  UV: '194503122220',
  OB: '196611113330',
  GN: '197007074441',
  GN_NEW: '197007074524',
  GS: '199001611236',
  GS_NEW: '199001014597',
  AS: '198501715679',
  TA: '195208086784',
  FI: '198809097895',
  LEGACY_A: '192002021117',
  LEGACY_G: '197107102225',
  LEGACY_O: '197207203337',
  XX: '197307304449',
  P1: '198008155551',
  P2: '198203036663',
} as const;

export function borrower(pin: string, over: Partial<Borrower> = {}): Borrower {
  return {
    id: `b-${pin}`,
    identities: [{ type: pin.slice(6, 8) > '60' ? 'samordningsnummer' : 'personnummer', value: pin }],
    formerIdentities: [],
    name: { given: 'Okänd', family: 'Låntagare' },
    addresses: [],
    contact: { mobile: '070-123 45 67', email: 'lantagare@example.se', phone: '046-12 34 56' },
    blocks: [],
    comments: [],
    updatePolicy: { allowUpdate: true, protectedSections: [] },
    accounts: [{ account: 'lund' }],
    ...over,
  } as Borrower;
}

export const home = (line: string, active = true): Address => ({
  type: 'home',
  active,
  lines: [line],
  postalCode: '22350',
  town: 'LUND',
});
export const work = (line: string): Address => ({
  type: 'work',
  active: true,
  lines: [line],
  postalCode: '22100',
  town: 'LUND',
});
