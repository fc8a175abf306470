/**
 * Deduction pairing, the third batch rule of `decideBatch` (internal): each deduction is suggested, on both
 * decisions, with the underpaid payments of its file and currency that it would complete within the tolerance.
 *
 * A batch of a million payments has tens of thousands of Amount decisions and deductions, each a handful of
 * objects spread over a large heap. So `decideBatch` records what pairing needs about them ({@link PairingLog})
 * while it decides them, when those objects are in the CPU caches, and pairing then works on compact arrays.
 * The outcome is exactly that of the rule as stated: the same suggestions, in the same order, on the same
 * decisions.
 */
import { Money, type Payment } from '@nordfil/core';
import { MemoryInvoiceIndex, RepeatedHashes } from './_index.js';
import { type MatchingConfig, resolveRule, type ToleranceRule, toleranceLimit } from './config.js';
import { type DecideContext, type Decision, plainDecision } from './decide.js';
import type { Invoice } from './ports.js';
import type { DeductionPairSuggestion } from './suggest.js';

/** Magnitudes below this are exact as numbers, and so are their sums and differences. */
const SMALL = 2n ** 52n;

function isSmall(v: bigint): boolean {
  return v < SMALL && v > -SMALL;
}

/** FNV-1a of a string's UTF-16 code units. */
function idHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}

/** What an Amount decision is to pairing. */
enum Kind {
  /** Not an underpaid payment of one invoice: never paired. */
  None = 0,
  /** Underpaid, with its shortfall and limits recorded (all below 2^52). */
  Ready = 1,
  /** Underpaid, but its numbers are worked out when pairing (large, or a limit that throws then). */
  Later = 2,
  /** Underpaid, but not in whole minor units: takes its id's turn, never paired. */
  Fraction = 3,
}

/** The numbers of an underpaid payment, or why there are none. */
interface Underpayment {
  readonly kind: Kind;
  readonly shortfall: bigint;
  readonly over: bigint;
  readonly under: bigint;
}

const NONE: Underpayment = { kind: Kind.None, shortfall: 0n, over: 0n, under: 0n };
const FRACTION: Underpayment = { kind: Kind.Fraction, shortfall: 0n, over: 0n, under: 0n };
const LATER: Underpayment = { kind: Kind.Later, shortfall: 0n, over: 0n, under: 0n };

/** Whether decision `d` (about `invoice`) is an underpaid payment that pairing looks at. */
function isUnderpaid(d: Decision, invoice: Invoice | undefined): boolean {
  if (d.comment !== 'Amount' || (d.status !== 'Error' && d.status !== 'Complete')) return false;
  const ev = d.evidence;
  const a = ev.amount;
  if (a === undefined || invoice === undefined || ev.group !== undefined) return false;
  return a.side === 'under' && ev.invoiceIds === undefined;
}

/**
 * The shortfall (open − paid) and the tolerance limits of an underpaid payment, in minor units; `Fraction` when
 * an amount is not in whole minor units. Throws as `toMinor` does for a limit that is not either.
 */
function underpayment(d: Decision, invoice: Invoice, p: Payment, config: MatchingConfig): Underpayment {
  const rule: ToleranceRule = resolveRule(config, invoice.customer, p.currency);
  const open = invoice.openAmount;
  const paid = (d.evidence.amount as NonNullable<Decision['evidence']['amount']>).paid;
  if (!open.minorExact() || !paid.minorExact()) return FRACTION;
  // both minor-exact: same scale when the currencies agree (else minus throws, as it always did)
  const shortfall =
    open.currency === paid.currency && open.scale === paid.scale
      ? open.scaled - paid.scaled
      : open.minus(paid).toMinor();
  return {
    kind: Kind.Ready,
    shortfall,
    over: toleranceLimit(rule, 'over', open).toMinor(),
    under: toleranceLimit(rule, 'under', open).toMinor(),
  };
}

