import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { runMigrations } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import type { Pool } from '../../src/db/pool';

/** Where the bench's own database is created (and dropped): the local Postgres unless told otherwise. */
const ADMIN_URL = process.env.BENCH_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates a fresh database for this run, migrated as production is; returns its URL and a drop(). */
export async function createBenchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `bench_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  await runMigrations(url.href, createLogger('silent'));
  return {
    url: url.href,
    async drop() {
      const client = new Client({ connectionString: ADMIN_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * An article with `n` approved comments in threads, as readers see them: a third are top-level, the
 * rest replies to a random earlier comment (so threads nest, up to the display depth and beyond).
 */
export async function seedThreadedArticle(pool: Pool, articleId: string, n: number): Promise<void> {
  const ids: string[] = [];
  const rows: unknown[][] = [];
  const start = Date.now() - n * 60_000;
  for (let i = 0; i < n; i += 1) {
    const id = randomUUID();
    const parent = i % 3 === 0 || ids.length === 0 ? null : ids[Math.floor(Math.random() * ids.length)];
    ids.push(id);
    rows.push([id, articleId, parent, `Reader ${i}`, `listing-${i}@example.org`, `A considered comment, number ${i}, on the article. `.repeat(3), new Date(start + i * 60_000)]);
  }
  await pool.query(
    `INSERT INTO comments (id, article_id, parent_id, author_name, author_email, body, status, submitted_at)
     SELECT id, article_id, parent_id, author_name, author_email, body, 'approved', submitted_at
     FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
       AS t(id, article_id, parent_id, author_name, author_email, body, submitted_at)`,
    rows[0].map((_, col) => rows.map((r) => r[col])),
  );
}
