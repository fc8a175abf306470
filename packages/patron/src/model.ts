/**
 * The borrower (låntagare) model: zod schemas are the source of truth, the types are inferred from them.
 *
 * A {@link Borrower} is the data one library account holds about one person. In a system made of several
 * library accounts (for example municipalities sharing one library system) the same person can belong
 * to several accounts; {@link Borrower.accounts} lists the memberships, but every other field is the
 * current account's own data.
 */

import { type IsoDate, isIsoDate, parsePersonnummer } from '@nordfil/core';
import { z } from 'zod';

/**
 * The version of the borrower model and of the export format built from it. Bumped on any change that
 * is not purely additive; the export carries it as `schemaVersion`.
 *
 * @example
 * exportBorrowerData(b, ctx).schemaVersion === BORROWER_SCHEMA_VERSION; // true
 */
export const BORROWER_SCHEMA_VERSION = 1 as const;

/**
 * An ISO calendar date `YYYY-MM-DD` (a real date: `2026-02-30` is refused).
 *
 * @example
 * IsoDateSchema.parse('2026-11-23');
 */
export const IsoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine(isIsoDate, 'not a calendar date') as unknown as z.ZodType<IsoDate, string>;

/**
 * An ISO 8601 instant with a time zone (`2026-11-23T10:15:00Z` or `…+01:00`): when something happened.
 *
 * @example
 * InstantSchema.parse('2026-11-23T10:15:00Z');
 */
export const InstantSchema = z.iso.datetime({ offset: true });

/**
 * An instant, `2026-11-23T10:15:00Z`.
 *
 * @example
 * const at: Instant = '2026-11-23T10:15:00Z';
 */
