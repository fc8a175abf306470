/**
 * The pure decision pipeline of the seed (reference/matching.md §1), with evidence: payment + open invoices +
 * ledger accounts + configuration → a {@link Decision}. No clock, no I/O, no randomness, no dependence on the
 * order of invoices or payments: every tie is either broken by an explicit rule or reported as `Ambiguous`.
 */
import { issue, Money, NordfilError, type Payment } from '@nordfil/core';
import { type KeyTable, MemoryInvoiceIndex, numericKey, rawNumericKey } from './_index.js';
import { PairingLog, pairDeductions } from './_pairing.js';
import {
  type MatchingConfig,
  type NormalizedLimit,
  resolveRule,
  type ToleranceRule,
  toleranceLimit,
} from './config.js';
import { type Invoice, type InvoiceLookup, type LedgerAccount, type LedgerAccounts, referenceKey } from './ports.js';
import type { DecisionStatus, MatchComment } from './status.js';
import { type CheckDigitSuggestion, checkDigitNeighbours, type Suggestion } from './suggest.js';

/**
 * What `decide` needs: the open invoices, the ledger accounts, and the configuration.
 *
 * @example
 * const ctx: DecideContext = { invoices: buildInvoiceIndex(list), ledger: ledgerAccounts(accounts), config: matchingConfig({ tolerance: { absolute: '10' } }) };
 */
export interface DecideContext {
  readonly invoices: InvoiceLookup;
  readonly ledger: LedgerAccounts;
  readonly config: MatchingConfig;
}

/**
 * Money applied to one invoice.
 *
 * @example
 * const a: Allocation = { invoiceId: 'inv-1001', amount: Money.of('1250.00', 'SEK') };
 */
export interface Allocation {
  readonly invoiceId: string;
  readonly amount: Money;
}

/**
 * The machine-readable reason of a decision; the comment is its rendering in the seed's words.
 *
 * | rule | status / comment |
 * | --- | --- |
 * | `account_unknown` | Error / Account |
 * | `deduction` | Credit |
 * | `no_reference`, `no_match` | Error / No Match |
 * | `account_currency_mismatch`, `currency_mismatch` | Error / Currency |
 * | `company_mismatch` | Error / Company |
 * | `outside_tolerance`, `several_payments_outside_tolerance` | Error / Amount |
 * | `exact` | Complete / (blank) |
 * | `within_tolerance` | Complete / Amount |
 * | `several_invoices`, `several_payments` | Complete / (blank) or Amount |
 * | `ambiguous_invoice`, `conflicting_payments` | Ambiguous / Ambiguous |
 *
 * @example
 * const r: DecisionRule = 'within_tolerance';
 */
export type DecisionRule =
  | 'account_unknown'
  | 'deduction'
  | 'no_reference'
  | 'no_match'
  | 'account_currency_mismatch'
  | 'currency_mismatch'
  | 'company_mismatch'
  | 'ambiguous_invoice'
  | 'exact'
  | 'within_tolerance'
  | 'outside_tolerance'
  | 'several_invoices'
  | 'several_payments'
  | 'several_payments_outside_tolerance'
  | 'conflicting_payments';

/**
 * Which reference field a key came from: the seed's Reference (`index` 0) or an Additional reference
 * (`index` 1… in file order).
 *
 * @example
 * const f: ReferenceField = 'additionalReference';
 */
export type ReferenceField = 'reference' | 'additionalReference';

/**
 * A reference of the payment as read and as compared, and whether its digits pass Luhn (the OCR check digit).
 *
 * @example
 * const r: ReferenceEvidence = { field: 'reference', index: 0, raw: '0065 5969', key: '655969', checkDigit: 'valid' };
 */
export interface ReferenceEvidence {
  readonly field: ReferenceField;
  readonly index: number;
  readonly raw: string;
  readonly key: string;
  readonly checkDigit: 'valid' | 'invalid' | 'not-numeric';
}

/**
 * An invoice a reference found, through which field, and the first gate it failed (`ok`: none).
 *
 * @example
 * const c: CandidateEvidence = { invoiceId: 'i1', field: 'reference', index: 0, against: 'ocr', key: '655969', gate: 'ok' };
 */
export interface CandidateEvidence {
  readonly invoiceId: string;
  readonly field: ReferenceField;
  readonly index: number;
  readonly against: 'ocr' | 'invoiceNumber';
  readonly key: string;
  readonly gate: 'ok' | 'currency' | 'company';
}

/**
 * A tolerance rule as evidence: where it came from and its limits as configured.
 *
 * @example
 * const t: ToleranceEvidence = { source: 'default', over: { absolute: '10', combine: 'min' }, under: { absolute: '10', combine: 'min' } };
 */
export interface ToleranceEvidence {
  readonly source: string;
  readonly over: NormalizedLimit;
  readonly under: NormalizedLimit;
  /** Under the `stricter` customer policy: the other rule, whose lower limit also applies. */
  readonly stricterThan?: ToleranceEvidence;
}

/**
 * The amount check, with exact numbers: `difference` = paid − open (positive: overpaid), the side, the limit
 * that applied and the rule it came from (absent for an exact amount, which needs none), and whether it fits.
 * For an underpayment inside the tolerance, `remainingOnInvoice` is what stays open (for the clerk to write
 * off or chase).
 *
 * @example
 * const a: AmountEvidence = { paid: Money.of('995', 'SEK'), open: Money.of('1000', 'SEK'), difference: Money.of('-5', 'SEK'),
 *   side: 'under', limit: Money.of('10', 'SEK'), fits: true, remainingOnInvoice: Money.of('5', 'SEK') };
 */
export interface AmountEvidence {
  readonly paid: Money;
  readonly open: Money;
  readonly difference: Money;
  readonly side: 'exact' | 'over' | 'under';
  readonly limit?: Money;
  readonly tolerance?: ToleranceEvidence;
  readonly fits: boolean;
  readonly remainingOnInvoice?: Money;
}

/**
 * Several payments of one batch that name the same invoice, decided together.
 *
 * @example
 * const g: GroupEvidence = { invoiceIds: ['i1'], paymentIds: ['f#3', 'f#5'], total: Money.of('1000', 'SEK') };
 */
export interface GroupEvidence {
  readonly invoiceIds: readonly string[];
  readonly paymentIds: readonly string[];
  readonly total: Money;
}

/**
 * Why a decision is what it is: enough for a clerk to see which reference matched which field, the difference,
 * the tolerance applied, and the configuration version.
 *
 * @example
 * decision.evidence.matched; // { invoiceId: 'i1', field: 'reference', against: 'ocr', key: '655969', … }
 */
