// What the sign-in calls use: the refresh-token cookie as one object over the settings (its name, SameSite,
// the refresh token's validity) and the keys in use (read at every call, so a reloaded SESSION_KEYS_FILE
// applies from the next request). Pure apart from the random IV: the clock is passed in.
import type { SameSite } from '../config/types';
import { clearingSetCookie, cookieValues, sessionSetCookie } from './cookies';
import {
  newSessionPayload,
  type SessionPayload,
  seal,
  type UnsealFailure,
  type UnsealResult,
  unseal,
} from './sealed-cookie';
import type { SessionKeys } from './session-keys';

export interface SessionCookieSettings {
  cookieName: string;
  sameSite: SameSite;
  /** The app client's refresh-token validity (REFRESH_TOKEN_VALIDITY_DAYS): a session ends when its token does. */
  refreshTokenValidityDays: number;
}

/** A session read from a request, or why there is none: no cookie at all is `missing`. */
export type SessionReadResult = UnsealResult | { ok: false; reason: 'missing' };
export type SessionReadFailure = UnsealFailure | 'missing';

export class SessionCookie {
  constructor(
    private readonly settings: SessionCookieSettings,
    private readonly keys: () => SessionKeys,
  ) {}

  /** The Set-Cookie for a new session (signIn, or a refresh that issued a new refresh token). `now` in ms. */
  start(
    session: { refreshToken: string; username: string; deviceKey?: string | undefined },
    now: number,
  ): string {
    return this.store(newSessionPayload(session, this.settings.refreshTokenValidityDays, now), now);
  }

  /**
   * The Set-Cookie for a session read earlier, sealed again under the current key and keeping its expiry:
   * for a value that opened with the previous key, so that retiring that key logs out only idle users.
   */
  store(payload: SessionPayload, now: number): string {
    const { cookieName, sameSite } = this.settings;
    const value = seal(payload, { keys: this.keys(), cookieName });
    return sessionSetCookie(cookieName, value, {
      sameSite,
      maxAgeSeconds: payload.expiresAt - Math.floor(now / 1000),
    });
  }

  /**
   * The session in a request's Cookie header. Every value of the cookie's name is tried, at most two, and the
   * first that opens wins; when none does, the first one's reason is answered.
   */
  read(cookieHeader: string | readonly string[] | undefined, now: number): SessionReadResult {
    const { cookieName } = this.settings;
    const keys = this.keys();
    let first: SessionReadResult = { ok: false, reason: 'missing' };
    for (const [index, value] of cookieValues(cookieHeader, cookieName).entries()) {
      const result = unseal(value, { keys, cookieName }, now);
      if (result.ok) return result;
      if (index === 0) first = result;
    }
    return first;
  }

  /** The Set-Cookie that deletes the cookie: at signOut, and when a value did not open. */
  clear(): string {
    return clearingSetCookie(this.settings.cookieName, this.settings.sameSite);
  }
}
