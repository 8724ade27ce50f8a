import { ConfigError, loadConfig } from '../../../src/config';

/** Issue 14, finding 4: TRUST_PROXY=true lets every client choose its own IP address. */
describe('loadConfig TRUST_PROXY', () => {
  const issuesFor = (value: string): string[] => {
    try {
      loadConfig({ TRUST_PROXY: value });
    } catch (err) {
      if (err instanceof ConfigError) return err.issues;
      throw err;
    }
    return [];
  };

  it.each(['true', 'yes'])('refuses %s at start, saying to set a hop count or the proxies’ addresses instead', (value) => {
    const issues = issuesFor(value);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^TRUST_PROXY: /);
    expect(issues[0]).toMatch(/choose their own IP/);
    expect(issues[0]).toMatch(/number of proxies/);
    expect(issues[0]).toMatch(/loopback/);
    expect(issues[0]).toMatch(/10\.0\.0\.0\/8/);
  });

  it('accepts a hop count, range names, addresses and subnets', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).TRUST_PROXY).toBe('loopback');
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::/8, 192.0.2.10' }).TRUST_PROXY).toBe('loopback,10.0.0.0/8,fd00::/8,192.0.2.10');
  });

  it('treats false, 0 and unset as no proxy', () => {
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
  });

  it('refuses an entry that is neither a range name, an address nor a subnet, naming it', () => {
    const issues = issuesFor('loopback,my-balancer,10.0.0.0/40');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^TRUST_PROXY: .*my-balancer, 10\.0\.0\.0\/40/);
  });
});