/**
 * What `decideBatch` records about each deduction and each Amount decision as it decides them (in payment
 * order): their indices and id hashes, the invoice each Amount decision is about and, for an underpaid payment,
 * its numbers (in parallel arrays: no object per payment).
 */
export class PairingLog {
  readonly #config: MatchingConfig;
  readonly deductions: number[] = [];
  readonly deductionHashes: number[] = [];
  readonly amounts: number[] = [];
  readonly amountInvoices: (Invoice | undefined)[] = [];
  readonly amountHashes: number[] = [];
  readonly amountKinds: number[] = [];
  readonly shortfalls: number[] = [];
  readonly overs: number[] = [];
  readonly unders: number[] = [];

  constructor(config: MatchingConfig) {
    this.#config = config;
  }

  /** Records deduction (Credit decision) `i`. */
  deduction(i: number, p: Payment): void {
    this.deductions.push(i);
    this.deductionHashes.push(idHash(p.id));
  }

  /** Records Amount decision `d` of payment `i`, about `invoice`. */
  amount(i: number, p: Payment, d: Decision, invoice: Invoice | undefined): void {
    this.amounts.push(i);
    this.amountInvoices.push(invoice);
    this.amountHashes.push(idHash(p.id));
    let u = NONE;
    if (isUnderpaid(d, invoice)) {
      try {
        u = underpayment(d, invoice as Invoice, p, this.#config);
      } catch {
        u = LATER; // it throws again when pairing reaches it, as it would have there
      }
      if (u.kind === Kind.Ready && !(isSmall(u.shortfall) && isSmall(u.over) && isSmall(u.under))) u = LATER;
    }
    this.amountKinds.push(u.kind);
    this.shortfalls.push(Number(u.shortfall));
    this.overs.push(Number(u.over));
    this.unders.push(Number(u.under));
  }
}

/**
 * The id classes of the logged payments, deductions first, then Amount decisions: the position (in that order)
 * of the first payment with the same id. The recorded hashes go into a bitset (16 bits per payment, which the
 * caches hold); only payments whose hash was seen twice are compared by id, in a Map.
 */
function idClasses(payments: readonly Payment[], log: PairingLog): Int32Array {
  const first = log.deductions;
  const total = first.length + log.amounts.length;
  const hash = (x: number): number =>
    (x < first.length ? log.deductionHashes[x] : log.amountHashes[x - first.length]) as number;
  const classes = new Int32Array(total);
  const hashes = new RepeatedHashes(total);
  for (let x = 0; x < total; x++) {
    classes[x] = x;
    hashes.add(hash(x));
  }
  if (hashes.repeats > 0) {
    const firstOf = new Map<string, number>();
    for (let x = 0; x < total; x++) {
      if (!hashes.mayRepeat(hash(x))) continue;
      const i = (x < first.length ? first[x] : log.amounts[x - first.length]) as number;
      const id = (payments[i] as Payment).id;
      const f = firstOf.get(id);
      if (f === undefined) firstOf.set(id, x);
      else classes[x] = f;
    }
  }
  return classes;
}

/** An underpaid payment while its pool is collected. */
interface Entry {
  /** The payment's index. */
  readonly i: number;
  readonly cls: number;
  readonly invoice: Invoice;
  readonly paymentId: string;
  readonly shortfall: bigint | number;
  readonly over: bigint | number;
  readonly under: bigint | number;
}

/**
 * The underpaid payments of one file and currency, sorted by shortfall (then payment index), as parallel
 * arrays: a deduction scans a window of them.
 */
class Pool {
  readonly collected: Entry[] = [];
  /** Whether every amount is below 2^52 in magnitude: then numbers compute them exactly. */
  small = true;
  size = 0;
  cls: Int32Array = new Int32Array(0);
  invoices: Invoice[] = [];
  invoiceIds: string[] = [];
  paymentIds: string[] = [];
  shortfallN: Float64Array = new Float64Array(0);
  overN: Float64Array = new Float64Array(0);
  underN: Float64Array = new Float64Array(0);
  shortfall: bigint[] = [];
  over: bigint[] = [];
  under: bigint[] = [];
  /** The largest tolerance limit of any entry: a deduction looks only at shortfalls within it. */
  bound = 0n;
  /** Each position's rank by payment id, once ranked (ids are distinct within a pool), and the inverse. */
  rank: Int32Array | undefined;
  byRank: Int32Array = new Int32Array(0);
  /** How many entries deductions have sorted by payment id so far (ranking pays off beyond the pool's size). */
  sorted = 0;

