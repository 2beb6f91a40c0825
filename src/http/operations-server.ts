// The server of OPS_PORT: /metrics, /readyz and /healthz on a port of their own, so that they can be kept off
// the public listener. Nothing else is served there (no GraphQL, no CORS, no request ids). Its clients are
// probes and scrapers, so it allows few connections and little time to send a request.
import { createServer, type Server } from 'node:http';
import { type Handler, sendNotFound } from './server';

/** A probe or a scrape is a few hundred bytes of headers: a client that takes longer is not one. */
const HEADERS_TIMEOUT_MS = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
/** Prometheus and kubelet reuse their connections between scrapes and probes. */
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** A few probes and scrapers at once, with room for their reconnects; far below the public port's. */
export const OPERATIONS_MAX_CONNECTIONS = 32;

/** A server that answers GET/HEAD on `routes` by exact path, and 404 to everything else. */
export function createOperationsServer(routes: ReadonlyMap<string, Handler>): Server {
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
      else sendNotFound(res);
    },
  );
  // A client that stops reading stalls the parser's timers: close a connection with no traffic either way.
  server.timeout = REQUEST_TIMEOUT_MS;
  server.maxConnections = OPERATIONS_MAX_CONNECTIONS;
  return server;
}
