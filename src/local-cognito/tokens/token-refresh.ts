// Redeeming a refresh token (InitiateAuth REFRESH_TOKEN_AUTH and GetTokensFromRefreshToken): which token is still
// good, and rotation. The refusals are Cognito's NotAuthorizedException messages; a token that rotation replaced
// is refused with RefreshTokenReuseException once the client's grace period is over.

import { lifetimeSeconds } from '../app-client-settings';
import { CognitoError, invalidRefreshToken, userDoesNotExist } from '../errors';
import type { Services } from '../services';
import type { AppClient, User, UserPool } from '../types';
import type { RefreshTokenRecord } from './refresh-tokens';

export interface RedeemedRefreshToken {
  record: RefreshTokenRecord;
  pool: UserPool;
  user: User;
}

export function redeemRefreshToken(
  deps: Pick<Services, 'store' | 'clock' | 'refreshTokens'>,
  client: AppClient,
  token: string,
): RedeemedRefreshToken {
  const now = deps.clock.now().getTime();
  const record = deps.refreshTokens.find(token);
  // A token of another app client is as good as none (the knowledge center's "Invalid Refresh Token" causes).
  if (!record || record.clientId !== client.clientId) throw invalidRefreshToken();
  if (deps.refreshTokens.isRevoked(record.originJti)) {
    throw new CognitoError('NotAuthorizedException', 'Refresh Token has been revoked');
  }
  if (now >= record.expiresAt.getTime()) {
    throw new CognitoError('NotAuthorizedException', 'Refresh Token has expired');
  }
  if (record.replacedAt) {
    const graceMs = (client.refreshTokenRotation?.retryGracePeriodSeconds ?? 0) * 1000;
    if (now >= record.replacedAt.getTime() + graceMs) {
      throw new CognitoError('RefreshTokenReuseException', 'Refresh token has already been rotated out.');
    }
  }
  const pool = deps.store.getPool(record.poolId);
  const user = deps.store.findUser(record.poolId, record.username);
  if (!pool || !user) throw userDoesNotExist();
  return { record, pool, user };
}

/**
 * Rotation: a new refresh token of the same sign-in (so RevokeToken on either ends both), valid for the client's
 * full refresh lifetime from now, which is what lets an active user stay signed in. The old one keeps working
 * for the grace period from its first replacement, so a client that lost the answer can retry.
 */
export function rotateRefreshToken(
  deps: Pick<Services, 'clock' | 'refreshTokens'>,
  client: AppClient,
  record: RefreshTokenRecord,
): RefreshTokenRecord {
  const now = deps.clock.now();
  record.replacedAt ??= now;
  return deps.refreshTokens.issue(
    {
      poolId: record.poolId,
      clientId: record.clientId,
      username: record.username,
      originJti: record.originJti,
      eventId: record.eventId,
      authTime: record.authTime,
      expiresAt: new Date(now.getTime() + lifetimeSeconds(client.refreshTokenValidity) * 1000),
    },
    now,
  );
}
