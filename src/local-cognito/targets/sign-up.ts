// SignUp: creates an UNCONFIRMED user and, when the pool auto-verifies an attribute the user gave, sends the
// first confirmation code. In a pool that signs in by email or phone number the Username is one of those, and
// the answer's UserSub is also the user's real username (see new-users.ts).
import { authenticateClient } from '../client-auth';
import { issueConfirmationCode } from '../confirmation-codes';
import { admitUser } from '../new-users';
import { checkPasswordPolicy, hashPassword } from '../passwords';
import type { Services } from '../services';
import type { CodeDeliveryDetails, JsonObject } from '../types';
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
  const user = admitUser(deps, pool, {
    identifier: input.Username,
    attributes: new Map(attributes.map((a) => [a.Name, a.Value ?? ''])),
    passwordHash: hashPassword(input.Password),
    status: 'UNCONFIRMED',
  });

  const delivery = issueConfirmationCode(deps, { pool, client, user, identifier: input.Username }, 'SignUp');
  return {
    UserConfirmed: false,
    UserSub: user.sub,
    ...(delivery && { CodeDeliveryDetails: delivery }),
  };
}
