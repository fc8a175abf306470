/**
 * The fast path (fast.ts, Assembler.fast) only skips work: for any input, parsing with it gives the
 * same file, issues and payments as the general path alone. Checked on every fixture and on many
 * single-character, dropped, duplicated and shortened-line mutations of valid files, whole and
 * streamed in random chunks.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Money } from '@nordfil/core';
import { afterEach, describe, expect, it } from 'vitest';
import { fixture, fixtureText } from '../test/support.js';
import { recordBytes } from './fast.js';
import { Assembler, toPayments } from './objects.js';
import { parseBgmax, readBgmax } from './parse.js';

const fast = Assembler.prototype.fast;
afterEach(() => {
  Assembler.prototype.fast = fast;
});

function dump(x: unknown): string {
  return JSON.stringify(x, (_k, v) =>
    typeof v === 'bigint' ? `${v}n` : v instanceof Money ? `${v.toString()} ${v.currency}` : v,
  );
}

function parsed(input: Uint8Array | string, withFast: boolean): string {
  Assembler.prototype.fast = withFast ? fast : () => false;
  const r = parseBgmax(input, { mode: 'lenient' });
  return dump({ file: r.file, issues: r.issues, payments: toPayments(r.file) });
}

/** The bytes in random chunks of 1 to 300. */
function chunked(bytes: Uint8Array, rnd: () => number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let o = 0; o < bytes.length; ) {
    const n = 1 + Math.floor(rnd() * 300);
    chunks.push(bytes.subarray(o, o + n));
    o += n;
  }
  return chunks;
}

async function streamed(bytes: Uint8Array, rnd: () => number): Promise<string> {
  Assembler.prototype.fast = fast;
  const reader = readBgmax(chunked(bytes, rnd), { mode: 'lenient' });
  const sections: unknown[] = [];
  for await (const s of reader) sections.push(s);
  return dump({ sections, issues: reader.issues });
}

/** Payments mode: items are reused across sections once mapped, so this also checks the reuse. */
async function streamedPayments(bytes: Uint8Array, rnd: () => number): Promise<string> {
  Assembler.prototype.fast = fast;
  const out: unknown[] = [];
  for await (const p of readBgmax(chunked(bytes, rnd), { mode: 'lenient', yield: 'payments' })) out.push(p);
  return dump(out);
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

const encode = (s: string): Uint8Array =>
  new Uint8Array(/[\u0100-\uffff]/.test(s) ? Buffer.from(s, 'utf8') : Buffer.from(s, 'latin1'));

describe('recordBytes', () => {
  const record = `20${'0'.repeat(78)}`;
  const text = `${record}\r\n${record}\r\n`;
  const bytes = Buffer.from(text, 'latin1');

  it('checks a record of the decoded chunk in the bytes of that chunk, at the same offset', () => {
    const r = recordBytes(text, 82, text, bytes);
    expect(r).toBeDefined();
    expect(r!.b).toBe(bytes);
    expect([r!.t, r!.o]).toEqual([text, 82]);
  });

  it('checks a record of any other text (a line joined across chunks) in a copy of its bytes', () => {
    const joined = `x${record}`;
    const r = recordBytes(joined, 1, text, bytes);
    expect(r!.b).not.toBe(bytes);
    expect([r!.t, r!.o]).toEqual([record, 0]);
    expect(r!.b.toString('latin1', 0, 80)).toBe(record);
    // no bytes for the chunk (text decoded from UTF-8 with characters beyond latin-1): a copy as well
    expect(recordBytes(text, 0, text, undefined)!.b.toString('latin1', 0, 80)).toBe(record);
  });

  it('refuses a record with a character outside latin-1 (never a clean record)', () => {
    const other = `20${'0'.repeat(40)}\u20ac${'0'.repeat(37)}`;
    expect(recordBytes(other, 0, text, bytes)).toBeUndefined();
  });
});

describe('fast path', () => {
  it('gives the same results as the general path on every fixture', () => {
    const dir = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
    for (const name of readdirSync(dir)) {
      const bytes = fixture(name);
      expect(parsed(bytes, true), name).toBe(parsed(bytes, false));
    }
  });

  it('gives the same results as the general path on mutated files, whole and streamed', async () => {
    const rnd = prng(20261123);
    const chars = [
      ' ',
      '0',
      '9',
      'A',
      '\t',
      '\x01',
      '\xc5',
      '\xff',
      '\u0100',
      '\ufffd',
      // beyond latin-1, with a low byte that is a digit or a letter: must never pass as one
      '\u0130',
      '\u0141',
      '-',
      '1',
      '2',
      '3',
      '5',
      '6',
      '7',
    ];
    for (const name of ['valid-basic.txt', 'valid-lf.txt', 'valid-quirks.txt']) {
      const text = fixtureText(name);
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const base = text.split(eol).filter((l) => l !== '');
      for (let k = 0; k < 150; k++) {
        const ls = base.slice();
        for (let m = 0; m < 2; m++) {
          const i = 1 + Math.floor(rnd() * (ls.length - 2));
          const l = ls[i]!;
          const r = rnd();
          if (r < 0.12) ls.splice(i, 1);
          else if (r < 0.25) ls.splice(i, 0, ls[1 + Math.floor(rnd() * (ls.length - 2))]!);
          else if (r < 0.3) ls[i] = l.slice(0, 79);
          else {
            const col = rnd() < 0.3 ? 1 : Math.floor(rnd() * 80);
            ls[i] = l.slice(0, col) + chars[Math.floor(rnd() * chars.length)]! + l.slice(col + 1);
          }
        }
        const bytes = encode(ls.join(eol) + eol);
        const general = parsed(bytes, false);
        expect(parsed(bytes, true), `${name} mutation ${k}`).toBe(general);
        if (k % 5 === 0) {
          // the same text as a string and as UTF-8 bytes: the fast path checks records in an encoding of the
          // decoded text (or, with characters beyond latin-1, in a copy of each record)
          const t = ls.join(eol) + eol;
          expect(parsed(t, true), `${name} mutation ${k} as a string`).toBe(parsed(t, false));
          const utf8 = new Uint8Array(Buffer.from(t, 'utf8'));
          expect(parsed(utf8, true), `${name} mutation ${k} as UTF-8`).toBe(parsed(utf8, false));
        }
        if (k % 3 === 0) {
          Assembler.prototype.fast = () => false;
          const r = parseBgmax(bytes, { mode: 'lenient' });
          const expected = dump({ sections: r.file.sections, issues: r.issues });
          expect(await streamed(bytes, rnd), `${name} mutation ${k} streamed`).toBe(expected);
          expect(await streamedPayments(bytes, rnd), `${name} mutation ${k} streamed payments`).toBe(
            dump(toPayments(r.file)),
          );
        }
      }
    }
  });
});
