import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isPortError, memoryLog, Priority } from '@nordfil/ports';
import { testTransport } from '@nordfil/ports/testing';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, noWait, whenPeer } from '../test/peers.js';
import { cuttingProxy } from '../test/proxy.js';
import { type Sshd, sshdUnavailable, startSshd } from '../test/sshd.js';
import { hostKeyFingerprint, sftpTransport } from './sftp.js';

const OTHER_FINGERPRINT = 'SHA256:KqAGnnywJw4sNORnb7OM0lvSFKOkK2vBuEE+HUxX9+0';

describe('sftpTransport options', () => {
  it('refuses a missing fingerprint, a bad one, and no credentials, without echoing secrets', () => {
    const base = { host: '127.0.0.1', username: 'u', password: 'Sup3r-secret-pw' };
    expect(() => sftpTransport(base)).toThrow(expect.objectContaining({ code: 'invalid_option' }));
    expect(() => sftpTransport({ ...base, hostKeyFingerprint: 'MD5:aa:bb' })).toThrow(/SHA256/);
    expect(() => sftpTransport({ host: 'h', username: 'u', hostKeyFingerprint: OTHER_FINGERPRINT } as never)).toThrow(
      /password or a privateKey/,
    );
    try {
      sftpTransport({ ...base, port: 0, hostKeyFingerprint: OTHER_FINGERPRINT });
    } catch (e) {
      expect(JSON.stringify({ e, s: String(e) })).not.toContain('Sup3r-secret-pw');
    }
  });

  it('logs loudly when the host key check is switched off', () => {
    const log = memoryLog();
    sftpTransport({ host: 'h', username: 'u', password: 'pw', insecureSkipHostKeyCheck: true, log });
    expect(log.entries).toContainEqual(
      expect.objectContaining({ priority: Priority.error, code: 'sftp_host_key_check_disabled' }),
    );
  });

  it('gives unreachable for a closed port, after bounded retries', async () => {
    const port = await freePort();
    const log = memoryLog({ threshold: 99 });
    const t = sftpTransport({
      host: '127.0.0.1',
      port,
      username: 'u',
      password: 'pw-not-shown',
      hostKeyFingerprint: OTHER_FINGERPRINT,
      retry: { attempts: 3, ...noWait },
      log,
    });
    const error = await t.list().catch((e: unknown) => e);
    expect(isPortError(error, 'unreachable')).toBe(true);
    expect(log.entries.filter((e) => e.code === 'sftp_retry')).toHaveLength(2);
    await t.close!();
  });
});

