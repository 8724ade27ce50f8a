import { ConfigError, loadConfig, loadDotEnv, type Config } from '../src/config';
import { bootstrapAdmin } from '../src/accounts/bootstrap';
import { createPool } from '../src/db/pool';
import { runMigrations } from '../src/db/migrate';
import { StartupError, waitForServices } from '../src/preflight';
import { createLogger } from '../src/logger';
import { startApi, type RunningApi } from '../src/server';
import { startWorker, type RunningWorker } from '../workers/moderation-worker';
import { createMetrics } from '../src/metrics';
import { startMetricsServer } from '../src/http/operations/metrics-routes';

/**
 * The start command. ROLE=all (default) runs API and worker in one process, for one machine;
 * ROLE=api or ROLE=worker runs one role, to scale each on its own.
 */
async function main(): Promise<void> {
  loadDotEnv();
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n(see .env.example)\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL, { role: config.ROLE });

  // Postgres and Redis first, with a message that says what to fix (and the database created when missing).
  await waitForServices(config, log);
  if (config.MIGRATE_ON_START) await runMigrations(config.DATABASE_URL, log);

  const pool = createPool(config.DATABASE_URL, config.DATABASE_POOL_SIZE, log);
  if (config.ROLE !== 'worker') await bootstrapAdmin(pool, config, log);
  let api: RunningApi | undefined;
  let worker: RunningWorker | undefined;
  // One metrics registry per process: with ROLE=all, /metrics shows the API's and the worker's.
  const metrics = createMetrics({ role: config.ROLE });
  if (config.ROLE !== 'worker') api = await startApi(config, log, { pool, metrics });
  if (config.ROLE !== 'api') worker = await startWorker(config, log, { pool, metrics });
  // A worker alone has no HTTP server: its metrics get a listener of their own when asked for.
  const metricsServer =
    config.ROLE === 'worker' && config.WORKER_METRICS_PORT !== undefined
      ? await startMetricsServer({ port: config.WORKER_METRICS_PORT, host: config.HOST, metrics, token: config.METRICS_TOKEN, log })
      : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown timed out');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    try {
      metricsServer?.close();
      await api?.close();
      await worker?.close();
      await pool.end();
      log.info('stopped');
      process.exit(0);
    } catch (err) {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  // A service that cannot be used is a setup problem, not a bug: its message says what to do; no stack.
  if (err instanceof StartupError) {
    process.stderr.write(`start failed: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`start failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
