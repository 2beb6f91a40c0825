// GET /challenge: a fresh proof-of-work challenge as JSON, in the form the ALTCHA widget's `challenge` URL
// expects, never cached. Served only while CHALLENGE_MODE is not off. Issuing one is signing only (no state,
// no key derivation), so the endpoint costs less than any GraphQL request; the node:http server's connection
// caps bound it like every other path. The request core gives it the CORS of /graphql.
import type { Logger } from '../logger';
import type { PlainResponse } from './plain-response';
import type { Route } from './request-core';

export const CHALLENGE_PATH = '/challenge';

/** The answer to a request for a challenge, by its method (HEAD: the headers only). */
export type ChallengeResponder = (method: string | undefined) => Promise<PlainResponse>;

export function challengeResponder(
  issue: () => Promise<object>,
  onIssued: () => void,
  logger: Logger,
): ChallengeResponder {
  const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
  return async (method) => {
    if (method === 'HEAD') return { status: 200, headers, body: '' };
    try {
      const challenge = await issue();
      onIssued();
      const body = JSON.stringify(challenge);
      return {
        status: 200,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        body,
      };
    } catch (error) {
      logger.error({ err: error }, 'could not issue a challenge');
      return { status: 500, headers, body: JSON.stringify({ error: 'Internal server error' }) };
    }
  };
}

/** GET /challenge as a route of the request core (which adds the CORS of /graphql). */
export function challengeRoutes(respond: ChallengeResponder): Map<string, Route> {
  return new Map([[CHALLENGE_PATH, (request) => respond(request.method)]]);
}