export interface Evidence {
  readonly rule: DecisionRule;
  /** The receiving account, and the ledger account it belongs to when known. */
  readonly account: {
    readonly kind: string;
    readonly number: string;
    readonly ledgerAccount?: string;
    readonly company?: string;
    readonly currency?: string;
  };
  readonly references: readonly ReferenceEvidence[];
  /** Every invoice any reference found, in the order tried, with the gate it failed. */
  readonly candidates: readonly CandidateEvidence[];
  /** The candidate the decision is about. */
  readonly matched?: CandidateEvidence;
  readonly amount?: AmountEvidence;
  /** For `several_invoices`: the invoices settled together, in allocation order. */
  readonly invoiceIds?: readonly string[];
  /** For `several_payments`, `several_payments_outside_tolerance`, `conflicting_payments`. */
  readonly group?: GroupEvidence;
}

/**
 * The outcome for one payment. Invariant: Σ allocations + unapplied = the payment's amount, exactly; only a
 * `Complete` decision has allocations, and no allocation exceeds its invoice's open amount.
 *
 * A read-only value. The common decision (one reference, one invoice, amount exact or inside the tolerance)
 * is compact: its fields are getters, so it reads and serialises (`JSON.stringify`) like a plain object, but a
 * spread or `structuredClone` sees no fields; copy or extend a decision with {@link plainDecision}.
 *
 * @example
 * const d = decide(payment, ctx);
 * if (d.status === 'Complete') host.apply(d.allocations);
 */
export interface Decision {
  readonly paymentId: string;
  readonly status: DecisionStatus;
  readonly comment: MatchComment;
  /** The invoice the decision is about (the matched one, or the first candidate for Currency/Company/Amount). */
  readonly invoiceId?: string;
  readonly allocations: readonly Allocation[];
  /** What is not applied to any invoice (all of it unless Complete; an accepted overpayment when Complete). */
  readonly unapplied: Money;
  /** The ledger account the payment is booked to (the seed's "Account"). */
  readonly ledgerAccount?: LedgerAccount;
  readonly evidence: Evidence;
  readonly suggestions: readonly Suggestion[];
  /** The {@link MatchingConfig.version} the decision was made under. */
  readonly configVersion: string;
}

const NO_SUGGESTIONS: readonly Suggestion[] = Object.freeze([]);
const NO_ALLOCATIONS: readonly Allocation[] = Object.freeze([]);
const NO_CANDIDATES: readonly CandidateEvidence[] = Object.freeze([]);
const NO_INVOICES: readonly Invoice[] = Object.freeze([]);

const zeros = new Map<string, Money>();
let lastZero: Money | undefined;
function zero(currency: string): Money {
  if (lastZero !== undefined && lastZero.currency === currency) return lastZero;
  let z = zeros.get(currency);
  if (z === undefined) {
    z = Money.zero(currency);
    zeros.set(currency, z);
  }
  lastZero = z;
  return z;
}

const ruleEvidenceCache = new WeakMap<ToleranceRule, ToleranceEvidence>();
function ruleEvidence(rule: ToleranceRule): ToleranceEvidence {
  let ev = ruleEvidenceCache.get(rule);
  if (ev === undefined) {
    const strip = (l: ToleranceRule['over']): NormalizedLimit => ({
      ...(l.absolute === undefined ? {} : { absolute: l.absolute }),
      ...(l.percent === undefined ? {} : { percent: l.percent }),
      combine: l.combine,
    });
    ev = {
      source: rule.source,
      over: strip(rule.over),
      under: strip(rule.under),
      ...(rule.stricterThan === undefined ? {} : { stricterThan: ruleEvidence(rule.stricterThan) }),
    };
    ruleEvidenceCache.set(rule, ev);
  }
  return ev;
}

/** The amount check of `paid` against `open` (same currency) under the rule of `inv`. */
function checkAmount(
  config: MatchingConfig,
  paid: Money,
  open: Money,
  customer: string,
): { readonly evidence: AmountEvidence; readonly cmp: number } {
  const cmp = paid.compare(open);
  const currency = paid.currency;
  if (cmp === 0) {
    return { cmp, evidence: { paid, open, difference: zero(currency), side: 'exact', fits: true } };
  }
  const rule = resolveRule(config, customer, currency);
  const side = cmp > 0 ? 'over' : 'under';
  const diff = paid.minus(open);
  const limit = toleranceLimit(rule, side, open);
  const fits = diff.abs().compare(limit) <= 0;
  const evidence: AmountEvidence = {
    paid,
    open,
    difference: diff,
    side,
    limit,
    tolerance: ruleEvidence(rule),
    fits,
    ...(fits && side === 'under' ? { remainingOnInvoice: diff.negate() } : {}),
  };
  return { cmp, evidence };
}

function addReference(out: ReferenceEvidence[], raw: string | undefined, field: ReferenceField, index: number): void {
  if (raw === undefined) return;
  const key = referenceKey(raw);
  if (key === '') return;
  let numeric = true;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    if (c < 48 || c > 57) {
      numeric = false;
      break;
    }
  }
  out.push({ field, index, raw, key, checkDigit: !numeric ? 'not-numeric' : luhn(key) ? 'valid' : 'invalid' });
}

function referencesOf(p: Payment): ReferenceEvidence[] {
  const out: ReferenceEvidence[] = [];
  addReference(out, p.reference, 'reference', 0);
  if (p.extraReferences.length === 0) return out.length === 0 ? [] : [out[0] as ReferenceEvidence];
  const extras = p.extraReferences;
  for (let i = 0; i < extras.length; i++) addReference(out, extras[i]?.reference, 'additionalReference', i + 1);
  return out;
}

function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function make(
  p: Payment,
  config: MatchingConfig,
  status: DecisionStatus,
  comment: MatchComment,
  evidence: Evidence,
  extra: {
    invoiceId?: string | undefined;
    allocations?: readonly Allocation[];
    unapplied?: Money;
    ledgerAccount?: LedgerAccount | undefined;
    suggestions?: readonly Suggestion[];
  } = {},
): Decision {
  const d: {
    -readonly [K in keyof Decision]: Decision[K];
  } = {
    paymentId: p.id,
    status,
    comment,
    allocations: extra.allocations ?? NO_ALLOCATIONS,
    unapplied: extra.unapplied ?? p.amount,
    evidence,
    suggestions: extra.suggestions ?? NO_SUGGESTIONS,
    configVersion: config.version,
  };
  if (extra.invoiceId !== undefined) d.invoiceId = extra.invoiceId;
  if (extra.ledgerAccount !== undefined) d.ledgerAccount = extra.ledgerAccount;
  return d;
}

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function checkDigitSuggestions(
  refs: readonly ReferenceEvidence[],
  lookup: InvoiceLookup,
  passes: (inv: Invoice) => boolean,
): Suggestion[] {
  const out: CheckDigitSuggestion[] = [];
  const seen = new Set<string>();
  for (const r of refs) {
    if (r.checkDigit !== 'invalid') continue;
    for (const n of checkDigitNeighbours(r.key)) {
      for (const against of ['ocr', 'invoiceNumber'] as const) {
        const found = against === 'ocr' ? lookup.byOcr(n.key) : lookup.byInvoiceNumber(n.key);
        for (const inv of found) {
          if (!passes(inv) || seen.has(inv.id)) continue;
          seen.add(inv.id);
          out.push({
            kind: 'check-digit',
            invoiceId: inv.id,
            field: r.field,
            index: r.index,
            reference: r.raw,
            corrected: n.reference,
            against,
            edit: n.edit,
          });
        }
      }
    }
  }
  return out;
}

