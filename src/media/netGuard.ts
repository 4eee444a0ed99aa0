import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a user-given URL may reach. Everything but public unicast is refused: private, loopback,
 * link-local (cloud metadata lives at 169.254.169.254), shared, multicast, documentation and reserved ranges,
 * in IPv4 and IPv6, including IPv4 hidden inside IPv6 (mapped, compatible, NAT64, 6to4) and Teredo.
 * Addresses are parsed and matched by `node:net`'s `BlockList`.
 */

/** IPv4 ranges that are not public unicast: `[network, prefix length]`. */
const V4_BLOCKED: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

/** IPv6 shapes that may be public: global unicast, and the forms carrying an IPv4 address judged on its own. */
const V6_PUBLIC_SHAPES: readonly (readonly [string, number])[] = [
  ['2000::', 3], // global unicast (this leaves out ::, fc00::/7, fe80::/10, fec0::/10, ff00::/8, 100::/64…)
  ['::ffff:0.0.0.0', 96], // IPv4-mapped
  ['::', 96], // IPv4-compatible (covers :: and ::1, judged as 0.0.0.0 and 0.0.0.1)
  ['64:ff9b::', 96], // NAT64 well-known prefix
];

/** Inside global unicast, the ranges that are not really public. */
const V6_BLOCKED: readonly (readonly [string, number])[] = [
  ['2001::', 32], // Teredo: tunnels to an IPv4 address we cannot judge
  ['2001:10::', 28], // ORCHID
  ['2001:20::', 28], // ORCHIDv2
  ['2001:db8::', 32], // documentation
];

/** The 6to4 prefix (2002:AABB:CCDD::/48) routing to the IPv4 network `net`. */
function sixToFour(net: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = net.split('.').map(Number);
  const hex = (x: number, y: number) => ((x << 8) | y).toString(16);
  return `2002:${hex(a, b)}:${hex(c, d)}::`;
}

/** May be public. */
const PUBLIC_SHAPES = new BlockList();
PUBLIC_SHAPES.addSubnet('0.0.0.0', 0, 'ipv4');
for (const [net, prefix] of V6_PUBLIC_SHAPES) PUBLIC_SHAPES.addSubnet(net, prefix, 'ipv6');

/** Refused. An IPv4 rule also matches the IPv4-mapped form; the other IPv6 forms of each range are added. */
const BLOCKED = new BlockList();
for (const [net, prefix] of V4_BLOCKED) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
  BLOCKED.addSubnet(`::${net}`, 96 + prefix, 'ipv6');
  BLOCKED.addSubnet(`64:ff9b::${net}`, 96 + prefix, 'ipv6');
  BLOCKED.addSubnet(sixToFour(net), 16 + prefix, 'ipv6');
}
for (const [net, prefix] of V6_BLOCKED) BLOCKED.addSubnet(net, prefix, 'ipv6');

/** True when `address` (an IPv4 or IPv6 literal) is not a public unicast address; anything unparsable is refused. */
export function isPrivateAddress(address: string): boolean {
  // Brackets of a URL host and an IPv6 zone id (`fe80::1%eth0`) are not part of the address.
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const version = isIP(bare);
  if (version === 0) return true;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  return !PUBLIC_SHAPES.check(bare, family) || BLOCKED.check(bare, family);
}
