/**
 * OCR giro parse benchmark: 1,000,000 payments (transactions) written with the package's own writer,
 * then read three ways, each in its own child process so that each peak RSS is its own:
 * - baseline: fs.createReadStream, latin-1 decode each chunk, split into lines (no parsing);
 * - stream:   readOcrGiro(createReadStream(file), { yield: 'payments' });
 * - whole:    parseOcrGiro(readFileSync(file)) (then toPayments, timed separately).
 *
 * Run: npm run bench -- ocrgiro   (or node --conditions=@nordfil/source --import tsx --expose-gc bench/parse.bench.ts)
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  createReadStream,
  createWriteStream,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type IsoDate, luhnCheckDigit, Money } from '@nordfil/core';
import {
  type Assignment,
  type OcrGiroTransaction,
  type OcrGiroTransactionType,
  parseOcrGiro,
  parseOcrGiroAsync,
  readOcrGiro,
  toPayments,
  writeOcrGiroChunks,
} from '@nordfil/ocrgiro';

const PAYMENTS = Number(process.env.OCRGIRO_BENCH_PAYMENTS ?? 1_000_000);
const PER_ASSIGNMENT = 10_000;

interface Result {
  mode: string;
  seconds: number;
  mb: number;
  payments: number;
  peakRssMb: number;
  extra?: Record<string, number>;
}

const TYPES: OcrGiroTransactionType[] = ['10', '10', '10', '11', '12', '13', '13', '14', '15', '15', '16', '17'];
const TERMINAL: OcrGiroTransactionType[] = ['18', '19', '19', '20', '21', '21'];
const TEXTS = ['Kjøp i nettbutikk', 'Retur av vare, ordre 4711', 'Billetter Øya festival', 'Abonnement mars'];

function date(day: number): IsoDate {
  return `2025-03-${String(1 + (day % 28)).padStart(2, '0')}` as IsoDate;
}

/** Assignments of realistic transactions: 15-digit MOD10 KIDs (Quick3's default), some terminal payments with free text. */
function* assignments(total: number): Generator<Assignment> {
  let made = 0;
  for (let a = 0; made < total; a++) {
    const n = Math.min(PER_ASSIGNMENT, total - made);
    const txs: OcrGiroTransaction[] = [];
    const day = a % 28;
    for (let i = 0; i < n; i++) {
      const k = made + i;
      const terminal = k % 10 === 9; // 10 % from terminals and internet (types 18-21)
      const type = terminal ? TERMINAL[k % TERMINAL.length]! : TYPES[k % TYPES.length]!;
      const withText = type === '20' || type === '21';
      const base = `${String(1000000 + (k % 8999999)).padStart(7, '0')}${String(k % 9999999).padStart(7, '0')}`;
      const minor = BigInt(100 + ((k * 7919) % 2_500_000));
      txs.push({
        kind: 'ocr-giro',
        serviceCode: '09',
        type,
        number: i + 1,
        netsDate: date(day),
        centreId: '01',
        dayCode: 1 + (day % 28),
        partialSettlementNumber: terminal ? 0 : 1,
        partialSettlementSerialNumber: String(1 + (i % 500)).padStart(5, '0'),
        sign: '0',
        amount: Money.fromMinor(minor, 'NOK'),
        kid: withText ? undefined : base + String(luhnCheckDigit(base)),
        cardIssuer: terminal ? '04' : undefined,
        formNumber: type === '10' ? String(9636827194 + (k % 1000)) : '0000000000',
        archiveReference: String(100000000 + (k % 899999999)),
        filler31: '0000000',
        bankDate: terminal ? undefined : date(day),
        debitAccount: terminal ? '00000000000' : '98765432103',
        freeText: withText ? TEXTS[k % TEXTS.length] : undefined,
        line: 0,
        reserved: undefined,
      });
    }
    made += n;
    yield {
      serviceCode: '09',
      assignmentType: '00',
      agreementId: String(100000000 + a),
      assignmentNumber: String(a + 1).padStart(7, '0'),
      account: '12345678903',
      transactions: txs,
      end: undefined,
      line: 0,
      reserved: undefined,
    };
  }
}

async function generate(path: string): Promise<void> {
  const out = createWriteStream(path);
  const file = {
    dataTransmitter: '00008080',
    transmissionNumber: '0000001',
    dataRecipient: '00012345',
    assignments: assignments(PAYMENTS),
    end: { netsDate: '2025-03-31' as IsoDate },
  };
  for (const chunk of writeOcrGiroChunks(file)) {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(() => resolve());
  });
  // on disk before anything is measured (a fresh file being written back slows the first reads)
  const fd = openSync(path, 'r+');
  fsyncSync(fd);
  closeSync(fd);
}

function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

