/**
 * The SPAR update rules (Libra's "SPAR månatlig uppdatering"), as a pure function from a borrower and one SPAR
 * person to a decision: what to change, the comments, the log lines and the new borrower. The caller applies it.
 *
 * Order, first match wins: (1) "Tillåt uppdatering" off → skip; (2) protected identity → strip addresses and
 * contact data, comment; (3) deceased (AV) → block, comment with the deregistration date; (4) new number
 * (GN/GS, hänvisning) → re-key the borrower; (5) any other deregistration → block, comment; (6) otherwise the
 * address rules, and names and other details completed.
 */
import { type IsoDate, maskPersonnummer, toCompactDate } from '@nordfil/core';
import {
  type Address,
  type AuditEntry,
  addComment,
  type BlockReason,
  type Borrower,
  type BorrowerEdit,
  blockBorrower,
  deepEqual,
  editBorrower,
  mayUpdate,
  type Name,
  nationalIdentity,
  nationalIdKind,
  type OperationContext,
  type Provenance,
  type RegisterStatus,
  replaceIdentity,
  stripContactData,
} from '@nordfil/patron';
import { type LogEntry, Priority } from '@nordfil/ports';
import { DEREGISTRATION_CODES, type SparAddress, type SparAddressType, type SparPerson } from './records.js';

// ---------------------------------------------------------------------------------------------------------------
// The exact texts (the seed's wording; tests pin them)

/**
 * The comment source the rules write (`COMMENT_SOURCES.spar` in `@nordfil/patron`): borrowers with SPAR notes are
 * found by the keyword `SPAR`.
 *
 * @example
 * findByCommentKeyword(all, SPAR_SOURCE);
 */
export const SPAR_SOURCE = 'SPAR';

/**
 * Comment for a protected identity (sekretessmarkering or skyddad folkbokföring).
 *
 * @example
 * COMMENT_PROTECTED_IDENTITY; // 'SPAR - Personuppgifterna har sekretesskyddats och personen avregistrerats'
 */
export const COMMENT_PROTECTED_IDENTITY = 'SPAR - Personuppgifterna har sekretesskyddats och personen avregistrerats';

/**
 * The start of the comment for a deceased person (avliden, code AV); the date follows as YYYYMMDD.
 *
 * @example
 * `${COMMENT_DECEASED_PREFIX}19970701`; // 'SPAR - Avliden. Avregistreringsdatum 19970701'
 */
export const COMMENT_DECEASED_PREFIX = 'SPAR - Avliden. Avregistreringsdatum ';

/**
 * Comment for every other deregistration (emigrated, missing for two years, and the rest).
 *
 * @example
 * COMMENT_DEREGISTERED; // 'SPAR - Avregistrerad av annat skäl (utvandrad eller överförd till obefintligregistret)'
 */
export const COMMENT_DEREGISTERED =
  'SPAR - Avregistrerad av annat skäl (utvandrad eller överförd till obefintligregistret)';

/**
 * The death comment: `SPAR - Avliden. Avregistreringsdatum YYYYMMDD` (avregistreringsdatum). Without a date
 * (SPAR says it is always there) the date reads `saknas`.
 *
 * @example
 * deceasedComment('1997-07-01' as IsoDate); // 'SPAR - Avliden. Avregistreringsdatum 19970701'
 */
export function deceasedComment(date: IsoDate | undefined): string {
  return `${COMMENT_DECEASED_PREFIX}${date === undefined ? 'saknas' : toCompactDate(date)}`;
}

/**
 * The per-person info line (priority 19, below the default view): `Info, har importerat personnummer <number>`.
 *
 * @example
 * importedMessage('19121212-****'); // 'Info, har importerat personnummer 19121212-****'
 */
