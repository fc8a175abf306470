import { PGlite } from '@electric-sql/pglite';
import { isPortError, manualClock } from '@nordfil/ports';
import { testStorage } from '@nordfil/ports/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, noWait, whenPeer } from '../test/peers.js';
import { type PgClientLike, type PgPoolLike, postgresStorage } from './postgres.js';

const enc = (s: string) => new TextEncoder().encode(s);
const DATABASE_URL = process.env.DATABASE_URL;
const schemaName = () => `t_${crypto.randomUUID().replaceAll('-', '')}`;

/** PGlite is one connection: a pool over it that lets one checkout (or one query) run at a time. */
function pglitePool(db: PGlite): PgPoolLike {
  let tail: Promise<void> = Promise.resolve();
  const acquire = (): Promise<() => void> => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const ready = tail.then(() => release);
    tail = tail.then(() => held);
    return ready;
  };
  const query = async (text: string, values?: unknown[]) =>
    (await db.query<Record<string, unknown>>(text, values)) as { rows: Record<string, unknown>[] };
  return {
    async query(text, values) {
      const release = await acquire();
      try {
        return await query(text, values);
      } finally {
        release();
      }
    },
    async connect(): Promise<PgClientLike> {
      const release = await acquire();
      return { query, release: () => release() };
    },
    async end() {},
  };
}

async function serverReason(): Promise<string | undefined> {
  if (DATABASE_URL === undefined) return 'DATABASE_URL is not set (the PGlite suite runs instead)';
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return undefined;
  } catch (e) {
    return `cannot connect to DATABASE_URL: ${(e as Error).message}`;
  }
}

const dropSchema = async (schema: string) => {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
};

// PGlite: always, in process
let lite: PGlite;
beforeAll(async () => {
  lite = new PGlite();
  await lite.waitReady;
});
afterAll(async () => {
  await lite?.close();
});

testStorage('postgres on PGlite', async () => {
  const schema = schemaName();
  const clock = manualClock('2026-11-23T00:00:00Z');
  const pool = pglitePool(lite);
  const storage = postgresStorage({ pool, schema, clock });
  return {
    storage,
    advanceTime: async (ms) => clock.advance(ms),
    cleanup: async () => {
      await storage.close?.();
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
});

describe('postgres on PGlite', () => {
  it('creates a versioned schema on first use, once', async () => {
    const schema = schemaName();
    const pool = pglitePool(lite);
    const a = postgresStorage({ pool, schema });
    const b = postgresStorage({ pool, schema });
    await Promise.all([a.put('x', enc('1')), b.put('y', enc('2'))]);
    const { rows } = await pool.query(`SELECT version FROM "${schema}".schema_version`);
    expect(rows).toEqual([{ version: 1 }]);
    await pool.query(`INSERT INTO "${schema}".schema_version (version) VALUES (99)`);
    const c = postgresStorage({ pool, schema });
    await expect(c.get('x')).rejects.toMatchObject({ code: 'schema_version_unsupported' });
    await pool.query(`DROP SCHEMA "${schema}" CASCADE`);
  });

  it('refuses bad options at construction, without echoing the password', () => {
    const secret = 'S3cret-pw-do-not-log';
    expect(() => postgresStorage({ connectionString: 'mysql://x' })).toThrow(
      expect.objectContaining({ code: 'invalid_option' }),
    );
    expect(() => postgresStorage({ connectionString: `postgres://u:${secret}@h/db`, schema: 'Bad-Name' })).toThrow(
      /schema/,
    );
    try {
      postgresStorage({ connectionString: `postgres://u:${secret}@h/db`, schema: 'Bad-Name' });
    } catch (e) {
      expect(JSON.stringify({ e, m: String(e), s: (e as Error).stack })).not.toContain(secret);
    }
    expect(() => postgresStorage({} as never)).toThrow(/exactly one/);
  });
});

// the machine's PostgreSQL server
const reason = await serverReason();
whenPeer('PostgreSQL at DATABASE_URL', reason, () => {
  testStorage('postgres server', async () => {
    const schema = schemaName();
    const clock = manualClock('2026-11-23T00:00:00Z');
    const storage = postgresStorage({ connectionString: DATABASE_URL!, schema, clock, maxConnections: 12 });
    return {
      storage,
      advanceTime: async (ms) => clock.advance(ms),
      cleanup: async () => {
        await storage.close?.();
        await dropSchema(schema);
      },
    };
  });

  describe('postgres server', () => {
    it('lets 8 workers claim 10,000 items, each processed exactly once', { timeout: 120_000 }, async () => {
      const schema = schemaName();
      const setup = postgresStorage({ connectionString: DATABASE_URL!, schema });
      try {
        await setup.put('seed', enc('x'));
        await setup.delete('seed');
        const admin = new pg.Client({ connectionString: DATABASE_URL });
        await admin.connect();
        await admin.query(
          `INSERT INTO "${schema}".storage (key, value)
           SELECT 'jobs/' || lpad(i::text, 5, '0'), convert_to(i::text, 'UTF8') FROM generate_series(1, 10000) AS i`,
        );
        await admin.end();
        const seen = new Map<string, number>();
        const workers = Array.from({ length: 8 }, async (_, w) => {
          const storage = postgresStorage({ connectionString: DATABASE_URL!, schema, maxConnections: 1 });
          try {
            for (;;) {
              const claim = await storage.claim!('jobs/', { owner: `worker-${w}`, leaseMs: 60_000 });
              if (claim === undefined) return;
              expect(new TextDecoder().decode(claim.value)).toBe(String(Number(claim.key.slice(5))));
              seen.set(claim.key, (seen.get(claim.key) ?? 0) + 1);
              await claim.complete();
            }
          } finally {
            await storage.close!();
          }
        });
        await Promise.all(workers);
        expect(seen.size).toBe(10_000);
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
        expect(await setup.list('jobs/')).toEqual([]);
      } finally {
        await setup.close!();
        await dropSchema(schema);
      }
    });

    it('gives unreachable for a closed port, without the password in the error', async () => {
      const secret = 'Pa55word-never-shown';
      const port = await freePort();
      const storage = postgresStorage({
        connectionString: `postgres://postgres:${secret}@127.0.0.1:${port}/test`,
        retry: { attempts: 2, ...noWait },
      });
      const error = await storage.get('x').catch((e: unknown) => e);
      expect(isPortError(error, 'unreachable')).toBe(true);
      const text = JSON.stringify({ error, message: String(error), cause: String((error as Error).cause) });
      expect(text).not.toContain(secret);
      await storage.close!();
    });
  });
});