/**
 * What the compact decisions on one receiving account share under one configuration: the account (as evidence
 * and as the ledger account booked to), the invoice field the reference matched, the configuration's version.
 */
interface SingleShared {
  readonly account: Evidence['account'];
  readonly against: 'ocr' | 'invoiceNumber';
  readonly ledgerAccount: LedgerAccount;
  readonly configVersion: string;
}

// the shared parts of each account evidence object (a file has a handful of accounts), and the last one used
const sharedCache = new WeakMap<Evidence['account'], SingleShared[]>();
let lastShared: SingleShared | undefined;
function sharedFor(
  account: Evidence['account'],
  against: 'ocr' | 'invoiceNumber',
  ledgerAccount: LedgerAccount,
  configVersion: string,
): SingleShared {
  const last = lastShared;
  if (
    last !== undefined &&
    last.account === account &&
    last.against === against &&
    last.ledgerAccount === ledgerAccount &&
    last.configVersion === configVersion
  )
    return last;
  let list = sharedCache.get(account);
  if (list === undefined) {
    list = [];
    sharedCache.set(account, list);
  }
  let shared = list.find(
    (s) => s.against === against && s.ledgerAccount === ledgerAccount && s.configVersion === configVersion,
  );
  if (shared === undefined) {
    shared = { account, against, ledgerAccount, configVersion };
    if (list.length < 64) list.push(shared);
  }
  lastShared = shared;
  return shared;
}

/**
 * The evidence of the common decision (one reference, one invoice, the amount exact or inside the tolerance),
 * made on access from the decision's parts: the payment, the invoice, what the account's decisions share and,
 * inside the tolerance, the amount check. It reads, and serialises, exactly like a plain {@link Evidence}.
 */
class SingleMatchEvidence implements Evidence {
  readonly #payment: Payment;
  readonly #invoice: Invoice;
  readonly #shared: SingleShared;
  readonly #amount: AmountEvidence | undefined;

  constructor(payment: Payment, invoice: Invoice, shared: SingleShared, amount: AmountEvidence | undefined) {
    this.#payment = payment;
    this.#invoice = invoice;
    this.#shared = shared;
    this.#amount = amount;
  }

  get rule(): DecisionRule {
    return this.#amount === undefined ? 'exact' : 'within_tolerance';
  }

  get account(): Evidence['account'] {
    return this.#shared.account;
  }

