// One request's view of the user's sign-in session: the sealed refresh token it came with (the cookie, or
// for native apps with REFRESH_TOKEN_IN_PAYLOAD the request's own field), and the Set-Cookie lines it answers
// with. signIn keeps the refresh token Cognito issued, refreshTokens reads it (and keeps a rotated one),
// signOut ends it. Cognito's token itself never reaches a client: the cookie is HttpOnly and sealed, and in
// payload mode the payload carries the same sealed value, which opens only here.
import { ErrorCode, gatewayError } from '../errors';
import type { KeptRefreshToken, SignInOutcome } from '../user-pool-calls/shared/sign-in-outcome';
import type { SignInPayload } from '../user-pool-calls/shared/sign-in-payload.type';
import { newSessionPayload, type SessionPayload, seal, type UnsealResult, unseal } from './sealed-cookie';
import type { SessionCookie } from './session-cookie';
import type { SessionKeys } from './session-keys';

/** What every request's session shares: the cookie, the keys in use, and the settings. */
export interface SessionServices {
  cookie: SessionCookie;
  /** Read at every use: a reloaded SESSION_KEYS_FILE applies from the next request. */
  keys: () => SessionKeys;
  cookieName: string;
  refreshTokenValidityDays: number;
  /** REFRESH_TOKEN_IN_PAYLOAD: the sealed value travels in the payload and the input instead of a cookie. */
  inPayload: boolean;
  now: () => number;
}

const notSignedIn = () =>
  gatewayError(ErrorCode.NOT_SIGNED_IN, 'Not signed in, or the sign-in has ended; sign in again.');

export class RequestSession {
  /** Set-Cookie lines for the answer, in order. */
  readonly setCookies: string[] = [];

  constructor(
    /** Undefined when sign-in is not configured (no call served uses it). */
    private readonly services: SessionServices | undefined,
    /** The request's Cookie header, or undefined when it must not count (a page of another site sent it). */
    private readonly cookieHeader: string | undefined,
  ) {}

  private get configured(): SessionServices {
    if (!this.services) throw new Error('A sign-in call ran without session settings');
    return this.services;
  }

  /** The payload of a sign-in step, its refresh token kept in the cookie (or sealed into the payload). */
  deliver(outcome: SignInOutcome): SignInPayload {
    const { payload, refresh } = outcome;
    if (refresh && payload.tokens) this.keep(refresh, payload.tokens);
    return payload;
  }

  private keep(refresh: KeptRefreshToken, tokens: NonNullable<SignInPayload['tokens']>): void {
    const s = this.configured;
    const session = {
      refreshToken: refresh.token,
      username: refresh.username,
      ...(refresh.deviceKey && { deviceKey: refresh.deviceKey }),
    };
    if (s.inPayload) {
      const sealed = newSessionPayload(session, s.refreshTokenValidityDays, s.now());
      tokens.refreshToken = seal(sealed, { keys: s.keys(), cookieName: s.cookieName });
    } else {
      this.setCookies.push(s.cookie.start(session, s.now()));
    }
  }

  /**
   * The refresh token this request holds: from the cookie, or with REFRESH_TOKEN_IN_PAYLOAD from the input.
   * NOT_SIGNED_IN when there is none or it does not open (forged, from another key, expired); a cookie that
   * does not open is cleared. A cookie sealed under the previous key is sealed again under the current one.
   */
  current(given: string | null | undefined): KeptRefreshToken {
    const s = this.configured;
    const now = s.now();
    const read: UnsealResult | { ok: false; reason: 'missing' } = s.inPayload
      ? given == null
        ? { ok: false, reason: 'missing' }
        : unseal(given, { keys: s.keys(), cookieName: s.cookieName }, now)
      : s.cookie.read(this.cookieHeader, now);
    if (!read.ok) {
      if (read.reason !== 'missing') this.end();
      throw notSignedIn();
    }
    if (read.sealedWith === 'previous' && !s.inPayload)
      this.setCookies.push(s.cookie.store(read.payload, now));
    return keptOf(read.payload);
  }

  /** The session is over (signed out, or Cognito no longer takes its token): the cookie is cleared. */
  end(): void {
    const s = this.configured;
    if (!s.inPayload) this.setCookies.push(s.cookie.clear());
  }
}

function keptOf(payload: SessionPayload): KeptRefreshToken {
  return {
    token: payload.refreshToken.reveal(),
    username: payload.username,
    ...(payload.deviceKey && { deviceKey: payload.deviceKey }),
  };
}
