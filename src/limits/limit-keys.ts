// What a caller is counted under. Usernames: folded at least as far as the pool compares them (merging too
// much only makes a limit stricter) and hashed, so that shared stores such as Redis never hold addresses.
// IPs: IPv4 as is, IPv6 by network prefix, since one host can pick any address in its /64.
import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';

export function usernameKey(username: string, caseSensitive: boolean): string {
  const normalised = username.normalize('NFKC');
  // Upper then lower folds the letters lower-casing alone keeps apart (ſ/s, ı/i, ς/σ).
  const compared = caseSensitive ? normalised : normalised.toUpperCase().toLowerCase();
  return createHash('sha256').update(compared, 'utf8').digest('base64url').slice(0, 32);
}

export function ipKey(canonicalIp: string, ipv6PrefixBits: number): string {
  if (!ipaddr.IPv6.isValid(canonicalIp) || ipaddr.IPv4.isValid(canonicalIp)) return canonicalIp;
  const parts = ipaddr.IPv6.parse(canonicalIp).parts.map((part, i) => {
    const keep = Math.max(0, Math.min(16, ipv6PrefixBits - i * 16));
    return keep === 0 ? 0 : part & (0xffff << (16 - keep)) & 0xffff;
  });
  return `${new ipaddr.IPv6(parts).toString()}/${ipv6PrefixBits}`;
}
