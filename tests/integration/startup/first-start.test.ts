import { freePort } from '../../helpers/ports';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { testConfig } from '../../helpers/env';
import { eventually } from '../../helpers/harness';
import { startOwnPostgres, type OwnPostgres } from '../../helpers/postgres-server';
import { envFor, spawnService } from '../../helpers/processes';
import { startOwnRedis, type OwnRedis } from '../../helpers/redis-server';

jest.setTimeout(120000);

/** Runs the real start command (bin/start.ts through tsx) until it exits; killed after `timeoutMs` (then code is 'killed'). */
function startCommand(overrides: Record<string, string>, timeoutMs = 60000): Promise<{ code: number | string; out: string }> {
  const root = path.resolve(__dirname, '../../..');
  const env = envFor(testConfig(), { ROLE: 'api', STARTUP_WAIT_MS: '300', ...overrides });
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bin/start.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal === 'SIGKILL' ? 'killed' : (code ?? String(signal)), out });
    });
  });
}

/** The start command's own lines (not the JSON log lines). */
const plain = (out: string) =>
  out
    .split('\n')
    .filter((l) => l && !l.startsWith('{'))
    .join('\n');

describe('first start: Postgres or Redis missing or unusable', () => {
  it('names each unreachable service, its URL with the password masked, and what to do; exits 1 without a stack', async () => {
    const [pg, redis] = [await freePort(), await freePort()];

    const { code, out } = await startCommand({ DATABASE_URL: `postgres://app:hunter2secret@127.0.0.1:${pg}/comments`, REDIS_URL: `redis://:hunter2secret@127.0.0.1:${redis}` });

    expect(code).toBe(1);
    const text = plain(out);
    expect(text).toContain(`Postgres at postgres://app:****@127.0.0.1:${pg}/comments is not reachable (connect ECONNREFUSED 127.0.0.1:${pg})`);
    expect(text).toContain(`Redis at redis://:****@127.0.0.1:${redis} is not reachable (connect ECONNREFUSED 127.0.0.1:${redis})`);
    expect(text).toMatch(/What to do: install and start PostgreSQL.*or set DATABASE_URL/);
    expect(text).toMatch(/What to do: install and start Redis.*or set REDIS_URL/);
    expect(out).not.toContain('hunter2secret');
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('waits for a Redis that is still starting, then starts', async () => {
    const redis = await startOwnRedis(['--save', '', '--appendonly', 'no']);
    await redis.stop('SIGKILL'); // its port is known and closed: a Redis "still starting"
    const config = testConfig({ REDIS_URL: redis.url });
    try {
      const service = await spawnService(envFor(config, { ROLE: 'api', STARTUP_WAIT_MS: '60000' }), /"msg":"waiting for redis"/, 60000);
      try {
        await redis.start();
        await eventually(async () => /api listening/.test(service.output()), 60000, 100);
        service.child.kill('SIGTERM');
        expect(await service.exited).toBe(0);
      } finally {
        if (service.child.exitCode === null) service.child.kill('SIGKILL');
      }
    } finally {
      await redis.close(); // the queue's keys go with it
    }
  });

  it('refuses a read-only replica Redis at once, saying so', async () => {
    const replica = await startOwnRedis(['--save', '', '--appendonly', 'no', '--replicaof', '127.0.0.1', String(await freePort())]);
    try {
      const { code, out } = await startCommand({ REDIS_URL: replica.url, STARTUP_WAIT_MS: '60000' });

      expect(code).toBe(1);
      expect(plain(out)).toContain(`Redis at ${replica.url} is a read-only replica, which refuses writes (READONLY`);
      expect(plain(out)).toContain('What to do: point REDIS_URL at the primary');
      expect(out).not.toContain('gave up after'); // no waiting for what waiting cannot fix
    } finally {
      await replica.close();
    }
  });

  it('refuses a Redis that is full under noeviction, saying so', async () => {
    const full = await startOwnRedis(['--save', '', '--appendonly', 'no', '--maxmemory', '1', '--maxmemory-policy', 'noeviction']);
    try {
      const { code, out } = await startCommand({ REDIS_URL: full.url, STARTUP_WAIT_MS: '60000' });

      expect(code).toBe(1);
      expect(plain(out)).toContain(`Redis at ${full.url} is full and refuses writes: maxmemory reached with maxmemory-policy noeviction (OOM`);
      expect(plain(out)).toContain('What to do: raise maxmemory');
    } finally {
      await full.close();
    }
  });

  describe('with a Postgres that asks for passwords', () => {
    let pg: OwnPostgres;
    beforeAll(async () => {
      pg = await startOwnPostgres();
      const admin = new Client({ connectionString: pg.adminUrl });
      await admin.connect();
      await admin.query(`CREATE ROLE app LOGIN PASSWORD 'right-password' NOCREATEDB`);
      await admin.end();
    });
    afterAll(async () => {
      await pg?.close();
    });

    it('says the password was refused, without showing it, at once', async () => {
      const { code, out } = await startCommand({ DATABASE_URL: `postgres://app:wrong-password@127.0.0.1:${pg.port}/postgres`, STARTUP_WAIT_MS: '60000' });

      expect(code).toBe(1);
      expect(plain(out)).toContain(`Postgres at postgres://app:****@127.0.0.1:${pg.port}/postgres refused the password of user "app"`);
      expect(plain(out)).toContain('What to do: put the right password in DATABASE_URL');
      expect(out).not.toContain('wrong-password');
      expect(out).not.toContain('gave up after');
    });

    it('says the database is missing and the user may not create it', async () => {
      const { code, out } = await startCommand({ DATABASE_URL: `postgres://app:right-password@127.0.0.1:${pg.port}/comments_here`, MIGRATE_ON_START: 'true', STARTUP_WAIT_MS: '60000' });

      expect(code).toBe(1);
      expect(plain(out)).toContain(`Postgres at postgres://app:****@127.0.0.1:${pg.port}/comments_here has no database "comments_here", and user "app" may not create it`);
      expect(plain(out)).toContain('What to do: create it as a Postgres superuser (sudo -u postgres createdb -O app comments_here)');
    });
  });
});
