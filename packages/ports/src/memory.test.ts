import {
  bigintReplacer,
  checkFolder,
  checkKey,
  checkPath,
  compareCodePoints,
  createJsonIfAbsent,
  DEFAULT_LOG_THRESHOLD,
  dateIn,
  type FaultDecision,
  faultyStorage,
  faultyTransport,
  fixedClock,
  getJson,
  isPortError,
  isTemporaryPath,
  type LogEntry,
  manualClock,
  memoryLog,
  memoryStorage,
  memoryTransport,
  nullLog,
  Priority,
  portError,
  putJson,
  REDACTED,
  redact,
  redactText,
  requireCapability,
  systemClock,
  teeLog,
  temporaryPathFor,
  thresholdLog,
  todayIn,
  withTransaction,
} from '@nordfil/ports';
import { testStorage, testTransport } from '@nordfil/ports/testing';
import { describe, expect, it } from 'vitest';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (isPortError(e)) return e.code;
    throw e;
  }
}

// ---- the contract suites against the reference implementations

testTransport('memoryTransport', () => ({ transport: memoryTransport() }));

testTransport('memoryTransport as a read-only drop box', () => {
  const transport = memoryTransport({ capabilities: { write: false, rename: false, remove: false } });
  return { transport, seed: async (path, data) => transport.deliver(path, data) };
});

testTransport('faultyTransport that never fails', () => ({
  transport: faultyTransport(memoryTransport(), { failOn: () => false }),
}));

testStorage('memoryStorage with a manual clock', () => {
  const clock = manualClock('2026-11-23T06:00:00Z');
  return { storage: memoryStorage({ clock }), advanceTime: async (ms) => clock.advance(ms) };
});

testStorage('memoryStorage with the system clock', () => ({ storage: memoryStorage() }));

testStorage('memoryStorage without transactions or claims', () => ({
  storage: memoryStorage({ capabilities: { transactions: false, claim: false } }),
}));

testStorage('faultyStorage that never fails', () => {
  const clock = manualClock('2026-11-23T06:00:00Z');
  return {
    storage: faultyStorage(memoryStorage({ clock }), { failOn: () => false }),
    advanceTime: async (ms) => clock.advance(ms),
  };
});

// ---- paths, keys, ordering

describe('checkPath', () => {
  it('accepts relative paths, including spaces and Nordic letters', () => {
    expect(checkPath('in/BGMAX.txt')).toBe('in/BGMAX.txt');
    expect(checkPath('Inbetalningar åäö.txt')).toBe('Inbetalningar åäö.txt');
    expect(checkPath('.hidden')).toBe('.hidden');
    expect(checkPath('a..b')).toBe('a..b');
  });

  it.each([
    '',
    '..',
    '../x',
    'a/../b',
    './a',
    '/abs',
    'C:/x',
    'c:x',
    'a\\b',
    'a\u0000',
    'a\u007f',
    'a//b',
    'a/',
    'x'.repeat(1025),
  ])('refuses %j with unsafe_path', (p) => {
    expect(() => checkPath(p)).toThrowError(expect.objectContaining({ code: 'unsafe_path' }));
  });

  it('accepts the root only when asked, and normalises a folder', () => {
    expect(checkPath('', { allowRoot: true })).toBe('');
    expect(checkFolder(undefined)).toBe('');
    expect(checkFolder('')).toBe('');
    expect(checkFolder('in/')).toBe('in');
    expect(() => checkFolder('/')).toThrowError(expect.objectContaining({ code: 'unsafe_path' }));
  });

  it('names temporary files so that listings can leave them out', () => {
    const tmp = temporaryPathFor('out/LS.txt', 'a1');
    expect(tmp).toBe('out/.LS.txt.a1.nordfil-tmp');
    expect(temporaryPathFor('LS.txt', 'a1')).toBe('.LS.txt.a1.nordfil-tmp');
    expect(checkPath(tmp)).toBe(tmp);
    expect(isTemporaryPath(tmp)).toBe(true);
    expect(isTemporaryPath('out/LS.txt')).toBe(false);
    expect(isTemporaryPath('out/.hidden')).toBe(false);
  });
});