export type Instant = z.infer<typeof InstantSchema>;

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * Where a piece of data came from, so every automatic change can be traced to its cause (for example the
 * SPAR file and record that changed an address, and SPAR's own "last changed" date).
 *
 * @example
 * const p: Provenance = { source: 'SPAR', file: 'spar-2026-11.xml', record: '42', registerChangedOn: '2026-11-01' };
 */
export const ProvenanceSchema = z
  .object({
    /** The system that supplied the data: `SPAR`, `staff`, `self-service`, an import name. */
    source: text(40),
    /** The file the data came from, as named by the source. */
    file: text(200).optional(),
    /** The record (line, post or element number) within the file. */
    record: text(40).optional(),
    /** The date the source itself last changed the data (SPAR's `SenasteAndringSPAR`). */
    registerChangedOn: IsoDateSchema.optional(),
    /** When the data was applied to the borrower. */
    appliedAt: InstantSchema.optional(),
  })
  .meta({ id: 'Provenance', description: 'Where a piece of data came from.' });

/**
 * Where a piece of data came from.
 *
 * @example
 * const p: Provenance = { source: 'SPAR' };
 */
export type Provenance = z.infer<typeof ProvenanceSchema>;

/**
 * Reads a Swedish national number given in the canonical 12-digit form (no separator): its kind, or
 * undefined when it is not a valid personnummer or samordningsnummer in that form.
 *
 * @example
 * nationalIdKind('191212121212'); // 'personnummer'
 * nationalIdKind('199001611236'); // 'samordningsnummer'
 * nationalIdKind('19121212-1212'); // undefined (not canonical)
 */
export function nationalIdKind(value: string): 'personnummer' | 'samordningsnummer' | undefined {
  if (!/^\d{12}$/.test(value)) return undefined;
  try {
    return parsePersonnummer(value).kind;
  } catch {
    return undefined;
  }
}

/** A valid Swedish personnummer or samordningsnummer in the canonical 12-digit form of the given kind. */
function nationalIdValue(kind: 'personnummer' | 'samordningsnummer') {
  return z
    .string()
    .regex(/^\d{12}$/, 'expected 12 digits YYYYMMDDNNNC')
    .refine((v) => nationalIdKind(v) === kind, `not a valid ${kind}`);
}

/**
 * An identity of the borrower: a Swedish personnummer or samordningsnummer (validated, canonical 12 digits
 * `YYYYMMDDNNNC`), or another identifier with a scheme (`card` for a library card number, `fodselsnummer`
 * for a Norwegian national id, `reservnummer`, a student id …).
 *
 * @example
 * IdentitySchema.parse({ type: 'personnummer', value: '191212121212' });
 * IdentitySchema.parse({ type: 'other', scheme: 'card', value: '1234567890' });
 */
export const IdentitySchema = z
  .discriminatedUnion('type', [
    z.object({
      /** Personnummer: the Swedish personal identity number. */
      type: z.literal('personnummer'),
      value: nationalIdValue('personnummer'),
      provenance: ProvenanceSchema.optional(),
    }),
    z.object({
      /** Samordningsnummer: the Swedish coordination number (day of birth + 60). */
      type: z.literal('samordningsnummer'),
      value: nationalIdValue('samordningsnummer'),
      provenance: ProvenanceSchema.optional(),
    }),
    z.object({
      type: z.literal('other'),
      /** What kind of identifier: `card`, `fodselsnummer`, `reservnummer`, `student-id` … */
      scheme: text(40),
      value: text(100),
      provenance: ProvenanceSchema.optional(),
    }),
  ])
  .meta({ id: 'Identity', description: 'A personnummer, samordningsnummer or other identifier.' });

/**
 * An identity of the borrower.
 *
 * @example
 * const id: Identity = { type: 'personnummer', value: '191212121212' };
 */
export type Identity = z.infer<typeof IdentitySchema>;

/**
 * The kinds of identity that are Swedish national numbers (at most one of them is current per borrower).
 *
 * @example
 * NATIONAL_ID_TYPES.includes(identity.type);
 */
export const NATIONAL_ID_TYPES = ['personnummer', 'samordningsnummer'] as const;

/**
 * A national identity number the borrower used to have, kept after a renumbering (SPAR codes GN/GS:
 * "gammalt nummer", the person got a new number and a hänvisning points to it).
 *
 * @example
 * const f: FormerIdentity = { identity: { type: 'personnummer', value: '191212121212' }, replacedOn: '2026-11-23', replacedBy: '191212121220', reason: 'GN' };
 */
export const FormerIdentitySchema = z
  .object({
    identity: IdentitySchema,
    /** The day the number stopped being the borrower's. */
    replacedOn: IsoDateSchema,
    /** The number that replaced it. */
    replacedBy: z.string().regex(/^\d{12}$/),
    /** Why, e.g. the SPAR deregistration code `GN` or `GS`. */
    reason: text(40).optional(),
    provenance: ProvenanceSchema.optional(),
  })
  .meta({ id: 'FormerIdentity' });

/**
 * A national identity number the borrower used to have.
 *
 * @example
 * borrower.formerIdentities.map((f) => f.replacedOn);
 */
export type FormerIdentity = z.infer<typeof FormerIdentitySchema>;

/**
 * The borrower's name. `given` holds every given name (förnamn) separated by spaces as in the population
 * register; `callName` (tilltalsnamn) is the one the person goes by; `middle` is the Swedish mellannamn
 * (often a maiden name), not a second given name.
 *
 * @example
 * NameSchema.parse({ given: 'Eva Ulla-Karin', family: 'Andersson', callName: 'Ulla-Karin' });
 */
export const NameSchema = z
  .object({
    /** Förnamn: all given names, space separated. */
    given: text(80).optional(),
    /** Mellannamn. */
    middle: text(40).optional(),
    /** Efternamn: the family name (a single name goes here). */
    family: text(60),
    /** Tilltalsnamn: the given name(s) the person is called by. */
    callName: text(80).optional(),
    provenance: ProvenanceSchema.optional(),
  })
  .meta({ id: 'Name' });

/**
 * The borrower's name.
 *
 * @example
 * const n: Name = { given: 'Tolvan', family: 'Tolvansson' };
 */
export type Name = z.infer<typeof NameSchema>;

/**
 * Address types: `home` (hemadress), `work` (arbetsadress), `extra` (extra adress), `temporary`
 * (tillfällig adress).
 *
 * @example
 * AddressTypeSchema.parse('home');
 */
export const AddressTypeSchema = z.enum(['home', 'work', 'extra', 'temporary']);

/**
 * An address type.
 *
 * @example
 * const t: AddressType = 'work';
 */
export type AddressType = z.infer<typeof AddressTypeSchema>;

/**
 * The legal address type in the population register that an address was taken from (SPAR 2021.1):
 * folkbokföringsadress, särskild postadress, utlandsadress or kontaktadress. Kept so staff can see why
 * an address was chosen.
 *
 * @example
 * RegisterAddressTypeSchema.parse('folkbokforingsadress');
 */
export const RegisterAddressTypeSchema = z.enum([
  'folkbokforingsadress',
  'sarskild_postadress',
  'utlandsadress',
  'kontaktadress',
]);

/**
 * A postal address with its type, an active flag and optional validity dates (`validFrom` and `validTo`
 * both inclusive). Delivery lines follow the Swedish address standard SS 613401: `careOf`, then the lines.
 *
 * @example
 * AddressSchema.parse({ type: 'home', active: true, lines: ['Storgatan 1'], postalCode: '11122', town: 'STOCKHOLM' });
 */
export const AddressSchema = z
  .object({
    type: AddressTypeSchema,
    /** Whether the library uses this address now (an inactive home address is kept but not used). */
    active: z.boolean(),
    validFrom: IsoDateSchema.optional(),
    validTo: IsoDateSchema.optional(),
    /** c/o (care of) name. */
    careOf: text(80).optional(),
    /** Delivery lines (utdelningsadress), street first. */
    lines: z.array(text(80)).max(5),
    /** Postnummer, kept as text. */
    postalCode: text(20).optional(),
    /** Postort. */
    town: text(60).optional(),
    /** ISO 3166-1 alpha-2 country code; absent means the library's own country. */
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code')
      .optional(),
    registerType: RegisterAddressTypeSchema.optional(),
    provenance: ProvenanceSchema.optional(),
  })
  .refine((a) => a.validFrom === undefined || a.validTo === undefined || a.validFrom <= a.validTo, {
    message: 'validFrom is after validTo',
    path: ['validTo'],
  })
  .meta({ id: 'Address' });

/**
 * A postal address.
 *
 * @example
 * const a: Address = { type: 'home', active: true, lines: ['Storgatan 1'], postalCode: '11122', town: 'STOCKHOLM' };
 */
export type Address = z.infer<typeof AddressSchema>;

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ()-]{2,24}$/, 'expected a phone number (digits, spaces, -, (), optional leading +)');

