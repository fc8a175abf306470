import { defineConfig } from 'vitest/config';
import projects from './vitest.workspace.js';

export default defineConfig({
  resolve: {
    // run every package from source: tests import `@nordfil/x` by its public name, no build needed
    conditions: ['@nordfil/source', 'node'],
  },
  ssr: { resolve: { conditions: ['@nordfil/source', 'node'] } },
  test: {
    projects,
    setupFiles: [new URL('./scripts/vitest-setup.ts', import.meta.url).pathname],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
