import { fc, test } from '@fast-check/vitest';
import type { Address, Borrower } from '@nordfil/patron';
import { fixedClock, memoryLog, memoryStorage, memoryTransport } from '@nordfil/ports';
import { describe, expect } from 'vitest';
import { borrower, ctx, pnr, TODAY } from '../test/support.js';
import { memoryBorrowerRepository, runSparImport } from './jobs.js';
import { parseSparFile } from './records.js';
import { decidePersonUpdate } from './rules.js';

// A pool of valid numbers: people in the file are drawn from it, referral targets from the rest.
const POOL = Array.from({ length: 12 }, (_, i) => pnr(`19${String(50 + i)}0${(i % 9) + 1}15`, String(100 + i * 7)));
const TARGETS = Array.from({ length: 4 }, (_, i) => pnr(`19${String(70 + i)}1201`, String(300 + i * 11)));

const word = fc.stringMatching(/^[A-ZÅÄÖ][a-zåäö]{1,10}$/);
const date = fc
  .integer({ min: 0, max: 20000 })
  .map((n) => new Date(Date.UTC(1970, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const address = fc.record({
  type: fc.constantFrom('Folkbokforingsadress', 'SarskildPostadress', 'Utlandsadress', 'Kontaktadress'),
  line: fc.tuple(word, fc.integer({ min: 1, max: 99 })).map(([w, n]) => `${w}gatan ${n}`),
  postNr: fc.integer({ min: 10000, max: 99999 }).map(String),
  town: word.map((w) => w.toUpperCase()),
  from: date,
  current: fc.boolean(),
});
const person = fc.record({
  secrecy: fc.constantFrom('NEJ', 'NEJ', 'NEJ', 'JA'),
  code: fc.constantFrom(
    undefined,
    undefined,
    undefined,
    'AV',
    'UV',
    'OB',
    'GN',
    'GS',
    'AS',
    'TA',
    'FI',
    'A',
    'G',
    'O',
    'ZZ',
  ),
  date,
  referrals: fc.subarray(TARGETS, { maxLength: 2 }),
  given: fc.array(word, { minLength: 1, maxLength: 3 }).map((w) => w.join(' ')),
  callCode: fc.constantFrom(undefined, '10', '20', '12', '00'),
  surname: word,
  addresses: fc.array(address, { maxLength: 3 }),
  unknown: fc.boolean(),
});
const file = fc.uniqueArray(fc.tuple(fc.constantFrom(...POOL), person), { selector: ([pin]) => pin, maxLength: 6 });

type Person = typeof person extends fc.Arbitrary<infer T> ? T : never;

function xml(posts: readonly (readonly [string, Person])[]): string {
  const body = posts
    .map(([pin, p]) => {
      const dereg =
        p.code === undefined
          ? ''
          : `<x:AvregistreringsorsakKod>${p.code}</x:AvregistreringsorsakKod><x:Avregistreringsdatum>${p.date}</x:Avregistreringsdatum>${p.referrals
              .map((r) => `<x:Hanvisning><x:IdNummer>${r}</x:IdNummer></x:Hanvisning>`)
              .join('')}`;
      const addresses = p.addresses
        .map(
          (a) =>
            `<y:${a.type}><y:SvenskAdress><y:DatumFrom>${a.from}</y:DatumFrom><y:DatumTill>${a.current ? '9999-12-31' : a.from}</y:DatumTill><y:Utdelningsadress2>${a.line}</y:Utdelningsadress2><y:PostNr>${a.postNr}</y:PostNr><y:Postort>${a.town}</y:Postort></y:SvenskAdress></y:${a.type}>`,
        )
        .join('');
      return `<x:AviseringPost><x:PersonId><x:IdNummer>${pin}</x:IdNummer></x:PersonId>
        <x:Sekretessmarkering>${p.secrecy}</x:Sekretessmarkering><x:SkyddadFolkbokforing>NEJ</x:SkyddadFolkbokforing>
        <x:Namn><x:Fornamn>${p.given}</x:Fornamn>${p.callCode === undefined ? '' : `<x:Tilltalsnamn>${p.callCode}</x:Tilltalsnamn>`}<x:Efternamn>${p.surname}</x:Efternamn></x:Namn>
        <x:Persondetaljer>${dereg}</x:Persondetaljer>${p.unknown ? '<x:Okand>1</x:Okand>' : ''}${addresses}</x:AviseringPost>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<x:SPARAvisering xmlns:x="http://statenspersonadressregister.se/schema/avisering/2023.1/a" xmlns:y="urn:y"><x:AviseringPoster>${body}</x:AviseringPoster></x:SPARAvisering>\n`;
}

const holder = fc.record({
  addresses: fc.constantFrom('none', 'home', 'work', 'extra', 'inactive-home', 'home+work'),
  allowUpdate: fc.constantFrom(true, true, true, false),
  protectedName: fc.boolean(),
});
const HOME: Address = { type: 'home', active: true, lines: ['Hemvägen 1'], postalCode: '22350', town: 'LUND' };
const WORK: Address = { type: 'work', active: true, lines: ['Box 1'], postalCode: '22100', town: 'LUND' };
function makeBorrower(pin: string, h: { addresses: string; allowUpdate: boolean; protectedName: boolean }): Borrower {
  const addresses = {
    none: [],
    home: [HOME],
    work: [WORK],
    extra: [{ ...WORK, type: 'extra' as const }],
    'inactive-home': [{ ...HOME, active: false }],
    'home+work': [HOME, WORK],
  }[h.addresses]!;
  return borrower(pin, {
    addresses: [...addresses],
    updatePolicy: { allowUpdate: h.allowUpdate, protectedSections: h.protectedName ? ['name'] : [] },
  });
}

async function importOnce(borrowers: Borrower[], bytes: string, at: string) {
  const repo = memoryBorrowerRepository(borrowers);
  const run = (iso: string) =>
    runSparImport({
      transport: memoryTransport({ files: { 'in/spar.xml': bytes } }),
      storage: memoryStorage(), // a fresh record of imported files: the file really is applied again
      clock: fixedClock(iso),
      log: memoryLog(),
      borrowers: repo,
      config: { account: 'lund', folder: 'in' },
    });
  await run(at);
  const once = JSON.stringify(repo.all());
  await run('2027-01-05T01:00:00Z');
  return { once, twice: JSON.stringify(repo.all()) };
}

describe('idempotence', () => {
  test.prop([file, fc.array(holder, { minLength: 12, maxLength: 12 })], { numRuns: 60 })(
    'any SPAR file imported twice gives the same borrowers as once',
    async (posts, holders) => {
      const borrowers = POOL.map((pin, i) => makeBorrower(pin, holders[i]!));
      const { once, twice } = await importOnce(borrowers, xml(posts), '2026-11-23T01:00:00Z');
      expect(twice).toBe(once);
    },
  );

  test.prop([file, fc.array(holder, { minLength: 12, maxLength: 12 })], { numRuns: 60 })(
    'deciding again on the decided borrower changes nothing',
    (posts, holders) => {
      for (const p of parseSparFile(xml(posts), { today: TODAY }).persons) {
        const i = POOL.indexOf(p.idNumber);
        const first = decidePersonUpdate(makeBorrower(p.idNumber, holders[i]!), p, ctx());
        const second = decidePersonUpdate(first.borrower, p, ctx({ at: '2027-01-05T01:00:00.000Z' }));
        expect(second.changed).toBe(false);
        expect(second.actions).toEqual([]);
        expect(second.comments).toEqual([]);
      }
    },
  );
});
