// Authentication sessions: the opaque `Session` strings that carry a sign-in from one call to the next
// (InitiateAuth -> RespondToAuthChallenge -> ..., and ConfirmSignUp -> InitiateAuth USER_AUTH). As in Cognito, a
// session belongs to one app client and one user, lasts the client's AuthSessionValidity (3 to 15 minutes), and
// is used once: the next step gets a new one. A wrong code does not use it up: the same session may answer
// again, a few times (MAX_WRONG_CODES), after which it is dead.
import { randomBytes } from 'node:crypto';
import { invalidSession, sessionAlreadyUsed, sessionExpired } from './errors';
import type { MfaType, VerifiableAttribute } from './types';

// Cognito documents the lockout after five wrong MFA codes but not how many one session takes; three is what
// the stand-in allows, so that a typo costs nothing and guessing costs a fresh sign-in.
export const MAX_WRONG_CODES = 3;

export type FirstFactor = 'PASSWORD' | 'EMAIL_OTP' | 'SMS_OTP';
export type CodeChallenge = 'EMAIL_OTP' | 'SMS_OTP' | 'SMS_MFA';

/** What the session waits for. */
export type SessionStep =
  // ConfirmSignUp's session: InitiateAuth USER_AUTH with it signs the user in.
  | { kind: 'sign-up' }
  | { kind: 'select-challenge'; available: readonly FirstFactor[] }
  | { kind: 'select-mfa'; options: readonly MfaType[] }
  | { kind: 'new-password' }
  // A code sent to `attribute`: a first factor (passwordless) or MFA after the password; both end the sign-in.
  | { kind: 'code'; challenge: CodeChallenge; code: string; attribute: VerifiableAttribute }
  | { kind: 'totp' };

export interface AuthSession {
  readonly id: string;
  readonly poolId: string;
  readonly clientId: string;
  /**
   * The user's real username, or for a made-up session (an unknown user, existence errors suppressed) the name
   * the caller gave, with `simulated` set. A simulated session never succeeds.
   */
  readonly username: string;
  readonly simulated: boolean;
  readonly step: SessionStep;
  readonly expiresAt: Date;
  wrongCodes: number;
  used: boolean;
}

// Sessions past their end are forgotten once this many are kept, so a long-running dev server stays small.
const PRUNE_ABOVE = 1000;

export class AuthSessions {
  private readonly sessions = new Map<string, AuthSession>();

  open(
    spec: Pick<AuthSession, 'poolId' | 'clientId' | 'username' | 'simulated' | 'step'>,
    now: Date,
    validityMinutes: number,
  ): AuthSession {
    if (this.sessions.size >= PRUNE_ABOVE) this.prune(now);
    const session: AuthSession = {
      ...spec,
      // Cognito's sessions are long opaque strings; the SDK models them as 20 to 2048 characters.
      id: randomBytes(96).toString('base64url'),
      expiresAt: new Date(now.getTime() + validityMinutes * 60_000),
      wrongCodes: 0,
      used: false,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session `id` names for this client, or Cognito's refusal. */
  live(id: string, clientId: string, now: Date): AuthSession {
    const session = this.sessions.get(id);
    if (!session || session.clientId !== clientId) throw invalidSession();
    if (session.used) throw sessionAlreadyUsed();
    if (now.getTime() >= session.expiresAt.getTime()) throw sessionExpired();
    if (session.wrongCodes >= MAX_WRONG_CODES) throw invalidSession();
    return session;
  }

  private prune(now: Date): void {
    for (const [id, session] of this.sessions) {
      if (now.getTime() >= session.expiresAt.getTime()) this.sessions.delete(id);
    }
  }
}
