import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook may not reach in production: loopback, private,
 * link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
 * documentation, benchmarking, multicast and reserved ranges, and their
 * IPv6 counterparts (including IPv4 written as IPv6).
 */
const notPublicV4 = new BlockList();
// apart: a BlockList checks IPv4 addresses against IPv6 rules too, as ::ffff:a.b.c.d
const notPublicV6 = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  notPublicV4.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  notPublicV6.addSubnet(net, bits, 'ipv6');

/** Whether an IP address (v4 or v6, as text) is one a webhook may be sent to in production. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 0) return false;
  if (family === 4) return !notPublicV4.check(ip, 'ipv4');
  // IPv4 written as IPv6 is judged as IPv4 (other spellings of it fall in ::ffff:0:0/96)
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return isPublicAddress(mapped[1]);
  return !notPublicV6.check(ip, 'ipv6');
}
