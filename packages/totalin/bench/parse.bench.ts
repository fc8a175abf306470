/**
 * Throughput of the Total-IN reader on a generated file of 1,000,000 payments (with extra references,
 * messages, sender and payer names and addresses, payer accounts, some deductions and foreign payments,
 * as real files have them), against a bare baseline (read, latin-1 decode, split into lines) measured in
 * the same run. Each measurement runs in its own child process so its peak RSS is its own. Files are read
 * with Node's own read size (64 KiB, as the BGMax and OCR giro benchmarks read); the baseline and the stream
 * are also measured with 1 MiB reads, whose chunks wait longer for a collection and so raise the peak RSS of
 * any reader, the baseline's too.
 *
 * Run: npm run bench -- totalin
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Money } from '@nordfil/core';
import {
  createTotalInWriter,
  parseTotalIn,
  parseTotalInAsync,
  readTotalIn,
  type TotalInAccountSection,
  type TotalInHeader,
  type TotalInItem,
} from '@nordfil/totalin';

const PAYMENTS = Number(process.env.TOTALIN_BENCH_PAYMENTS ?? 1_000_000);
const PER_SECTION = 1000;
/** Node's own read size for `createReadStream` (64 KiB), as the BGMax and OCR giro benchmarks read. */
const DEFAULT_CHUNK = 64 * 1024;
/** Large reads, to show what the read size does to memory: the stream's chunks wait for a collection. */
const LARGE_CHUNK = 1024 * 1024;

type Mode = 'baseline' | 'stream' | 'baseline-1mib' | 'stream-1mib' | 'whole' | 'whole-stream';
interface Result {
  mode: Mode;
  bytes: number;
  payments: number;
  ms: number;
  maxRssMB: number;
}

function item(i: number): TotalInItem {
  const deduction = i % 20 === 7;
  const amount = Money.fromMinor(BigInt(10_000 + ((i * 7919) % 5_000_000)), 'SEK');
  const party = (n: number) => ({
    name: `KUND ${n} AB`,
    extraName: n % 5 === 0 ? 'EKONOMIAVDELNINGEN' : undefined,
    street: `STORGATAN ${n % 200}`,
    street2: undefined,
    postalCode: String(10000 + (n % 89999)),
    town: n % 2 === 0 ? 'STOCKHOLM' : 'GÖTEBORG',
    countryCode: undefined,
    lines: {},
  });
  const withSender = i % 2 === 0;
  const senderAddress = i % 10 < 3;
  const foreign = i % 100 === 42 && !deduction;
  return {
    kind: deduction ? 'deduction' : 'payment',
    reference: i % 3 === 0 ? undefined : String(1_000_000_000 + i),
    amount: foreign ? Money.fromMinor(880_000n, 'SEK') : amount,
    serialNumber: String(10_000_000_000_000_000n + BigInt(i)),
    bankgiro: i % 4 === 0 ? '56781234' : undefined,
    deductionCode: deduction ? '0' : undefined,
    extraReferences: i % 10 === 1 ? [{ reference: String(2_000_000_000 + i), secondReference: undefined }] : [],
    messages:
      i % 10 < 7
        ? [{ message: `FAKTURA ${i}`, secondMessage: i % 5 === 0 ? `KUNDNR ${i % 9999}` : '' }]
        : i % 10 < 9
          ? [
              { message: `FAKTURA ${i}`, secondMessage: '' },
              { message: 'TACK FÖR BESTÄLLNINGEN', secondMessage: '' },
            ]
          : [],
    sender: withSender
      ? {
          ...party(i),
          ...(senderAddress ? {} : { street: undefined, postalCode: undefined, town: undefined }),
        }
      : undefined,
    payerAccount:
      i % 10 < 8
        ? { account: String(1_000_000 + (i % 8_999_999)), accountType: '1', organisationNumber: '5560000000' }
        : undefined,
    payer: i % 10 >= 7 ? party(i + 1) : undefined,
    foreign: foreign
      ? {
          bankCost: Money.fromMinor(0n, 'SEK'),
          costCurrency: 'SEK',
          originalAmount: Money.fromMinor(100_000n, 'EUR'),
          originalCurrency: 'EUR',
          exchangeRate: '8.8000',
        }
      : undefined,
  };
}

function generate(path: string): void {
  const header: TotalInHeader = {
    id: 'TI12345678',
    timestamp: '20261123041330123456',
    isoTimestamp: '2026-11-23T04:13:30.123456',
    deliveryNumber: '01',
    fileType: 'TL1',
    fileName: 'TOTALIN',
    test: false,
  };
  const w = createTotalInWriter(header);
  const fd = openSync(path, 'w');
  writeSync(fd, w.start());
  for (let s = 0; s * PER_SECTION < PAYMENTS; s++) {
    const items: TotalInItem[] = [];
    for (let i = s * PER_SECTION; i < Math.min(PAYMENTS, (s + 1) * PER_SECTION); i++) items.push(item(i));
    const section: TotalInAccountSection = {
      account: s % 3 === 0 ? '9690017' : '10181',
      currency: 'SEK',
      bookingDate: '2026-11-23' as TotalInAccountSection['bookingDate'],
      items,
      closing: {
        count: 0,
        total: Money.zero('SEK'),
        statementReference: `20261123${String(s % 1000).padStart(3, '0')}`,
      },
    };
    writeSync(fd, w.section(section));
  }
  writeSync(fd, w.end());
  // on disk before anything is measured (a fresh file being written back slows the first reads)
  fsyncSync(fd);
  closeSync(fd);
}

