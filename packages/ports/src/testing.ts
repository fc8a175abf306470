/**
 * @nordfil/ports/testing: the contract suites every Transport and Storage implementation runs, written with
 * vitest (an optional peer dependency, needed only by this entry point).
 * @packageDocumentation
 */
import { NordfilError } from '@nordfil/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Claim, Storage, Transport } from './index.js';

/**
 * What a transport suite's factory returns: a fresh transport over an empty root.
 *
 * @example
 * const dropBox = memoryTransport({ capabilities: { write: false } });
 * const fx: TransportFixture = { transport: dropBox, seed: async (p, d) => dropBox.deliver(p, d) };
 */
export interface TransportFixture {
  /** The transport under test; its root must be empty. */
  readonly transport: Transport;
  /** Called after each test: close connections, delete the temporary root. */
  readonly cleanup?: () => Promise<void>;
  /**
   * Puts a file in place out of band (as the remote side would). Needed for a transport without `write`
   * (a read-only drop box): without either, the tests that need files are skipped.
   */
  readonly seed?: (path: string, data: Uint8Array) => Promise<void>;
}

/**
 * Options for {@link testTransport}.
 *
 * @example
 * testTransport('sftp', factory, { largeFileBytes: 1 << 20, additionalTests: (fixture) => { it(...) } });
 */
export interface TestTransportOptions {
  /** Adapter-specific tests, run inside the suite's `describe`; `fixture()` gives the current test's fixture. */
  readonly additionalTests?: (fixture: () => TransportFixture) => void;
  /**
   * Size of the file the atomic-write test rewrites while reading it concurrently.
   * @default 262_144 (256 KiB)
   */
  readonly largeFileBytes?: number;
}

/**
 * What a storage suite's factory returns: a fresh, empty storage.
 *
 * @example
 * const clock = manualClock(0);
 * const fx: StorageFixture = { storage: memoryStorage({ clock }), advanceTime: async (ms) => clock.advance(ms) };
 */
export interface StorageFixture {
  /** The storage under test; it must be empty. */
  readonly storage: Storage;
  /** Called after each test: close connections, drop the temporary schema. */
  readonly cleanup?: () => Promise<void>;
  /**
   * Moves the storage's clock forward by `ms`, for the lease-expiry test (e.g. a `manualClock`'s `advance`).
   * Without it the test waits in real time.
   */
  readonly advanceTime?: (ms: number) => Promise<void>;
}

/**
 * Options for {@link testStorage}.
 *
 * @example
 * testStorage('postgres', factory, { additionalTests: (fixture) => { it(...) } });
 */
export interface TestStorageOptions {
  /** Adapter-specific tests, run inside the suite's `describe`; `fixture()` gives the current test's fixture. */
  readonly additionalTests?: (fixture: () => StorageFixture) => void;
}

type Factory<F> = () => Promise<F> | F;

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
const allBytes = (): Uint8Array => Uint8Array.from({ length: 256 }, (_, i) => i);

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function expectBytes(actual: Uint8Array | undefined, expected: Uint8Array, what: string): void {
  expect(actual, `${what}: no value`).toBeDefined();
  expect(actual instanceof Uint8Array, `${what}: not a Uint8Array`).toBe(true);
  expect(sameBytes(actual!, expected), `${what}: bytes differ (${actual!.length} vs ${expected.length} bytes)`).toBe(
    true,
  );
}

