/**
 * The GDPR export ("Ladda ner låntagaruppgifter"): everything the current library account holds about a
 * borrower, except the PIN, as JSON that validates against a published JSON Schema
 * (`schema/borrower-export.v1.json`, generated from {@link BorrowerExportSchema}).
 *
 * The document is built by allow-listing: each output field is copied by name from the model, so a field
 * added to the model later is not exported until it is added here and to the schema (and the PIN, or its
 * hash reference, never is). The schema forbids unknown properties everywhere.
 */
import { issue, NordfilError } from '@nordfil/core';
import { z } from 'zod';
import { type AuditEntry, auditEntry, type OperationContext, requireCapability } from './audit.js';
import {
  type AccountMembership,
  type Address,
  type Block,
  BlockReasonSchema,
  BlockScopeSchema,
  BORROWER_SCHEMA_VERSION,
  type Borrower,
  type Comment,
  type Contact,
  type FormerIdentity,
  type Identity,
  InstantSchema,
  IsoDateSchema,
  type Name,
  type Provenance,
  RegisterAddressTypeSchema,
  type RegisterStatus,
  type UpdatePolicy,
} from './model.js';
import { borrowerIssues } from './validate.js';

/**
 * What the export says about data held by the borrower's other accounts (English).
 *
 * @example
 * exportBorrowerData(b, ctx).document.otherAccounts.note === OTHER_ACCOUNTS_NOTE; // true
 */
export const OTHER_ACCOUNTS_NOTE = 'data held by other accounts is not included; contact each account';

/**
 * The seed's own wording of the same rule (Swedish), for hosts that show it to the borrower.
 *
 * @example
 * exportBorrowerData(b, ctx, { noteLanguage: 'sv' }).document.otherAccounts.note === OTHER_ACCOUNTS_NOTE_SV;
 */
export const OTHER_ACCOUNTS_NOTE_SV =
  'Det är endast data vid det aktuella kontot som laddas ner. Om låntagaren har flera konton i ett system som består av flera konton får låntagaren kontakta respektive konto för att få tillgång till all information.';

/**
 * The note on the PIN in the export (the seed: "all information (utom PIN-kod)").
 *
 * @example
 * exportBorrowerData(b, ctx).document.notIncluded.pin === PIN_NOT_EXPORTED_NOTE; // true
 */
export const PIN_NOT_EXPORTED_NOTE = 'the PIN code is never exported';

/**
 * The note on loans, reservations and debts, which the library system's circulation holds, not the
 * borrower record.
 *
 * @example
 * exportBorrowerData(b, ctx).document.notIncluded.holdings === HOLDINGS_NOTE; // true
 */
export const HOLDINGS_NOTE = 'loans, reservations and debts are kept by the circulation system and exported from it';

/**
 * The `$id` of the published export schema.
 *
 * @example
 * borrowerExportJsonSchema().$id === BORROWER_EXPORT_SCHEMA_ID; // true
 */
export const BORROWER_EXPORT_SCHEMA_ID = `urn:nordfil:schema:borrower-export:v${BORROWER_SCHEMA_VERSION}`;

const s = z.string();
const xProvenance = z
  .strictObject({
    source: s,
    file: s.optional(),
    record: s.optional(),
    registerChangedOn: IsoDateSchema.optional(),
    appliedAt: InstantSchema.optional(),
  })
  .meta({ id: 'ExportProvenance', description: 'Where the data came from (for example a SPAR file).' });
const xIdentity = z
  .strictObject({
    type: z.enum(['personnummer', 'samordningsnummer', 'other']),
    scheme: s.optional(),
    value: s,
    provenance: xProvenance.optional(),
  })
  .meta({ id: 'ExportIdentity' });
const xMoney = z.strictObject({ amount: s.regex(/^-?\d+(\.\d+)?$/), currency: s.regex(/^[A-Z]{3}$/) });
const xBlock = z
  .strictObject({
    id: s,
    kind: z.enum(['manual', 'debt']),
    reason: z.union([BlockReasonSchema, z.literal('debt_limit')]),
    liftableByHand: z.boolean(),
    scope: z.array(BlockScopeSchema),
    since: InstantSchema,
    comment: s.optional(),
    placedBy: s.optional(),
    expiresOn: IsoDateSchema.optional(),
    balance: xMoney.optional(),
    limit: xMoney.optional(),
    provenance: xProvenance.optional(),
  })
  .meta({ id: 'ExportBlock', description: 'A block; kind "debt" is the soft block from unpaid debts.' });

