// ConfirmForgotPassword: sets a new password with the newest reset code from ForgotPassword, which is then
// used up.
import { authenticateClient, preventsUserExistenceErrors } from '../client-auth';
import { attemptLimitExceeded, codeMismatch, expiredCode, userNotFoundForClient } from '../errors';
import { isResetCodeExpired, MAX_FAILED_RESET_ATTEMPTS } from '../password-reset-codes';
import { checkPasswordPolicy, hashPassword } from '../passwords';
import type { Services } from '../services';
import type { JsonObject } from '../types';
import { findUserByIdentifier } from '../username-resolution';
import { readObject, readStrings } from '../validation';

export function confirmForgotPassword(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock'>,
): Record<string, never> {
  const input = readStrings(body, ['ClientId', 'Username', 'ConfirmationCode', 'Password'], ['SecretHash']);
  for (const field of ['ClientMetadata', 'UserContextData', 'AnalyticsMetadata']) readObject(body, field);
  const { client, pool } = authenticateClient(deps.store, input.ClientId, input.Username, input.SecretHash);

  const user = findUserByIdentifier(deps.store, pool, input.Username);
  if (!user) {
    throw preventsUserExistenceErrors(pool, client) ? codeMismatch() : userNotFoundForClient();
  }
  const pending = user.pendingPasswordReset;
  const now = deps.clock.now();
  if (pending && pending.failedAttempts >= MAX_FAILED_RESET_ATTEMPTS) throw attemptLimitExceeded();
  if (!pending || pending.code !== input.ConfirmationCode) {
    if (pending) pending.failedAttempts++;
    throw codeMismatch();
  }
  if (isResetCodeExpired(pending, now)) throw expiredCode();
  // Cognito does not document whether the code or the policy is checked first. Checking the policy last
  // keeps the code usable, so a user who picked too weak a password retries without a new code.
  checkPasswordPolicy(pool, input.Password);

  user.passwordHash = hashPassword(input.Password);
  user.pendingPasswordReset = undefined;
  user.lastModifiedAt = now;
  return {};
}
