/**
 * Configuration checked at the boundary with zod, every problem listed at once: the export definition
 * (eksportdefinisjon, Cordel's "Oppsett av eksportdefinisjon") and the reminder setup (purreoppsett, Quick3's
 * "Purremetode: Lindorff"), with the fees, deadlines and interest rates of reference §2 as data.
 */
import {
  fromZodIssues,
  type IsoDate,
  type Issue,
  isIsoDate,
  issue,
  NordfilError,
  parseNorwegianBankAccount,
  type SafeResult,
} from '@nordfil/core';
import { z } from 'zod';
import { DEFAULT_FILE_NAME_PATTERNS, type FileNamePatterns } from './names.js';

const isoDate = z
  .string()
  .refine(isIsoDate, { message: 'expected a date YYYY-MM-DD' }) as unknown as z.ZodType<IsoDate>;
const decimalText = z
  .string()
  .regex(/^\d+(\.\d+)?$/, { message: 'expected a non-negative decimal string, e.g. "12.50"' });

const norwegianAccount = z.string().transform((s, ctx) => {
  try {
    return parseNorwegianBankAccount(s).digits;
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: NordfilError.is(e) ? e.issues[0]!.message : 'invalid account number' });
    return z.NEVER;
  }
});

const folder = z.string().refine(
  (s) =>
    s === '' ||
    (!s.startsWith('/') &&
      !s.includes('\\') &&
      s
        .replace(/\/$/, '')
        .split('/')
        .every((seg) => seg !== '' && seg !== '.' && seg !== '..')),
  { message: 'a folder is a relative path with "/" separators and no "." or ".." segments ("" for the root)' },
);

/**
 * The fields Cordel's form shows that do not apply to the agency exchange: accepted and ignored, with a note.
 *
 * @example
 * IGNORED_EXPORT_FIELDS.includes('sshPublicKey'); // true
 */
export const IGNORED_EXPORT_FIELDS = ['file', 'test', 'authentication', 'sshPublicKey'] as const;

const exportDefinitionShape = z
  .object({
    name: z.string().trim().min(1, { message: 'the definition needs a name' }),
    format: z.literal('Lindorff', { message: 'format must be "Lindorff"' }),
    serverAddress: z
      .string()
      .min(1, { message: 'the server address is given by the agency when the account is opened' })
      .regex(/^[A-Za-z0-9.-]+$|^\[?[0-9A-Fa-f:]+\]?$/, { message: 'a host name or IP address' }),
    port: z.number().int().min(1).max(65535).optional(),
    userName: z.string().min(1, { message: 'the user name is given by the agency' }),
    uploadFolder: folder,
    downloadFolder: folder,
    sftp: z.boolean({ message: 'say whether SFTP (true) or plain FTP (false) is used' }),
    password: z.string().min(1, { message: 'the password is given by the agency' }),
    customerId: z.string().regex(/^[0-9A-Za-z]+$/, { message: 'the customer id (KundeID) is letters and digits' }),
    agencyBankAccount: norwegianAccount,
    patterns: z.object({ LS: z.string(), RD: z.string(), Kvitt: z.string(), Avsl: z.string() }).partial().optional(),
    // accepted and ignored (Cordel: "Ikke relevant for eksport til Lindorff")
    file: z.unknown().optional(),
    test: z.unknown().optional(),
    authentication: z.unknown().optional(),
    sshPublicKey: z.unknown().optional(),
  })
  .strict();

/**
 * An export definition (eksportdefinisjon), checked: where and how files are exchanged with the agency.
 * The password is kept for the transport adapter; nordfil never logs it.
 *
 * @example
 * const { definition } = parseExportDefinition({ name: 'Inkasso', format: 'Lindorff', serverAddress: 'sftp.example.no',
 *   userName: 'u', uploadFolder: 'inn', downloadFolder: 'ut', sftp: true, password: 'p', customerId: '12345',
 *   agencyBankAccount: '8601.11.17947' });
 * definition.port; // 22
 */
