// Resolves the caller's IP address from the socket, honouring X-Forwarded-For only from trusted proxies
// (TRUST_PROXY), so that a client cannot choose the IP used for limits or for Cognito's UserContextData.
// The peer address is captured when the connection is accepted: Node forgets it once the socket is closed,
// and a client that resets right after its request would otherwise arrive at the resolver with none.
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from '../config';
import { canonicalIp } from '../http/client-ip';

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