describe('checkKey and compareCodePoints', () => {
  it('counts key length in code points', () => {
    expect(checkKey('😀'.repeat(512))).toHaveLength(1024);
    expect(() => checkKey('😀'.repeat(513))).toThrowError(expect.objectContaining({ code: 'invalid_key' }));
  });

  it('sorts by code point, unlike the default sort', () => {
    const keys = ['😀', '！', 'ä', 'a', 'Z', 'ab', ''];
    expect([...keys].sort(compareCodePoints)).toEqual(['', 'Z', 'a', 'ab', 'ä', '！', '😀']);
    expect([...keys].sort()).not.toEqual([...keys].sort(compareCodePoints));
  });
});

describe('requireCapability', () => {
  it('returns a transport with the method, or throws capability_missing', async () => {
    const t = memoryTransport();
    const w = requireCapability(t, 'atomicWrite');
    await w.write('a.txt', enc('x'));
    const dropBox = memoryTransport({ capabilities: { write: false } });
    expect(dropBox.write).toBeUndefined();
    expect(() => requireCapability(dropBox, 'write')).toThrowError(
      expect.objectContaining({ code: 'capability_missing' }),
    );
    const plain = memoryTransport({ capabilities: { atomicWrite: false } });
    expect(requireCapability(plain, 'write').write).toBeTypeOf('function');
    expect(() => requireCapability(plain, 'atomicWrite')).toThrowError(/atomicWrite/);
  });

  it('works for storage capabilities', () => {
    expect(requireCapability(memoryStorage(), 'claim').claim).toBeTypeOf('function');
    const bare = memoryStorage({ capabilities: { transactions: false, claim: false } });
    expect(() => requireCapability(bare, 'transactions')).toThrowError(
      expect.objectContaining({ code: 'capability_missing' }),
    );
  });
});

// ---- memory implementations, beyond the contract

describe('memoryTransport', () => {
  it('takes initial files, strings as UTF-8, and can deliver more', async () => {
    const t = memoryTransport({ name: 'bankgirot', files: { 'in/a.txt': 'åäö', 'in/b.bin': Uint8Array.of(1) } });
    expect(t.name).toBe('bankgirot');
    expect(dec(await t.read('in/a.txt'))).toBe('åäö');
    t.deliver('in/c.txt', 'c');
    expect((await t.list('in')).map((e) => e.name)).toEqual(['in/a.txt', 'in/b.bin', 'in/c.txt']);
    expect(Object.keys(t.snapshot())).toEqual(['in/a.txt', 'in/b.bin', 'in/c.txt']);
  });

  it('stamps modifiedAt with its clock', async () => {
    const clock = manualClock('2026-11-23T05:00:00Z');
    const t = memoryTransport({ clock });
    clock.advance(1000);
    await t.write!('a.txt', enc('x'));
    expect((await t.list())[0]?.modifiedAt).toBe('2026-11-23T05:00:01.000Z');
  });

  it('names itself in not_found errors', async () => {
    const t = memoryTransport({ name: 'spar' });
    await expect(t.read('x.txt')).rejects.toThrow(/spar: no file "x.txt"/);
  });

  it('shows a partial file during a write when atomicWrite is turned off', async () => {
    const t = memoryTransport({ capabilities: { atomicWrite: false } });
    expect(t.capabilities).toEqual({ write: true, atomicWrite: false, rename: true, remove: true });
    const writing = t.write!('big.bin', new Uint8Array(100).fill(1));
    expect((await t.read('big.bin')).length).toBe(50);
    await writing;
    expect((await t.read('big.bin')).length).toBe(100);
  });
});

