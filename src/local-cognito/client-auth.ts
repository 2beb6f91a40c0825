// App-client checks shared by the public (unsigned) actions: the client must exist, and a client with a
// secret must be sent SecretHash = Base64(HMAC-SHA256(secret, username + clientId)) over the username exactly
// as the caller sent it (so a case-insensitive pool still needs the hash of the caller's spelling), or for the
// token actions the secret itself. During a rotation the client has two secrets, and either is accepted, as
// Cognito accepts it.
import { timingSafeEqual } from 'node:crypto';
import { computeSecretHash } from '../cognito/secret-hash';
import { CognitoError } from './errors';
import type { Store } from './store';
import type { AppClient, UserPool } from './types';

export function authenticateClient(
  store: Store,
  clientId: string,
  username: string,
  secretHash: string | undefined,
): { client: AppClient; pool: UserPool } {
  const { client, pool } = existingClient(store, clientId);
  if (client.secrets !== undefined) {
    const matches = (secret: string) =>
      secretHash !== undefined && sameText(secretHash, computeSecretHash(username, clientId, secret));
    // Every secret is checked, so the time taken does not tell which one matched.
    const verified = client.secrets.map((s) => matches(s.value)).some(Boolean);
    if (!verified) {
      throw new CognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
    }
  }
  return { client, pool };
}

/** The app client, or Cognito's answer for one that does not exist. */
export function existingClient(store: Store, clientId: string): { client: AppClient; pool: UserPool } {
  const client = store.getClient(clientId);
  const pool = client && store.getPool(client.poolId);
  if (!client || !pool) {
    throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  }
  return { client, pool };
}

/**
 * For the calls that take the client secret itself (GetTokensFromRefreshToken, RevokeToken): any active secret
 * matches. The error type is the action's (RevokeToken models UnauthorizedException, not NotAuthorized);
 * the message is the stand-in's, as Cognito's is not documented.
 */
export function checkClientSecret(
  client: AppClient,
  secret: string | undefined,
  errorType: 'NotAuthorizedException' | 'UnauthorizedException',
): void {
  if (client.secrets === undefined) return;
  const verified = client.secrets.map((s) => secret !== undefined && sameText(secret, s.value)).some(Boolean);
  if (!verified) {
    throw new CognitoError(errorType, `Unable to verify secret for client ${client.clientId}`);
  }
}

export function preventsUserExistenceErrors(pool: UserPool, client: AppClient): boolean {
  return client.preventUserExistenceErrors ?? pool.preventUserExistenceErrors;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
