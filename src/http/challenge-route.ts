// GET /challenge: a fresh proof-of-work challenge as JSON, in the form the ALTCHA widget's `challenge` URL
// expects, never cached. Served only while CHALLENGE_MODE is not off. Issuing one is signing only (no state,
// no key derivation), so the endpoint costs less than any GraphQL request; the HTTP server's connection caps
// bound it like every other path. The HTTP layer gives it the CORS of /graphql.
import type { Logger } from '../logger';
import type { Handler } from './server';

export const CHALLENGE_PATH = '/challenge';

export function challengeRoute(
  issue: () => Promise<object>,
  onIssued: () => void,
  logger: Logger,
): Map<string, Handler> {
  const handler: Handler = (req, res) => {
    const headers = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' };
    if (req.method === 'HEAD') {
      res.writeHead(200, headers).end();
      return;
    }
    issue().then(
      (challenge) => {
        onIssued();
        const body = JSON.stringify(challenge);
        res.writeHead(200, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'could not issue a challenge');
        res.writeHead(500, { ...headers }).end(JSON.stringify({ error: 'Internal server error' }));
      },
    );
  };
  return new Map([[CHALLENGE_PATH, handler]]);
}
