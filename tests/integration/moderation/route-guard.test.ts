import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import { startHarness, type Harness } from '../../helpers/harness';
import { signedInClient, signIn } from '../../helpers/moderation';

// Real Postgres, Redis and scrypt on a small machine running files in parallel: more than jest's 5 s default.
jest.setTimeout(30000);

/** The only moderator route open without a session or token. */
const OPEN_ROUTES = new Set(['POST /api/moderation/login']);

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[]; router?: { stack: Layer[] } };
  rawPath?: unknown;
}

/** Every registered route as "METHOD /full/path", recursing into mounted routers and sub-apps (bull-board). */
function registeredRoutes(stack: Layer[], prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) {
        for (const p of paths) out.push(`${method.toUpperCase()} ${prefix}${p === '/' && prefix ? '' : p}`);
      }
      continue;
    }
    const inner = layer.handle.stack ?? layer.handle.router?.stack;
    if (inner) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      out.push(...registeredRoutes(inner, prefix + mount));
    }
  }
  return out;
}

/** A concrete URL for a route pattern: ids become fresh uuids, other parameters plain words. */
function concrete(path: string): string {
  return path.replace(/:id\b/g, randomUUID()).replace(/:(\w+)/g, 'x').replace(/\*(\w+)/g, 'x');
}

describe('moderator routes require authentication', () => {
  let h: Harness;
  let routes: string[];
  beforeAll(async () => {
    h = await startHarness({ worker: false });
    const app = h.api.server.listeners('request').find((l) => 'router' in l) as Express;
    routes = [...new Set(registeredRoutes(app.router.stack as unknown as Layer[]))].filter((r) => /^\w+ \/(api\/moderation|admin)(\/|$)/.test(r));
  });
  afterAll(async () => {
    await h.close();
  });

  it('finds the moderator API, the admin tools and the queue dashboard among the registered routes', () => {
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /api/moderation/login',
        'GET /api/moderation/comments',
        'POST /api/moderation/comments/:id/approve',
        'POST /api/moderation/bulk',
        'PUT /api/moderation/settings',
        'GET /api/moderation/events',
        'POST /api/moderation/privacy/erase',
        'GET /admin/queues',
      ]),
    );
    expect(routes.filter((r) => r.includes('/admin/queues/api')).length).toBeGreaterThan(3);
  });

  it('answers 401 on every route but login when no session or token is sent', async () => {
    const failures: string[] = [];
    for (const route of routes.filter((r) => !OPEN_ROUTES.has(r))) {
      const [method, path] = route.split(' ');
      const res = await fetch(`${h.baseUrl}${concrete(path)}`, {
        method,
        headers: { 'content-type': 'application/json', origin: h.baseUrl },
        body: method === 'GET' || method === 'HEAD' ? undefined : '{}',
      });
      await res.arrayBuffer();
      if (res.status !== 401) failures.push(`${route} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 401 for static files of the dashboard and for unknown paths under the guarded prefixes', async () => {
    for (const path of ['/admin/queues/static/js/main.js', '/admin/anything', '/api/moderation/not-a-route']) {
      expect((await fetch(`${h.baseUrl}${path}`)).status).toBe(401);
    }
  });

  it('answers 403 to a signed-in moderator on every admin route: settings, accounts, privacy and the whole queue dashboard', async () => {
    const { account } = await signedInClient(h, 'moderator');
    const cookie = await signIn(h, account.email);
    const adminApi = ['GET /api/moderation/settings', 'PUT /api/moderation/settings', 'GET /api/moderation/moderators', 'POST /api/moderation/moderators', 'PATCH /api/moderation/moderators/:id', 'GET /api/moderation/privacy/export', 'POST /api/moderation/privacy/erase'];
    const dashboard = routes.filter((r) => / \/admin(\/|$)/.test(r)); // retry, clean, pause, obliterate … all of bull-board
    expect(routes).toEqual(expect.arrayContaining(adminApi));
    expect(dashboard.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const route of [...adminApi, ...dashboard]) {
      const [method, path] = route.split(' ');
      const res = await fetch(`${h.baseUrl}${concrete(path)}`, {
        method,
        headers: { cookie, 'content-type': 'application/json', origin: h.baseUrl },
        body: method === 'GET' || method === 'HEAD' ? undefined : '{}',
      });
      await res.arrayBuffer();
      if (res.status !== 403) failures.push(`${route} → ${res.status}`);
    }
    expect(failures).toEqual([]);
    expect(await h.api.producer.queue.isPaused()).toBe(false);
  });

  it('answers 401 with a made-up token or a made-up session cookie', async () => {
    expect((await fetch(`${h.baseUrl}/api/moderation/comments`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${h.baseUrl}/api/moderation/comments`, { headers: { cookie: 'cm_session=cms_forged' } })).status).toBe(401);
  });
});
