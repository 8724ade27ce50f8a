import { freePort } from './ports';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/** A redis-server of a test's own (own port, own data folder), never the machine's shared one. */
export interface OwnRedis {
  port: number;
  url: string;
  dir: string;
  /** Stops it: SIGKILL is a crash, SIGTERM a clean shutdown. Resolves once the process is gone. */
  stop(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  /** Starts it again on the same port and folder (the AOF is replayed); resolves once it answers PING. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
  output(): string;
}

async function answersPing(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * Starts `redis-server` with `args` (default: durable, AOF fsynced on every write) on a free loopback
 * port in a fresh temporary folder.
 */
export async function startOwnRedis(args: string[] = ['--appendonly', 'yes', '--appendfsync', 'always', '--save', '']): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'cm-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let out = '';

  const start = async () => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--daemonize', 'no', ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const deadline = Date.now() + 10000;
    while (!(await answersPing(url))) {
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start:\n${out.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async (signal: 'SIGKILL' | 'SIGTERM' = 'SIGKILL') => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await gone;
  };

  await start();
  return {
    port,
    url,
    dir,
    stop,
    start,
    async close() {
      await stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
    output: () => out,
  };
}
