import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AdapterConfig } from '@nordfil/cli';
import { fixedClock } from '@nordfil/ports';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONFIG_FILE, run, SAMPLE_ANSWER, sampleBorrowers } from './main.js';

// The machine's PostgreSQL serves every test run: this run gets its own schema, dropped afterwards.
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const schema = `spar_nightly_${process.pid}_${Date.now().toString(36)}`;

let dir: string;
let adapters: Record<string, AdapterConfig>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spar-nightly-'));
  // The shipped nordfil.json names an SFTP adapter "spar" and a PostgreSQL adapter "state". The test keeps the
  // file and the PostgreSQL adapter (pointed at this run's schema) and swaps the SFTP server for a folder,
  // through the same configuration mechanism: no SSH server is started.
  adapters = {
    spar: { type: 'fs', root: join(dir, 'gateway'), fsync: false },
    state: { type: 'postgres', connectionString: DATABASE_URL, schema },
  };
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
});

describe('spar-nightly', () => {
  it('night 1 exports the new borrowers; night 2 imports SPAR’s answer; night 3 finds nothing new', async () => {
    const night1 = await run({
      adapters,
      newBorrowers: sampleBorrowers(),
      clock: fixedClock('2026-11-23T23:30:00Z'),
    });
    expect(night1.ok).toBe(true);
    expect(night1.export).toEqual({ status: 'OK', files: ['C1404-000001-spar.csv'], numbers: 3 });
    expect(await readFile(join(dir, 'gateway', 'out', 'C1404-000001-spar.csv'), 'utf8')).toBe(
      '195704133106,198112189876,199001011239\n',
    );
    expect(night1.import.files).toEqual([]);

    // SPAR answers overnight
    await mkdir(join(dir, 'gateway', 'in'), { recursive: true });
    await writeFile(join(dir, 'gateway', 'in', 'avisering-20261124.xml'), await readFile(SAMPLE_ANSWER));

    const night2 = await run({ adapters, clock: fixedClock('2026-11-24T23:30:00Z') });
    expect(night2.import.status).toBe('OK');
    expect(night2.import.files).toEqual([{ name: 'in/avisering-20261124.xml', status: 'imported', persons: 3 }]);
    expect(night2.import.rules).toEqual({ address_update: 1, deceased: 1, protected_identity: 1 });
    expect(night2.export.files).toEqual([]); // nothing new queued
    expect(night2.borrowers).toEqual([
      // moved: the active home address replaced by SPAR's folkbokföringsadress
      { id: 'b-1001', address: 'Tornavägen 7, 22363 LUND', blocks: [], hasContactData: true },
      // died (AV): blocked, the address kept for the estate's letters
      { id: 'b-1002', address: 'Stora Södergatan 12, 22350 LUND', blocks: ['deceased'], hasContactData: true },
      // protected identity: every address, phone and e-mail removed
      { id: 'b-1003', address: undefined, blocks: [], hasContactData: false },
    ]);
    // staff see file events and problems, never a full personnummer
    expect(night2.log.join('\n')).not.toMatch(/\d{8}-?\d{4}(?!\*)/);

    const night3 = await run({ adapters, clock: fixedClock('2026-11-25T23:30:00Z') });
    expect(night3.import.files).toEqual([{ name: 'in/avisering-20261124.xml', status: 'skipped', persons: 0 }]);
  });

  it('lists every configuration problem at once', async () => {
    // the shipped file as it is, without DATABASE_URL and with the key file missing
    await expect(run({ configFile: CONFIG_FILE, env: {} })).rejects.toMatchObject({
      code: 'invalid_config',
      issues: expect.arrayContaining([
        expect.objectContaining({ code: 'missing_env' }),
        expect.objectContaining({ code: 'unreadable_file' }),
      ]),
    });
  });
});
