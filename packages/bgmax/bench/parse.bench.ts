/**
 * BGMax parse benchmark (issue 3). Generates a file of 1,000,000 payments with the writer (about 200
 * per section, with TK22, TK25, TK26, TK27, TK28 and TK29 records as real files have them), then runs
 * each measurement in its own child process so that each peak RSS is its own:
 *
 * - baseline:        fs.createReadStream (Node's default 64 KiB chunks), latin-1 decode of each chunk,
 *                    split into lines (no parsing);
 * - stream:          readBgmax(fs.createReadStream(file), { yield: 'payments' }), iterating every payment
 *                    (parse and map onto the shared Payment model);
 * - stream-sections: readBgmax(fs.createReadStream(file)), iterating every section (parse only);
 * - whole:           parseBgmax(readFileSync(file)) and toPayments;
 * - whole-parse:     parseBgmax(readFileSync(file)) only;
 * - whole-stream:    await parseBgmaxAsync(fs.createReadStream(file)): the same whole file, parsed as it is read;
 * - parse-bytes:     parseBgmax(bytes) of bytes read before the clock starts (how much of whole-parse the read is).
 *
 * Each measurement runs five times (each in its own child process), in rounds that run every mode once,
 * and the median is reported, with every run's time beside it (runs of the same code differ by a tenth or more
 * on the shared development machine).
 *
 * Targets: stream >= 30 % of the baseline's throughput and >= 150 MB/s; stream peak RSS < 150 MB;
 * whole-file parse < 4 s. Prints a table and writes `.bench/bgmax.json` (in the working directory).
 *
 * Run: npm run bench -- bgmax   (or: node --conditions=@nordfil/source --import tsx --expose-gc packages/bgmax/bench/parse.bench.ts [payments])
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
import { fileURLToPath } from 'node:url';
import {
  type BgmaxItem,
  type BgmaxSection,
  parseBgmax,
  parseBgmaxAsync,
  readBgmax,
  toPayments,
  writeBgmaxChunks,
} from '@nordfil/bgmax';
import { type IsoDate, Money } from '@nordfil/core';
import { mulberry32 } from '../../../scripts/random.js';
import { medianOfRounds } from '../../../scripts/rounds.js';

interface Measurement {
  mode: string;
  seconds: number;
  bytes: number;
  payments: number;
  lines: number;
  maxRssMB: number;
}

// ---------------------------------------------------------------------------------------------
// generation

const NAMES = ['Kalles Plåt AB', 'Olles Färg AB', 'Berits Garn', 'Åsa Öberg', 'Nordisk Bygg & Måleri AB', 'Ängby Café'];
const STREETS = ['Storgatan 2', 'Lillagatan 3', 'Vingbyvägen 59', 'Box 1234', 'Sveavägen 44'];
const TOWNS = ['STORÅKER', 'STOCKHOLM', 'GÖTEBORG', 'MALMÖ', 'UMEÅ'];

function* sections(totalPayments: number, perSection: number): Generator<BgmaxSection> {
  // seeded: every run writes the same file
  const rnd = mulberry32(20261123);
  let serial = 100000000000;
  let made = 0;
  let depositSerial = 1;
  while (made < totalPayments) {
    const n = Math.min(perSection, totalPayments - made);
    const items: BgmaxItem[] = [];
    for (let i = 0; i < n; i++) {
      const deduction = i > 0 && rnd() < 0.02;
      const minor = BigInt(1000 + Math.floor(rnd() * 5_000_000));
      const ocr = String(100000 + Math.floor(rnd() * 9_000_000));
      const bg = String(1_000_000 + Math.floor(rnd() * 8_999_999)).padStart(10, '0');
      serial++;
      const s = String(serial);
      const item: { -readonly [K in keyof BgmaxItem]: BgmaxItem[K] } = {
        kind: deduction ? 'deduction' : 'payment',
        senderBankgiro: bg,
        reference: ocr,
        amount: Money.fromMinor(deduction ? -(minor / 100n) : minor, 'SEK'),
        referenceCode: '2',
        channel: rnd() < 0.7 ? '1' : '3',
        serialNumber: s,
        imageFlag: '0',
        extraReferences: [],
        informationTexts: [],
      };
      if (deduction) item.deductionCode = '0';
      const r = rnd();
      if (r < 0.1) {
        item.extraReferences = [
          {
            negative: false,
            senderBankgiro: bg,
            reference: String(Number(ocr) + 1),
            amount: Money.zero('SEK'),
            referenceCode: '2',
            channel: item.channel,
            serialNumber: s,
            imageFlag: '0',
          },
        ];
      }
      if (rnd() < 0.2) item.informationTexts = [` Faktura ${ocr}`, 'Betalning med extra refnr'];
      if (rnd() < 0.5) {
        item.name = NAMES[Math.floor(rnd() * NAMES.length)]!;
        item.address = STREETS[Math.floor(rnd() * STREETS.length)]!;
        item.postalCode = '12345';
        item.town = TOWNS[Math.floor(rnd() * TOWNS.length)]!;
        if (rnd() < 0.6) item.organisationNumber = `00${String(5500000000 + Math.floor(rnd() * 99999999))}`;
      }
      items.push(item);
    }
    made += n;
    yield {
      bankgiro: '0009912346',
      currency: 'SEK',
      items,
      deposit: {
        bankAccount: { clearing: '5841', account: '1009823' },
        paymentDate: '2026-11-23' as IsoDate,
        serialNumber: String(depositSerial++ % 100000).padStart(5, '0'),
        currency: 'SEK',
        depositType: '',
      },
    };
  }
}

function generate(path: string, payments: number): number {
  const fd = openSync(path, 'w');
  try {
    const file = {
      header: { layoutName: 'BGMAX' as const, layoutVersion: '01', timestamp: '20261123050000123456', test: false },
      sections: sections(payments, 200),
    };
    for (const chunk of writeBgmaxChunks(file)) writeSync(fd, chunk);
    // on disk before anything is measured: the kernel writing a fresh 270 MB file back while a
    // measurement reads it made the first runs slower by up to half
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}

// ---------------------------------------------------------------------------------------------
// measurements (each in a child process)

async function measure(mode: string, path: string): Promise<Measurement> {
  const bytes = statSync(path).size;
  let payments = 0;
  let lines = 0;
  // parse-bytes: the whole-file parse of bytes already in memory (the read is not timed)
  const bytesInMemory = mode === 'parse-bytes' ? readFileSync(path) : undefined;
  const t0 = process.hrtime.bigint();
  if (mode === 'baseline') {
    let carry = '';
    for await (const chunk of createReadStream(path)) {
      const s = carry + (chunk as Buffer).toString('latin1');
      let pos = 0;
      for (;;) {
        const nl = s.indexOf('\n', pos);
        if (nl === -1) break;
        const line = s.slice(pos, nl > pos && s.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
        if (line.length > 0) lines++;
        pos = nl + 1;
      }
      carry = s.slice(pos);
    }
    if (carry.length > 0) lines++;
  } else if (mode === 'stream') {
    const reader = readBgmax(createReadStream(path), { yield: 'payments' });
    for await (const p of reader) {
      if (p.amount !== undefined) payments++;
    }
  } else if (mode === 'stream-sections') {
    for await (const s of readBgmax(createReadStream(path))) payments += s.items.length;
  } else if (mode === 'whole-parse') {
    const file = parseBgmax(readFileSync(path));
    for (const s of file.sections) payments += s.items.length;
  } else if (mode === 'whole-stream') {
    const file = await parseBgmaxAsync(createReadStream(path));
    for (const s of file.sections) payments += s.items.length;
  } else if (mode === 'parse-bytes') {
    const file = parseBgmax(bytesInMemory as Buffer);
    for (const s of file.sections) payments += s.items.length;
  } else if (mode === 'whole') {
    const file = parseBgmax(readFileSync(path));
    payments = toPayments(file).length;
  } else throw new Error(`unknown mode ${mode}`);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  return { mode, seconds, bytes, payments, lines, maxRssMB };
}

/** A measurement's median run, with every run's time. */
type Timed = Measurement & { runs: number[] };

