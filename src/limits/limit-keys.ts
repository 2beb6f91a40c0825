// What a caller is counted under, hashed so that shared stores such as Redis never hold addresses. Per-user
// limits count the account or the identifier as the pool compares it (destination-links.ts); the wide fold
// here merges more than the pool does, and serves only the higher aggregate caps, so that an attacker's
// look-alike username (fullwidth, ſ/s) cannot spend a real user's limits.
// IPs: IPv4 as is, IPv6 by network prefix, since one host can pick any address in its /64.
import { hash } from 'node:crypto';
import ipaddr from 'ipaddr.js';

/**
 * A text as a limit key: hashed, so that shared stores such as Redis never hold what it names. One-shot
 * (crypto.hash), as several keys are hashed on every call: no Hash object per key.
 */
export function hashedKey(text: string): string {
  return hash('sha256', text, 'base64url').slice(0, 32);
}

/** The wide-fold key of a username: only for aggregate caps above the per-user ones (see foldUsername). */
export function usernameKey(username: string, caseSensitive: boolean): string {
  return hashedKey(foldUsername(username, caseSensitive));
}

/**
 * The username as the limits compare it. A case-insensitive pool compares lower-cased usernames, so the fold
 * lower-cases first: it is then a function of toLowerCase(x), and since lower-casing is idempotent, x and
 * toLowerCase(x) (one user) always share their limits. Folding case after NFKC, as before, did not: ẞ
 * lower-cases to ß, which upper-cases to SS, yet ẞ upper-cases to itself; and lower-casing İ, Ϊ or Ϋ before a
 * mark gives a string NFKC reorders or composes (İ + U+0327 -> i U+0307 U+0327, normalised i U+0327 U+0307).
 * After that it only merges more: NFKC (canonical and compatibility spellings), upper then lower (ß/ss, ſ/s,
 * ı/i, ς/σ), and NFKC again since case mapping can leave a string unnormalised (ß + U+0301 -> ss + U+0301,
 * normalised sś). The result is already a fixpoint: a second pass changes nothing.
 */
export function foldUsername(username: string, caseSensitive: boolean): string {
  if (caseSensitive) return username.normalize('NFKC');
  return username.toLowerCase().normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

export function ipKey(canonicalIp: string, ipv6PrefixBits: number): string {
  if (!ipaddr.IPv6.isValid(canonicalIp) || ipaddr.IPv4.isValid(canonicalIp)) return canonicalIp;
  const parts = ipaddr.IPv6.parse(canonicalIp).parts.map((part, i) => {
    const keep = Math.max(0, Math.min(16, ipv6PrefixBits - i * 16));
    return keep === 0 ? 0 : part & (0xffff << (16 - keep)) & 0xffff;
  });
  return `${new ipaddr.IPv6(parts).toString()}/${ipv6PrefixBits}`;
}
