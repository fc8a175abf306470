import { type Issue, issue, NordfilError } from '@nordfil/core';

/**
 * The stable error codes the ports use. Adapters throw these (through {@link portError}) so that jobs can
 * react to a missing file or a lost claim the same way whatever the backend.
 *
 * - `not_found`: the file (transport) does not exist.
 * - `unsafe_path`: a transport path was refused by {@link checkPath} (`..`, absolute, control characters, backslash).
 * - `invalid_key`: a storage key or prefix was refused by {@link checkKey}.
 * - `capability_missing`: {@link requireCapability} found an optional capability absent.
 * - `claim_lost`: a work-queue claim expired and was taken by another worker before `complete()`.
 * - `transaction_conflict`: a transaction could not commit because data it read changed meanwhile; retry it.
 * - `transaction_closed`: a transaction handle was used after its transaction ended.
 * - `invalid_json`: stored bytes are not UTF-8 JSON ({@link getJson}).
 * - `unserializable_value`: a value cannot be written as JSON (bigint without a replacer, a cycle).
 * - `invalid_time_zone`, `invalid_instant`: bad arguments to the clock helpers.
 * - `invalid_option`: a bad option to a port method or factory (an empty claim owner, a negative lease).
 * - `injected_fault`: thrown by {@link faultyTransport} and {@link faultyStorage} in tests.
 *
 * @example
 * if (isPortError(e, 'not_found')) return undefined;
 */
export type PortErrorCode =
  | 'not_found'
  | 'unsafe_path'
  | 'invalid_key'
  | 'capability_missing'
  | 'claim_lost'
  | 'transaction_conflict'
  | 'transaction_closed'
  | 'invalid_json'
  | 'unserializable_value'
  | 'invalid_time_zone'
  | 'invalid_instant'
  | 'invalid_option'
  | 'injected_fault';

/**
 * Extra fields for {@link portError}: the issue's location plus the underlying `cause`.
 *
 * @example
 * portError('not_found', 'no file', { source: 'in/a.txt', cause: err });
 */
export type PortErrorDetails = Partial<Omit<Issue, 'code' | 'message'>> & {
  /** The backend's own error (e.g. the `ENOENT` from the file system), kept as `error.cause`. */
  readonly cause?: unknown;
};

/**
 * Builds the {@link NordfilError} a port throws: one issue with the given code. Adapters use it to map
 * their backend's errors (an SFTP `No such file`, an `ENOENT`) to the port's codes, passing the original
 * error as `cause`.
 *
 * @example
 * try { return await sftp.get(remote) }
 * catch (e) { if (e.code === 2) throw portError('not_found', `sftp: no file ${path}`, { source: path, cause: e }); throw e }
 */
export function portError(
  code: PortErrorCode | (string & {}),
  message: string,
  details: PortErrorDetails = {},
): NordfilError {
  const { cause, ...location } = details;
  const one = issue(code, message, location);
  return cause === undefined ? new NordfilError(one) : new NordfilError(one, undefined, { cause });
}

/**
 * True when `e` is a {@link NordfilError} (from any copy of `@nordfil/core`), and, when `code` is given,
 * when its code is `code`.
 *
 * @example
 * const bytes = await transport.read('in/today.txt').catch((e) => { if (isPortError(e, 'not_found')) return undefined; throw e });
 */
export function isPortError(e: unknown, code?: PortErrorCode | (string & {})): e is NordfilError {
  return NordfilError.is(e) && (code === undefined || e.code === code);
}
