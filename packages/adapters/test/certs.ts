import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const OPENSSL = ['/usr/bin/openssl', '/usr/local/bin/openssl'].find((p) => existsSync(p));

/** Why certificates cannot be made here, or undefined. */
export function opensslUnavailable(): string | undefined {
  return OPENSSL === undefined ? 'the openssl command is not installed' : undefined;
}

export interface Pem {
  readonly cert: string;
  readonly key: string;
}
export interface TestCertificates {
  readonly ca: string;
  readonly server: Pem;
  readonly client: Pem;
  /** The client certificate as PKCS#12, protected by `pfxPassphrase`. */
  readonly clientPfx: Buffer;
  readonly pfxPassphrase: string;
  /** A second, unrelated CA, with a server and a client certificate of its own. */
  readonly otherCa: string;
  readonly otherServer: Pem;
  readonly otherClient: Pem;
}

/** Makes two CAs with server (127.0.0.1, localhost) and client certificates, with the openssl command. */
export async function makeCertificates(): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'nordfil-certs-'));
  const f = (n: string) => join(dir, n);
  const openssl = (...args: string[]) => run(OPENSSL!, args);
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    await writeFile(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
    await writeFile(f('client.ext'), 'extendedKeyUsage=clientAuth\n');
    const ca = async (n: string) =>
      openssl(
        'req',
        '-x509',
        ...ec,
        '-keyout',
        f(`${n}.key`),
        '-out',
        f(`${n}.crt`),
        '-days',
        '2',
        '-subj',
        `/CN=${n}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
      );
    const leaf = async (n: string, issuer: string, ext: string, cn: string) => {
      await openssl('req', ...ec, '-keyout', f(`${n}.key`), '-out', f(`${n}.csr`), '-subj', `/CN=${cn}`);
      await openssl(
        'x509',
        '-req',
        '-in',
        f(`${n}.csr`),
        '-CA',
        f(`${issuer}.crt`),
        '-CAkey',
        f(`${issuer}.key`),
        '-CAcreateserial',
        '-out',
        f(`${n}.crt`),
        '-days',
        '2',
        '-extfile',
        f(ext),
      );
    };
    await ca('ca');
    await ca('other-ca');
    await leaf('server', 'ca', 'server.ext', 'localhost');
    await leaf('client', 'ca', 'client.ext', 'nordfil test organisation');
    await leaf('other-server', 'other-ca', 'server.ext', 'localhost');
    await leaf('other-client', 'other-ca', 'client.ext', 'someone else');
    const pfxPassphrase = 'Pfx-Passphrase-42';
    await openssl(
      'pkcs12',
      '-export',
      '-inkey',
      f('client.key'),
      '-in',
      f('client.crt'),
      '-out',
      f('client.p12'),
      '-passout',
      `pass:${pfxPassphrase}`,
    );
    const pem = async (n: string): Promise<Pem> => ({
      cert: await readFile(f(`${n}.crt`), 'utf8'),
      key: await readFile(f(`${n}.key`), 'utf8'),
    });
    return {
      ca: await readFile(f('ca.crt'), 'utf8'),
      server: await pem('server'),
      client: await pem('client'),
      clientPfx: await readFile(f('client.p12')),
      pfxPassphrase,
      otherCa: await readFile(f('other-ca.crt'), 'utf8'),
      otherServer: await pem('other-server'),
      otherClient: await pem('other-client'),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
