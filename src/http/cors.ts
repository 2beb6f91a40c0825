// Which browser origins may call the gateway, and the CORS answer as a pure function of the request's method
// and headers: what the `cors` package did with our options (reflected allowed origin, methods GET, POST and
// OPTIONS, requested headers reflected, max age 600 s, no credentials), without a response object to write to.
// Apollo Sandbox (studio.apollographql.com) is added outside production so that `npm start` can be explored
// in Sandbox; in production only CORS_ORIGINS count.
export const APOLLO_SANDBOX_ORIGIN = 'https://studio.apollographql.com';

export function allowedOrigins(config: { corsOrigins: string[]; isProduction: boolean }): Set<string> {
  const origins = new Set(config.corsOrigins);
  if (!config.isProduction) origins.add(APOLLO_SANDBOX_ORIGIN);
  return origins;
}

/**
 * What CORS does to a request: `none` (no Origin, or one not allowed: the request is served without CORS
 * headers, and a browser refuses the answer), `preflight` (of an allowed origin, answered here, 204), or
 * `headers` to put under the served answer's own.
 */
export type CorsOutcome =
  | { kind: 'none' }
  | { kind: 'preflight'; headers: Record<string, string> }
  | { kind: 'headers'; headers: Record<string, string> };

const NONE: CorsOutcome = { kind: 'none' };

export function corsOutcome(
  method: string,
  origin: string | undefined,
  requestedHeaders: string | undefined,
  origins: ReadonlySet<string>,
  credentialed: ReadonlySet<string> = new Set(),
): CorsOutcome {
  if (origin === undefined || !origins.has(origin)) return NONE;
  const credentials: Record<string, string> = credentialed.has(origin)
    ? { 'access-control-allow-credentials': 'true' }
    : {};
  if (method.toUpperCase() !== 'OPTIONS') {
    return {
      kind: 'headers',
      headers: { 'access-control-allow-origin': origin, ...credentials, vary: 'Origin' },
    };
  }
  return {
    kind: 'preflight',
    headers: {
      'access-control-allow-origin': origin,
      ...credentials,
      vary: 'Origin, Access-Control-Request-Headers',
      'access-control-allow-methods': 'GET,POST,OPTIONS',
      ...(requestedHeaders && { 'access-control-allow-headers': requestedHeaders }),
      'access-control-max-age': '600',
      'content-length': '0',
    },
  };
}
