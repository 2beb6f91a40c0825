// The gateway's one request handler, whatever carries the request: a plain request in, a plain response out.
// It routes (POST/GET /graphql, the routes it is given, GET /challenge with the CORS of /graphql, 404 for the
// rest), answers CORS, judges the body (413 past the limit, 415 for encoded bodies, 400 for bad JSON),
// resolves persisted documents (under the trusted-documents policy), runs Apollo Server's executeHTTPGraphQLRequest, and puts the request id and the
// security headers on every answer. The transport adapters (src/node-server/, src/lambda/) only translate to and from these types.
import type { ApolloServer, HeaderMap } from '@apollo/server';
import type { Logger } from '../logger';
import { ANALYTICS_HEADER } from './analytics';
import type { ContextFactory, GatewayContext } from './context';
import { corsOutcome } from './cors';
import { parseJsonBody, refuseUnreadableBody, tooLarge } from './json-body';
import { type PersistedDocuments, resolvePersistedDocument } from './persisted-documents';
import {
  errorResponse,
  failureResponse,
  notFound,
  type PlainResponse,
  type ResponseHeaders,
} from './plain-response';
import { statusByMediaType } from './status-by-media-type';

export const GRAPHQL_PATH = '/graphql';
const NO_ORIGINS: ReadonlySet<string> = new Set();
export const REQUEST_ID_HEADER = 'x-request-id';

/** A request as every transport can give it. */
export interface PlainRequest {
  /** Upper case, as the client sent it. */
  method: string;
  /** The path without the query string (for Lambda, without an HTTP API stage's name). */
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  /** Lower-case names; a header sent several times is one value joined with `, `. */
  headers: HeaderMap;
  /**
   * The body's bytes, read only when a route needs them. A transport that streams may refuse (a BodyError
   * of 413) as soon as more than `limit` bytes have come; the core checks the size of what it gets anyway.
   */
  readBody(limit: number): Promise<Buffer>;
  /** The caller's address as the transport resolved it (canonical), or undefined when it has none. */
  clientIp: string | undefined;
  requestId: string;
}

/** A route's answer to a request; it reads the request's method (GET or HEAD) itself. */
export type Route = (request: PlainRequest) => Promise<PlainResponse>;

export type RequestCore = (request: PlainRequest) => Promise<PlainResponse>;

export interface RequestCoreOptions {
  /** Started by the caller (each transport starts it its own way). */
  apollo: ApolloServer<GatewayContext>;
  contextOf: ContextFactory;
  allowedOrigins: ReadonlySet<string>;
  /** Origins whose pages may send the session cookie (CORS with credentials): the configured ones. */
  credentialedOrigins?: ReadonlySet<string>;
  bodyLimitBytes: number;
  logger: Logger;
  /** The documents requests may name by id, resolved to their text. */
  persistedDocuments?: PersistedDocuments | undefined;
  /** The trusted-documents policy is enforced: only the persisted documents run. */
  trustedDocumentsEnforced?: boolean;
  /** GET/HEAD routes by exact path. */
  routes?: ReadonlyMap<string, Route>;
  /** GET/HEAD routes that pages of other origins call (GET /challenge): with the CORS of /graphql. */
  corsRoutes?: ReadonlyMap<string, Route>;
  /** GET / answers a redirect to /graphql (the node:http server outside production); otherwise a 404. */
  redirectRoot?: boolean;
  /** Production: every answer also forbids any content to load or be framed (CSP). */
  production?: boolean;
}

/**
 * On every answer: no content sniffing, no referrer; GraphQL answers are never cached (they carry codes'
 * destinations today, tokens with sign-in). In production, where no page is served, a CSP that lets nothing
 * load and nothing frame an answer.
 */
function securityHeaders(production: boolean, graphql: boolean): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...(graphql && { 'cache-control': 'no-store' }),
    ...(production && { 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" }),
  };
}

