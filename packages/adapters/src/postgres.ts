/**
 * @nordfil/adapters/postgres: a {@link Storage} in PostgreSQL, with transactions and work-queue claims
 * (`FOR UPDATE SKIP LOCKED`), so several workers can run the same job. Loads `pg` on first use.
 * @packageDocumentation
 */
import type { NordfilError } from '@nordfil/core';
import {
  type Claim,
  type ClaimOptions,
  type Clock,
  checkKey,
  checkPrefix,
  DEFAULT_LEASE_MS,
  isPortError,
  type Log,
  Priority,
  type Storage,
  type StorageOps,
} from '@nordfil/ports';
import {
  adapterError,
  CONNECTION_LOST_CODES,
  checkRetry,
  errorCode,
  errorMessage,
  importLib,
  logSafely,
  type RetryOptions,
  randomToken,
  type Secret,
  UNREACHABLE_CODES,
  withRetry,
} from './_shared.js';

const ADAPTER = 'postgres';

/**
 * The version of the table layout this adapter creates and expects. Stored in `<schema>.schema_version`; an
 * adapter meeting a newer version refuses to run (`schema_version_unsupported`) instead of guessing.
 *
 * @example
 * SELECT max(version) FROM nordfil.schema_version; -- 1
 */
export const POSTGRES_SCHEMA_VERSION = 1;

/**
 * The result of a query, as `pg` and compatible drivers return it.
 *
 * @example
 * const { rows } = await pool.query('SELECT 1 AS one'); // rows: [{ one: 1 }]
 */
export interface PgQueryResult {
  /** The rows, one object per row keyed by column name. */
  readonly rows: Record<string, unknown>[];
}

/**
 * A connection checked out of a pool (`pg.PoolClient` fits).
 *
 * @example
 * const client: PgClientLike = await pool.connect();
 */
export interface PgClientLike {
  /** Runs one statement with `$1`-style parameters. */
  query(text: string, values?: unknown[]): Promise<PgQueryResult>;
  /** Gives the connection back; `true` (or an error) discards it. */
  release(destroy?: boolean | Error): void;
}

/**
 * A connection pool (`pg.Pool` fits). Pass your own as `pool` to share it with the host application; any
 * driver with this shape works (the tests run the adapter on PGlite through a small wrapper).
 *
 * @example
 * import pg from 'pg';
 * const pool: PgPoolLike = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 */