describe('memoryStorage transactions', () => {
  it('rejects with transaction_conflict, writing nothing, when a read key changed outside', async () => {
    const s = memoryStorage();
    await s.put('counter', enc('1'));
    const p = s.transaction!(async (tx) => {
      const n = Number(dec(await tx.get('counter')));
      await s.put('counter', enc('5')); // another writer, outside the transaction
      await tx.put('counter', enc(String(n + 1)));
      await tx.put('other', enc('x'));
    });
    expect(await codeOf(p)).toBe('transaction_conflict');
    expect(dec(await s.get('counter'))).toBe('5');
    expect(await s.get('other')).toBeUndefined();
  });

  it('refuses a handle used after its transaction', async () => {
    const s = memoryStorage();
    let leaked: Parameters<Parameters<NonNullable<typeof s.transaction>>[0]>[0] | undefined;
    await s.transaction!(async (tx) => {
      leaked = tx;
    });
    expect(await codeOf(leaked!.put('k', enc('x')))).toBe('transaction_closed');
  });

  it('runs transactions one at a time', async () => {
    const s = memoryStorage();
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        s.transaction!(async (tx) => {
          order.push(`${id}:start`);
          await tx.put(id, enc(id));
          await new Promise((r) => setTimeout(r, 5));
          order.push(`${id}:end`);
        }),
      ),
    );
    expect(order).toEqual(['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
    expect(await s.list('')).toEqual(['a', 'b', 'c']);
  });
});

describe('memoryStorage claims', () => {
  it('validates the owner and the lease', async () => {
    const s = memoryStorage();
    await s.put('q/a', enc('a'));
    expect(await codeOf(s.claim!('q/', { owner: '' }))).toBe('invalid_option');
    expect(await codeOf(s.claim!('q/', { owner: 'w', leaseMs: 0 }))).toBe('invalid_option');
    expect(await codeOf(s.claim!('q/\n', { owner: 'w' }))).toBe('invalid_key');
  });

  it('uses the default lease of five minutes', async () => {
    const clock = manualClock('2026-11-23T06:00:00Z');
    const s = memoryStorage({ clock });
    await s.put('q/a', enc('a'));
    await s.claim!('q/', { owner: 'w1' });
    clock.advance(299_999);
    expect(await s.claim!('q/', { owner: 'w2' })).toBeUndefined();
    clock.advance(1);
    expect((await s.claim!('q/', { owner: 'w2' }))?.key).toBe('q/a');
  });
});

