// CORS for the Lambda handler: the server's own middleware (src/http/cors.ts, the `cors` package with the
// allowed origins), run on the request an event carries, with a response that only records what it is told.
// So both transports answer a preflight, and refuse an origin, in exactly the same way.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { corsMiddleware, needsCors } from '../http/cors';
import type { PlainResponse } from '../http/plain-response';
import type { LambdaRequest } from './events';

export type LambdaCors = (
  request: LambdaRequest,
  run: () => Promise<PlainResponse>,
) => Promise<PlainResponse>;

/** Runs `run` with CORS: its answer gets the CORS headers, or a preflight is answered without it. */
export function lambdaCors(origins: Set<string>): LambdaCors {
  const middleware = corsMiddleware(origins);
  return async (request, run) => {
    if (!needsCors(request.method, request.headers.get('origin'))) return run();
    const outcome = await new Promise<{ answered: boolean; status: number; headers: Record<string, string> }>(
      (resolve) => {
        const headers: Record<string, string> = {};
        const recorder = {
          statusCode: 200,
          getHeader: (name: string) => headers[name.toLowerCase()],
          setHeader: (name: string, value: string | number) => {
            headers[name.toLowerCase()] = String(value);
          },
          end: () => resolve({ answered: true, status: recorder.statusCode, headers }),
        };
        const req = { method: request.method, headers: Object.fromEntries(request.headers) };
        middleware(req as unknown as IncomingMessage, recorder as unknown as ServerResponse, () =>
          resolve({ answered: false, status: recorder.statusCode, headers }),
        );
      },
    );
    if (outcome.answered) return { status: outcome.status, headers: outcome.headers, body: '' };
    const response = await run();
    // As on the server, where the CORS headers are set first and the answer's own are set over them.
    return { ...response, headers: { ...outcome.headers, ...response.headers } };
  };
}
