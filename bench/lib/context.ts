import path from 'node:path';
import { answers200, freePort, START_SCRIPT, startFlags, startService, type Service } from './services';

/** Everything the stages share: the bench's own database, Redis prefix and log folder. */
export interface BenchContext {
  databaseUrl: string;
  redisUrl: string;
  /** Every Redis key of the run starts with this (obliterated at the end). */
  prefix: string;
  logDir: string;
  /** Every server process started, to stop them all at the end whatever happened. */
  services: Set<Service>;
}

/** The environment of a service process: production mode, the bench's database and queue, no migrations. */
export function serviceEnv(ctx: BenchContext, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    NODE_ENV: 'production',
    FORM_TOKEN_SECRET: 'bench-form-token-secret-0123456789',
    DATABASE_URL: ctx.databaseUrl,
    REDIS_URL: ctx.redisUrl,
    QUEUE_PREFIX: ctx.prefix,
    MIGRATE_ON_START: 'false',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...extra,
  };
}

/**
 * Node flags for the service processes: those of `npm start`, and with BENCH_CPU_PROF=<folder> a V8
 * CPU profile written there by each when it stops (Chrome DevTools, or any .cpuprofile viewer).
 */
export function nodeArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return [...startFlags(), ...(dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : [])];
}

/** Starts the real start command with ROLE=api; resolves with its base URL once /healthz answers. */
export async function startApiProcess(ctx: BenchContext, queueName: string, name = 'api', extra: Record<string, string> = {}): Promise<{ service: Service; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = serviceEnv(ctx, { ROLE: 'api', PORT: String(port), QUEUE_NAME: queueName, ...extra });
  const service = await startService(name, START_SCRIPT, nodeArgs(), env, path.join(ctx.logDir, `${name}.log`), answers200(`${baseUrl}/healthz`));
  ctx.services.add(service);
  return { service, baseUrl };
}

/** Starts the real start command with ROLE=worker; resolves once it logged "worker started". */
export async function startWorkerProcess(ctx: BenchContext, queueName: string, name = 'worker', extra: Record<string, string> = {}): Promise<Service> {
  const env = serviceEnv(ctx, { ROLE: 'worker', QUEUE_NAME: queueName, ...extra });
  const service = await startService(name, START_SCRIPT, nodeArgs(), env, path.join(ctx.logDir, `${name}.log`), /"worker started"/);
  ctx.services.add(service);
  return service;
}

/** Stops a service and forgets it. */
export async function stopService(ctx: BenchContext, service: Service): Promise<void> {
  await service.stop();
  ctx.services.delete(service);
}
