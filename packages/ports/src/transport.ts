import { isWellFormed, quote } from './_util.js';
import { portError } from './errors.js';

/**
 * One file in a {@link Transport} listing.
 *
 * @example
 * const entry: TransportEntry = { name: 'in/BGMAX.20261123.txt', size: 4096, modifiedAt: '2026-11-23T05:12:00.000Z' };
 */
export interface TransportEntry {
  /** The path relative to the transport root, `/`-separated (`in/BGMAX.txt`), the same string `read()` takes. */
  readonly name: string;
  /** Size in bytes, when the backend reports it. */
  readonly size?: number;
  /** Last modification as an ISO 8601 instant (`2026-11-23T05:12:00.000Z`), when the backend reports it. */
  readonly modifiedAt?: string;
}

/**
 * What a {@link Transport} can do beyond `list` and `read`. Each flag is true exactly when the matching
 * method is present (`atomicWrite` qualifies `write`); the contract suite checks this.
 *
 * @example
 * if (transport.capabilities.atomicWrite) await transport.write!('out/LS.txt', bytes);
 */
export interface TransportCapabilities {
  /** `write()` is present. */
  readonly write: boolean;
  /** `write()` writes to a temporary name and renames it, so no reader ever sees a partial file. */
  readonly atomicWrite: boolean;
  /** `rename()` is present. */
  readonly rename: boolean;
  /** `remove()` is present. */
  readonly remove: boolean;
}

/**
 * A folder of files somewhere else: Bankgirot's or SPAR's server, a collection agency's SFTP drop box,
 * or a local folder. Transports move **bytes only**; decoding belongs to the format packages.
 *
 * Paths are relative to the transport's root, `/`-separated, and checked with {@link checkPath}: every
 * method rejects an unsafe path with a NordfilError of code `unsafe_path` before touching the backend.
 * Every method reports failure by rejecting its promise (never by throwing synchronously).
 *
 * `list` and `read` are required, so a read-only drop box is a valid transport; `write`, `rename`,
 * `remove` and `close` are optional capabilities, declared in {@link Transport.capabilities}. Jobs check
 * for them, or call {@link requireCapability}.
 *
 * @example
 * const files = await transport.list('in');
 * for (const f of files) {
 *   const bytes = await transport.read(f.name);
 *   // parse, store, then acknowledge:
 *   if (transport.rename) await transport.rename(f.name, `archive/${f.name.slice(3)}`);
 * }
 */
