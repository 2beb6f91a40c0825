// Resolves the caller's IP address from the socket, honouring X-Forwarded-For only from trusted proxies
// (TRUST_PROXY), so that a client cannot choose the IP used for limits or for Cognito's UserContextData.
// Addresses are canonical: one spelling per address, IPv4-mapped IPv6 as IPv4, no port.
// The peer address is captured when the connection is accepted: Node forgets it once the socket is closed,
// and a client that resets right after its request would otherwise arrive at the resolver with none.
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
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

/** Each accepted socket's peer address, read while the connection is surely open. */
const peerAddresses = new WeakMap<Socket, string>();

/** Captures the peer address of every connection `server` accepts, before any of its requests is read. */
export function capturePeerAddresses(server: Server): void {
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address) peerAddresses.set(socket, address);
  });
}

/** The direct peer's address as captured on arrival; for a socket never captured, what Node still knows. */
export function peerAddressOf(socket: Socket): string | undefined {
  return peerAddresses.get(socket) ?? socket.remoteAddress;
}

export function resolveClientIp(req: IncomingMessage, trust: TrustFn): string | undefined {
  const peer = peerAddressOf(req.socket);
  if (!peer) return undefined;
  // proxy-addr reads the socket itself, which may be closed by now: it is given the captured peer instead.
  const withPeer = { headers: req.headers, socket: { remoteAddress: peer } } as IncomingMessage;
  // A trusted proxy may still pass on junk a client put in X-Forwarded-For: that client has no address we
  // can count it under (not the proxy's, which every such client would share).
  return canonicalIp(proxyAddr(withPeer, trust));
}

/**
 * The one spelling of an address: `::ffff:c633:6407` and `0:0:0:0:0:ffff:198.51.100.7` become
 * `198.51.100.7`, IPv6 is compressed (RFC 5952) without a zone id, and a port (`203.0.113.9:1234`, `[2001:db8::1]:443`) that
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
  // A zone id (`%eth0`) names an interface of the sender, not a part of the address.
  if (address instanceof ipaddr.IPv6) address.zoneId = undefined;
  return address.toString();
}
