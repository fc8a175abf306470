#!/usr/bin/env node
// publint and arethetypeswrong on every published package (run after `npm run build`)
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dirs = readdirSync('packages', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join('packages', d.name, 'package.json')))
  .map((d) => join('packages', d.name))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

let failed = 0;
for (const dir of dirs) {
  for (const [cmd, args] of [
    ['publint', ['--strict', dir]],
    ['attw', ['--pack', dir, '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    try {
      execFileSync('npx', ['--no-install', cmd, ...args], { stdio: 'inherit' });
    } catch {
      failed++;
      process.stderr.write(`FAILED: ${cmd} ${dir}\n`);
    }
  }
}
if (failed > 0) {
  process.stderr.write(`${failed} package check(s) failed\n`);
  process.exit(1);
}
process.stdout.write(`publint and attw passed on ${dirs.length} package(s)\n`);
