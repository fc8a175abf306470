/**
 * spar-nightly: the two SPAR jobs a library runs every night, wired to real adapters by a configuration file
 * (nordfil.json): SFTP to the SPAR file gateway, PostgreSQL for the jobs' state and the borrowers. Nothing in
 * this file names an adapter: the configuration does, so the test (and the local rehearsal below) swap the
 * SFTP server for a local folder through the same mechanism.
 *
 *   1. borrowers registered since yesterday are queued ("noteras för framtida SPAR-uppdatering");
 *   2. runSparExport sends their personnummer to SPAR (C1404-000001-spar.csv);
 *   3. runSparImport applies every update file SPAR has delivered (address, death, protected identity, ...).
 *
 *   npm start -w @nordfil-examples/spar-nightly                    # a local rehearsal in .spar-nightly/
 *   npm start -w @nordfil-examples/spar-nightly -- nordfil.json    # the real thing (DATABASE_URL, SSH key)
 */
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type AdapterConfig, checkConfig, openPorts, storageBorrowerRepository } from '@nordfil/cli';
import { type Borrower, parseBorrower } from '@nordfil/patron';
import { type Clock, DEFAULT_LOG_THRESHOLD, memoryLog, systemClock } from '@nordfil/ports';
import { queueNewBorrower, runSparExport, runSparImport } from '@nordfil/spar';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The production configuration shipped with the example. */
export const CONFIG_FILE = resolve(HERE, '../nordfil.json');
/** A SPAR answer to the example's infile (one move, one death, one protected identity). */
export const SAMPLE_ANSWER = resolve(HERE, '../data/avisering-20261124.xml');

/** Options of {@link run}. */
export interface NightlyOptions {
  /** The configuration file; default {@link CONFIG_FILE}. Relative paths in it are relative to it. */
  readonly configFile?: string;
  /**
   * Adapters to put in place of the file's, by name: how the test runs the same configuration against a
   * local folder instead of the SFTP server (`{ spar: { type: 'fs', root } }`).
   */
  readonly adapters?: Readonly<Record<string, AdapterConfig>>;
  /** Where `{ "env": "NAME" }` references are read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly clock?: Clock;
  /** Borrowers registered since the last run: saved and queued for the export. */
  readonly newBorrowers?: readonly Borrower[];
}

/** What one night did. */
export interface NightlyResult {
  /** Both batches `OK`. */
  readonly ok: boolean;
  readonly export: { readonly status: 'OK' | '?'; readonly files: readonly string[]; readonly numbers: number };
  readonly import: {
    readonly status: 'OK' | '?';
    readonly files: readonly { readonly name: string; readonly status: string; readonly persons: number }[];
    /** The rule that decided each person, e.g. `{ address: 1, deceased: 1, protected_identity: 1 }`. */
    readonly rules: Readonly<Record<string, number>>;
  };
  /** The log lines staff see (priority 18 or lower), personnummer masked. */
  readonly log: readonly string[];
  /** Every stored borrower after the night, in short: the active address, blocks and whether contact data is kept. */
  readonly borrowers: readonly {
    readonly id: string;
    readonly address: string | undefined;
    readonly blocks: readonly string[];
    readonly hasContactData: boolean;
  }[];
}

