// Jest globalSetup: one fresh database per test run, migrated with the production migrations.
// Plain JS on purpose: node-pg-migrate is ESM-only and must load outside Jest's module registry.
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { Client } = require('pg');

const ADMIN_URL = process.env.TEST_ADMIN_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

module.exports = async function globalSetup() {
  const name = `test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`tests need Postgres at ${ADMIN_URL} (set TEST_ADMIN_DATABASE_URL): ${err.message}`);
  }
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const { runner } = await import('node-pg-migrate');
  await runner({
    databaseUrl: url.href,
    dir: path.resolve(process.cwd(), 'migrations'),
    migrationsTable: 'pgmigrations',
    direction: 'up',
    checkOrder: true,
    log: () => undefined,
  });
  // Test-run defaults: flood control off (0 = off). Every test posts from 127.0.0.1, often many
  // comments a second; tests of flood control turn it on for their own API (startHarness apiSettings).
  const db = new Client({ connectionString: url.href });
  await db.connect();
  await db.query(
    `INSERT INTO settings (key, value, updated_by) VALUES ('floodSeconds', '0', 'test-setup'), ('hourlyLimitPerIp', '0', 'test-setup')`,
  );
  await db.end();
  process.env.TEST_DATABASE_URL = url.href;
  process.env.TEST_DATABASE_NAME = name;
  process.env.REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
};