export interface ExportDefinition {
  readonly name: string;
  readonly format: 'Lindorff';
  readonly serverAddress: string;
  /** 22 for SFTP and 21 for FTP when not given. */
  readonly port: number;
  readonly userName: string;
  /** Mappe for opplasting: files from us to the agency. */
  readonly uploadFolder: string;
  /** Mappe for nedlasting: files from the agency to us. */
  readonly downloadFolder: string;
  readonly protocol: 'sftp' | 'ftp';
  readonly password: string;
  /** KundeID: our customer number at the agency, part of every file name. */
  readonly customerId: string;
  /** The agency's bank account (11 digits): payments from it are its settlements, never corrections. */
  readonly agencyBankAccount: string;
  /** File name patterns (defaults: the Quick3 manual's). */
  readonly patterns: FileNamePatterns;
}

function finish<T>(
  result:
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } },
  source: string | undefined,
): { data: T } | { issues: Issue[] } {
  if (result.success) return { data: result.data };
  return { issues: fromZodIssues(result.error.issues as { path: PropertyKey[]; message: string }[], source) };
}

/**
 * Checks an export definition, listing every problem at once. The fields Cordel calls "not relevant" for
 * Lindorff (file, test, authentication, SSH public key) are accepted, ignored and reported as `ignored_field`
 * warnings; plain FTP gives a `plain_ftp` warning. Unknown fields are errors (a typo must not pass silently).
 *
 * @example
 * const r = safeParseExportDefinition({ name: 'x' });
 * if (!r.success) r.error.issues.map((i) => i.field); // ['format', 'serverAddress', 'userName', …]
 */
export function safeParseExportDefinition(
  input: unknown,
  options: { source?: string } = {},
): SafeResult<ExportDefinition> {
  const r = finish(exportDefinitionShape.safeParse(input), options.source);
  if ('issues' in r) return { success: false, error: new NordfilError(r.issues) };
  const d = r.data;
  const notes: Issue[] = [];
  for (const f of IGNORED_EXPORT_FIELDS) {
    if (d[f] !== undefined) {
      notes.push(
        issue('ignored_field', `${f} is not relevant for the agency exchange and is ignored`, {
          severity: 'warning',
          field: f,
          ...(options.source === undefined ? {} : { source: options.source }),
        }),
      );
    }
  }
  if (!d.sftp) {
    notes.push(
      issue(
        'plain_ftp',
        'plain FTP sends the password and the debtors in clear text; use SFTP when the agency offers it',
        {
          severity: 'warning',
          field: 'sftp',
        },
      ),
    );
  }
  const given = Object.fromEntries(
    Object.entries(d.patterns ?? {}).filter(([, v]) => v !== undefined),
  ) as Partial<FileNamePatterns>;
  const patterns: FileNamePatterns = { ...DEFAULT_FILE_NAME_PATTERNS, ...given };
  const patternIssues: Issue[] = [];
  for (const [kind, p] of Object.entries(patterns)) {
    for (const t of ['{customerNo}', '{yyyyMMdd}', '{HHmmss}']) {
      if (p.split(t).length !== 2) {
        patternIssues.push(
          issue('invalid_config', `patterns.${kind}: must contain ${t} exactly once`, { field: `patterns.${kind}` }),
        );
      }
    }
  }
  if (patternIssues.length > 0) return { success: false, error: new NordfilError(patternIssues) };
  const definition: ExportDefinition = {
    name: d.name,
    format: 'Lindorff',
    serverAddress: d.serverAddress,
    port: d.port ?? (d.sftp ? 22 : 21),
    userName: d.userName,
    uploadFolder: d.uploadFolder,
    downloadFolder: d.downloadFolder,
    protocol: d.sftp ? 'sftp' : 'ftp',
    password: d.password,
    customerId: d.customerId,
    agencyBankAccount: d.agencyBankAccount,
    patterns,
  };
  return { success: true, data: definition, warnings: notes };
}

/**
 * {@link safeParseExportDefinition} that throws one NordfilError with every problem, and returns the notes.
 *
 * @example
 * const { definition, notes } = parseExportDefinition({ ...fields, file: 'x.txt' });
 * notes[0]?.code; // 'ignored_field'
 */
export function parseExportDefinition(
  input: unknown,
  options: { source?: string } = {},
): { definition: ExportDefinition; notes: readonly Issue[] } {
  const r = safeParseExportDefinition(input, options);
  if (!r.success) throw r.error;
  return { definition: r.data, notes: r.warnings };
}

// ------------------------------------------------------------------------------------------------------------
// reminder setup and the rules as data

const rateEntry = z.object({ from: isoDate, percent: decimalText });
const amountEntry = z.object({ from: isoDate, amount: decimalText });

