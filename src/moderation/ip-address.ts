import { BlockList, isIP } from 'node:net';

/**
 * Addresses that never identify a commenter: loopback, private, link-local, carrier-grade NAT and
 * unique-local ranges. Behind a proxy without TRUST_PROXY every comment seems to come from one of
 * these; counting them would flood-limit, or spam-score, all readers at once.
 */
const NOT_A_CLIENT = new BlockList();
for (const [net, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  NOT_A_CLIENT.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [['::', 127], ['fc00::', 7], ['fe80::', 10]] as const) NOT_A_CLIENT.addSubnet(net, prefix, 'ipv6');

/**
 * The address as a commenter's identity, or null when it cannot be one (missing, malformed, or a
 * loopback/private address: see above). IPv4-mapped IPv6 (`::ffff:203.0.113.7`) becomes IPv4.
 */
export function clientAddress(ip: string | null | undefined): string | null {
  if (!ip) return null;
  // BlockList.check builds a native SocketAddress per call (about 4 µs); a worker asks for the same
  // address twice per comment (history and campaign checks), and the API once per submit.
  // Only address-sized strings are kept: behind a trusted proxy the address is whatever the
  // X-Forwarded-For header says, and 10,000 headers of 16 KB would fill the heap.
  if (ip.length > LONGEST_ADDRESS) return classify(ip);
  const known = recent.get(ip);
  if (known !== undefined) return known;
  const answer = classify(ip);
  if (recent.size >= RECENT_MAX) recent.clear();
  recent.set(ip, answer);
  return answer;
}

/** Answers for recently seen addresses (a pure function of the string, so a cache is safe). */
const recent = new Map<string, string | null>();
const RECENT_MAX = 10_000;
/** An IPv6 address with an embedded IPv4 address and a zone is well under this. */
const LONGEST_ADDRESS = 64;

function classify(ip: string): string | null {
  const plain = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1] ?? ip;
  const family = isIP(plain);
  if (family === 0) return null;
  return NOT_A_CLIENT.check(plain, family === 4 ? 'ipv4' : 'ipv6') ? null : plain;
}