/**
 * The export document, version 1. Every object forbids unknown properties.
 *
 * @example
 * BorrowerExportSchema.parse(exportBorrowerData(b, ctx).document);
 */
export const BorrowerExportSchema = z
  .strictObject({
    format: z.literal('nordfil.borrower-export'),
    schemaVersion: z.literal(BORROWER_SCHEMA_VERSION),
    generatedAt: InstantSchema,
    /** The account whose data this is. */
    account: s,
    borrower: z.strictObject({
      id: s,
      identities: z.array(xIdentity),
      formerIdentities: z.array(
        z.strictObject({
          identity: xIdentity,
          replacedOn: IsoDateSchema,
          replacedBy: s,
          reason: s.optional(),
          provenance: xProvenance.optional(),
        }),
      ),
      name: z.strictObject({
        given: s.optional(),
        middle: s.optional(),
        family: s,
        callName: s.optional(),
        provenance: xProvenance.optional(),
      }),
      birthDate: IsoDateSchema.optional(),
      language: s.optional(),
      addresses: z.array(
        z.strictObject({
          type: z.enum(['home', 'work', 'extra', 'temporary']),
          active: z.boolean(),
          validFrom: IsoDateSchema.optional(),
          validTo: IsoDateSchema.optional(),
          careOf: s.optional(),
          lines: z.array(s),
          postalCode: s.optional(),
          town: s.optional(),
          country: s.optional(),
          registerType: RegisterAddressTypeSchema.optional(),
          provenance: xProvenance.optional(),
        }),
      ),
      contact: z.strictObject({ phone: s.optional(), mobile: s.optional(), email: s.optional() }),
      blocks: z.array(xBlock),
      comments: z.array(
        z.strictObject({
          id: s,
          text: s,
          author: s,
          date: IsoDateSchema,
          source: s,
          provenance: xProvenance.optional(),
        }),
      ),
      /** "Tillåt uppdatering" and the protected sections. */
      updatePolicy: z.strictObject({ allowUpdate: z.boolean(), protectedSections: z.array(s) }),
      /** The membership of this account only. */
      membership: z.strictObject({
        account: s,
        since: IsoDateSchema.optional(),
        category: s.optional(),
        homeLibrary: s.optional(),
      }),
      register: z
        .strictObject({
          protectedIdentity: z.boolean().optional(),
          lastChangedInRegister: IsoDateSchema.optional(),
          lastSyncedAt: InstantSchema.optional(),
          lastOnlineLookup: IsoDateSchema.optional(),
          residence: s.optional(),
          deregistrationCode: s.optional(),
          deregistrationDate: IsoDateSchema.optional(),
        })
        .optional(),
      createdAt: InstantSchema.optional(),
      updatedAt: InstantSchema.optional(),
    }),
    /** The other accounts the borrower belongs to, counted, not included. */
    otherAccounts: z.strictObject({ count: z.number().int().min(0), note: s }),
    notIncluded: z.strictObject({ pin: s, holdings: s }),
    /** What this account did with the borrower's data (from the host's audit log), when supplied. */
    history: z
      .array(
        z.strictObject({
          at: InstantSchema,
          action: s,
          outcome: s,
          details: z.record(s, z.union([s, z.number(), z.boolean(), z.array(s)])),
        }),
      )
      .optional(),
  })
  .meta({
    id: 'BorrowerExport',
    title: 'nordfil borrower export',
    description:
      'Everything one library account holds about a borrower, except the PIN (GDPR Art. 15/20). Data held by other accounts is not included.',
  });

/**
 * The export document.
 *
 * @example
 * const doc: BorrowerExport = exportBorrowerData(b, ctx).document;
 */
export type BorrowerExport = z.infer<typeof BorrowerExportSchema>;

/**
 * The published JSON Schema (draft 2020-12) of {@link BorrowerExport}, generated with `z.toJSONSchema`.
 * The committed file `schema/borrower-export.v1.json` equals it (a test checks).
 *
 * @example
 * new Ajv2020().compile(borrowerExportJsonSchema());
 */
export function borrowerExportJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(BorrowerExportSchema, { target: 'draft-2020-12' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, $id: BORROWER_EXPORT_SCHEMA_ID, ...rest };
}

