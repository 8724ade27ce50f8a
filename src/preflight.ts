import type { Config } from './config';
import { maskUrl, probePostgres, type ProbeResult } from './db/connection-check';
import type { Logger } from './logger';
import { probeRedis } from './queue/redis-check';
import { redisTarget } from './queue/redis-connection';

/** Postgres or Redis cannot be used: the message names the service, its URL (password masked) and what to do. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

interface Service {
  name: 'Postgres' | 'Redis';
  url: string;
  probe: () => Promise<ProbeResult>;
}

/**
 * Checks, before anything else opens a connection, that Postgres takes connections (creating the
 * database when MIGRATE_ON_START allows) and that Redis takes writes. A service that is not
 * reachable yet is tried again every half second for up to STARTUP_WAIT_MS (a machine booting, a
 * compose file starting everything at once); a problem that waiting cannot fix (a refused
 * password, a read-only replica) ends the wait at once. Throws a StartupError that lists every
 * problem found.
 */
export async function waitForServices(config: Config, log: Logger): Promise<void> {
  const services: Service[] = [
    { name: 'Postgres', url: config.DATABASE_URL, probe: () => probePostgres(config.DATABASE_URL, { createDatabase: config.MIGRATE_ON_START, log }) },
    { name: 'Redis', url: config.REDIS_URL, probe: () => probeRedis(redisTarget(config), config.QUEUE_PREFIX) },
  ];
  const deadline = Date.now() + config.STARTUP_WAIT_MS;
  const problems = await Promise.all(services.map((s) => waitFor(s, deadline, log)));
  const failed = problems.filter((p): p is string => p !== null);
  if (failed.length) throw new StartupError(failed.join('\n'));
}

/** Probes one service until it is fine, has a lasting problem, or the deadline passes; answers the problem's text or null. */
async function waitFor(service: Service, deadline: number, log: Logger): Promise<string | null> {
  const started = Date.now();
  let logged = false;
  for (;;) {
    const result = await service.probe();
    if (result.ok) {
      if (logged) log.info({ service: service.name }, `${service.name.toLowerCase()} is up`);
      return null;
    }
    if (!result.retry || Date.now() >= deadline) {
      const waited = result.retry ? `, gave up after ${((Date.now() - started) / 1000).toFixed(1)} s` : '';
      return `${service.name} at ${maskUrl(service.url)} ${result.problem}${waited}.\n  What to do: ${result.fix}.`;
    }
    if (!logged) {
      logged = true;
      log.warn({ service: service.name, url: maskUrl(service.url), problem: result.problem }, `waiting for ${service.name.toLowerCase()}`);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, Math.min(500, deadline - Date.now()))));
  }
}
