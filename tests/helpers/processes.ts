import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../../src/config';

/** A service process (the real start command, run from TypeScript through tsx) for fault tests. */
export interface ServiceProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/** The env a child process needs to join this test's database and queue. */
export function envFor(config: Config, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'test',
    DATABASE_URL: config.DATABASE_URL,
    REDIS_URL: config.REDIS_URL,
    QUEUE_PREFIX: config.QUEUE_PREFIX,
    QUEUE_NAME: config.QUEUE_NAME,
    FORM_TOKEN_SECRET: config.FORM_TOKEN_SECRET,
    LOG_LEVEL: 'info',
    MIGRATE_ON_START: 'false',
    WORKER_LOCK_MS: String(config.WORKER_LOCK_MS),
    JOB_BACKOFF_MS: String(config.JOB_BACKOFF_MS),
    HOST: '127.0.0.1',
    PORT: '0',
    ...overrides,
  };
}

/**
 * Starts `bin/start.ts` with the given env (and Node flags such as the production
 * `--max-old-space-size=160`); resolves once the process logged `readyLine`.
 */
export async function spawnService(env: Record<string, string>, readyLine: RegExp, timeoutMs = 90000, nodeFlags: string[] = []): Promise<ServiceProcess> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', path.join(root, 'bin/start.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave a half-started child behind
      reject(new Error(`service not ready in ${timeoutMs} ms:\n${out.slice(-2000)}`));
    }, timeoutMs);
    const onData = () => {
      if (readyLine.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code}) before ready:\n${out.slice(-2000)}`));
    });
  });
  return { child, output: () => out, exited };
}

/** The port an API child process logged ("api listening" with port). */
export function loggedPort(p: ServiceProcess): number {
  const m = /"port":(\d+)[^\n]*"api listening"/.exec(p.output());
  if (!m) throw new Error('no port in output');
  return Number(m[1]);
}
