/**
 * The demo's collection cases (Norwegian debtors, NOK) and the agency's side: the receipt (Kvitt) and settlement
 * (Avsl) files the agency would send back, written with `@nordfil/lindorff`'s own codec.
 */
import { createKid, type IsoDate, Money } from '@nordfil/core';
import type { CollectionClaim, Receipt, Settlement } from '@nordfil/lindorff';
import type { Prng } from './data.js';

const NO_GIVEN = ['Kari', 'Ola', 'Ingrid', 'Lars', 'Sigrid', 'Håkon', 'Marit', 'Bjørn', 'Solveig', 'Eirik'];
const NO_FAMILY = [
  'Nordmann',
  'Hansen',
  'Johansen',
  'Olsen',
  'Larsen',
  'Andersen',
  'Pedersen',
  'Nilsen',
  'Kristiansen',
  'Berg',
];
const NO_TOWNS: readonly (readonly [string, string])[] = [
  ['0155', 'OSLO'],
  ['5003', 'BERGEN'],
  ['7011', 'TRONDHEIM'],
  ['4006', 'STAVANGER'],
  ['9008', 'TROMSØ'],
];

/** The demo's customer number at the agency (KundeID). */
export const DEMO_AGENCY_CUSTOMER = '12345';

/**
 * Overdue invoices confirmed for collection by the reminder run: one claim per debtor.
 *
 * @example
 * const claims = demoClaims(prng(1), 8, '2026-10-01');
 */
export function demoClaims(r: Prng, n: number, dueDate: IsoDate): CollectionClaim[] {
  const out: CollectionClaim[] = [];
  for (let i = 0; i < n; i++) {
    const number = String(90001 + i);
    const amount = Money.of(String(r.pick([450, 890, 1250, 2300, 3999, 675])), 'NOK');
    const [postalCode, city] = r.pick(NO_TOWNS);
    out.push({
      caseRef: number,
      debtor: {
        number: `K${5001 + i}`,
        type: 'P',
        name: `${r.pick(NO_GIVEN)} ${r.pick(NO_FAMILY)}`,
        address1: `${r.pick(['Storgata', 'Kirkegata', 'Parkveien', 'Bryggen'])} ${r.int(1, 80)}`,
        postalCode,
        city,
        country: 'NO',
      },
      invoice: {
        number,
        kid: createKid(number),
        invoiceDate: '2026-09-01' as IsoDate,
        dueDate,
        originalPrincipal: amount,
        outstandingPrincipal: amount,
      },
      reminders: {
        feesCharged: Money.of('70', 'NOK'),
        feeNoticeCount: 2,
        lastNoticeDate: '2026-11-01' as IsoDate,
        lastNoticeType: 'VAR',
      },
      interest: { from: dueDate, basis: 'LOV' },
      disputed: false,
      lines: [],
    });
  }
  return out;
}

/**
 * The agency's receipts: every case accepted with a reference, except the last, rejected (the debtor is unknown
 * at the address).
 *
 * @example
 * const receipts = demoReceipts(claims, 'Kvitt_K12345_20261123061000', '2026-11-23');
 */
export function demoReceipts(claims: readonly CollectionClaim[], file: string, date: IsoDate): Receipt[] {
  return claims.map((c, i) =>
    i === claims.length - 1
      ? {
          id: `${file}#${i + 2}`,
          caseRef: c.caseRef,
          status: 'rejected',
          reasonCode: 'ADR',
          reasonText: 'Ukjent adresse',
          registeredDate: date,
        }
      : {
          id: `${file}#${i + 2}`,
          caseRef: c.caseRef,
          agencyRef: `L-${770 + i}`,
          status: 'accepted',
          registeredDate: date,
        },
  );
}

/**
 * The agency's settlements and closures: one case paid in full, one partly paid, one closed without payment.
 *
 * @example
 * const settlements = demoSettlements(claims, 'Avsl_K12345_20261123062000', '2026-11-23');
 */
export function demoSettlements(claims: readonly CollectionClaim[], file: string, date: IsoDate): Settlement[] {
  const nok = (s: string) => Money.of(s, 'NOK');
  const zero = nok('0');
  const out: Settlement[] = [];
  const [a, b, c] = claims;
  if (a !== undefined) {
    const p = a.invoice.outstandingPrincipal;
    out.push({
      id: `${file}#2`,
      agencyRef: 'L-770',
      caseRef: a.caseRef,
      event: 'OPPG',
      eventDate: date,
      principal: p,
      interest: nok('12.40'),
      fees: nok('70'),
      costs: nok('350'),
      remitted: p.plus(nok('82.40')),
      rentenota: nok('12.40'),
    });
  }
  if (b !== undefined) {
    out.push({
      id: `${file}#3`,
      agencyRef: 'L-771',
      caseRef: b.caseRef,
      event: 'DELB',
      eventDate: date,
      principal: nok('200'),
      interest: zero,
      fees: zero,
      costs: nok('100'),
      remitted: nok('200'),
      rentenota: zero,
    });
  }
  if (c !== undefined) {
    out.push({
      id: `${file}#4`,
      agencyRef: 'L-772',
      caseRef: c.caseRef,
      event: 'AVSL',
      eventDate: date,
      principal: zero,
      interest: zero,
      fees: zero,
      costs: zero,
      remitted: zero,
      rentenota: zero,
    });
  }
  return out;
}
