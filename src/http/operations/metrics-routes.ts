import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Router, type RequestHandler } from 'express';
import type { Logger } from '../../logger';
import type { Metrics } from '../../metrics';

/**
 * Per request, on finish: the latency histogram by route pattern (never the raw URL: ids would
 * make a series per comment) and status, and accepted comments (202/303 to POST /api/comments,
 * idempotent replays left out).
 */
export function httpMetrics(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      const status = res.statusCode;
      metrics.httpDuration.observe({ method: req.method, route, status }, Number(process.hrtime.bigint() - started) / 1e9);
      if (route === '/api/comments' && req.method === 'POST' && (status === 202 || status === 303) && !res.get('Idempotent-Replayed')) {
        metrics.commentsReceived.inc();
      }
    });
    next();
  };
}

/** Whether the request carries `Authorization: Bearer <token>` (constant-time comparison). */
export function hasBearerToken(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const given = Buffer.from(m[1].trim());
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * `GET /metrics` in Prometheus's text format. With a token configured (METRICS_TOKEN) it answers
 * only `Authorization: Bearer <token>`; anything else gets 401.
 */
export function metricsRoutes(deps: { metrics: Metrics; token?: string }): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (deps.token && !hasBearerToken(req.get('authorization'), deps.token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer realm="metrics"').json({ error: { code: 'unauthorized', message: 'A valid metrics token is required.', requestId: res.locals.requestId } });
      return;
    }
    res.set({ 'Content-Type': deps.metrics.registry.contentType, 'Cache-Control': 'no-store' }).send(await deps.metrics.registry.metrics());
  });
  return router;
}

/**
 * A worker process has no HTTP server: this small one serves its `/metrics` (and nothing else) on
 * WORKER_METRICS_PORT, with the same token rule.
 */
export async function startMetricsServer(opts: { port: number; host: string; metrics: Metrics; token?: string; log: Logger }): Promise<Server> {
  const authorized = (req: IncomingMessage) => !opts.token || hasBearerToken(req.headers.authorization, opts.token);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":{"code":"not_found","message":"No such endpoint."}}');
      return;
    }
    if (!authorized(req)) {
      res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer realm="metrics"' }).end('{"error":{"code":"unauthorized","message":"A valid metrics token is required."}}');
      return;
    }
    opts.metrics.registry.metrics().then(
      (body) => res.writeHead(200, { 'Content-Type': opts.metrics.registry.contentType, 'Cache-Control': 'no-store' }).end(body),
      (err: Error) => {
        opts.log.warn({ err: err.message }, 'metrics not collected');
        res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error":{"code":"internal_error","message":"Metrics could not be collected."}}');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address();
  opts.log.info({ port: typeof address === 'object' && address ? address.port : opts.port }, 'worker metrics listening');
  return server;
}
