import { isIP } from 'node:net';

/**
 * Which addresses a user-given URL may reach. Everything but public unicast is refused: private, loopback,
 * link-local (cloud metadata lives at 169.254.169.254), shared, multicast, documentation and reserved ranges,
 * in IPv4 and IPv6, including IPv4 hidden inside IPv6 (mapped, compatible, NAT64, 6to4) and Teredo.
 */

type Cidr = readonly [bytes: readonly number[], prefix: number];

const V4_BLOCKED: readonly Cidr[] = [
  [[0, 0, 0, 0], 8], // "this" network
  [[10, 0, 0, 0], 8], // private
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[127, 0, 0, 0], 8], // loopback
  [[169, 254, 0, 0], 16], // link-local (cloud metadata)
  [[172, 16, 0, 0], 12], // private
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation
  [[192, 88, 99, 0], 24], // 6to4 relay anycast
  [[192, 168, 0, 0], 16], // private
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation
  [[203, 0, 113, 0], 24], // documentation
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved, broadcast
];

/** Inside global unicast (2000::/3), the ranges that are not really public. */
const V6_BLOCKED: readonly Cidr[] = [
  [[0x20, 0x01, 0x00, 0x00], 32], // Teredo: tunnels to an IPv4 address we cannot judge
  [[0x20, 0x01, 0x00, 0x10], 28], // ORCHID
  [[0x20, 0x01, 0x00, 0x20], 28], // ORCHIDv2
  [[0x20, 0x01, 0x0d, 0xb8], 32], // documentation
];

function inCidr(bytes: readonly number[], [net, prefix]: Cidr): boolean {
  for (let bit = 0; bit < prefix; bit++) {
    const i = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if (((bytes[i] ?? 0) & mask) !== ((net[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** The four bytes of a dotted-quad IPv4 address, or null. */
export function parseIPv4(text: string): number[] | null {
  if (isIP(text) !== 4) return null;
  return text.split('.').map(Number);
}

/** The sixteen bytes of an IPv6 address (zone id ignored, dotted tail allowed), or null. */
export function parseIPv6(text: string): number[] | null {
  const address = text.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (isIP(address) !== 6) return null;
  let groups = address;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  if (tail) {
    const v4 = parseIPv4(tail);
    if (!v4) return null;
    const hex = (a: number, b: number) => ((a << 8) | b).toString(16);
    groups = `${address.slice(0, -tail.length)}${hex(v4[0] ?? 0, v4[1] ?? 0)}:${hex(v4[2] ?? 0, v4[3] ?? 0)}`;
  }
  const [head = '', rest] = groups.split('::');
  const left = head ? head.split(':') : [];
  const right = rest ? rest.split(':') : [];
  const fill = rest === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  const all = [...left, ...fill, ...right];
  if (all.length !== 8) return null;
  return all.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
}

function v4Blocked(bytes: readonly number[]): boolean {
  return V4_BLOCKED.some((cidr) => inCidr(bytes, cidr));
}

const zeros = (bytes: readonly number[], from: number, to: number) =>
  bytes.slice(from, to).every((b) => b === 0);

function v6Blocked(b: readonly number[]): boolean {
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-compatible ::a.b.c.d (which covers :: and ::1): judge the IPv4 inside.
  if (zeros(b, 0, 10) && ((b[10] === 0xff && b[11] === 0xff) || (b[10] === 0 && b[11] === 0))) {
    return v4Blocked(b.slice(12));
  }
  // NAT64 well-known prefix 64:ff9b::/96 reaches the IPv4 inside.
  if (inCidr(b, [[0x00, 0x64, 0xff, 0x9b], 32]) && zeros(b, 4, 12)) return v4Blocked(b.slice(12));
  // 6to4 2002:AABB:CCDD::/48 reaches AA.BB.CC.DD.
  if (b[0] === 0x20 && b[1] === 0x02) return v4Blocked(b.slice(2, 6));
  // Only global unicast is public (this refuses ::, fc00::/7, fe80::/10, fec0::/10, ff00::/8, 100::/64…).
  if (((b[0] ?? 0) & 0xe0) !== 0x20) return true;
  return V6_BLOCKED.some((cidr) => inCidr(b, cidr));
}

/** True when `address` (an IPv4 or IPv6 literal) is not a public unicast address; anything unparsable is refused. */
export function isPrivateAddress(address: string): boolean {
  const v4 = parseIPv4(address);
  if (v4) return v4Blocked(v4);
  const v6 = parseIPv6(address);
  return v6 ? v6Blocked(v6) : true;
}
