import { describe, expect, it } from 'vitest';
import { NordfilError } from './errors.js';
import { type ByteSource, byteChunks } from './lines.js';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

async function collect(source: ByteSource): Promise<(Uint8Array | string)[]> {
  const out: (Uint8Array | string)[] = [];
  for await (const c of byteChunks(source)) out.push(c);
  return out;
}

describe('byteChunks', () => {
  it('yields whole bytes and a whole string as one chunk', async () => {
    const b = bytes('abc');
    const chunks = await collect(b);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBe(b);
    expect(await collect('x\ny')).toEqual(['x\ny']);
  });

  it('reads a web ReadableStream to its end and releases the lock', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes('ab'));
        c.enqueue(bytes('cd'));
        c.close();
      },
    });
    expect(await collect(stream)).toEqual([bytes('ab'), bytes('cd')]);
    expect(stream.locked).toBe(false);
  });

  it('passes an async iterable through', async () => {
    async function* gen(): AsyncGenerator<Uint8Array | string> {
      yield 'a';
      yield bytes('b');
    }
    expect(await collect(gen())).toEqual(['a', bytes('b')]);
  });

  it('passes a sync iterable through', async () => {
    expect(await collect(['a', 'b', bytes('c')])).toEqual(['a', 'b', bytes('c')]);
    expect(await collect([])).toEqual([]);
  });

  it('cancels the stream and releases the lock when the consumer stops early', async () => {
    let cancelled = false;
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulls++;
        c.enqueue(bytes('chunk'));
      },
      cancel() {
        cancelled = true;
      },
    });
    let seen = 0;
    for await (const _ of byteChunks(stream)) if (++seen === 2) break;
    expect(seen).toBe(2);
    expect(cancelled).toBe(true);
    expect(stream.locked).toBe(false);
    expect(pulls).toBeLessThan(10);
  });

  it('cancels the stream when the consumer throws', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(bytes('chunk'));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(
      (async () => {
        for await (const _ of byteChunks(stream)) throw new Error('stop');
      })(),
    ).rejects.toThrow('stop');
    expect(cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('does not cancel a stream read to its end', async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(bytes('x'));
        c.close();
      },
      cancel() {
        cancelled = true;
      },
    });
    await collect(stream);
    expect(cancelled).toBe(false);
  });

  it('throws invalid_input for anything else', async () => {
    for (const bad of [42, {}, null] as unknown as ByteSource[]) {
      const e = await collect(bad).catch((x: unknown) => x);
      expect(NordfilError.is(e)).toBe(true);
      expect((e as NordfilError).issues[0]?.code).toBe('invalid_input');
    }
  });
});
