// DeleteUserPoolClientSecret: ends one secret by its id, so SecretHashes made with it stop verifying at once.
// The last remaining secret cannot be deleted.
import { clientOfPool } from '../client-secrets';
import { CognitoError } from '../errors';
import type { Services } from '../services';
import type { JsonObject } from '../types';
import { readStrings } from '../validation';

export function deleteUserPoolClientSecret(
  body: JsonObject,
  deps: Pick<Services, 'store'>,
): Record<string, never> {
  const input = readStrings(body, ['UserPoolId', 'ClientId', 'ClientSecretId']);
  const client = clientOfPool(deps, input.UserPoolId, input.ClientId);
  const secrets = client.secrets ?? [];
  if (!secrets.some((s) => s.id === input.ClientSecretId)) {
    throw new CognitoError(
      'ResourceNotFoundException',
      `Client secret ${input.ClientSecretId} does not exist.`,
    );
  }
  if (secrets.length === 1) {
    throw new CognitoError(
      'InvalidParameterException',
      `Cannot delete the last remaining client secret of client ${client.clientId}.`,
    );
  }
  deps.store.replaceClient({ ...client, secrets: secrets.filter((s) => s.id !== input.ClientSecretId) });
  return {};
}
