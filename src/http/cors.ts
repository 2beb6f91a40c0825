// Which browser origins may call the gateway. Apollo Sandbox (studio.apollographql.com) is added outside
// production so that `npm start` can be explored in Sandbox; in production only CORS_ORIGINS count.
import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';

export const APOLLO_SANDBOX_ORIGIN = 'https://studio.apollographql.com';

export function allowedOrigins(config: { corsOrigins: string[]; isProduction: boolean }): Set<string> {
  const origins = new Set(config.corsOrigins);
  if (!config.isProduction) origins.add(APOLLO_SANDBOX_ORIGIN);
  return origins;
}

/**
 * Whether a request needs the CORS work: only browsers send Origin, so server-to-server and mobile calls skip
 * it; a preflight (OPTIONS) is answered by the CORS middleware itself.
 */
export function needsCors(method: string | undefined, origin: string | undefined): boolean {
  return origin !== undefined || method === 'OPTIONS';
}

export type CorsHandler = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

export function corsMiddleware(origins: Set<string>): CorsHandler {
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && origins.has(origin)),
    methods: ['GET', 'POST', 'OPTIONS'],
    maxAge: 600,
  });
}
