import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBgmax } from '@nordfil/bgmax';
import type { IsoDate } from '@nordfil/core';
import { writeTotalIn } from '@nordfil/totalin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from './commands/demo.js';
import { invoices, people, prng } from './demo/data.js';
import { demoBgmax, demoTotalIn } from './demo/payments.js';
import { sparCases, sparOutfile } from './demo/spar.js';
import { main } from './main.js';
import { type CliIo, createOutput } from './output.js';

/** Captured streams for main(). */
function capture(cwd: string, env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    env,
    cwd,
  };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

async function run(cwd: string, ...argv: string[]) {
  const c = capture(cwd);
  const code = await main(argv, c.io);
  return { code, stdout: c.out(), stderr: c.err() };
}

let dir: string;
const DATE = '2026-11-20' as IsoDate;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nordfil-cli-'));
  const r = prng(7);
  const persons = people(r, 20);
  const inv = invoices(r, persons, 30, '2026-11-15' as IsoDate);
  await writeFile(join(dir, 'BGMAX.txt'), writeBgmax(demoBgmax(r, inv.slice(0, 15), DATE)));
  await writeFile(join(dir, 'TOTALIN.txt'), writeTotalIn(demoTotalIn(r, inv.slice(15, 25), DATE)));
  const bad = new TextDecoder('latin1').decode(writeBgmax(demoBgmax(r, inv.slice(0, 12), DATE)));
  // break the deposit's count and amount: a control-record mismatch on a known line
  await writeFile(
    join(dir, 'BAD.txt'),
    bad.replace(/^15(.*)$/m, (l) => `${l.slice(0, 50)}${'9'.repeat(18)}${l.slice(68)}`),
  );
  await writeFile(join(dir, 'notes.txt'), 'hello\n');
  await writeFile(
    join(dir, 'invoices.csv'),
    `invoice,ocr,amount,currency,customer\n${inv.map((i) => `${i.invoiceNumber},${i.ocr},${i.amount},SEK,${i.customer}`).join('\n')}\n`,
  );
  await writeFile(
    join(dir, 'avi.xml'),
    sparOutfile(sparCases(persons.slice(0, 8), 'lund'), DATE, { infile: 'C1-000001-spar.csv' }),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('usage', () => {
  it('prints help with exit code 0 and usage errors with 2', async () => {
    const help = await run(dir, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('reconcile');
    expect((await run(dir)).code).toBe(2);
    const bad = await run(dir, 'validate', '--nope', 'x');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect((await run(dir, 'frobnicate')).code).toBe(2);
    expect((await run(dir, 'spar')).code).toBe(2);
  });
});

describe('validate', () => {
  it('exits 0 for valid files and 1 for an invalid one, listing every issue', async () => {
    const ok = await run(dir, 'validate', 'BGMAX.txt', 'TOTALIN.txt', 'avi.xml');
    expect(ok.stdout).toContain('valid');
    expect(ok.code).toBe(0);
    const bad = await run(dir, 'validate', 'BGMAX.txt', 'BAD.txt');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/BAD\.txt:\d+/);
    const unknown = await run(dir, 'validate', 'notes.txt');
    expect(unknown.code).toBe(1);
  });

  it('--json prints parseable results', async () => {
    const r = await run(dir, 'validate', '--json', 'BGMAX.txt', 'BAD.txt');
    const json = JSON.parse(r.stdout) as {
      valid: boolean;
      files: { file: string; valid: boolean; issues: { line?: number }[] }[];
    };
    expect(json.valid).toBe(false);
    expect(json.files.map((f) => f.valid)).toEqual([true, false]);
    expect(json.files[1]?.issues.some((i) => typeof i.line === 'number')).toBe(true);
  });
});

describe('inspect', () => {
  it('summarises each format', async () => {
    const bg = await run(dir, 'inspect', 'BGMAX.txt');
    expect(bg.code).toBe(0);
    expect(bg.stdout).toContain('BGMax');
    expect(bg.stdout).toMatch(/payments\s+14/);
    const ti = await run(dir, 'inspect', 'TOTALIN.txt');
    expect(ti.stdout).toContain('Total-IN');
    const spar = await run(dir, 'inspect', 'avi.xml');
    expect(spar.stdout).toMatch(/persons\s+8/);
    expect((await run(dir, 'inspect', 'notes.txt')).code).toBe(1);
  });

  it('--json prints the parsed objects', async () => {
    const r = await run(dir, 'inspect', '--json', 'BGMAX.txt');
    const json = JSON.parse(r.stdout) as { format: string; data: { sections: unknown[] } };
    expect(json.format).toBe('bgmax');
    expect(json.data.sections).toHaveLength(1);
  });
});

describe('reconcile', () => {
  it('prints decisions by status and writes them as CSV and JSON', async () => {
    const r = await run(
      dir,
      'reconcile',
      'BGMAX.txt',
      '--invoices',
      'invoices.csv',
      '--tolerance',
      '5',
      '-o',
      'out.csv',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Complete');
    const csv = await readFile(join(dir, 'out.csv'), 'utf8');
    expect(csv.split('\n')[0]).toContain('status');
    expect(csv.trim().split('\n')).toHaveLength(16);
    const j = await run(dir, 'reconcile', 'TOTALIN.txt', '--invoices', 'invoices.csv', '--json');
    const json = JSON.parse(j.stdout) as { counts: Record<string, number>; decisions: unknown[] };
    expect(json.decisions).toHaveLength(10);
    expect(json.counts.Complete).toBeGreaterThan(5);
  });

  it('rejects a bad tolerance as a usage error', async () => {
    const r = await run(dir, 'reconcile', 'BGMAX.txt', '--invoices', 'invoices.csv', '--tolerance', 'lots');
    expect(r.code).toBe(2);
  });
});

describe('errors', () => {
  it('are one line without a stack trace, and --debug shows the stack', async () => {
    const r = await run(dir, 'inspect', 'missing.txt');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const d = await run(dir, '--debug', 'inspect', 'missing.txt');
    expect(d.stderr).toMatch(/\n\s+at /);
  });

  it('configuration errors list every problem', async () => {
    await writeFile(
      join(dir, 'bad-config.json'),
      JSON.stringify({
        adapters: {
          state: { type: 'fs' },
          box: { type: 'ftp', host: 'x', user: 'u', password: { env: 'NORDFIL_TEST_UNSET' } },
        },
        storage: 'nowhere',
        spar: { transport: 'box', customerNumber: 'abc', account: 'lund' },
      }),
    );
    const r = await run(dir, 'spar', 'export', '-c', 'bad-config.json');
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/problems in the configuration/);
    expect(r.stderr).toContain('adapters.state.root');
    expect(r.stderr).toContain('NORDFIL_TEST_UNSET');
    expect(r.stderr).toContain('storage');
    expect(r.stderr).toContain('spar.customerNumber');
  });
});

describe('spar', () => {
  it('runs the export and import from a configuration file with fs adapters', async () => {
    const box = join(dir, 'sparbox');
    await writeFile(
      join(dir, 'nordfil.json'),
      JSON.stringify({
        adapters: {
          state: { type: 'fs', root: 'state', fsync: false },
          spar: { type: 'fs', root: 'sparbox', fsync: false },
        },
        storage: 'state',
        spar: { transport: 'spar', customerNumber: '1404', account: 'lund' },
      }),
    );
    const e = await run(dir, 'spar', 'export', '-c', 'nordfil.json', '--json');
    expect(e.code).toBe(0);
    expect((JSON.parse(e.stdout) as { sent: unknown[] }).sent).toEqual([]);
    const { mkdir, copyFile } = await import('node:fs/promises');
    await mkdir(join(box, 'inbox'), { recursive: true });
    await copyFile(join(dir, 'avi.xml'), join(box, 'inbox', 'avi.xml'));
    const i = await run(dir, 'spar', 'import', '-c', 'nordfil.json', '--json');
    const json = JSON.parse(i.stdout) as { files: { status: string }[]; decisions: { rule: string }[] };
    expect(json.files.map((f) => f.status)).toEqual(['imported']);
    // no borrowers in storage: every person is "not found"
    expect(json.decisions.every((d) => d.rule === 'borrower_not_found')).toBe(true);
    const again = await run(dir, 'spar', 'import', '-c', 'nordfil.json', '--json');
    expect((JSON.parse(again.stdout) as { files: { status: string }[] }).files.map((f) => f.status)).toEqual([
      'skipped',
    ]);
  });
});

describe('demo', () => {
  it('runs end to end, and a second run imports nothing new', async () => {
    const c = capture(dir);
    const out = createOutput(c.io, { quiet: false });
    const first = await runDemo(out, { dir: 'demo', seed: 2026 });
    expect(first.run).toBe(1);
    expect(first.payments.newPayments).toBe(42);
    expect(first.payments.byStatus.Complete).toBeGreaterThan(25);
    expect(first.payments.byStatus.Error).toBeGreaterThan(0);
    expect(first.payments.byStatus.Credit).toBe(2);
    expect(first.payments.files.map((f) => f.status)).toEqual(['imported', 'imported']);
    // the to-check list: Error, Credit, Ambiguous, Complete with comment Amount
    const toCheck = first.payments.files.flatMap((f) => f.toCheck);
    expect(toCheck.filter((r) => r.status === 'Credit')).toHaveLength(2);
    expect(toCheck.some((r) => r.status === 'Complete' && r.comment === 'Amount')).toBe(true);
    expect(toCheck.some((r) => r.status === 'Error' && r.comment === 'No Match')).toBe(true);
    expect(c.out()).toContain('To check');
    expect(first.spar.exportedNumbers).toBe(24);
    for (const rule of [
      'address_update',
      'update_not_allowed',
      'protected_identity',
      'deceased',
      'new_number',
      'deregistered',
    ]) {
      expect(first.spar.rules[rule]).toBeGreaterThan(0);
    }
    expect(first.spar.newUpdates).toBeGreaterThan(0);
    expect('unavailable' in first.lindorff).toBe(false);
    if (!('unavailable' in first.lindorff)) {
      expect(first.lindorff.sent).toHaveLength(2);
      expect(first.lindorff.newAgencyFiles).toBe(2);
    }
    expect(first.nothingNew).toBe(false);

    const second = await runDemo(out, { dir: 'demo', seed: 2026 });
    expect(second.run).toBe(2);
    expect(second.payments.newPayments).toBe(0);
    expect(second.payments.files.map((f) => f.status)).toEqual(['already imported', 'already imported']);
    expect(c.out().match(/file already imported/g)).toHaveLength(2);
    expect(second.spar.exportedNumbers).toBe(0);
    expect(second.spar.newUpdates).toBe(0);
    expect(second.spar.files.map((f) => f.status)).toEqual(['skipped']);
    if (!('unavailable' in second.lindorff)) {
      expect(second.lindorff.sent).toEqual([]);
      expect(second.lindorff.newAgencyFiles).toBe(0);
    }
    expect(second.nothingNew).toBe(true);
    expect(c.out()).toContain('Run 2: 0 new payments, 0 new SPAR updates, 0 new agency files (all already imported)');

    // through main(), with --reset: a first run again
    const r = await run(dir, '--quiet', 'demo', '--dir', 'demo', '--reset');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Run 1:');
  });
});
