// The refresh-token cookie on the wire: reading it from a request's Cookie header, and the Set-Cookie lines
// that set and clear it. Written here rather than taken from a cookie library because the one decision that
// matters is ours: which of several same-named values to read (cookie parsers keep one and drop the rest).
//
// The cookie is always `__Host-`, HttpOnly, Secure and Path=/ with no Domain: script cannot read it, it only
// travels over HTTPS, and no sibling subdomain can set or shadow it (the browser refuses a `__Host-` cookie
// that has a Domain, and one set over plain http). Local development keeps exactly this cookie: Chromium 150 and
// Firefox 140 (checked headless against a node:http server) accept and send back a Secure `__Host-` cookie from
// http://localhost and http://127.0.0.1, which they treat as secure origins, and the demo page is served by the
// gateway itself, so its calls are same-origin. From any other plain-http host (a LAN address, a container's
// name) both browsers drop the cookie silently: sign-in answers, but refreshTokens finds no cookie. Safari is
// reported to refuse Secure cookies from http://localhost too (not checked here): use Chrome or Firefox.
import { SESSION_COOKIE_NAME } from '../config/formats';
import type { SameSite } from '../config/types';

/** How many same-named values are read: a browser sends at most two of ours (see cookieValues). */
export const MAX_SESSION_COOKIE_VALUES = 2;

/** Browsers keep a cookie at most 400 days whatever Max-Age says (RFC 6265bis); saying more would mislead. */
export const MAX_COOKIE_AGE_SECONDS = 400 * 86_400;

const SEALED_VALUE = /^[A-Za-z0-9_-]*$/;

/**
 * The values of the cookie `name`, in the order the client sent them, at most `max`. The Cookie header comes
 * as one string (node:http joins repeated headers with `; `) or, from API Gateway's HTTP API, as a list of
 * `name=value` strings. Names are compared exactly: older browsers treat `__host-x` as an ordinary name that
 * a sibling subdomain may set, so only the exact `__Host-` spelling is read.
 *
 * Two values of one `__Host-` name can reach us only from a client that is not a browser, or from a browser
 * that holds both a partitioned (CHIPS) and an unpartitioned cookie of that name: a browser's jar otherwise
 * keeps one cookie per name, host and path, and a `__Host-` cookie has one possible host and path. The caller
 * tries each (the first that opens wins), so a stale or foreign duplicate cannot hide a good session, and
 * the cap bounds what a client can make it try.
 */
export function cookieValues(
  header: string | readonly string[] | undefined,
  name: string,
  max: number = MAX_SESSION_COOKIE_VALUES,
): string[] {
  if (header === undefined) return [];
  const found: string[] = [];
  for (const line of typeof header === 'string' ? [header] : header) {
    for (const pair of line.split(';')) {
      const equals = pair.indexOf('=');
      // A pair without `=` is a nameless cookie (RFC 6265bis), never ours.
      if (equals === -1 || pair.slice(0, equals).trim() !== name) continue;
      found.push(pair.slice(equals + 1).trim());
      if (found.length >= max) return found;
    }
  }
  return found;
}

/**
 * The Set-Cookie that stores a sealed value for `maxAgeSeconds` (capped at the 400 days browsers keep any
 * cookie). Secure is sent whatever `sameSite` is: `SameSite=None` without it is refused by browsers, and a
 * `__Host-` name needs it anyway.
 *
 * `Partitioned` (CHIPS) is left out on purpose. It would key the cookie to the top-level site it was set
 * under, which matters only with `SameSite=None`, when the app's site differs from the gateway's: a browser
 * that blocks third-party cookies (Chrome with the setting, or in incognito) still keeps a partitioned one.
 * Firefox already partitions third-party cookies by top-level site on its own, and Safari blocks them. Its
 * cost: a partitioned cookie and an unpartitioned one of the same name live side by side, and clearing one
 * needs a Set-Cookie with the same attribute, so switching it on later leaves the old cookie behind. The
 * default deployment (the gateway on a subdomain of the app's site, SameSite=Strict) needs none of it.
 */
export function sessionSetCookie(
  name: string,
  sealedValue: string,
  options: { sameSite: SameSite; maxAgeSeconds: number },
): string {
  assertCookie(name, sealedValue);
  const maxAge = Math.max(0, Math.min(Math.floor(options.maxAgeSeconds), MAX_COOKIE_AGE_SECONDS));
  return `${name}=${sealedValue}; Max-Age=${maxAge}; Path=/; HttpOnly; Secure; SameSite=${options.sameSite}`;
}

/**
 * The Set-Cookie that deletes the cookie (signOut, or a value that did not open): same name, path and
 * attributes, no value, Max-Age=0. A browser matches it to the stored cookie by name, host and path.
 */
export function clearingSetCookie(name: string, sameSite: SameSite): string {
  return sessionSetCookie(name, '', { sameSite, maxAgeSeconds: 0 });
}

/** A name or value that would make another header (or a cookie browsers refuse) is a bug in the caller. */
function assertCookie(name: string, value: string): void {
  if (!SESSION_COOKIE_NAME.test(name))
    throw new TypeError('session cookie name must be __Host- and 1-64 letters, digits, - or _');
  if (!SEALED_VALUE.test(value)) throw new TypeError('session cookie value must be base64url');
}
