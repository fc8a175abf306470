// Shared builders and fast-check arbitraries for the patron tests.
import { fc } from '@fast-check/vitest';
import type { IsoDate } from '@nordfil/core';
import { Money } from '@nordfil/core';
import type { Actor, Borrower, Holdings, OperationContext } from '../src/index.js';

export const TODAY = '2026-11-23' as IsoDate;
export const NOW = '2026-11-23T10:15:00Z';

export const admin: Actor = { id: 'staff-admin', roles: ['administrator'] };
export const librarian: Actor = { id: 'staff-lib', roles: ['librarian'] };
export const desk: Actor = { id: 'staff-desk', roles: ['desk'] };
export const nobody: Actor = { id: 'visitor', roles: [] };

export function ctx(actor: Actor = admin, over: Partial<OperationContext> = {}): OperationContext {
  return { actor, account: 'lund', at: NOW, today: TODAY, ...over };
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

export function pnr(yyyymmdd: string, birthNumber: string): string {
  const nine = yyyymmdd.slice(2) + birthNumber;
  return `${yyyymmdd}${birthNumber}${luhn(nine)}`;
}

export const TOLVAN = '191212121212';
export const TOLVAN_NEW = pnr('19121212', '122');

export function borrower(over: Partial<Borrower> = {}): Borrower {
  return {
    id: 'b-1',
    identities: [
      { type: 'personnummer', value: TOLVAN },
      { type: 'other', scheme: 'card', value: '2000123456' },
    ],
    formerIdentities: [],
    name: { given: 'Tolvan Karl', family: 'Tolvansson', callName: 'Tolvan' },
    birthDate: '1912-12-12' as IsoDate,
    addresses: [
      { type: 'home', active: true, lines: ['Storgatan 1'], postalCode: '22350', town: 'LUND' },
      { type: 'work', active: true, lines: ['Box 117'], postalCode: '22100', town: 'LUND' },
    ],
    contact: { mobile: '070-123 45 67', email: 'tolvan@example.se' },
    pin: { hashRef: 'vault:pin/secret-hash-ref-9f86d0', algorithm: 'argon2id', updatedAt: '2026-01-01T00:00:00Z' },
    blocks: [],
    comments: [],
    updatePolicy: { allowUpdate: true, protectedSections: [] },
    accounts: [{ account: 'lund', since: '2020-01-15' as IsoDate, category: 'adult' }, { account: 'malmo' }],
    ...over,
  };
}

export const SEK = (s: string) => Money.of(s, 'SEK');

export function holdings(over: Partial<Holdings> = {}): Holdings {
  return { loans: 0, reservations: 0, debts: { count: 0, total: Money.zero('SEK') }, ...over };
}

// ---------------------------------------------------------------------------------------------------------
// arbitraries

const word = fc.stringMatching(/^[A-Za-zÅÄÖåäö][a-zåäö-]{0,15}$/);
const isoDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10) as IsoDate);
const instant = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
const birthNumber = fc.integer({ min: 1, max: 999 }).map((n) => String(n).padStart(3, '0'));
const provenance = fc.option(
  fc.record(
    { source: fc.constantFrom('SPAR', 'staff'), file: word, registerChangedOn: isoDate, appliedAt: instant },
    { requiredKeys: ['source'] },
  ),
  { nil: undefined },
);

export const nationalIdArb = fc.tuple(isoDate, birthNumber, fc.boolean()).map(([d, n, samordning]) => {
  const ymd = d.replace(/-/g, '');
  const day = Number(ymd.slice(6)) + (samordning ? 60 : 0);
  const value = pnr(`${ymd.slice(0, 6)}${String(day).padStart(2, '0')}`, n);
  return { type: samordning ? ('samordningsnummer' as const) : ('personnummer' as const), value };
});

const addressArb = fc.record(
  {
    type: fc.constantFrom('work' as const, 'extra' as const, 'temporary' as const),
    active: fc.boolean(),
    validFrom: isoDate,
    careOf: word,
    lines: fc.array(word, { maxLength: 3 }),
    postalCode: fc.stringMatching(/^\d{5}$/),
    town: word,
    country: fc.constantFrom('SE', 'NO', 'DK'),
    registerType: fc.constantFrom('folkbokforingsadress' as const, 'utlandsadress' as const),
    provenance,
  },
  { requiredKeys: ['type', 'active', 'lines'] },
);

