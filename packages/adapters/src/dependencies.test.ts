import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ADAPTER_DEPENDENCIES } from './index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
  exports: Record<string, unknown>;
};
const source = (name: string) => readFileSync(new URL(`./${name}.ts`, import.meta.url), 'utf8');
const imported = (text: string) =>
  new Set(
    [...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)|^import\s+(?!type\b)[^;]*?from\s+'([^']+)'/gm)].map(
      (m) => m[1] ?? m[2],
    ),
  );

describe('ADAPTER_DEPENDENCIES', () => {
  it('has one entry per subpath export', () => {
    const subpaths = Object.keys(pkg.exports)
      .filter((k) => k !== '.' && k !== './package.json')
      .map((k) => k.slice(2));
    expect(Object.keys(ADAPTER_DEPENDENCIES).sort()).toEqual(subpaths.sort());
  });

  it('matches the optional peer dependencies in package.json, each also a dev dependency', () => {
    const declared: Record<string, string> = {};
    for (const deps of Object.values(ADAPTER_DEPENDENCIES)) Object.assign(declared, deps);
    expect(declared).toEqual(pkg.peerDependencies);
    for (const name of Object.keys(declared)) {
      expect(pkg.peerDependenciesMeta[name]?.optional, `${name} is optional`).toBe(true);
      expect(pkg.devDependencies[name], `${name} is a dev dependency`).toBeDefined();
      expect(pkg.dependencies[name], `${name} is not a hard dependency`).toBeUndefined();
    }
  });

  it('matches what each adapter loads, which it loads only with import()', () => {
    const peers = new Set(Object.keys(pkg.peerDependencies));
    for (const [adapter, deps] of Object.entries(ADAPTER_DEPENDENCIES)) {
      const text = source(adapter);
      const dynamic = new Set([...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]));
      expect([...dynamic].sort(), adapter).toEqual(Object.keys(deps).sort());
      for (const spec of imported(text)) {
        if (spec !== undefined && !dynamic.has(spec))
          expect(peers.has(spec), `${adapter} imports ${spec} eagerly`).toBe(false);
      }
    }
    for (const file of ['index', '_shared']) {
      for (const spec of imported(source(file))) expect(peers.has(spec ?? ''), `${file} imports ${spec}`).toBe(false);
    }
  });
});
