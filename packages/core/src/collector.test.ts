import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ISSUES_PER_CODE, IssueCollector } from './collector.js';
import { type Issue, issue } from './errors.js';

describe('IssueCollector', () => {
  it('keeps at most max issues per code and adds one summary per capped code at the end', () => {
    const c = new IssueCollector('f.txt', 2);
    for (let n = 1; n <= 5; n++) c.report('record_length', `short ${n}`, { severity: 'warning', line: n });
    c.report('other', 'once', { severity: 'warning' });
    expect(c.list.map((i) => i.message)).toEqual(['short 1', 'short 2', 'once']);
    c.finish();
    expect(c.list).toHaveLength(4);
    expect(c.list[3]).toEqual({
      code: 'record_length',
      message: '3 more record_length issues not listed (at most 2 per code are kept)',
      severity: 'warning',
      source: 'f.txt',
      actual: '3',
    });
    c.finish();
    expect(c.list).toHaveLength(4);
  });

  it('says "issue" for one dropped issue and adds no summary when nothing was capped', () => {
    const c = new IssueCollector(undefined, 1);
    c.report('x', 'a', { severity: 'warning' });
    c.report('x', 'b', { severity: 'warning' });
    c.finish();
    expect(c.list.map((i) => i.message)).toEqual(['a', '1 more x issue not listed (at most 1 per code are kept)']);
    expect(c.list[1]).not.toHaveProperty('source');
    const none = new IssueCollector(undefined, 1);
    none.report('y', 'only');
    none.finish();
    expect(none.list).toHaveLength(1);
  });

  it('makes the summary an error when any dropped issue was one, and counts every error once', () => {
    const c = new IssueCollector('f', 1);
    c.report('x', 'kept', { severity: 'warning' });
    c.report('x', 'dropped warning', { severity: 'warning' });
    c.report('x', 'dropped error', { severity: 'error' });
    c.report('x', 'dropped warning again', { severity: 'warning' });
    expect(c.errors).toBe(1);
    expect(c.hasErrors).toBe(true);
    c.finish();
    expect(c.list[1]?.severity).toBe('error');
    expect(c.list[1]?.actual).toBe('3');
    expect(c.errors).toBe(1);

    const w = new IssueCollector('f', 1);
    w.report('x', 'a', { severity: 'warning' });
    w.report('x', 'b', { severity: 'warning' });
    w.finish();
    expect(w.list[1]?.severity).toBe('warning');
    expect(w.hasErrors).toBe(false);
  });

  it('tells onIssue of every kept issue and every summary, in order', () => {
    const seen: Issue[] = [];
    const c = new IssueCollector('f', 1, (i) => seen.push(i));
    c.report('x', 'a');
    c.report('x', 'b');
    c.report('y', 'c', { severity: 'warning' });
    expect(seen.map((i) => i.message)).toEqual(['a', 'c']);
    c.finish();
    expect(seen).toEqual(c.list);
    expect(seen).toHaveLength(3);
  });

  it('report() adds the source; add() keeps an issue as it is', () => {
    const c = new IssueCollector('bank.txt');
    c.report('x', 'm', { severity: 'warning', line: 3 });
    expect(c.list[0]).toEqual({ code: 'x', message: 'm', severity: 'warning', source: 'bank.txt', line: 3 });
    c.add(issue('y', 'n', { source: 'elsewhere' }));
    expect(c.list[1]?.source).toBe('elsewhere');
    const anonymous = new IssueCollector(undefined);
    anonymous.report('z', 'o');
    expect(anonymous.list[0]).not.toHaveProperty('source');
  });

  it('defaults to 1000 per code', () => {
    expect(DEFAULT_MAX_ISSUES_PER_CODE).toBe(1000);
    const c = new IssueCollector(undefined);
    for (let n = 0; n < 1001; n++) c.report('x', 'm', { severity: 'warning' });
    c.finish();
    expect(c.list).toHaveLength(1001);
    expect(c.list[1000]?.actual).toBe('1');
  });
});
