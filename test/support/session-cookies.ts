// What the sign-in attack tests read of the refresh-token cookie: the value an answer set (or that it cleared
// it), a request carrying a value, and a stand-in clock they move past Cognito's own sign-in lockout (the browser
// tests move it past a sign-in code's session).
import type { Clock } from '../../src/local-cognito';

/** SESSION_COOKIE_NAME's default. */
export const SESSION_COOKIE = '__Host-cognito-refresh';

/** The cookie's value a Set-Cookie line sets: '' when the line clears it, undefined for another cookie. */
export function sessionCookieOf(line: string, name = SESSION_COOKIE): string | undefined {
  if (!line.startsWith(`${name}=`)) return undefined;
  if (/;\s*Max-Age=0(;|$)/i.test(line)) return '';
  const end = line.indexOf(';');
  return line.slice(name.length + 1, end === -1 ? undefined : end);
}

/** The session cookie's value among these Set-Cookie lines (the last one wins, as in a browser). */
export function sessionCookieIn(lines: readonly string[], name = SESSION_COOKIE): string | undefined {
  let value: string | undefined;
  for (const line of lines) value = sessionCookieOf(line, name) ?? value;
  return value;
}

/** The session cookie a fetch answer set: '' when it cleared it, undefined when it said nothing of it. */
export function setSessionCookie(res: { headers: Headers }, name = SESSION_COOKIE): string | undefined {
  return sessionCookieIn(res.headers.getSetCookie(), name);
}

/** Request headers carrying `value` as the session cookie, with any others. */
export function withSessionCookie(
  value: string,
  extra: Record<string, string> = {},
  name = SESSION_COOKIE,
): Record<string, string> {
  return { cookie: `${name}=${value}`, ...extra };
}

/**
 * The stand-in's clock, moved by hand. It starts at the real time, so that the tokens it dates are current for
 * the gateway; a test moves it only past what the gateway does not model: Cognito's own lock-out, or the end of
 * a sign-in session (the app client's AuthSessionValidity).
 */
export class ManualClock implements Clock {
  private current = new Date(Math.floor(Date.now() / 1000) * 1000);

  now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
