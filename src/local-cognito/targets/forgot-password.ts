// ForgotPassword: sends a one-hour password-reset code to the user's verified email or phone number.
import { authenticateClient, preventsUserExistenceErrors } from '../client-auth';
import { simulateCodeDelivery } from '../confirmation-codes';
import { userNotFoundForClient } from '../errors';
import {
  hasResetDestination,
  issueResetCode,
  noVerifiedDestination,
  resetCodeAttributes,
} from '../password-reset-codes';
import type { Services } from '../services';
import type { CodeDeliveryDetails, JsonObject, UserPool } from '../types';
import { findUserByIdentifier } from '../username-resolution';
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

  const user = findUserByIdentifier(deps.store, pool, input.Username);
  const hiding = preventsUserExistenceErrors(pool, client);
  if (!user) {
    if (!hiding) throw userNotFoundForClient();
    return { CodeDeliveryDetails: simulated(deps, pool, input.Username) };
  }
  // With existence errors prevented, Cognito answers a user without a verified email or phone number as it
  // answers a user that does not exist ("Managing error responses" in the developer guide), since the
  // refusal would tell an attacker the account exists.
  if (hiding && !hasResetDestination(pool, user)) {
    return { CodeDeliveryDetails: simulated(deps, pool, input.Username) };
  }
  return { CodeDeliveryDetails: issueResetCode(deps, { pool, client, user, identifier: input.Username }) };
}

// Looks like a delivery, sends nothing. A pool that auto-verifies nothing can have no verified user, so there
// the refusal every real user would get is the answer that reveals nothing.
function simulated(deps: Pick<Services, 'outbox'>, pool: UserPool, username: string): CodeDeliveryDetails {
  const details = simulateCodeDelivery(deps, pool, username, resetCodeAttributes(pool));
  if (!details) throw noVerifiedDestination();
  return details;
}
