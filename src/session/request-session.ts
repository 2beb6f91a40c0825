// One request's view of the user's sign-in session: the sealed refresh token it came with (the cookie, or
// for native apps the request's own field), and the Set-Cookie lines it answers with. signIn keeps the
// refresh token Cognito issued, refreshTokens reads it (and keeps a rotated one), signOut ends it. The token
// itself never reaches page script: the cookie is HttpOnly, and the payload's refreshToken stays null unless
// REFRESH_TOKEN_IN_PAYLOAD is on, where it carries the sealed value, never the token Cognito issued.
import { ErrorCode, gatewayError } from '../errors';
import type { KeptRefreshToken, SignInOutcome } from '../user-pool-calls/shared/sign-in-outcome';
import type { SignInPayload } from '../user-pool-calls/shared/sign-in-payload.type';

/** Seals refresh tokens for the cookie (authenticated encryption under the session keys). */
export interface RefreshTokenSealer {
  /** The sealed value and how long the cookie may live. */
  seal(kept: KeptRefreshToken): { value: string; maxAgeSeconds: number };
  /** The token, or undefined for anything that is not a live value sealed under a current key. */
  unseal(value: string): KeptRefreshToken | undefined;
}

export interface SessionSettings {
  sealer: RefreshTokenSealer;
  /** Builds the Set-Cookie line for a sealed value; `undefined` clears the cookie. */
  setCookie(value: string | undefined, maxAgeSeconds: number): string;
  /** Reads the sealed value from a Cookie header. */
  readCookie(header: string | undefined): string | undefined;
  /** REFRESH_TOKEN_IN_PAYLOAD: the sealed value travels in the payload and the input instead of a cookie. */
  inPayload: boolean;
}

const NOT_SIGNED_IN = () =>
  gatewayError(ErrorCode.NOT_SIGNED_IN, 'Not signed in, or the sign-in has ended; sign in again.');

export class RequestSession {
  /** Set-Cookie lines for the answer, in order. */
  readonly setCookies: string[] = [];

  constructor(
    private readonly settings: SessionSettings,
    /** The request's Cookie header, or undefined when it must not count (a page of another site sent it). */
    private readonly cookieHeader: string | undefined,
  ) {}

  /** The payload of a sign-in step, its refresh token kept in the cookie (or sealed into the payload). */
  deliver(outcome: SignInOutcome): SignInPayload {
    const { payload, refresh } = outcome;
    if (refresh && payload.tokens) {
      const { value, maxAgeSeconds } = this.settings.sealer.seal(refresh);
      if (this.settings.inPayload) payload.tokens.refreshToken = value;
      else this.setCookies.push(this.settings.setCookie(value, maxAgeSeconds));
    }
    return payload;
  }

  /**
   * The refresh token this request holds: from the cookie, or with REFRESH_TOKEN_IN_PAYLOAD from the input.
   * NOT_SIGNED_IN when there is none or it does not unseal (forged, from another key, expired); a cookie that
   * does not unseal is cleared.
   */
  current(given: string | null | undefined): KeptRefreshToken {
    const sealed = this.settings.inPayload
      ? (given ?? undefined)
      : this.settings.readCookie(this.cookieHeader);
    if (sealed === undefined) throw NOT_SIGNED_IN();
    const kept = this.settings.sealer.unseal(sealed);
    if (kept) return kept;
    this.end();
    throw NOT_SIGNED_IN();
  }

  /** The session is over (signed out, or Cognito no longer takes its token): the cookie is cleared. */
  end(): void {
    if (!this.settings.inPayload) this.setCookies.push(this.settings.setCookie(undefined, 0));
  }
}
