import type { Config } from '../../src/config';
import { eventually } from '../helpers/harness';
import type { Figures, Load, Submission } from '../helpers/load';
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
    const p = await spawnService(envFor(config, { ...FAULT_ENV, JOB_ATTEMPTS: String(config.JOB_ATTEMPTS), ...overrides }), ready, 90000);
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

/**
 * An honest refusal: the API did not take the comment and said when to try again. A 503
 * `queue_unavailable` (Redis away, or the enqueue missed its deadline on a busy machine) and a 429
 * `rate_limited` are allowed answers under load; a fault test counts them, never fails on them.
 */
export function isHonestRefusal(r: Submission): boolean {
  const retryAfter = Number(r.retryAfter);
  const code = r.outcome === 503 ? 'queue_unavailable' : r.outcome === 429 ? 'rate_limited' : null;
  return code !== null && r.code === code && Number.isInteger(retryAfter) && retryAfter >= 1;
}

/** 503s and 429s that are not honest refusals (no Retry-After, another code): always a bug. */
export const dishonestRefusals = (results: Submission[]) => results.filter((r) => (r.outcome === 503 || r.outcome === 429) && !isHonestRefusal(r));

/** Submissions answered 202 or refused honestly: what a client may see from a healthy API under load. */
export const answeredProperly = (r: Submission) => r.outcome === 202 || isHonestRefusal(r);

/**
 * What every fault test promises, however fast the machine is: every refusal is honest (503/429 with
 * Retry-After), every acknowledged comment is stored exactly once, and nothing unacknowledged is stored
 * but comments whose answer was lost, at most one per `lostAnswers` entry: the refused submissions
 * that were in flight when the test crashed the server that had taken them (Redis killed after it
 * wrote the job to its append-only file but before its reply reached the API). Nobody can know those.
 */
export function expectExactlyOnce(f: Figures, results: Submission[], lostAnswers: Submission[] = []): void {
  expect(dishonestRefusals(results)).toEqual([]);
  expect(f.stored).toBe(f.acknowledged);
  expect(f.duplicates).toBe(0);
  expect(f.unacknowledgedStored).toBeLessThanOrEqual(lostAnswers.length);
}

/** Resolves once `count` submissions matching `which` have been answered; the deadline fails the test. */
export async function answered(load: Load, which: (r: Submission) => boolean, count: number, timeoutMs = 60000): Promise<void> {
  await eventually(async () => load.results.filter(which).length >= count, timeoutMs, 20);
}
