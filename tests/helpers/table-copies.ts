import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';

/**
 * Empty copies of `tables` in a schema of their own, with autovacuum off on `comments`, and one
 * connection whose search_path finds them first (the repositories' queries name no schema): the
 * statements alone decide the plans and statistics, and the run's shared tables play no part.
 * `drop()` ends the connection and drops the schema.
 */
export async function tableCopies(prefix: string, tables: readonly string[]): Promise<{ schema: string; pool: Pool; drop: () => Promise<void> }> {
  const schema = `${prefix}_${randomUUID().replace(/-/g, '')}`;
  const admin = new Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 1 });
  await admin.query(`CREATE SCHEMA ${schema}`);
  for (const table of tables) await admin.query(`CREATE TABLE ${schema}.${table} (LIKE public.${table} INCLUDING ALL)`);
  if (tables.includes('comments')) await admin.query(`ALTER TABLE ${schema}.comments SET (autovacuum_enabled = false)`);
  const pool = new Pool({ connectionString: process.env.TEST_DATABASE_URL, max: 1, options: `-c search_path=${schema},public -c jit=off` });
  return {
    schema,
    pool,
    drop: async () => {
      await pool.end();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    },
  };
}