/**
 * Options of {@link exportBorrowerData}.
 *
 * @example
 * const o: ExportOptions = { noteLanguage: 'sv', history: auditLog.filter((e) => e.borrowerId === b.id) };
 */
export interface ExportOptions {
  /** The language of `otherAccounts.note`: `en` ({@link OTHER_ACCOUNTS_NOTE}, default) or `sv`. */
  readonly noteLanguage?: 'en' | 'sv';
  /**
   * Audit entries to include as `history`; only this borrower's entries in this account are kept, and
   * without the staff actor (who did it is the library's information, what was done is the borrower's).
   */
  readonly history?: readonly AuditEntry[];
}

/**
 * The result of {@link exportBorrowerData}.
 *
 * @example
 * writeFile(exportFileName(b.id, ctx.today), exportToJson(result.document));
 */
export interface ExportResult {
  readonly document: BorrowerExport;
  readonly schemaVersion: typeof BORROWER_SCHEMA_VERSION;
  /** The same statement as `document.otherAccounts`. */
  readonly excludedAccounts: { readonly count: number; readonly note: string };
  readonly audit: AuditEntry;
}

/**
 * Builds the GDPR export of the borrower's data in the current account. Needs `borrower.download`
 * ("Låntagare - Ladda ner låntagardata"). The PIN is never included; the other accounts are counted and
 * the export says their data is not included. The document is checked against the schema before it is
 * returned (`invalid_borrower` if the borrower itself is malformed); `not_a_member` when the borrower
 * does not belong to the context's account.
 *
 * @example
 * const { document, audit } = exportBorrowerData(borrower, ctx);
 * const json = exportToJson(document); // save as exportFileName(borrower.id, ctx.today)
 */
export function exportBorrowerData(
  borrower: Borrower,
  ctx: OperationContext,
  options: ExportOptions = {},
): ExportResult {
  requireCapability(ctx, 'borrower.download', 'borrower.export', borrower.id);
  const membership = borrower.accounts.find((a) => a.account === ctx.account);
  if (membership === undefined)
    throw new NordfilError(
      issue('not_a_member', `the borrower does not belong to the account "${ctx.account}"`, {
        field: 'accounts',
        expected: ctx.account,
      }),
    );
  const count = borrower.accounts.filter((a) => a.account !== ctx.account).length;
  const note = options.noteLanguage === 'sv' ? OTHER_ACCOUNTS_NOTE_SV : OTHER_ACCOUNTS_NOTE;
  const history = options.history
    ?.filter((e) => e.borrowerId === borrower.id && e.account === ctx.account)
    .map((e) => ({ at: e.at, action: e.action, outcome: e.outcome, details: copyDetails(e.details) }));

  const draft = {
    format: 'nordfil.borrower-export' as const,
    schemaVersion: BORROWER_SCHEMA_VERSION,
    generatedAt: ctx.at,
    account: ctx.account,
    borrower: opt({
      id: borrower.id,
      identities: borrower.identities.map(xIdentityOf),
      formerIdentities: borrower.formerIdentities.map(xFormerOf),
      name: xNameOf(borrower.name),
      birthDate: borrower.birthDate,
      language: borrower.language,
      addresses: borrower.addresses.map(xAddressOf),
      contact: xContactOf(borrower.contact),
      blocks: borrower.blocks.map(xBlockOf),
      comments: borrower.comments.map(xCommentOf),
      updatePolicy: xPolicyOf(borrower.updatePolicy),
      membership: xMembershipOf(membership),
      register: borrower.register === undefined ? undefined : xRegisterOf(borrower.register),
      createdAt: borrower.createdAt,
      updatedAt: borrower.updatedAt,
    }),
    otherAccounts: { count, note },
    notIncluded: { pin: PIN_NOT_EXPORTED_NOTE, holdings: HOLDINGS_NOTE },
    ...(history === undefined ? {} : { history }),
  };
  const checked = BorrowerExportSchema.safeParse(draft);
  if (!checked.success) throw new NordfilError(borrowerIssues(checked.error.issues, 'borrower export'));
  return {
    document: checked.data,
    schemaVersion: BORROWER_SCHEMA_VERSION,
    excludedAccounts: { count, note },
    audit: auditEntry(ctx, 'borrower.export', borrower.id, 'done', {
      schemaVersion: BORROWER_SCHEMA_VERSION,
      otherAccounts: count,
    }),
  };
}