export interface Transport {
  /** A short name for messages and logs, e.g. `bankgirot-sftp`. */
  readonly name: string;
  /** What the optional methods are; see {@link TransportCapabilities}. */
  readonly capabilities: TransportCapabilities;
  /**
   * Lists the files directly in `folder` (default: the root), not in its sub-folders, and not the
   * sub-folders themselves. Names are full paths relative to the root (`list('in')` gives `in/a.txt`),
   * sorted by name in code point order ({@link compareCodePoints}). A folder that does not exist lists
   * as empty. In-progress temporary files of atomic writes ({@link isTemporaryPath}) are never listed.
   * A trailing `/` on `folder` is ignored.
   */
  list(folder?: string): Promise<TransportEntry[]>;
  /**
   * Reads a whole file. Rejects with code `not_found` when there is no such file, `unsafe_path` for a
   * refused path. The returned array belongs to the caller (changing it changes nothing stored).
   */
  read(path: string): Promise<Uint8Array>;
  /**
   * Creates or replaces a file, creating parent folders as needed. With `capabilities.atomicWrite` the
   * bytes go to a temporary name ({@link temporaryPathFor}) that is renamed into place, so a reader sees
   * the old file, no file, or the whole new file, never a part; without it a crash can leave a partial file.
   * The caller may reuse `data` once the promise resolves.
   */
  write?(path: string, data: Uint8Array): Promise<void>;
  /**
   * Moves a file, replacing an existing `to` and creating `to`'s parent folders as needed (adapters whose
   * protocol refuses to overwrite remove the target first). Rejects with `not_found` when `from` is missing.
   */
  rename?(from: string, to: string): Promise<void>;
  /** Deletes a file. Rejects with `not_found` when there is no such file. */
  remove?(path: string): Promise<void>;
  /** Releases connections. Idempotent: a second call does nothing. */
  close?(): Promise<void>;
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const DRIVE = /^[A-Za-z]:/;
/**
 * Longest path {@link checkPath} accepts, in UTF-16 code units.
 *
 * @example
 * checkPath('x'.repeat(MAX_PATH_LENGTH + 1)); // throws unsafe_path
 */
export const MAX_PATH_LENGTH = 1024;

/**
 * Options for {@link checkPath}.
 *
 * @example
 * checkPath('', { allowRoot: true }); // ''
 */
export interface CheckPathOptions {
  /**
   * Accept `''` (the root), as `list()` does for its folder.
   * @default false
   */
  readonly allowRoot?: boolean;
}

/**
 * Checks that `path` is a safe relative path and returns it unchanged, or throws a NordfilError with code
 * `unsafe_path`. Refused: the empty string (unless `allowRoot`), absolute paths (`/x`, `C:x`), backslashes,
 * control characters, lone surrogates, empty segments (`a//b`, `a/`), `.` and `..` segments, and paths longer
 * than {@link MAX_PATH_LENGTH}. Adapters call it first in every method, so no remote name ever escapes the root.
 *
 * @example
 * checkPath('in/BGMAX.txt'); // 'in/BGMAX.txt'
 * checkPath('../etc/passwd'); // throws NordfilError { code: 'unsafe_path' }
 */
export function checkPath(path: string, options: CheckPathOptions = {}): string {
  const refuse = (why: string): never => {
    throw portError('unsafe_path', `unsafe path ${quote(String(path))}: ${why}`, { source: quote(String(path)) });
  };
  if (typeof path !== 'string') return refuse('not a string');
  if (path === '') return options.allowRoot ? path : refuse('empty');
  if (path.length > MAX_PATH_LENGTH) refuse(`longer than ${MAX_PATH_LENGTH} characters`);
  if (CONTROL.test(path)) refuse('control character');
  if (path.includes('\\')) refuse('backslash');
  if (!isWellFormed(path)) refuse('lone surrogate');
  if (path.startsWith('/') || DRIVE.test(path)) refuse('absolute');
  for (const segment of path.split('/')) {
    if (segment === '') refuse('empty segment');
    if (segment === '.' || segment === '..') refuse(`"${segment}" segment`);
  }
  return path;
}

/**
 * Checks the folder argument of `list()`: `undefined` and `''` mean the root (`''`); one trailing `/` is
 * dropped; the rest goes through {@link checkPath} (so `'/'` alone is refused as absolute).
 *
 * @example
 * checkFolder(undefined); // ''
 * checkFolder('in/'); // 'in'
 */
export function checkFolder(folder: string | undefined): string {
  if (folder === undefined) return '';
  const trimmed = folder.length > 1 && folder.endsWith('/') ? folder.slice(0, -1) : folder;
  return checkPath(trimmed, { allowRoot: true });
}

const TEMP_SUFFIX = '.nordfil-tmp';

/**
 * The temporary name an atomic `write()` uses before renaming into place: a hidden file in the same folder
 * (`in/.BGMAX.txt.<token>.nordfil-tmp`), so the rename stays on one file system. `token` makes concurrent
 * writers distinct (a random or counter value).
 *
 * @example
 * temporaryPathFor('out/LS.txt', 'a1b2'); // 'out/.LS.txt.a1b2.nordfil-tmp'
 */
export function temporaryPathFor(path: string, token: string): string {
  const slash = path.lastIndexOf('/');
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.${token}${TEMP_SUFFIX}`;
}

/**
 * True for names made by {@link temporaryPathFor}. Adapters leave these out of `list()`, so a job never
 * picks up a file that is still being written.
 *
 * @example
 * isTemporaryPath('out/.LS.txt.a1b2.nordfil-tmp'); // true
 */
export function isTemporaryPath(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return base.startsWith('.') && base.endsWith(TEMP_SUFFIX);
}