const blockArb = fc.oneof(
  fc.record(
    {
      kind: fc.constant('manual' as const),
      reason: fc.constantFrom('staff' as const, 'deceased' as const, 'missing' as const),
      comment: word,
      scope: fc.subarray(['borrowing', 'renewals', 'reservations'] as const, { minLength: 1 }),
      placedAt: instant,
      placedBy: word,
      expiresOn: isoDate,
      provenance,
    },
    { requiredKeys: ['kind', 'reason', 'comment', 'scope', 'placedAt', 'placedBy'] },
  ),
  fc.record({
    kind: fc.constant('debt' as const),
    balance: fc.record({ amount: fc.constantFrom('250.00', '1000.50'), currency: fc.constant('SEK') }),
    limit: fc.record({ amount: fc.constant('200.00'), currency: fc.constant('SEK') }),
    since: instant,
  }),
);

const commentArb = fc.record(
  { text: word, author: word, date: isoDate, source: fc.constantFrom('staff', 'SPAR', 'system'), provenance },
  { requiredKeys: ['text', 'author', 'date', 'source'] },
);

/** Any valid borrower: every optional field sometimes present, a PIN usually set, 1–4 accounts. */
export const borrowerArb: fc.Arbitrary<Borrower> = fc
  .record(
    {
      id: fc.stringMatching(/^[a-z0-9-]{1,12}$/),
      national: fc.option(nationalIdArb, { nil: undefined }),
      cards: fc.uniqueArray(fc.stringMatching(/^\d{6,10}$/), { maxLength: 2 }),
      formerIdentities: fc.array(
        fc.record({ identity: nationalIdArb, replacedOn: isoDate, replacedBy: nationalIdArb.map((i) => i.value) }),
        { maxLength: 2 },
      ),
      name: fc.record(
        { given: word, middle: word, family: word, callName: word, provenance },
        { requiredKeys: ['family'] },
      ),
      birthDate: fc.option(isoDate, { nil: undefined }),
      language: fc.option(fc.constantFrom('sv', 'en', 'nb'), { nil: undefined }),
      home: fc.option(fc.boolean(), { nil: undefined }),
      addresses: fc.array(addressArb, { maxLength: 3 }),
      contact: fc.record(
        {
          phone: fc.stringMatching(/^0\d{1,3}-\d{5,8}$/),
          mobile: fc.stringMatching(/^\+467\d{8}$/),
          email: fc.constantFrom('a@example.se', 'tolvan.t@bibliotek.example.org'),
        },
        { requiredKeys: [] },
      ),
      pin: fc.option(
        fc.record({ hashRef: fc.stringMatching(/^pinhash-[0-9a-f]{16}$/), algorithm: fc.constant('argon2id') }),
        { nil: undefined },
      ),
      blocks: fc.array(blockArb, { maxLength: 3 }),
      comments: fc.array(commentArb, { maxLength: 3 }),
      allowUpdate: fc.boolean(),
      protectedSections: fc.subarray(['name', 'addresses', 'contact', 'blocks'] as const),
      otherAccounts: fc.uniqueArray(fc.stringMatching(/^acc-[a-z]{1,6}$/), { maxLength: 3 }),
      register: fc.option(
        fc.record(
          { protectedIdentity: fc.boolean(), lastChangedInRegister: isoDate, residence: word },
          { requiredKeys: [] },
        ),
        { nil: undefined },
      ),
    },
    { requiredKeys: ['id', 'name', 'addresses', 'contact', 'blocks', 'comments', 'allowUpdate', 'protectedSections'] },
  )
  .map((r) => {
    let debtSeen = false;
    const blocks: Borrower['blocks'] = [];
    (r.blocks ?? []).forEach((b, i) => {
      if (b.kind === 'debt') {
        if (debtSeen) return;
        debtSeen = true;
        blocks.push({ ...b, id: 'debt' });
      } else blocks.push({ ...b, id: `m-${i}` });
    });
    const out: Borrower = {
      id: r.id ?? 'b',
      identities: [
        ...(r.national === undefined ? [] : [r.national]),
        ...(r.cards ?? []).map((v) => ({ type: 'other' as const, scheme: 'card', value: v })),
      ],
      formerIdentities: r.formerIdentities ?? [],
      name: r.name!,
      addresses: [
        ...(r.home === undefined ? [] : [{ type: 'home' as const, active: r.home, lines: ['Storgatan 1'] }]),
        ...(r.addresses ?? []),
      ],
      contact: r.contact ?? {},
      blocks,
      comments: (r.comments ?? []).map((c, i) => ({ ...c, id: `c-${i}` })),
      updatePolicy: { allowUpdate: r.allowUpdate ?? true, protectedSections: [...(r.protectedSections ?? [])] },
      accounts: [{ account: 'lund' }, ...(r.otherAccounts ?? []).map((a) => ({ account: a }))],
    };
    if (r.birthDate !== undefined) out.birthDate = r.birthDate;
    if (r.language !== undefined) out.language = r.language;
    if (r.pin !== undefined) out.pin = r.pin;
    if (r.register !== undefined) out.register = r.register;
    return out;
  });
