/**
 * The in-memory invoice index behind `buildInvoiceIndex` (internal: not exported from the package). Numeric
 * keys (OCR numbers, numeric invoice numbers) live in pre-sized open-addressing tables over typed arrays, so a
 * million invoices cost no per-entry objects and no rehashing, and `decide` works with invoice ordinals.
 */
import { issue, NordfilError } from '@nordfil/core';
import type { Invoice, InvoiceIndex } from './ports.js';
import { referenceKey } from './ports.js';

const NONE: readonly Invoice[] = Object.freeze([]);

/**
 * A normalised key that is a plain number (`0`, or up to 15 digits without a leading zero) as that number,
 * else -1. Such keys are exact doubles, so the index stores them in typed arrays instead of a string Map.
 */
export function numericKey(key: string): number {
  const n = key.length;
  if (n === 0 || n > 15 || (n > 1 && key.charCodeAt(0) === 48)) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const d = key.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

/**
 * `numericKey(referenceKey(raw))` in one pass over a reference as read, without building the key string when
 * the reference is plain digits (the common case); anything else takes the two steps.
 */
export function rawNumericKey(raw: string): number {
  const n = raw.length;
  let i = 0;
  while (i < n - 1 && raw.charCodeAt(i) === 48) i++;
  if (n === 0 || n - i > 15) return numericKey(referenceKey(raw));
  let v = 0;
  for (let k = i; k < n; k++) {
    const d = raw.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return numericKey(referenceKey(raw));
    v = v * 10 + d;
  }
  return v;
}

/**
 * An id listed twice must name the same invoice (the host listed it twice): the same currency, company,
 * customer and open amount. Two different invoices under one id would make every allocation naming it
 * ambiguous, so the index refuses them with `invoice_id_conflict`.
 */
function checkSameInvoice(a: Invoice, ordA: number, b: Invoice, ordB: number): void {
  if (a === b) return;
  const differs =
    a.openAmount.currency !== b.openAmount.currency
      ? 'currency'
      : a.company !== b.company
        ? 'company'
        : a.customer !== b.customer
          ? 'customer'
          : !a.openAmount.equals(b.openAmount)
            ? 'open amount'
            : undefined;
  if (differs === undefined) return;
  throw new NordfilError(
    issue(
      'invoice_id_conflict',
      `invoices #${ordA + 1} and #${ordB + 1} share the id "${a.id}" but differ in ${differs}: invoice ids must be unique`,
      { field: 'id', actual: a.id },
    ),
  );
}

/**
 * Hashes seen once and hashes seen again, in two bitsets of about 16 bits per expected hash (a few MB, which the
 * caches hold): a first pass adds every key's hash, a second compares by key only those whose hash may repeat.
 */
export class RepeatedHashes {
  private readonly shift: number;
  private readonly seen: Int32Array;
  private readonly twice: Int32Array;
  /** How many hashes were added after an equal one (0: no key repeats). */
  repeats = 0;

  constructor(count: number) {
    let shift = 22;
    while (shift > 0 && 2 ** (32 - shift) < count * 16) shift--;
    this.shift = shift;
    this.seen = new Int32Array(2 ** (32 - shift) / 32);
    this.twice = new Int32Array(this.seen.length);
  }

  add(hash: number): void {
    const bit = hash >>> this.shift;
    const word = bit >>> 5;
    const mask = 1 << (bit & 31);
    const seen = this.seen;
    if (((seen[word] as number) & mask) === 0) seen[word] = (seen[word] as number) | mask;
    else {
      this.twice[word] = (this.twice[word] as number) | mask;
      this.repeats++;
    }
  }

  /** True when a hash equal to `hash` (in the bits kept) was added twice or more: its key may repeat. */
  mayRepeat(hash: number): boolean {
    const bit = hash >>> this.shift;
    return ((this.twice[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
  }
}

function numHash(v: number): number {
  const lo = v >>> 0;
  const hi = (v / 4294967296) | 0;
  const h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
  return h ^ (h >>> 15);
}

function strHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}

/** Invoices per block of the index build (see the constructor of {@link MemoryInvoiceIndex}). */
const BUILD_BLOCK = 1 << 16;
/** Regions a table is split into for a block's inserts: each a few pages, which the TLB holds. */
const REGIONS = 1024;
/** Scratch space of the build, made on first use for the largest block yet and reused after. */
const block = {
  ocr: new Float64Array(0),
  numbers: new Float64Array(0),
  order: new Int32Array(0),
  region: new Int32Array(0),
  regionStart: new Int32Array(REGIONS + 1),
};

function blockFor(size: number): typeof block {
  if (block.ocr.length < size) {
    block.ocr = new Float64Array(size);
    block.numbers = new Float64Array(size);
    block.order = new Int32Array(size);
    block.region = new Int32Array(size);
  }
  return block;
}

function capacityFor(n: number): number {
  return Math.max(16, Math.ceil(n / 0.7));
}

/** The slot a 32-bit hash lands on in a table of `capacity` slots: multiply-shift, for any capacity. */
function home(h: number, capacity: number): number {
  return Math.floor((h >>> 0) * (capacity / 4294967296));
}

/**
 * Normalised key → invoice ordinal(s). Numeric keys live in an open-addressing table, one array of numbers (no
 * per-entry objects, no rehashing: sized up front); other keys in a Map. A found entry is coded as an int:
 * -1 none, ≥ 0 one ordinal, ≤ -2 the collision list `-code - 2` (ordinals sorted by invoice id).
 */
export class KeyTable {
  // one plain array of slot pairs [key, code + 1] (0: empty; codes are ≥ 0 or ≤ -2, so never 0): a key and its
  // value share a cache line. Plain arrays, not typed arrays: typed arrays' memory is external, and 64 MB of it
  // forces V8 into a full (mark-compact) collection of the whole heap, the caller's payments and invoices too.
  readonly slots: number[];
  readonly capacity: number;
  /** The smallest and largest numeric key held: a key outside them is absent without touching the slots. */
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  readonly other = new Map<string, number>();
  readonly lists: number[][] = [];

  constructor(capacity: number) {
    const slots: number[] = [-0.5];
    slots.length = capacity * 2;
    this.slots = slots.fill(0);
    this.capacity = capacity;
  }

  find(key: string, num: number): number {
    if (num < 0) {
      const c = this.other.get(key);
      return c === undefined ? -1 : c;
    }
    if (num < this.min || num > this.max) return -1;
    const slots = this.slots;
    const capacity = this.capacity;
    let i = home(numHash(num), capacity);
    for (;;) {
      const v = slots[2 * i + 1] as number;
      if (v === 0) return -1;
      if (slots[2 * i] === num) return v - 1;
      if (++i === capacity) i = 0;
    }
  }

  /**
   * Adds the numeric keys `nums[0..count)` (−1: none) of invoices `from`…: by region of the table (a stable
   * counting sort of their home slots), so that the inserts sweep it. Equal keys share a home, and keep their
   * order, so the table reads as if they were added one by one in invoice order.
   */
  addBlock(nums: Float64Array, count: number, from: number, invoices: readonly Invoice[]): void {
    const capacity = this.capacity;
    const regions = Math.min(REGIONS, capacity);
    const toRegion = regions / capacity;
    const { order, region } = blockFor(count);
    const start = block.regionStart;
    start.fill(0);
    for (let j = 0; j < count; j++) {
      const num = nums[j] as number;
      if (num < 0) {
        region[j] = -1;
        continue;
      }
      const r = Math.floor(home(numHash(num), capacity) * toRegion);
      region[j] = r;
      start[r + 1] = (start[r + 1] as number) + 1;
    }
    for (let r = 0; r < regions; r++) start[r + 1] = (start[r + 1] as number) + (start[r] as number);
    let total = 0;
    for (let j = 0; j < count; j++) {
      const r = region[j] as number;
      if (r < 0) continue;
      const at = start[r] as number;
      order[at] = j;
      start[r] = at + 1;
      total++;
    }
    for (let q = 0; q < total; q++) {
      const j = order[q] as number;
      this.add('', nums[j] as number, from + j, invoices);
    }
  }

  /**
   * Reads the home slot of numeric key `num` (≥ 0; anything else reads nothing), so that a `find` of it soon
   * after finds it in the CPU cache. Returns the slot's content, for the caller to keep the read alive.
   */
  touch(num: number): number {
    if (num < this.min || num > this.max) return 0;
    return this.slots[2 * home(numHash(num), this.capacity) + 1] as number;
  }

  /** Adds ordinal `o` under `key` unless that invoice object is there already. */
  add(key: string, num: number, o: number, invoices: readonly Invoice[]): void {
    if (num < 0) {
      const c = this.other.get(key);
      this.other.set(key, c === undefined ? o : this.merge(c, o, invoices));
      return;
    }
    if (num < this.min) this.min = num;
    if (num > this.max) this.max = num;
    const slots = this.slots;
    const capacity = this.capacity;
    let i = home(numHash(num), capacity);
    for (;;) {
      const v = slots[2 * i + 1] as number;
      if (v === 0) {
        slots[2 * i] = num;
        slots[2 * i + 1] = o + 1;
        return;
      }
      if (slots[2 * i] === num) {
        slots[2 * i + 1] = this.merge(v - 1, o, invoices) + 1;
        return;
      }
      if (++i === capacity) i = 0;
    }
  }

  private merge(code: number, o: number, invoices: readonly Invoice[]): number {
    const inv = invoices[o];
    if (code >= 0) {
      if (invoices[code] === inv) return code;
      this.lists.push([code, o]);
      return -(this.lists.length - 1) - 2;
    }
    const list = this.lists[-code - 2] as number[];
    for (const x of list) if (invoices[x] === inv) return code;
    list.push(o);
    return code;
  }
}

/**
 * The in-memory index of {@link buildInvoiceIndex}. Besides the public lookups, `decide` uses its ordinals
 * (the position of an invoice in the list, that of the first invoice with its id for a repeated id) to tell
 * competing payments apart without a Map by invoice id.
 */
export class MemoryInvoiceIndex implements InvoiceIndex {
  readonly size: number;
  readonly invoices: readonly Invoice[];
  readonly ocr: KeyTable;
  readonly numbers: KeyTable;
  /** ordinal → ordinal of the first invoice with the same id (undefined when ids are unique) */
  readonly canonical: Int32Array | undefined;
  // the collision lists as invoices, for the public lookups
  readonly #ocrLists: Invoice[][];
  readonly #numberLists: Invoice[][];

  constructor(source: Iterable<Invoice>) {
    const invoices: readonly Invoice[] = Array.isArray(source) ? (source as Invoice[]) : [...source];
    const n = invoices.length;
    const capacity = capacityFor(n);
    const ocr = new KeyTable(capacity);
    const numbers = new KeyTable(capacity);
    // repeated ids: a bitset of id hashes (16 bits per invoice: a few MB, which the caches hold) finds the
    // hashes seen twice; only invoices with such a hash are compared by id, after the first pass
    const hashes = new RepeatedHashes(n);
    const idHashes = new Int32Array(n);
    // in blocks: each invoice's keys and id hash in invoice order (keys that are not plain numbers go to the
    // tables' Maps right away), then the numeric keys inserted by the region of the table they land in, so that
    // the inserts sweep the table instead of jumping all over it (a jump costs a TLB miss); a key's invoices
    // keep their order (same region, stable), so every table reads as if filled in invoice order
    const scratchBlock = blockFor(Math.min(n, BUILD_BLOCK));
    const ocrNums = scratchBlock.ocr;
    const numberNums = scratchBlock.numbers;
    for (let from = 0; from < n; from += BUILD_BLOCK) {
      const count = Math.min(n, from + BUILD_BLOCK) - from;
      for (let j = 0; j < count; j++) {
        const o = from + j;
        const inv = invoices[o] as Invoice;
        let a = inv.ocr === undefined ? -1 : rawNumericKey(inv.ocr);
        if (a < 0 && inv.ocr !== undefined) {
          const k = referenceKey(inv.ocr);
          if (k !== '') ocr.add(k, -1, o, invoices);
          a = -1;
        }
        let b = rawNumericKey(inv.invoiceNumber);
        if (b < 0) {
          const k = referenceKey(inv.invoiceNumber);
          if (k !== '') numbers.add(k, -1, o, invoices);
          b = -1;
        }
        ocrNums[j] = a;
        numberNums[j] = b;
        const h = strHash(inv.id);
        idHashes[o] = h;
        hashes.add(h);
      }
      ocr.addBlock(ocrNums, count, from, invoices);
      numbers.addBlock(numberNums, count, from, invoices);
    }
    // ordinal → ordinal of the first invoice with its id, for the ids that repeat (hashes seen twice, verified)
    let canonical: Int32Array | undefined;
    if (hashes.repeats > 0) {
      const first = new Map<string, number>();
      for (let o = 0; o < n; o++) {
        if (!hashes.mayRepeat(idHashes[o] as number)) continue;
        const id = (invoices[o] as Invoice).id;
        const f = first.get(id);
        if (f === undefined) first.set(id, o);
        else {
          checkSameInvoice(invoices[f] as Invoice, f, invoices[o] as Invoice, o);
          if (canonical === undefined) {
            canonical = new Int32Array(n);
            for (let x = 0; x < n; x++) canonical[x] = x;
          }
          canonical[o] = f;
        }
      }
    }
    const byId = (a: number, b: number) => {
      const x = (invoices[a] as Invoice).id;
      const y = (invoices[b] as Invoice).id;
      return x < y ? -1 : x > y ? 1 : 0;
    };
    for (const t of [ocr, numbers]) for (const list of t.lists) list.sort(byId);
    this.size = n;
    this.invoices = invoices;
    this.ocr = ocr;
    this.numbers = numbers;
    this.canonical = canonical;
    this.#ocrLists = ocr.lists.map((l) => l.map((o) => invoices[o] as Invoice));
    this.#numberLists = numbers.lists.map((l) => l.map((o) => invoices[o] as Invoice));
  }

  /** the ordinals of a collision code ≤ -2 */
  list(table: KeyTable, code: number): readonly number[] {
    return table.lists[-code - 2] as number[];
  }

  byOcr(key: string): readonly Invoice[] {
    const c = this.ocr.find(key, numericKey(key));
    return c === -1 ? NONE : c >= 0 ? [this.invoices[c] as Invoice] : (this.#ocrLists[-c - 2] as Invoice[]);
  }

  byInvoiceNumber(key: string): readonly Invoice[] {
    const c = this.numbers.find(key, numericKey(key));
    return c === -1 ? NONE : c >= 0 ? [this.invoices[c] as Invoice] : (this.#numberLists[-c - 2] as Invoice[]);
  }
}
