import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProjectInlineConfiguration } from 'vitest/config';

/**
 * One test project per workspace package (packages/*, examples/*), named after the package.
 * vitest.config.ts hands this list to `test.projects`, so it keeps working after vitest drops workspace files.
 */
function projectsIn(dir: string): TestProjectInlineConfiguration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => {
      const root = join(dir, d.name);
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string };
      return { extends: true, test: { name: pkg.name, root, include: ['{src,test}/**/*.test.ts'] } };
    });
}

export default [...projectsIn('packages'), ...projectsIn('examples')];
