// SignUp: creates an UNCONFIRMED user and, when the pool auto-verifies an attribute the user gave, sends the
// first confirmation code.
import { randomUUID } from 'node:crypto';
import { checkAttributeFormats } from '../attribute-formats';
import { authenticateClient } from '../client-auth';
import { issueConfirmationCode } from '../confirmation-codes';
import { CognitoError } from '../errors';
import { checkPasswordPolicy, hashPassword } from '../passwords';
import type { Services } from '../services';
import type { CodeDeliveryDetails, JsonObject, User } from '../types';
import { readAttributes, readStrings } from '../validation';

export interface SignUpResponse {
  UserConfirmed: boolean;
  UserSub: string;
  CodeDeliveryDetails?: CodeDeliveryDetails;
}

export function signUp(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock' | 'outbox' | 'generateCode'>,
): SignUpResponse {
  const input = readStrings(body, ['ClientId', 'Username', 'Password'], ['SecretHash']);
  const attributes = readAttributes(body, 'UserAttributes');
  readAttributes(body, 'ValidationData');
  const { client, pool } = authenticateClient(deps.store, input.ClientId, input.Username, input.SecretHash);

  checkPasswordPolicy(pool, input.Password);
  const values = new Map(attributes.map((a) => [a.Name, a.Value ?? '']));
  checkAttributeFormats(values);
  if (deps.store.findUser(pool.id, input.Username)) {
    throw new CognitoError('UsernameExistsException', 'User already exists');
  }

  const now = deps.clock.now();
  const user: User = {
    username: input.Username,
    sub: randomUUID(),
    status: 'UNCONFIRMED',
    // Cognito owns `sub` and the *_verified flags; a caller cannot set them at sign-up.
    attributes: new Map([...values].filter(([name]) => name !== 'sub' && !name.endsWith('_verified'))),
    createdAt: now,
    lastModifiedAt: now,
    passwordHash: hashPassword(input.Password),
  };
  deps.store.addUser(pool.id, user);

  const delivery = issueConfirmationCode(deps, { pool, client, user, identifier: input.Username }, 'SignUp');
  return {
    UserConfirmed: false,
    UserSub: user.sub,
    ...(delivery && { CodeDeliveryDetails: delivery }),
  };
}
