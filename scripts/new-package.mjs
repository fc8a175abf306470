#!/usr/bin/env node
// scaffolds packages/<name> with the workspace conventions: node scripts/new-package.mjs <name> "<description>" [subpath ...]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [name, description = '', ...subpaths] = process.argv.slice(2);
if (!name) {
  console.error('usage: new-package.mjs <name> "<description>" [subpath ...]');
  process.exit(2);
}
const dir = join('packages', name);
if (existsSync(join(dir, 'package.json'))) {
  console.error(`${dir} exists`);
  process.exit(1);
}
mkdirSync(join(dir, 'src'), { recursive: true });
const entry = (file) => ({
  '@nordfil/source': `./src/${file}.ts`,
  import: { types: `./dist/${file}.d.ts`, default: `./dist/${file}.js` },
  require: { types: `./dist/${file}.d.cts`, default: `./dist/${file}.cjs` },
});
const exportsMap = { '.': entry('index') };
const entries = { index: 'src/index.ts' };
for (const s of subpaths) {
  exportsMap[`./${s}`] = entry(s);
  entries[s] = `src/${s}.ts`;
}
exportsMap['./package.json'] = './package.json';
const pkg = {
  name: `@nordfil/${name}`,
  version: '0.0.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20' },
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.cts',
  exports: exportsMap,
  files: ['dist', 'src', '!src/**/*.test.ts'],
  scripts: { build: 'tsup' },
  publishConfig: { access: 'public' },
  repository: { type: 'git', url: 'git+https://github.com/nordfil/nordfil.git', directory: `packages/${name}` },
  keywords: ['nordfil'],
  dependencies: {},
};
writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  join(dir, 'tsup.config.ts'),
  `import { nordfilBuild } from '../../tsup.config.base.js';\n\nexport default nordfilBuild(${JSON.stringify(entries)});\n`,
);
writeFileSync(join(dir, 'README.md'), `# @nordfil/${name}\n\n${description}\n`);
if (!existsSync(join(dir, 'src/index.ts'))) writeFileSync(join(dir, 'src/index.ts'), 'export {};\n');
console.log(`created ${dir}`);
