#!/usr/bin/env node
// npm run bench [-- filter]: runs every packages/*/bench/*.bench.ts in its own process (so peak RSS is its own),
// from source, and prints what each reports. Benchmarks measure speed; tests never do.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2] ?? '';
const files = [];
for (const pkg of readdirSync('packages')) {
  const dir = join('packages', pkg, 'bench');
  if (!existsSync(dir)) continue;
  for (const f of readdirSync(dir)) if (f.endsWith('.bench.ts')) files.push(join(dir, f));
}
const selected = files.filter((f) => f.includes(filter)).sort();
if (selected.length === 0) {
  console.error(`no benchmark matches "${filter}"`);
  process.exit(1);
}
let failed = 0;
for (const file of selected) {
  console.log(`\n### ${file}`);
  const r = spawnSync(
    process.execPath,
    ['--conditions=@nordfil/source', '--import', 'tsx', '--expose-gc', '--max-old-space-size=4096', file],
    { stdio: 'inherit' },
  );
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