/** Runs per measurement; the median is reported (the machine is shared: one slow run is common). */
const RUNS = 5;

/**
 * Every mode `RUNS` times, in rounds (each round runs every mode once, in order), so that a change in the
 * machine's load falls on all modes alike instead of on the modes measured during it; the median of each.
 */
function runModes(modes: readonly string[], path: string): Timed[] {
  return medianOfRounds(
    modes,
    RUNS,
    (mode) => runOnce(mode, path),
    (m) => m.seconds,
  ).map(({ median, times }) => ({ ...median, runs: times }));
}

function runOnce(mode: string, path: string): Measurement {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [...process.execArgv, self, '--measure', mode, path], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`${mode} failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as Measurement;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--generate') {
    // for profiling: node .bench/build/bgmax-parse.bench.mjs --generate <path> [payments]
    generate(args[1]!, Number(args[2] ?? 1_000_000));
    return;
  }
  if (args[0] === '--measure') {
    const m = await measure(args[1]!, args[2]!);
    process.stdout.write(`${JSON.stringify(m)}\n`);
    return;
  }
  const payments = Number(args[0] ?? 1_000_000);
  const path = join(tmpdir(), `nordfil-bgmax-bench-${process.pid}.txt`);
  try {
    const g0 = Date.now();
    const size = generate(path, payments);
    const genSeconds = (Date.now() - g0) / 1000;
    const results = runModes(
      ['baseline', 'stream', 'stream-sections', 'whole', 'whole-parse', 'whole-stream', 'parse-bytes'],
      path,
    );
    const base = results[0]!;
    const mb = (x: Measurement): number => x.bytes / 1e6 / x.seconds;
    const rows = results.map((x) => ({
      mode: x.mode,
      seconds: Number(x.seconds.toFixed(3)),
      MBps: Number(mb(x).toFixed(1)),
      paymentsPerSecond: x.payments === 0 ? null : Math.round(x.payments / x.seconds),
      payments: x.payments,
      peakRssMB: Number(x.maxRssMB.toFixed(1)),
      ofBaseline: `${((mb(x) / mb(base)) * 100).toFixed(1)} %`,
      runs: x.runs.map((t) => t.toFixed(2)).join(' '),
    }));
    const [, stream, streamSections, whole, wholeParse, wholeStream] = results as [
      Timed,
      Timed,
      Timed,
      Timed,
      Timed,
      Timed,
    ];
    // the targets, for the parse to the format's objects (sections) and for the parse
    // mapped onto the shared Payment model
    const targets = {
      streamAtLeast30PercentOfBaseline: mb(stream) >= 0.3 * mb(base),
      streamAtLeast150MBps: mb(stream) >= 150,
      streamPeakRssBelow150MB: stream.maxRssMB < 150,
      streamSectionsAtLeast30PercentOfBaseline: mb(streamSections) >= 0.3 * mb(base),
      streamSectionsAtLeast150MBps: mb(streamSections) >= 150,
      streamSectionsPeakRssBelow150MB: streamSections.maxRssMB < 150,
      wholeBelow4s: whole.seconds < 4,
      wholeParseBelow4s: wholeParse.seconds < 4,
      wholeStreamBelow4s: wholeStream.seconds < 4,
    };
    console.log(
      `file: ${payments} payments, ${(size / 1e6).toFixed(1)} MB, ${base.lines} lines (generated in ${genSeconds.toFixed(1)} s)`,
    );
    console.table(rows);
    console.log('targets', targets);
    const out = {
      benchmark: 'bgmax parse',
      date: new Date().toISOString(),
      node: process.version,
      file: { payments, bytes: size, lines: base.lines },
      results: rows,
      targets,
    };
    mkdirSync('.bench', { recursive: true });
    writeFileSync(join('.bench', 'bgmax.json'), `${JSON.stringify(out, null, 2)}\n`);
  } finally {
    rmSync(path, { force: true });
  }
}

await main();