/**
 * Phone, mobile and e-mail. Population registers never supply these; staff and the borrower do.
 *
 * @example
 * ContactSchema.parse({ mobile: '070-123 45 67', email: 'tolvan@example.se' });
 */
export const ContactSchema = z
  .object({
    phone: phone.optional(),
    mobile: phone.optional(),
    email: z.email().optional(),
  })
  .meta({ id: 'Contact' });

/**
 * Phone, mobile and e-mail.
 *
 * @example
 * const c: Contact = { email: 'tolvan@example.se' };
 */
export type Contact = z.infer<typeof ContactSchema>;

/**
 * The PIN (PIN-kod) as stored: only a reference to a hash held by the host's credential store. It is never
 * exported, not even the reference.
 *
 * @example
 * PinSchema.parse({ hashRef: 'argon2id:ref-7f3a', algorithm: 'argon2id' });
 */
export const PinSchema = z.object({
  hashRef: z.string().min(1).max(500),
  algorithm: text(40).optional(),
  updatedAt: InstantSchema.optional(),
});

/**
 * The stored PIN reference.
 *
 * @example
 * const pin: Pin = { hashRef: 'ref-1' };
 */
export type Pin = z.infer<typeof PinSchema>;

/**
 * What a block stops: borrowing (lån), renewals (omlån) and reservations.
 *
 * @example
 * BlockScopeSchema.parse('renewals');
 */
export const BlockScopeSchema = z.enum(['borrowing', 'renewals', 'reservations']);

/**
 * One action a block can stop.
 *
 * @example
 * const s: BlockScope = 'borrowing';
 */
export type BlockScope = z.infer<typeof BlockScopeSchema>;

/**
 * Every action a block can stop, the default scope of a block.
 *
 * @example
 * blockBorrower(b, { comment: 'x', scope: ALL_BLOCK_SCOPES }, ctx);
 */
export const ALL_BLOCK_SCOPES: readonly BlockScope[] = Object.freeze(['borrowing', 'renewals', 'reservations']);

