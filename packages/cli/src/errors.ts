/**
 * The CLI's errors and exit codes: 0 success, 1 a failure or invalid input, 2 a usage error (a bad option, a
 * missing argument, an unreadable configuration file name). An error is printed as one line (plus one line per
 * issue it carries), never as a stack trace unless `--debug`.
 */
import { formatIssue, type Issue, NordfilError } from '@nordfil/core';

/** Exit codes. */
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2,
} as const;

/**
 * An error meant for the user: a message, an exit code and optionally the issues behind it.
 *
 * @example
 * throw new CliError('not_available', 'nordfil reconcile needs @nordfil/matching, which is not available yet');
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: string,
    message: string,
    readonly exitCode: number = ExitCode.failure,
    readonly issues: readonly Issue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A usage error (exit code 2).
 *
 * @example
 * throw usageError('--tolerance must be a decimal amount, e.g. 5.00');
 */
export function usageError(message: string): CliError {
  return new CliError('usage', message, ExitCode.usage);
}

/**
 * Loads an optional nordfil package; a package that is not installed (or not finished) becomes a clear
 * `not_available` error instead of a stack trace.
 *
 * @example
 * const bgmax = await loadPackage('@nordfil/bgmax', () => import('@nordfil/bgmax'), 'inspect');
 */
export async function loadPackage<T>(name: string, load: () => Promise<T>, feature: string): Promise<T> {
  try {
    return await load();
  } catch (e) {
    throw new CliError(
      'not_available',
      `${feature} needs ${name}, which is not available yet (${firstLine(e)})`,
      1,
      [],
      {
        cause: e,
      },
    );
  }
}

function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n')[0] ?? m;
}

/**
 * The lines that describe an error for the user: the message's first line, then one line per issue (at most
 * `maxIssues`, then a count of the rest).
 *
 * @example
 * describeError(new NordfilError([...])); // ['config.json: 3 issues', '  config.json spar.customerNumber: invalid_config: …', …]
 */
export function describeError(e: unknown, maxIssues = 50): string[] {
  const issues: readonly Issue[] = e instanceof CliError ? e.issues : NordfilError.is(e) ? e.issues : [];
  let head: string;
  if (e instanceof CliError) head = e.message;
  else if (NordfilError.is(e)) {
    head = issues.length === 1 && issues[0] !== undefined ? formatIssue(issues[0]) : `${issues.length} issues`;
  } else if (e instanceof Error) head = `${e.name === 'Error' ? 'error' : e.name}: ${firstLine(e)}`;
  else head = `error: ${String(e)}`;
  const lines = [head.split('\n')[0] ?? head];
  if (NordfilError.is(e) && issues.length === 1) return lines;
  for (const i of issues.slice(0, maxIssues)) lines.push(`  ${formatIssue(i)}`);
  if (issues.length > maxIssues) lines.push(`  … and ${issues.length - maxIssues} more`);
  return lines;
}

/**
 * The exit code for an error: a CliError's own, 1 for anything else.
 *
 * @example
 * exitCodeOf(usageError('x')); // 2
 */
export function exitCodeOf(e: unknown): number {
  return e instanceof CliError ? e.exitCode : ExitCode.failure;
}
