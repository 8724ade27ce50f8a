import { Pool, type PoolClient } from 'pg';
import type { Logger } from '../logger';

export type { Pool, PoolClient };

/**
 * The one pg pool of a process. Idle-client errors are logged, never fatal (node-postgres advice).
 *
 * JIT compilation is off for the service's sessions: every statement here is short, but the
 * planner's estimate for the worker's batched look-ups (a LATERAL index search per comment of a
 * batch) passes jit_above_cost once the table has some tens of thousands of rows, and Postgres then
 * spent 200–370 ms compiling each statement that runs in 10 ms (measured with EXPLAIN ANALYZE on a
 * bench database of 33,000 comments: the campaign look-up cost 1,300 µs of Postgres CPU per comment
 * instead of 140).
 */
export function createPool(connectionString: string, max: number, log: Logger): Pool {
  const pool = new Pool({ connectionString, max, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30000, options: '-c jit=off' });
  pool.on('error', (err) => log.warn({ err: err.message }, 'idle postgres client error'));
  return pool;
}

/** Runs `fn` in one transaction on one client: BEGIN … COMMIT, ROLLBACK on error, release in finally. */
export async function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** SQLSTATE classes that mean "the database is away or overloaded": retry later, do not fail the job. */
export function isTransientDbError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === 'string') {
    if (/^(08|53|57P)/.test(e.code)) return true; // connection exception, insufficient resources, operator intervention
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(e.code)) return true;
  }
  return /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error/i.test(e?.message ?? '');
}

/**
 * SQLSTATE class 22 (data exception: invalid text, out-of-range value): the comment itself can
 * never be stored as it is, so retrying for hours only delays the dead letter.
 */
export function isDataError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('22');
}