async function child(mode: string, path: string): Promise<Result> {
  const mb = statSync(path).size / 1e6;
  (globalThis as { gc?: () => void }).gc?.();
  if (mode === 'baseline') {
    const t0 = process.hrtime.bigint();
    let lines = 0;
    let carry = '';
    for await (const chunk of createReadStream(path)) {
      const text = carry + (chunk as Buffer).toString('latin1');
      const parts = text.split('\n');
      carry = parts.pop() ?? '';
      lines += parts.length;
    }
    if (carry !== '') lines++;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { mode, seconds, mb, payments: PAYMENTS, peakRssMb: peakRssMb(), extra: { lines } };
  }
  if (mode === 'stream') {
    const t0 = process.hrtime.bigint();
    let n = 0;
    for await (const p of readOcrGiro(createReadStream(path), { yield: 'payments' })) if (p.amount) n++;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (n !== PAYMENTS) throw new Error(`stream: ${n} payments, ${PAYMENTS} expected`);
    return { mode, seconds, mb, payments: n, peakRssMb: peakRssMb() };
  }
  if (mode === 'whole-stream') {
    const t0 = process.hrtime.bigint();
    const file = await parseOcrGiroAsync(createReadStream(path));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    let n = 0;
    for (const a of file.assignments) n += a.transactions.length;
    return { mode, seconds, mb, payments: n, peakRssMb: peakRssMb() };
  }
  const t0 = process.hrtime.bigint();
  const file = parseOcrGiro(readFileSync(path));
  const t1 = process.hrtime.bigint();
  const payments = toPayments(file);
  const t2 = process.hrtime.bigint();
  if (payments.length !== PAYMENTS) throw new Error(`whole: ${payments.length} payments, ${PAYMENTS} expected`);
  return {
    mode,
    seconds: Number(t1 - t0) / 1e9,
    mb,
    payments: payments.length,
    peakRssMb: peakRssMb(),
    extra: { toPaymentsSeconds: Number(t2 - t1) / 1e9 },
  };
}

async function main(): Promise<void> {
  const [mode, path] = process.argv.slice(2);
  if (mode === 'generate' && path !== undefined) {
    await generate(path); // for profiling: node ... bench/parse.bench.ts generate /tmp/ocr.txt
    return;
  }
  if (mode !== undefined && path !== undefined) {
    process.stdout.write(`${JSON.stringify(await child(mode, path))}\n`);
    return;
  }
  const file = join(tmpdir(), `nordfil-ocrgiro-bench-${process.pid}.txt`);
  try {
    const g0 = Date.now();
    await generate(file);
    const size = statSync(file).size;
    console.log(
      `generated ${PAYMENTS.toLocaleString('en')} payments, ${(size / 1e6).toFixed(1)} MB in ${Date.now() - g0} ms`,
    );
    const self = fileURLToPath(import.meta.url);
    const results: Result[] = [];
    for (const m of ['baseline', 'stream', 'whole', 'whole-stream']) {
      const r = spawnSync(process.execPath, [...process.execArgv, self, m, file], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`${m} failed:\n${r.stderr}`);
      results.push(JSON.parse(r.stdout.trim().split('\n').pop()!) as Result);
    }
    const base = results[0]!;
    console.log('mode       MB/s   payments/s   elapsed s   peak RSS MB   vs baseline');
    for (const r of results) {
      const mbs = r.mb / r.seconds;
      console.log(
        `${r.mode.padEnd(9)}${mbs.toFixed(0).padStart(6)}${Math.round(r.payments / r.seconds)
          .toLocaleString('en')
          .padStart(
            13,
          )}${r.seconds.toFixed(2).padStart(12)}${r.peakRssMb.toFixed(0).padStart(14)}${`${((mbs / (base.mb / base.seconds)) * 100).toFixed(0)} %`.padStart(14)}${r.extra?.toPaymentsSeconds === undefined ? '' : `   (+ toPayments ${r.extra.toPaymentsSeconds.toFixed(2)} s)`}`,
      );
    }
    const stream = results[1]!;
    const whole = results[2]!;
    const targets = {
      streamAtLeast30PercentOfBaseline: stream.mb / stream.seconds >= 0.3 * (base.mb / base.seconds),
      streamAtLeast150MBs: stream.mb / stream.seconds >= 150,
      streamPeakRssUnder150MB: stream.peakRssMb < 150,
      wholeUnder4s: whole.seconds < 4,
    };
    console.log('targets', targets);
    mkdirSync('.bench', { recursive: true });
    writeFileSync(
      join('.bench', 'ocrgiro.json'),
      `${JSON.stringify({ payments: PAYMENTS, bytes: size, node: process.version, results, targets }, null, 2)}\n`,
    );
  } finally {
    rmSync(file, { force: true });
  }
}

await main();
