// App-client checks shared by the public (unsigned) actions: the client must exist, and a client with a
// secret must be sent SecretHash = Base64(HMAC-SHA256(secret, username + clientId)) over the username exactly
// as the caller sent it (so a case-insensitive pool still needs the hash of the caller's spelling). During a
// rotation the client has two secrets, and a hash made with either is accepted, as Cognito accepts it.
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

export function preventsUserExistenceErrors(pool: UserPool, client: AppClient): boolean {
  return client.preventUserExistenceErrors ?? pool.preventUserExistenceErrors;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
