import { createServer, type Server } from 'node:https';
import { isPortError, memoryLog } from '@nordfil/ports';
import { testTransport } from '@nordfil/ports/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates, opensslUnavailable, type TestCertificates } from '../test/certs.js';
import { freePort, noWait, whenPeer } from '../test/peers.js';
import { type SparHttpsTransportOptions, sparHttpsTransport } from './spar-https.js';

/** Splits a multipart/form-data body into fields and one file (a tiny parser for the test server). */
function parseMultipart(body: Buffer, boundary: string) {
  const fields: Record<string, string> = {};
  let file: { filename: string; data: Buffer } | undefined;
  const delimiter = Buffer.from(`--${boundary}`);
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    const part = body.subarray(start + 2, next - 2); // skip CRLF after the delimiter and before the next one
    const split = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, split).toString('utf8');
    const content = part.subarray(split + 4);
    const fieldName = /name="([^"]*)"/.exec(headers)?.[1] ?? '';
    const filename = /filename="([^"]*)"/.exec(headers)?.[1];
    if (filename !== undefined) file = { filename: filename.replace(/%22/g, '"'), data: Buffer.from(content) };
    else fields[fieldName] = content.toString('utf8');
    at = next;
  }
  return { fields, file };
}

/** A SPAR-like file transport: GET /api/list?folder=, GET /api/download?name=, POST /api/upload (multipart). */
async function startServer(tls: { key: string; cert: string; ca: string }) {
  const files = new Map<string, Buffer>();
  const server: Server = createServer(
    { key: tls.key, cert: tls.cert, ca: [tls.ca], requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://localhost');
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method === 'GET' && url.pathname === '/api/list') {
          const folder = url.searchParams.get('folder') ?? '';
          const prefix = folder === '' ? '' : `${folder}/`;
          const listed = [...files]
            .filter(([p]) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
            .map(([p, d]) => ({ name: p.slice(prefix.length), size: d.length, modifiedAt: new Date().toISOString() }));
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(listed));
        } else if (req.method === 'GET' && url.pathname === '/api/download') {
          const data = files.get(url.searchParams.get('name') ?? '');
          if (data === undefined) res.writeHead(404).end();
          else res.writeHead(200).end(data);
        } else if (req.method === 'POST' && url.pathname === '/api/upload') {
          const boundary = /boundary=(.+)$/.exec(req.headers['content-type'] ?? '')?.[1] ?? '';
          const { fields, file } = parseMultipart(Buffer.concat(chunks), boundary);
          if (file === undefined || fields.customer !== '4711') {
            res.writeHead(400).end();
            return;
          }
          files.set(fields.folder ? `${fields.folder}/${file.filename}` : file.filename, file.data);
          res.writeHead(201).end();
        } else res.writeHead(404).end();
      });
    },
  );
  server.on('tlsClientError', () => undefined);
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    port,
    files,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

whenPeer('openssl (for the SPAR test certificates)', opensslUnavailable(), () => {
  let certs: TestCertificates;
  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    certs = await makeCertificates();
    server = await startServer({ ...certs.server, ca: certs.ca });
  });
  afterAll(async () => {
    await server?.close();
  });
  const options = (extra: Partial<SparHttpsTransportOptions> = {}): SparHttpsTransportOptions => ({
    baseUrl: `https://127.0.0.1:${server.port}/api/`,
    certificate: certs.client,
    ca: certs.ca,
    upload: { fields: { customer: '4711' } },
    names: 'any',
    ...extra,
  });

  testTransport('spar-https', () => {
    server.files.clear();
    const transport = sparHttpsTransport(options());
    return { transport, cleanup: () => transport.close!() };
  });

  describe('spar-https', () => {
    it('authenticates with a PKCS#12 certificate too', async () => {
      server.files.clear();
      const t = sparHttpsTransport(
        options({ certificate: { pfx: certs.clientPfx, passphrase: certs.pfxPassphrase }, names: 'spar' }),
      );
      await t.write!('AVI_20261123.csv', new TextEncoder().encode('198112189876'));
      expect((await t.list()).map((e) => e.name)).toEqual(['AVI_20261123.csv']);
      await t.close!();
    });

    it('refuses a wrong PKCS#12 passphrase at construction, without echoing it', () => {
      let error: unknown;
      try {
        sparHttpsTransport(options({ certificate: { pfx: certs.clientPfx, passphrase: 'Not-The-Passphrase' } }));
      } catch (e) {
        error = e;
      }
      expect(isPortError(error, 'invalid_option')).toBe(true);
      expect(JSON.stringify({ error, s: String(error), c: String((error as Error).cause) })).not.toContain(
        'Not-The-Passphrase',
      );
    });

    it('gives authentication_failed when the server refuses the client certificate', async () => {
      const log = memoryLog({ threshold: 99 });
      const t = sparHttpsTransport(options({ certificate: certs.otherClient, retry: { attempts: 2, ...noWait }, log }));
      const error = await t.list().catch((e: unknown) => e);
      expect(isPortError(error, 'authentication_failed'), String(error)).toBe(true);
      const keyLine = certs.otherClient.key.split('\n')[1]!;
      expect(
        JSON.stringify({ error, s: String(error), c: String((error as Error).cause), l: log.entries }),
      ).not.toContain(keyLine);
      await t.close!();
    });

    it('gives tls_certificate_rejected for a server certificate from another CA', async () => {
      const other = await startServer({ ...certs.otherServer, ca: certs.ca });
      try {
        const t = sparHttpsTransport(options({ baseUrl: `https://127.0.0.1:${other.port}/api/` }));
        const error = await t.list().catch((e: unknown) => e);
        expect(isPortError(error, 'tls_certificate_rejected'), String(error)).toBe(true);
        await t.close!();
      } finally {
        await other.close();
      }
    });

    it('gives unreachable for a closed port', async () => {
      const port = await freePort();
      const t = sparHttpsTransport(
        options({ baseUrl: `https://127.0.0.1:${port}/`, retry: { attempts: 2, ...noWait } }),
      );
      expect(isPortError(await t.read('x').catch((e: unknown) => e), 'unreachable')).toBe(true);
      await t.close!();
    });

    it("keeps to SPAR's file-name rule unless told otherwise", async () => {
      const t = sparHttpsTransport(options({ names: 'spar' }));
      await expect(t.write!('Åre fil.txt', new Uint8Array(1))).rejects.toMatchObject({ code: 'unsafe_path' });
      await expect(t.read('a b.txt')).rejects.toMatchObject({ code: 'unsafe_path' });
      await t.close!();
    });

    it('refuses http:// and a missing certificate', () => {
      expect(() => sparHttpsTransport(options({ baseUrl: 'http://example.se/' }))).toThrow(/https/);
      expect(() => sparHttpsTransport(options({ certificate: {} as never }))).toThrow(/certificate/);
    });
  });
});
