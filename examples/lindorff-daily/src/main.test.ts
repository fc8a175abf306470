import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from './main.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('lindorff-daily', () => {
  it('sends the cases, imports the agency’s answers once, and reports the direct payment', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lindorff-daily-test-'));
    const r = await run({ dir });
    expect(r.ok).toBe(true);
    // LS at 06:00 (Oslo time in the name), RD at 08:00
    expect(r.sent).toEqual(['LS1234520261123060000', 'RD1234520261123080000']);
    expect(r.received).toEqual([
      { name: 'Avsl_K12345_20261123070100', outcome: 'imported', records: 2 },
      { name: 'Kvitt_K12345_20261123070000', outcome: 'imported', records: 4 },
    ]);
    expect(r.cases).toEqual({ acknowledged: 1, paid: 1, partly_paid: 1, rejected: 1 });
    expect(r.agencyRefs).toMatchObject({ '90001': 'L-770', '90002': 'L-771', '90003': 'L-772' });
    expect(r.rerun).toEqual({ sent: 0, imported: 0 });

    // what actually went over the wire: our ERP-COLL files in the agency's upload folder
    const uploaded = (await readdir(join(dir, 'agency', 'inn'))).sort();
    expect(uploaded).toEqual(['LS1234520261123060000', 'RD1234520261123080000']);
    const ls = await readFile(join(dir, 'agency', 'inn', 'LS1234520261123060000'), 'latin1');
    expect(ls.split(/\r?\n/)[0]).toMatch(/^H;ERP-COLL;1;LS;12345;923609016;/);
    expect(ls).toContain('Kari Nordmann');
    const rd = await readFile(join(dir, 'agency', 'inn', 'RD1234520261123080000'), 'latin1');
    expect(rd).toMatch(/^D;.*;90001;.*PAY;-30000;NOK;/m); // 300.00 kr paid directly, a reduction
  });

  it('cleans up its temporary folder when none is given', async () => {
    const r = await run();
    expect(r.sent).toHaveLength(2);
  });
});
