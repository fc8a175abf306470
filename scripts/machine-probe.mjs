#!/usr/bin/env node
// node scripts/machine-probe.mjs: what memory costs on this machine, to read the benchmark figures by.
// Prints four costs, each measured in its own child process (a fresh heap and fresh memory):
//  - first write to fresh memory: a 256 MB buffer filled once (every page touched for the first time), then
//    filled again (the pages already there);
//  - the same first write once a process holds more: 2 GB in 64 MB buffers, the cost a MB of its first and last
//    512 MB (on the development VM the last costs about 1.6 times as much a MB: the 2,000,000-payment matching
//    run, at 2 GB, pays that on its last gigabyte, and the 1,000,000 run, at 1.1 GB, hardly);
//  - keeping a million small objects: a loop that only allocates and keeps 1,000,000 objects shaped like a
//    matching decision (an object of ten fields, a one-element array holding an object of two, an instance of
//    a class with three private fields), as `decideBatch` must;
//  - the same million objects, made and dropped (young-generation garbage only).
// The benchmarks' targets assume memory that is cheap to touch; where the first write to a page costs
// microseconds (some virtual machines), a parse that keeps hundreds of megabytes of objects pays for that first.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MB = 256;

function child(kind) {
  const t0 = performance.now();
  if (kind === 'large') {
    // 32 buffers of 64 MB, each filled once: ms a MB of the first 8 and of the last 8
    const times = [];
    const keep = [];
    for (let i = 0; i < 32; i++) {
      const t = performance.now();
      const b = Buffer.allocUnsafeSlow(64 * 1024 * 1024);
      b.fill(1);
      keep.push(b);
      times.push(performance.now() - t);
    }
    const perMB = (list) => list.reduce((a, x) => a + x, 0) / (list.length * 64);
    return { firstMs: perMB(times.slice(0, 8)), lastMs: perMB(times.slice(-8)), held: keep.length };
  }
  if (kind === 'fresh') {
    // a large Buffer.alloc maps zero pages lazily: the first fill is the first write to each page
    const b = Buffer.allocUnsafe(MB * 1024 * 1024);
    b.fill(1);
    const first = performance.now() - t0;
    const t1 = performance.now();
    b.fill(2);
    return { first, again: performance.now() - t1 };
  }
  class Evidence {
    #a;
    #b;
    #c;
    constructor(a, b, c) {
      this.#a = a;
      this.#b = b;
      this.#c = c;
    }
    get parts() {
      return [this.#a, this.#b, this.#c];
    }
  }
  const n = 1_000_000;
  const ids = Array.from({ length: n }, (_, i) => `inv-${i}`);
  const out = kind === 'keep' ? new Array(n) : [undefined];
  const t1 = performance.now();
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    out[kind === 'keep' ? i : 0] = {
      paymentId: id,
      status: 'Complete',
      comment: '',
      invoiceId: id,
      allocations: [{ invoiceId: id, amount: i }],
      unapplied: 0,
      ledgerAccount: null,
      evidence: new Evidence(id, i, null),
      suggestions: null,
      configVersion: 'v1',
    };
  }
  return { ms: performance.now() - t1, heapMB: process.memoryUsage().heapUsed / 1e6 };
}

if (process.argv[2] === '--child') {
  process.stdout.write(`${JSON.stringify(child(process.argv[3]))}\n`);
} else {
  const self = fileURLToPath(import.meta.url);
  const run = (kind) => {
    const r = spawnSync(process.execPath, [self, '--child', kind], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  };
  const fresh = run('fresh');
  const large = run('large');
  const keep = run('keep');
  const drop = run('drop');
  console.log(
    `first write to fresh memory: ${((fresh.first / MB) * 100).toFixed(0)} ms per 100 MB (${MB} MB in ${fresh.first.toFixed(0)} ms; writing the same pages again: ${fresh.again.toFixed(0)} ms)`,
  );
  console.log(
    `first write, in a process holding up to 2 GB: ${(large.firstMs * 100).toFixed(0)} ms per 100 MB for its first 512 MB, ${(large.lastMs * 100).toFixed(0)} ms per 100 MB for its last 512 MB`,
  );
  console.log(
    `1,000,000 decision-shaped objects kept: ${keep.ms.toFixed(0)} ms (heap ${keep.heapMB.toFixed(0)} MB); made and dropped: ${drop.ms.toFixed(0)} ms`,
  );
}
