import { loadConfig, loadDotEnv, type Config } from '../../src/config';
import { ensureDatabase, runMigrations } from '../../src/db/migrate';
import { createPool, type Pool } from '../../src/db/pool';
import { createLogger, type Logger } from '../../src/logger';

/**
 * What a command-line script needs to reach the database: .env and the environment validated, a
 * logger that keeps routine info lines off the terminal, the migrations applied when
 * MIGRATE_ON_START says so (as `npm start` does), and a small pool the caller ends.
 */
export async function openCliDatabase(poolSize: number): Promise<{ config: Config; log: Logger; pool: Pool }> {
  loadDotEnv();
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL);
  if (config.MIGRATE_ON_START) {
    await ensureDatabase(config.DATABASE_URL, log);
    await runMigrations(config.DATABASE_URL, log);
  }
  return { config, log, pool: createPool(config.DATABASE_URL, poolSize, log) };
}
