import { Router } from 'express';
import type { RedisClient as Redis } from '../../queue/redis-connection';
import type { Pool } from '../../db/pool';

/** A readiness probe that may add its own findings (e.g. Redis durability warnings). */
export type ReadinessProbe = () => Promise<Record<string, unknown>>;

/** Resolves with `fn`'s result, or rejects after `ms`: a probe never hangs. */
function within<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    fn().then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/** `/healthz`: the process is alive. `/readyz`: Postgres and Redis answer, so traffic may come. */
export function healthRoutes(deps: { pool: Pool; redis: Redis; probes?: ReadinessProbe[] }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [postgres, redis] = await Promise.all([
      within(1500, () => deps.pool.query('SELECT 1')).then(() => 'ok', (e: Error) => `down: ${e.message}`),
      within(1500, () => deps.redis.ping()).then(() => 'ok', (e: Error) => `down: ${e.message}`),
    ]);
    const extra = await Promise.all((deps.probes ?? []).map((p) => p().catch((e: Error) => ({ probeError: e.message }))));
    const ready = postgres === 'ok' && redis === 'ok';
    res
      .status(ready ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json({ status: ready ? 'ready' : 'unavailable', checks: { postgres, redis }, details: Object.assign({}, ...extra) });
  });
  return router;
}
