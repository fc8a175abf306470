/**
 * Persistence through the Storage port: cases, removal notices and the OCR ledger as UTF-8 JSON, with Money
 * kept exact (`{"$money":"1250.00","currency":"NOK"}`). Keys live under a prefix (default `lindorff/`).
 */
import { Money } from '@nordfil/core';
import type { StorageOps } from '@nordfil/ports';
import type { CollectionCase, RemovalNotice } from './cases.js';
import type { OcrLedgerEntry } from './corrections.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON text of a value with every Money as `{ $money, currency }`, keys in insertion order.
 *
 * @example
 * stateToJson({ a: Money.of('1.5', 'NOK') }); // '{"a":{"$money":"1.50","currency":"NOK"}}'
 */
export function stateToJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const raw = this[key];
    if (raw instanceof Money) return { $money: raw.toString(), currency: raw.currency };
    return v;
  });
}

/**
 * The inverse of {@link stateToJson}.
 *
 * @example
 * (stateFromJson('{"a":{"$money":"1.50","currency":"NOK"}}') as { a: Money }).a.toString(); // '1.50'
 */
export function stateFromJson<T = unknown>(text: string): T {
  return JSON.parse(text, (_k, v) => {
    if (v !== null && typeof v === 'object' && typeof (v as { $money?: unknown }).$money === 'string') {
      const m = v as { $money: string; currency: string };
      return Money.of(m.$money, m.currency);
    }
    return v;
  }) as T;
}

/** @internal */
export const toBytes = (v: unknown): Uint8Array => encoder.encode(stateToJson(v));
/** @internal */
export const fromBytes = <T>(b: Uint8Array): T => stateFromJson<T>(decoder.decode(b));

/**
 * The storage keys the package uses, under a prefix.
 *
 * @example
 * keys('lindorff/').case('1001'); // 'lindorff/cases/1001'
 */
export function keys(prefix = 'lindorff/') {
  const enc = (s: string) => encodeURIComponent(s);
  return {
    prefix,
    cases: `${prefix}cases/`,
    case: (ref: string) => `${prefix}cases/${enc(ref)}`,
    notices: `${prefix}notices/`,
    notice: (id: string) => `${prefix}notices/${enc(id)}`,
    ocr: `${prefix}ocr/`,
    ocrFile: (id: string) => `${prefix}ocr/${enc(id)}`,
    outbox: `${prefix}outbox/`,
    outboxFile: (name: string) => `${prefix}outbox/${enc(name)}`,
    uploaded: (name: string) => `${prefix}uploaded/${enc(name)}`,
    sent: (name: string) => `${prefix}sent/${enc(name)}`,
    reported: (id: string) => `${prefix}reported/${enc(id)}`,
    received: `${prefix}received/`,
    receivedFile: (name: string, sha: string) => `${prefix}received/${enc(name)}@${sha}`,
    hash: (sha: string) => `${prefix}hashes/${sha}`,
    interestNote: (id: string) => `${prefix}interest-notes/${enc(id)}`,
    interestNotes: `${prefix}interest-notes/`,
  };
}

async function listValues<T>(storage: StorageOps, prefix: string): Promise<T[]> {
  const out: T[] = [];
  for (const k of await storage.list(prefix)) {
    const b = await storage.get(k);
    if (b !== undefined) out.push(fromBytes<T>(b));
  }
  return out;
}

/**
 * Cases in storage.
 *
 * @example
 * const store = caseStore(storage);
 * await store.put(listCase(claim, { collectionDate }));
 * (await store.list()).length; // 1
 */
export function caseStore(storage: StorageOps, prefix = 'lindorff/') {
  const k = keys(prefix);
  return {
    async get(ref: string): Promise<CollectionCase | undefined> {
      const b = await storage.get(k.case(ref));
      return b === undefined ? undefined : fromBytes<CollectionCase>(b);
    },
    put: (c: CollectionCase) => storage.put(k.case(c.caseRef), toBytes(c)),
    /** Creates the case unless one with its reference exists; `false` then. */
    create: (c: CollectionCase) => storage.createIfAbsent(k.case(c.caseRef), toBytes(c)),
    list: () => listValues<CollectionCase>(storage, k.cases),
  };
}

/**
 * Removal notices in storage.
 *
 * @example
 * await noticeStore(storage).put(notice);
 */
export function noticeStore(storage: StorageOps, prefix = 'lindorff/') {
  const k = keys(prefix);
  return {
    put: (n: RemovalNotice) => storage.put(k.notice(n.id), toBytes(n)),
    list: () => listValues<RemovalNotice>(storage, k.notices),
  };
}

/**
 * The OCR ledger: which OCR giro files were read, the period each covered, and their payments (core
 * `Payment`s). The host records each file after reading it (with `@nordfil/ocrgiro` or otherwise); RD files
 * are refused until the ledger covers the period.
 *
 * @example
 * const ledger = storageOcrLedger(storage);
 * await ledger.record({ fileId: 'OCR.20261120', from: '2026-11-20', to: '2026-11-20', payments });
 */
export interface OcrLedger {
  /** Records a file read; `false` (and nothing changed) when the file was recorded before. */
  record(entry: OcrLedgerEntry): Promise<boolean>;
  list(): Promise<OcrLedgerEntry[]>;
}

/**
 * An {@link OcrLedger} kept in Storage under `<prefix>ocr/`.
 *
 * @example
 * await storageOcrLedger(storage).list();
 */
export function storageOcrLedger(storage: StorageOps, prefix = 'lindorff/'): OcrLedger {
  const k = keys(prefix);
  return {
    record: (e) => storage.createIfAbsent(k.ocrFile(e.fileId), toBytes(e)),
    list: () => listValues<OcrLedgerEntry>(storage, k.ocr),
  };
}
