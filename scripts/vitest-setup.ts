// tests must not print: a stray console call is a forgotten debug line or a leak of personal data
import { afterEach, vi } from 'vitest';

const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
let calls: string[] = [];
for (const m of methods) {
  vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
    calls.push(`console.${m}: ${args.map(String).join(' ')}`);
  });
}
afterEach(() => {
  const seen = calls;
  calls = [];
  if (seen.length > 0) throw new Error(`test wrote to the console:\n${seen.join('\n')}`);
});
