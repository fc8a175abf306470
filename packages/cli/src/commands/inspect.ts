/**
 * `nordfil inspect FILE`: detects the format and prints a readable summary (facts, sections, counts, totals and
 * every issue with its line number); `--json` prints the parsed objects.
 */
import { resolve } from 'node:path';
import { formatIssue } from '@nordfil/core';
import { ExitCode } from '../errors.js';
import { FORMAT_NAMES, readAnyFile, toJson } from '../formats.js';
import { type Output, table } from '../output.js';

/**
 * Options of `inspect`.
 *
 * @example
 * await inspectCommand(out, 'BGMAX.txt', { json: true });
 */
export interface InspectOptions {
  readonly json?: boolean;
  readonly strict?: boolean;
}

/**
 * Runs `inspect`; exit code 0 when the file was read (even with issues, which are listed), 1 when its format is
 * unknown or it could not be read at all.
 *
 * @example
 * const code = await inspectCommand(out, 'avi.xml', {});
 */
export async function inspectCommand(out: Output, file: string, options: InspectOptions = {}): Promise<number> {
  const path = resolve(out.io.cwd, file);
  const f = await readAnyFile(out, path, options.strict ? { strict: true } : {});
  const ok = f.format !== 'unknown' && f.data !== undefined;
  if (options.json) {
    out.line(toJson({ file, format: f.format, issues: f.issues, data: f.data ?? null }));
    return ok ? ExitCode.ok : ExitCode.failure;
  }
  const { c } = out;
  out.line(`${c.bold(file)}: ${FORMAT_NAMES[f.format]}`);
  for (const [k, v] of f.facts) out.line(`  ${k.padEnd(20)} ${v}`);
  for (const t of f.tables) {
    out.line();
    out.line(`  ${c.bold(t.title)}`);
    out.line(table(t.rows, '    '));
  }
  const errors = f.issues.filter((i) => i.severity === 'error').length;
  const warnings = f.issues.length - errors;
  out.line();
  out.line(
    f.issues.length === 0
      ? `  ${c.green('no issues')}`
      : `  ${errors > 0 ? c.red(`${errors} error(s)`) : '0 errors'}, ${warnings > 0 ? c.yellow(`${warnings} warning(s)`) : '0 warnings'}`,
  );
  for (const i of f.issues)
    out.line(`    ${i.severity === 'error' ? c.red(formatIssue(i)) : c.yellow(formatIssue(i))}`);
  return ok ? ExitCode.ok : ExitCode.failure;
}
