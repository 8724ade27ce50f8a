import path from 'node:path';
import { Client } from 'pg';
import type { Logger } from '../logger';

/** Creates the configured database when it does not exist yet (connecting to `postgres` to do so). */
export async function ensureDatabase(databaseUrl: string, log: Logger): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) return;
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.href });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err: { code?: string }) => {
        if (err.code !== '42P04') throw err; // another process created it first
      });
      log.info({ database: name }, 'database created');
    }
  } finally {
    await client.end();
  }
}

/**
 * Applies the SQL migrations in `migrations/` (node-pg-migrate, with its advisory lock so several
 * processes starting together migrate once). node-pg-migrate is ESM-only: it is loaded with a
 * dynamic import, and tests run it from Jest's globalSetup rather than from modules Jest loads.
 */
export async function runMigrations(databaseUrl: string, log: Logger): Promise<string[]> {
  const { runner } = await import('node-pg-migrate');
  const applied = await runner({
    databaseUrl,
    dir: path.resolve(process.cwd(), 'migrations'),
    migrationsTable: 'pgmigrations',
    direction: 'up',
    checkOrder: true,
    log: (msg: string) => log.debug({ migration: msg }, 'migrate'),
  });
  const names = applied.map((m) => m.name);
  if (names.length) log.info({ migrations: names }, 'migrations applied');
  return names;
}
