import { readFileSync } from 'node:fs';
import type { Issue } from '@nordfil/core';

/** A fixture's bytes (latin-1 files written from the reference). */
export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

/** The lines of a fixture (CRLF), as latin-1 text. */
export function fixtureLines(name: string): string[] {
  return fixture(name)
    .toString('latin1')
    .split('\r\n')
    .filter((l) => l !== '');
}

/** The issues with a given code. */
export function withCode(issues: readonly Issue[], code: string): Issue[] {
  return issues.filter((i) => i.code === code);
}

/** Collects an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Splits bytes into chunks at the given cut points. */
export function chunked(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.min(bytes.length, Math.max(0, c))))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}
