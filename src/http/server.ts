// The HTTP layer on plain node:http: routes /graphql to Apollo Server's executeHTTPGraphQLRequest and hands
// other paths (operations endpoints unless OPS_PORT serves them, GET /challenge, the demo page) to the routes
// it is given. It does what Express, body-parser and the Express integration did for us, with
// less work per request: CORS, a bounded JSON body (413 past the limit, 400 for bad JSON, 415 for encoded
// bodies), requests by trusted-document id resolved to their text, a request id on every response, and
// errors shaped like GraphQL errors, never a stack trace.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import type { Logger } from '../logger';
import { peerAddressOf, type TrustFn } from './client-ip';
import type { ContextFunction, GatewayContext } from './context';
import { corsMiddleware, needsCors } from './cors';
import { BodyError, parseJsonBody, refuseUnreadableBody, tooLarge } from './json-body';
import { type PersistedDocumentPolicy, resolvePersistedDocument } from './persisted-documents';
import { errorResponse, failureResponse, NOT_FOUND, type PlainResponse } from './plain-response';

export const GRAPHQL_PATH = '/graphql';
export const REQUEST_ID_HEADER = 'x-request-id';

export interface HttpHandlerOptions {
  apollo: ApolloServer<GatewayContext>;
  context: ContextFunction;
  allowedOrigins: Set<string>;
  bodyLimitBytes: number;
  isProduction: boolean;
  logger: Logger;
  /** Which peers are proxies whose `x-request-id` is kept (the same trust as for X-Forwarded-For). */
  trust: TrustFn;
  /** GET/HEAD handlers by exact path, e.g. /healthz, /readyz, /metrics, /demo. */
  routes?: ReadonlyMap<string, Handler>;
  /** GET/HEAD handlers that pages of other origins call (GET /challenge): with the CORS of /graphql. */
  corsRoutes?: ReadonlyMap<string, Handler>;
  /** The trusted documents: requests by id resolved to their text, and the policy for the others. */
  persistedDocuments?: PersistedDocumentPolicy;
  /** Called when a request starts and when its response is finished or abandoned. */
  onRequest?: (phase: 'start' | 'end') => void;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** Callbacks to run when a socket closes: one listener per socket, however many requests it carries. */
const socketCloseCallbacks = new WeakMap<Socket, Set<() => void>>();

function onSocketClose(socket: Socket, callback: () => void): void {
  let callbacks = socketCloseCallbacks.get(socket);
  if (!callbacks) {
    const pending = new Set<() => void>();
    socket.once('close', () => {
      for (const pendingCallback of pending) pendingCallback();
      pending.clear();
    });
    socketCloseCallbacks.set(socket, pending);
    callbacks = pending;
  }
  callbacks.add(callback);
}

function forgetOnSocketClose(socket: Socket, callback: () => void): void {
  socketCloseCallbacks.get(socket)?.delete(callback);
}

/** A request id from a proxy is kept only if it is short and plain: it goes into every log line. */
const FORWARDED_REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** The proxy's request id when the direct peer is a trusted proxy and the id is well-formed, else a new one. */
export function requestIdOf(req: IncomingMessage, trust: TrustFn): string {
  const given = req.headers[REQUEST_ID_HEADER];
  if (typeof given === 'string' && FORWARDED_REQUEST_ID.test(given)) {
    const peer = peerAddressOf(req.socket);
    if (peer !== undefined && trust(peer, 0)) return given;
  }
  return randomUUID();
}

export function createHttpHandler(options: HttpHandlerOptions): Handler {
  const applyCors = corsMiddleware(options.allowedOrigins);
  const withCors = (req: IncomingMessage, res: ServerResponse, run: () => void) => {
    if (needsCors(req.method, req.headers.origin)) applyCors(req, res, run);
    else run();
  };

  const graphql = async (req: IncomingMessage, res: ServerResponse, requestId: string, search: string) => {
    const method = req.method ?? 'GET';
    const given = method === 'POST' ? await readJsonBody(req, options.bodyLimitBytes) : undefined;
    const resolved = resolvePersistedDocument({ method, body: given, search }, options.persistedDocuments);
    if (!resolved.ok) {
      sendFailure(res, errorResponse(resolved.status, resolved.message, resolved.code));
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: resolved.search, body: resolved.body },
      context: async () => options.context(req, requestId),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };

  const onRequest = options.onRequest;
  return (req, res) => {
    if (onRequest) {
      onRequest('start');
      let ended = false;
      const end = () => {
        if (ended) return;
        ended = true;
        forgetOnSocketClose(req.socket, end);
        onRequest('end');
      };
      res.once('close', end);
      // A pipelined request still queued when its client leaves never gets a 'close' of its own.
      onSocketClose(req.socket, end);
    }
    const requestId = requestIdOf(req, options.trust);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const search = query === -1 ? '' : url.slice(query);

    if (path === GRAPHQL_PATH) {
      const run = () => {
        graphql(req, res, requestId, search).catch((error: unknown) => {
          const response = failureResponse(error, options.logger, requestId);
          if (response.status === 413) res.setHeader('connection', 'close');
          sendFailure(res, response);
        });
      };
      withCors(req, res, run);
      return;
    }
    const corsRoute = options.corsRoutes?.get(path);
    if (corsRoute && (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS')) {
      withCors(req, res, () => corsRoute(req, res));
      return;
    }
    const route = options.routes?.get(path);
    if (route && (req.method === 'GET' || req.method === 'HEAD')) {
      route(req, res);
      return;
    }
    if (path === '/' && req.method === 'GET' && !options.isProduction) {
      res.writeHead(302, { location: GRAPHQL_PATH }).end();
      return;
    }
    sendNotFound(res);
  };
}

/** The answer to every path a server does not serve: the same wherever it is given, so it tells nothing. */
export function sendNotFound(res: ServerResponse): void {
  send(res, NOT_FOUND);
}

export function send(res: ServerResponse, response: PlainResponse): void {
  res.writeHead(response.status, response.headers).end(response.body);
}

/**
 * The request body as parsed JSON, or undefined when it is not JSON (Apollo then refuses the request,
 * CSRF prevention first). Bodies over the limit, compressed bodies and malformed JSON are refused here.
 */
async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const headers = {
    contentEncoding: req.headers['content-encoding'],
    contentLength: req.headers['content-length'],
    contentType: req.headers['content-type'],
  };
  refuseUnreadableBody(headers, limit);
  return parseJsonBody(await readBody(req, limit), headers.contentType);
}

/** Reads at most `limit` bytes; past that it stops keeping data and refuses (the connection then closes). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refused = true;
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    let ended = false;
    req.on('end', () => {
      ended = true;
      if (!refused) resolve(Buffer.concat(chunks, size));
    });
    // A client that goes away mid-body is not a server error: settle quietly, nothing waits for the rest.
    const incomplete = () => {
      if (!ended && !refused) reject(new BodyError(400, 'Request body was not completed.'));
    };
    req.on('error', incomplete);
    req.on('close', incomplete);
  });
}

/** Sends an error unless the response has started (then the connection is cut) or is gone. */
function sendFailure(res: ServerResponse, response: PlainResponse): void {
  if (res.destroyed) return;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  send(res, response);
}
