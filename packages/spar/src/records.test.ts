import { deflateRawSync, gzipSync } from 'node:zlib';
import { NordfilError } from '@nordfil/core';
import { describe, expect, test } from 'vitest';
import { fixture, fixtureText, PIN, TODAY } from '../test/support.js';
import {
  callNameFromCode,
  currentVersion,
  DEREGISTRATION_CODES,
  isCurrent,
  normaliseSparPin,
  parseSparFile,
  prepareSparPins,
  readSparInfile,
  SPAR_INFILE_NAMESPACE,
  safeParseSparFile,
  unpackSparFile,
  type Validity,
  writeSparInfileXml,
  writeSparList,
} from './records.js';

/** A one-entry zip (deflated), as SPAR delivers its outfiles. */
function zip(name: string, data: Uint8Array): Uint8Array {
  const body = deflateRawSync(data);
  const nameBytes = new TextEncoder().encode(name);
  const local = new Uint8Array(30 + nameBytes.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(8, 8, true);
  lv.setUint32(18, body.length, true);
  lv.setUint32(22, data.length, true);
  lv.setUint16(26, nameBytes.length, true);
  local.set(nameBytes, 30);
  const central = new Uint8Array(46 + nameBytes.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(10, 8, true);
  cv.setUint32(20, body.length, true);
  cv.setUint32(24, data.length, true);
  cv.setUint16(28, nameBytes.length, true);
  cv.setUint32(42, 0, true);
  central.set(nameBytes, 46);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, 1, true);
  ev.setUint16(10, 1, true);
  ev.setUint32(12, central.length, true);
  ev.setUint32(16, local.length + body.length, true);
  const out = new Uint8Array(local.length + body.length + central.length + end.length);
  out.set(local, 0);
  out.set(body, local.length);
  out.set(central, local.length + body.length);
  out.set(end, local.length + body.length + central.length);
  return out;
}

describe('parseSparFile: schema 2021.1', () => {
  const file = parseSparFile(fixture('avisering-2021.1.xml'), { source: 'avisering-2021.1.xml', today: TODAY });

  test('reads every post, namespace-agnostic, with the schema version and the file header', () => {
    expect(file.schemaVersion).toBe('2021.1');
    expect(file.persons.map((p) => p.idNumber)).toEqual([PIN.A, PIN.B, PIN.C, PIN.D]);
    expect(file.header).toEqual({ assignmentId: '4711', createdAt: '2026-11-01T03:12:45.123', sequenceNumber: '12' });
  });

  test('picks the current version of each block by its dates, whatever the order, and keeps the history', () => {
    const a = file.persons[0]!;
    expect(a.registration).toMatchObject({ countyCode: '01', municipalityCode: '80', municipality: '0180' });
    expect(a.history.registrations).toHaveLength(2);
    expect(a.addresses).toEqual([
      expect.objectContaining({ registerType: 'folkbokforingsadress', lines: ['Gatan142 8'], postalCode: '11146' }),
    ]);
    expect(a.history.addresses.map((x) => x.lines[0])).toEqual(['Gatan142 8', 'Gamla gatan 1']);
    const b = file.persons[1]!;
    expect(b.name?.surname).toBe('Nyman');
    expect(b.history.names.map((n) => n.surname)).toEqual(['Nyman', 'Gammalman']);
  });

  test('reads names with the call name from the Tilltalsnamn code, and details', () => {
    const a = file.persons[0]!;
    expect(a.name).toMatchObject({
      givenNames: 'Christina Birgitta Ulrika',
      callNameCode: '20',
      callName: 'Birgitta',
      middleName: 'Thomeaus',
      surname: 'Efternamn3542',
      notificationName: 'Efternamn3542, Christina Birgitta',
    });
    expect(a.details).toMatchObject({ birthDate: '1957-04-13', sex: 'KVINNA', secrecyMarked: false });
    expect(a.protectedIdentity).toBe(false);
    expect(a.lastChanged).toBe('2019-12-02');
    expect(file.persons[2]!.name?.callName).toBe('Ulla-Karin');
  });

  test('reads särskild postadress with c/o, and international addresses', () => {
    expect(file.persons[1]!.addresses.map((a) => a.registerType)).toEqual([
      'folkbokforingsadress',
      'sarskild_postadress',
    ]);
    expect(file.persons[1]!.addresses[1]).toMatchObject({ careOf: 'Anna Nyman', lines: ['Box 12'] });
    expect(file.persons[3]!.addresses[0]).toMatchObject({
      registerType: 'utlandsadress',
      form: 'international',
      lines: ['Storgata 5', '0155 OSLO'],
      country: 'NORGE',
    });
  });

  test('tolerates unknown elements and codes, reporting each as a warning with its path and line', () => {
    const unknown = file.issues.find((i) => i.code === 'unknown_element');
    expect(unknown).toMatchObject({
      severity: 'warning',
      source: 'avisering-2021.1.xml',
      field: 'Post[1]/NyttElementFranSpar[1]',
    });
    const lines = fixtureText('avisering-2021.1.xml').split('\n');
    expect(unknown?.line).toBe(lines.findIndex((l) => l.includes('<ns4:NyttElementFranSpar>')) + 1);
    expect(file.issues.find((i) => i.code === 'unknown_code')).toMatchObject({ actual: 'HEN', severity: 'warning' });
    expect(file.issues.every((i) => i.severity === 'warning')).toBe(true);
  });
});

describe('parseSparFile: schema 2023.1 and the Personsök answer', () => {
  test('a default namespace and other prefixes read the same', () => {
    const f = parseSparFile(fixture('avisering-2023.1.xml'), { today: TODAY });
    expect(f.schemaVersion).toBe('2023.1');
    expect(f.persons.map((p) => p.idNumber)).toEqual([PIN.E, PIN.N1]);
    expect(f.persons[0]!.name?.callName).toBe('Kjell Olof');
    expect(f.persons[0]!.addresses[0]).toMatchObject({ lines: ['Nya vägen 3'], town: 'GÖTEBORG' });
    expect(f.issues).toEqual([]);
  });

  test('PersonsokningSvarspost inside a SOAP envelope is read as a person too', () => {
    const xml = `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>
      <x:SPARPersonsokningSvar xmlns:x="http://statenspersonadressregister.se/schema/personsok/2021.1/personsokningsvar">
      <x:PersonsokningSvarspost><x:PersonId><x:IdNummer>${PIN.A}</x:IdNummer></x:PersonId>
      <x:Sekretessmarkering>NEJ</x:Sekretessmarkering><x:SkyddadFolkbokforing>NEJ</x:SkyddadFolkbokforing>
      </x:PersonsokningSvarspost><x:UUID>u</x:UUID></x:SPARPersonsokningSvar></S:Body></S:Envelope>`;
    expect(parseSparFile(xml).persons.map((p) => p.idNumber)).toEqual([PIN.A]);
  });
});

describe('parseSparFile: deregistrations, referrals, protection', () => {
  const f = parseSparFile(fixture('deregistrations.xml'), { source: 'deregistrations.xml', today: TODAY });
  const by = (pin: string) => f.persons.find((p) => p.idNumber === pin)!;

  test('every code of the reference table is read with its kind; an unknown code is kept and reported', () => {
    expect(f.persons.map((p) => [p.details?.deregistration?.code, p.details?.deregistration?.kind])).toEqual([
      ['AV', 'deceased'],
      ['UV', 'emigrated'],
      ['OB', 'missing'],
      ['GN', 'new_number'],
      ['GS', 'new_number'],
      ['AS', 'other'],
      ['TA', 'other'],
      ['FI', 'other'],
      ['A', 'deceased'],
      ['G', 'ambiguous'],
      ['O', 'other'],
      ['XX', 'unknown'],
    ]);
    expect(f.issues).toEqual([
      expect.objectContaining({ code: 'unknown_deregistration_code', actual: 'XX', severity: 'warning' }),
    ]);
    expect(Object.keys(DEREGISTRATION_CODES)).toEqual(['AV', 'UV', 'OB', 'GN', 'GS', 'AS', 'TA', 'FI', 'A', 'G', 'O']);
  });

  test('the deceased person: the current details block carries the code and dates; history is kept', () => {
    const av = by(PIN.AV);
    expect(av.details?.deregistration).toEqual({
      code: 'AV',
      kind: 'deceased',
      date: '1997-07-01',
      deathDate: '1997-06-28',
    });
    expect(av.history.details).toHaveLength(2);
  });

  test('referral numbers are a list', () => {
    expect(by(PIN.GN).details?.referrals).toEqual([{ idNumber: PIN.GN_NEW, type: 'PERSONNUMMER' }]);
    expect(by(PIN.GS).details?.referrals.map((r) => r.idNumber)).toEqual([PIN.GS_NEW, '199001621235']);
    expect(by(PIN.GS).idType).toBe('SAMORDNINGSNUMMER');
  });

  test('a protected identity: the flags are read, the name and address never are', () => {
    const p = parseSparFile(fixture('protected.xml'), { today: TODAY });
    const [p1, p2] = p.persons;
    expect(p1).toMatchObject({
      protectedIdentity: true,
      protection: {
        secrecyMarked: true,
        secrecySetBySpar: true,
        secrecySince: '2026-10-10',
        protectedRegistration: false,
      },
      addresses: [],
      history: { names: [], addresses: [] },
    });
    expect(p1!.name).toBeUndefined();
    expect(p2).toMatchObject({ protectedIdentity: true, protection: { protectedRegistration: true } });
    const json = JSON.stringify(p);
    for (const secret of ['Hemligvägen', '12345', 'HEMLIGSTAD', 'Hemligsson']) expect(json).not.toContain(secret);
  });
});

describe('parseSparFile: bad input', () => {
  test('broken XML throws a typed error naming the file and the line', () => {
    let error: unknown;
    try {
      parseSparFile(fixture('broken.xml'), { source: 'broken.xml' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NordfilError);
    expect((error as NordfilError).issues[0]).toMatchObject({ code: 'invalid_xml', source: 'broken.xml', line: 5 });
    expect((error as NordfilError).message).toContain('broken.xml:5');
    const r = safeParseSparFile(fixture('broken.xml'), { source: 'broken.xml' });
    expect(r.success).toBe(false);
  });

  test('a post without a 12-digit IdNummer is left out (lenient) or refused (strict)', () => {
    const xml = '<A><AviseringPost><PersonId><IdNummer>12345</IdNummer></PersonId></AviseringPost></A>';
    expect(parseSparFile(xml).issues[0]).toMatchObject({ code: 'invalid_id_number', severity: 'error' });
    expect(() => parseSparFile(xml, { strictness: 'strict' })).toThrow(/invalid_id_number/);
  });

  test('zip and gzip outfiles are unpacked; ISO-8859-1 is read from the declaration', () => {
    const bytes = fixture('avisering-2023.1.xml');
    expect(parseSparFile(gzipSync(bytes)).persons).toHaveLength(2);
    expect(parseSparFile(zip('avisering.xml', bytes)).persons).toHaveLength(2);
    expect(unpackSparFile(zip('a.xml', bytes))).toEqual(bytes);
    const latin = Buffer.from(
      `<?xml version="1.0" encoding="ISO-8859-1"?><A><AviseringPost><PersonId><IdNummer>${PIN.A}</IdNummer></PersonId><Namn><Efternamn>Åström</Efternamn></Namn></AviseringPost></A>`,
      'latin1',
    );
    expect(parseSparFile(new Uint8Array(latin)).persons[0]!.name?.surname).toBe('Åström');
    expect(() => unpackSparFile(new Uint8Array([0x1f, 0x8b, 1, 2]))).toThrow(/invalid_archive/);
  });
});

describe('validity and call names', () => {
  test('current: no DatumTill, 9999-12-31, or not yet ended; a future DatumFrom is not current yet', () => {
    expect(isCurrent({})).toBe(true);
    expect(isCurrent({ to: '9999-12-31' } as Validity, TODAY)).toBe(true);
    expect(isCurrent({ to: '2019-12-02' } as Validity, TODAY)).toBe(false);
    expect(isCurrent({ from: '2027-01-01' } as Validity, TODAY)).toBe(false);
    const versions = [
      { from: '2019-12-02', to: '9999-12-31', n: 2 },
      { from: '2010-02-02', to: '2019-12-02', n: 1 },
    ] as (Validity & { n: number })[];
    expect(currentVersion(versions, TODAY)?.n).toBe(2);
    expect(currentVersion([...versions].reverse(), TODAY)?.n).toBe(2);
    expect(currentVersion([{ to: '2020-01-01' } as Validity], TODAY)).toBeUndefined();
  });

  test("SPAR's own Tilltalsnamn examples", () => {
    expect(callNameFromCode('Eva Ulla-Karin Isa', '23')).toBe('Ulla-Karin');
    expect(callNameFromCode('Eva Ulla-Karin Isa', '40')).toBe('Isa');
    expect(callNameFromCode('Eva Mia', '20')).toBe('Mia');
    expect(callNameFromCode('Kjell Olof Stig', '12')).toBe('Kjell Olof');
    expect(callNameFromCode('Eva', '00')).toBeUndefined();
    expect(callNameFromCode('Eva', '30')).toBeUndefined();
    expect(callNameFromCode(undefined, '10')).toBeUndefined();
  });
});

describe('infiles', () => {
  test('prepareSparPins validates, normalises to 12 digits and removes duplicates', () => {
    const r = prepareSparPins(
      [
        '19121212-1212',
        '191212121212',
        '811218-9876',
        '191212121213',
        '900161-1236',
        'x',
        { pin: '121212-1212', birthDate: '1912-12-12' as never },
      ],
      { today: TODAY },
    );
    expect(r.pins).toEqual(['191212121212', '198112189876', '199001611236']);
    expect(r.duplicates).toEqual(['191212121212', '121212-1212']);
    expect(r.rejected.map((x) => [x.input, x.code])).toEqual([
      ['191212121213', 'invalid_check_digit'],
      ['x', 'invalid_format'],
    ]);
  });

  test('a 10-digit number takes its century from the birth date when that matches (Libra stores 10 digits)', () => {
    expect(normaliseSparPin('121212-1212', { today: TODAY })).toBe('201212121212');
    expect(normaliseSparPin('121212-1212', { today: TODAY, birthDate: '1912-12-12' as never })).toBe('191212121212');
    expect(() => normaliseSparPin('121212-1212')).toThrow(/century_unknown/);
  });

  test('the list form: comma-separated 12-digit numbers', () => {
    expect(writeSparList([PIN.A, PIN.B])).toBe(`${PIN.A},${PIN.B}\n`);
    expect(readSparInfile(writeSparList([PIN.A, PIN.B]))).toEqual([PIN.A, PIN.B]);
    expect(() => writeSparList(['19570413-3106'])).toThrow(/invalid_pin/);
  });

  test('the XML form: InfilIdNummer per number with nulage, optional identification', () => {
    const xml = writeSparInfileXml([PIN.A, PIN.B]);
    expect(xml).toContain(`xmlns="${SPAR_INFILE_NAMESPACE}"`);
    expect(xml).toContain(`<InfilIdNummer nulage="JA">${PIN.A}</InfilIdNummer>`);
    expect(xml).not.toContain('IdentifieringsinformationFil');
    expect(readSparInfile(xml)).toEqual([PIN.A, PIN.B]);
    const full = writeSparInfileXml([PIN.A], {
      currentState: false,
      identification: { customerNumber: '500243', assignmentId: '7' },
    });
    expect(full).toContain('<KundNrLeveransMottagare>500243</KundNrLeveransMottagare>');
    expect(full).toContain(`<InfilIdNummer>${PIN.A}</InfilIdNummer>`);
    expect(parseSparFile(full).persons).toEqual([]); // well-formed XML
  });
});
