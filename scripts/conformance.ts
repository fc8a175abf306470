/**
 * Conformance run: parses every file in ../shared/bgmax-totalin-samples/ and checks the results against
 * that folder's expected.json (see its README, section "expected.json"). Run with `npm run conformance`.
 *
 * What is asserted, per file:
 * - `valid: true`: strict parsing succeeds (warnings allowed);
 * - `valid: false`: strict parsing fails, and every listed error (its kind mapped to our issue codes, and its
 *   line where one is given) is among the issues a lenient parse reports;
 * - counts (sections, payments, deductions, extra references), per-section totals computed from the items,
 *   and the declared values of the control records (TK15 / 90 amount and count, TK70 / 99), where the file has them.
 * The sample files are read in place and never copied into the project.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBgmax, summarizeSection } from '@nordfil/bgmax';
import { type Issue, NordfilError } from '@nordfil/core';
import { parseTotalIn, sectionSummary } from '@nordfil/totalin';

const here = dirname(fileURLToPath(import.meta.url));
const samples = resolve(process.env.NORDFIL_SAMPLES ?? join(here, '..', '..', 'shared', 'bgmax-totalin-samples'));

interface ExpectedIssue {
  kind: string;
  severity: 'error' | 'warning';
  line: number | null;
  lines?: number[];
  note: string;
}
interface Expected {
  path: string;
  format: 'bgmax' | 'totalin';
  kind: string;
  valid: boolean;
  issues: ExpectedIssue[];
  counts: { sections: number; payments: number; deductions: number; extraReferences: number };
  sectionTotalsOre: string[];
  declared: {
    sections: Array<Record<string, unknown>>;
    end: Record<string, unknown> | null;
  };
}

/** Our issue codes that answer each kind of expected.json (reference 1.14 policy; see packages/bgmax README). */
const CODES: Record<string, string[]> = {
  count_mismatch: ['count_mismatch'],
  control_total_mismatch: ['control_total_mismatch'],
  currency_mismatch: ['currency_mismatch'],
  fragment: ['missing_start', 'missing_end'],
  structure: [
    'section_without_payments',
    'unexpected_record',
    'orphan_record',
    'unclosed_section',
    'missing_start',
    'missing_end',
    'record_order',
  ],
  unknown_record: ['unknown_record', 'invalid_record'],
  field_format: ['field_format', 'unknown_code', 'invalid_amount', 'invalid_digits', 'invalid_date', 'invalid_record'],
};

/** What a parser gives the run, whatever the format. */
interface Observed {
  counts: Expected['counts'];
  totals: string[];
  declared: Array<{ amount?: string; count?: number }>;
  end: Record<string, number | undefined>;
}

function observeBgmax(bytes: Uint8Array, source: string): { observed: Observed; issues: readonly Issue[] } {
  const { file, issues } = parseBgmax(bytes, { source, mode: 'lenient' });
  const counts = { sections: file.sections.length, payments: 0, deductions: 0, extraReferences: 0 };
  const totals: string[] = [];
  const declared: Observed['declared'] = [];
  for (const s of file.sections) {
    const sum = summarizeSection(s);
    counts.payments += sum.payments;
    counts.deductions += sum.deductions;
    counts.extraReferences += sum.extraReferences;
    totals.push(sum.totalMinor.toString());
    const d: { amount?: string; count?: number } = {};
    if (s.deposit?.amount !== undefined) d.amount = s.deposit.amount.toMinor().toString();
    if (s.deposit?.count !== undefined) d.count = s.deposit.count;
    declared.push(d);
  }
  const t = file.trailer;
  const end = {
    payments: t?.payments,
    deductions: t?.deductions,
    extraReferences: t?.extraReferences,
    deposits: t?.deposits,
  };
  return { observed: { counts, totals, declared, end }, issues };
}

function observeTotalIn(bytes: Uint8Array, source: string): { observed: Observed; issues: readonly Issue[] } {
  const { file, issues } = parseTotalIn(bytes, { source, mode: 'lenient' });
  const counts = { sections: file.accounts.length, payments: 0, deductions: 0, extraReferences: 0 };
  const totals: string[] = [];
  const declared: Observed['declared'] = [];
  for (const a of file.accounts) {
    const sum = sectionSummary(a);
    counts.payments += sum.payments;
    counts.deductions += sum.deductions;
    counts.extraReferences += sum.extraReferenceRecords;
    totals.push(sum.total.toMinor().toString());
    const d: { amount?: string; count?: number } = {};
    if (a.closing?.total !== undefined) d.amount = a.closing.total.toMinor().toString();
    if (a.closing?.count !== undefined) d.count = a.closing.count;
    declared.push(d);
  }
  return { observed: { counts, totals, declared, end: { recordCount: file.trailer?.recordCount } }, issues };
}

