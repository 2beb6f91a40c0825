// ListUserPoolClientSecrets: the client's active secrets by id and creation date, oldest first; never a value.
import { clientOfPool, describeSecret } from '../client-secrets';
import type { Services } from '../services';
import type { JsonObject } from '../types';
import { readStrings } from '../validation';

export function listUserPoolClientSecrets(
  body: JsonObject,
  deps: Pick<Services, 'store'>,
): { ClientSecrets: Array<{ ClientSecretId: string; ClientSecretCreateDate: number }> } {
  // At most two secrets: one page always holds them all, so NextToken is accepted and never returned.
  const input = readStrings(body, ['UserPoolId', 'ClientId'], ['NextToken']);
  const client = clientOfPool(deps, input.UserPoolId, input.ClientId);
  return { ClientSecrets: (client.secrets ?? []).map(describeSecret) };
}
