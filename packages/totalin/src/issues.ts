/**
 * Internal: the issue collector shared by the record reader, the object assembler and the parsers.
 * It caps the issues kept per code (a file of a million short lines would otherwise hold a million
 * `record_length` warnings, and streaming must stay in constant memory) and adds one summary issue per
 * capped code at the end.
 */
import { type Issue, issue } from '@nordfil/core';

/** Default cap on the issues kept per code; the rest are counted in one summary issue. */
export const DEFAULT_MAX_ISSUES_PER_CODE = 1000;

/** Collects issues, counts errors, caps repeats. @internal */
export class IssueCollector {
  readonly list: Issue[] = [];
  errors = 0;
  private readonly perCode = new Map<string, number>();
  private readonly dropped = new Map<string, { count: number; severity: Issue['severity'] }>();

  constructor(
    readonly source: string | undefined,
    private readonly max: number = DEFAULT_MAX_ISSUES_PER_CODE,
    private readonly onIssue?: (i: Issue) => void,
  ) {}

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

  /** Adds the summary issues for capped codes (call once, at the end). */
  finish(): void {
    for (const [code, d] of this.dropped) {
      this.report(
        code,
        `${d.count} more ${code} issue${d.count === 1 ? '' : 's'} not listed (at most ${this.max} per code are kept)`,
        { severity: d.severity, actual: String(d.count) },
      );
      // report() counted it again: the summary is not a new problem
      if (d.severity === 'error') this.errors--;
    }
    this.dropped.clear();
  }
}
