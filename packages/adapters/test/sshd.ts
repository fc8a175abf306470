import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { hostKeyFingerprint } from '../src/sftp.js';
import { freePort, sleep } from './peers.js';

const run = promisify(execFile);
const SSHD = ['/usr/sbin/sshd', '/usr/local/sbin/sshd'].find((p) => existsSync(p));

/** Why OpenSSH's sshd cannot be started here, or undefined when it can. */
export function sshdUnavailable(): string | undefined {
  if (SSHD === undefined) return 'OpenSSH sshd is not installed (apt-get install openssh-server)';
  if (process.getuid?.() !== 0) return 'sshd must be started as root to log in as the current user';
  if (!existsSync('/usr/bin/ssh-keygen')) return 'ssh-keygen is not installed';
  return undefined;
}

export interface Sshd {
  readonly port: number;
  readonly username: string;
  readonly privateKey: string;
  readonly fingerprint: string;
  /** A folder on the server (this machine) for the test's files. */
  readonly dir: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${output()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`sshd did not listen on ${port}: ${output()}`);
}

/** Starts OpenSSH's sshd on a free loopback port with a fresh host key and user key; login as root by key. */
export async function startSshd(): Promise<Sshd> {
  const dir = await mkdtemp(join(tmpdir(), 'nordfil-sshd-'));
  const port = await freePort();
  await run('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')]);
  await run('/usr/bin/ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'user_key')]);
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'user_key.pub')));
  const hostPub = (await readFile(join(dir, 'host_key.pub'), 'utf8')).split(' ')[1]!;
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const files = join(dir, 'files');
  await mkdir(files);
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    'StrictModes no',
    'UsePAM no',
    'Subsystem sftp internal-sftp',
    'LogLevel ERROR',
    'MaxStartups 100',
    'MaxSessions 100',
  ].join('\n');
  await writeFile(join(dir, 'sshd_config'), `${config}\n`);
  let out = '';
  const child = spawn(SSHD!, ['-D', '-e', '-f', join(dir, 'sshd_config')], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const output = () => out;
  await waitForPort(port, child, output);
  return {
    port,
    username: 'root',
    privateKey: await readFile(join(dir, 'user_key'), 'utf8'),
    fingerprint: hostKeyFingerprint(Buffer.from(hostPub, 'base64')),
    dir: files,
    output,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
