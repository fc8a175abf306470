import { defineConfig, type Options } from 'tsup';

/**
 * The one build preset: ESM + CommonJS + declarations for each entry.
 * A package's tsup.config.ts is one line that calls this with its entries.
 */
export function nordfilBuild(entry: Record<string, string> = { index: 'src/index.ts' }, extra: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    platform: 'node',
    splitting: false,
    treeshake: true,
    outDir: 'dist',
    ...extra,
  });
}