async function measure(mode: Mode, path: string): Promise<Result> {
  const bytes = statSync(path).size;
  const t0 = performance.now();
  let payments = 0;
  const CHUNK = mode.endsWith('-1mib') ? LARGE_CHUNK : DEFAULT_CHUNK;
  if (mode === 'baseline' || mode === 'baseline-1mib') {
    // bare baseline: read, decode latin-1, split into lines (no parsing)
    let carry = '';
    let _lines = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
      const text = carry + (chunk as Buffer).toString('latin1');
      let pos = 0;
      for (;;) {
        const nl = text.indexOf('\n', pos);
        if (nl === -1) break;
        const line = text.slice(pos, nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
        if (line.charCodeAt(0) === 50 && (line.charCodeAt(1) === 48 || line.charCodeAt(1) === 53)) payments++;
        _lines++;
        pos = nl + 1;
      }
      carry = text.slice(pos);
    }
    if (carry.length > 0) _lines++;
  } else if (mode === 'stream' || mode === 'stream-1mib') {
    for await (const p of readTotalIn(createReadStream(path, { highWaterMark: CHUNK }), { yield: 'payments' })) {
      if (p.amount !== undefined) payments++;
    }
  } else if (mode === 'whole-stream') {
    const file = await parseTotalInAsync(createReadStream(path, { highWaterMark: CHUNK }));
    for (const s of file.accounts) payments += s.items.length;
  } else {
    const file = parseTotalIn(readFileSync(path));
    for (const s of file.accounts) payments += s.items.length;
  }
  const ms = performance.now() - t0;
  return { mode, bytes, payments, ms, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}

async function main(): Promise<void> {
  const [mode, path] = process.argv.slice(2);
  if (mode !== undefined && path !== undefined) {
    process.stdout.write(`${JSON.stringify(await measure(mode as Mode, path))}\n`);
    return;
  }
  const file = process.env.TOTALIN_BENCH_KEEP ?? join(tmpdir(), `nordfil-totalin-bench-${process.pid}.txt`);
  try {
    const g0 = performance.now();
    generate(file);
    const genMs = performance.now() - g0;
    const results: Result[] = [];
    for (const m of ['baseline', 'stream', 'baseline-1mib', 'stream-1mib', 'whole', 'whole-stream'] as Mode[]) {
      const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, m, file], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (r.status !== 0) throw new Error(`${m} failed: ${r.stderr}`);
      results.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Result);
    }
    const result = (m: Mode): Result => results.find((r) => r.mode === m) as Result;
    const base = result('baseline');
    const mbpsOf = (r: Result): number => r.bytes / 1e6 / (r.ms / 1000);
    const rows = results.map((r) => ({
      mode: r.mode,
      'MB/s': Math.round(mbpsOf(r)),
      'payments/s': Math.round(r.payments / (r.ms / 1000)),
      'elapsed s': +(r.ms / 1000).toFixed(2),
      'peak RSS MB': Math.round(r.maxRssMB),
      // each stream against the baseline that reads as it does
      '% of baseline': Math.round(
        (100 * mbpsOf(r)) / mbpsOf(r.mode.endsWith('-1mib') ? result('baseline-1mib') : base),
      ),
    }));
    const row = (m: Mode) => rows.find((r) => r.mode === m) as (typeof rows)[number];
    const stream = row('stream');
    const whole = row('whole');
    const targets = {
      'stream >= 30% of baseline': stream['% of baseline'] >= 30,
      'stream >= 150 MB/s': stream['MB/s'] >= 150,
      'stream peak RSS < 150 MB': stream['peak RSS MB'] < 150,
      'stream with 1 MiB reads: peak RSS < 150 MB': row('stream-1mib')['peak RSS MB'] < 150,
      'whole-file parse < 4 s': whole['elapsed s'] < 4,
      'whole-file parse from a stream < 4 s': row('whole-stream')['elapsed s'] < 4,
    };
    console.log(
      `Total-IN: ${PAYMENTS.toLocaleString('en')} payments, ${(base.bytes / 1e6).toFixed(0)} MB, generated in ${(genMs / 1000).toFixed(1)} s`,
    );
    console.table(rows);
    console.table(targets);
    mkdirSync('.bench', { recursive: true });
    writeFileSync(
      join('.bench', 'totalin.json'),
      `${JSON.stringify({ payments: PAYMENTS, bytes: base.bytes, node: process.version, results: rows, targets }, null, 2)}\n`,
    );
  } finally {
    if (process.env.TOTALIN_BENCH_KEEP === undefined) rmSync(file, { force: true });
  }
}

await main();
