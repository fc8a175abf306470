/**
 * @nordfil/cli: the `nordfil` command as a library: {@link main} runs it with injected streams (for tests and
 * embedding), the configuration schema, and the demo.
 * @packageDocumentation
 */
export { type StorageBorrowerRepository, storageBorrowerRepository } from './borrowers.js';
export {
  type AdapterConfig,
  type Config,
  ConfigSchema,
  checkConfig,
  type LoadedConfig,
  loadConfig,
  openPorts,
  type Ports,
} from './config.js';
export { CliError, ExitCode } from './errors.js';
export { main, VERSION } from './main.js';
export type { CliIo, OutputStream } from './output.js';
