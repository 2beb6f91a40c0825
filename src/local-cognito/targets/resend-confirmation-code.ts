// ResendConfirmationCode: issues a new code for an unconfirmed user; the previous code stops working.
import { authenticateClient, preventsUserExistenceErrors } from '../client-auth';
import { issueConfirmationCode, signUpCodeAttributes, simulateCodeDelivery } from '../confirmation-codes';
import { CognitoError, userNotFoundForClient } from '../errors';
import type { Services } from '../services';
import type { CodeDeliveryDetails, JsonObject } from '../types';
import { findUserByIdentifier } from '../username-resolution';
import { readStrings } from '../validation';

export interface ResendConfirmationCodeResponse {
  CodeDeliveryDetails: CodeDeliveryDetails;
}

function autoVerificationOff(): CognitoError {
  return new CognitoError(
    'InvalidParameterException',
    'Cannot resend codes. Auto verification not turned on.',
  );
}

export function resendConfirmationCode(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock' | 'outbox' | 'generateCode'>,
): ResendConfirmationCodeResponse {
  const input = readStrings(body, ['ClientId', 'Username'], ['SecretHash']);
  const { client, pool } = authenticateClient(deps.store, input.ClientId, input.Username, input.SecretHash);

  const user = findUserByIdentifier(deps.store, pool, input.Username);
  if (!user) {
    if (!preventsUserExistenceErrors(pool, client)) throw userNotFoundForClient();
    const simulated = simulateCodeDelivery(deps, pool, input.Username, signUpCodeAttributes(pool));
    if (!simulated) throw autoVerificationOff();
    return { CodeDeliveryDetails: simulated };
  }
  if (user.status === 'CONFIRMED') {
    throw new CognitoError('InvalidParameterException', 'User is already confirmed.');
  }
  const delivery = issueConfirmationCode(
    deps,
    { pool, client, user, identifier: input.Username },
    'ResendCode',
  );
  if (!delivery) throw autoVerificationOff();
  return { CodeDeliveryDetails: delivery };
}