// the in-process ssh2 server: a peer that is always available, for the authentication tests
describe('sftp against an in-process ssh2 server', () => {
  const PASSWORD = 'Corr3ct-Horse-Battery';
  let server: InstanceType<typeof ssh2.Server>;
  let port: number;
  let fingerprint: string;
  beforeAll(async () => {
    const key = ssh2.utils.generateKeyPairSync('ed25519');
    const parsed = ssh2.utils.parseKey(key.private);
    if (parsed instanceof Error) throw parsed;
    fingerprint = hostKeyFingerprint((Array.isArray(parsed) ? parsed[0] : parsed).getPublicSSH());
    server = new ssh2.Server({ hostKeys: [key.private] }, (client) => {
      client.on('error', () => undefined);
      client.on('authentication', (ctx) => {
        if (ctx.method === 'password' && ctx.password === PASSWORD) ctx.accept();
        else ctx.reject(['password']);
      });
      client.on('ready', () => client.end());
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('rejects a wrong password with authentication_failed, never retried, the password nowhere', async () => {
    const wrong = 'Wr0ng-Password-123';
    const log = memoryLog({ threshold: 99 });
    const t = sftpTransport({
      host: '127.0.0.1',
      port,
      username: 'u',
      password: wrong,
      hostKeyFingerprint: fingerprint,
      retry: { attempts: 3, ...noWait },
      log,
    });
    const error = await t.list().catch((e: unknown) => e);
    expect(isPortError(error, 'authentication_failed')).toBe(true);
    expect(log.entries.filter((e) => e.code === 'sftp_retry')).toHaveLength(0);
    const dump = JSON.stringify({
      error,
      message: String(error),
      stack: (error as Error).stack,
      cause: String((error as Error).cause),
      log: log.entries,
    });
    expect(dump).not.toContain(wrong);
    await t.close!();
  });

  it('refuses a server whose host key differs with host_key_mismatch, before sending the password', async () => {
    const t = sftpTransport({
      host: '127.0.0.1',
      port,
      username: 'u',
      password: PASSWORD,
      hostKeyFingerprint: OTHER_FINGERPRINT,
    });
    const error = await t.read('x.txt').catch((e: unknown) => e);
    expect(isPortError(error, 'host_key_mismatch')).toBe(true);
    expect(String(error)).toContain(fingerprint);
    expect(String(error)).not.toContain(PASSWORD);
    await t.close!();
  });
});

whenPeer('OpenSSH sshd', sshdUnavailable(), () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  const transportAt = async (extra: Partial<Parameters<typeof sftpTransport>[0]> = {}) => {
    const root = await mkdtemp(join(sshd.dir, 'root-'));
    const transport = sftpTransport({
      host: '127.0.0.1',
      port: sshd.port,
      username: sshd.username,
      privateKey: sshd.privateKey,
      hostKeyFingerprint: sshd.fingerprint,
      root,
      ...extra,
    });
    return { root, transport };
  };

  testTransport(
    'sftp (OpenSSH)',
    async () => {
      const { root, transport } = await transportAt();
      return {
        transport,
        cleanup: async () => {
          await transport.close?.();
          await rm(root, { recursive: true, force: true });
        },
      };
    },
    { largeFileBytes: 1 << 20 },
  );

  describe('sftp against OpenSSH', () => {
    it('refuses a wrong host key with host_key_mismatch', async () => {
      const { transport } = await transportAt({ hostKeyFingerprint: OTHER_FINGERPRINT });
      const error = await transport.list().catch((e: unknown) => e);
      expect(isPortError(error, 'host_key_mismatch')).toBe(true);
      expect(String(error)).not.toContain(sshd.privateKey.split('\n')[1]!);
      await transport.close!();
    });

    it('leaves no file under the final name when the connection is cut mid-upload', async () => {
      const proxy = await cuttingProxy(sshd.port);
      const { root, transport } = await transportAt({ port: proxy.port, retry: { attempts: 1 } });
      try {
        expect(await transport.list()).toEqual([]); // connected
        proxy.cutAfter(512 * 1024);
        const big = new Uint8Array(8 << 20).fill(0x42);
        const error = await transport.write!('out/big.bin', big).catch((e: unknown) => e);
        expect(isPortError(error, 'connection_lost'), String(error)).toBe(true);
        expect(proxy.cuts()).toBeGreaterThan(0);
        expect(existsSync(join(root, 'out/big.bin'))).toBe(false);
        proxy.cutAfter(Number.POSITIVE_INFINITY);
        const after = await transportAt({ root } as never);
        expect(await after.transport.list('out')).toEqual([]);
        await after.transport.close!();
      } finally {
        await transport.close!();
        await proxy.close();
      }
    });

    it('refuses names from the server with control characters or backslashes', async () => {
      const log = memoryLog({ threshold: 99 });
      const { root, transport } = await transportAt({ log });
      await writeFile(join(root, 'ok.txt'), 'ok');
      await writeFile(join(root, 'bad\nname.txt'), 'x');
      await writeFile(join(root, 'bad\\name.txt'), 'x');
      expect((await transport.list()).map((e) => e.name)).toEqual(['ok.txt']);
      expect(log.entries.filter((e) => e.code === 'unsafe_remote_name')).toHaveLength(2);
      expect(await readdir(root)).toHaveLength(3);
      await transport.close!();
    });
  });
});
