// Resolves the caller's IP address from the socket, honouring X-Forwarded-For only from trusted proxies
// (TRUST_PROXY), so that a client cannot choose the IP used for limits or for Cognito's UserContextData.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
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
  const resolved = proxyAddr(req, trust);
  return normaliseIp(isIP(resolved) === 0 ? peer : resolved);
}

/** `::ffff:203.0.113.7` (IPv4 on a dual-stack socket) is reported as `203.0.113.7`. */
export function normaliseIp(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}
