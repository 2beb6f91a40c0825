// ConfirmSignUp: checks the user's newest confirmation code and, if it is right and fresh, confirms the user
// and marks the attribute the code went to as verified.
import { authenticateClient, preventsUserExistenceErrors } from '../client-auth';
import { isExpired } from '../confirmation-codes';
import { cannotConfirm, codeMismatch, expiredCode, userNotFoundForClient } from '../errors';
import type { Services } from '../services';
import type { JsonObject } from '../types';
import { readBoolean, readStrings } from '../validation';

export function confirmSignUp(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock'>,
): Record<string, never> {
  const input = readStrings(body, ['ClientId', 'Username', 'ConfirmationCode'], ['SecretHash', 'Session']);
  readBoolean(body, 'ForceAliasCreation');
  const { client, pool } = authenticateClient(deps.store, input.ClientId, input.Username, input.SecretHash);

  const user = deps.store.findUser(pool.id, input.Username);
  if (!user) {
    // With existence errors suppressed an unknown user looks like a wrong code, revealing nothing.
    throw preventsUserExistenceErrors(pool, client) ? codeMismatch() : userNotFoundForClient();
  }
  if (user.status !== 'UNCONFIRMED') throw cannotConfirm(user.status);

  const pending = user.pendingCode;
  const now = deps.clock.now();
  if (!pending || pending.code !== input.ConfirmationCode) throw codeMismatch();
  if (isExpired(pending, now)) throw expiredCode();

  user.status = 'CONFIRMED';
  user.attributes.set(`${pending.attribute}_verified`, 'true');
  user.pendingCode = undefined;
  user.lastModifiedAt = now;
  return {};
}
