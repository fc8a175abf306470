/**
 * The demo's stand-in for SPAR: borrowers set up so that every rule of `@nordfil/spar` fires, and the avisering
 * outfile (schema 2021.1 XML) SPAR would send back for them. `@nordfil/spar` has no outfile writer (we never send
 * one), so the XML is written here, in the shape of the package's own fixtures.
 */
import type { IsoDate } from '@nordfil/core';
import type { Borrower } from '@nordfil/patron';
import { borrowerOf, type DemoPerson, personnummer } from './data.js';

/** What SPAR says about one person in the demo. */
export type SparScenario =
  | 'address_none'
  | 'address_active_home'
  | 'address_only_work'
  | 'update_off'
  | 'protected'
  | 'deceased'
  | 'new_number'
  | 'emigrated';

/** The scenarios in the order the demo assigns them, and what each should show. */
export const SPAR_SCENARIOS: readonly { readonly scenario: SparScenario; readonly what: string }[] = [
  { scenario: 'address_none', what: 'no address: SPAR’s becomes the active home address' },
  { scenario: 'address_active_home', what: 'an active home address: replaced' },
  { scenario: 'address_only_work', what: 'only a work address: added as an inactive home address' },
  { scenario: 'update_off', what: '“Tillåt uppdatering” off: skipped and logged' },
  { scenario: 'protected', what: 'protected identity: addresses and contact data removed' },
  { scenario: 'deceased', what: 'deceased (AV): blocked with a comment' },
  { scenario: 'new_number', what: 'new number (GN): the borrower moves to it' },
  { scenario: 'emigrated', what: 'emigrated (UV): blocked with a comment' },
];

/** One demo borrower with its scenario. */
export interface SparCase {
  readonly scenario: SparScenario;
  readonly person: DemoPerson;
  readonly borrower: Borrower;
  /** For `new_number`: the new personnummer SPAR refers to. */
  readonly newPin?: string;
}

/**
 * Sets up the borrowers: the first people get one scenario each (twice round), the rest are ordinary borrowers
 * whose address SPAR confirms or updates.
 *
 * @example
 * const cases = sparCases(people, 'lund');
 */
export function sparCases(persons: readonly DemoPerson[], account: string): SparCase[] {
  return persons.map((p, i) => {
    const scenario =
      i < SPAR_SCENARIOS.length * 2
        ? (SPAR_SCENARIOS[i % SPAR_SCENARIOS.length]?.scenario ?? 'address_active_home')
        : 'address_active_home';
    const work = {
      type: 'work' as const,
      active: true,
      lines: ['Stadsbiblioteket, Box 3'],
      postalCode: '22100',
      town: 'LUND',
    };
    let borrower: Borrower;
    switch (scenario) {
      case 'address_none':
        borrower = borrowerOf(p, account, { addresses: [] });
        break;
      case 'address_only_work':
        borrower = borrowerOf(p, account, { addresses: [work] });
        break;
      case 'update_off':
        borrower = borrowerOf(p, account, { updatePolicy: { allowUpdate: false, protectedSections: [] } });
        break;
      default:
        borrower = borrowerOf(p, account);
    }
    if (scenario === 'new_number') {
      // a new number for the same birth date, birth number moved on
      const ymd = p.pin.slice(0, 8);
      const next = String((Number(p.pin.slice(8, 11)) + 2) % 1000).padStart(3, '0');
      return { scenario, person: p, borrower, newPin: personnummer(ymd, next) };
    }
    return { scenario, person: p, borrower };
  });
}