/** Runs one night: queue, export, import. Prints nothing; the ports are closed before it returns. */
export async function run(options: NightlyOptions = {}): Promise<NightlyResult> {
  const configFile = options.configFile ?? CONFIG_FILE;
  const raw = JSON.parse(await readFile(configFile, 'utf8')) as { adapters: Record<string, unknown> };
  const input = { ...raw, adapters: { ...raw.adapters, ...options.adapters } };
  // every problem of the configuration at once (unknown adapter, missing env variable, bad option, ...)
  const config = await checkConfig(input, {
    source: configFile,
    env: options.env ?? process.env,
    baseDir: dirname(configFile),
  });
  const spar = config.spar;
  if (spar === undefined) throw new Error(`${configFile}: no "spar" section`);

  const log = memoryLog(); // personal data redacted: the full number stays in the entry's `personal` field
  const clock = options.clock ?? systemClock();
  // each adapter (and its client library: ssh2-sftp-client, pg) is loaded only when the job first uses it
  const ports = openPorts({ config, source: configFile, baseDir: dirname(configFile) }, log);
  try {
    const storage = await ports.storage();
    const transport = await ports.transport(spar.transport);
    const borrowers = storageBorrowerRepository(storage);

    for (const b of options.newBorrowers ?? []) {
      await borrowers.save(b);
      await queueNewBorrower(storage, b, { clock });
    }

    const exported = await runSparExport({
      transport,
      storage,
      clock,
      log,
      config: { customerNumber: spar.customerNumber, format: spar.format, folder: spar.outbox },
    });
    const imported = await runSparImport({
      transport,
      storage,
      clock,
      log,
      borrowers,
      config: { account: spar.account, folder: spar.inbox },
    });

    const rules: Record<string, number> = {};
    for (const d of imported.decisions) rules[d.rule] = (rules[d.rule] ?? 0) + 1;
    return {
      ok: exported.batch.status === 'OK' && imported.batch.status === 'OK',
      export: {
        status: exported.batch.status,
        files: exported.sent.map((s) => s.file),
        numbers: exported.sent.reduce((n, s) => n + s.pins.length, 0),
      },
      import: {
        status: imported.batch.status,
        files: imported.files.map((f) => ({ name: f.name, status: f.status, persons: f.persons })),
        rules,
      },
      log: log.filter(config.logThreshold ?? DEFAULT_LOG_THRESHOLD).map((e) => e.message),
      borrowers: (await borrowers.all())
        .sort((a, b) => (a.id < b.id ? -1 : 1))
        .map((b) => {
          const home = b.addresses.find((a) => a.active);
          return {
            id: b.id,
            address: home === undefined ? undefined : `${home.lines.join(', ')}, ${home.postalCode} ${home.town}`,
            blocks: b.blocks.map((x) => (x.kind === 'manual' ? x.reason : 'debt')),
            hasContactData: Object.keys(b.contact).length > 0,
          };
        }),
    };
  } finally {
    await ports.close();
  }
}

/** Three borrowers registered today at the Lund library, validated by `@nordfil/patron`. */
export function sampleBorrowers(): Borrower[] {
  const borrower = (id: string, pin: string, given: string, family: string, street: string) =>
    parseBorrower({
      id,
      identities: [{ type: 'personnummer', value: pin }],
      formerIdentities: [],
      name: { given, family },
      addresses: [{ type: 'home', active: true, lines: [street], postalCode: '22350', town: 'LUND' }],
      contact: { email: `${id}@example.se`, mobile: '070-123 45 67' },
      blocks: [],
      comments: [],
      updatePolicy: { allowUpdate: true, protectedSections: [] },
      accounts: [{ account: 'lund' }],
    });
  return [
    borrower('b-1001', '195704133106', 'Christina', 'Lindgren', 'Bangatan 3'),
    borrower('b-1002', '198112189876', 'Karl', 'Nyman', 'Stora Södergatan 12'),
    borrower('b-1003', '199001011239', 'Eva', 'Berg', 'Kävlingevägen 40'),
  ];
}

/**
 * A local rehearsal of two nights with the shipped configuration, its SFTP and PostgreSQL adapters replaced by
 * folders under `dir`: night 1 exports the new borrowers; SPAR answers (the sample file is copied into the
 * inbox); night 2 imports the answer.
 */
export async function rehearse(dir: string): Promise<{ night1: NightlyResult; night2: NightlyResult }> {
  await rm(dir, { recursive: true, force: true });
  const adapters: Record<string, AdapterConfig> = {
    spar: { type: 'fs', root: join(dir, 'spar-gateway'), fsync: false },
    state: { type: 'fs', root: join(dir, 'state'), fsync: false },
  };
  const night1 = await run({ adapters, newBorrowers: sampleBorrowers() });
  await mkdir(join(dir, 'spar-gateway', 'in'), { recursive: true });
  await copyFile(SAMPLE_ANSWER, join(dir, 'spar-gateway', 'in', 'avisering-20261124.xml'));
  const night2 = await run({ adapters });
  return { night1, night2 };
}

function print(title: string, r: NightlyResult): void {
  console.log(
    `${title}: export ${r.export.status} (${r.export.files.join(', ') || 'nothing to send'}), import ${r.import.status}`,
  );
  for (const f of r.import.files) console.log(`  ${f.name}: ${f.status}, ${f.persons} person(s)`);
  for (const line of r.log) console.log(`  | ${line}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const main = async () => {
    const file = process.argv[2];
    if (file !== undefined) {
      const r = await run({ configFile: resolve(file) });
      print('SPAR night', r);
      return r.ok;
    }
    const { night1, night2 } = await rehearse(resolve('.spar-nightly'));
    print('night 1', night1);
    print('night 2', night2);
    return night1.ok && night2.ok && night2.import.files.length === 1;
  };
  main().then(
    (ok) => {
      process.exitCode = ok ? 0 : 1;
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      for (const i of (e as { issues?: { message: string }[] }).issues ?? []) console.error(`  ${i.message}`);
      process.exitCode = 1;
    },
  );
}