  add(e: Entry): void {
    this.collected.push(e);
    const over = BigInt(e.over);
    const under = BigInt(e.under);
    if (over > this.bound) this.bound = over;
    if (under > this.bound) this.bound = under;
    if (typeof e.shortfall === 'bigint' && !(isSmall(e.shortfall) && isSmall(over) && isSmall(under)))
      this.small = false;
  }

  /** Sorts the collected entries by shortfall, then payment index, into the parallel arrays. */
  seal(): void {
    const c = this.collected;
    const n = c.length;
    if (this.small) c.sort((a, b) => Number(a.shortfall) - Number(b.shortfall) || a.i - b.i);
    else {
      c.sort((a, b) => {
        const x = BigInt(a.shortfall);
        const y = BigInt(b.shortfall);
        return x < y ? -1 : x > y ? 1 : a.i - b.i;
      });
    }
    this.size = n;
    this.cls = new Int32Array(n);
    this.invoices = new Array(n);
    this.invoiceIds = new Array(n);
    this.paymentIds = new Array(n);
    if (this.small) {
      this.shortfallN = new Float64Array(n);
      this.overN = new Float64Array(n);
      this.underN = new Float64Array(n);
    } else {
      this.shortfall = new Array(n);
      this.over = new Array(n);
      this.under = new Array(n);
    }
    for (let k = 0; k < n; k++) {
      const e = c[k] as Entry;
      this.cls[k] = e.cls;
      this.invoices[k] = e.invoice;
      this.invoiceIds[k] = e.invoice.id;
      this.paymentIds[k] = e.paymentId;
      if (this.small) {
        this.shortfallN[k] = Number(e.shortfall);
        this.overN[k] = Number(e.over);
        this.underN[k] = Number(e.under);
      } else {
        this.shortfall[k] = BigInt(e.shortfall);
        this.over[k] = BigInt(e.over);
        this.under[k] = BigInt(e.under);
      }
    }
    this.collected.length = 0;
  }

