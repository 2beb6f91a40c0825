// The local outbox on the demo page (development, local mode only): GET /demo/outbox answers the newest codes
// the embedded stand-in "sent", with where and how they went, so that the page shows them beside its forms and
// a newcomer need not copy them from the console. It reads the stand-in's outbox in process. Only local mode
// (main.ts, no COGNITO_* settings) passes an outbox, so the route does not exist in production nor in front of
// a real or emulated Cognito: there /demo/outbox is a 404 like any unknown path. Codes and unmasked
// destinations go only to a browser on this machine (a loopback peer, whatever X-Forwarded-For says): the
// stand-in itself listens on loopback only, and a gateway listening on 0.0.0.0 must not widen that.
import ipaddr from 'ipaddr.js';
import { canonicalIp } from '../http/client-ip';
import type { OutboxMessage, OutboxReader } from '../local-cognito';
import type { Handler } from '../node-server/http-adapter';
import { peerAddressOf } from '../node-server/peer-address';
import { DEMO_PATH } from './demo-page';

export const OUTBOX_PATH = `${DEMO_PATH}/outbox`;
/** The page shows the newest few; the stand-in keeps up to 1,000. */
export const OUTBOX_SHOWN = 20;

/**
 * What the page shows of a message: the code, where and how it went, for whom and why. `purpose` tells a
 * sign-in code (an MFA code or a one-time password, reason SignIn) from a sign-up or reset code.
 */
export type ShownMessage = Pick<
  OutboxMessage,
  'id' | 'at' | 'reason' | 'purpose' | 'medium' | 'destination' | 'code' | 'username' | 'identifier'
>;

const HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

export const NOT_LOOPBACK_MESSAGE =
  'The local outbox is shown only to a browser on the machine that runs the gateway. Read the codes on its console.';

/** The newest messages first, at most OUTBOX_SHOWN of them. */
export function shownMessages(outbox: OutboxReader): ShownMessage[] {
  return outbox
    .list()
    .slice(-OUTBOX_SHOWN)
    .reverse()
    .map(({ id, at, reason, purpose, medium, destination, code, username, identifier }) => ({
      id,
      at,
      reason,
      purpose,
      medium,
      destination,
      code,
      username,
      identifier,
    }));
}

export function isLoopback(address: string | undefined): boolean {
  const ip = address === undefined ? undefined : canonicalIp(address);
  return ip !== undefined && ipaddr.parse(ip).range() === 'loopback';
}

export function outboxRoutes(outbox: OutboxReader): Map<string, Handler> {
  const handler: Handler = (req, res) => {
    const local = isLoopback(peerAddressOf(req.socket));
    const body = Buffer.from(
      JSON.stringify(local ? { messages: shownMessages(outbox) } : { error: NOT_LOOPBACK_MESSAGE }),
    );
    res.writeHead(local ? 200 : 403, { ...HEADERS, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  return new Map([[OUTBOX_PATH, handler]]);
}
