import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Issue } from '@nordfil/core';

/** The bytes of a fixture in test/fixtures (the files are ISO-8859-1, as Bankgirot sends them). */
export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))));
}

/** A fixture decoded as latin-1 text. */
export function fixtureText(name: string): string {
  return Buffer.from(fixture(name)).toString('latin1');
}

/** Latin-1 bytes of a text. */
export function latin1(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

/** `code@line:column` of each issue, for compact assertions. */
export function where(issues: readonly Issue[], severity?: 'error' | 'warning'): string[] {
  return issues
    .filter((i) => severity === undefined || i.severity === severity)
    .map((i) => `${i.code}@${i.line ?? '-'}:${i.column ?? '-'}`);
}

/** Pads a record to 80 columns. */
export const pad = (s: string): string => s.padEnd(80, ' ');

/** Replaces line `n` (1-based) of a CRLF text. */
export function replaceLine(text: string, n: number, line: string | undefined): string {
  const lines = text.split('\r\n');
  if (line === undefined) lines.splice(n - 1, 1);
  else lines[n - 1] = line;
  return lines.join('\r\n');
}

/** Inserts a line before line `n` (1-based) of a CRLF text. */
export function insertLine(text: string, n: number, line: string): string {
  const lines = text.split('\r\n');
  lines.splice(n - 1, 0, line);
  return lines.join('\r\n');
}
