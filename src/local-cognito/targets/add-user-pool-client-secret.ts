// AddUserPoolClientSecret: a second active secret for a client that has one, for rotation without downtime.
// The value is the caller's (24-64 of [\w+], never echoed back) or generated (returned this once).
import { clientOfPool, describeSecret, MAX_ACTIVE_SECRETS } from '../client-secrets';
import { CognitoError } from '../errors';
import { newClientSecret, newSecretEntry } from '../ids';
import type { Services } from '../services';
import type { JsonObject } from '../types';
import { readStrings, validationError } from '../validation';

const CUSTOM_SECRET = /^[\w+]{24,64}$/;

export function addUserPoolClientSecret(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock'>,
): {
  ClientSecretDescriptor: {
    ClientSecretId: string;
    ClientSecretCreateDate: number;
    ClientSecretValue?: string;
  };
} {
  const input = readStrings(body, ['UserPoolId', 'ClientId'], ['ClientSecret']);
  const custom = input.ClientSecret;
  if (custom !== undefined && !CUSTOM_SECRET.test(custom)) {
    throw validationError([
      "Value at 'clientSecret' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+]+ and have length between 24 and 64",
    ]);
  }
  const client = clientOfPool(deps, input.UserPoolId, input.ClientId);
  if (client.secrets === undefined) {
    throw new CognitoError('InvalidParameterException', `Client ${client.clientId} has no client secret.`);
  }
  if (client.secrets.length >= MAX_ACTIVE_SECRETS) {
    throw new CognitoError(
      'LimitExceededException',
      `Client ${client.clientId} already has ${MAX_ACTIVE_SECRETS} active client secrets.`,
    );
  }
  let createdAt = deps.clock.now();
  // Ids are made of the creation time: two secrets made within one millisecond (a fake clock) still differ.
  while (client.secrets.some((s) => s.createdAt.getTime() === createdAt.getTime())) {
    createdAt = new Date(createdAt.getTime() + 1);
  }
  const secret = newSecretEntry(client.clientId, custom ?? newClientSecret(), createdAt);
  deps.store.replaceClient({ ...client, secrets: [...client.secrets, secret] });
  return {
    ClientSecretDescriptor: {
      ...describeSecret(secret),
      ...(custom === undefined && { ClientSecretValue: secret.value }),
    },
  };
}
