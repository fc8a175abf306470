import { isPortError } from '@nordfil/ports';
import { testTransport } from '@nordfil/ports/testing';
import { describe, expect, it } from 'vitest';
import { inMemoryObjectStore, objectStoreTransport, run } from './main.js';

// The contract: every rule of the Transport interface, run against a fresh, empty transport per test.
// An adapter's own tests add only what is special to it (here: the key prefix and option checks).
testTransport('object store', () => ({
  transport: objectStoreTransport({ client: inMemoryObjectStore(), bucket: 'contract-test', prefix: 'a/b' }),
}));

describe('objectStoreTransport', () => {
  it('keeps every file under its prefix, so several transports can share one bucket', async () => {
    const client = inMemoryObjectStore();
    const spar = objectStoreTransport({ client, bucket: 'shared', prefix: 'spar' });
    const bank = objectStoreTransport({ client, bucket: 'shared', prefix: 'bankgirot' });
    await spar.write?.('in/a.xml', new TextEncoder().encode('<x/>'));
    expect(await bank.list('in')).toEqual([]);
    expect((await client.listObjects('shared', '')).map((o) => o.key)).toEqual(['spar/in/a.xml']);
    await expect(bank.read('in/a.xml')).rejects.toSatisfy((e) => isPortError(e, 'not_found'));
  });

  it('refuses bad options at construction, every problem at once', () => {
    expect(() => objectStoreTransport({ client: inMemoryObjectStore(), bucket: 'X', prefix: '/abs/' })).toThrow(
      expect.objectContaining({
        code: 'invalid_option',
        issues: expect.arrayContaining([expect.anything(), expect.anything()]),
      }),
    );
  });
});

describe('custom-transport example', () => {
  it('runs the SPAR export through the object store', async () => {
    const r = await run();
    expect(r.ok).toBe(true);
    expect(r.batchStatus).toBe('OK');
    expect(r.transport.capabilities).toEqual({ write: true, atomicWrite: true, rename: true, remove: true });
    expect(r.files).toEqual(['out/C1404-000001-spar.csv']);
    expect(r.sentContent).toBe('195704133106,198112189876\n');
    expect(r.objectKeys).toEqual(['spar/out/C1404-000001-spar.csv']);
  });
});