  get references(): readonly ReferenceEvidence[] {
    return referencesOf(this.#payment);
  }

  get matched(): CandidateEvidence {
    const r = referencesOf(this.#payment)[0] as ReferenceEvidence;
    return {
      invoiceId: this.#invoice.id,
      field: r.field,
      index: r.index,
      against: this.#shared.against,
      key: r.key,
      gate: 'ok',
    };
  }

  get candidates(): readonly CandidateEvidence[] {
    return [this.matched];
  }

  get amount(): AmountEvidence {
    if (this.#amount !== undefined) return this.#amount;
    const open = this.#invoice.openAmount;
    return { paid: this.#payment.amount, open, difference: zero(open.currency), side: 'exact', fits: true };
  }

  toJSON(): Record<string, unknown> {
    const matched = this.matched;
    return {
      rule: this.rule,
      account: this.account,
      references: this.references,
      candidates: [matched],
      matched,
      amount: this.amount,
    };
  }
}

/**
 * The common decision, kept compact: one payment registered on the one invoice its one reference found, the
 * amount exact ({@link SingleToleranceDecision}: inside the tolerance). A batch holds a million of these, and
 * as plain objects each took 248 bytes (the decision, its allocation array, the allocation and the evidence),
 * which cost about a second to write and keep on the development machine; this one holds three fields (48
 * bytes) and derives the rest from the payment, the invoice and what the account's decisions share.
 *
 * It reads like any {@link Decision} and serialises (`JSON.stringify`) exactly like the plain object it stands
 * for. Its allocations and evidence are made on each access (equal every time, not the same object), so that
 * reading them once, as a host registering the payments does, keeps nothing. Its fields are getters, not own
 * properties: copy it with {@link plainDecision}, not with a spread or `structuredClone`.
 */
class SingleMatchDecision implements Decision {
  readonly #payment: Payment;
  readonly #invoice: Invoice;
  readonly #shared: SingleShared;

  constructor(payment: Payment, invoice: Invoice, shared: SingleShared) {
    this.#payment = payment;
    this.#invoice = invoice;
    this.#shared = shared;
  }

  /** The invoice the decision settles (internal: for the batch rules). */
  static invoiceOf(d: SingleMatchDecision): Invoice {
    return d.#invoice;
  }

  get paymentId(): string {
    return this.#payment.id;
  }

  get status(): DecisionStatus {
    return 'Complete';
  }

  get comment(): MatchComment {
    return this.check() === undefined ? '' : 'Amount';
  }

  get invoiceId(): string {
    return this.#invoice.id;
  }

  /** All of the payment; when it overpays within the tolerance, the open amount. */
  get allocations(): readonly Allocation[] {
    const check = this.check();
    const amount = check?.side === 'over' ? check.open : this.#payment.amount;
    return [{ invoiceId: this.#invoice.id, amount }];
  }

  /** Zero; when the payment overpays within the tolerance, what it pays over. */
  get unapplied(): Money {
    const check = this.check();
    return check?.side === 'over' ? check.difference : zero(this.#payment.currency);
  }

  get ledgerAccount(): LedgerAccount {
    return this.#shared.ledgerAccount;
  }

  get evidence(): Evidence {
    return new SingleMatchEvidence(this.#payment, this.#invoice, this.#shared, this.check());
  }

  get suggestions(): readonly Suggestion[] {
    return NO_SUGGESTIONS;
  }

  get configVersion(): string {
    return this.#shared.configVersion;
  }

  /** The amount check when the amount is inside the tolerance but not exact; undefined when exact. */
  protected check(): AmountEvidence | undefined {
    return undefined;
  }

  /** The plain decision, in the key order of every other decision of this kind. */
  toJSON(): Decision {
    return plainDecision(this);
  }
}

/** {@link SingleMatchDecision} for an amount inside the tolerance, not exact: it keeps the amount check. */
class SingleToleranceDecision extends SingleMatchDecision {
  readonly #check: AmountEvidence;

  constructor(payment: Payment, invoice: Invoice, shared: SingleShared, check: AmountEvidence) {
    super(payment, invoice, shared);
    this.#check = check;
  }

  protected override check(): AmountEvidence {
    return this.#check;
  }
}

/** The compact decision of a single match: exact when `amount` is undefined. */
function singleDecision(
  payment: Payment,
  invoice: Invoice,
  account: Evidence['account'],
  against: 'ocr' | 'invoiceNumber',
  ledgerAccount: LedgerAccount,
  config: MatchingConfig,
  amount: AmountEvidence | undefined,
): SingleMatchDecision {
  const shared = sharedFor(account, against, ledgerAccount, config.version);
  return amount === undefined
    ? new SingleMatchDecision(payment, invoice, shared)
    : new SingleToleranceDecision(payment, invoice, shared, amount);
}

/**
 * A decision as a plain object of its own properties, whatever it is made of: what a spread of a decision
 * would be if every decision were a plain object. `decideBatch` keeps its most common decisions compact (their
 * fields are getters); use this to copy or extend one. It copies the top level only (the evidence may be
 * compact too, and amounts are `Money`): for a deep plain copy, to clone or post, use JSON.
 *
 * @example
 * const d = decide(payment, ctx);
 * const noted = { ...plainDecision(d), comment: 'Amount' };
 * worker.postMessage(JSON.parse(JSON.stringify(d))); // deep and plain: amounts as decimal strings
 */
export function plainDecision(d: Decision): Decision {
  if (!(d instanceof SingleMatchDecision)) return { ...d };
  return {
    paymentId: d.paymentId,
    status: d.status,
    comment: d.comment,
    invoiceId: d.invoiceId,
    allocations: d.allocations,
    unapplied: d.unapplied,
    ledgerAccount: d.ledgerAccount,
    evidence: d.evidence,
    suggestions: d.suggestions,
    configVersion: d.configVersion,
  };
}

/** Per-call working state of `analyse` (synchronous, never re-entered), kept to avoid closures per payment. */
interface Scratch {
  /** The in-memory index when the lookup is one: ordinals instead of arrays and ids. */
  index: MemoryInvoiceIndex | undefined;
  /** Canonical ordinals of `targets` (with `index` only), for telling competing payments apart: the first `nOrds`. */
  readonly ords: number[];
  nOrds: number;
  /** Outputs of `analyse` besides the decision: the one invoice the decision is about, when there is one. */
  primary: Invoice | undefined;
  /** Invoices this payment could be applied to (gate-passing candidates): tolerance-independent. One is bare. */
  outTargets: Invoice | readonly Invoice[];
  /** The last receiving account looked up (within one call of decide or decideBatch). */
  ledger: LedgerAccounts | undefined;
  raKind: string;
  raNumber: string;
  acc: LedgerAccount | undefined;
  account: Evidence['account'] | undefined;
  currency: string;
  accountCurrencyOk: boolean;
  company: string;
  lookup: InvoiceLookup;
  candidates: CandidateEvidence[];
  targets: Invoice[];
  primaryStart: number;
  primaryEnd: number;
  ambiguousElsewhere: boolean;
  /** What {@link warm} read, kept so that its reads are not optimised away. */
  sink: number;
}

const scratch: Scratch = {
  index: undefined,
  ords: [],
  nOrds: 0,
  primary: undefined,
  outTargets: NO_INVOICES,
  ledger: undefined,
  raKind: '',
  raNumber: '',
  acc: undefined,
  account: undefined,
  currency: '',
  accountCurrencyOk: true,
  company: '',
  lookup: { byOcr: () => NO_INVOICES, byInvoiceNumber: () => NO_INVOICES },
  candidates: [],
  targets: [],
  primaryStart: -1,
  primaryEnd: -1,
  ambiguousElsewhere: false,
  sink: 0,
};

function gate(st: Scratch, inv: Invoice): CandidateEvidence['gate'] {
  if (!st.accountCurrencyOk || inv.openAmount.currency !== st.currency) return 'currency';
  return inv.company !== st.company ? 'company' : 'ok';
}

/** Prepares the scratch state for one call of decide or decideBatch over `ctx`. */
function begin(st: Scratch, ctx: DecideContext): void {
  st.index = ctx.invoices instanceof MemoryInvoiceIndex ? ctx.invoices : undefined;
  st.ledger = undefined;
  st.acc = undefined;
  st.account = undefined;
}

function stepIndexed(
  st: Scratch,
  index: MemoryInvoiceIndex,
  r: ReferenceEvidence,
  against: 'ocr' | 'invoiceNumber',
): void {
  const table: KeyTable = against === 'ocr' ? index.ocr : index.numbers;
  const code = table.find(r.key, numericKey(r.key));
  if (code === -1) return;
  const candidates = st.candidates;
  const start = candidates.length;
  let passing = 0;
  const count = code >= 0 ? 1 : index.list(table, code).length;
  for (let i = 0; i < count; i++) {
    const o = code >= 0 ? code : (index.list(table, code)[i] as number);
    const inv = index.invoices[o] as Invoice;
    const g = gate(st, inv);
    candidates.push({ invoiceId: inv.id, field: r.field, index: r.index, against, key: r.key, gate: g });
    if (g === 'ok') {
      passing++;
      if (!st.targets.includes(inv)) {
        st.targets.push(inv);
        st.ords[st.nOrds++] = index.canonical === undefined ? o : (index.canonical[o] as number);
      }
    }
  }
  if (passing > 0 && st.primaryStart < 0) {
    st.primaryStart = start;
    st.primaryEnd = candidates.length;
  } else if (passing > 1) st.ambiguousElsewhere = true;
}

function step(st: Scratch, r: ReferenceEvidence, against: 'ocr' | 'invoiceNumber'): void {
  if (st.index !== undefined) {
    stepIndexed(st, st.index, r, against);
    return;
  }
  const found = against === 'ocr' ? st.lookup.byOcr(r.key) : st.lookup.byInvoiceNumber(r.key);
  if (found.length === 0) return;
  const candidates = st.candidates;
  const start = candidates.length;
  let passing = 0;
  for (let i = 0; i < found.length; i++) {
    const inv = found[i] as Invoice;
    const g = gate(st, inv);
    candidates.push({ invoiceId: inv.id, field: r.field, index: r.index, against, key: r.key, gate: g });
    if (g === 'ok') {
      passing++;
      if (!st.targets.includes(inv)) st.targets.push(inv);
    }
  }
  if (passing > 0 && st.primaryStart < 0) {
    st.primaryStart = start;
    st.primaryEnd = candidates.length;
  } else if (passing > 1) st.ambiguousElsewhere = true;
}

// one shared evidence object per ledger account and receiving account (a file has a handful of accounts)
const accountCache = new WeakMap<LedgerAccount, { kind: string; number: string; ev: Evidence['account'] }[]>();
function accountEvidence(acc: LedgerAccount, kind: string, number: string): Evidence['account'] {
  let list = accountCache.get(acc);
  if (list === undefined) {
    list = [];
    accountCache.set(acc, list);
  }
  for (let i = 0; i < list.length; i++) {
    const e = list[i] as { kind: string; number: string; ev: Evidence['account'] };
    if (e.number === number && e.kind === kind) return e.ev;
  }
  const ev = { kind, number, ledgerAccount: acc.ledgerAccount, company: acc.company, currency: acc.currency };
  if (list.length < 64) list.push({ kind, number, ev });
  return ev;
}

/**
 * The common decision (one reference, one invoice found through the in-memory index, same currency and
 * company, amount exact or inside the tolerance), without building candidate lists: the same decision the
 * general path makes, with compact evidence. Undefined when the payment is not that case.
 */
function fastPath(
  p: Payment,
  config: MatchingConfig,
  index: MemoryInvoiceIndex,
  acc: LedgerAccount,
  account: Evidence['account'],
  st: Scratch,
): Decision | undefined {
  const raw = p.reference;
  if (raw === undefined || p.extraReferences.length !== 0) return undefined;
  const key = referenceKey(raw);
  if (key === '') return undefined;
  const num = numericKey(key);
  const byOcr = index.ocr.find(key, num);
  const byNumber = index.numbers.find(key, num);
  let o: number;
  let against: 'ocr' | 'invoiceNumber';
  if (byOcr >= 0 && byNumber === -1) {
    o = byOcr;
    against = 'ocr';
  } else if (byOcr === -1 && byNumber >= 0) {
    o = byNumber;
    against = 'invoiceNumber';
  } else return undefined;
  const inv = index.invoices[o] as Invoice;
  const currency = p.currency;
  const open = inv.openAmount;
  const paid = p.amount;
  if (acc.currency !== currency || open.currency !== currency || paid.currency !== currency) return undefined;
  if (inv.company !== acc.company || paid.scale !== open.scale) return undefined;
  // units: numbers for every real amount (bigints only beyond 2^53); equal values have equal units
  const a = paid.units;
  const b = open.units;
  let amount: AmountEvidence | undefined;
  if (a !== b) {
    amount = checkAmount(config, paid, open, inv.customer).evidence;
    if (!amount.fits) return undefined;
  }
  st.ords[st.nOrds++] = index.canonical === undefined ? o : (index.canonical[o] as number);
  st.primary = inv;
  st.outTargets = inv;
  return singleDecision(p, inv, account, against, acc, config, amount);
}

/**
 * Decides one payment; besides the decision, leaves in `st` the invoice it is about (`primary`), the invoices
 * it could be applied to (`outTargets`) and, with the in-memory index, their ordinals (`ords`).
 */
function analyse(p: Payment, ctx: DecideContext, st: Scratch): Decision {
  st.nOrds = 0;
  st.primary = undefined;
  st.outTargets = NO_INVOICES;
  const config = ctx.config;
  const ra = p.receivingAccount;
  let acc: LedgerAccount | undefined;
  let account: Evidence['account'] | undefined;
  if (st.ledger === ctx.ledger && ra.kind === st.raKind && ra.number === st.raNumber) {
    acc = st.acc;
    account = st.account;
  } else {
    acc = ctx.ledger.byBankAccount(ra.kind, ra.number);
    account = acc === undefined ? undefined : accountEvidence(acc, ra.kind, ra.number);
    st.ledger = ctx.ledger;
    st.raKind = ra.kind;
    st.raNumber = ra.number;
    st.acc = acc;
    st.account = account;
  }
  if (acc === undefined || account === undefined) {
    const evidence: Evidence = {
      rule: 'account_unknown',
      account: { kind: ra.kind, number: ra.number },
      references: referencesOf(p),
      candidates: NO_CANDIDATES,
    };
    return make(p, config, 'Error', 'Account', evidence);
  }
  if (p.kind === 'deduction' || p.amount.isNegative()) {
    const evidence: Evidence = { rule: 'deduction', account, references: referencesOf(p), candidates: NO_CANDIDATES };
    return make(p, config, 'Credit', '', evidence, { ledgerAccount: acc });
  }
  if (st.index !== undefined) {
    const fast = fastPath(p, config, st.index, acc, account, st);
    if (fast !== undefined) return fast;
  }
  const refs = referencesOf(p);
  if (refs.length === 0) {
    const evidence: Evidence = { rule: 'no_reference', account, references: refs, candidates: NO_CANDIDATES };
    return make(p, config, 'Error', 'No Match', evidence, { ledgerAccount: acc });
  }

  const currency = p.currency;
  const accountCurrencyOk = acc.currency === currency;
  st.currency = currency;
  st.accountCurrencyOk = accountCurrencyOk;
  st.company = acc.company;
  st.lookup = ctx.invoices;
  st.candidates.length = 0;
  st.targets.length = 0;
  st.primaryStart = -1;
  st.primaryEnd = -1;
  st.ambiguousElsewhere = false;
  if (config.referenceOrder === 'ocr-first') {
    for (let r = 0; r < refs.length; r++) step(st, refs[r] as ReferenceEvidence, 'ocr');
    for (let r = 0; r < refs.length; r++) step(st, refs[r] as ReferenceEvidence, 'invoiceNumber');
  } else {
    for (let r = 0; r < refs.length; r++) {
      step(st, refs[r] as ReferenceEvidence, 'ocr');
      step(st, refs[r] as ReferenceEvidence, 'invoiceNumber');
    }
  }
  // the common case (one reference, one invoice found, amount inside the tolerance): a compact decision
  if (refs.length === 1 && st.candidates.length === 1 && st.targets.length === 1) {
    const only = st.targets[0] as Invoice;
    const cmp = p.amount.compare(only.openAmount);
    const amount = cmp === 0 ? undefined : checkAmount(config, p.amount, only.openAmount, only.customer).evidence;
    if (amount === undefined || amount.fits) {
      const c = st.candidates[0] as CandidateEvidence;
      const decision = singleDecision(p, only, account, c.against, acc, config, amount);
      st.primary = only;
      st.outTargets = only;
      return decision;
    }
  }

  // exact-size copies: decisions keep them, and a grown array's spare capacity would be kept too
  const candidates = st.candidates.slice();
  const targets = st.targets.slice();
  const ambiguousElsewhere = st.ambiguousElsewhere;
  const primaryStepStart = st.primaryStart;
  const primaryStepEnd = st.primaryEnd;
  const lookup = ctx.invoices;

  if (primaryStepStart < 0) {
    if (candidates.length === 0) {
      const suggestions = config.checkDigitSuggestions
        ? checkDigitSuggestions(refs, lookup, (inv) => gate(st, inv) === 'ok')
        : NO_SUGGESTIONS;
      const evidence: Evidence = { rule: 'no_match', account, references: refs, candidates };
      return make(p, config, 'Error', 'No Match', evidence, { ledgerAccount: acc, suggestions });
    }
    // every candidate failed a gate: report the first, in the seed's order (currency before company)
    const first = candidates[0] as CandidateEvidence;
    const firstStep = candidates.filter(
      (c) => c.field === first.field && c.index === first.index && c.against === first.against,
    );
    const currencyFail = firstStep.find((c) => c.gate === 'currency');
    const reported = currencyFail ?? first;
    const rule: DecisionRule =
      reported.gate === 'currency'
        ? accountCurrencyOk
          ? 'currency_mismatch'
          : 'account_currency_mismatch'
        : 'company_mismatch';
    const evidence: Evidence = { rule, account, references: refs, candidates, matched: reported };
    return make(p, config, 'Error', reported.gate === 'currency' ? 'Currency' : 'Company', evidence, {
      invoiceId: reported.invoiceId,
      ledgerAccount: acc,
    });
  }

  // the deciding step: its gate-passing candidates, distinct
  const stepPassing: Invoice[] = [];
  let matched: CandidateEvidence | undefined;
  for (let i = primaryStepStart; i < primaryStepEnd; i++) {
    const c = candidates[i] as CandidateEvidence;
    if (c.gate !== 'ok') continue;
    const inv = targets.find((t) => t.id === c.invoiceId) as Invoice;
    if (!stepPassing.includes(inv)) {
      stepPassing.push(inv);
      matched ??= c;
    }
  }
  let primary = stepPassing[0] as Invoice;
  if (stepPassing.length > 1) {
    // two or more invoices answer the same reference: only an exact amount singles one out
    const exact = stepPassing.filter((inv) => p.amount.compare(inv.openAmount) === 0);
    if (exact.length !== 1) {
      const evidence: Evidence = { rule: 'ambiguous_invoice', account, references: refs, candidates };
      st.outTargets = [...targets].sort(byId);
      return make(p, config, 'Ambiguous', 'Ambiguous', evidence, { ledgerAccount: acc });
    }
    primary = exact[0] as Invoice;
    matched = candidates.find((c, i) => i >= primaryStepStart && i < primaryStepEnd && c.invoiceId === primary.id);
  }

  const { evidence: amount, cmp } = checkAmount(config, p.amount, primary.openAmount, primary.customer);
  const sortedTargets = targets.length > 1 ? [...targets].sort(byId) : targets;
  if (amount.fits) {
    const evidence: Evidence =
      matched === undefined
        ? { rule: cmp === 0 ? 'exact' : 'within_tolerance', account, references: refs, candidates, amount }
        : { rule: cmp === 0 ? 'exact' : 'within_tolerance', account, references: refs, candidates, matched, amount };
    const decision: Decision = {
      paymentId: p.id,
      status: 'Complete',
      comment: cmp === 0 ? '' : 'Amount',
      invoiceId: primary.id,
      allocations: [{ invoiceId: primary.id, amount: cmp > 0 ? primary.openAmount : p.amount }],
      unapplied: cmp > 0 ? amount.difference : zero(currency),
      ledgerAccount: acc,
      evidence,
      suggestions: NO_SUGGESTIONS,
      configVersion: config.version,
    };
    st.outTargets = sortedTargets;
    st.primary = primary;
    return decision;
  }

  // one payment, several invoices: the references name them and their sum fits
  if (config.multiInvoice && targets.length > 1 && !ambiguousElsewhere) {
    const ordered = [primary, ...targets.filter((t) => t !== primary)];
    let total = zero(currency);
    for (const inv of ordered) total = total.plus(inv.openAmount);
    const multi = checkAmount(config, p.amount, total, primary.customer);
    if (multi.evidence.fits) {
      const allocations: Allocation[] = [];
      let left = p.amount;
      for (const inv of ordered) {
        if (!left.isPositive()) break;
        const take = left.compare(inv.openAmount) < 0 ? left : inv.openAmount;
        allocations.push({ invoiceId: inv.id, amount: take });
        left = left.minus(take);
      }
      const evidence: Evidence = {
        rule: 'several_invoices',
        account,
        references: refs,
        candidates,
        ...(matched === undefined ? {} : { matched }),
        amount: multi.evidence,
        invoiceIds: ordered.map((i) => i.id),
      };
      st.outTargets = sortedTargets;
      return make(p, config, 'Complete', multi.cmp === 0 ? '' : 'Amount', evidence, {
        invoiceId: primary.id,
        allocations,
        unapplied: left,
        ledgerAccount: acc,
      });
    }
  }

  const evidence: Evidence = {
    rule: 'outside_tolerance',
    account,
    references: refs,
    candidates,
    ...(matched === undefined ? {} : { matched }),
    amount,
  };
  st.outTargets = sortedTargets;
  st.primary = primary;
  return make(p, config, 'Error', 'Amount', evidence, { invoiceId: primary.id, ledgerAccount: acc });
}

/**
 * Decides one payment on its own, by the seed's steps: (1) the receiving account must belong to a ledger
 * account, else Error/Account; (2) a deduction (or a negative amount) is Credit; (3) the references (Reference,
 * then each Additional reference) are looked up against the OCR number, then against the invoice number (or
 * field by field, by configuration), after normalisation; none found: Error/No Match (with check-digit
 * suggestions); (4) currency and company gates (Error/Currency, Error/Company), then the amount against the
 * tolerance (Error/Amount outside; Complete/Amount inside but not exact); (5) Complete with the allocation.
 * Two invoices answering the same reference are `Ambiguous` unless exactly one has the exact amount.
 *
 * Pure and deterministic. Use {@link decideBatch} for a file: it also settles competing payments and pairs
 * deductions.
 *
 * @example
 * const d = decide(payment, { invoices: buildInvoiceIndex(open), ledger, config: matchingConfig({ tolerance: { absolute: '10' } }) });
 * d.status; // 'Complete'
 * d.allocations; // [{ invoiceId: 'inv-1001', amount: Money.of('1250.00', 'SEK') }]
 */
export function decide(payment: Payment, ctx: DecideContext): Decision {
  begin(scratch, ctx);
  return analyse(payment, ctx, scratch);
}

function sumMoney(items: readonly Money[], currency: string): Money {
  let s = zero(currency);
  for (const m of items) s = s.plus(m);
  return s;
}

/**
 * Decides a batch (a file): {@link decide} for each payment, then three batch rules, all independent of the
 * order of `payments`:
 *
 * - **Several payments, one invoice**: when two or more payments can be applied to the same invoice, they are
 *   decided together, never first-come-first-served: if their sum fits the open amount within the tolerance
 *   (and `groupPayments` is on), all are Complete (allocated in payment-id order, any excess unapplied); if
 *   not, all are Error/Amount. When their candidate invoices overlap in any other way, all are `Ambiguous`.
 *   So no invoice ever receives more than its open amount, and no payment is applied twice.
 * - **Duplicate payment ids** (the same payment twice, e.g. a re-run) are decided once and share the decision.
 * - **Deduction pairing**: each deduction is paired, as a suggestion on both decisions, with the underpaid
 *   payments of the same file that it would complete within the tolerance.
 *
 * Returns one decision per payment, in input order.
 *
 * @example
 * const decisions = decideBatch(toPayments(parseBgmax(bytes)), ctx);
 * const summary = Object.groupBy(decisions, (d) => d.status);
 */
export function decideBatch(payments: readonly Payment[], ctx: DecideContext): Decision[] {
  const n = payments.length;
  const decisions: Decision[] = new Array(n);
  // the invoices each payment could be applied to, for settling competing payments: kept only where the
  // decision does not tell them (a single match's are its evidence's invoice)
  const targetsOf = new Map<number, Invoice | readonly Invoice[]>();
  const st = scratch;
  begin(st, ctx);
  const index = st.index;
  // which payments compete for an invoice: by invoice ordinal with the in-memory index, else by invoice id
  const claims = index === undefined ? undefined : new Claims(index.invoices.length, n);
  const owner = index === undefined ? new Map<string, number>() : undefined;
  const contested: number[] = [];
  const isContested = new Uint8Array(n);
  // what deduction pairing needs, recorded while the payments' objects are in the CPU caches
  const log = ctx.config.deductionPairing ? new PairingLog(ctx.config) : undefined;
  for (let from = 0; from < n; from += WARM_CHUNK) {
    const to = Math.min(n, from + WARM_CHUNK);
    if (index !== undefined) st.sink ^= warm(payments, from, to, index);
    for (let i = from; i < to; i++) {
      const p = payments[i] as Payment;
      const d = analyse(p, ctx, st);
      decisions[i] = d;
      if (log !== undefined) {
        if (d.comment === 'Amount') log.amount(i, p, d, st.primary);
        else if (d.status === 'Credit') log.deduction(i, p);
      }
      const t = st.outTargets;
      if (t !== NO_INVOICES && !(d instanceof SingleMatchDecision)) targetsOf.set(i, t);
      if (claims !== undefined) claims.claim(i, st.ords, st.nOrds);
      else if (owner !== undefined) {
        const count = Array.isArray(t) ? t.length : 1;
        for (let k = 0; k < count; k++) {
          const id = (Array.isArray(t) ? (t[k] as Invoice) : (t as Invoice)).id;
          const was = owner.get(id);
          if (was === undefined) owner.set(id, i);
          else contest(was, i, isContested, contested);
        }
      }
    }
  }
  st.nOrds = 0;
  st.primary = undefined;
  st.outTargets = NO_INVOICES;
  if (index !== undefined) coolDown();
  claims?.contest(isContested, contested);
  if (contested.length > 0) {
    // the targets of every contested payment, read before any of their decisions is replaced
    const targets = new Map<number, readonly Invoice[]>();
    for (const i of contested) {
      const d = decisions[i] as Decision;
      const t = targetsOf.get(i);
      targets.set(
        i,
        t !== undefined
          ? targetList(t)
          : d instanceof SingleMatchDecision
            ? [SingleMatchDecision.invoiceOf(d)]
            : NO_INVOICES,
      );
    }
    settleContested(payments, targets, decisions, contested, ctx);
  }
  if (log !== undefined && log.deductions.length > 0) pairDeductions(payments, decisions, log, isContested, ctx);
  return decisions;
}

/** Payments per chunk of {@link warm}: their invoices' data stays in the CPU caches until they are decided. */
const WARM_CHUNK = 128;
const warmRefs: (string | undefined)[] = [];
const warmAmounts: Money[] = [];
const warmKeys: number[] = [];
const warmInvoices: (Invoice | undefined)[] = [];
const warmOpen: (Money | undefined)[] = [];

/**
 * Reads, ahead of deciding them, what payments `from`..`to` will touch at random places in memory: their
 * reference and amount, the index slot of the reference, its invoice, the invoice's open amount. One
 * payment's reads depend on one another, but those of different payments do not, so in these short loops
 * (one such read each) the processor overlaps their cache misses, which deciding one payment after the other
 * would wait for one at a time. Only reads: no decision depends on it, and a reference it cannot read cheaply
 * (not a plain number) is left to `analyse`. Returns a value computed from what it read.
 */
function warm(payments: readonly Payment[], from: number, to: number, index: MemoryInvoiceIndex): number {
  const table = index.ocr;
  const invoices = index.invoices;
  const count = to - from;
  let sink = 0;
  for (let j = 0; j < count; j++) {
    const p = payments[from + j] as Payment;
    warmRefs[j] = p.reference;
    warmAmounts[j] = p.amount;
  }
  for (let j = 0; j < count; j++) {
    const raw = warmRefs[j];
    if (raw !== undefined) sink += raw.length;
    if ((warmAmounts[j] as Money).units === 0) sink++;
  }
  for (let j = 0; j < count; j++) {
    const raw = warmRefs[j];
    warmKeys[j] = raw === undefined ? -1 : rawNumericKey(raw);
  }
  for (let j = 0; j < count; j++) sink += table.touch(warmKeys[j] as number);
  for (let j = 0; j < count; j++) {
    const num = warmKeys[j] as number;
    const code = num < 0 ? -1 : table.find('', num);
    warmInvoices[j] = code >= 0 ? (invoices[code] as Invoice) : undefined;
  }
  for (let j = 0; j < count; j++) {
    const inv = warmInvoices[j];
    warmOpen[j] = inv === undefined ? undefined : inv.openAmount;
  }
  for (let j = 0; j < count; j++) {
    const open = warmOpen[j];
    if (open !== undefined && open.units === 0) sink++;
  }
  return sink;
}

/** Drops what {@link warm} holds on to, after a batch. */
function coolDown(): void {
  warmRefs.fill(undefined);
  warmAmounts.length = 0;
  warmInvoices.fill(undefined);
  warmOpen.fill(undefined);
}

/**
 * Which payments of a batch compete for an invoice, by the invoices' canonical ordinals in the in-memory index.
 * Each claim sets a bit (a bitset of an eighth of a byte per invoice, which the CPU caches hold, where an
 * array of owners would cost a cache miss per payment); each payment's ordinals are kept in payment order.
 * Only if an ordinal is claimed twice are the payments claiming such ordinals looked up: they compete.
 */
class Claims {
  readonly #claimed: Int32Array;
  #twice: Int32Array | undefined;
  /** By payment: its one ordinal + 1, 0 for none, -1 for several (then in `#several`). */
  readonly #one: Int32Array;
  readonly #several = new Map<number, number[]>();

  constructor(invoices: number, payments: number) {
    this.#claimed = new Int32Array((invoices + 31) >>> 5);
    this.#one = new Int32Array(payments);
  }

  /** Payment `i` claims ordinals `ords[0..count)`. */
  claim(i: number, ords: readonly number[], count: number): void {
    if (count === 0) return;
    if (count === 1) this.#one[i] = (ords[0] as number) + 1;
    else {
      this.#one[i] = -1;
      this.#several.set(i, ords.slice(0, count));
    }
    const claimed = this.#claimed;
    for (let k = 0; k < count; k++) {
      const o = ords[k] as number;
      const word = o >>> 5;
      const bit = 1 << (o & 31);
      if (((claimed[word] as number) & bit) === 0) claimed[word] = (claimed[word] as number) | bit;
      else {
        const twice = this.#twice ?? new Int32Array(claimed.length);
        this.#twice = twice;
        twice[word] = (twice[word] as number) | bit;
      }
    }
  }

  /** Marks (in payment order) every payment that claims an ordinal some payment claims too. */
  contest(isContested: Uint8Array, contested: number[]): void {
    const twice = this.#twice;
    if (twice === undefined) return;
    const onTwice = (o: number): boolean => ((twice[o >>> 5] as number) & (1 << (o & 31))) !== 0;
    const one = this.#one;
    for (let i = 0; i < one.length; i++) {
      const v = one[i] as number;
      if (v > 0 ? onTwice(v - 1) : v < 0 && (this.#several.get(i) as number[]).some(onTwice)) {
        isContested[i] = 1;
        contested.push(i);
      }
    }
  }
}

/** Marks payments `was` and `i` as competing for an invoice. */
function contest(was: number, i: number, isContested: Uint8Array, contested: number[]): void {
  if (!isContested[was]) {
    isContested[was] = 1;
    contested.push(was);
  }
  if (!isContested[i]) {
    isContested[i] = 1;
    contested.push(i);
  }
}

function targetList(t: Invoice | readonly Invoice[]): readonly Invoice[] {
  return Array.isArray(t) ? t : [t as Invoice];
}

function settleContested(
  payments: readonly Payment[],
  targetsOf: ReadonlyMap<number, readonly Invoice[]>,
  decisions: Decision[],
  contested: readonly number[],
  ctx: DecideContext,
): void {
  // connected components over shared invoices
  const byInvoice = new Map<string, number[]>();
  for (const i of contested) {
    for (const inv of targetsOf.get(i) as readonly Invoice[]) {
      const list = byInvoice.get(inv.id);
      if (list === undefined) byInvoice.set(inv.id, [i]);
      else list.push(i);
    }
  }
  const done = new Set<number>();
  for (const start of contested) {
    if (done.has(start)) continue;
    const members: number[] = [];
    const invoiceIds = new Set<string>();
    const queue = [start];
    done.add(start);
    while (queue.length > 0) {
      const i = queue.pop() as number;
      members.push(i);
      for (const inv of targetsOf.get(i) as readonly Invoice[]) {
        invoiceIds.add(inv.id);
        for (const j of byInvoice.get(inv.id) ?? []) {
          if (!done.has(j)) {
            done.add(j);
            queue.push(j);
          }
        }
      }
    }
    settleComponent(payments, targetsOf, decisions, members, [...invoiceIds].sort(), ctx);
  }
}

function settleComponent(
  payments: readonly Payment[],
  targetsOf: ReadonlyMap<number, readonly Invoice[]>,
  decisions: Decision[],
  members: number[],
  invoiceIds: string[],
  ctx: DecideContext,
): void {
  const config = ctx.config;
  // one decision per payment id; members in payment-id order
  members.sort((a, b) => {
    const x = (payments[a] as Payment).id;
    const y = (payments[b] as Payment).id;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  const unique: number[] = [];
  for (const i of members) {
    const last = unique[unique.length - 1];
    if (last === undefined || (payments[last] as Payment).id !== (payments[i] as Payment).id) unique.push(i);
  }
  if (unique.length === 1) {
    const d = decisions[unique[0] as number] as Decision;
    for (const i of members) decisions[i] = d;
    return;
  }
  const paymentIds = unique.map((i) => (payments[i] as Payment).id);
  const first = payments[unique[0] as number] as Payment;
  // payments that fit one invoice id share its currency, unless the host gave two different invoices one id
  const other = unique.find((i) => (payments[i] as Payment).currency !== first.currency);
  if (other !== undefined) {
    throw new NordfilError(
      issue(
        'invoice_id_conflict',
        `payments ${first.id} (${first.currency}) and ${(payments[other] as Payment).id} (${(payments[other] as Payment).currency}) fit invoices with the same id (${invoiceIds.join(', ')}) in different currencies: invoice ids must be unique`,
        { field: 'id', actual: invoiceIds.join(', ') },
      ),
    );
  }
  const total = sumMoney(
    unique.map((i) => (payments[i] as Payment).amount),
    first.currency,
  );
  const group: GroupEvidence = { invoiceIds, paymentIds, total };
  const simple = invoiceIds.length === 1 && unique.every((i) => (targetsOf.get(i) as readonly Invoice[]).length === 1);

  const decided = new Map<string, Decision>();
  if (simple && config.groupPayments) {
    const invoice = (targetsOf.get(unique[0] as number) as readonly Invoice[])[0] as Invoice;
    const { evidence: amount, cmp } = checkAmount(config, total, invoice.openAmount, invoice.customer);
    let left = invoice.openAmount;
    for (const i of unique) {
      const p = payments[i] as Payment;
      const base = decisions[i] as Decision;
      const matched = base.evidence.candidates.find((c) => c.invoiceId === invoice.id && c.gate === 'ok');
      const evidenceBase = {
        account: base.evidence.account,
        references: base.evidence.references,
        candidates: base.evidence.candidates,
        ...(matched === undefined ? {} : { matched }),
        amount,
        group,
      };
      if (amount.fits) {
        const take = left.compare(p.amount) < 0 ? left : p.amount;
        left = left.minus(take);
        const allocations: Allocation[] = take.isPositive() ? [{ invoiceId: invoice.id, amount: take }] : [];
        decided.set(
          p.id,
          make(
            p,
            config,
            'Complete',
            cmp === 0 ? '' : 'Amount',
            { rule: 'several_payments', ...evidenceBase },
            {
              invoiceId: invoice.id,
              allocations,
              unapplied: p.amount.minus(take),
              ledgerAccount: base.ledgerAccount,
              suggestions: base.suggestions,
            },
          ),
        );
      } else {
        decided.set(
          p.id,
          make(
            p,
            config,
            'Error',
            'Amount',
            { rule: 'several_payments_outside_tolerance', ...evidenceBase },
            {
              invoiceId: invoice.id,
              ledgerAccount: base.ledgerAccount,
              suggestions: base.suggestions,
            },
          ),
        );
      }
    }
  } else {
    for (const i of unique) {
      const p = payments[i] as Payment;
      const base = decisions[i] as Decision;
      const evidence: Evidence = {
        rule: 'conflicting_payments',
        account: base.evidence.account,
        references: base.evidence.references,
        candidates: base.evidence.candidates,
        group,
      };
      decided.set(
        p.id,
        make(p, config, 'Ambiguous', 'Ambiguous', evidence, {
          ledgerAccount: base.ledgerAccount,
          suggestions: base.suggestions,
        }),
      );
    }
  }
  for (const i of members) decisions[i] = decided.get((payments[i] as Payment).id) as Decision;
}
