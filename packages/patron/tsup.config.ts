import { nordfilBuild } from '../../tsup.config.base';

export default nordfilBuild({"index":"src/index.ts"});
