import { nordfilBuild } from '../../tsup.config.base.js';

export default nordfilBuild({
  index: 'src/index.ts',
  fs: 'src/fs.ts',
  sftp: 'src/sftp.ts',
  ftp: 'src/ftp.ts',
  'spar-https': 'src/spar-https.ts',
  postgres: 'src/postgres.ts',
});
