/**
 * Matching configuration as data, checked with zod at the boundary (every problem at once), normalised, and
 * identified by a stable hash (`version`) that every decision carries.
 *
 * Tolerance (reference/matching.md §2.10, §7.2): each side (over- and underpayment) has its own limit, made of an
 * absolute amount and/or a percentage of the open amount, combined by an explicit rule; rules per currency and
 * per customer override the default.
 */
import { createHash } from 'node:crypto';
import { fromZodIssues, Money, NordfilError } from '@nordfil/core';
import type { Decimal } from 'decimal.js';
import { z } from 'zod';
import { D } from './_decimal.js';

const decimalText = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'expected a non-negative plain decimal string such as "10" or "0.5"');

/**
 * One side's limit: an absolute amount (in the invoice's currency) and/or a percentage of the open amount.
 * With both, `combine` says which applies: `min` (the stricter, as SAP's "lower of amount and percent"; the
 * default) or `max` (either suffices). With neither, the limit is zero: exact amounts only.
 *
 * @example
 * const limit: ToleranceLimitInput = { absolute: '10', percent: '1', combine: 'min' }; // 1 %, at most 10 kr
 */
export interface ToleranceLimitInput {
  /** Decimal string, major units of the invoice's currency (`'10'` = 10 kr). */
  readonly absolute?: string;
  /** Decimal string, percent of the open amount (`'0.5'` = 0.5 %); truncated to whole minor units. */
  readonly percent?: string;
  /** How absolute and percent combine when both are given. @default 'min' */
  readonly combine?: 'min' | 'max';
}

/**
 * A tolerance rule: one limit for both sides (the seed's "± 10 kr"), or separate `over` and `under` limits.
 * A side left out of `{ over, under }` is exact-only.
 *
 * @example
 * const seed: ToleranceRuleInput = { absolute: '10' };
 * const sap: ToleranceRuleInput = { over: { absolute: '5' }, under: { absolute: '50', percent: '2' } };
 */
export type ToleranceRuleInput =
  | ToleranceLimitInput
  | { readonly over?: ToleranceLimitInput; readonly under?: ToleranceLimitInput };

/**
 * The configuration as a host writes it (JSON-friendly). Every field is optional.
 *
 * @example
 * const input: MatchingConfigInput = {
 *   tolerance: { absolute: '10' },
 *   currencies: { EUR: { absolute: '1' } },
 *   customers: { 'C-17': { absolute: '0' } }, // this customer: exact amounts only
 * };
 */
export interface MatchingConfigInput {
  /** The default rule. @default exact amounts only */
  readonly tolerance?: ToleranceRuleInput;
  /** Rules per invoice currency (ISO 4217 code), replacing the default. */
  readonly currencies?: Readonly<Record<string, ToleranceRuleInput>>;
  /** Rules per customer (the invoice's `customer`), replacing the currency and default rules. */
  readonly customers?: Readonly<Record<string, ToleranceRuleInput>>;
  /**
   * How a customer rule relates to the currency/default rule: `replace` (the customer rule alone applies; the
   * default) or `stricter` (each side takes the lower of the two limits, as SAP does with user and customer
   * tolerance groups).
   */
  readonly customerPolicy?: 'replace' | 'stricter';
  /**
   * The order references are tried in. `ocr-first` (the seed: Reference then Additional reference against the
   * OCR number, then both against the invoice number; the default) or `field-first` (Reference against OCR and
   * invoice number, then Additional reference).
   */
  readonly referenceOrder?: 'ocr-first' | 'field-first';
  /** Let one payment settle several invoices when its references name them and the sum fits. @default true */
  readonly multiInvoice?: boolean;
  /** Let several payments in one batch settle one invoice together when their sum fits. @default true */
  readonly groupPayments?: boolean;
  /** Suggest invoices for references failing their check digit (one digit wrong, two swapped). @default true */
  readonly checkDigitSuggestions?: boolean;
  /** Suggest pairing a deduction with the underpaid payment in the same file. @default true */
  readonly deductionPairing?: boolean;
}

const limitSchema = z
  .object({
    absolute: decimalText.optional(),
    percent: decimalText.refine((s) => new D(s).lte(100), 'a percentage is at most 100').optional(),
    combine: z.enum(['min', 'max']).optional(),
  })
  .strict();

const ruleSchema = z.union([
  z.object({ over: limitSchema.optional(), under: limitSchema.optional() }).strict(),
  limitSchema,
]);

