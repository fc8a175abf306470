import { connect, createServer, type Socket } from 'node:net';

export interface CuttingProxy {
  readonly port: number;
  /** Cut every connection once `bytes` more bytes went from client to server. */
  cutAfter(bytes: number): void;
  readonly cuts: () => number;
  close(): Promise<void>;
}

/** A TCP proxy to 127.0.0.1:`target` that can cut its connections in the middle of a transfer. */
export async function cuttingProxy(target: number): Promise<CuttingProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let budget = Number.POSITIVE_INFINITY;
  let cuts = 0;
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const cut = () => {
      cuts++;
      client.destroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      budget -= chunk.length;
      if (budget <= 0) return cut();
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    port,
    cutAfter(bytes) {
      budget = bytes;
    },
    cuts: () => cuts,
    close: () =>
      new Promise<void>((r) => {
        for (const [a, b] of pairs) {
          a.destroy();
          b.destroy();
        }
        server.close(() => r());
      }),
  };
}
