import { nordfilBuild } from '../../tsup.config.base.js';

// vitest is an optional peer used only by ./testing: never bundle it
export default nordfilBuild({ index: 'src/index.ts', testing: 'src/testing.ts' }, { external: ['vitest'] });