export function importedMessage(shownNumber: string): string {
  return `Info, har importerat personnummer ${shownNumber}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Types

/**
 * The context of a decision: the patron operation context (actor with the `register-sync` role, account, now,
 * today) and what the import knows about the run.
 *
 * @example
 * const ctx: SparDecisionContext = { ...sparContext({ account: 'lund', at, today }), file: 'avi-2026-11.xml' };
 */
export interface SparDecisionContext extends OperationContext {
  /** The SPAR file name, for provenance. */
  readonly file?: string;
  /**
   * Write personnummer in full in log messages (default false: masked `YYYYMMDD-****`). The full number is always
   * in the entry's `personal` field, which logs redact unless configured otherwise.
   */
  readonly logPersonalIds?: boolean;
  /** Numbers that belong to another borrower: a GN/GS re-key to one of them is refused and flagged. */
  readonly takenIdentities?: ReadonlySet<string>;
}

/**
 * A context for the SPAR job: actor `spar` with the `register-sync` role (edit and block).
 *
 * @example
 * sparContext({ account: 'lund', at: '2026-11-23T02:00:00.000Z', today: '2026-11-23' as IsoDate });
 */
export function sparContext(
  options: Pick<OperationContext, 'account' | 'at' | 'today'> & Partial<SparDecisionContext>,
): SparDecisionContext {
  return { actor: { id: 'spar', roles: ['register-sync'] }, ...options };
}

/**
 * Which rule decided (in the seed's order).
 *
 * @example
 * const r: SparRule = 'deceased';
 */
export type SparRule =
  | 'borrower_not_found'
  | 'update_not_allowed'
  | 'protected_identity'
  | 'deceased'
  | 'new_number'
  | 'deregistered'
  | 'address_update';

/**
 * Where the new address went (rule 6): no address → `added_active_home`; an active home address →
 * `replaced_active_home`; only an active work, extra or temporary address → `added_inactive_home`.
 *
 * @example
 * const p: AddressPlacement = 'added_inactive_home';
 */
export type AddressPlacement = 'added_active_home' | 'replaced_active_home' | 'added_inactive_home';

/**
 * One change a decision makes. Only changes appear: a decision that changes nothing has no actions.
 *
 * @example
 * const a: SparAction = { type: 'block', reason: 'deceased', comment: 'SPAR - Avliden. Avregistreringsdatum 19970701' };
 */
export type SparAction =
  | { readonly type: 'strip_contact_data' }
  | { readonly type: 'block'; readonly reason: BlockReason; readonly comment: string }
  | { readonly type: 'comment'; readonly text: string }
  | { readonly type: 'replace_identity'; readonly from: string; readonly to: string; readonly code: string }
  | { readonly type: 'address'; readonly placement: AddressPlacement; readonly registerType: SparAddressType }
  | { readonly type: 'update_details'; readonly sections: readonly ('name' | 'birthDate' | 'register')[] };

/**
 * What {@link decidePersonUpdate} decided.
 *
 * @example
 * const d: SparDecision = decidePersonUpdate(borrower, person, ctx);
 * if (d.changed) await repo.save(d.borrower!);
 */
export interface SparDecision {
  /** The SPAR record's IdNummer (12 digits). */
  readonly personnummer: string;
  readonly borrowerId?: string;
  readonly rule: SparRule;
  /** The changes, in order; empty when nothing changes (a re-import). */
  readonly actions: readonly SparAction[];
  /** The comments added (not those already there). */
  readonly comments: readonly string[];
  /** The log lines, personnummer masked in messages unless `logPersonalIds`, in full only in `personal`. */
  readonly log: readonly LogEntry[];
  /** Codes of things staff should look at (also logged as warnings). */
  readonly flags: readonly string[];
  /** The borrower after the decision (the same object when nothing changed); absent when none was found. */
  readonly borrower?: Borrower;
  readonly changed: boolean;
  /** The patron audit entries of the steps. */
  readonly audit: readonly AuditEntry[];
}

// ---------------------------------------------------------------------------------------------------------------
// The decision

const BLOCK_REASONS: Readonly<Record<string, BlockReason>> = { emigrated: 'emigrated', missing: 'missing' };

/** The SPAR address that becomes the home address: where the person wants post first. */
const ADDRESS_PREFERENCE: readonly SparAddressType[] = [
  'sarskild_postadress',
  'folkbokforingsadress',
  'utlandsadress',
  'kontaktadress',
];

/**
 * The SPAR address that becomes the borrower's home address: the current särskild postadress (where the person
 * asked to get post), else the folkbokföringsadress, else the utlandsadress, else the kontaktadress.
 *
 * @example
 * pickHomeAddress(person)?.registerType; // 'folkbokforingsadress'
 */
export function pickHomeAddress(person: SparPerson): SparAddress | undefined {
  for (const t of ADDRESS_PREFERENCE) {
    const a = person.addresses.find((x) => x.registerType === t);
    if (a !== undefined && (a.lines.length > 0 || a.town !== undefined)) return a;
  }
  return undefined;
}

/**
 * A SPAR address as a borrower address (`home`, with the register type kept so staff can see where it came
 * from). An international address's country (Land, a name) becomes its last line unless it is a two-letter code.
 *
 * @example
 * toBorrowerAddress(sparAddress, true, { source: 'SPAR' }).type; // 'home'
 */
export function toBorrowerAddress(a: SparAddress, active: boolean, provenance?: Provenance): Address {
  const countryCode = a.country !== undefined && /^[A-Z]{2}$/.test(a.country) ? a.country : undefined;
  const lines = [...a.lines];
  if (a.country !== undefined && countryCode === undefined) lines.push(a.country);
  const out: Record<string, unknown> = {
    type: 'home',
    active,
    lines: lines.slice(0, 5),
    registerType: a.registerType,
  };
  if (a.from !== undefined) out.validFrom = a.from;
  if (a.careOf !== undefined) out.careOf = a.careOf;
  if (a.postalCode !== undefined) out.postalCode = a.postalCode;
  if (a.town !== undefined) out.town = a.town;
  if (countryCode !== undefined) out.country = countryCode;
  if (provenance !== undefined) out.provenance = provenance;
  return out as Address;
}

/** Same address, whatever the provenance, activity or validity. */
function sameAddress(a: Address, b: Address): boolean {
  return (
    a.type === b.type &&
    deepEqual(a.lines, b.lines) &&
    a.postalCode === b.postalCode &&
    a.town === b.town &&
    a.careOf === b.careOf &&
    a.country === b.country
  );
}

function withoutProvenance<T extends { provenance?: unknown }>(x: T | undefined): Omit<T, 'provenance'> | undefined {
  if (x === undefined) return undefined;
  const { provenance: _p, ...rest } = x;
  return rest;
}

function isFromSpar(a: Address): boolean {
  return a.provenance?.source === SPAR_SOURCE || a.registerType !== undefined;
}

/**
 * Decides what one SPAR person means for the borrower (found by the record's number, current or former), in
 * the seed's order. Pure: nothing is applied; the decision carries the new borrower. Idempotent: deciding again
 * on the result with the same person changes nothing and adds no second comment or block.
 *
 * Throws what the patron operations throw (`permission_denied` without `borrower.edit`/`borrower.block`,
 * `invalid_borrower` when SPAR data does not fit the borrower model).
 *
 * @example
 * const d = decidePersonUpdate(borrower, person, sparContext({ account: 'lund', at, today }));
 * d.rule; // 'deceased'
 * d.comments; // ['SPAR - Avliden. Avregistreringsdatum 19970701']
 */
export function decidePersonUpdate(
  borrower: Borrower | undefined,
  person: SparPerson,
  ctx: SparDecisionContext,
): SparDecision {
  const pin = person.idNumber;
  const shown = (p: string) => (ctx.logPersonalIds === true ? p : maskPersonnummer(p));
  const log: LogEntry[] = [];
  const actions: SparAction[] = [];
  const comments: string[] = [];
  const flags: string[] = [];
  const audit: AuditEntry[] = [];
  const data = (extra: Record<string, unknown> = {}) => ({
    ...(ctx.file === undefined ? {} : { file: ctx.file }),
    record: person.record,
    ...extra,
  });
  const entry = (priority: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
    log.push({ priority, code, message, data: data(extra), personal: { personnummer: pin } });
  const flag = (code: string, message: string, extra: Record<string, unknown> = {}) => {
    flags.push(code);
    entry(Priority.warning, code, message, extra);
  };

  if (borrower === undefined) {
    entry(Priority.notice, 'borrower_not_found', `Ingen låntagare med personnummer ${shown(pin)}`);
    return { personnummer: pin, rule: 'borrower_not_found', actions, comments, log, flags, changed: false, audit };
  }
  const done = (rule: SparRule, b: Borrower): SparDecision => {
    if (rule !== 'update_not_allowed') entry(Priority.info, 'person_imported', importedMessage(shown(pin)), { rule });
    return {
      personnummer: pin,
      borrowerId: borrower.id,
      rule,
      actions,
      comments,
      log,
      flags,
      borrower: b,
      changed: b !== borrower,
      audit,
    };
  };
  const dereg = person.details?.deregistration;

  // 1. "Tillåt uppdatering" off: nothing is changed
  if (!borrower.updatePolicy.allowUpdate) {
    entry(
      Priority.info,
      'update_not_allowed',
      `Tillåt uppdatering är avstängt: personnummer ${shown(pin)} uppdateras inte`,
    );
    if (person.protectedIdentity || dereg !== undefined) {
      // staff turned updates off, but the register says something they should know
      entry(
        Priority.notice,
        'update_not_allowed_register_event',
        `SPAR har en ${person.protectedIdentity ? 'sekretessmarkering' : `avregistrering (${dereg?.code})`} för personnummer ${shown(pin)}, men Tillåt uppdatering är avstängt`,
        person.protectedIdentity ? {} : { code: dereg?.code },
      );
    }
    return done('update_not_allowed', borrower);
  }

  const provenance: Provenance = {
    source: SPAR_SOURCE,
    ...(ctx.file === undefined ? {} : { file: ctx.file.slice(-200) }),
    record: String(person.record),
    ...(person.lastChanged === undefined ? {} : { registerChangedOn: person.lastChanged }),
  };
  let b = borrower;
  const comment = (text: string) => {
    const r = addComment(b, { text, source: SPAR_SOURCE, provenance }, ctx);
    audit.push(r.audit);
    if (r.added) {
      b = r.borrower;
      actions.push({ type: 'comment', text });
      comments.push(text);
    }
  };
  const block = (reason: BlockReason, text: string) => {
    if (!mayUpdate(b, 'blocks')) {
      entry(Priority.notice, 'block_protected', `Spärren läggs inte: låntagarens spärrar är skyddade mot uppdatering`, {
        reason,
      });
      return;
    }
    const r = blockBorrower(b, { comment: text, reason, provenance }, ctx);
    audit.push(r.audit);
    if (r.borrower !== b) {
      b = r.borrower;
      actions.push({ type: 'block', reason, comment: text });
    }
  };
  const register = (status: Partial<RegisterStatus>) => {
    const merged: Record<string, unknown> = { ...(b.register ?? {}) };
    for (const [k, v] of Object.entries(status)) {
      if (v === undefined) delete merged[k];
      else merged[k] = v;
    }
    return merged as RegisterStatus;
  };
  const edit = (changes: BorrowerEdit) => {
    const r = editBorrower(b, changes, ctx, { respectUpdatePolicy: true });
    audit.push(r.audit);
    b = r.borrower;
    return r;
  };
  const registerEvent = (): Partial<RegisterStatus> => {
    const code = dereg?.code;
    return {
      protectedIdentity: person.protectedIdentity,
      lastChangedInRegister: person.lastChanged ?? b.register?.lastChangedInRegister,
      residence: person.registration?.residence ?? b.register?.residence,
      deregistrationCode: code !== undefined && code.length <= 4 ? code : undefined,
      deregistrationDate: dereg?.date,
    };
  };

  // 2. protected identity: every address, phone, mobile and e-mail removed; the register sent no name or address
  if (person.protectedIdentity) {
    const r = stripContactData(b, ctx, { respectUpdatePolicy: true });
    audit.push(r.audit);
    if (r.changed.length > 0) {
      b = r.borrower;
      actions.push({ type: 'strip_contact_data' });
    }
    if (r.skipped.length > 0) {
      flag(
        'protected_identity_data_kept',
        `Personnummer ${shown(pin)} har skyddad identitet, men ${r.skipped.join(' och ')} är skyddade mot uppdatering och finns kvar`,
        { sections: [...r.skipped] },
      );
    }
    comment(COMMENT_PROTECTED_IDENTITY);
    const reg = edit({ register: register({ ...registerEvent(), protectedIdentity: true }) });
    if (reg.changed.length > 0) actions.push({ type: 'update_details', sections: ['register'] });
    return done('protected_identity', b);
  }

  if (dereg !== undefined) {
    const info = DEREGISTRATION_CODES[dereg.code];
    const referrals = person.details?.referrals ?? [];
    // 3. deceased
    if (dereg.kind === 'deceased') {
      const date = dereg.date ?? dereg.deathDate;
      if (date === undefined) {
        flag('deregistration_date_missing', `Avliden utan avregistreringsdatum: personnummer ${shown(pin)}`);
      }
      const text = deceasedComment(date);
      block('deceased', text);
      comment(text);
      const reg = edit({ register: register(registerEvent()) });
      if (reg.changed.length > 0) actions.push({ type: 'update_details', sections: ['register'] });
      return done('deceased', b);
    }
    // 4. new number: the person lives on under another number; re-key, never block
    if (dereg.kind === 'new_number' || (dereg.kind === 'ambiguous' && referrals.length > 0)) {
      const valid = [...new Set(referrals.map((r) => r.idNumber))].filter((n) => nationalIdKind(n) !== undefined);
      let target: string | undefined;
      if (valid.length === 1) target = valid[0];
      else if (valid.length > 1) {
        const personnummer = valid.filter((n) => nationalIdKind(n) === 'personnummer');
        if (personnummer.length === 1) target = personnummer[0];
      }
      const current = nationalIdentity(b)?.value ?? pin;
      if (target === undefined) {
        flag(
          valid.length === 0 ? 'referral_missing' : 'referral_ambiguous',
          valid.length === 0
            ? `Nytt nummer (${dereg.code}) utan giltig hänvisning: personnummer ${shown(pin)} flyttas inte`
            : `Nytt nummer (${dereg.code}) med ${valid.length} hänvisningar: personnummer ${shown(pin)} flyttas inte`,
          { code: dereg.code, referrals: valid.length },
        );
        return done('new_number', b);
      }
      if (target !== current && ctx.takenIdentities?.has(target) === true) {
        flag(
          'new_number_in_use',
          `Nytt nummer ${shown(target)} för ${shown(current)} tillhör redan en annan låntagare: kontrollera dubbletter`,
          { code: dereg.code },
        );
        return done('new_number', b);
      }
      const r = replaceIdentity(b, { to: target, reason: dereg.code, provenance }, ctx, { respectUpdatePolicy: true });
      audit.push(r.audit);
      if (r.skipped) {
        entry(
          Priority.notice,
          'identity_protected',
          `Nytt nummer ${shown(target)} för ${shown(current)}: identiteten är skyddad mot uppdatering`,
        );
      } else if (r.borrower !== b) {
        b = r.borrower;
        actions.push({ type: 'replace_identity', from: current, to: target, code: dereg.code });
        log.push({
          priority: Priority.info,
          code: 'identity_replaced',
          message: `Nytt personnummer (${dereg.code}): ${shown(current)} har bytts mot ${shown(target)}`,
          data: data({ code: dereg.code }),
          personal: { from: current, to: target },
        });
      }
      if (info?.flag === true)
        flag(
          'deregistration_needs_review',
          `Kod ${dereg.code} (${info.meaning}): kontrollera personnummer ${shown(pin)}`,
          { code: dereg.code },
        );
      return done('new_number', b);
    }
    // 5. every other deregistration: emigrated, missing, annulled, technical, false identity, unknown codes
    block(BLOCK_REASONS[dereg.kind] ?? 'deregistered', COMMENT_DEREGISTERED);
    comment(COMMENT_DEREGISTERED);
    const reg = edit({ register: register(registerEvent()) });
    if (reg.changed.length > 0) actions.push({ type: 'update_details', sections: ['register'] });
    if (info === undefined || info.flag) {
      flag(
        'deregistration_needs_review',
        info === undefined
          ? `Okänd avregistreringskod ${dereg.code}: personnummer ${shown(pin)} spärrat, kontrollera`
          : `Kod ${dereg.code} (${info.meaning}): personnummer ${shown(pin)} spärrat, kontrollera`,
        { code: dereg.code },
      );
    }
    return done('deregistered', b);
  }

  // 6. the address rules, then names and other details
  const changes: { -readonly [K in keyof BorrowerEdit]: BorrowerEdit[K] } = {};
  let placement: { placement: AddressPlacement; registerType: SparAddressType } | undefined;
  const chosen = pickHomeAddress(person);
  if (chosen !== undefined) {
    const next = toBorrowerAddress(chosen, true, { ...provenance, appliedAt: ctx.at });
    const addresses = b.addresses;
    const activeHome = addresses.findIndex((a) => a.type === 'home' && a.active);
    if (activeHome >= 0) {
      if (!sameAddress(addresses[activeHome]!, next)) {
        changes.addresses = addresses.map((a, i) => (i === activeHome ? next : a));
        placement = { placement: 'replaced_active_home', registerType: chosen.registerType };
      }
    } else {
      const otherActive = addresses.some((a) => a.active);
      const candidate = { ...next, active: !otherActive };
      const inactiveHomes = addresses.filter((a) => a.type === 'home' && !a.active);
      if (!(otherActive && inactiveHomes.some((a) => sameAddress(a, candidate)))) {
        // an older inactive home address from SPAR is superseded by the new one
        const kept = addresses.filter((a) => !(a.type === 'home' && !a.active && isFromSpar(a)));
        changes.addresses = [...kept, candidate];
        placement = {
          placement: otherActive ? 'added_inactive_home' : 'added_active_home',
          registerType: chosen.registerType,
        };
      }
    }
  }
  const details: ('name' | 'birthDate' | 'register')[] = [];
  const n = person.name;
  if (n?.surname !== undefined) {
    const name: Name = {
      family: n.surname,
      ...(n.givenNames === undefined ? {} : { given: n.givenNames }),
      ...(n.middleName === undefined ? {} : { middle: n.middleName }),
      ...(n.callName === undefined ? {} : { callName: n.callName }),
      provenance,
    };
    if (!deepEqual(withoutProvenance(name), withoutProvenance(b.name))) changes.name = name;
  }
  const birthDate = person.details?.birthDate;
  if (birthDate !== undefined && birthDate !== b.birthDate) changes.birthDate = birthDate;
  const reg = register(registerEvent());
  if (!deepEqual(reg, b.register ?? {})) changes.register = reg;
  if (Object.keys(changes).length > 0) {
    const r = edit(changes);
    if (placement !== undefined && r.changed.includes('addresses')) actions.push({ type: 'address', ...placement });
    for (const s of ['name', 'birthDate', 'register'] as const) if (r.changed.includes(s)) details.push(s);
    if (details.length > 0) actions.push({ type: 'update_details', sections: details });
    if (r.skipped.length > 0) {
      entry(
        Priority.info,
        'sections_protected',
        `Skyddade delar uppdateras inte för personnummer ${shown(pin)}: ${r.skipped.join(', ')}`,
        { sections: [...r.skipped] },
      );
    }
  }
  if (person.registration?.residence === 'Utan känt hemvist') {
    entry(
      Priority.info,
      'residence_unknown',
      `Utan känt hemvist: personnummer ${shown(pin)} kan avregistreras som försvunnen (OB) efter två år`,
    );
  }
  return done('address_update', b);
}

// ---------------------------------------------------------------------------------------------------------------
// Staff report

/**
 * The groups of {@link registerReport}: what the register last said, kept apart (Libra's single "annat skäl"
 * comment lumps emigrated and missing together; the structured fields do not).
 *
 * @example
 * const c: RegisterCategory = 'residence_unknown';
 */
export type RegisterCategory =
  | 'protected_identity'
  | 'deceased'
  | 'emigrated'
  | 'missing'
  | 'other_deregistration'
  | 'new_number'
  | 'residence_unknown';

/**
 * Borrower ids grouped by what SPAR last said about them (from `register` and `formerIdentities`): protected
 * identity, deceased (AV), emigrated (UV), missing (OB), other deregistrations, re-keyed to a new number (GN/GS),
 * and "utan känt hemvist" (whereabouts unknown: likely deregistered as missing two years later).
 *
 * @example
 * registerReport(all).residence_unknown; // ['b-17', …]
 */
export function registerReport(borrowers: Iterable<Borrower>): Record<RegisterCategory, string[]> {
  const out: Record<RegisterCategory, string[]> = {
    protected_identity: [],
    deceased: [],
    emigrated: [],
    missing: [],
    other_deregistration: [],
    new_number: [],
    residence_unknown: [],
  };
  for (const b of borrowers) {
    const r = b.register;
    if (r?.protectedIdentity === true) out.protected_identity.push(b.id);
    const kind = r?.deregistrationCode === undefined ? undefined : DEREGISTRATION_CODES[r.deregistrationCode]?.kind;
    if (kind === 'deceased') out.deceased.push(b.id);
    else if (kind === 'emigrated') out.emigrated.push(b.id);
    else if (kind === 'missing') out.missing.push(b.id);
    else if (r?.deregistrationCode !== undefined && kind !== 'new_number') out.other_deregistration.push(b.id);
    if (b.formerIdentities.some((f) => f.reason === 'GN' || f.reason === 'GS' || f.reason === 'G'))
      out.new_number.push(b.id);
    if (r?.residence === 'Utan känt hemvist') out.residence_unknown.push(b.id);
  }
  return out;
}
