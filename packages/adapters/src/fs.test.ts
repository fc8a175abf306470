import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testStorage, testTransport } from '@nordfil/ports/testing';
import { describe, expect, it } from 'vitest';
import { fsStorage, fsTransport } from './fs.js';

const enc = (s: string) => new TextEncoder().encode(s);
const tempRoot = () => mkdtemp(join(tmpdir(), 'nordfil-fs-'));

testTransport('fs', async () => {
  const root = await tempRoot();
  return { transport: fsTransport({ root }), cleanup: () => rm(root, { recursive: true, force: true }) };
});

testStorage('fs', async () => {
  const root = await tempRoot();
  return { storage: fsStorage({ root }), cleanup: () => rm(root, { recursive: true, force: true }) };
});

describe('fs adapters', () => {
  it('refuse a relative root at construction', () => {
    expect(() => fsTransport({ root: 'relative/dir' })).toThrow(/absolute/);
    expect(() => fsStorage({ root: '' })).toThrow(expect.objectContaining({ code: 'invalid_option' }));
  });

  it('never list the temporary files of an interrupted write', async () => {
    const root = await tempRoot();
    try {
      await writeFile(join(root, '.LS.txt.abc.nordfil-tmp'), 'partial');
      await writeFile(join(root, 'done.txt'), 'done');
      const t = fsTransport({ root });
      expect((await t.list()).map((e) => e.name)).toEqual(['done.txt']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('stores keys of any shape, including very long ones, under safe file names', async () => {
    const root = await tempRoot();
    try {
      const s = fsStorage({ root, fsync: false });
      const keys = ['😀'.repeat(512), 'A/b', 'a/b', '../../etc/passwd', 'x'.repeat(512)];
      for (const k of keys) expect(await s.createIfAbsent(k, enc(k))).toBe(true);
      for (const k of keys) expect(new TextDecoder().decode(await s.get(k))).toBe(k);
      expect(await s.list('')).toHaveLength(keys.length);
      const names = await readdir(root, { recursive: true });
      for (const n of names) expect(n).toMatch(/^(\.tmp|[0-9a-f]{2}(\/[0-9a-f]{62}\.v)?)$/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
