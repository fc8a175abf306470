/**
 * @nordfil/adapters: real adapters for nordfil's ports. Each adapter is on its own subpath and loads its client
 * library lazily, so importing one never pulls in another's:
 *
 * - `@nordfil/adapters/fs`: a local folder as a Transport and as a Storage (no dependency).
 * - `@nordfil/adapters/sftp`: SFTP transport (peer dependency `ssh2-sftp-client`).
 * - `@nordfil/adapters/ftp`: FTP and explicit FTPS transport (peer dependency `basic-ftp`).
 * - `@nordfil/adapters/spar-https`: SPAR's HTTPS file transport with a client certificate (no dependency).
 * - `@nordfil/adapters/postgres`: PostgreSQL storage with claims (peer dependency `pg`).
 *
 * This entry point holds only shared metadata and types.
 * @packageDocumentation
 */

export type { RetryOptions } from './_shared.js';

/**
 * The optional peer dependencies each adapter loads on first use, with the version range it supports. Install
 * the ones for the adapters you use (`npm install ssh2-sftp-client`); every adapter also takes the loaded module
 * as a `lib` option.
 *
 * @example
 * import { ADAPTER_DEPENDENCIES } from '@nordfil/adapters';
 * ADAPTER_DEPENDENCIES.sftp; // { 'ssh2-sftp-client': '^12.0.0' }
 */
export const ADAPTER_DEPENDENCIES: {
  readonly fs: Readonly<Record<string, string>>;
  readonly sftp: Readonly<Record<string, string>>;
  readonly ftp: Readonly<Record<string, string>>;
  readonly 'spar-https': Readonly<Record<string, string>>;
  readonly postgres: Readonly<Record<string, string>>;
} = {
  fs: {},
  sftp: { 'ssh2-sftp-client': '^12.0.0' },
  ftp: { 'basic-ftp': '^6.0.0' },
  'spar-https': {},
  postgres: { pg: '^8.11.0' },
};

/**
 * The adapters in this package, by subpath name.
 *
 * @example
 * const name: AdapterName = 'sftp';
 */
export type AdapterName = keyof typeof ADAPTER_DEPENDENCIES;

/**
 * The error codes the adapters add to the ports' own (`not_found`, `unsafe_path`, `invalid_key`, `claim_lost`,
 * `transaction_conflict`, …). Every error is a `NordfilError` from `@nordfil/core`; test with
 * `isPortError(e, 'host_key_mismatch')`. No message or cause ever contains a password, key or certificate.
 *
 * - `invalid_option`: a factory option is missing or wrong (checked at construction).
 * - `dependency_missing`: the adapter's optional peer dependency is not installed.
 * - `unreachable`: the server could not be reached (refused, unknown host, no route). Retried.
 * - `timeout`: connecting or an operation took longer than the configured timeout. Retried.
 * - `connection_lost`: an established connection broke (reset, closed mid-transfer). Retried where safe.
 * - `authentication_failed`: the server refused the user, password, key or client certificate. Not retried.
 * - `host_key_mismatch`: the SSH server's host key does not match the configured fingerprint. Not retried.
 * - `tls_certificate_rejected`: the server's TLS certificate failed verification. Not retried.
 * - `remote_error`: the server refused an operation for another reason (permissions, disk full, HTTP 5xx).
 * - `schema_version_unsupported`: the PostgreSQL schema is newer than this adapter.
 *
 * @example
 * if (isPortError(e, 'authentication_failed')) alert('check the SFTP credentials');
 */
export type AdapterErrorCode =
  | 'not_found'
  | 'unsafe_path'
  | 'invalid_key'
  | 'invalid_option'
  | 'claim_lost'
  | 'transaction_conflict'
  | 'transaction_closed'
  | 'dependency_missing'
  | 'unreachable'
  | 'timeout'
  | 'connection_lost'
  | 'authentication_failed'
  | 'host_key_mismatch'
  | 'tls_certificate_rejected'
  | 'remote_error'
  | 'schema_version_unsupported';
