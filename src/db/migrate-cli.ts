import { loadConfig, loadDotEnv } from '../config';
import { createLogger } from '../logger';
import { ensureDatabase, runMigrations } from './migrate';

/** `npm run migrate`: create the database if needed and apply pending migrations. */
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  await ensureDatabase(config.DATABASE_URL, log);
  const applied = await runMigrations(config.DATABASE_URL, log);
  process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'no pending migrations\n');
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
