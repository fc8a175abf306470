#!/usr/bin/env node
// npm run bench [-- filter]: bundles every packages/*/bench/*.bench.ts with esbuild (from source, through the
// `@nordfil/source` condition) and runs each bundle with plain node, so the figures measure compiled code without
// a TypeScript loader's time and memory. Each benchmark spawns its own children per measurement, so every peak
// RSS is its own. Benchmarks measure speed; tests never do.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

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
const outDir = resolve('.bench', 'build');
mkdirSync(outDir, { recursive: true });
let failed = 0;
for (const file of selected) {
  const pkg = file.split(/[\\/]/)[1];
  const out = join(outDir, `${pkg}-${basename(file, '.ts')}.mjs`);
  await build({
    entryPoints: [file],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['@nordfil/source'],
    sourcemap: 'linked',
    logLevel: 'warning',
    // CommonJS dependencies bundled into ESM need a require
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  console.log(`\n### ${file}`);
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', out, ...process.argv.slice(3)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
