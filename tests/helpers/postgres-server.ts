import { freePort } from './ports';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

/**
 * A Postgres cluster of a test's own (own port, own folder, password authentication), for what the
 * machine's shared one cannot show: it trusts every local connection, so no password is ever refused.
 */
export interface OwnPostgres {
  port: number;
  /** The superuser's URL (user postgres, with its password). */
  adminUrl: string;
  output(): string;
  close(): Promise<void>;
}

/** The newest installed server's bin folder (Debian: /usr/lib/postgresql/<major>/bin). */
function binDir(): string {
  try {
    return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
  } catch {
    const root = '/usr/lib/postgresql';
    const majors = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
    if (!majors.length) throw new Error('no Postgres server binaries found (install postgresql)');
    return path.join(root, majors[0], 'bin');
  }
}

/** initdb (scram-sha-256 everywhere) and start; as the `postgres` system user when run as root (initdb refuses root). */
export async function startOwnPostgres(): Promise<OwnPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), 'cm-pg-'));
  const password = `pw-${Math.random().toString(36).slice(2)}`;
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? ['runuser', '-u', 'postgres', '--'] : [];
  writeFileSync(path.join(dir, 'pw'), `${password}\n`);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
    chownSync(path.join(dir, 'pw'), uid, gid);
  }
  const run = (cmd: string, args: string[]) => {
    const [file, ...rest] = [...prefix, cmd, ...args];
    execFileSync(file, rest, { stdio: 'pipe' });
  };
  run(path.join(bin, 'initdb'), ['-D', path.join(dir, 'data'), '-A', 'scram-sha-256', '-U', 'postgres', `--pwfile=${path.join(dir, 'pw')}`, '--no-sync', '--no-instructions']);

  const port = await freePort();
  const [file, ...args] = [...prefix, path.join(bin, 'postgres'), '-D', path.join(dir, 'data'), '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'];
  const child: ChildProcess = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const adminUrl = `postgres://postgres:${password}@127.0.0.1:${port}/postgres`;

  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // SIGINT is Postgres's fast shutdown; sent to the server itself (runuser does not pass it on).
      const pidFile = path.join(dir, 'data', 'postmaster.pid');
      const serverPid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN;
      if (serverPid > 0) process.kill(serverPid, 'SIGINT');
      else child.kill('SIGKILL');
      const timer = setTimeout(() => {
        if (serverPid > 0) process.kill(serverPid, 'SIGKILL');
        child.kill('SIGKILL');
      }, 10000);
      await gone;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30000;
  for (;;) {
    const probe = new Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.end();
      break;
    } catch {
      await probe.end().catch(() => undefined);
      if (child.exitCode !== null || Date.now() > deadline) {
        await close();
        throw new Error(`own postgres did not start:\n${out.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { port, adminUrl, output: () => out, close };
}