const configSchema = z
  .object({
    tolerance: ruleSchema.optional(),
    currencies: z.record(z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 currency code'), ruleSchema).optional(),
    customers: z.record(z.string().min(1), ruleSchema).optional(),
    customerPolicy: z.enum(['replace', 'stricter']).optional(),
    referenceOrder: z.enum(['ocr-first', 'field-first']).optional(),
    multiInvoice: z.boolean().optional(),
    groupPayments: z.boolean().optional(),
    checkDigitSuggestions: z.boolean().optional(),
    deductionPairing: z.boolean().optional(),
  })
  .strict();

/**
 * One side's limit after normalisation: Decimals ready for arithmetic, plus the text forms for evidence.
 *
 * @example
 * matchingConfig({ tolerance: { absolute: '10' } }).defaultRule.over.absolute; // '10'
 */
export interface ToleranceLimit {
  readonly absolute?: string;
  readonly percent?: string;
  readonly combine: 'min' | 'max';
  /** @internal percent / 100 */
  readonly fraction?: Decimal;
}

/**
 * A normalised rule, with where it came from (`default`, `currency:SEK`, `customer:C-17`, or
 * `customer:C-17+currency:SEK` under the `stricter` policy).
 *
 * @example
 * matchingConfig({ tolerance: { absolute: '10' } }).defaultRule.source; // 'default'
 */
export interface ToleranceRule {
  readonly source: string;
  readonly over: ToleranceLimit;
  readonly under: ToleranceLimit;
  /** @internal the second rule under the `stricter` customer policy */
  readonly stricterThan?: ToleranceRule;
}

/**
 * The checked, normalised configuration that `decide` takes. Build it with {@link matchingConfig}.
 *
 * @example
 * const config = matchingConfig({ tolerance: { absolute: '10' } });
 * config.version; // 'cfg-…' (stable hash of the normalised configuration)
 */
export interface MatchingConfig {
  /** Stable hash of the normalised configuration: equal configurations (in any key order) share it. */
  readonly version: string;
  /** The normalised configuration as JSON-friendly data (what the hash is computed from). */
  readonly normalized: NormalizedConfig;
  readonly defaultRule: ToleranceRule;
  readonly currencyRules: ReadonlyMap<string, ToleranceRule>;
  readonly customerRules: ReadonlyMap<string, ToleranceRule>;
  readonly customerPolicy: 'replace' | 'stricter';
  readonly referenceOrder: 'ocr-first' | 'field-first';
  readonly multiInvoice: boolean;
  readonly groupPayments: boolean;
  readonly checkDigitSuggestions: boolean;
  readonly deductionPairing: boolean;
}

/**
 * The normalised configuration (every default filled in, decimals canonical, keys sorted).
 *
 * @example
 * matchingConfig({}).normalized.referenceOrder; // 'ocr-first'
 */
export interface NormalizedConfig {
  readonly tolerance: NormalizedRule;
  readonly currencies: Readonly<Record<string, NormalizedRule>>;
  readonly customers: Readonly<Record<string, NormalizedRule>>;
  readonly customerPolicy: 'replace' | 'stricter';
  readonly referenceOrder: 'ocr-first' | 'field-first';
  readonly multiInvoice: boolean;
  readonly groupPayments: boolean;
  readonly checkDigitSuggestions: boolean;
  readonly deductionPairing: boolean;
}

/**
 * A normalised rule as data.
 *
 * @example
 * matchingConfig({ tolerance: { absolute: '10.0' } }).normalized.tolerance.over; // { absolute: '10', combine: 'min' }
 */
export interface NormalizedRule {
  readonly over: NormalizedLimit;
  readonly under: NormalizedLimit;
}

/**
 * A normalised limit as data.
 *
 * @example
 * const l: NormalizedLimit = { absolute: '10', combine: 'min' };
 */
export interface NormalizedLimit {
  readonly absolute?: string;
  readonly percent?: string;
  readonly combine: 'min' | 'max';
}

type LimitIn = z.infer<typeof limitSchema>;
type RuleIn = z.infer<typeof ruleSchema>;

function normLimit(l: LimitIn | undefined): NormalizedLimit {
  const out: { absolute?: string; percent?: string; combine: 'min' | 'max' } = { combine: l?.combine ?? 'min' };
  if (l?.absolute !== undefined) out.absolute = new D(l.absolute).toFixed();
  if (l?.percent !== undefined) out.percent = new D(l.percent).toFixed();
  return out;
}

function normRule(r: RuleIn | undefined): NormalizedRule {
  if (r === undefined) return { over: normLimit(undefined), under: normLimit(undefined) };
  if ('over' in r || 'under' in r) {
    const two = r as { over?: LimitIn; under?: LimitIn };
    return { over: normLimit(two.over), under: normLimit(two.under) };
  }
  const one = r as LimitIn;
  return { over: normLimit(one), under: normLimit(one) };
}

function compileLimit(l: NormalizedLimit): ToleranceLimit {
  return {
    ...l,
    ...(l.percent === undefined ? {} : { fraction: new D(l.percent).div(100) }),
  };
}

function compileRule(source: string, r: NormalizedRule): ToleranceRule {
  return { source, over: compileLimit(r.over), under: compileLimit(r.under) };
}

function sortedRecord<T, U>(rec: Readonly<Record<string, T>> | undefined, f: (v: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const k of Object.keys(rec ?? {}).sort()) out[k] = f((rec as Record<string, T>)[k] as T);
  return out;
}

/** JSON with object keys sorted at every level: the canonical text the version hash is taken of. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Checks a configuration with zod (every problem reported at once as NordfilError `invalid_config` issues),
 * fills in defaults, normalises decimals (`'10.0'` → `'10'`), and computes `version`, a stable hash of the
 * normalised form: the same configuration written in another key order gets the same version.
 *
 * @throws NordfilError `invalid_config`
 * @example
 * const config = matchingConfig({ tolerance: { absolute: '10' } }); // the seed's ± 10 kr
 * const sap = matchingConfig({
 *   tolerance: { over: { absolute: '5' }, under: { absolute: '50', percent: '2', combine: 'min' } },
 *   customers: { 'C-17': { absolute: '0' } },
 *   customerPolicy: 'stricter',
 * });
 */
export function matchingConfig(input: MatchingConfigInput = {}): MatchingConfig {
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) throw new NordfilError(fromZodIssues(parsed.error.issues, 'matching config'));
  const c = parsed.data;
  const normalized: NormalizedConfig = {
    tolerance: normRule(c.tolerance),
    currencies: sortedRecord(c.currencies, normRule),
    customers: sortedRecord(c.customers, normRule),
    customerPolicy: c.customerPolicy ?? 'replace',
    referenceOrder: c.referenceOrder ?? 'ocr-first',
    multiInvoice: c.multiInvoice ?? true,
    groupPayments: c.groupPayments ?? true,
    checkDigitSuggestions: c.checkDigitSuggestions ?? true,
    deductionPairing: c.deductionPairing ?? true,
  };
  const version = `cfg-${createHash('sha256').update(canonicalJson(normalized)).digest('hex').slice(0, 16)}`;
  return {
    version,
    normalized,
    defaultRule: compileRule('default', normalized.tolerance),
    currencyRules: new Map(Object.entries(normalized.currencies).map(([k, r]) => [k, compileRule(`currency:${k}`, r)])),
    customerRules: new Map(Object.entries(normalized.customers).map(([k, r]) => [k, compileRule(`customer:${k}`, r)])),
    customerPolicy: normalized.customerPolicy,
    referenceOrder: normalized.referenceOrder,
    multiInvoice: normalized.multiInvoice,
    groupPayments: normalized.groupPayments,
    checkDigitSuggestions: normalized.checkDigitSuggestions,
    deductionPairing: normalized.deductionPairing,
  };
}

