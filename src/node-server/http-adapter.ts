// The node:http adapter of the request core (src/http/request-core.ts): an IncomingMessage becomes a plain
// request (its body streamed in only when the core asks, within the limit), the plain response is written
// back (a GraphQL stream chunk by chunk). Only what is node's own stays here: the request id a trusted proxy
// gave, the client IP from the socket, the in-flight count, and the node-only routes (ops endpoints on
// the public port, the demo page), which write to the response themselves.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { PlainResponse } from '../http/plain-response';
import { type PlainRequest, REQUEST_ID_HEADER, type RequestCore } from '../http/request-core';
import { trackRequest } from './in-flight-requests';
import { peerAddressOf, resolveClientIp, type TrustFn } from './peer-address';
import { readRequestBody } from './request-body';

export interface HttpAdapterOptions {
  core: RequestCore;
  /** Which peers are proxies whose `x-request-id` and X-Forwarded-For are believed (TRUST_PROXY). */
  trust: TrustFn;
  /** Node-only GET/HEAD handlers by exact path, e.g. /healthz, /readyz, /metrics, /demo. */
  routes?: ReadonlyMap<string, Handler>;
  /** Called when a request starts and when its response is finished or abandoned. */
  onRequest?: (phase: 'start' | 'end') => void;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

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

export function createHttpHandler(options: HttpAdapterOptions): Handler {
  const { core, trust, onRequest } = options;
  return (req, res) => {
    if (onRequest) trackRequest(req, res, onRequest);
    const requestId = requestIdOf(req, trust);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const path = queryAt === -1 ? url : url.slice(0, queryAt);
    const route = options.routes?.get(path);
    if (route && (req.method === 'GET' || req.method === 'HEAD')) {
      route(req, res);
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const request: PlainRequest = {
      method: req.method ?? 'GET',
      path,
      query: queryAt === -1 ? '' : url.slice(queryAt + 1),
      headers,
      readBody: (limit) => readRequestBody(req, limit),
      // Resolved only when a GraphQL request builds its context, as X-Forwarded-For needs parsing.
      get clientIp() {
        return resolveClientIp(req, trust);
      },
      requestId,
    };
    core(request)
      .then((response) => send(res, response))
      .catch(() => res.destroy());
  };
}

/** Writes a response; a stream that fails once started cuts the connection (its status is already out). */
export async function send(res: ServerResponse, response: PlainResponse): Promise<void> {
  if (res.destroyed) return;
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(response.headers))
    headers[name] = typeof value === 'string' ? value : [...value];
  // A refused body is not read to its end: the connection cannot carry another request.
  if (response.status === 413) headers.connection = 'close';
  res.writeHead(response.status, headers);
  if (typeof response.body === 'string') {
    res.end(response.body);
    return;
  }
  for await (const chunk of response.body) res.write(chunk);
  res.end();
}
