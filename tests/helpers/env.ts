import { randomUUID } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config';
import { createLogger } from '../../src/logger';

/** A config for this test file: the run's database, a queue prefix of its own, silent logs. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  if (!databaseUrl) throw new Error('TEST_DATABASE_URL is not set: run through jest (globalSetup creates the database)');
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `test-${randomUUID()}`,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    FORM_TOKEN_SECRET: 'test-form-token-secret-0123456789',
    WORKER_LOCK_MS: '5000',
    JOB_BACKOFF_MS: '200',
    ...overrides,
  });
}

export const silentLog = createLogger('silent');
