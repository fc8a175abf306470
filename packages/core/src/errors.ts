/**
 * The error model: every problem is an {@link Issue} (data, with a stable snake_case code and a location);
 * `parse()` throws one {@link NordfilError} carrying all issues; `safeParse()` returns a {@link SafeResult}.
 */

/** How bad an issue is: `error` makes strict parsing fail, `warning` is reported and tolerated. */
export type Severity = 'error' | 'warning';

/** Where an issue was found. Every field is optional because not every problem has a line or a column. */
export interface IssueLocation {
  /** The source name: a file name, or what the caller passed as `source`. */
  readonly source?: string;
  /** 1-based line (record) number. */
  readonly line?: number;
  /** 1-based column of the first character of the offending field. */
  readonly column?: number;
  /** The record type, e.g. `TK20` or `30`. */
  readonly record?: string;
  /** The field name in the record layout, or a path for structured data (`addresses.0.street`). */
  readonly field?: string;
}

/** One problem found in input or configuration. */
export interface Issue extends IssueLocation {
  /** Stable machine-readable code, e.g. `control_total_mismatch`. */
  readonly code: string;
  /** Human-readable message; quotes the offending text where there is one. */
  readonly message: string;
  readonly severity: Severity;
  /** The offending line as read (decoded), when the issue belongs to one line. */
  readonly text?: string;
  /** What was expected (e.g. a control total), as text. */
  readonly expected?: string;
  /** What was found, as text. */
  readonly actual?: string;
}

/** Builds an issue, leaving out absent optional fields (exactOptionalPropertyTypes-friendly). */
export function issue(code: string, message: string, details: Partial<Omit<Issue, 'code' | 'message'>> = {}): Issue {
  const out: Record<string, unknown> = { code, message, severity: details.severity ?? 'error' };
  for (const [k, v] of Object.entries(details)) if (v !== undefined && k !== 'severity') out[k] = v;
  return out as unknown as Issue;
}

