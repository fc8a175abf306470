import { nordfilBuild } from '../../tsup.config.base.js';

export default nordfilBuild({ index: 'src/index.ts' });