  /** Ranks the entries by payment id, so that sorting fits by id compares numbers. */
  rankByPaymentId(): Int32Array {
    const ids = this.paymentIds;
    const order = Array.from({ length: this.size }, (_, k) => k);
    order.sort((a, b) => {
      const x = ids[a] as string;
      const y = ids[b] as string;
      return x < y ? -1 : x > y ? 1 : 0;
    });
    const rank = new Int32Array(this.size);
    for (let r = 0; r < order.length; r++) rank[order[r] as number] = r;
    this.rank = rank;
    this.byRank = Int32Array.from(order);
    return rank;
  }
}

/** Scratch space of the deduction loop, reused from one deduction (and batch) to the next. */
let scratchK = new Int32Array(1024);
let scratchStrong = new Uint8Array(1024);
let scratchKeys = new Int32Array(1024);

/** Grows the scratch arrays to at least `size`, keeping what they hold. */
function grow(size: number): void {
  if (size <= scratchK.length) return;
  let n = scratchK.length;
  while (n < size) n *= 2;
  const k = new Int32Array(n);
  k.set(scratchK);
  scratchK = k;
  const strong = new Uint8Array(n);
  strong.set(scratchStrong);
  scratchStrong = strong;
  scratchKeys = new Int32Array(n);
}

/** The invoices a deduction's own references name: a fit on one of them is strong. */
interface Named {
  readonly ids: Set<string>;
  /** The distinct invoice objects, when an id names one object (`byObject`): then objects are compared. */
  readonly objects: Invoice[];
  readonly one: Invoice | undefined;
  readonly byObject: boolean;
}

function namedBy(d: Decision, ctx: DecideContext, byObject: boolean): Named {
  const ids = new Set<string>();
  const objects: Invoice[] = [];
  const add = (inv: Invoice): void => {
    ids.add(inv.id);
    if (byObject && !objects.includes(inv)) objects.push(inv);
  };
  for (const r of d.evidence.references) {
    for (const inv of ctx.invoices.byOcr(r.key)) add(inv);
    for (const inv of ctx.invoices.byInvoiceNumber(r.key)) add(inv);
  }
  return { ids, objects, one: objects.length === 1 ? objects[0] : undefined, byObject };
}

function isNamed(named: Named, inv: Invoice): boolean {
  if (named.ids.size === 0) return false;
  if (!named.byObject) return named.ids.has(inv.id);
  return inv === named.one || (named.objects.length > 1 && named.objects.includes(inv));
}

/** How many of the fits found by the last scan are strong. */
let scanStrong = 0;

/**
 * The fits of a deduction of `dm` minor units in the window of `pool` from `lo` (numbers): their positions
 * into `scratchK`, whether strong into `scratchStrong`; returns how many.
 */
function scanSmall(pool: Pool, lo: number, dm: number, named: Named): number {
  const sN = pool.shortfallN;
  const ovN = pool.overN;
  const unN = pool.underN;
  const invoices = pool.invoices;
  const size = pool.size;
  const to = dm + Number(pool.bound);
  let n = 0;
  let strong = 0;
  for (let k = lo; k < size; k++) {
    const s = sN[k] as number;
    if (s > to) break;
    const diff = dm - s; // paid + deducted - open
    if (diff > 0 ? diff <= (ovN[k] as number) : -diff <= (unN[k] as number)) {
      strong += recordFit(n, k, invoices[k] as Invoice, named);
      n++;
    }
  }
  scanStrong = strong;
  return n;
}

/** Records position `k` as fit number `n` of a scan; 1 when it is strong (its invoice named), else 0. */
function recordFit(n: number, k: number, invoice: Invoice, named: Named): number {
  if (n === scratchK.length) grow(n + 1);
  const strong = isNamed(named, invoice) ? 1 : 0;
  scratchK[n] = k;
  scratchStrong[n] = strong;
  return strong;
}

/** {@link scanSmall} with bigints, for amounts beyond 2^52 minor units. */
function scanBig(pool: Pool, lo: number, dm: bigint, named: Named): number {
  const sB = pool.shortfall;
  const invoices = pool.invoices;
  const size = pool.size;
  const to = dm + pool.bound;
  let n = 0;
  let strong = 0;
  for (let k = lo; k < size; k++) {
    const s = sB[k] as bigint;
    if (s > to) break;
    const diff = dm - s; // paid + deducted - open
    if (diff > 0n ? diff <= (pool.over[k] as bigint) : -diff <= (pool.under[k] as bigint)) {
      strong += recordFit(n, k, invoices[k] as Invoice, named);
      n++;
    }
  }
  scanStrong = strong;
  return n;
}

/** The first position of `pool` whose shortfall may be within the bound of `dm`, or -1 when none is. */
function windowStart(pool: Pool, dm: bigint, small: boolean): number {
  const size = pool.size;
  let lo = 0;
  let hi = size;
  if (small) {
    const sN = pool.shortfallN;
    const dmN = Number(dm);
    const boundN = Number(pool.bound);
    const from = dmN - boundN;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sN[mid] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    return lo >= size || (sN[lo] as number) > dmN + boundN ? -1 : lo;
  }
  const sB = pool.shortfall;
  const from = dm - pool.bound;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sB[mid] as bigint) < from) lo = mid + 1;
    else hi = mid;
  }
  return lo >= size || (sB[lo] as bigint) > dm + pool.bound ? -1 : lo;
}

