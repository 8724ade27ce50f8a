import { truncateIp } from '../../../src/queue/personal-data';

describe('truncateIp', () => {
  it('keeps the network of an address as Postgres retention does: IPv4 /24, IPv6 /48', () => {
    expect(truncateIp('198.51.100.123')).toBe('198.51.100.0');
    expect(truncateIp('2001:db8:abcd:12:34::1')).toBe('2001:db8:abcd::');
    expect(truncateIp('2001:db8::1')).toBe('2001:db8:0::');
    expect(truncateIp('::ffff:203.0.113.9')).toBe('::ffff:203.0.113.0');
  });

  it('is stable on a truncated address and refuses what is not one', () => {
    expect(truncateIp('198.51.100.0')).toBe('198.51.100.0');
    expect(truncateIp('2001:db8:abcd::')).toBe('2001:db8:abcd::');
    expect(truncateIp('not-an-ip')).toBeNull();
  });
});