const NS = [
  'xmlns:av="http://statenspersonadressregister.se/schema/avisering/2021.1/avisering"',
  'xmlns:p="http://statenspersonadressregister.se/schema/komponent/person/person-1.2"',
  'xmlns:s="http://statenspersonadressregister.se/schema/komponent/person/skyddadepersonuppgifter-1.1"',
  'xmlns:d="http://statenspersonadressregister.se/schema/komponent/generellt/datumtid-1.1"',
  'xmlns:pd="http://statenspersonadressregister.se/schema/komponent/person/persondetaljer-1.2"',
  'xmlns:ar="http://statenspersonadressregister.se/schema/komponent/person/avregistrering-1.0"',
  'xmlns:h="http://statenspersonadressregister.se/schema/komponent/person/hanvisning-1.0"',
  'xmlns:n="http://statenspersonadressregister.se/schema/komponent/person/namn/deladenamnelement-1.0"',
  'xmlns:nn="http://statenspersonadressregister.se/schema/komponent/person/namn/namn-1.0"',
  'xmlns:f="http://statenspersonadressregister.se/schema/komponent/person/folkbokforing-1.0"',
  'xmlns:fa="http://statenspersonadressregister.se/schema/komponent/person/adress/folkbokforingsadress-1.1"',
  'xmlns:a="http://statenspersonadressregister.se/schema/komponent/person/adress/deladeadresselement-1.1"',
  'xmlns:ap="http://statenspersonadressregister.se/schema/komponent/person/aviseringpost-1.2"',
].join(' ');

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function post(c: SparCase, changedOn: IsoDate, movedTo: { street: string; postalCode: string; town: string }): string {
  const p = c.person;
  const head = (secret: boolean) =>
    `      <p:PersonId><p:IdNummer>${p.pin}</p:IdNummer><p:Typ>PERSONNUMMER</p:Typ></p:PersonId>
      <s:Sekretessmarkering${secret ? ' sattAvSPAR="JA"' : ''}>${secret ? 'JA' : 'NEJ'}</s:Sekretessmarkering>
      <s:SkyddadFolkbokforing>NEJ</s:SkyddadFolkbokforing>
      <p:SenasteAndringSPAR>${changedOn}</p:SenasteAndringSPAR>`;
  const name = `      <nn:Namn>
        <d:DatumFrom>${p.birthDate}</d:DatumFrom><d:DatumTill>9999-12-31</d:DatumTill>
        <n:Fornamn>${esc(p.given)}</n:Fornamn>${p.given.includes(' ') ? '\n        <n:Tilltalsnamn>10</n:Tilltalsnamn>' : ''}
        <n:Efternamn>${esc(p.family)}</n:Efternamn>
      </nn:Namn>`;
  const details = (extra = '') => `      <pd:Persondetaljer>
        <d:DatumFrom>${extra === '' ? p.birthDate : changedOn}</d:DatumFrom><d:DatumTill>9999-12-31</d:DatumTill>
        <pd:Fodelsedatum>${p.birthDate}</pd:Fodelsedatum>${extra}
      </pd:Persondetaljer>`;
  const address = `      <f:Folkbokforing>
        <d:DatumFrom>${changedOn}</d:DatumFrom><d:DatumTill>9999-12-31</d:DatumTill>
        <f:Hemvist>Skriven på adressen</f:Hemvist>
      </f:Folkbokforing>
      <fa:Folkbokforingsadress>
        <a:SvenskAdress>
          <d:DatumFrom>${changedOn}</d:DatumFrom><d:DatumTill>9999-12-31</d:DatumTill>
          <a:Utdelningsadress2>${esc(movedTo.street)}</a:Utdelningsadress2>
          <a:PostNr>${movedTo.postalCode}</a:PostNr>
          <a:Postort>${esc(movedTo.town)}</a:Postort>
        </a:SvenskAdress>
      </fa:Folkbokforingsadress>`;
  const deregistered = (code: string, extra = '') =>
    details(`
        <ar:AvregistreringsorsakKod>${code}</ar:AvregistreringsorsakKod>
        <ar:Avregistreringsdatum>${changedOn}</ar:Avregistreringsdatum>${extra}`);
  let body: string;
  switch (c.scenario) {
    case 'protected':
      // SPAR sends no name and no address for a protected identity
      body = head(true);
      break;
    case 'deceased':
      body = `${head(false)}\n${name}\n${deregistered('AV')}`;
      break;
    case 'emigrated':
      body = `${head(false)}\n${name}\n${deregistered('UV')}`;
      break;
    case 'new_number':
      body = `${head(false)}\n${name}\n${deregistered('GN', `\n        <h:Hanvisning><h:IdNummer>${c.newPin}</h:IdNummer><h:Typ>PERSONNUMMER</h:Typ></h:Hanvisning>`)}`;
      break;
    default:
      body = `${head(false)}\n${name}\n${details()}\n${address}`;
  }
  return `    <ap:AviseringPost>\n${body}\n    </ap:AviseringPost>`;
}

/**
 * SPAR's avisering outfile for the cases: each person's current state as of `changedOn`, a new address for the
 * address scenarios (deterministic, from the person's own data).
 *
 * @example
 * const xml = sparOutfile(cases, '2026-11-20', { fileNumber: 1 });
 */
export function sparOutfile(
  cases: readonly SparCase[],
  changedOn: IsoDate,
  options: { readonly infile: string },
): string {
  const posts = cases.map((c, i) => {
    const moved = {
      street: `${['Nya vägen', 'Parkgatan', 'Tornavägen', 'Spolegatan'][i % 4]} ${(i % 40) + 2}`,
      postalCode: c.person.postalCode,
      town: c.person.town,
    };
    return post(c, changedOn, moved);
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<av:SPARAvisering ${NS}>
  <av:IdentifieringsinformationFil>
    <av:Filinformation>
      <av:UppdragId>4711</av:UppdragId>
      <av:ResultatfilSkapad>${changedOn}T03:12:45.123</av:ResultatfilSkapad>
      <av:Sekvensnummer>1</av:Sekvensnummer>
    </av:Filinformation>
  </av:IdentifieringsinformationFil>
  <av:Aviseringsunderlag>
    <av:Kundinfil><av:Namn>${esc(options.infile)}</av:Namn></av:Kundinfil>
  </av:Aviseringsunderlag>
  <av:AviseringPoster>
${posts.join('\n')}
  </av:AviseringPoster>
</av:SPARAvisering>
`;
}
