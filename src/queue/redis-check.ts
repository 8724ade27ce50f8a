import { connectRedis, type RedisTarget } from './redis-connection';
import type { ProbeResult } from '../db/connection-check';

const SET_URL = 'set REDIS_URL (in .env or the environment; see .env.example)';

/**
 * Connects to REDIS_URL once and writes a short-lived key under the queue's prefix: a Redis that
 * answers but refuses writes (a read-only replica, maxmemory reached under noeviction, a failed
 * snapshot) would take no comment, so it is found at start, not at the first submit.
 */
export async function probeRedis(redisUrl: RedisTarget, prefix: string, timeoutMs = 3000): Promise<ProbeResult> {
  const redis = connectRedis(redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  let lastError: Error | undefined; // the socket's error: connect() itself only says "Connection is closed."
  redis.on('error', (err: Error) => (lastError = err));
  try {
    await redis.connect();
    const key = `${prefix}:startup-check:${process.pid}`;
    await redis.set(key, String(Date.now()), 'PX', 10000);
    await redis.del(key);
    return { ok: true };
  } catch (err) {
    const e = err as { code?: string; message?: string };
    return explain(/Connection is closed/.test(e.message ?? '') && lastError ? lastError : e);
  } finally {
    redis.disconnect();
  }
}

function explain(e: { code?: string; message?: string }): ProbeResult {
  const message = (e.message ?? String(e)).replace(/\.$/, '');
  if (/^READONLY/.test(message)) {
    return { ok: false, retry: false, problem: `is a read-only replica, which refuses writes (${message})`, fix: `point REDIS_URL at the primary, or make this server a primary (REPLICAOF NO ONE)` };
  }
  if (/^OOM/.test(message)) {
    return {
      ok: false,
      retry: false,
      problem: `is full and refuses writes: maxmemory reached with maxmemory-policy noeviction (${message})`,
      fix: `raise maxmemory (redis-cli CONFIG SET maxmemory 256mb, and in redis.conf) or free memory; keep noeviction, which never drops queued comments`,
    };
  }
  if (/^MISCONF/.test(message)) {
    return { ok: false, retry: false, problem: `refuses writes because it cannot save its snapshot (${message})`, fix: `check the Redis log and its disk (space, permissions of its dir)` };
  }
  if (/^(NOAUTH|WRONGPASS)/.test(message)) {
    return { ok: false, retry: false, problem: `refused the password or user (${message})`, fix: `put the right password in REDIS_URL (redis://:password@host:port or redis://user:password@host:port)` };
  }
  if (/^LOADING/.test(message)) {
    return { ok: false, retry: true, problem: `is still loading its data (${message})`, fix: `wait for it to finish loading` };
  }
  if (!/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|connect|Connection is closed|timed? ?out/i.test(`${e.code ?? ''} ${message}`)) {
    return { ok: false, retry: false, problem: `answered ${message}`, fix: `check the server and REDIS_URL` };
  }
  return {
    ok: false,
    retry: true,
    problem: `is not reachable (${message})`,
    fix: `install and start Redis (Debian/Ubuntu: sudo apt-get install redis-server; sudo systemctl start redis-server), or ${SET_URL} to a server that runs`,
  };
}
