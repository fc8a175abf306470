import { findByCommentKeyword, findByIdentity, nationalIdentity } from '@nordfil/patron';
import { describe, expect, test } from 'vitest';
import { borrower, ctx, fixture, home, PIN, TODAY, work } from '../test/support.js';
import { parseSparFile, type SparPerson } from './records.js';
import {
  COMMENT_DECEASED_PREFIX,
  COMMENT_DEREGISTERED,
  COMMENT_PROTECTED_IDENTITY,
  deceasedComment,
  decidePersonUpdate,
  importedMessage,
  registerReport,
} from './rules.js';

const persons = new Map<string, SparPerson>();
for (const f of ['avisering-2021.1.xml', 'avisering-2023.1.xml', 'deregistrations.xml', 'protected.xml']) {
  for (const p of parseSparFile(fixture(f), { today: TODAY }).persons) persons.set(p.idNumber, p);
}
const person = (pin: string) => persons.get(pin)!;

/** Decides twice: the second decision must change nothing. */
function decideTwice(b: ReturnType<typeof borrower>, p: SparPerson) {
  const first = decidePersonUpdate(b, p, ctx());
  const second = decidePersonUpdate(first.borrower, p, ctx({ at: '2026-12-23T02:00:00.000Z' }));
  expect(second.changed).toBe(false);
  expect(second.actions).toEqual([]);
  expect(second.borrower).toBe(first.borrower);
  return first;
}

describe('the exact texts', () => {
  test('comments and log lines are the seed’s strings', () => {
    expect(COMMENT_PROTECTED_IDENTITY).toBe(
      'SPAR - Personuppgifterna har sekretesskyddats och personen avregistrerats',
    );
    expect(COMMENT_DEREGISTERED).toBe(
      'SPAR - Avregistrerad av annat skäl (utvandrad eller överförd till obefintligregistret)',
    );
    expect(COMMENT_DECEASED_PREFIX).toBe('SPAR - Avliden. Avregistreringsdatum ');
    expect(deceasedComment('1997-07-01' as never)).toBe('SPAR - Avliden. Avregistreringsdatum 19970701');
    expect(importedMessage('191122334455')).toBe('Info, har importerat personnummer 191122334455');
  });
});

describe('rule 1: "Tillåt uppdatering" off', () => {
  test('the borrower is skipped and the skip logged; nothing changes, even for a death', () => {
    const b = borrower(PIN.AV, { updatePolicy: { allowUpdate: false, protectedSections: [] } });
    const d = decidePersonUpdate(b, person(PIN.AV), ctx());
    expect(d.rule).toBe('update_not_allowed');
    expect(d.changed).toBe(false);
    expect(d.borrower).toBe(b);
    expect(d.log.map((e) => [e.priority, e.code])).toEqual([
      [19, 'update_not_allowed'],
      [18, 'update_not_allowed_register_event'],
    ]);
  });
});

describe('rule 2: protected identity', () => {
  test('every address, phone, mobile and e-mail removed; comment "SPAR - Personuppgifterna har sekretesskyddats och personen avregistrerats"', () => {
    const b = borrower(PIN.P1, { addresses: [home('Storgatan 1'), work('Box 117')] });
    const d = decideTwice(b, person(PIN.P1));
    expect(d.rule).toBe('protected_identity');
    expect(d.borrower!.addresses).toEqual([]);
    expect(d.borrower!.contact).toEqual({});
    expect(d.comments).toEqual(['SPAR - Personuppgifterna har sekretesskyddats och personen avregistrerats']);
    expect(d.borrower!.comments.map((c) => [c.text, c.source])).toEqual([[COMMENT_PROTECTED_IDENTITY, 'SPAR']]);
    expect(d.borrower!.register?.protectedIdentity).toBe(true);
    expect(d.borrower!.name).toEqual(b.name); // SPAR sends no name: not "the name is now empty"
    expect(d.actions.map((a) => a.type)).toEqual(['strip_contact_data', 'comment', 'update_details']);
  });

  test('skyddad folkbokföring in the current details protects too', () => {
    const d = decidePersonUpdate(borrower(PIN.P2, { addresses: [home('Storgatan 1')] }), person(PIN.P2), ctx());
    expect(d.rule).toBe('protected_identity');
    expect(d.borrower!.addresses).toEqual([]);
  });

  test('no protected address reaches the decision, its log or the borrower', () => {
    const d = decidePersonUpdate(borrower(PIN.P1), person(PIN.P1), ctx({ logPersonalIds: true }));
    const json = JSON.stringify(d);
    for (const secret of ['Hemligvägen', '12345', 'HEMLIGSTAD', 'Hemligsson']) expect(json).not.toContain(secret);
  });

  test('protected sections keep their data, and staff are warned', () => {
    const b = borrower(PIN.P1, {
      addresses: [home('Storgatan 1')],
      updatePolicy: { allowUpdate: true, protectedSections: ['addresses'] },
    });
    const d = decidePersonUpdate(b, person(PIN.P1), ctx());
    expect(d.borrower!.addresses).toHaveLength(1);
    expect(d.borrower!.contact).toEqual({});
    expect(d.flags).toEqual(['protected_identity_data_kept']);
  });
});