const sortedUnique = <T extends { from: string }>(list: T[], ctx: z.RefinementCtx) => {
  for (let i = 1; i < list.length; i++) {
    if (!(list[i - 1]!.from < list[i]!.from)) {
      ctx.addIssue({ code: 'custom', path: [i, 'from'], message: 'entries must be in strictly increasing date order' });
    }
  }
};

const reminderSetupShape = z
  .object({
    /** Purremetode: always "Lindorff" here. */
    method: z.literal('Lindorff', { message: 'the reminder method must be "Lindorff"' }),
    /** The account the agency pays settlements back to; the client account when absent. */
    settlementAccount: norwegianAccount.optional(),
    /** The client's default account (Klientinnstillinger). */
    clientAccount: norwegianAccount,
    /** 1 or 2 own reminders before collection, or 0: the agency runs both reminders and collection. */
    remindersBeforeCollection: z.union([z.literal(0), z.literal(1), z.literal(2)], {
      message: 'reminders before collection must be 0 (the agency runs both), 1 or 2',
    }),
    /** Who sends the inkassovarsel: the agency (Intrum's first letter, the default) or the creditor. */
    varselBy: z.enum(['agency', 'creditor']).default('agency'),
    /** Transfer disputed claims too (default false: reference §2 "do not transfer disputed items by default"). */
    transferDisputed: z.boolean().default(false),
    fees: z
      .object({
        /** Inkassosats by start date (700 kr in 2025). */
        inkassosats: z.array(amountEntry).min(1).superRefine(sortedUnique),
        /** The reminder fee as a fraction of the inkassosats: "0.05" (1/20) since 1 October 2020. */
        reminderFeeFraction: decimalText,
        /** A fee-bearing notice may be sent no earlier than this many days after the due date (14). */
        minDaysAfterDueForFee: z.number().int().min(0),
        /** The shortest payment deadline of an inkassovarsel, and of a first notice before a second fee (14). */
        minNoticeDays: z.number().int().min(0),
        /** Days after the due date before a case may go to the agency (14, Intrum's advice). */
        transferMinDaysAfterDue: z.number().int().min(0),
        /**
         * The standard compensation of forsinkelsesrenteloven § 3a by start date (470 kr from 1 January 2025),
         * which a business or public-body debtor owes on a late payment. Optional: without it the compensation
         * is not computed.
         */
        standardCompensation: z.array(amountEntry).min(1).superRefine(sortedUnique).optional(),
      })
      .strict(),
    interest: z
      .object({
        /** Forsinkelsesrente by start date (each 1 January and 1 July); each rate applies until the next. */
        rates: z.array(rateEntry).min(1).superRefine(sortedUnique),
        /** The last day the table is known to cover: interest after it is refused. */
        validUntil: isoDate.optional(),
        /** Day-count divisor: days / divisor years (365, "actual/365", the common calculator practice). */
        dayCountDivisor: z.number().int().min(360).max(366).default(365),
      })
      .strict(),
  })
  .strict();

/**
 * A rate valid from a date until the next entry.
 *
 * @example
 * const r: DatedRate = { from: '2025-01-01' as IsoDate, percent: '12.50' };
 */
export interface DatedRate {
  readonly from: IsoDate;
  readonly percent: string;
}

/**
 * The interest table of reference §2: a rate table keyed by start date, not a formula (a creditor may keep a
 * contract rate).
 *
 * @example
 * const t: InterestTable = { rates: [{ from: '2025-01-01' as IsoDate, percent: '12.50' }], dayCountDivisor: 365 };
 */
export interface InterestTable {
  readonly rates: readonly DatedRate[];
  readonly validUntil?: IsoDate;
  readonly dayCountDivisor: number;
}

/**
 * The reminder setup (purreoppsett) with method Lindorff, and the fee and deadline rules as data.
 *
 * @example
 * const { setup } = parseReminderSetup(json);
 * collectionLevel(setup); // 3 with two reminders first
 */
