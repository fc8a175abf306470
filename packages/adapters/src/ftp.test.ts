import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPortError, memoryLog } from '@nordfil/ports';
import { testTransport } from '@nordfil/ports/testing';
import { FileSystem, FtpSrv } from 'ftp-srv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates, opensslUnavailable, type TestCertificates } from '../test/certs.js';
import { freePort, noWait, whenPeer } from '../test/peers.js';
import { type FtpTransportOptions, ftpTransport } from './ftp.js';

const USER = 'nordfil';
const PASSWORD = 'Ftp-Passw0rd-secret';

const silent = {
  child: () => silent,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  fatal: () => undefined,
};

/** A file system whose uploads of files named `*cut*` drop the whole connection after 256 KiB. */
class CuttingFileSystem extends FileSystem {
  // biome-ignore lint/suspicious/noExplicitAny: ftp-srv's types are loose
  override write(fileName: string, options: any): any {
    const result = super.write(fileName, options);
    if (fileName.includes('cut')) {
      // biome-ignore lint/suspicious/noExplicitAny: the connection object is untyped
      const connection = (this as any).connection;
      let received = 0;
      connection.connector.socket?.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > 256 * 1024) {
          connection.connector.socket.destroy();
          connection.commandSocket.destroy();
        }
      });
    }
    return result;
  }
}

interface Server {
  port: number;
  root: string;
  close(): Promise<void>;
}

async function startFtp(tls?: { key: string; cert: string }): Promise<Server> {
  const root = await mkdtemp(join(tmpdir(), 'nordfil-ftp-'));
  const port = await freePort();
  const pasv = await freePort();
  const server = new FtpSrv({
    url: `ftp://127.0.0.1:${port}`,
    pasv_url: '127.0.0.1',
    pasv_min: pasv,
    pasv_max: pasv + 50,
    anonymous: false,
    greeting: 'nordfil test',
    // biome-ignore lint/suspicious/noExplicitAny: a silent bunyan stand-in
    log: silent as any,
    ...(tls ? { tls } : {}),
  });
  server.on('login', ({ connection, username, password }, resolve, reject) => {
    if (username === USER && password === PASSWORD) {
      resolve({ fs: new CuttingFileSystem(connection, { root, cwd: '/' }) });
    } else reject(new Error('wrong user or password'));
  });
  server.on('client-error', () => undefined);
  await server.listen();
  return {
    port,
    root,
    close: async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

const enc = (s: string) => new TextEncoder().encode(s);
let counter = 0;

function suite(label: string, tlsMode: 'none' | 'explicit', certs: () => TestCertificates | undefined) {
  let server: Server;
  beforeAll(async () => {
    const c = certs();
    server = await startFtp(tlsMode === 'explicit' && c ? c.server : undefined);
  });
  afterAll(async () => {
    await server?.close();
  });
  const options = (extra: Partial<FtpTransportOptions> = {}): FtpTransportOptions => {
    const c = certs();
    return {
      host: '127.0.0.1',
      port: server.port,
      user: USER,
      password: PASSWORD,
      tls: tlsMode,
      ...(tlsMode === 'explicit' && c ? { ca: c.ca } : {}),
      ...extra,
    };
  };

  testTransport(
    label,
    async () => {
      const root = `/t${++counter}`;
      await mkdir(join(server.root, root));
      const transport = ftpTransport(options({ root }));
      return {
        transport,
        cleanup: async () => {
          await transport.close?.();
          await rm(join(server.root, root), { recursive: true, force: true });
        },
      };
    },
    { largeFileBytes: 256 * 1024 },
  );

  describe(`${label} faults`, () => {
    it('rejects a wrong password with authentication_failed, the password nowhere', async () => {
      const log = memoryLog({ threshold: 99 });
      const t = ftpTransport(options({ password: 'Wrong-Ftp-Pass', retry: { attempts: 3, ...noWait }, log }));
      const error = await t.list().catch((e: unknown) => e);
      expect(isPortError(error, 'authentication_failed'), String(error)).toBe(true);
      const dump = JSON.stringify({ error, s: String(error), c: String((error as Error).cause), log: log.entries });
      expect(dump).not.toContain('Wrong-Ftp-Pass');
      expect(log.entries.filter((e) => e.code === 'ftp_retry')).toHaveLength(0);
      await t.close!();
    });

    it('leaves no file under the final name when the connection is cut mid-upload', async () => {
      const root = `/cut${++counter}`;
      await mkdir(join(server.root, root));
      const t = ftpTransport(options({ root, retry: { attempts: 1 } }));
      const error = await t.write!('out/cut.bin', new Uint8Array(4 << 20).fill(1)).catch((e: unknown) => e);
      expect(isPortError(error), String(error)).toBe(true);
      expect(existsSync(join(server.root, root, 'out/cut.bin'))).toBe(false);
      const again = ftpTransport(options({ root }));
      expect(await again.list('out')).toEqual([]);
      await again.write!('out/ok.bin', enc('ok'));
      expect((await again.list('out')).map((e) => e.name)).toEqual(['out/ok.bin']);
      await again.close!();
      await t.close!();
    });
  });
}

describe('ftp options', () => {
  it('refuses bad options without echoing the password', () => {
    expect(() => ftpTransport({ host: '', user: 'u', password: PASSWORD })).toThrow(
      expect.objectContaining({ code: 'invalid_option' }),
    );
    try {
      ftpTransport({ host: 'h', user: 'u', password: PASSWORD, tls: 'implicit' as never });
    } catch (e) {
      expect(String(e)).not.toContain(PASSWORD);
    }
  });

  it('gives unreachable for a closed port', async () => {
    const port = await freePort();
    const t = ftpTransport({ host: '127.0.0.1', port, user: 'u', password: 'p', retry: { attempts: 2, ...noWait } });
    const error = await t.read('a.txt').catch((e: unknown) => e);
    expect(isPortError(error, 'unreachable'), String(error)).toBe(true);
    await t.close!();
  });
});

describe('plain FTP against ftp-srv', () => {
  suite('ftp (ftp-srv)', 'none', () => undefined);
});

let certificates: TestCertificates | undefined;
whenPeer('openssl (for FTPS certificates)', opensslUnavailable(), () => {
  describe('FTPS against ftp-srv', () => {
    beforeAll(async () => {
      certificates = await makeCertificates();
    });
    suite('ftps (ftp-srv, explicit TLS)', 'explicit', () => certificates);

    it('rejects a server certificate from an unknown CA with tls_certificate_rejected', async () => {
      const server = await startFtp(certificates!.otherServer);
      try {
        const t = ftpTransport({
          host: '127.0.0.1',
          port: server.port,
          user: USER,
          password: PASSWORD,
          ca: certificates!.ca,
          retry: { attempts: 1 },
        });
        const error = await t.list().catch((e: unknown) => e);
        expect(isPortError(error, 'tls_certificate_rejected'), String(error)).toBe(true);
        await t.close!();
      } finally {
        await server.close();
      }
    });
  });
});
