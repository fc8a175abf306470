import { quote } from './_util.js';
import { portError } from './errors.js';
import type { StorageOps } from './storage.js';

/**
 * A `JSON.stringify` replacer.
 *
 * @example
 * const dropPersonal: JsonReplacer = (key, value) => (key === 'personnummer' ? undefined : value);
 */
export type JsonReplacer = (this: unknown, key: string, value: unknown) => unknown;
/**
 * A `JSON.parse` reviver.
 *
 * @example
 * const ore: JsonReviver = (key, value) => (key === 'ore' ? BigInt(value as string) : value);
 */
export type JsonReviver = (this: unknown, key: string, value: unknown) => unknown;

/**
 * Options for {@link putJson} and {@link createJsonIfAbsent}.
 *
 * @example
 * await putJson(storage, 'k', { ore: 5n }, { replacer: bigintReplacer });
 */
export interface JsonWriteOptions {
  /**
   * Passed to `JSON.stringify`. JSON has no bigint: without a replacer a bigint anywhere in the value
   * rejects with `unserializable_value`. Pass {@link bigintReplacer}, or convert first (minor units to
   * strings, decimals with `toFixed`).
   */
  readonly replacer?: JsonReplacer;
}

/**
 * Options for {@link getJson}.
 *
 * @example
 * await getJson(storage, 'k', { reviver: (key, v) => (key === 'ore' ? BigInt(v as string) : v) });
 */
export interface JsonReadOptions {
  /** Passed to `JSON.parse`, e.g. to turn strings back into bigint. */
  readonly reviver?: JsonReviver;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * A replacer that writes every bigint as its decimal string (`12345n` → `"12345"`). Reading gives strings
 * back; turn them into bigint where the shape is known.
 *
 * @example
 * await putJson(storage, 'totals/2026-11-23', { ore: 12345n }, { replacer: bigintReplacer }); // {"ore":"12345"}
 */
export const bigintReplacer: JsonReplacer = (_key, value) => (typeof value === 'bigint' ? value.toString() : value);

/**
 * Encodes a value as UTF-8 JSON bytes, the form {@link putJson} stores. Rejects bigint (without a replacer),
 * cycles and values with no JSON form (`undefined`, a function) with `unserializable_value`.
 *
 * @example
 * encodeJson({ a: 1 }); // Uint8Array of '{"a":1}'
 */
export function encodeJson(value: unknown, options: JsonWriteOptions = {}): Uint8Array {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, options.replacer);
  } catch (e) {
    throw portError('unserializable_value', `value cannot be written as JSON: ${(e as Error).message}`, { cause: e });
  }
  if (text === undefined) throw portError('unserializable_value', `value of type ${typeof value} has no JSON form`);
  return encoder.encode(text);
}

/**
 * Decodes UTF-8 JSON bytes; rejects anything else with `invalid_json` (`source` names the key when given).
 *
 * @example
 * decodeJson(new TextEncoder().encode('[1,2]')); // [1, 2]
 */
export function decodeJson<T = unknown>(bytes: Uint8Array, options: JsonReadOptions & { source?: string } = {}): T {
  try {
    return JSON.parse(decoder.decode(bytes), options.reviver) as T;
  } catch (e) {
    const where = options.source === undefined ? 'value' : `value of ${quote(options.source)}`;
    throw portError('invalid_json', `${where} is not UTF-8 JSON: ${(e as Error).message}`, {
      ...(options.source === undefined ? {} : { source: options.source }),
      cause: e,
    });
  }
}

/**
 * Reads a UTF-8 JSON value, or `undefined` when the key is absent. The type parameter is a promise by the
 * caller, not checked: validate with zod where the data may be stale or foreign.
 *
 * @example
 * const state = await getJson<{ lastRun: string }>(storage, 'spar/state');
 */
export async function getJson<T = unknown>(
  storage: StorageOps,
  key: string,
  options: JsonReadOptions = {},
): Promise<T | undefined> {
  const bytes = await storage.get(key);
  return bytes === undefined ? undefined : decodeJson<T>(bytes, { ...options, source: key });
}

/**
 * Writes a value as UTF-8 JSON (see {@link encodeJson} for what cannot be written, and bigint).
 *
 * @example
 * await putJson(storage, 'spar/state', { lastRun: '2026-11-23' });
 */
export async function putJson(
  storage: StorageOps,
  key: string,
  value: unknown,
  options: JsonWriteOptions = {},
): Promise<void> {
  await storage.put(key, encodeJson(value, options));
}

/**
 * {@link StorageOps.createIfAbsent} with a UTF-8 JSON value: `true` if created, `false` if the key existed.
 *
 * @example
 * const first = await createJsonIfAbsent(storage, `bgmax/files/${sha}`, { name, importedAt });
 */
export async function createJsonIfAbsent(
  storage: StorageOps,
  key: string,
  value: unknown,
  options: JsonWriteOptions = {},
): Promise<boolean> {
  return storage.createIfAbsent(key, encodeJson(value, options));
}