export interface ReminderSetup {
  readonly method: 'Lindorff';
  /** Where the agency pays settlements: the method's account, else the client account. */
  readonly settlementAccount: string;
  readonly clientAccount: string;
  readonly remindersBeforeCollection: 0 | 1 | 2;
  readonly varselBy: 'agency' | 'creditor';
  readonly transferDisputed: boolean;
  readonly fees: {
    readonly inkassosats: readonly { readonly from: IsoDate; readonly amount: string }[];
    readonly reminderFeeFraction: string;
    readonly minDaysAfterDueForFee: number;
    readonly minNoticeDays: number;
    readonly transferMinDaysAfterDue: number;
    /** Forsinkelsesrenteloven § 3a standard compensation by start date, when configured. */
    readonly standardCompensation?: readonly { readonly from: IsoDate; readonly amount: string }[];
  };
  readonly interest: InterestTable;
}

/**
 * Checks a reminder setup, listing every problem at once. Interest rates that do not start on 1 January or
 * 1 July give a `rate_not_half_year` warning (statutory rates change only then; contract rates may not).
 *
 * @example
 * safeParseReminderSetup({ method: 'Purring' }).success; // false
 */
export function safeParseReminderSetup(input: unknown, options: { source?: string } = {}): SafeResult<ReminderSetup> {
  const r = finish(reminderSetupShape.safeParse(input), options.source);
  if ('issues' in r) return { success: false, error: new NordfilError(r.issues) };
  const d = r.data;
  const notes: Issue[] = [];
  d.interest.rates.forEach((rate, i) => {
    if (!/-(01-01|07-01)$/.test(rate.from)) {
      notes.push(
        issue('rate_not_half_year', `interest.rates.${i}: ${rate.from} is not 1 January or 1 July`, {
          severity: 'warning',
          field: `interest.rates.${i}.from`,
        }),
      );
    }
  });
  const interest: InterestTable = {
    rates: d.interest.rates,
    dayCountDivisor: d.interest.dayCountDivisor,
    ...(d.interest.validUntil === undefined ? {} : { validUntil: d.interest.validUntil }),
  };
  const setup: ReminderSetup = {
    method: 'Lindorff',
    settlementAccount: d.settlementAccount ?? d.clientAccount,
    clientAccount: d.clientAccount,
    remindersBeforeCollection: d.remindersBeforeCollection,
    varselBy: d.varselBy,
    transferDisputed: d.transferDisputed,
    fees: (({ standardCompensation, ...rest }) =>
      standardCompensation === undefined ? rest : { ...rest, standardCompensation })(d.fees),
    interest,
  };
  return { success: true, data: setup, warnings: notes };
}

/**
 * {@link safeParseReminderSetup} that throws one NordfilError with every problem.
 *
 * @example
 * const { setup, notes } = parseReminderSetup(json);
 */
export function parseReminderSetup(
  input: unknown,
  options: { source?: string } = {},
): { setup: ReminderSetup; notes: readonly Issue[] } {
  const r = safeParseReminderSetup(input, options);
  if (!r.success) throw r.error;
  return { setup: r.data, notes: r.warnings };
}

/**
 * The reminder level whose method is Lindorff, the one that sends cases to collection: 2 or 3 after one or two
 * own reminders (purringer), 1 when the agency runs both reminders and collection.
 *
 * @example
 * collectionLevel({ ...setup, remindersBeforeCollection: 2 }); // 3
 */
export function collectionLevel(setup: Pick<ReminderSetup, 'remindersBeforeCollection'>): 1 | 2 | 3 {
  return (setup.remindersBeforeCollection + 1) as 1 | 2 | 3;
}

/**
 * One reminder level (purrenivå) of the setup.
 *
 * @example
 * const l: ReminderLevel = { level: 1, method: 'own' };
 */
export interface ReminderLevel {
  readonly level: number;
  /** `own`: a reminder (purring) from the creditor; `Lindorff`: send the case to the agency. */
  readonly method: 'own' | 'Lindorff';
}

/**
 * The reminder levels of the setup, the last one with method Lindorff.
 *
 * @example
 * reminderLevels({ remindersBeforeCollection: 1 }); // [{ level: 1, method: 'own' }, { level: 2, method: 'Lindorff' }]
 */
export function reminderLevels(setup: Pick<ReminderSetup, 'remindersBeforeCollection'>): ReminderLevel[] {
  const out: ReminderLevel[] = [];
  for (let i = 1; i <= setup.remindersBeforeCollection; i++) out.push({ level: i, method: 'own' });
  out.push({ level: setup.remindersBeforeCollection + 1, method: 'Lindorff' });
  return out;
}