function declaredOf(e: Expected): {
  sections: Array<{ amount?: string; count?: number }>;
  end: Record<string, unknown>;
} {
  const sections = e.declared.sections.map((s) => {
    const amount = e.format === 'bgmax' ? s.depositAmountOre : s.amountOre;
    const count = e.format === 'bgmax' ? s.paymentCount : s.transactionCount;
    const out: { amount?: string; count?: number } = {};
    if (typeof amount === 'string' && /^\d+$/.test(amount)) out.amount = amount;
    if (typeof count === 'number') out.count = count;
    return out;
  });
  const end: Record<string, unknown> = {};
  if (e.declared.end !== null) {
    for (const [k, v] of Object.entries(e.declared.end)) if (k !== 'line' && typeof v === 'number') end[k] = v;
  }
  return { sections, end };
}

const failures: string[] = [];
let checked = 0;
const manifest = JSON.parse(readFileSync(join(samples, 'expected.json'), 'utf8')) as { files: Expected[] };

for (const e of manifest.files) {
  const bytes = new Uint8Array(readFileSync(join(samples, e.path)));
  const fail = (what: string) => failures.push(`${e.path}: ${what}`);
  const strict = () =>
    e.format === 'bgmax' ? parseBgmax(bytes, { source: e.path }) : parseTotalIn(bytes, { source: e.path });
  checked++;

  // strict mode: valid files parse, invalid ones are refused with a NordfilError
  try {
    strict();
    if (!e.valid) fail('strict parse accepted a file expected.json marks invalid');
  } catch (err) {
    if (!(err instanceof NordfilError)) fail(`strict parse threw something other than NordfilError: ${String(err)}`);
    else if (e.valid)
      fail(
        `strict parse refused a valid file: ${err.issues
          .filter((i) => i.severity === 'error')
          .map((i) => `${i.code}@${i.line}`)
          .join(', ')}`,
      );
  }

  // lenient mode: never throws, reports every expected error
  let result: { observed: Observed; issues: readonly Issue[] };
  try {
    result = e.format === 'bgmax' ? observeBgmax(bytes, e.path) : observeTotalIn(bytes, e.path);
  } catch (err) {
    fail(`lenient parse threw: ${String(err)}`);
    continue;
  }
  const { observed, issues } = result;
  for (const x of e.issues.filter((i) => i.severity === 'error')) {
    const codes = CODES[x.kind] ?? [x.kind];
    const lines = x.line !== null ? [x.line] : (x.lines ?? []);
    const found = issues.some(
      (i) => i.severity === 'error' && codes.includes(i.code) && (lines.length === 0 || lines.includes(i.line ?? -1)),
    );
    if (!found) fail(`expected error ${x.kind} at line ${lines.join('/') || '-'} not reported (${x.note})`);
  }
  // a fragment, a throughput fixture or a structurally broken file has no single right object model
  if (e.kind === 'throughput-only' || e.kind === 'fragment') continue;
  if (e.issues.some((x) => x.kind === 'structure' && x.severity === 'error')) continue;

  if (JSON.stringify(observed.counts) !== JSON.stringify(e.counts))
    fail(`counts ${JSON.stringify(observed.counts)}, expected ${JSON.stringify(e.counts)}`);
  if (JSON.stringify(observed.totals) !== JSON.stringify(e.sectionTotalsOre))
    fail(`section totals ${observed.totals.join(',')}, expected ${e.sectionTotalsOre.join(',')}`);
  const want = declaredOf(e);
  want.sections.forEach((d, i) => {
    const got = observed.declared[i] ?? {};
    if (d.amount !== undefined && got.amount !== d.amount)
      fail(`section ${i + 1} declared amount ${got.amount}, expected ${d.amount}`);
    if (d.count !== undefined && got.count !== d.count)
      fail(`section ${i + 1} declared count ${got.count}, expected ${d.count}`);
  });
  for (const [k, v] of Object.entries(want.end)) {
    if (observed.end[k] !== v) fail(`end record ${k} = ${observed.end[k]}, expected ${String(v)}`);
  }
}

if (failures.length > 0) {
  process.stderr.write(`conformance: ${failures.length} failure(s) in ${checked} files\n${failures.join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(`conformance: ${checked} sample files match expected.json\n`);
