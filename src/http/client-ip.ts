// Resolves the caller's IP address from the socket, honouring X-Forwarded-For only from trusted proxies
// (TRUST_PROXY), so that a client cannot choose the IP used for limits or for Cognito's UserContextData.
// Addresses are canonical: one spelling per address, IPv4-mapped IPv6 as IPv4, no port.
import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from '../config';

export type TrustFn = (address: string, hop: number) => boolean;

export function compileTrust(setting: TrustProxy): TrustFn {
  switch (setting.kind) {
    case 'none':
      return () => false;
    case 'hops':
      return (_address, hop) => hop < setting.hops;
    case 'addresses':
      return proxyAddr.compile(setting.addresses);
  }
}

export function resolveClientIp(req: IncomingMessage, trust: TrustFn): string | undefined {
  const peer = req.socket.remoteAddress;
  if (!peer) return undefined;
  // A trusted proxy may still pass on junk a client put in X-Forwarded-For; only an address counts.
  return canonicalIp(proxyAddr(req, trust)) ?? canonicalIp(peer);
}

/**
 * The one spelling of an address: `::ffff:c633:6407` and `0:0:0:0:0:ffff:198.51.100.7` become
 * `198.51.100.7`, IPv6 is compressed (RFC 5952), and a port (`203.0.113.9:1234`, `[2001:db8::1]:443`) that
 * some proxies append is dropped. Anything else is not an address.
 */
export function canonicalIp(raw: string): string | undefined {
  const text = raw.trim();
  const withoutPort =
    /^\[([^\]]+)\](?::\d+)?$/.exec(text)?.[1] ?? /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text)?.[1] ?? text;
  if (!ipaddr.isValid(withoutPort)) return undefined;
  const address = ipaddr.parse(withoutPort);
  if (address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress())
    return address.toIPv4Address().toString();
  if (address instanceof ipaddr.IPv4 && !ipaddr.IPv4.isValidFourPartDecimal(withoutPort)) return undefined;
  return address.toString();
}
