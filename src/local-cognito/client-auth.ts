// App-client checks shared by the public (unsigned) operations: the client must exist, and a client with a
// secret must be sent SecretHash = Base64(HMAC-SHA256(secret, username + clientId)) over the username exactly
// as the caller sent it (so a case-insensitive pool still needs the hash of the caller's spelling).
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
  const client = store.getClient(clientId);
  const pool = client && store.getPool(client.poolId);
  if (!client || !pool) {
    throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  }
  if (client.clientSecret !== undefined) {
    const expected = computeSecretHash(username, clientId, client.clientSecret);
    if (secretHash === undefined || !sameText(secretHash, expected)) {
      throw new CognitoError('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
    }
  }
  return { client, pool };
}

export function preventsUserExistenceErrors(pool: UserPool, client: AppClient): boolean {
  return client.preventUserExistenceErrors ?? pool.preventUserExistenceErrors;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
