// Refresh tokens: opaque to their holder (Cognito's are encrypted; these are random), kept here with what they
// were issued for. Each is bound to one app client and one user. Tokens that descend from one sign-in share its
// origin (the `origin_jti` of every ID and access token issued along the way), so RevokeToken can end them all.
import { randomBytes } from 'node:crypto';

export interface RefreshTokenRecord {
  readonly token: string;
  readonly poolId: string;
  readonly clientId: string;
  /** The user's real username (`cognito:username`). */
  readonly username: string;
  readonly originJti: string;
  readonly eventId: string;
  readonly authTime: Date;
  readonly expiresAt: Date;
  /** When rotation replaced this token; it stays usable for the client's grace period after that. */
  replacedAt?: Date;
}

// Expired tokens are forgotten once this many are kept, so a long-running dev server stays small (a forgotten
// token is then answered as invalid rather than expired).
const PRUNE_ABOVE = 10_000;

export class RefreshTokens {
  private readonly tokens = new Map<string, RefreshTokenRecord>();
  private readonly revokedOrigins = new Set<string>();

  issue(spec: Omit<RefreshTokenRecord, 'token'>, now: Date): RefreshTokenRecord {
    if (this.tokens.size >= PRUNE_ABOVE) {
      for (const [token, record] of this.tokens) {
        if (now.getTime() >= record.expiresAt.getTime()) this.tokens.delete(token);
      }
    }
    const record: RefreshTokenRecord = { ...spec, token: randomBytes(48).toString('base64url') };
    this.tokens.set(record.token, record);
    return record;
  }

  find(token: string): RefreshTokenRecord | undefined {
    return this.tokens.get(token);
  }

  /** Revokes every refresh token of this sign-in, and for GetUser the ID and access tokens it issued. */
  revokeOrigin(originJti: string): void {
    this.revokedOrigins.add(originJti);
  }

  // Revoked tokens stay known, so a later refresh is told "revoked" rather than "invalid", as Cognito tells it.
  isRevoked(originJti: string): boolean {
    return this.revokedOrigins.has(originJti);
  }
}