/**
 * Why a manual block was placed: `staff` (a librarian's decision, the seed's "Spärra låntagare") or a
 * structured register reason: `deceased` (SPAR AV), `emigrated` (UV), `missing` (OB, försvunnen),
 * `deregistered` (another avregistrering), `protected_identity` (sekretessmarkering), `other`.
 *
 * @example
 * BlockReasonSchema.parse('deceased');
 */
export const BlockReasonSchema = z.enum([
  'staff',
  'deceased',
  'emigrated',
  'missing',
  'deregistered',
  'protected_identity',
  'other',
]);

/**
 * Why a manual block was placed.
 *
 * @example
 * const r: BlockReason = 'staff';
 */
export type BlockReason = z.infer<typeof BlockReasonSchema>;

/**
 * An amount of money as JSON: an exact decimal string and an ISO 4217 currency.
 *
 * @example
 * MoneyJsonSchema.parse({ amount: '100.00', currency: 'SEK' });
 */
export const MoneyJsonSchema = z
  .object({
    amount: z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string'),
    currency: z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code'),
  })
  .meta({ id: 'Money' });

/**
 * An amount of money as JSON.
 *
 * @example
 * const m: MoneyJson = { amount: '100.00', currency: 'SEK' };
 */
export type MoneyJson = z.infer<typeof MoneyJsonSchema>;

const scopeList = z
  .array(BlockScopeSchema)
  .min(1)
  .refine((s) => new Set(s).size === s.length, 'scope lists an action twice');

/**
 * A manual block (spärr): placed by a person or by a register rule, always with a comment, optionally
 * limited to some actions and optionally expiring. It can be lifted by hand.
 *
 * @example
 * const b: ManualBlock = { kind: 'manual', id: 'manual-1', reason: 'staff', comment: 'Hotfullt beteende', scope: ['borrowing'], placedAt: '2026-11-23T10:00:00Z', placedBy: 'staff-7' };
 */
export const ManualBlockSchema = z
  .object({
    kind: z.literal('manual'),
    /** Unique within the borrower. */
    id: text(100),
    reason: BlockReasonSchema,
    /** Why, in words; required. */
    comment: text(1000),
    scope: scopeList,
    placedAt: InstantSchema,
    /** The actor id that placed the block. */
    placedBy: text(100),
    /** The first day on which the block no longer applies. */
    expiresOn: IsoDateSchema.optional(),
    provenance: ProvenanceSchema.optional(),
  })
  .meta({ id: 'ManualBlock' });

/**
 * A manual block.
 *
 * @example
 * blocks.filter((b): b is ManualBlock => b.kind === 'manual');
 */
export type ManualBlock = z.infer<typeof ManualBlockSchema>;

/**
 * The soft block (mjuk spärr) from unpaid debts that reached the limit. It cannot be lifted by hand: only
 * {@link applyDebtBalance} lifts it, when the host reports a balance under the limit. It stops every action.
 *
 * @example
 * const d: DebtBlock = { kind: 'debt', id: 'debt', balance: { amount: '250.00', currency: 'SEK' }, limit: { amount: '200.00', currency: 'SEK' }, since: '2026-11-23T10:00:00Z' };
 */
export const DebtBlockSchema = z
  .object({
    kind: z.literal('debt'),
    id: z.literal('debt'),
    /** The balance last reported by the host. */
    balance: MoneyJsonSchema,
    /** The limit at or above which the block applies. */
    limit: MoneyJsonSchema,
    since: InstantSchema,
  })
  .meta({ id: 'DebtBlock' });

/**
 * The soft block from debts over the limit.
 *
 * @example
 * borrower.blocks.some((b): b is DebtBlock => b.kind === 'debt');
 */
export type DebtBlock = z.infer<typeof DebtBlockSchema>;

/**
 * A block: manual or from debt.
 *
 * @example
 * BlockSchema.parse(block);
 */
export const BlockSchema = z.discriminatedUnion('kind', [ManualBlockSchema, DebtBlockSchema]).meta({ id: 'Block' });

/**
 * A block.
 *
 * @example
 * const kinds = borrower.blocks.map((b: Block) => b.kind);
 */
export type Block = z.infer<typeof BlockSchema>;