describe('withTransaction', () => {
  it('uses the storage transaction when there is one', async () => {
    const s = memoryStorage();
    const boom = new Error('boom');
    await expect(
      withTransaction(s, async (tx) => {
        await tx.put('a', enc('a'));
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(await s.list('')).toEqual([]);
  });

  describe('buffered fallback', () => {
    const bare = () => memoryStorage({ capabilities: { transactions: false, claim: false } });

    it('writes nothing until the function resolves, then everything', async () => {
      const s = bare();
      await s.put('old', enc('old'));
      await s.put('gone', enc('gone'));
      const result = await withTransaction(s, async (tx) => {
        await tx.put('new', enc('new'));
        expect(await tx.createIfAbsent('made', enc('made'))).toBe(true);
        expect(await tx.createIfAbsent('made', enc('again'))).toBe(false);
        expect(await tx.createIfAbsent('old', enc('x'))).toBe(false);
        expect(await tx.delete('gone')).toBe(true);
        expect(await tx.delete('gone')).toBe(false);
        expect(await tx.delete('never')).toBe(false);
        expect(dec(await tx.get('new'))).toBe('new');
        expect(await tx.get('gone')).toBeUndefined();
        expect(await tx.list('')).toEqual(['made', 'new', 'old']);
        expect(await s.list(''), 'nothing written yet').toEqual(['gone', 'old']);
        return 42;
      });
      expect(result).toBe(42);
      expect(await s.list('')).toEqual(['made', 'new', 'old']);
    });

    it('writes nothing when the function throws', async () => {
      const s = bare();
      await s.put('keep', enc('keep'));
      await expect(
        withTransaction(s, async (tx) => {
          await tx.createIfAbsent('a', enc('a'));
          await tx.delete('keep');
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await s.list('')).toEqual(['keep']);
    });

    it('detects a key created by another writer, undoing its own creates', async () => {
      const s = bare();
      const p = withTransaction(s, async (tx) => {
        await tx.createIfAbsent('a', enc('mine'));
        await tx.createIfAbsent('b', enc('mine'));
        await tx.put('c', enc('mine'));
        await s.createIfAbsent('b', enc('theirs')); // a concurrent import got there first
      });
      expect(await codeOf(p)).toBe('transaction_conflict');
      expect(await s.list('')).toEqual(['b']);
      expect(dec(await s.get('b'))).toBe('theirs');
    });

    it('handles create-then-delete and delete-then-create of one key', async () => {
      const s = bare();
      await s.put('x', enc('old'));
      await withTransaction(s, async (tx) => {
        await tx.createIfAbsent('tmp', enc('t'));
        expect(await tx.delete('tmp')).toBe(true);
        expect(await tx.get('tmp')).toBeUndefined();
        await tx.delete('x');
        expect(await tx.createIfAbsent('x', enc('new'))).toBe(true);
        await tx.put('y', enc('1'));
        await tx.put('y', enc('2'));
      });
      expect(await s.list('')).toEqual(['x', 'y']);
      expect(dec(await s.get('x'))).toBe('new');
      expect(dec(await s.get('y'))).toBe('2');
    });

    it('refuses invalid keys and a handle used afterwards', async () => {
      const s = bare();
      let leaked: Parameters<Parameters<typeof withTransaction>[1]>[0] | undefined;
      await withTransaction(s, async (tx) => {
        leaked = tx;
        expect(await codeOf(tx.put('', enc('x')))).toBe('invalid_key');
      });
      expect(await codeOf(leaked!.get('k'))).toBe('transaction_closed');
    });
  });
});

// ---- JSON helpers

describe('JSON helpers', () => {
  it('round-trips UTF-8 JSON', async () => {
    const s = memoryStorage();
    await putJson(s, 'state', { day: '2026-11-23', name: 'Åsa' });
    expect(await getJson(s, 'state')).toEqual({ day: '2026-11-23', name: 'Åsa' });
    expect(dec(await s.get('state'))).toBe('{"day":"2026-11-23","name":"Åsa"}');
    expect(await getJson(s, 'absent')).toBeUndefined();
  });

  it('creates only if absent', async () => {
    const s = memoryStorage();
    expect(await createJsonIfAbsent(s, 'k', { n: 1 })).toBe(true);
    expect(await createJsonIfAbsent(s, 'k', { n: 2 })).toBe(false);
    expect(await getJson(s, 'k')).toEqual({ n: 1 });
  });

  it('refuses bigint unless a replacer converts it', async () => {
    const s = memoryStorage();
    expect(await codeOf(putJson(s, 'k', { ore: 12345n }))).toBe('unserializable_value');
    expect(await codeOf(putJson(s, 'k', undefined))).toBe('unserializable_value');
    await putJson(s, 'k', { ore: 12345n }, { replacer: bigintReplacer });
    expect(await getJson(s, 'k')).toEqual({ ore: '12345' });
    const revived = await getJson<{ ore: bigint }>(s, 'k', {
      reviver: (key, value) => (key === 'ore' ? BigInt(value as string) : value),
    });
    expect(revived?.ore).toBe(12345n);
  });

  it('reports stored bytes that are not UTF-8 JSON', async () => {
    const s = memoryStorage();
    await s.put('bad', enc('{nope'));
    await s.put('latin1', Uint8Array.of(0x7b, 0xe5, 0x7d));
    expect(await codeOf(getJson(s, 'bad'))).toBe('invalid_json');
    expect(await codeOf(getJson(s, 'latin1'))).toBe('invalid_json');
  });

  it('works inside a transaction', async () => {
    const s = memoryStorage();
    await s.transaction!(async (tx) => {
      await putJson(tx, 'k', [1, 2]);
      expect(await getJson(tx, 'k')).toEqual([1, 2]);
    });
    expect(await getJson(s, 'k')).toEqual([1, 2]);
  });
});

// ---- clock

describe('clocks', () => {
  it('fixedClock stands still and hands out fresh dates', () => {
    const clock = fixedClock('2026-11-23T12:00:00Z');
    const a = clock.now();
    a.setTime(0);
    expect(clock.now().toISOString()).toBe('2026-11-23T12:00:00.000Z');
    expect(fixedClock(0).now().toISOString()).toBe('1970-01-01T00:00:00.000Z');
  });

  it('manualClock moves when told', () => {
    const clock = manualClock(new Date('2026-11-23T12:00:00Z'));
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-11-23T12:01:30.000Z');
    clock.set('2027-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(() => clock.advance(Number.NaN)).toThrowError(expect.objectContaining({ code: 'invalid_instant' }));
  });

  it('refuses invalid instants', () => {
    expect(() => fixedClock('not a date')).toThrowError(expect.objectContaining({ code: 'invalid_instant' }));
  });

  it('systemClock tells the time', () => {
    const before = Date.now();
    const t = systemClock().now().getTime();
    expect(t).toBeGreaterThanOrEqual(before);
  });
});

describe('todayIn', () => {
  it('gives Stockholm’s date when UTC is still on yesterday', () => {
    const clock = fixedClock('2026-11-23T23:30:00Z'); // 00:30 on the 24th in Stockholm (CET, UTC+1)
    expect(todayIn(clock)).toBe('2026-11-24');
    expect(todayIn(clock, 'Europe/Stockholm')).toBe('2026-11-24');
    expect(todayIn(clock, 'Europe/Oslo')).toBe('2026-11-24');
    expect(todayIn(clock, 'UTC')).toBe('2026-11-23');
    expect(todayIn(clock, 'America/Los_Angeles')).toBe('2026-11-23');
  });

  it('follows summer time', () => {
    expect(todayIn(fixedClock('2026-06-30T21:59:59Z'))).toBe('2026-06-30'); // 23:59:59 CEST
    expect(todayIn(fixedClock('2026-06-30T22:00:00Z'))).toBe('2026-07-01'); // 00:00 CEST
    expect(todayIn(fixedClock('2026-06-30T10:00:00Z'), 'Pacific/Kiritimati')).toBe('2026-07-01'); // UTC+14
  });

  it('handles the new year and far years', () => {
    expect(todayIn(fixedClock('2026-12-31T23:00:00Z'))).toBe('2027-01-01');
    expect(dateIn(new Date('0099-06-01T12:00:00Z'), 'UTC')).toBe('0099-06-01');
    // IsoDate covers years 0001-9999; outside that a typed error, never a malformed date
    expect(() => dateIn(new Date('+012345-06-01T12:00:00Z'), 'UTC')).toThrowError(
      expect.objectContaining({ code: 'invalid_date' }),
    );
    expect(() => dateIn(new Date('-000001-06-01T12:00:00Z'), 'UTC')).toThrowError(
      expect.objectContaining({ code: 'invalid_date' }),
    );
  });

  it('refuses an unknown time zone', () => {
    expect(() => todayIn(fixedClock(0), 'Europe/Atlantis')).toThrowError(
      expect.objectContaining({ code: 'invalid_time_zone' }),
    );
  });
});

// ---- log

const entry = (priority: number, code: string, extra: Partial<LogEntry> = {}): LogEntry => ({
  priority,
  code,
  message: code,
  ...extra,
});

describe('redactText', () => {
  it.each([
    ['19811218-9876', REDACTED],
    ['198112189876', REDACTED],
    ['811218-9876', REDACTED],
    ['811218+9876', REDACTED],
    ['8112189876', REDACTED],
    ['811278-9876', REDACTED], // samordningsnummer: day + 60
    ['no address for 811218-9876.', `no address for ${REDACTED}.`],
    ['pnr=198112189876,name', `pnr=${REDACTED},name`],
    ['a 811218-9876 and 19900101-1234', `a ${REDACTED} and ${REDACTED}`],
  ])('redacts %s', (input, output) => {
    expect(redactText(input)).toBe(output);
  });

  it.each([
    'amount 1234567',
    'bankgiro 5050-1055',
    'day 2026-11-23 and 20261123',
    'ocr 1234567890123456',
    'month 13: 811318-9876',
    'day 32: 811232-9876',
    'longer 98112189876',
  ])('leaves %s alone', (text) => {
    expect(redactText(text)).toBe(text);
  });
});

describe('redact', () => {
  it('replaces personal values and scrubs message and data, without changing the entry', () => {
    const e: LogEntry = {
      priority: Priority.warning,
      code: 'address_missing',
      message: 'no address for 19811218-9876',
      data: { line: 42, note: 'pnr 811218-9876', nested: [{ s: '8112189876' }], amount: 8112189876 },
      personal: { personnummer: '19811218-9876', name: 'Anna Andersson' },
    };
    const r = redact(e);
    expect(r).toEqual({
      priority: Priority.warning,
      code: 'address_missing',
      message: `no address for ${REDACTED}`,
      data: { line: 42, note: `pnr ${REDACTED}`, nested: [{ s: REDACTED }], amount: 8112189876 },
      personal: { personnummer: REDACTED, name: REDACTED },
    });
    expect(e.message).toBe('no address for 19811218-9876');
    expect(e.personal?.name).toBe('Anna Andersson');
    expect(redact(e, { allowPersonalData: true })).toEqual(e);
  });

  it('copes with cycles in data', () => {
    const data: Record<string, unknown> = { s: '811218-9876' };
    data.self = data;
    const r = redact(entry(10, 'x', { data }));
    expect(r.data?.s).toBe(REDACTED);
  });
});

describe('logs', () => {
  it('memoryLog keeps redacted entries and filters at the default view threshold', () => {
    const log = memoryLog();
    log.write(entry(Priority.error, 'failed'));
    log.write(entry(Priority.notice, 'file_imported', { message: 'imported for 811218-9876' }));
    log.write(entry(Priority.info, 'counted', { personal: { name: 'Anna' } }));
    log.write(entry(Priority.debug, 'detail'));
    expect(log.codes()).toEqual(['failed', 'file_imported', 'counted', 'detail']);
    expect(DEFAULT_LOG_THRESHOLD).toBe(18);
    expect(log.filter().map((e) => e.code)).toEqual(['failed', 'file_imported']);
    expect(log.filter(Priority.info).map((e) => e.code)).toEqual(['failed', 'file_imported', 'counted']);
    expect(log.entries[1]?.message).toBe(`imported for ${REDACTED}`);
    expect(log.entries[2]?.personal).toEqual({ name: REDACTED });
    log.clear();
    expect(log.entries).toEqual([]);
  });

  it('memoryLog keeps personal data when allowed, drops entries above its threshold, stamps time', () => {
    const log = memoryLog({ allowPersonalData: true, threshold: 19, clock: fixedClock('2026-11-23T06:00:00Z') });
    log.write(entry(Priority.info, 'kept', { message: 'for 811218-9876', personal: { name: 'Anna' } }));
    log.write(entry(Priority.debug, 'dropped'));
    log.write(entry(Priority.info, 'timed', { time: '2026-01-01T00:00:00.000Z' }));
    expect(log.codes()).toEqual(['kept', 'timed']);
    expect(log.entries[0]).toEqual({
      priority: Priority.info,
      code: 'kept',
      message: 'for 811218-9876',
      personal: { name: 'Anna' },
      time: '2026-11-23T06:00:00.000Z',
    });
    expect(log.entries[1]?.time).toBe('2026-01-01T00:00:00.000Z');
  });

  it('teeLog, thresholdLog and nullLog route entries', () => {
    const all = memoryLog();
    const important = memoryLog();
    const log = teeLog(all, thresholdLog(important, DEFAULT_LOG_THRESHOLD), nullLog());
    log.write(entry(Priority.warning, 'w'));
    log.write(entry(Priority.info, 'i'));
    expect(all.codes()).toEqual(['w', 'i']);
    expect(important.codes()).toEqual(['w']);
  });
});

// ---- fault injection

describe('faultyTransport', () => {
  it("fails 'before' without effect and 'after' with effect, recording every call", async () => {
    const inner = memoryTransport();
    const decisions: Record<string, FaultDecision> = { 'a.txt': 'before', 'b.txt': 'after' };
    const t = faultyTransport(inner, { failOn: (op, path) => (op === 'write' ? (decisions[path] ?? false) : false) });
    expect(await codeOf(t.write!('a.txt', enc('a')))).toBe('injected_fault');
    expect(await codeOf(t.write!('b.txt', enc('b')))).toBe('injected_fault');
    await t.write!('c.txt', enc('c'));
    expect(Object.keys(inner.snapshot())).toEqual(['b.txt', 'c.txt']);
    await t.list();
    expect(t.calls).toEqual([
      { op: 'write', path: 'a.txt', index: 0, failed: 'before' },
      { op: 'write', path: 'b.txt', index: 1, failed: 'after' },
      { op: 'write', path: 'c.txt', index: 2, failed: false },
      { op: 'list', path: '', index: 3, failed: false },
    ]);
  });

  it('fails by call index, and keeps the inner capabilities', async () => {
    const inner = memoryTransport({ files: { 'a.txt': 'a' }, capabilities: { write: false, remove: false } });
    const t = faultyTransport(inner, { failOn: (_op, _path, i) => i === 1 });
    expect(t.capabilities).toBe(inner.capabilities);
    expect(t.write).toBeUndefined();
    expect(t.remove).toBeUndefined();
    expect(t.rename).toBeTypeOf('function');
    await t.read('a.txt');
    const err = await t.read('a.txt').catch((e: unknown) => e);
    expect(isPortError(err, 'injected_fault')).toBe(true);
    expect(String((err as Error).message)).toMatch(/read "a.txt" \(call #1\)/);
    await t.rename!('a.txt', 'b.txt');
    expect(Object.keys(inner.snapshot())).toEqual(['b.txt']);
  });
});

describe('faultyStorage', () => {
  it('fails chosen calls, inside transactions too', async () => {
    const inner = memoryStorage();
    const s = faultyStorage(inner, {
      failOn: (op, key) => (op === 'createIfAbsent' && key === 'bad') || (op === 'put' && key === 'tx/bad'),
    });
    expect(await codeOf(s.createIfAbsent('bad', enc('x')))).toBe('injected_fault');
    expect(await s.createIfAbsent('good', enc('x'))).toBe(true);
    const p = s.transaction!(async (tx) => {
      await tx.put('tx/good', enc('x'));
      await tx.put('tx/bad', enc('x'));
    });
    expect(await codeOf(p)).toBe('injected_fault');
    expect(await inner.list('')).toEqual(['good']);
    expect(s.calls.map((c) => c.op)).toEqual(['createIfAbsent', 'createIfAbsent', 'transaction', 'put', 'put']);
  });

  it("fails a claim's complete after it happened", async () => {
    const inner = memoryStorage();
    await inner.put('q/a', enc('a'));
    const s = faultyStorage(inner, { failOn: (op) => (op === 'complete' ? 'after' : false) });
    const c = await s.claim!('q/', { owner: 'w' });
    expect(await codeOf(c!.complete())).toBe('injected_fault');
    expect(await inner.get('q/a')).toBeUndefined();
    const bare = faultyStorage(memoryStorage({ capabilities: { transactions: false, claim: false } }), {
      failOn: () => false,
    });
    expect(bare.transaction).toBeUndefined();
    expect(bare.claim).toBeUndefined();
  });
});

describe('portError', () => {
  it('builds a NordfilError with the code, location and cause', () => {
    const cause = new Error('ENOENT');
    const e = portError('not_found', 'sftp: no file "x"', { source: 'x', cause });
    expect(e.code).toBe('not_found');
    expect(e.issues[0]).toMatchObject({ code: 'not_found', source: 'x', severity: 'error' });
    expect(e.cause).toBe(cause);
    expect(isPortError(e, 'not_found')).toBe(true);
    expect(isPortError(e, 'unsafe_path')).toBe(false);
    expect(isPortError(new Error('x'))).toBe(false);
  });
});