/** Formats an issue's location as `file:line:column [record]`, for messages. */
export function formatLocation(loc: IssueLocation): string {
  let s = loc.source ?? '<input>';
  if (loc.line !== undefined) s += `:${loc.line}`;
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`;
  if (loc.record !== undefined) s += ` [${loc.record}]`;
  if (loc.field !== undefined) s += ` ${loc.field}`;
  return s;
}

/** One line per issue: `source:line:column [record] field: code: message`. */
export function formatIssue(i: Issue): string {
  return `${formatLocation(i)}: ${i.severity === 'warning' ? 'warning ' : ''}${i.code}: ${i.message}`;
}

/**
 * The one error type nordfil throws for bad input or configuration. It carries every issue found,
 * not only the first, so a caller can show all problems at once.
 *
 * @example
 * try { parseBgmax(bytes) } catch (e) { if (e instanceof NordfilError) for (const i of e.issues) console.log(i.code, i.line) }
 */
export class NordfilError extends Error {
  override readonly name = 'NordfilError';
  readonly issues: readonly Issue[];
  /** The code of the first issue, for callers that switch on one. */
  readonly code: string;

  constructor(issues: readonly Issue[] | Issue, message?: string, options?: { cause?: unknown }) {
    const list = Array.isArray(issues) ? (issues as readonly Issue[]) : [issues as Issue];
    const head =
      message ??
      (list.length === 1 ? formatIssue(list[0]!) : `${list.length} issues:\n${list.map(formatIssue).join('\n')}`);
    super(head, options);
    this.issues = list;
    this.code = list[0]?.code ?? 'unknown';
  }

  /** True when `e` is a NordfilError (also across package copies, by name and shape). */
  static is(e: unknown): e is NordfilError {
    return (
      e instanceof NordfilError ||
      (typeof e === 'object' &&
        e !== null &&
        (e as { name?: unknown }).name === 'NordfilError' &&
        Array.isArray((e as { issues?: unknown }).issues))
    );
  }
}

/** A `safeParse`-style result: a success with data, or a failure with the error (and its issues). */
export type SafeResult<T> =
  | { readonly success: true; readonly data: T; readonly warnings: readonly Issue[] }
  | { readonly success: false; readonly error: NordfilError };

/** Runs `fn` and turns a thrown NordfilError into a failed result; other exceptions propagate. */
export function safely<T>(fn: () => T, warningsOf: (data: T) => readonly Issue[] = () => []): SafeResult<T> {
  try {
    const data = fn();
    return { success: true, data, warnings: warningsOf(data) };
  } catch (e) {
    if (NordfilError.is(e)) return { success: false, error: e };
    throw e;
  }
}

/** What a lenient whole-input parse returns: the file (every valid record kept) and every issue found. */
export interface ParseOutcome<T> {
  readonly file: T;
  readonly issues: readonly Issue[];
}

/**
 * Strict mode over a lenient parse: the file, or a NordfilError listing every issue when any is an error.
 *
 * @example
 * const file = strictFile(parseLeniently(bytes)); // throws when the file has errors; warnings are dropped
 */
export function strictFile<T>(outcome: ParseOutcome<T>): T {
  if (outcome.issues.some((i) => i.severity === 'error')) throw new NordfilError(outcome.issues);
  return outcome.file;
}

/**
 * `safeParse` over a lenient parse: a failure with every issue when any is an error (or when `run`
 * throws a NordfilError), else the file with the warnings. Other exceptions propagate.
 *
 * @example
 * const r = safeFile(() => parseLeniently(bytes));
 * if (r.success) use(r.data, r.warnings); else for (const i of r.error.issues) console.log(i.code);
 */
export function safeFile<T>(run: () => ParseOutcome<T>): SafeResult<T> {
  let outcome: ParseOutcome<T>;
  try {
    outcome = run();
  } catch (e) {
    if (NordfilError.is(e)) return { success: false, error: e };
    throw e;
  }
  if (outcome.issues.some((i) => i.severity === 'error')) {
    return { success: false, error: new NordfilError(outcome.issues) };
  }
  return { success: true, data: outcome.file, warnings: outcome.issues };
}

/**
 * Async twin of {@link safeFile}, for a lenient parse that reads a stream.
 *
 * @example
 * const r = await safeFileAsync(() => parseLenientlyFrom(stream));
 * if (!r.success) for (const i of r.error.issues) console.log(i.code);
 */
export async function safeFileAsync<T>(run: () => Promise<ParseOutcome<T>>): Promise<SafeResult<T>> {
  let outcome: ParseOutcome<T>;
  try {
    outcome = await run();
  } catch (e) {
    if (NordfilError.is(e)) return { success: false, error: e };
    throw e;
  }
  return safeFile(() => outcome);
}

/** Async twin of {@link safely}. */
export async function safelyAsync<T>(
  fn: () => Promise<T>,
  warningsOf: (data: T) => readonly Issue[] = () => [],
): Promise<SafeResult<T>> {
  try {
    const data = await fn();
    return { success: true, data, warnings: warningsOf(data) };
  } catch (e) {
    if (NordfilError.is(e)) return { success: false, error: e };
    throw e;
  }
}

/** Parsing mode: `strict` throws on any error issue; `lenient` keeps every valid record and reports the rest. */
export type Strictness = 'strict' | 'lenient';

/** Throws a NordfilError when any issue is an error (strict mode's rule). */
export function throwIfErrors(issues: readonly Issue[]): void {
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) throw new NordfilError(issues);
}

/** Converts zod issues into nordfil issues (configuration checked at the boundary, every problem listed). */
export function fromZodIssues(
  zodIssues: readonly { path: readonly PropertyKey[]; message: string; code?: string }[],
  source?: string,
): Issue[] {
  return zodIssues.map((z) =>
    issue(
      'invalid_config',
      `${z.path.length ? `${z.path.map(String).join('.')}: ` : ''}${z.message}`,
      source === undefined ? { field: z.path.map(String).join('.') } : { source, field: z.path.map(String).join('.') },
    ),
  );
}