describe('rule 3: deceased (AV)', () => {
  test('block and comment "SPAR - Avliden. Avregistreringsdatum 19970701"', () => {
    const d = decideTwice(borrower(PIN.AV), person(PIN.AV));
    expect(d.rule).toBe('deceased');
    expect(d.comments).toEqual(['SPAR - Avliden. Avregistreringsdatum 19970701']);
    expect(d.borrower!.blocks).toEqual([
      expect.objectContaining({
        kind: 'manual',
        reason: 'deceased',
        comment: 'SPAR - Avliden. Avregistreringsdatum 19970701',
        scope: ['borrowing', 'renewals', 'reservations'],
      }),
    ]);
    expect(d.borrower!.register).toMatchObject({ deregistrationCode: 'AV', deregistrationDate: '1997-07-01' });
    expect(d.flags).toEqual([]);
  });

  test('the legacy one-letter code A is deceased too', () => {
    const d = decidePersonUpdate(borrower(PIN.LEGACY_A), person(PIN.LEGACY_A), ctx());
    expect(d.comments).toEqual(['SPAR - Avliden. Avregistreringsdatum 20010203']);
  });
});

describe('rule 4: new number (GN/GS, hänvisning)', () => {
  test('GN: the borrower moves to the new number (no block, no comment), both numbers logged', () => {
    const d = decideTwice(borrower(PIN.GN), person(PIN.GN));
    expect(d.rule).toBe('new_number');
    expect(nationalIdentity(d.borrower!)?.value).toBe(PIN.GN_NEW);
    expect(d.borrower!.formerIdentities).toEqual([
      expect.objectContaining({
        identity: { type: 'personnummer', value: PIN.GN },
        replacedBy: PIN.GN_NEW,
        reason: 'GN',
      }),
    ]);
    expect(d.borrower!.blocks).toEqual([]);
    expect(d.comments).toEqual([]);
    const replaced = d.log.find((e) => e.code === 'identity_replaced')!;
    expect(replaced.message).toBe('Nytt personnummer (GN): 19700707-**** har bytts mot 19700707-****');
    expect(replaced.personal).toEqual({ from: PIN.GN, to: PIN.GN_NEW });
    expect(findByIdentity([d.borrower!], PIN.GN)).toHaveLength(1);
  });

  test('GS with a list of referrals: the personnummer is chosen over another samordningsnummer', () => {
    const d = decidePersonUpdate(borrower(PIN.GS), person(PIN.GS), ctx({ logPersonalIds: true }));
    expect(nationalIdentity(d.borrower!)).toEqual({
      type: 'personnummer',
      value: PIN.GS_NEW,
      provenance: expect.anything(),
    });
    expect(d.log.find((e) => e.code === 'identity_replaced')?.message).toBe(
      `Nytt personnummer (GS): ${PIN.GS} har bytts mot ${PIN.GS_NEW}`,
    );
  });

  test('a new number that already belongs to another borrower is not taken, and flagged', () => {
    const d = decidePersonUpdate(borrower(PIN.GN), person(PIN.GN), ctx({ takenIdentities: new Set([PIN.GN_NEW]) }));
    expect(d.changed).toBe(false);
    expect(d.flags).toEqual(['new_number_in_use']);
  });
});

describe('rule 5: other deregistrations', () => {
  const cases: [string, string, string, boolean][] = [
    ['UV (utvandrad)', PIN.UV, 'emigrated', false],
    ['OB (försvunnen, two years without a known residence)', PIN.OB, 'missing', false],
    ['AS (annullerat samordningsnummer)', PIN.AS, 'deregistered', true],
    ['TA (teknisk avregistrering)', PIN.TA, 'deregistered', true],
    ['FI (falsk identitet)', PIN.FI, 'deregistered', true],
    ['O (legacy, other)', PIN.LEGACY_O, 'deregistered', true],
    ['G (legacy, no referral)', PIN.LEGACY_G, 'deregistered', true],
    ['XX (a code SPAR added later)', PIN.XX, 'deregistered', true],
  ];
  for (const [name, pin, reason, flagged] of cases) {
    test(`${name}: block and comment "SPAR - Avregistrerad av annat skäl (utvandrad eller överförd till obefintligregistret)"`, () => {
      const d = decideTwice(borrower(pin), person(pin));
      expect(d.rule).toBe('deregistered');
      expect(d.comments).toEqual([
        'SPAR - Avregistrerad av annat skäl (utvandrad eller överförd till obefintligregistret)',
      ]);
      expect(d.borrower!.blocks).toEqual([expect.objectContaining({ reason, comment: COMMENT_DEREGISTERED })]);
      expect(d.flags).toEqual(flagged ? ['deregistration_needs_review'] : []);
    });
  }
});