/** Expects `run()` to reject (not throw synchronously) with a NordfilError of code `code`. */
async function rejectsWith(code: string, what: string, run: () => Promise<unknown>): Promise<void> {
  let promise: Promise<unknown>;
  try {
    promise = run();
  } catch (e) {
    expect.fail(`${what} threw synchronously instead of rejecting: ${String(e)}`);
  }
  let error: unknown;
  let rejected = false;
  try {
    await promise;
  } catch (e) {
    rejected = true;
    error = e;
  }
  expect(rejected, `${what} should reject with ${code}`).toBe(true);
  expect(NordfilError.is(error), `${what} should reject with a NordfilError, got ${String(error)}`).toBe(true);
  expect((error as NordfilError).code, `${what}: error code`).toBe(code);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const UNSAFE_PATHS = [
  '',
  '../escape.txt',
  'in/../../escape.txt',
  './a.txt',
  '/etc/passwd',
  'C:/windows.txt',
  'in\\a.txt',
  'a\u0000b.txt',
  'a\nb.txt',
  'in//a.txt',
  'in/',
];

/**
 * The Transport contract: defines a vitest `describe` block that checks `factory()`'s transports against every
 * rule of the {@link Transport} interface. Each test gets a fresh fixture and cleans it up. Tests that need an
 * optional capability the transport lacks are skipped, and the capability flags are checked to be honest.
 *
 * @example
 * // packages/adapters/src/sftp.test.ts
 * import { testTransport } from '@nordfil/ports/testing';
 * testTransport('sftp', async () => {
 *   const root = await makeTempRemoteDir();
 *   const transport = sftpTransport({ host: '127.0.0.1', port, username, privateKey, root });
 *   return { transport, cleanup: async () => { await transport.close?.(); await removeRemoteDir(root) } };
 * }, { additionalTests: (fixture) => it('reconnects after a dropped connection', async () => { … }) });
 */
export function testTransport(
  name: string,
  factory: Factory<TransportFixture>,
  options: TestTransportOptions = {},
): void {
  describe(`Transport contract: ${name}`, () => {
    let fx: TransportFixture | undefined;
    const fixture = (): TransportFixture => {
      if (fx === undefined) throw new Error('transport fixture used outside a test');
      return fx;
    };
    const tr = () => fixture().transport;
    /** Puts a file in place with `seed` or `write`; skips the test when neither exists. */
    const place = async (ctx: { skip: (note: string) => never }, path: string, data: Uint8Array) => {
      const { seed, transport } = fixture();
      if (seed) return seed(path, data);
      if (transport.write) return transport.write(path, data);
      return ctx.skip('neither write nor seed: cannot create files');
    };

    beforeEach(async () => {
      fx = await factory();
    });
    afterEach(async () => {
      const done = fx;
      fx = undefined;
      await done?.cleanup?.();
    });

    it('has a name and honest capability flags', () => {
      const t = tr();
      expect(typeof t.name).toBe('string');
      expect(t.name.length).toBeGreaterThan(0);
      const c = t.capabilities;
      expect(c.write, 'capabilities.write').toBe(typeof t.write === 'function');
      expect(c.rename, 'capabilities.rename').toBe(typeof t.rename === 'function');
      expect(c.remove, 'capabilities.remove').toBe(typeof t.remove === 'function');
      expect(typeof c.atomicWrite).toBe('boolean');
      if (c.atomicWrite) expect(c.write, 'atomicWrite implies write').toBe(true);
    });

    it('lists an empty root, and a folder that does not exist, as empty', async () => {
      expect(await tr().list()).toEqual([]);
      expect(await tr().list('')).toEqual([]);
      expect(await tr().list('no-such-folder')).toEqual([]);
    });

    it('reads back every byte value 0x00–0xFF exactly', async (t) => {
      const bytes = allBytes();
      await place(t, 'bytes.bin', bytes);
      expectBytes(await tr().read('bytes.bin'), bytes, 'read');
      await place(t, 'empty.bin', new Uint8Array(0));
      expectBytes(await tr().read('empty.bin'), new Uint8Array(0), 'read of an empty file');
    });

    it('gives the caller its own copy of the bytes', async (t) => {
      await place(t, 'own.bin', Uint8Array.of(1, 2, 3));
      const first = await tr().read('own.bin');
      first[0] = 99;
      expectBytes(await tr().read('own.bin'), Uint8Array.of(1, 2, 3), 'read after changing an earlier result');
    });

    it('overwrites an existing file', async (t) => {
      const write = tr().write?.bind(tr());
      if (!write) return t.skip('no write capability');
      await write('file.txt', enc('first version, longer'));
      await write('file.txt', enc('second'));
      expect(dec(await tr().read('file.txt'))).toBe('second');
      const [entry] = await tr().list();
      expect(entry?.name).toBe('file.txt');
      if (entry?.size !== undefined) expect(entry.size).toBe(6);
    });

    it('lists the files directly in a folder, sorted by code point, with sizes and times', async (t) => {
      await place(t, 'b.txt', enc('bbb'));
      await place(t, 'a.txt', enc('a'));
      await place(t, 'Z.txt', enc('ZZ'));
      await place(t, 'ä.txt', enc('ää'));
      await place(t, 'sub/d.txt', enc('dddd'));
      await place(t, 'sub/deeper/e.txt', enc('e'));
      const root = await tr().list();
      expect(root.map((e) => e.name)).toEqual(['Z.txt', 'a.txt', 'b.txt', 'ä.txt']);
      const sizes: Record<string, number> = { 'Z.txt': 2, 'a.txt': 1, 'b.txt': 3, 'ä.txt': 4 };
      for (const e of root) {
        if (e.size !== undefined) expect(e.size, `size of ${e.name}`).toBe(sizes[e.name]);
        if (e.modifiedAt !== undefined) {
          expect(e.modifiedAt, `modifiedAt of ${e.name}`).toMatch(/^[+-]?\d{4,6}-\d\d-\d\dT\d\d:\d\d/);
          expect(Number.isNaN(Date.parse(e.modifiedAt)), `modifiedAt of ${e.name} parses`).toBe(false);
        }
      }
      expect((await tr().list('sub')).map((e) => e.name)).toEqual(['sub/d.txt']);
      expect((await tr().list('sub/')).map((e) => e.name)).toEqual(['sub/d.txt']);
      expect((await tr().list('sub/deeper')).map((e) => e.name)).toEqual(['sub/deeper/e.txt']);
    });

    it('keeps names with spaces and Nordic letters', async (t) => {
      const path = 'in/Inbetalningar Åre ø 2026-11-23.txt';
      await place(t, path, enc('x'));
      expect((await tr().list('in')).map((e) => e.name)).toEqual([path]);
      expect(dec(await tr().read(path))).toBe('x');
    });

    it('rejects reading a missing file with not_found', async () => {
      await rejectsWith('not_found', 'read of a missing file', () => tr().read('missing.txt'));
      await rejectsWith('not_found', 'read in a missing folder', () => tr().read('no/such/folder.txt'));
    });

    it('refuses unsafe paths with unsafe_path in every method', async () => {
      const t = tr();
      for (const p of UNSAFE_PATHS) {
        await rejectsWith('unsafe_path', `read(${JSON.stringify(p)})`, () => t.read(p));
        if (p !== '' && p !== 'in/') {
          await rejectsWith('unsafe_path', `list(${JSON.stringify(p)})`, () => t.list(p));
        }
        if (t.write) await rejectsWith('unsafe_path', `write(${JSON.stringify(p)})`, () => t.write!(p, enc('x')));
        if (t.remove) await rejectsWith('unsafe_path', `remove(${JSON.stringify(p)})`, () => t.remove!(p));
        if (t.rename) {
          await rejectsWith('unsafe_path', `rename(${JSON.stringify(p)}, ok)`, () => t.rename!(p, 'ok.txt'));
          await rejectsWith('unsafe_path', `rename(ok, ${JSON.stringify(p)})`, () => t.rename!('ok.txt', p));
        }
      }
    });

    it('renames a file, replacing an existing target and creating folders', async (t) => {
      const rename = tr().rename?.bind(tr());
      if (!rename) return t.skip('no rename capability');
      await place(t, 'in/a.txt', enc('A'));
      await place(t, 'in/b.txt', enc('B'));
      await rename('in/a.txt', 'archive/2026/a.txt');
      expect((await tr().list('in')).map((e) => e.name)).toEqual(['in/b.txt']);
      expect(dec(await tr().read('archive/2026/a.txt'))).toBe('A');
      await rejectsWith('not_found', 'read of the old name', () => tr().read('in/a.txt'));
      await place(t, 'in/a.txt', enc('A2'));
      await rename('in/a.txt', 'in/b.txt');
      expect(dec(await tr().read('in/b.txt'))).toBe('A2');
      expect((await tr().list('in')).map((e) => e.name)).toEqual(['in/b.txt']);
      await rejectsWith('not_found', 'rename of a missing file', () => rename('in/missing.txt', 'in/c.txt'));
    });

    it('removes a file, and rejects removing a missing one with not_found', async (t) => {
      const remove = tr().remove?.bind(tr());
      if (!remove) return t.skip('no remove capability');
      await place(t, 'in/a.txt', enc('A'));
      await place(t, 'in/b.txt', enc('B'));
      await remove('in/a.txt');
      expect((await tr().list('in')).map((e) => e.name)).toEqual(['in/b.txt']);
      await rejectsWith('not_found', 'read of a removed file', () => tr().read('in/a.txt'));
      await rejectsWith('not_found', 'remove of a missing file', () => remove('in/a.txt'));
    });

    it('writes atomically: no temporary files listed, readers see old or new content only', async (t) => {
      const transport = tr();
      if (!transport.capabilities.atomicWrite || !transport.write) return t.skip('no atomicWrite capability');
      const size = options.largeFileBytes ?? 262_144;
      const v1 = new Uint8Array(size).fill(0x61);
      const v2 = new Uint8Array(size).fill(0x62);
      await transport.write('out/big.bin', v1);
      let done = false;
      const writing = transport.write('out/big.bin', v2).finally(() => {
        done = true;
      });
      let rounds = 0;
      do {
        rounds++;
        const names = (await transport.list('out')).map((e) => e.name);
        for (const n of names) expect(n, 'only the target is ever listed').toBe('out/big.bin');
        let seen: Uint8Array | undefined;
        try {
          seen = await transport.read('out/big.bin');
        } catch (e) {
          // an adapter that must remove the target before renaming may show no file for a moment
          if (!(NordfilError.is(e) && e.code === 'not_found')) throw e;
        }
        if (seen !== undefined) {
          expect(sameBytes(seen, v1) || sameBytes(seen, v2), 'a reader saw a partial or mixed file').toBe(true);
        }
      } while (!done && rounds < 1000);
      await writing;
      expect((await transport.list('out')).map((e) => e.name)).toEqual(['out/big.bin']);
      expectBytes(await transport.read('out/big.bin'), v2, 'read after the write');
      await transport.write('new/deep/x.bin', Uint8Array.of(7));
      expect((await transport.list('new/deep')).map((e) => e.name)).toEqual(['new/deep/x.bin']);
      expect(await transport.list()).toEqual([]);
    });

    it('closes idempotently', async (t) => {
      const transport = tr();
      if (!transport.close) return t.skip('no close method');
      await transport.close();
      await transport.close();
    });

    options.additionalTests?.(fixture);
  });
}

/**
 * The Storage contract: defines a vitest `describe` block that checks `factory()`'s storages against every rule
 * of the {@link Storage} interface, including concurrency (one `createIfAbsent` winner among 20 callers,
 * distinct claims), transactions and claims when the storage declares them. Each test gets a fresh fixture.
 *
 * @example
 * // packages/adapters/src/postgres.test.ts
 * import { testStorage } from '@nordfil/ports/testing';
 * testStorage('postgres', async () => {
 *   const schema = `t_${crypto.randomUUID().replaceAll('-', '')}`;
 *   const storage = postgresStorage({ connectionString, schema });
 *   return { storage, cleanup: async () => { await dropSchema(schema); await storage.close?.() } };
 * });
 */
export function testStorage(name: string, factory: Factory<StorageFixture>, options: TestStorageOptions = {}): void {
  describe(`Storage contract: ${name}`, () => {
    let fx: StorageFixture | undefined;
    const fixture = (): StorageFixture => {
      if (fx === undefined) throw new Error('storage fixture used outside a test');
      return fx;
    };
    const st = () => fixture().storage;
    const advance = async (ms: number) => {
      const { advanceTime } = fixture();
      if (advanceTime) await advanceTime(ms);
      else await sleep(ms);
    };

    beforeEach(async () => {
      fx = await factory();
    });
    afterEach(async () => {
      const done = fx;
      fx = undefined;
      await done?.cleanup?.();
    });

    it('has honest capability flags', () => {
      const s = st();
      expect(s.capabilities.transactions, 'capabilities.transactions').toBe(typeof s.transaction === 'function');
      expect(s.capabilities.claim, 'capabilities.claim').toBe(typeof s.claim === 'function');
    });

    it('gets undefined for an absent key', async () => {
      expect(await st().get('absent')).toBeUndefined();
    });

    it('stores bytes 0x00–0xFF and the empty value exactly, as copies', async () => {
      const s = st();
      const bytes = allBytes();
      await s.put('bytes', bytes);
      bytes[0] = 99; // changing the caller's array afterwards must not change the stored value
      expectBytes(await s.get('bytes'), allBytes(), 'get');
      const got = await s.get('bytes');
      got![1] = 99;
      expectBytes(await s.get('bytes'), allBytes(), 'get after changing an earlier result');
      await s.put('empty', new Uint8Array(0));
      expectBytes(await s.get('empty'), new Uint8Array(0), 'the empty value');
      expect(await s.list('empty')).toEqual(['empty']);
    });

    it('overwrites with put', async () => {
      await st().put('k', enc('one'));
      await st().put('k', enc('two'));
      expect(dec((await st().get('k'))!)).toBe('two');
    });

    it('creates only if absent, leaving an existing value unchanged', async () => {
      expect(await st().createIfAbsent('k', enc('first'))).toBe(true);
      expect(await st().createIfAbsent('k', enc('second'))).toBe(false);
      expect(dec((await st().get('k'))!)).toBe('first');
      await st().put('empty', new Uint8Array(0));
      expect(await st().createIfAbsent('empty', enc('x')), 'an empty value exists').toBe(false);
    });

    it('lets exactly one of 20 concurrent createIfAbsent callers win', async () => {
      const s = st();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => s.createIfAbsent('bgmax/files/abc', enc(`caller ${i}`))),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const winner = results.indexOf(true);
      expect(dec((await s.get('bgmax/files/abc'))!)).toBe(`caller ${winner}`);
    });

    it('deletes, telling whether there was a value', async () => {
      await st().put('k', enc('v'));
      expect(await st().delete('k')).toBe(true);
      expect(await st().get('k')).toBeUndefined();
      expect(await st().delete('k')).toBe(false);
      expect(await st().delete('never')).toBe(false);
      expect(await st().createIfAbsent('k', enc('again')), 'a deleted key can be created again').toBe(true);
    });

    it('lists keys by prefix, sorted by code point, without other prefixes', async () => {
      const s = st();
      const keys = ['a/2', 'a/1', 'ab/1', 'b/1', 'a/sub/3', 'o/😀', 'o/！', 'o/ä', 'o/a', 'o/Z'];
      for (const k of keys) await s.put(k, enc(k));
      expect(await s.list('a/')).toEqual(['a/1', 'a/2', 'a/sub/3']);
      expect(await s.list('a')).toEqual(['a/1', 'a/2', 'a/sub/3', 'ab/1']);
      expect(await s.list('o/')).toEqual(['o/Z', 'o/a', 'o/ä', 'o/！', 'o/😀']);
      expect(await s.list('nothing/')).toEqual([]);
      expect(await s.list('')).toHaveLength(keys.length);
      // characters that are wildcards in SQL LIKE or globs are plain characters here
      await s.put('p%/1', enc('x'));
      await s.put('p_/1', enc('x'));
      await s.put('px/1', enc('x'));
      expect(await s.list('p%')).toEqual(['p%/1']);
      expect(await s.list('p_')).toEqual(['p_/1']);
    });

    it('refuses invalid keys with invalid_key, and accepts 512 characters', async () => {
      const s = st();
      const bad = ['', 'a\u0000b', 'a\nb', 'tab\tkey', 'x'.repeat(513), 'lone\ud800'];
      for (const k of bad) {
        const q = JSON.stringify(k.length > 20 ? `${k.slice(0, 20)}…` : k);
        await rejectsWith('invalid_key', `get(${q})`, () => s.get(k));
        await rejectsWith('invalid_key', `put(${q})`, () => s.put(k, enc('x')));
        await rejectsWith('invalid_key', `createIfAbsent(${q})`, () => s.createIfAbsent(k, enc('x')));
        await rejectsWith('invalid_key', `delete(${q})`, () => s.delete(k));
        if (k !== '') await rejectsWith('invalid_key', `list(${q})`, () => s.list(k));
      }
      const longest = 'å'.repeat(512);
      await s.put(longest, enc('ok'));
      expect(dec((await s.get(longest))!)).toBe('ok');
    });

    it('commits a transaction: all writes at once, reads see own writes', async (t) => {
      const s = st();
      if (!s.transaction) return t.skip('no transactions capability');
      await s.put('base', enc('base'));
      const result = await s.transaction(async (tx) => {
        await tx.put('t/a', enc('A'));
        expect(await tx.createIfAbsent('t/b', enc('B'))).toBe(true);
        expect(await tx.createIfAbsent('t/b', enc('B2'))).toBe(false);
        expect(await tx.delete('base')).toBe(true);
        expect(dec((await tx.get('t/a'))!)).toBe('A');
        expect(await tx.get('base')).toBeUndefined();
        expect(await tx.list('t/')).toEqual(['t/a', 't/b']);
        return 'done';
      });
      expect(result).toBe('done');
      expect(dec((await s.get('t/a'))!)).toBe('A');
      expect(dec((await s.get('t/b'))!)).toBe('B');
      expect(await s.get('base')).toBeUndefined();
    });

    it('rolls a transaction back when its function throws, passing the error on', async (t) => {
      const s = st();
      if (!s.transaction) return t.skip('no transactions capability');
      await s.put('keep', enc('keep'));
      const boom = new Error('boom');
      await expect(
        s.transaction(async (tx) => {
          await tx.put('t/a', enc('A'));
          await tx.createIfAbsent('t/c', enc('C'));
          await tx.delete('keep');
          await tx.put('keep2', enc('x'));
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await s.get('t/a')).toBeUndefined();
      expect(await s.get('t/c')).toBeUndefined();
      expect(await s.get('keep2')).toBeUndefined();
      expect(dec((await s.get('keep'))!)).toBe('keep');
      expect(await s.list('')).toEqual(['keep']);
    });

    it('lets one of 10 concurrent transactions create the same key', async (t) => {
      const s = st();
      if (!s.transaction) return t.skip('no transactions capability');
      const transaction = s.transaction.bind(s);
      const settled = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          transaction(async (tx) => {
            const created = await tx.createIfAbsent('t/once', enc(`tx ${i}`));
            if (created) await tx.put(`t/by/${i}`, enc('x'));
            return created;
          }),
        ),
      );
      for (const r of settled) {
        if (r.status === 'rejected') {
          expect(NordfilError.is(r.reason) && r.reason.code, 'only transaction_conflict may reject').toBe(
            'transaction_conflict',
          );
        }
      }
      const winners = settled.flatMap((r, i) => (r.status === 'fulfilled' && r.value ? [i] : []));
      expect(winners).toHaveLength(1);
      expect(dec((await s.get('t/once'))!)).toBe(`tx ${winners[0]}`);
      expect(await s.list('t/by/')).toEqual([`t/by/${winners[0]}`]);
    });

    it('claims distinct items for concurrent claimers, only under the prefix', async (t) => {
      const s = st();
      if (!s.claim) return t.skip('no claim capability');
      const claim = s.claim.bind(s);
      for (let i = 1; i <= 5; i++) await s.put(`queue/${i}`, enc(`item ${i}`));
      await s.put('queuex/9', enc('other'));
      await s.put('other/1', enc('other'));
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claim('queue/', { owner: `w${i}` })));
      const got = claims.filter((c): c is Claim => c !== undefined);
      expect(got).toHaveLength(5);
      expect(new Set(got.map((c) => c.key)).size).toBe(5);
      for (const c of got) {
        expect(c.key).toMatch(/^queue\/[1-5]$/);
        expect(dec(c.value)).toBe(`item ${c.key.slice(6)}`);
      }
      expect(await s.list('queue/'), 'claimed items are still listed').toHaveLength(5);
      expect(await claim('empty/', { owner: 'w' })).toBeUndefined();
    });

    it('does not claim a completed item again', async (t) => {
      const s = st();
      if (!s.claim) return t.skip('no claim capability');
      await s.put('q/a', enc('a'));
      await s.put('q/b', enc('b'));
      const first = (await s.claim('q/', { owner: 'w1' }))!;
      expect(first.key).toBe('q/a');
      await first.complete();
      expect(await s.get('q/a'), 'complete() deletes the item').toBeUndefined();
      const second = (await s.claim('q/', { owner: 'w1' }))!;
      expect(second.key).toBe('q/b');
      await second.complete();
      expect(await s.claim('q/', { owner: 'w1' })).toBeUndefined();
      await rejectsWith('claim_lost', 'a second complete()', () => first.complete());
    });

    it('claims a released item again', async (t) => {
      const s = st();
      if (!s.claim) return t.skip('no claim capability');
      await s.put('q/a', enc('a'));
      const first = (await s.claim('q/', { owner: 'w1' }))!;
      expect(await s.claim('q/', { owner: 'w2' }), 'a claimed item is not claimed twice').toBeUndefined();
      await first.release();
      const again = await s.claim('q/', { owner: 'w2' });
      expect(again?.key).toBe('q/a');
      await again!.complete();
    });

    it('claims an expired item again, and the old owner then loses it', async (t) => {
      const s = st();
      if (!s.claim) return t.skip('no claim capability');
      await s.put('q/a', enc('a'));
      const first = (await s.claim('q/', { owner: 'w1', leaseMs: 100 }))!;
      expect(await s.claim('q/', { owner: 'w2', leaseMs: 100 })).toBeUndefined();
      await advance(250);
      const second = await s.claim('q/', { owner: 'w2', leaseMs: 60_000 });
      expect(second?.key).toBe('q/a');
      await rejectsWith('claim_lost', 'complete() after the lease expired and was re-claimed', () => first.complete());
      expect(dec((await s.get('q/a'))!), 'the lost claim did not delete the item').toBe('a');
      await first.release(); // a no-op: must not free the new owner's claim
      expect(await s.claim('q/', { owner: 'w3' })).toBeUndefined();
      await second!.complete();
      expect(await s.get('q/a')).toBeUndefined();
    });

    it('closes idempotently', async (t) => {
      const s = st();
      if (!s.close) return t.skip('no close method');
      await s.close();
      await s.close();
    });

    options.additionalTests?.(fixture);
  });
}
