import { Redis } from 'ioredis';
import { testConfig } from '../../helpers/env';
import { obliterateQueue, startHarness } from '../../helpers/harness';
import { envFor, spawnService } from '../../helpers/processes';
import { startOwnRedis, type OwnRedis } from '../../helpers/redis-server';

jest.setTimeout(60000);

async function readyzDetails(baseUrl: string) {
  const res = await fetch(`${baseUrl}/readyz`);
  return { status: res.status, body: (await res.json()) as { details: { redisDurability: { durable: boolean; warnings: string[] } } } };
}

/** The machine's Redis: does it keep queued comments across a restart? (CI starts it with --save "" --appendonly no.) */
async function machineRedisKeepsNothing(url: string): Promise<boolean> {
  const redis = new Redis(url);
  try {
    const [, aof] = (await redis.config('GET', 'appendonly')) as unknown as string[];
    const [, save] = (await redis.config('GET', 'save')) as unknown as string[];
    return aof === 'no' && save === '';
  } finally {
    redis.disconnect();
  }
}

describe('Redis durability at start and in /readyz', () => {
  let own: OwnRedis;
  beforeAll(async () => {
    own = await startOwnRedis(); // appendonly yes, appendfsync always
  });
  afterAll(async () => {
    await own?.close();
  });

  it('warns at start and in /readyz when the machine Redis keeps nothing across a restart', async () => {
    const config = testConfig();
    expect(await machineRedisKeepsNothing(config.REDIS_URL)).toBe(true);
    const api = await spawnService(envFor(config, { ROLE: 'api', LOG_LEVEL: 'info' }), /api listening/);
    try {
      expect(api.output()).toMatch(/"warning":"no persistence \(appendonly no, no save rules\)[^"]*","msg":"redis may lose queued comments"/);
      const port = Number(/"port":(\d+)[^\n]*"api listening"/.exec(api.output())![1]);
      const { status, body } = await readyzDetails(`http://127.0.0.1:${port}`);
      expect(status).toBe(200);
      expect(body.details.redisDurability.durable).toBe(false);
      expect(body.details.redisDurability.warnings).toEqual([expect.stringContaining('no persistence')]);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
      await obliterateQueue(config);
    }
  });

  it('finds nothing to warn about on a Redis with the AOF on and noeviction', async () => {
    const h = await startHarness({ worker: false, env: { REDIS_URL: own.url } });
    try {
      const { body } = await readyzDetails(h.baseUrl);
      expect(body.details.redisDurability).toMatchObject({ durable: true, appendonly: true, appendfsync: 'always', maxmemoryPolicy: 'noeviction', warnings: [] });
    } finally {
      await h.close();
    }
  });

  it('warns in /readyz as soon as the eviction policy changes', async () => {
    const h = await startHarness({ worker: false, env: { REDIS_URL: own.url } });
    const admin = new Redis(own.url);
    try {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const { body } = await readyzDetails(h.baseUrl);
      expect(body.details.redisDurability.durable).toBe(false);
      expect(body.details.redisDurability.warnings).toEqual([expect.stringContaining('maxmemory-policy is allkeys-lru')]);
    } finally {
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      admin.disconnect();
      await h.close();
    }
  });
});
