/**
 * `nordfil validate FILE...`: reads each file strictly and lists every issue; exit code 0 when every file is
 * valid, 1 when any has an error (or a warning, with `--warnings-as-errors`). `--json` for machines.
 */
import { resolve } from 'node:path';
import { formatIssue, type Issue } from '@nordfil/core';
import { ExitCode } from '../errors.js';
import { type FileFormat, readAnyFile } from '../formats.js';
import type { Output } from '../output.js';

/**
 * Options of `validate`.
 *
 * @example
 * await validateCommand(out, ['a.txt', 'b.txt'], { json: true });
 */
export interface ValidateOptions {
  readonly json?: boolean;
  readonly warningsAsErrors?: boolean;
}

/**
 * The result of validating one file (the `--json` output is a list of these).
 *
 * @example
 * const r: FileValidation = { file: 'BGMAX.txt', format: 'bgmax', valid: true, errors: 0, warnings: 0, issues: [] };
 */
export interface FileValidation {
  readonly file: string;
  readonly format: FileFormat;
  readonly valid: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly issues: readonly Issue[];
}

/**
 * Runs `validate`.
 *
 * @example
 * const code = await validateCommand(out, ['BGMAX.txt'], {}); // 0 or 1
 */
export async function validateCommand(
  out: Output,
  files: readonly string[],
  options: ValidateOptions = {},
): Promise<number> {
  const results: FileValidation[] = [];
  for (const file of files) {
    const path = resolve(out.io.cwd, file);
    const f = await readAnyFile(out, path);
    const errors = f.issues.filter((i) => i.severity === 'error').length;
    const warnings = f.issues.length - errors;
    const valid = f.format !== 'unknown' && errors === 0 && !(options.warningsAsErrors && warnings > 0);
    results.push({ file, format: f.format, valid, errors, warnings, issues: f.issues });
  }
  const allValid = results.every((r) => r.valid);
  if (options.json) {
    out.line(JSON.stringify({ valid: allValid, files: results }, null, 2));
    return allValid ? ExitCode.ok : ExitCode.failure;
  }
  const { c } = out;
  for (const r of results) {
    const head = r.valid ? c.green('valid') : c.red('invalid');
    out.line(`${r.file}: ${head} (${r.format}; ${r.errors} error(s), ${r.warnings} warning(s))`);
    for (const i of r.issues)
      out.line(`  ${i.severity === 'error' ? c.red(formatIssue(i)) : c.yellow(formatIssue(i))}`);
  }
  return allValid ? ExitCode.ok : ExitCode.failure;
}
