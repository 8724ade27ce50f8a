import type { Redis } from 'ioredis';
import { checkRedisDurability } from '../../../src/queue/redis-durability';

/** A Redis that answers CONFIG GET from `config` (or refuses CONFIG, as managed services may) and INFO from `info`. */
function fakeRedis(config: Record<string, string> | null, info: Record<string, string> = {}): Redis {
  return {
    async config(_get: string, key: string) {
      if (!config) throw new Error("ERR unknown command 'CONFIG'");
      return key in config ? [key, config[key]] : [];
    },
    async info() {
      return Object.entries(info).map(([k, v]) => `${k}:${v}`).join('\r\n');
    },
  } as unknown as Redis;
}

const DURABLE = { 'maxmemory-policy': 'noeviction', appendonly: 'yes', appendfsync: 'everysec', save: '' };

describe('checkRedisDurability', () => {
  it('finds nothing wrong with noeviction and the AOF on', async () => {
    const d = await checkRedisDurability(fakeRedis(DURABLE));
    expect(d).toEqual({ durable: true, maxmemoryPolicy: 'noeviction', appendonly: true, appendfsync: 'everysec', saveRules: '', warnings: [] });
  });

  it('warns when Redis may evict queued comments', async () => {
    const d = await checkRedisDurability(fakeRedis({ ...DURABLE, 'maxmemory-policy': 'allkeys-lru' }));
    expect(d.durable).toBe(false);
    expect(d.warnings).toEqual([expect.stringContaining('maxmemory-policy is allkeys-lru')]);
  });

  it('warns when Redis keeps nothing across a restart (appendonly no, no save rules)', async () => {
    const d = await checkRedisDurability(fakeRedis({ ...DURABLE, appendonly: 'no', save: '' }));
    expect(d.warnings).toEqual([expect.stringContaining('no persistence')]);
  });

  it('warns that RDB snapshots alone lose the comments queued since the last one', async () => {
    const d = await checkRedisDurability(fakeRedis({ ...DURABLE, appendonly: 'no', save: '3600 1 300 100' }));
    expect(d.warnings).toEqual([expect.stringContaining('RDB snapshots only')]);
  });

  it('falls back to INFO where CONFIG is disabled', async () => {
    const ok = await checkRedisDurability(fakeRedis(null, { maxmemory_policy: 'noeviction', aof_enabled: '1' }));
    expect(ok).toMatchObject({ durable: true, maxmemoryPolicy: 'noeviction', appendonly: true, saveRules: null });
    const bad = await checkRedisDurability(fakeRedis(null, { maxmemory_policy: 'volatile-lru', aof_enabled: '0' }));
    expect(bad.warnings).toHaveLength(2);
  });
});