/**
 * The chosen fits (the first `count` of `scratchK`) by payment id: through the pool's ranks (a native sort of
 * a permutation) once the pool is ranked, else by comparing ids.
 */
function byPaymentId(pool: Pool, count: number): ArrayLike<number> {
  pool.sorted += count;
  // ranking the whole pool once beats sorting by id strings when the fits are many, or add up to the pool
  let rank = pool.rank;
  if (rank === undefined && count > 16 && (count >= 1024 || pool.sorted >= pool.size)) rank = pool.rankByPaymentId();
  if (rank !== undefined) {
    const keys = scratchKeys.subarray(0, count);
    for (let c = 0; c < count; c++) keys[c] = rank[scratchK[c] as number] as number;
    keys.sort();
    const byRank = pool.byRank;
    for (let c = 0; c < count; c++) keys[c] = byRank[keys[c] as number] as number;
    return keys;
  }
  const ids = pool.paymentIds;
  const list = Array.from(scratchK.subarray(0, count));
  list.sort((a, b) => {
    const x = ids[a] as string;
    const y = ids[b] as string;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return list;
}

/** A deduction's pairings: its suggestions in order, and the id class of each one's payment. */
interface Found {
  readonly cls: number;
  readonly list: DeductionPairSuggestion[];
  readonly payments: Int32Array;
}

/** The suggestions of deduction `ded` for the pool positions `chosen` (all strong, or none). */
function suggestions(
  ded: Payment,
  deducted: Money,
  dm: bigint,
  small: boolean,
  pool: Pool,
  chosen: ArrayLike<number>,
  count: number,
  strong: boolean,
  differences: Map<bigint | number, Money>,
): { list: DeductionPairSuggestion[]; payments: Int32Array } {
  const alternatives = count - 1;
  const strength = strong ? 'reference' : 'amount';
  const dmN = Number(dm);
  const list: DeductionPairSuggestion[] = new Array(count);
  const to = new Int32Array(count);
  for (let c = 0; c < count; c++) {
    const k = chosen[c] as number;
    const diffKey = small ? dmN - (pool.shortfallN[k] as number) : dm - (pool.shortfall[k] as bigint);
    let difference = differences.get(diffKey);
    if (difference === undefined) {
      difference = Money.fromMinor(BigInt(diffKey), ded.currency);
      differences.set(diffKey, difference);
    }
    list[c] = {
      kind: 'deduction-pair',
      deductionId: ded.id,
      paymentId: pool.paymentIds[k] as string,
      invoiceId: pool.invoiceIds[k] as string,
      deducted,
      difference,
      strength,
      alternatives,
    };
    to[c] = pool.cls[k] as number;
  }
  return { list, payments: to };
}

/** Underpaid payments, by file then currency: one per id (the first), in the logged order. */
function collectPools(
  payments: readonly Payment[],
  decisions: readonly Decision[],
  log: PairingLog,
  contested: Uint8Array,
  classes: Int32Array,
  config: MatchingConfig,
): Map<string, Map<string, Pool>> {
  const { deductions, amounts } = log;
  const nd = deductions.length;
  // the files and currencies that have deductions (nested maps: no key string built per payment)
  const files = new Map<string, Set<string>>();
  for (const i of deductions) {
    const p = payments[i] as Payment;
    let currencies = files.get(p.source.file);
    if (currencies === undefined) {
      currencies = new Set();
      files.set(p.source.file, currencies);
    }
    currencies.add(p.currency);
  }
  const pools = new Map<string, Map<string, Pool>>();
  const seen = new Uint8Array(classes.length);
  for (let x = 0; x < amounts.length; x++) {
    const i = amounts[x] as number;
    const invoice = log.amountInvoices[x];
    let kind = log.amountKinds[x] as Kind;
    // a contested payment's decision may be another now: as it is
    if (contested[i] === 1) kind = isUnderpaid(decisions[i] as Decision, invoice) ? Kind.Later : Kind.None;
    if (kind === Kind.None) continue;
    const p = payments[i] as Payment;
    const file = p.source.file;
    const currency = p.currency;
    const cls = classes[nd + x] as number;
    const currencies = files.get(file);
    if (currencies === undefined || !currencies.has(currency) || seen[cls] === 1) continue;
    seen[cls] = 1;
    let shortfall: bigint | number = log.shortfalls[x] as number;
    let over: bigint | number = log.overs[x] as number;
    let under: bigint | number = log.unders[x] as number;
    if (kind === Kind.Later) {
      const u = underpayment(decisions[i] as Decision, invoice as Invoice, p, config);
      if (u.kind === Kind.Fraction) continue;
      shortfall = u.shortfall;
      over = u.over;
      under = u.under;
    } else if (kind === Kind.Fraction) continue;
    let byCurrency = pools.get(file);
    if (byCurrency === undefined) {
      byCurrency = new Map();
      pools.set(file, byCurrency);
    }
    let pool = byCurrency.get(currency);
    if (pool === undefined) {
      pool = new Pool();
      byCurrency.set(currency, pool);
    }
    pool.add({ i, cls, invoice: invoice as Invoice, paymentId: p.id, shortfall, over, under });
  }
  for (const byCurrency of pools.values()) for (const pool of byCurrency.values()) pool.seal();
  return pools;
}

/** Each deduction's pairings (one per id: the first), in the logged order. */
function pairAll(
  payments: readonly Payment[],
  decisions: readonly Decision[],
  log: PairingLog,
  classes: Int32Array,
  pools: Map<string, Map<string, Pool>>,
  ctx: DecideContext,
): Found[] {
  const deductions = log.deductions;
  // with the in-memory index and no repeated invoice id, an invoice id names one invoice object: compare objects
  const byObject = ctx.invoices instanceof MemoryInvoiceIndex && ctx.invoices.canonical === undefined;
  const found: Found[] = [];
  const done = new Uint8Array(classes.length);
  // one Money per difference and currency (Money is immutable)
  const differencesBy = new Map<string, Map<bigint | number, Money>>();
  for (let x = 0; x < deductions.length; x++) {
    const di = deductions[x] as number;
    const dcls = classes[x] as number;
    if (done[dcls] === 1) continue;
    done[dcls] = 1;
    const ded = payments[di] as Payment;
    const pool = pools.get(ded.source.file)?.get(ded.currency);
    if (pool === undefined) continue;
    const deducted = ded.amount.abs();
    if (!deducted.minorExact()) continue;
    const dm = deducted.toMinor();
    const small = pool.small && isSmall(dm) && isSmall(pool.bound);
    const lo = windowStart(pool, dm, small);
    if (lo < 0) continue;
    const named = namedBy(decisions[di] as Decision, ctx, byObject);
    const n = small ? scanSmall(pool, lo, Number(dm), named) : scanBig(pool, lo, dm, named);
    if (n === 0) continue;
    const strong = scanStrong > 0;
    // the fits named by the deduction's references if any (all strong then), else all; by payment id
    let count = 0;
    for (let f = 0; f < n; f++) if (!strong || scratchStrong[f] === 1) scratchK[count++] = scratchK[f] as number;
    const chosen = byPaymentId(pool, count);
    let differences = differencesBy.get(ded.currency);
    if (differences === undefined) {
      differences = new Map();
      differencesBy.set(ded.currency, differences);
    }
    const made = suggestions(ded, deducted, dm, small, pool, chosen, count, strong, differences);
    found.push({ cls: dcls, list: made.list, payments: made.payments });
  }
  return found;
}

/** The suggestion lists by id class: each suggestion to the deduction's id, then the payment's, in found order. */
function listsByClass(found: readonly Found[], classes: number): (DeductionPairSuggestion[] | undefined)[] {
  const counts = new Int32Array(classes);
  for (const f of found) {
    counts[f.cls] = (counts[f.cls] as number) + f.list.length;
    const to = f.payments;
    for (let q = 0; q < to.length; q++) counts[to[q] as number] = (counts[to[q] as number] as number) + 1;
  }
  const lists: (DeductionPairSuggestion[] | undefined)[] = new Array(classes);
  const filled = new Int32Array(classes);
  const put = (c: number, s: DeductionPairSuggestion): void => {
    let list = lists[c];
    if (list === undefined) {
      list = new Array(counts[c] as number);
      lists[c] = list;
    }
    list[filled[c] as number] = s;
    filled[c] = (filled[c] as number) + 1;
  };
  for (const f of found) {
    const { cls, list, payments: to } = f;
    // a deduction's own list is its id's whole list unless its id is also that of another pairing's payment
    if (counts[cls] === list.length && lists[cls] === undefined) {
      lists[cls] = list;
      filled[cls] = list.length;
      for (let q = 0; q < list.length; q++) put(to[q] as number, list[q] as DeductionPairSuggestion);
    } else {
      for (let q = 0; q < list.length; q++) {
        const s = list[q] as DeductionPairSuggestion;
        put(cls, s);
        put(to[q] as number, s);
      }
    }
  }
  return lists;
}

/**
 * Pairs the logged deductions with the logged underpaid payments, replacing the decisions of both with ones
 * that carry the suggestions. `contested[i]` is set for payments whose decision the batch rules may have
 * replaced since it was logged: those are looked at as they are now.
 *
 * Payments sharing an id are one payment decided once, so the work is by id: each distinct id gets a class
 * ({@link idClasses}); what is kept per id (seen, suggestions, new decision) lives in arrays by class. Each
 * suggestion goes to the deduction's id and to the payment's id, deductions by id and each one's pairs by payment
 * id (never in input order); the lists are put together at the end, by class.
 */
export function pairDeductions(
  payments: readonly Payment[],
  decisions: Decision[],
  log: PairingLog,
  contested: Uint8Array,
  ctx: DecideContext,
): void {
  const classes = idClasses(payments, log);
  const pools = collectPools(payments, decisions, log, contested, classes, ctx.config);
  const found = pairAll(payments, decisions, log, classes, pools, ctx);
  if (found.length === 0) return;
  // by deduction id, not in the deductions' input order: a payment that several deductions fit gets their
  // suggestions in the same order whatever the order of the file (each list is non-empty; ids are distinct)
  found.sort((a, b) => {
    const x = (a.list[0] as DeductionPairSuggestion).deductionId;
    const y = (b.list[0] as DeductionPairSuggestion).deductionId;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const lists = listsByClass(found, classes.length);
  // every copy of a duplicated payment id gets the same new decision (copies are in the same index lists)
  const { deductions, amounts } = log;
  const nd = deductions.length;
  const next: (Decision | undefined)[] = new Array(classes.length);
  for (let x = 0; x < classes.length; x++) {
    const c = classes[x] as number;
    const add = lists[c];
    if (add === undefined) continue;
    const i = (x < nd ? deductions[x] : amounts[x - nd]) as number;
    let d = next[c];
    if (d === undefined) {
      const base = decisions[i] as Decision;
      // the list is this payment's alone (and complete): it is the new suggestions when there were none
      d = { ...plainDecision(base), suggestions: base.suggestions.length === 0 ? add : [...base.suggestions, ...add] };
      next[c] = d;
    }
    decisions[i] = d;
  }
}