/**
 * Well-known comment sources. Any short text is accepted; these are the ones nordfil writes.
 *
 * @example
 * addComment(b, { text: 'SPAR - Avliden. Avregistreringsdatum 20261101', source: COMMENT_SOURCES.spar }, ctx);
 */
export const COMMENT_SOURCES = Object.freeze({ staff: 'staff', spar: 'SPAR', system: 'system' } as const);

/**
 * A comment (kommentar) on the borrower, with its author, date and source (`staff`, `SPAR` …).
 *
 * @example
 * CommentSchema.parse({ id: 'c1', text: 'Ny adress från SPAR', author: 'spar-job', date: '2026-11-23', source: 'SPAR' });
 */
export const CommentSchema = z
  .object({
    id: text(100),
    text: text(4000),
    /** The actor id that wrote it. */
    author: text(100),
    date: IsoDateSchema,
    source: text(40),
    provenance: ProvenanceSchema.optional(),
  })
  .meta({ id: 'Comment' });

/**
 * A comment on the borrower.
 *
 * @example
 * borrower.comments.filter((c: Comment) => c.source === 'SPAR');
 */
export type Comment = z.infer<typeof CommentSchema>;

/**
 * Sections an automatic update (such as the SPAR import) may be stopped from changing, one by one.
 *
 * @example
 * ProtectableSectionSchema.parse('addresses');
 */
export const ProtectableSectionSchema = z.enum(['identities', 'name', 'birthDate', 'addresses', 'contact', 'blocks']);

/**
 * A section that can be protected from automatic updates.
 *
 * @example
 * const s: ProtectableSection = 'name';
 */
export type ProtectableSection = z.infer<typeof ProtectableSectionSchema>;

/**
 * Whether automatic updates may change the borrower: `allowUpdate` is the seed's "Tillåt uppdatering"
 * (off: no automatic update at all); `protectedSections` keeps single sections as they are even when
 * updates are allowed.
 *
 * @example
 * UpdatePolicySchema.parse({ allowUpdate: true, protectedSections: ['addresses'] });
 */
export const UpdatePolicySchema = z
  .object({
    allowUpdate: z.boolean(),
    protectedSections: z
      .array(ProtectableSectionSchema)
      .refine((s) => new Set(s).size === s.length, 'a section is listed twice'),
  })
  .meta({ id: 'UpdatePolicy' });

/**
 * The automatic-update policy.
 *
 * @example
 * const p: UpdatePolicy = { allowUpdate: false, protectedSections: [] };
 */
export type UpdatePolicy = z.infer<typeof UpdatePolicySchema>;

/**
 * The borrower's membership of one library account (konto) in a system made of several accounts.
 *
 * @example
 * AccountMembershipSchema.parse({ account: 'malmo', since: '2020-01-15', category: 'adult' });
 */
export const AccountMembershipSchema = z
  .object({
    /** The account id. */
    account: text(100),
    since: IsoDateSchema.optional(),
    /** Låntagarkategori at that account. */
    category: text(60).optional(),
    /** Home library (hembibliotek) at that account. */
    homeLibrary: text(100).optional(),
  })
  .meta({ id: 'AccountMembership' });

/**
 * A membership of one library account.
 *
 * @example
 * const m: AccountMembership = { account: 'malmo' };
 */
export type AccountMembership = z.infer<typeof AccountMembershipSchema>;

/**
 * What the population register (SPAR) last said about the borrower, beyond names and addresses.
 *
 * @example
 * RegisterStatusSchema.parse({ protectedIdentity: false, lastChangedInRegister: '2026-10-01' });
 */
export const RegisterStatusSchema = z
  .object({
    /** Sekretessmarkering or skyddad folkbokföring. */
    protectedIdentity: z.boolean().optional(),
    /** SPAR's `SenasteAndringSPAR`. */
    lastChangedInRegister: IsoDateSchema.optional(),
    /** When an import last applied register data. */
    lastSyncedAt: InstantSchema.optional(),
    /** The day of the last one-person online lookup (SPAR-online), so the batch can skip the person. */
    lastOnlineLookup: IsoDateSchema.optional(),
    /** SPAR's `Hemvist`, e.g. `Utan känt hemvist` (an early warning of deregistration). */
    residence: text(60).optional(),
    /** The last deregistration code seen (AV, UV, OB, GN, GS, AS, TA, FI …). */
    deregistrationCode: text(4).optional(),
    deregistrationDate: IsoDateSchema.optional(),
  })
  .meta({ id: 'RegisterStatus' });

