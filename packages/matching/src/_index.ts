/**
 * The in-memory invoice index behind `buildInvoiceIndex` (internal: not exported from the package). Numeric
 * keys (OCR numbers, numeric invoice numbers) live in pre-sized open-addressing tables over typed arrays, so a
 * million invoices cost no per-entry objects and no rehashing, and `decide` works with invoice ordinals.
 */
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

function capacityFor(n: number): number {
  let c = 16;
  while (c < n * 2) c *= 2;
  return c;
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
  readonly mask: number;
  readonly other = new Map<string, number>();
  readonly lists: number[][] = [];

  constructor(capacity: number) {
    const slots: number[] = [-0.5];
    slots.length = capacity * 2;
    this.slots = slots.fill(0);
    this.mask = capacity - 1;
  }

  find(key: string, num: number): number {
    if (num < 0) {
      const c = this.other.get(key);
      return c === undefined ? -1 : c;
    }
    const slots = this.slots;
    const mask = this.mask;
    let i = numHash(num) & mask;
    for (;;) {
      const v = slots[2 * i + 1] as number;
      if (v === 0) return -1;
      if (slots[2 * i] === num) return v - 1;
      i = (i + 1) & mask;
    }
  }

  /** Adds ordinal `o` under `key` unless that invoice object is there already. */
  add(key: string, num: number, o: number, invoices: readonly Invoice[]): void {
    if (num < 0) {
      const c = this.other.get(key);
      this.other.set(key, c === undefined ? o : this.merge(c, o, invoices));
      return;
    }
    const slots = this.slots;
    const mask = this.mask;
    let i = numHash(num) & mask;
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
      i = (i + 1) & mask;
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
    // ids: an open-addressing set (hash, ordinal + 1) to find repeated ids
    // pairs [hash, ordinal + 1]; a typed array (half the bytes of a plain one), dropped after the build
    const ids = new Int32Array(capacity * 2);
    const mask = capacity - 1;
    let canonical: Int32Array | undefined;
    for (let o = 0; o < n; o++) {
      const inv = invoices[o] as Invoice;
      if (inv.ocr !== undefined) {
        const k = referenceKey(inv.ocr);
        if (k !== '') ocr.add(k, numericKey(k), o, invoices);
      }
      const k = referenceKey(inv.invoiceNumber);
      if (k !== '') numbers.add(k, numericKey(k), o, invoices);
      const id = inv.id;
      const h = strHash(id);
      let i = h & mask;
      for (;;) {
        const s = ids[2 * i + 1] as number;
        if (s === 0) {
          ids[2 * i] = h;
          ids[2 * i + 1] = o + 1;
          break;
        }
        if (ids[2 * i] === h && (invoices[s - 1] as Invoice).id === id) {
          if (canonical === undefined) {
            canonical = new Int32Array(n);
            for (let x = 0; x < n; x++) canonical[x] = x;
          }
          canonical[o] = s - 1;
          break;
        }
        i = (i + 1) & mask;
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
