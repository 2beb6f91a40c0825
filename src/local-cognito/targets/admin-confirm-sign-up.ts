// AdminConfirmSignUp: confirms a user without a code. Like AWS it verifies no attribute (email_verified is
// left as it was), a difference from ConfirmSignUp that surprises people.
import { cannotConfirm, userDoesNotExist, userPoolNotFound } from '../errors';
import type { Services } from '../services';
import type { JsonObject } from '../types';
import { findUserByIdentifier } from '../username-resolution';
import { readStrings } from '../validation';

export function adminConfirmSignUp(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock'>,
): Record<string, never> {
  const input = readStrings(body, ['UserPoolId', 'Username']);
  const pool = deps.store.getPool(input.UserPoolId);
  if (!pool) throw userPoolNotFound(input.UserPoolId);
  const user = findUserByIdentifier(deps.store, pool, input.Username);
  if (!user) throw userDoesNotExist();
  if (user.status !== 'UNCONFIRMED') throw cannotConfirm(user.status);
  user.status = 'CONFIRMED';
  user.pendingCode = undefined;
  user.lastModifiedAt = deps.clock.now();
  return {};
}
