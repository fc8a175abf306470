import { createServer } from 'node:net';
import { describe, it } from 'vitest';

/**
 * Defines a peer's tests when the peer is available (`reason` undefined). Otherwise the tests are skipped with
 * the reason in their name, or, under NORDFIL_REQUIRE_PEERS=1 (CI), replaced by one failing test.
 */
export function whenPeer(peer: string, reason: string | undefined, define: () => void): void {
  if (reason === undefined) {
    define();
    return;
  }
  if (process.env.NORDFIL_REQUIRE_PEERS === '1') {
    it(`${peer} is available (NORDFIL_REQUIRE_PEERS=1 turns this skip into a failure)`, () => {
      throw new Error(`${peer} is not available: ${reason}`);
    });
    return;
  }
  describe.skip(`${peer} tests skipped: ${reason}`, () => {
    it('needs the peer', () => undefined);
  });
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Retries nothing, waits for nothing: retry options for fast fault tests. */
export const noWait = { sleep: async () => undefined, random: () => 0 } as const;
