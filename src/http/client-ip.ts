// The one spelling of a client's address, whichever transport saw it: canonical, IPv4-mapped IPv6 as IPv4, no
// port. The node:http server resolves the address from its socket and X-Forwarded-For (src/node-server/
// peer-address.ts); the Lambda handler from what AWS wrote in the event (src/lambda/events.ts).
import ipaddr from 'ipaddr.js';

/**
 * The one spelling of an address: `::ffff:c633:6407` and `0:0:0:0:0:ffff:198.51.100.7` become
 * `198.51.100.7`, IPv6 is compressed (RFC 5952) without a zone id, and a port (`203.0.113.9:1234`, `[2001:db8::1]:443`) that
 * some proxies append is dropped. Anything else is not an address.
 */
export function canonicalIp(raw: string): string | undefined {
  const text = raw.trim();
  // The common case, on every request: an IPv4 address already in its one spelling needs no parsing.
  if (isPlainIpv4(text)) return text;
  const withoutPort =
    /^\[([^\]]+)\](?::\d+)?$/.exec(text)?.[1] ?? /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text)?.[1] ?? text;
  if (!ipaddr.isValid(withoutPort)) return undefined;
  const address = ipaddr.parse(withoutPort);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress())
    return address.toIPv4Address().toString();
  if (address instanceof ipaddr.IPv4 && !ipaddr.IPv4.isValidFourPartDecimal(withoutPort)) return undefined;
  // A zone id (`%eth0`) names an interface of the sender, not a part of the address.
  if (address instanceof ipaddr.IPv6) address.zoneId = undefined;
  return address.toString();
}

const PLAIN_IPV4 = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;

/** Four decimal parts of 0-255 without leading zeros: an IPv4 address that is its own canonical spelling. */
function isPlainIpv4(text: string): boolean {
  return PLAIN_IPV4.test(text) && text.split('.').every((part) => Number(part) <= 255);
}
