/**
 * Matching at scale: N payments against N open invoices, for N doubling from 250,000 to 2,000,000, each run in its
 * own child process so that its peak RSS is its own. Data is generated deterministically (seeded PRNG); the timed
 * part is building the invoice index plus deciding every payment (`decideBatch`); reading every decision's
 * allocations afterwards (the common decisions make theirs on first access) is timed apart, and the peak RSS
 * is taken after it. Each size runs three times, in
 * rounds (every size once per round, so that a change in the machine's load falls on all sizes alike), and the
 * median is reported; beside it, the garbage collectors' pauses inside the timed part and t(2N)/t(N) for every
 * doubling. Children run with `--max-semi-space-size=64`. Writes .bench/matching.json (wall and CPU time, the
 * CPU time split into user and system with the page faults of the timed part, peak RSS, a calibration loop).
 *
 * Run: npm run bench -- matching
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { createOcr, type IsoDate, Money, type Payment } from '@nordfil/core';
import { buildInvoiceIndex, decideBatch, type Invoice, ledgerAccounts, matchingConfig } from '@nordfil/matching';
import { mulberry32 } from '../../../scripts/random.js';
import { medianOfRounds } from '../../../scripts/rounds.js';

const SIZES = [250_000, 500_000, 1_000_000, 2_000_000];
/** The size the target is for. */
const TARGET_SIZE = 1_000_000;
/** Runs per size; the median is reported. */
const RUNS = 3;

function generate(n: number): { invoices: Invoice[]; payments: Payment[] } {
  const rnd = mulberry32(20261123);
  const invoices: Invoice[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const minor = 10_000 + Math.floor(rnd() * 5_000_000);
    invoices[i] = {
      id: `inv-${i}`,
      invoiceNumber: String(1_000_000 + i),
      ocr: createOcr(String(1_000_000 + i), { lengthDigit: true }),
      customer: `C${i % 5000}`,
      company: 'AB',
      openAmount: Money.fromMinor(BigInt(minor), 'SEK'),
    };
  }
  // payments pay a random permutation of the invoices
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  const account = { kind: 'bankgiro', number: '9912346' } as const;
  const unknown = { kind: 'bankgiro', number: '1111111' } as const;
  const payer = {};
  const none: readonly never[] = [];
  const date = '2026-11-23' as IsoDate;
  const payments: Payment[] = new Array(n);
  for (let k = 0; k < n; k++) {
    const inv = invoices[order[k] as number] as Invoice;
    const r = rnd();
    let minor = inv.openAmount.toMinor();
    let reference: string = inv.ocr as string;
    let kind: Payment['kind'] = 'payment';
    let receivingAccount: Payment['receivingAccount'] = account;
    if (r < 0.04)
      minor += BigInt(Math.floor(rnd() * 2000) - 1000); // within ±10 kr
    else if (r < 0.06)
      minor -= 50_000n; // 500 kr short: outside
    else if (r < 0.07)
      reference = `${reference.slice(0, -2)}${reference.at(-1)}${reference.at(-2)}`; // swapped digits
    else if (r < 0.08)
      reference = inv.invoiceNumber; // invoice number instead of OCR
    else if (r < 0.09) {
      kind = 'deduction';
      minor = -minor;
    } else if (r < 0.1) receivingAccount = unknown;
    payments[k] = {
      id: `BGMAX-bench#${k + 1}`,
      format: 'bgmax',
      kind,
      transactionCode: kind === 'deduction' ? '21' : '20',
      receivingAccount,
      amount: Money.fromMinor(minor, 'SEK'),
      currency: 'SEK',
      date,
      reference,
      referenceKind: 'ocr',
      referenceCode: '2',
      extraReferences: none,
      payer,
      messages: none,
      source: { file: 'BGMAX-bench.txt', line: k + 1, section: 1 },
    };
  }
  return { invoices, payments };
}

