// The public node:http listener: Node's header, request and keep-alive timeouts, an idle timeout for clients
// that stop reading, the total and per-peer connection caps, and the peer address captured at arrival. It
// serves whatever request handler it is given (the request core behind the node:http adapter).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config';
import { limitConnectionsPerPeer } from './connection-limits';
import { capturePeerAddresses } from './peer-address';

/** How often Node looks for connections past their header or request timeout (30 s by default). */
export const CONNECTIONS_CHECKING_INTERVAL_MS = 1_000;

export function createPublicServer(config: Pick<Config, 'http' | 'trustProxy'>): Server {
  const server = createServer({
    headersTimeout: config.http.headersTimeoutMs,
    requestTimeout: config.http.requestTimeoutMs,
    keepAliveTimeout: config.http.keepAliveTimeoutMs,
    connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
  });
  // A client that stops reading (pipelined requests, answers never read) stalls Node's parser, so no header
  // or request timer runs: a connection with no traffic either way for as long as a request may take is closed.
  server.timeout = config.http.requestTimeoutMs;
  server.maxConnections = config.http.maxConnections;
  if (config.trustProxy.kind === 'none' && config.http.maxConnectionsPerPeer > 0)
    limitConnectionsPerPeer(server, config.http.maxConnectionsPerPeer);
  capturePeerAddresses(server);
  return server;
}

/** Listens and resolves with the server's base URL, e.g. http://127.0.0.1:4000 or http://[::1]:4000. */
export function listenOn(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve(`http://${shownHost}:${address.port}`);
    });
  });
}