export interface PgPoolLike {
  /** Runs one statement on any free connection. */
  query(text: string, values?: unknown[]): Promise<PgQueryResult>;
  /** Checks a connection out, for a transaction. */
  connect(): Promise<PgClientLike>;
  /** Closes every connection. */
  end(): Promise<void>;
  /** `pg.Pool` emits `error` for a broken idle connection; the adapter listens so the process does not crash. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The part of the `pg` module the adapter uses: its `Pool` class.
 *
 * @example
 * import pg from 'pg';
 * postgresStorage({ connectionString, lib: pg });
 */
export interface PgLib {
  /** `pg.Pool`. */
  readonly Pool: new (
    config: Record<string, unknown>,
  ) => PgPoolLike;
}

/**
 * Options for {@link postgresStorage}: a `connectionString` (the adapter makes and closes its own pool) or a
 * `pool` (yours, left open).
 *
 * @example
 * const options: PostgresStorageOptions = { connectionString: process.env.DATABASE_URL!, schema: 'nordfil' };
 */
export interface PostgresStorageOptions {
  /**
   * Connection settings as a URL: `postgres://user:password@host:5432/database?sslmode=verify-full`. The
   * password never appears in a message or log.
   */
  readonly connectionString?: string;
  /** An existing pool to use instead of `connectionString`; `close()` leaves it open. */
  readonly pool?: PgPoolLike;
  /**
   * The schema that holds the tables; created, with the tables, on first use.
   * @default 'nordfil'
   */
  readonly schema?: string;
  /**
   * Most connections in the adapter's own pool.
   * @default 10
   */
  readonly maxConnections?: number;
  /**
   * How long to wait for a connection, in milliseconds.
   * @default 10_000
   */
  readonly connectTimeoutMs?: number;
  /**
   * Where claim leases take the time from. By default the database server's clock, so workers on machines
   * whose clocks differ still agree; tests pass a `manualClock` to expire a lease without waiting.
   */
  readonly clock?: Clock;
  /**
   * Retries of statements that failed because the server could not be reached (and, for reads and `put`,
   * because the connection broke).
   * @default { attempts: 3, baseDelayMs: 250, maxDelayMs: 5000 }
   */
  readonly retry?: RetryOptions;
  /** Receives retries and connection problems (never a password). */
  readonly log?: Log;
  /** The `pg` module, instead of loading it with `import('pg')`. */
  readonly lib?: PgLib | { readonly default: PgLib };
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function secretsOf(options: PostgresStorageOptions): Secret[] {
  const secrets: Secret[] = [];
  if (options.connectionString !== undefined) {
    try {
      const url = new URL(options.connectionString);
      if (url.password !== '') {
        secrets.push(url.password);
        secrets.push(decodeURIComponent(url.password));
      }
      const param = url.searchParams.get('password');
      if (param) secrets.push(param);
    } catch {
      // not a URL (a libpq key=value string): hide the whole string
      secrets.push(options.connectionString);
    }
  }
  return secrets;
}

/** Maps a `pg` error to an adapter error code. */
function classify(e: unknown): { code: Parameters<typeof adapterError>[1]; what: string } {
  if (isPortError(e)) return { code: e.code as Parameters<typeof adapterError>[1], what: e.message };
  const code = errorCode(e) ?? '';
  const message = errorMessage(e);
  if (UNREACHABLE_CODES.has(code)) return { code: 'unreachable', what: `server unreachable (${code})` };
  if (code === '28P01' || code === '28000') return { code: 'authentication_failed', what: 'authentication failed' };
  if (code === '40001' || code === '40P01') return { code: 'transaction_conflict', what: `conflict (${code})` };
  if (/timeout/i.test(message) || code === 'ETIMEDOUT') return { code: 'timeout', what: 'timed out' };
  if (
    CONNECTION_LOST_CODES.has(code) ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    /Connection terminated|Client has encountered a connection error/i.test(message)
  ) {
    return { code: 'connection_lost', what: `connection lost${code === '' ? '' : ` (${code})`}` };
  }
  return { code: 'remote_error', what: `query failed${code === '' ? '' : ` (${code})`}` };
}

/**
 * A {@link Storage} in PostgreSQL: every capability, for any number of workers on any number of machines.
 *
 * - Table `<schema>.storage (key text COLLATE "C" PRIMARY KEY, value bytea, claim_owner, claim_token,
 *   claimed_until, updated_at)`, created with `<schema>.schema_version` on first use under an advisory lock, so
 *   concurrent first uses do not race.
 * - `createIfAbsent` is `INSERT … ON CONFLICT (key) DO NOTHING`: the primary key picks exactly one winner.
 * - `list` is `key LIKE prefix% ORDER BY key` with `%`, `_` and `\` escaped; `COLLATE "C"` makes the order code
 *   point order (on a UTF-8 database).
 * - `transaction` runs `fn` on one connection between `BEGIN` and `COMMIT` (READ COMMITTED); a serialization
 *   failure or deadlock rejects with `transaction_conflict` (nothing was written: run it again).
 * - `claim` is one `UPDATE … WHERE key = (SELECT … ORDER BY key LIMIT 1 FOR UPDATE SKIP LOCKED)`: concurrent
 *   claimers skip each other's rows instead of waiting. `complete()` deletes the row only if the claim's token is
 *   still on it, else `claim_lost`.
 *
 * @example
 * import { postgresStorage } from '@nordfil/adapters/postgres';
 * const storage = postgresStorage({ connectionString: process.env.DATABASE_URL! });
 * const work = await storage.claim!('lindorff/outbox/', { owner: `${hostname()}:${process.pid}` });
 * if (work) { await send(work.value); await work.complete() }
 * await storage.close!();
 */
export function postgresStorage(options: PostgresStorageOptions): Storage {
  if (options === null || typeof options !== 'object') {
    throw adapterError(ADAPTER, 'invalid_option', 'options are required');
  }
  const secrets = secretsOf(options);
  const fail = (message: string) => adapterError(ADAPTER, 'invalid_option', message, { secrets });
  if ((options.connectionString === undefined) === (options.pool === undefined)) {
    throw fail('give exactly one of connectionString and pool');
  }
  if (options.connectionString !== undefined) {
    if (typeof options.connectionString !== 'string' || !/^postgres(ql)?:\/\//.test(options.connectionString)) {
      throw fail('connectionString must be a postgres:// URL');
    }
    try {
      new URL(options.connectionString);
    } catch {
      throw fail('connectionString is not a valid URL');
    }
  }
  const schema = options.schema ?? 'nordfil';
  if (!IDENTIFIER.test(schema)) throw fail('schema must be a lower-case SQL identifier ([a-z_][a-z0-9_]*)');
  const maxConnections = options.maxConnections ?? 10;
  if (!(Number.isInteger(maxConnections) && maxConnections >= 1)) throw fail('maxConnections must be 1 or more');
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  if (!(Number.isFinite(connectTimeoutMs) && connectTimeoutMs > 0)) throw fail('connectTimeoutMs must be positive');
  checkRetry(ADAPTER, options.retry);

  const table = `"${schema}".storage`;
  const versions = `"${schema}".schema_version`;
  const log = options.log;
  let pool: PgPoolLike | undefined = options.pool;
  let poolPromise: Promise<PgPoolLike> | undefined;
  let ready: Promise<void> | undefined;
  let closed = false;

  const toError = (e: unknown, op: string, key?: string): NordfilError => {
    if (isPortError(e)) return e;
    const { code, what } = classify(e);
    const details: { cause: unknown; secrets: Secret[]; source?: string } = { cause: e, secrets };
    if (key !== undefined) details.source = key;
    return adapterError(ADAPTER, code, `${op}: ${what}`, details);
  };

  const getPool = (): Promise<PgPoolLike> => {
    if (closed) return Promise.reject(adapterError(ADAPTER, 'invalid_option', 'the storage is closed'));
    if (pool !== undefined) return Promise.resolve(pool);
    poolPromise ??= (async () => {
      const mod = await importLib<PgLib | { default: PgLib }>(ADAPTER, 'pg', options.lib, () => import('pg'));
      const lib = 'Pool' in mod ? mod : mod.default;
      const created = new lib.Pool({
        connectionString: options.connectionString,
        max: maxConnections,
        connectionTimeoutMillis: connectTimeoutMs,
        idleTimeoutMillis: 30_000,
        application_name: 'nordfil',
      });
      created.on?.('error', (e) => {
        logSafely(
          log,
          { priority: Priority.warning, code: 'postgres_idle_error', message: `postgres: idle connection failed` },
          secrets,
        );
        void e;
      });
      pool = created;
      return created;
    })().catch((e) => {
      poolPromise = undefined;
      throw e;
    });
    return poolPromise;
  };

  const migrate = async (p: PgPoolLike): Promise<void> => {
    const client = await p.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      // one migrator at a time, across processes
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`nordfil:${schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${versions} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query(`SELECT coalesce(max(version), 0) AS v FROM ${versions}`);
      const current = Number(rows[0]?.v ?? 0);
      if (current > POSTGRES_SCHEMA_VERSION) {
        throw adapterError(
          ADAPTER,
          'schema_version_unsupported',
          `schema "${schema}" is at version ${current}, newer than this adapter's ${POSTGRES_SCHEMA_VERSION}: upgrade @nordfil/adapters`,
        );
      }
      if (current < 1) {
        await client.query(
          `CREATE TABLE ${table} (
            key text COLLATE "C" NOT NULL PRIMARY KEY,
            value bytea NOT NULL,
            claim_owner text,
            claim_token text,
            claimed_until timestamptz,
            updated_at timestamptz NOT NULL DEFAULT now()
          )`,
        );
        await client.query(`INSERT INTO ${versions} (version) VALUES (1)`);
      }
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw e;
    } finally {
      client.release(broken);
    }
  };

  const ensureReady = async (): Promise<PgPoolLike> => {
    const p = await getPool();
    ready ??= migrate(p).catch((e) => {
      ready = undefined;
      throw e;
    });
    await ready;
    return p;
  };

  /** Runs one statement on the pool, retrying transient failures (only unreachable ones unless idempotent). */
  const run = (op: string, key: string | undefined, idempotent: boolean, text: string, values: unknown[]) =>
    withRetry(
      options.retry,
      async () => {
        try {
          const p = await ensureReady();
          return await p.query(text, values);
        } catch (e) {
          const error = toError(e, op, key);
          if (!idempotent && error.code !== 'unreachable') (error as { noRetry?: boolean }).noRetry = true;
          throw error;
        }
      },
      (e, n, delay) =>
        logSafely(log, {
          priority: Priority.info,
          code: 'postgres_retry',
          message: `postgres: ${op} failed (${(e as NordfilError).code}), attempt ${n + 1} in ${delay} ms`,
        }),
    );

  const bytes = (v: unknown): Uint8Array => new Uint8Array(v as Uint8Array);
  const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const nowParam = () => (options.clock ? options.clock.now().toISOString() : null);

  type Query = (
    op: string,
    key: string | undefined,
    idempotent: boolean,
    text: string,
    values: unknown[],
  ) => Promise<PgQueryResult>;

  const opsOver = (q: Query): StorageOps => ({
    async get(key) {
      checkKey(key);
      const { rows } = await q('get', key, true, `SELECT value FROM ${table} WHERE key = $1`, [key]);
      return rows.length === 0 ? undefined : bytes(rows[0]!.value);
    },
    async put(key, value) {
      checkKey(key);
      await q(
        'put',
        key,
        true,
        `INSERT INTO ${table} (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [key, Buffer.from(value)],
      );
    },
    async createIfAbsent(key, value) {
      checkKey(key);
      const { rows } = await q(
        'createIfAbsent',
        key,
        false,
        `INSERT INTO ${table} (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING 1 AS created`,
        [key, Buffer.from(value)],
      );
      return rows.length === 1;
    },
    async delete(key) {
      checkKey(key);
      const { rows } = await q('delete', key, false, `DELETE FROM ${table} WHERE key = $1 RETURNING 1 AS deleted`, [
        key,
      ]);
      return rows.length === 1;
    },
    async list(prefix) {
      checkPrefix(prefix);
      const { rows } = await q(
        'list',
        prefix,
        true,
        `SELECT key FROM ${table} WHERE key LIKE $1 ESCAPE '\\' ORDER BY key`,
        [likePrefix(prefix)],
      );
      return rows.map((r) => String(r.key));
    },
  });

  const storage: Storage = {
    ...opsOver(run),
    capabilities: { transactions: true, claim: true },

    async transaction<T>(fn: (tx: StorageOps) => Promise<T>): Promise<T> {
      const p = await withRetry(options.retry, async () => {
        try {
          return await ensureReady();
        } catch (e) {
          throw toError(e, 'transaction');
        }
      });
      let client: PgClientLike;
      try {
        client = await p.connect();
      } catch (e) {
        throw toError(e, 'transaction');
      }
      let open = true;
      let broken = false;
      let firstError: NordfilError | undefined;
      const q: Query = async (op, key, _idempotent, text, values) => {
        if (!open) throw adapterError(ADAPTER, 'transaction_closed', `${op} after the transaction ended`);
        try {
          return await client.query(text, values);
        } catch (e) {
          const error = toError(e, op, key);
          firstError ??= error;
          throw error;
        }
      };
      try {
        try {
          await client.query('BEGIN');
        } catch (e) {
          broken = true;
          throw toError(e, 'transaction');
        }
        let result: T;
        try {
          result = await fn(opsOver(q));
        } catch (e) {
          open = false;
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
          throw e;
        }
        open = false;
        if (firstError !== undefined) {
          // a statement failed and `fn` went on: PostgreSQL has aborted the transaction, so nothing is committed
          await client.query('ROLLBACK').catch(() => {
            broken = true;
          });
          throw firstError;
        }
        try {
          await client.query('COMMIT');
        } catch (e) {
          broken = true;
          throw toError(e, 'commit');
        }
        return result;
      } finally {
        open = false;
        client.release(broken);
      }
    },

    async claim(prefix: string, claimOptions: ClaimOptions): Promise<Claim | undefined> {
      checkPrefix(prefix);
      const { owner, leaseMs = DEFAULT_LEASE_MS } = claimOptions ?? ({} as ClaimOptions);
      if (typeof owner !== 'string' || owner === '') {
        throw adapterError(ADAPTER, 'invalid_option', 'claim: owner must be a non-empty string');
      }
      if (!(Number.isFinite(leaseMs) && leaseMs > 0)) {
        throw adapterError(ADAPTER, 'invalid_option', `claim: leaseMs must be a positive number, got ${leaseMs}`);
      }
      const token = randomToken(12);
      const { rows } = await run(
        'claim',
        prefix,
        false,
        `UPDATE ${table}
            SET claim_owner = $2, claim_token = $3,
                claimed_until = coalesce($4::timestamptz, clock_timestamp()) + $5::bigint * interval '1 millisecond'
          WHERE key = (
            SELECT key FROM ${table}
             WHERE key LIKE $1 ESCAPE '\\'
               AND (claimed_until IS NULL OR claimed_until <= coalesce($4::timestamptz, clock_timestamp()))
             ORDER BY key
             LIMIT 1
               FOR UPDATE SKIP LOCKED)
        RETURNING key, value`,
        [likePrefix(prefix), owner, token, nowParam(), Math.ceil(leaseMs)],
      );
      const row = rows[0];
      if (row === undefined) return undefined;
      const key = String(row.key);
      let done = false;
      return {
        key,
        value: bytes(row.value),
        async complete() {
          const result = done
            ? { rows: [] }
            : await run(
                'complete',
                key,
                false,
                `DELETE FROM ${table} WHERE key = $1 AND claim_token = $2 RETURNING 1 AS deleted`,
                [key, token],
              );
          if (result.rows.length === 0) {
            throw adapterError(
              ADAPTER,
              'claim_lost',
              `claim on ${JSON.stringify(key)} by ${JSON.stringify(owner)} was lost`,
              {
                source: key,
              },
            );
          }
          done = true;
        },
        async release() {
          if (done) return;
          done = true;
          await run(
            'release',
            key,
            true,
            `UPDATE ${table} SET claim_owner = NULL, claim_token = NULL, claimed_until = NULL
              WHERE key = $1 AND claim_token = $2`,
            [key, token],
          );
        },
      };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const own = options.pool === undefined ? (pool ?? (await poolPromise?.catch(() => undefined))) : undefined;
      pool = undefined;
      await own?.end();
    },
  };
  return storage;
}
