/**
 * The issue collector the parsers share: it caps the issues kept per code (a file of a million short
 * lines would otherwise hold a million `record_length` warnings, and streaming must stay in constant
 * memory) and adds one summary issue per capped code at the end.
 */
import { type Issue, issue } from './errors.js';

/** Default cap on the issues kept per code; the rest are counted in one summary issue. */
export const DEFAULT_MAX_ISSUES_PER_CODE = 1000;

/**
 * Collects issues, counts errors and caps repeats: at most `max` issues of one code are kept (and told
 * to `onIssue`); the rest are counted, and {@link IssueCollector.finish} adds one summary issue per
 * capped code, an error when any dropped issue was one. `errors` counts every error added, kept or not.
 *
 * @example
 * const issues = new IssueCollector('bgmax.txt', 2, (i) => console.log(i.message));
 * for (let n = 1; n <= 5; n++) issues.report('record_length', `line ${n} is short`, { severity: 'warning', line: n });
 * issues.finish();
 * issues.list.length; // 3: two kept, then '3 more record_length issues not listed (at most 2 per code are kept)'
 * issues.errors;      // 0
 */
export class IssueCollector {
  /** The kept issues, in order, then the summaries added by {@link IssueCollector.finish}. */
  readonly list: Issue[] = [];
  /** How many errors were added (kept or dropped; summaries are not counted). */
  errors = 0;
  private readonly perCode = new Map<string, number>();
  private readonly dropped = new Map<string, { count: number; severity: Issue['severity'] }>();

  /**
   * @param source The input's name, added to every issue {@link IssueCollector.report} builds and to the summaries.
   * @param max The most issues kept per code (default {@link DEFAULT_MAX_ISSUES_PER_CODE}).
   * @param onIssue Told of every issue kept and every summary, as it is added.
   */
  constructor(
    readonly source: string | undefined,
    private readonly max: number = DEFAULT_MAX_ISSUES_PER_CODE,
    private readonly onIssue?: (i: Issue) => void,
  ) {}

  /** Adds an issue as it is (its `source` untouched), or counts it when its code is capped. */
  add(i: Issue): void {
    if (i.severity === 'error') this.errors++;
    const n = (this.perCode.get(i.code) ?? 0) + 1;
    this.perCode.set(i.code, n);
    if (n > this.max) {
      const d = this.dropped.get(i.code);
      if (d === undefined) this.dropped.set(i.code, { count: 1, severity: i.severity });
      else {
        d.count++;
        if (i.severity === 'error') d.severity = 'error';
      }
      return;
    }
    this.list.push(i);
    this.onIssue?.(i);
  }

  /** Builds and adds an issue with this collector's source. */
  report(code: string, message: string, details: Partial<Omit<Issue, 'code' | 'message' | 'source'>> = {}): void {
    this.add(issue(code, message, this.source === undefined ? details : { source: this.source, ...details }));
  }

  /** Adds the summary issues for capped codes (call once, at the end; a second call adds nothing). */
  finish(): void {
    for (const [code, d] of this.dropped) {
      const summary = issue(
        code,
        `${d.count} more ${code} issue${d.count === 1 ? '' : 's'} not listed (at most ${this.max} per code are kept)`,
        {
          severity: d.severity,
          ...(this.source === undefined ? {} : { source: this.source }),
          actual: String(d.count),
        },
      );
      this.list.push(summary);
      this.onIssue?.(summary);
    }
    this.dropped.clear();
  }

  /** Whether any error was added. */
  get hasErrors(): boolean {
    return this.errors > 0;
  }
}