/**
 * What the register last said.
 *
 * @example
 * const r: RegisterStatus = { protectedIdentity: true };
 */
export type RegisterStatus = z.infer<typeof RegisterStatusSchema>;

/**
 * A borrower (låntagare) as held by the current library account.
 *
 * Rules checked beyond field formats (all reported at once): at most one current personnummer or
 * samordningsnummer; no identity listed twice; block ids, comment ids and accounts unique; at most one
 * active home address.
 *
 * @example
 * const b = BorrowerSchema.parse({
 *   id: 'b-1', identities: [{ type: 'personnummer', value: '191212121212' }], formerIdentities: [],
 *   name: { given: 'Tolvan', family: 'Tolvansson' }, addresses: [], contact: {}, blocks: [], comments: [],
 *   updatePolicy: { allowUpdate: true, protectedSections: [] }, accounts: [{ account: 'lund' }],
 * });
 */
export const BorrowerSchema = z
  .object({
    /** The host's id for the borrower. */
    id: text(100),
    identities: z.array(IdentitySchema),
    formerIdentities: z.array(FormerIdentitySchema),
    name: NameSchema,
    birthDate: IsoDateSchema.optional(),
    /** Preferred language, a BCP 47 tag (`sv`, `nb`, `en`). */
    language: z
      .string()
      .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'expected a BCP 47 language tag')
      .optional(),
    addresses: z.array(AddressSchema),
    contact: ContactSchema,
    pin: PinSchema.optional(),
    blocks: z.array(BlockSchema),
    comments: z.array(CommentSchema),
    updatePolicy: UpdatePolicySchema,
    /** Every library account the borrower belongs to (the current one included). */
    accounts: z.array(AccountMembershipSchema).min(1),
    register: RegisterStatusSchema.optional(),
    createdAt: InstantSchema.optional(),
    updatedAt: InstantSchema.optional(),
  })
  .superRefine((b, ctx) => {
    const national = b.identities.filter((i) => i.type !== 'other');
    if (national.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['identities'],
        message: 'more than one current personnummer/samordningsnummer',
      });
    const seen = new Set<string>();
    b.identities.forEach((i, n) => {
      const key = `${i.type}:${i.type === 'other' ? `${i.scheme}:` : ''}${i.value}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['identities', n], message: 'identity listed twice' });
      seen.add(key);
    });
    const dup = (values: string[], path: string, what: string) => {
      const s = new Set<string>();
      values.forEach((v, n) => {
        if (s.has(v)) ctx.addIssue({ code: 'custom', path: [path, n, 'id'], message: `${what} id "${v}" used twice` });
        s.add(v);
      });
    };
    dup(
      b.blocks.map((x) => x.id),
      'blocks',
      'block',
    );
    dup(
      b.comments.map((x) => x.id),
      'comments',
      'comment',
    );
    let activeHome = false;
    b.addresses.forEach((a, n) => {
      if (!a.active || a.type !== 'home') return;
      if (activeHome)
        ctx.addIssue({
          code: 'custom',
          path: ['addresses', n, 'active'],
          message: 'more than one active home address',
        });
      activeHome = true;
    });
    const accounts = new Set<string>();
    b.accounts.forEach((a, n) => {
      if (accounts.has(a.account))
        ctx.addIssue({
          code: 'custom',
          path: ['accounts', n, 'account'],
          message: `account "${a.account}" listed twice`,
        });
      accounts.add(a.account);
    });
  })
  .meta({ id: 'Borrower' });

/**
 * A borrower as held by the current account.
 *
 * @example
 * function greet(b: Borrower) { return b.name.callName ?? b.name.given ?? b.name.family; }
 */
export type Borrower = z.infer<typeof BorrowerSchema>;

/**
 * The input shape of {@link BorrowerSchema} (identical to the output: the schema does not transform).
 *
 * @example
 * const input: BorrowerInput = JSON.parse(text);
 */
export type BorrowerInput = z.input<typeof BorrowerSchema>;
