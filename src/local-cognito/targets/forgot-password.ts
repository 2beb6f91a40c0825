// ForgotPassword: sends a one-hour password-reset code to the user's verified email or phone number.
import { authenticateClient, preventsUserExistenceErrors } from '../client-auth';
import { simulateCodeDelivery } from '../confirmation-codes';
import { userNotFoundForClient } from '../errors';
import { issueResetCode, noVerifiedDestination, resetCodeAttributes } from '../password-reset-codes';
import type { Services } from '../services';
import type { CodeDeliveryDetails, JsonObject } from '../types';
import { readObject, readStrings } from '../validation';

export interface ForgotPasswordResponse {
  CodeDeliveryDetails: CodeDeliveryDetails;
}

export function forgotPassword(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock' | 'outbox' | 'generateCode'>,
): ForgotPasswordResponse {
  const input = readStrings(body, ['ClientId', 'Username'], ['SecretHash']);
  // Accepted and ignored, as without Lambda triggers or advanced security; read only to refuse a wrong type.
  for (const field of ['ClientMetadata', 'UserContextData', 'AnalyticsMetadata']) readObject(body, field);
  const { client, pool } = authenticateClient(deps.store, input.ClientId, input.Username, input.SecretHash);

  const user = deps.store.findUser(pool.id, input.Username);
  if (!user) {
    if (!preventsUserExistenceErrors(pool, client)) throw userNotFoundForClient();
    // Looks like a delivery, sends nothing. A pool that auto-verifies nothing can have no verified user, so
    // there the refusal every real user would get is the answer that reveals nothing.
    const simulated = simulateCodeDelivery(deps, pool, input.Username, resetCodeAttributes(pool));
    if (!simulated) throw noVerifiedDestination();
    return { CodeDeliveryDetails: simulated };
  }
  return { CodeDeliveryDetails: issueResetCode(deps, { pool, client, user, identifier: input.Username }) };
}