describe('rule 6: the address rules and completed details', () => {
  test('(a) no address: added as the active home address', () => {
    const d = decideTwice(borrower(PIN.A), person(PIN.A));
    expect(d.rule).toBe('address_update');
    expect(d.borrower!.addresses).toEqual([
      expect.objectContaining({
        type: 'home',
        active: true,
        lines: ['Gatan142 8'],
        postalCode: '11146',
        town: 'STOCKHOLM',
        registerType: 'folkbokforingsadress',
      }),
    ]);
    expect(d.actions[0]).toEqual({
      type: 'address',
      placement: 'added_active_home',
      registerType: 'folkbokforingsadress',
    });
  });

  test('(b) an active home address: replaced by the new one (särskild postadress preferred)', () => {
    const d = decideTwice(borrower(PIN.B, { addresses: [home('Gamla vägen 2'), work('Box 117')] }), person(PIN.B));
    expect(d.borrower!.addresses).toEqual([
      expect.objectContaining({
        type: 'home',
        active: true,
        careOf: 'Anna Nyman',
        lines: ['Box 12'],
        registerType: 'sarskild_postadress',
      }),
      expect.objectContaining({ type: 'work', lines: ['Box 117'] }),
    ]);
    expect(d.actions[0]).toMatchObject({ placement: 'replaced_active_home' });
  });

  test('(c) only an active work or extra address: the new one added as an inactive home address', () => {
    const extra = { ...work('Extravägen 1'), type: 'extra' as const };
    for (const existing of [work('Box 117'), extra]) {
      const d = decideTwice(borrower(PIN.A, { addresses: [existing] }), person(PIN.A));
      expect(d.borrower!.addresses).toEqual([
        existing,
        expect.objectContaining({ type: 'home', active: false, lines: ['Gatan142 8'] }),
      ]);
      expect(d.actions[0]).toMatchObject({ placement: 'added_inactive_home' });
    }
  });

  test('a new borrower gets its name, call name, birth date and register details on the first update', () => {
    const d = decideTwice(borrower(PIN.A), person(PIN.A));
    expect(d.borrower!.name).toMatchObject({
      given: 'Christina Birgitta Ulrika',
      middle: 'Thomeaus',
      family: 'Efternamn3542',
      callName: 'Birgitta',
      provenance: { source: 'SPAR', file: 'avi.xml' },
    });
    expect(d.borrower!.birthDate).toBe('1957-04-13');
    expect(d.borrower!.register).toEqual({
      protectedIdentity: false,
      lastChangedInRegister: '2019-12-02',
      residence: 'Skriven på adressen',
    });
    expect(d.log.at(-1)).toMatchObject({
      priority: 19,
      code: 'person_imported',
      message: 'Info, har importerat personnummer 19570413-****',
    });
  });

  test('an international address keeps its country as a line', () => {
    const d = decidePersonUpdate(borrower(PIN.D), person(PIN.D), ctx());
    expect(d.borrower!.addresses[0]).toMatchObject({
      lines: ['Storgata 5', '0155 OSLO', 'NORGE'],
      registerType: 'utlandsadress',
    });
  });

  test('"utan känt hemvist" is kept and logged as the early warning', () => {
    const d = decidePersonUpdate(borrower(PIN.C), person(PIN.C), ctx());
    expect(d.borrower!.register?.residence).toBe('Utan känt hemvist');
    expect(d.log.map((e) => e.code)).toContain('residence_unknown');
    expect(registerReport([d.borrower!]).residence_unknown).toEqual([`b-${PIN.C}`]);
  });

  test('protected sections are kept and reported', () => {
    const b = borrower(PIN.A, { updatePolicy: { allowUpdate: true, protectedSections: ['name'] } });
    const d = decidePersonUpdate(b, person(PIN.A), ctx());
    expect(d.borrower!.name).toEqual(b.name);
    expect(d.log.map((e) => e.code)).toContain('sections_protected');
  });
});

describe('finding SPAR notes and reports', () => {
  test('borrowers with SPAR notes are found by the keyword SPAR; the report keeps the reasons apart', () => {
    const decided = [PIN.AV, PIN.UV, PIN.OB, PIN.P1, PIN.A, PIN.GN].map(
      (pin) => decidePersonUpdate(borrower(pin), person(pin), ctx()).borrower!,
    );
    expect(findByCommentKeyword(decided, 'SPAR').map((b) => b.id)).toEqual(
      [PIN.AV, PIN.UV, PIN.OB, PIN.P1].map((p) => `b-${p}`),
    );
    const report = registerReport(decided);
    expect(report.deceased).toEqual([`b-${PIN.AV}`]);
    expect(report.emigrated).toEqual([`b-${PIN.UV}`]);
    expect(report.missing).toEqual([`b-${PIN.OB}`]);
    expect(report.protected_identity).toEqual([`b-${PIN.P1}`]);
    expect(report.new_number).toEqual([`b-${PIN.GN}`]);
  });

  test('no borrower for the number: logged at 18, nothing decided', () => {
    const d = decidePersonUpdate(undefined, person(PIN.A), ctx());
    expect(d).toMatchObject({ rule: 'borrower_not_found', changed: false });
    expect(d.log[0]).toMatchObject({ priority: 18, code: 'borrower_not_found' });
  });
});