/**
 * The export as JSON text (two-space indented, UTF-8 when written), ready to save.
 *
 * @example
 * await storage.put(exportFileName(b.id, today), new TextEncoder().encode(exportToJson(doc)));
 */
export function exportToJson(document: BorrowerExport): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/**
 * A file name for the export: `borrower-<id>-<date>.json`, with the id reduced to `A-Z a-z 0-9 . _ -`.
 *
 * @example
 * exportFileName('b/17', '2026-11-23'); // 'borrower-b_17-2026-11-23.json'
 */
export function exportFileName(borrowerId: string, today: string): string {
  return `borrower-${borrowerId.replace(/[^A-Za-z0-9._-]/g, '_')}-${today}.json`;
}

/** Drops `undefined` values so optional fields are absent, not `undefined`. */
function opt<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

function xProvenanceOf(p: Provenance | undefined) {
  if (p === undefined) return undefined;
  return opt({
    source: p.source,
    file: p.file,
    record: p.record,
    registerChangedOn: p.registerChangedOn,
    appliedAt: p.appliedAt,
  });
}

function xIdentityOf(i: Identity) {
  return opt({
    type: i.type,
    scheme: i.type === 'other' ? i.scheme : undefined,
    value: i.value,
    provenance: xProvenanceOf(i.provenance),
  });
}

function xFormerOf(f: FormerIdentity) {
  return opt({
    identity: xIdentityOf(f.identity),
    replacedOn: f.replacedOn,
    replacedBy: f.replacedBy,
    reason: f.reason,
    provenance: xProvenanceOf(f.provenance),
  });
}

function xNameOf(n: Name) {
  return opt({
    given: n.given,
    middle: n.middle,
    family: n.family,
    callName: n.callName,
    provenance: xProvenanceOf(n.provenance),
  });
}

function xAddressOf(a: Address) {
  return opt({
    type: a.type,
    active: a.active,
    validFrom: a.validFrom,
    validTo: a.validTo,
    careOf: a.careOf,
    lines: [...a.lines],
    postalCode: a.postalCode,
    town: a.town,
    country: a.country,
    registerType: a.registerType,
    provenance: xProvenanceOf(a.provenance),
  });
}

function xContactOf(c: Contact) {
  return opt({ phone: c.phone, mobile: c.mobile, email: c.email });
}

function xBlockOf(b: Block) {
  if (b.kind === 'debt')
    return {
      id: b.id,
      kind: b.kind,
      reason: 'debt_limit' as const,
      liftableByHand: false,
      scope: ['borrowing' as const, 'renewals' as const, 'reservations' as const],
      since: b.since,
      balance: { amount: b.balance.amount, currency: b.balance.currency },
      limit: { amount: b.limit.amount, currency: b.limit.currency },
    };
  return opt({
    id: b.id,
    kind: b.kind,
    reason: b.reason,
    liftableByHand: true,
    scope: [...b.scope],
    since: b.placedAt,
    comment: b.comment,
    placedBy: b.placedBy,
    expiresOn: b.expiresOn,
    provenance: xProvenanceOf(b.provenance),
  });
}

function xCommentOf(c: Comment) {
  return opt({
    id: c.id,
    text: c.text,
    author: c.author,
    date: c.date,
    source: c.source,
    provenance: xProvenanceOf(c.provenance),
  });
}

function xPolicyOf(p: UpdatePolicy) {
  return { allowUpdate: p.allowUpdate, protectedSections: [...p.protectedSections] };
}

function xMembershipOf(m: AccountMembership) {
  return opt({ account: m.account, since: m.since, category: m.category, homeLibrary: m.homeLibrary });
}

function xRegisterOf(r: RegisterStatus) {
  return opt({
    protectedIdentity: r.protectedIdentity,
    lastChangedInRegister: r.lastChangedInRegister,
    lastSyncedAt: r.lastSyncedAt,
    lastOnlineLookup: r.lastOnlineLookup,
    residence: r.residence,
    deregistrationCode: r.deregistrationCode,
    deregistrationDate: r.deregistrationDate,
  });
}

function copyDetails(d: AuditEntry['details']): Record<string, string | number | boolean | string[]> {
  const out: Record<string, string | number | boolean | string[]> = {};
  for (const [k, v] of Object.entries(d)) out[k] = Array.isArray(v) ? [...v] : (v as string | number | boolean);
  return out;
}
