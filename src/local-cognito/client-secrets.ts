// What the secret rotation targets share: finding the app client in its pool (Cognito answers
// ResourceNotFoundException for a client of another pool too), and a secret's descriptor on the wire.
import { epochSeconds } from './clock';
import { CognitoError, userPoolNotFound } from './errors';
import type { Services } from './services';
import type { AppClient, ClientSecretEntry } from './types';

/** Cognito's limit on active secrets per app client: two, so that one can replace the other. */
export const MAX_ACTIVE_SECRETS = 2;

export function clientOfPool(deps: Pick<Services, 'store'>, poolId: string, clientId: string): AppClient {
  if (!deps.store.getPool(poolId)) throw userPoolNotFound(poolId);
  const client = deps.store.getClient(clientId);
  if (!client || client.poolId !== poolId) {
    throw new CognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  }
  return client;
}

/** The descriptor without its value: what Cognito lists, and returns for a custom secret. */
export function describeSecret(secret: ClientSecretEntry): {
  ClientSecretId: string;
  ClientSecretCreateDate: number;
} {
  return { ClientSecretId: secret.id, ClientSecretCreateDate: epochSeconds(secret.createdAt) };
}
