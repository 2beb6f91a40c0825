// The server of OPS_PORT: /metrics, /readyz and /healthz on a port of their own, so that they can be kept off
// the public listener. Nothing else is served there (no GraphQL, no CORS, no request ids). Its clients are
// probes and scrapers, so it allows few connections, a few per peer, and little time to send a request; and
// since an orchestrator restarts or drains a gateway whose probes fail, no peer can hold them all.
import { createServer, type Server } from 'node:http';
import { notFound } from '../http/plain-response';
import { shareConnections } from './connection-limits';
import { type Handler, send } from './http-adapter';

/**
 * A probe or a scrape is a GET of a few hundred bytes, sent at once: a client that takes longer is not one
 * (the kubelet gives up on a probe after 1 s by default). Node checks every second, so such a connection is
 * closed within 3 s.
 */
const HEADERS_TIMEOUT_MS = 2_000;
const REQUEST_TIMEOUT_MS = 2_000;
/** A connection with no traffic either way (a client that stopped reading its answer) is closed after this. */
const IDLE_TIMEOUT_MS = 10_000;
/** Prometheus and kubelet reuse their connections between scrapes and probes. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** A few probes and scrapers at once, with room for their reconnects; far below the public port's. */
export const OPS_MAX_CONNECTIONS = 32;
/**
 * What one probe or scraper needs, with room to spare: a kubelet's liveness, readiness and startup probes of
 * one pod come from one address. Past it a peer's new connections are closed at once.
 */
export const OPS_MAX_CONNECTIONS_PER_PEER = 8;

/** A server that answers GET/HEAD on `routes` by exact path, and 404 to everything else. */
export function createOpsServer(routes: ReadonlyMap<string, Handler>): Server {
  const server = createServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => {
      const url = req.url ?? '/';
      const query = url.indexOf('?');
      const route = routes.get(query === -1 ? url : url.slice(0, query));
      if (route && (req.method === 'GET' || req.method === 'HEAD')) route(req, res);
      else void send(res, notFound());
    },
  );
  // A client that stops reading stalls the parser's timers: close a connection with no traffic either way.
  server.timeout = IDLE_TIMEOUT_MS;
  // Per address, and a full port still lets in a peer that holds fewer than the largest holder, in place of
  // one of that holder's idle connections: whoever holds the most cannot keep the kubelet out.
  shareConnections(server, {
    maxConnections: OPS_MAX_CONNECTIONS,
    maxPerPeer: OPS_MAX_CONNECTIONS_PER_PEER,
  });
  return server;
}
