import { ConfigError, loadConfig } from '../../../src/config';

const issuesFor = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
};

describe('loadConfig: Redis Cluster and CDN settings', () => {
  it('parses REDIS_CLUSTER_NODES into hosts and ports', () => {
    const cfg = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.5:7000, redis-b.internal:7001,[::1]:7002', QUEUE_PREFIX: '{moderation}' });
    expect(cfg.REDIS_CLUSTER_NODES).toEqual([
      { host: '10.0.0.5', port: 7000 },
      { host: 'redis-b.internal', port: 7001 },
      { host: '::1', port: 7002 },
    ]);
  });

  it('refuses a node that is not host:port, naming it', () => {
    const issues = issuesFor({ REDIS_CLUSTER_NODES: '10.0.0.5:7000,10.0.0.6', QUEUE_PREFIX: '{moderation}' });
    expect(issues).toEqual([expect.stringMatching(/^REDIS_CLUSTER_NODES: not host:port: 10\.0\.0\.6/)]);
    expect(issuesFor({ REDIS_CLUSTER_NODES: 'a:70000', QUEUE_PREFIX: '{m}' })).toHaveLength(1);
  });

  it.each(['bull', 'moderation{}', '}x{'])('refuses QUEUE_PREFIX %s on a cluster: it needs a hash tag', (prefix) => {
    expect(issuesFor({ REDIS_CLUSTER_NODES: '10.0.0.5:7000', QUEUE_PREFIX: prefix })).toEqual([expect.stringMatching(/^QUEUE_PREFIX: on a Redis Cluster .* hash tag/)]);
  });

  it('accepts any prefix without a cluster, and a tagged one anywhere in it', () => {
    expect(issuesFor({ QUEUE_PREFIX: 'bull' })).toEqual([]);
    expect(issuesFor({ REDIS_CLUSTER_NODES: '10.0.0.5:7000', QUEUE_PREFIX: 'site-a{moderation}' })).toEqual([]);
  });

  it('validates the CDN settings', () => {
    expect(loadConfig({}).LISTING_CDN_MAX_AGE).toBe(1);
    expect(issuesFor({ LISTING_CDN_MAX_AGE: '-1' })[0]).toMatch(/^LISTING_CDN_MAX_AGE/);
    expect(issuesFor({ CDN_PURGE_URL: 'ftp://cdn.example/purge' })[0]).toMatch(/^CDN_PURGE_URL/);
    expect(issuesFor({ CDN_PURGE_HEADER: 'no colon here' })[0]).toMatch(/^CDN_PURGE_HEADER/);
    expect(issuesFor({ CDN_PURGE_URL: 'https://api.fastly.com/service/abc/purge/{key}', CDN_PURGE_HEADER: 'Fastly-Key: abc123' })).toEqual([]);
    expect(issuesFor({ REDIS_WAIT_REPLICAS: '11' })[0]).toMatch(/^REDIS_WAIT_REPLICAS/);
  });
});
