/**
 * custom-transport: implementing a port. `objectStoreTransport` (src/transport.ts) is a Transport over an
 * HTTP object store (src/object-store.ts, simulated in memory). The test runs the ports' contract suite
 * against it; `run()` shows that an unchanged nordfil job, the nightly SPAR export, runs through it.
 *
 *   npm start -w @nordfil-examples/custom-transport
 */
import { pathToFileURL } from 'node:url';
import { fixedClock, memoryLog, memoryStorage } from '@nordfil/ports';
import { queuePersonnummer, runSparExport } from '@nordfil/spar';
import { inMemoryObjectStore } from './object-store.js';
import { objectStoreTransport } from './transport.js';

export { inMemoryObjectStore, type ObjectStoreClient } from './object-store.js';
export { type ObjectStoreTransportOptions, objectStoreTransport } from './transport.js';

/** What {@link run} returns. */
export interface CustomTransportResult {
  readonly ok: boolean;
  /** The transport's name and capability flags, as jobs see them. */
  readonly transport: { readonly name: string; readonly capabilities: Record<string, boolean> };
  /** The files the SPAR export left in the store, by transport path. */
  readonly files: readonly string[];
  /** The content of the file sent. */
  readonly sentContent: string;
  /** The object keys in the bucket (the transport's prefix included). */
  readonly objectKeys: readonly string[];
  readonly batchStatus: 'OK' | '?';
}

/** Queues two borrowers' personnummer and runs the SPAR export through the object-store transport. Prints nothing. */
export async function run(): Promise<CustomTransportResult> {
  const clock = fixedClock('2026-11-23T01:00:00Z');
  const client = inMemoryObjectStore({ now: () => clock.now() });
  const transport = objectStoreTransport({ client, bucket: 'library-lund', prefix: 'spar' });

  // the job's state stays in a Storage port (in memory here; fs or PostgreSQL in production)
  const storage = memoryStorage({ clock });
  await queuePersonnummer(storage, '195704133106', { clock });
  await queuePersonnummer(storage, '19811218-9876', { clock }); // a separator is fine: normalised at export

  const { batch, sent } = await runSparExport({
    transport,
    storage,
    clock,
    log: memoryLog(),
    config: { customerNumber: '1404', format: 'list', folder: 'out' },
  });

  const files = (await transport.list('out')).map((e) => e.name);
  const first = files[0];
  const sentContent = first === undefined ? '' : new TextDecoder().decode(await transport.read(first));
  const objectKeys = (await client.listObjects('library-lund', '')).map((o) => o.key).sort();
  await transport.close?.();
  return {
    ok: batch.status === 'OK' && sent.length === 1,
    transport: { name: transport.name, capabilities: { ...transport.capabilities } },
    files,
    sentContent,
    objectKeys,
    batchStatus: batch.status,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then(
    (r) => {
      console.log(`transport ${r.transport.name}: ${JSON.stringify(r.transport.capabilities)}`);
      console.log(`SPAR export through it: status ${r.batchStatus}, files ${r.files.join(', ')}`);
      console.log(`objects in the bucket: ${r.objectKeys.join(', ')}`);
      process.exitCode = r.ok ? 0 : 1;
    },
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exitCode = 1;
    },
  );
}
