import type { Config } from '../../src/config';
import { envFor, spawnService, type ServiceProcess } from '../helpers/processes';

/**
 * Fault-test settings: a crashed worker's jobs come back after 2 s (WORKER_LOCK_MS), retries start at
 * 200 ms and double (12 attempts span about 7 minutes, far more than any outage a test makes).
 */
export const FAULT_ENV = { WORKER_LOCK_MS: '2000', JOB_BACKOFF_MS: '200', JOB_ATTEMPTS: '12' };

export const WORKER_READY = /worker started/;
export const API_READY = /api listening/;

/** Every child process a fault test file started, so afterAll can end them whatever happened. */
export class Processes {
  readonly all: ServiceProcess[] = [];

  async spawn(config: Config, overrides: Record<string, string>, ready: RegExp): Promise<ServiceProcess> {
    const p = await spawnService(envFor(config, { ...FAULT_ENV, JOB_ATTEMPTS: String(config.JOB_ATTEMPTS), ...overrides }), ready, 30000);
    this.all.push(p);
    return p;
  }

  /** SIGKILLs every process still running and waits for each to be gone. */
  async killAll(): Promise<void> {
    await Promise.all(
      this.all.map(async (p) => {
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
        await p.exited;
      }),
    );
  }
}

/** Seconds since `t0`, one decimal. */
export const since = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