async function child(n: number): Promise<void> {
  const { invoices, payments } = generate(n);
  // garbage collections (their pauses) inside the timed part, reported beside the time
  const pauses: { start: number; duration: number }[] = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push({ start: e.startTime, duration: e.duration });
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const ledger = ledgerAccounts([{ number: '9912346', ledgerAccount: '1930', company: 'AB', currency: 'SEK' }]);
  const config = matchingConfig({ tolerance: { absolute: '10' } });
  globalThis.gc?.();
  const c0 = process.cpuUsage();
  const faults0 = process.resourceUsage().minorPageFault;
  const t0 = performance.now();
  const index = buildInvoiceIndex(invoices);
  const t1 = performance.now();
  const decisions = decideBatch(payments, { invoices: index, ledger, config });
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  // outside the target: reading every decision's allocations afterwards, as a host registering the payments
  // does (the common decisions make theirs on first access)
  const r0 = performance.now();
  let allocated = 0;
  for (const d of decisions) allocated += d.allocations.length;
  const readMs = Math.round(performance.now() - r0) + (allocated < 0 ? 1 : 0);
  const byStatus: Record<string, number> = {};
  for (const d of decisions) byStatus[`${d.status}/${d.comment}`] = (byStatus[`${d.status}/${d.comment}`] ?? 0) + 1;
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  await new Promise((resolve) => setTimeout(resolve, 50));
  gcObserver.disconnect();
  const gcIn = (a: number, b: number): number =>
    Math.round(pauses.filter((g) => g.start >= a && g.start < b).reduce((sum, g) => sum + g.duration, 0));
  // machine calibration: a fixed loop (1M Map lookups + small allocations), to read the figures on a busy machine
  const keys = Array.from({ length: 1_000_000 }, (_, i) => String(100_000_000 + ((i * 7919) % 1_000_000)));
  const map = new Map(keys.map((k, i) => [k, i]));
  const k0 = performance.now();
  let sink = 0;
  for (let i = 0; i < keys.length; i++) sink += [map.get(keys[i] as string) as number][0] as number;
  const calibrationMs = Math.round(performance.now() - k0) + (sink < 0 ? 1 : 0);
  process.stdout.write(
    `${JSON.stringify({ n, indexMs: Math.round(t1 - t0), decideMs: Math.round(t2 - t1), indexGcMs: gcIn(t0, t1), decideGcMs: gcIn(t1, t2), totalMs: Math.round(t2 - t0), readMs, cpuMs: Math.round((cpu.user + cpu.system) / 1000), userMs: Math.round(cpu.user / 1000), systemMs: Math.round(cpu.system / 1000), minorFaults: process.resourceUsage().minorPageFault - faults0, peakRssMb: rssMb, calibrationMs, byStatus })}\n`,
  );
}

interface Result {
  n: number;
  indexMs: number;
  indexGcMs: number;
  decideMs: number;
  decideGcMs: number;
  totalMs: number;
  readMs: number;
  cpuMs: number;
  /** CPU time in user space, and in the kernel (mostly the page faults of fresh memory), and those faults. */
  userMs: number;
  systemMs: number;
  minorFaults: number;
  peakRssMb: number;
  calibrationMs: number;
  byStatus: Record<string, number>;
}

function runOnce(n: number): Result {
  // a larger young generation: the decisions of a batch all survive, so fewer scavenges copy them fewer times
  const flags = [...process.execArgv, '--max-semi-space-size=64'];
  const r = spawnSync(process.execPath, [...flags, process.argv[1] as string], {
    env: { ...process.env, MATCH_BENCH_N: String(n) },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(1);
  }
  return JSON.parse(r.stdout.trim().split('\n').at(-1) as string) as Result;
}

function main(): void {
  const results = medianOfRounds(SIZES, RUNS, runOnce, (r) => r.totalMs).map(({ median, times }) => ({
    ...median,
    allTotalMs: times,
  }));
  for (const line of results) {
    console.log(
      `n=${line.n.toLocaleString('en')}: index ${line.indexMs} ms (GC ${line.indexGcMs}) + decide ${line.decideMs} ms (GC ${line.decideGcMs}) = ${line.totalMs} ms (CPU ${line.cpuMs} ms: user ${line.userMs}, system ${line.systemMs}, ${line.minorFaults.toLocaleString('en')} page faults; runs ${line.allTotalMs.join(', ')} ms), ${((line.totalMs * 1000) / line.n).toFixed(2)} µs a payment, peak RSS ${line.peakRssMb} MB; then reading every allocation ${line.readMs} ms; calibration loop ${line.calibrationMs} ms`,
    );
    console.log(`  outcomes: ${JSON.stringify(line.byStatus)}`);
  }
  const doublings = results.slice(1).map((b, i) => {
    const a = results[i]!;
    return {
      from: a.n,
      to: b.n,
      ratio: b.totalMs / a.totalMs,
      cpuRatio: b.cpuMs / a.cpuMs,
      userRatio: b.userMs / a.userMs,
    };
  });
  for (const d of doublings) {
    console.log(
      `t(${d.to.toLocaleString('en')})/t(${d.from.toLocaleString('en')}) = ${d.ratio.toFixed(2)} wall, ${d.cpuRatio.toFixed(2)} CPU, ${d.userRatio.toFixed(2)} user CPU (linear ≈ 2)`,
    );
  }
  const at = results.find((x) => x.n === TARGET_SIZE)!;
  const target = { maxMs: 3000, maxRssMb: 1536 };
  const ok = at.totalMs < target.maxMs && at.peakRssMb < target.maxRssMb;
  console.log(`1M target (< ${target.maxMs} ms, < ${target.maxRssMb} MB, median of ${RUNS}): ${ok ? 'met' : 'MISSED'}`);
  mkdirSync('.bench', { recursive: true });
  writeFileSync(
    '.bench/matching.json',
    `${JSON.stringify({ benchmark: 'matching', node: process.version, runs: RUNS, results, doublings, target, targetMet: ok }, null, 2)}\n`,
  );
}

const n = Number(process.env.MATCH_BENCH_N ?? 0);
if (n > 0) await child(n);
else main();
