import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** The project's root (this file runs from dist/bench/lib). */
export const ROOT = path.resolve(__dirname, '../../..');
/** The compiled start command, as `npm start` runs it. */
export const START_SCRIPT = path.join(ROOT, 'dist/bin/start.js');

/** The Node flags of `npm start` (package.json `scripts.start`: `node <flags> dist/bin/start.js`), so the bench runs exactly that. */
export function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const words = pkg.scripts.start.trim().split(/\s+/);
  return words.slice(1, words.indexOf('dist/bin/start.js')).filter((w) => w.startsWith('--'));
}

/**
 * A server process of the bench. Its output goes to a file, not through a pipe, so the load
 * generator (this process) spends no time reading the servers' request logs.
 */
export interface Service {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Largest resident set (VmRSS) seen by the sampler, in MB. */
  peakRssMb(): number;
  /** Forgets the peak so far (to measure one stage). */
  resetPeak(): void;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `node <script>` with `env`, its output in `logFile`, and resolves once `ready` holds: the
 * output matches it, or it resolves true (or rejects with the output's tail when the process exits
 * or takes longer than `timeoutMs`).
 */
export async function startService(
  name: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  logFile: string,
  ready: RegExp | (() => Promise<boolean>),
  timeoutMs = 30000,
): Promise<Service> {
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...args, script], { cwd: ROOT, env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await readFile(logFile, 'utf8').catch(() => '');
    if (ready instanceof RegExp ? ready.test(out) : await ready().catch(() => false)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not start (${child.exitCode !== null ? `exit ${child.exitCode}` : 'timeout'}):\n${out.slice(-3000)}`);
    }
    await sleep(50);
  }

  let peak = 0;
  const sample = () => {
    const rss = rssMb(child.pid);
    if (rss > peak) peak = rss;
  };
  sample();
  const sampler = setInterval(sample, 100);
  sampler.unref();
  return {
    name,
    child,
    logFile,
    peakRssMb: () => {
      sample();
      return peak;
    },
    resetPeak: () => {
      peak = 0;
      sample();
    },
    async stop(graceMs = 15000) {
      clearInterval(sampler);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** VmRSS of a process in MB (0 when it is gone). */
export function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/** A loopback port that was free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A readiness test for an HTTP server: `url` answers 200. */
export const answers200 = (url: string) => async () => (await fetch(url)).status === 200;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** CPU time (user + system) a process has used so far, in ms (0 when it is gone). */
export function cpuMs(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 Hz)
  } catch {
    return 0;
  }
}

/**
 * CPU time (ms) used so far by every process named `comm` (e.g. `postgres`, `redis-server`): the
 * machine's shared servers, to see what a stage costs them. Processes that exit in between drop out
 * of the sum, and other users of the same servers count too: a rough figure on a shared machine.
 */
export function cpuMsOf(comm: string): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== comm) continue;
    } catch {
      continue;
    }
    total += cpuMs(Number(entry));
  }
  return total;
}