/**
 * The rule that applies to an invoice of `customer` in `currency`: the customer's rule (policy `replace`), or
 * the customer's and the currency-or-default rule together, each side taking the lower limit (policy
 * `stricter`); without a customer rule, the currency's rule, else the default.
 *
 * @example
 * const config = matchingConfig({ tolerance: { absolute: '10' }, currencies: { EUR: { absolute: '1' } } });
 * resolveRule(config, 'C-1', 'EUR').source; // 'currency:EUR'
 */
export function resolveRule(config: MatchingConfig, customer: string, currency: string): ToleranceRule {
  const base = config.currencyRules.get(currency) ?? config.defaultRule;
  if (config.customerRules.size === 0) return base;
  const own = config.customerRules.get(customer);
  if (own === undefined) return base;
  if (config.customerPolicy === 'replace') return own;
  return { ...own, source: `${own.source}+${base.source}`, stricterThan: base };
}

function absoluteMoney(limit: ToleranceLimit, currency: string): Money {
  let cache = absoluteCache.get(limit);
  if (cache === undefined) {
    cache = new Map();
    absoluteCache.set(limit, cache);
  }
  let m = cache.get(currency);
  if (m === undefined) {
    m = Money.of(limit.absolute as string, currency);
    cache.set(currency, m);
  }
  return m;
}

const absoluteCache = new WeakMap<ToleranceLimit, Map<string, Money>>();

function sideLimit(limit: ToleranceLimit, open: Money): Money {
  const abs = limit.absolute === undefined ? undefined : absoluteMoney(limit, open.currency);
  const pct = limit.fraction === undefined ? undefined : open.abs().times(limit.fraction, { rounding: 'down' });
  if (abs === undefined) return pct ?? Money.zero(open.currency);
  if (pct === undefined) return abs;
  const absFirst = limit.combine === 'min' ? abs.compare(pct) <= 0 : abs.compare(pct) >= 0;
  return absFirst ? abs : pct;
}

/**
 * The limit in money for one side of a rule, for an open amount: absolute (in the open amount's currency)
 * and/or percentage (of the open amount's magnitude, truncated towards zero to whole minor units, so a limit
 * never exceeds the stated percentage), combined by the limit's `combine`; zero when neither is set. Under the
 * `stricter` customer policy, the lower of the two rules' limits.
 *
 * @example
 * const rule = matchingConfig({ tolerance: { absolute: '10', percent: '1' } }).defaultRule;
 * toleranceLimit(rule, 'under', Money.of('500', 'SEK')).toString(); // '5.00' (1 % of 500, lower than 10)
 */
export function toleranceLimit(rule: ToleranceRule, side: 'over' | 'under', open: Money): Money {
  const own = sideLimit(rule[side], open);
  if (rule.stricterThan === undefined) return own;
  const other = toleranceLimit(rule.stricterThan, side, open);
  return own.compare(other) <= 0 ? own : other;
}
