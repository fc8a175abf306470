#!/usr/bin/env node
/**
 * The `nordfil` executable: runs {@link main} with the process's streams and sets the exit code.
 * @packageDocumentation
 */
import { main } from './main.js';

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // main() never rejects; this is the last line of defence
    process.stderr.write(`nordfil: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