export function createRequestCore(options: RequestCoreOptions): RequestCore {
  const { apollo, allowedOrigins, bodyLimitBytes, logger } = options;

  /** Runs `serve` under CORS: a preflight of an allowed origin is answered here, other answers get its headers. */
  const withCors = async (request: PlainRequest, serve: () => Promise<PlainResponse>) => {
    const { headers } = request;
    const cors = corsOutcome(
      request.method,
      headers.get('origin'),
      headers.get('access-control-request-headers'),
      allowedOrigins,
      options.credentialedOrigins,
    );
    if (cors.kind === 'preflight') return { status: 204, headers: cors.headers, body: '' };
    const response = await serve();
    if (cors.kind === 'none') return response;
    // The answer's own headers win over CORS's, as when the `cors` middleware ran before the handler.
    return { ...response, headers: { ...cors.headers, ...response.headers } };
  };

  const graphql = async (request: PlainRequest): Promise<PlainResponse> => {
    const { method, headers } = request;
    const given = method === 'POST' ? await readJsonBody(request, bodyLimitBytes) : undefined;
    const resolved = resolvePersistedDocument(
      { method, body: given, search: request.query },
      options.persistedDocuments,
      options.trustedDocumentsEnforced ?? false,
    );
    if (!resolved.ok) return errorResponse(resolved.status, resolved.message, resolved.code);
    const context = options.contextOf(
      request.requestId,
      request.clientIp,
      headers.get(ANALYTICS_HEADER),
      cookiesThatCount(headers, options.credentialedOrigins ?? NO_ORIGINS),
    );
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: resolved.search, body: resolved.body },
      context: async () => context,
    });
    const status = response.status ?? 200;
    const cookies = context.session.setCookies;
    const answerHeaders: ResponseHeaders = {
      ...Object.fromEntries(response.headers),
      ...(cookies.length > 0 && { 'set-cookie': [...cookies] }),
    };
    if (response.body.kind === 'chunked') {
      return { status, headers: answerHeaders, body: response.body.asyncIterator };
    }
    const body = response.body.string;
    return {
      status: statusByMediaType(status, response.headers.get('content-type'), body),
      headers: { ...answerHeaders, 'content-length': String(Buffer.byteLength(body)) },
      body,
    };
  };

  const route = (request: PlainRequest): Promise<PlainResponse> => {
    const { method, path } = request;
    if (path === GRAPHQL_PATH) {
      // Caught inside CORS, so that a refused body's answer still carries the CORS headers a browser reads.
      return withCors(request, () =>
        graphql(request).catch((error: unknown) => failureResponse(error, logger, request.requestId)),
      );
    }
    const corsRoute = options.corsRoutes?.get(path);
    if (corsRoute && (method === 'GET' || method === 'HEAD' || method === 'OPTIONS'))
      return withCors(request, () => corsRoute(request));
    const plainRoute = options.routes?.get(path);
    if (plainRoute && (method === 'GET' || method === 'HEAD')) return plainRoute(request);
    if (path === '/' && method === 'GET' && options.redirectRoot)
      return Promise.resolve({ status: 302, headers: { location: GRAPHQL_PATH }, body: '' });
    return Promise.resolve(notFound());
  };

  return async (request) => {
    let response: PlainResponse;
    try {
      response = await route(request);
    } catch (error) {
      response = failureResponse(error, logger, request.requestId);
    }
    const security = securityHeaders(options.production ?? false, request.path === GRAPHQL_PATH);
    return {
      ...response,
      headers: { ...response.headers, ...security, [REQUEST_ID_HEADER]: request.requestId },
    };
  };
}

/**
 * The Cookie header, unless a page of another site sent the request: a browser sends a SameSite=None cookie
 * with any site's request, so a request whose Origin is neither an origin allowed credentials (CORS_ORIGINS,
 * never Apollo Sandbox) nor the gateway's own host is served as if it had no cookie (a sign-out or refresh from another site then finds no session). Requests
 * without an Origin are not from a page of another site (browsers send one with every cross-site POST).
 */
export function cookiesThatCount(headers: HeaderMap, allowed: ReadonlySet<string>): string | undefined {
  const cookie = headers.get('cookie');
  if (cookie === undefined) return undefined;
  const origin = headers.get('origin');
  if (origin === undefined || allowed.has(origin)) return cookie;
  try {
    return new URL(origin).host === headers.get('host') ? cookie : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The request body as parsed JSON, or undefined when it is not JSON (Apollo then refuses the request,
 * CSRF prevention first). Bodies over the limit, compressed bodies and malformed JSON are refused here.
 */
async function readJsonBody(request: PlainRequest, limit: number): Promise<unknown> {
  const { headers } = request;
  const contentType = headers.get('content-type');
  refuseUnreadableBody(
    {
      contentEncoding: headers.get('content-encoding'),
      contentLength: headers.get('content-length'),
      contentType,
    },
    limit,
  );
  const raw = await request.readBody(limit);
  if (raw.length > limit) throw tooLarge();
  return parseJsonBody(raw, contentType);
}
