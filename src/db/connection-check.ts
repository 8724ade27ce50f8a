import { Client } from 'pg';
import type { Logger } from '../logger';
import { ensureDatabase } from './migrate';

/** What one look at a service found: fine, worth another try (still starting, not there yet), or a problem to fix. */
export type ProbeResult = { ok: true } | { ok: false; retry: boolean; problem: string; fix: string };

/** The URL as it may be shown: the password replaced by ****. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.href;
  } catch {
    return '(not a valid URL)';
  }
}

/** Connection errors that mean "not there (yet)": worth waiting for. */
const UNREACHABLE = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '57P03'];

const SET_URL = 'set DATABASE_URL (in .env or the environment; see .env.example)';

/**
 * Connects to DATABASE_URL once and says what is wrong, in words a newcomer can act on: not
 * reachable, password refused or missing, database missing (created here when `createDatabase`,
 * if the user may), user unknown. The password is never shown.
 */
export async function probePostgres(databaseUrl: string, opts: { createDatabase: boolean; log: Logger; timeoutMs?: number }): Promise<ProbeResult> {
  const url = new URL(databaseUrl);
  const user = decodeURIComponent(url.username) || process.env.PGUSER || 'the default user';
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || user;
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: opts.timeoutMs ?? 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { ok: true };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === '3D000' && opts.createDatabase) return createMissing(databaseUrl, database, user, opts.log);
    return explain(e, { database, user });
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createMissing(databaseUrl: string, database: string, user: string, log: Logger): Promise<ProbeResult> {
  try {
    await ensureDatabase(databaseUrl, log);
    return { ok: true };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === '42501' || e.code === '3D000' || e.code === '28000' || e.code === '28P01') {
      return {
        ok: false,
        retry: false,
        problem: `has no database "${database}", and user "${user}" may not create it (${(e.message ?? '').replace(/\.$/, '')})`,
        fix: `create it as a Postgres superuser (sudo -u postgres createdb -O ${user} ${database}), or ${SET_URL} to a database that exists`,
      };
    }
    return explain(e, { database, user });
  }
}

function explain(e: { code?: string; message?: string }, who: { database: string; user: string }): ProbeResult {
  const message = (e.message ?? String(e)).replace(/\.$/, '');
  if ((e.code && UNREACHABLE.includes(e.code)) || /timeout|terminated|starting up/i.test(message)) {
    return {
      ok: false,
      retry: true,
      problem: `is not reachable (${message})`,
      fix: `install and start PostgreSQL (Debian/Ubuntu: sudo apt-get install postgresql; sudo systemctl start postgresql), or ${SET_URL} to a server that runs`,
    };
  }
  if (e.code === '28P01') {
    return { ok: false, retry: false, problem: `refused the password of user "${who.user}"`, fix: `put the right password in DATABASE_URL (postgres://user:password@host:port/database)` };
  }
  if (/client password must be a string|password authentication|no password supplied/i.test(message)) {
    return { ok: false, retry: false, problem: `asks user "${who.user}" for a password, and DATABASE_URL has none`, fix: `add it to DATABASE_URL (postgres://user:password@host:port/database)` };
  }
  if (e.code === '3D000') {
    return {
      ok: false,
      retry: false,
      problem: `has no database "${who.database}"`,
      fix: `create it (sudo -u postgres createdb -O ${who.user} ${who.database}), set MIGRATE_ON_START=true to let the service create it, or ${SET_URL}`,
    };
  }
  if (e.code === '28000') {
    return { ok: false, retry: false, problem: `refused user "${who.user}" (${message})`, fix: `create the user, allow it in pg_hba.conf, or ${SET_URL}` };
  }
  return { ok: false, retry: false, problem: `answered ${message}${e.code ? ` (SQLSTATE ${e.code})` : ''}`, fix: `check the server and DATABASE_URL` };
}
