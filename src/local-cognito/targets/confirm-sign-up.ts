// ConfirmSignUp: checks the user's newest confirmation code and, if it is right and fresh, confirms the user
// and marks the attribute the code went to as verified. It answers a Session with which InitiateAuth USER_AUTH
// signs the new user in without a password (the code was the first factor): once, on this app client, within
// its AuthSessionValidity (API reference, InitiateAuth Session and ConfirmSignUp Session).
import { authenticateClient, preventsUserExistenceErrors } from '../client-auth';
import { isExpired } from '../confirmation-codes';
import { aliasExists, cannotConfirm, codeMismatch, expiredCode, userNotFoundForClient } from '../errors';
import type { Services } from '../services';
import type { JsonObject, User, UserPool, VerifiableAttribute } from '../types';
import { findUserByIdentifier, holderOf, isActiveAlias } from '../username-resolution';
import { readBoolean, readStrings } from '../validation';

export function confirmSignUp(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock' | 'sessions'>,
): { Session: string } {
  const input = readStrings(body, ['ClientId', 'Username', 'ConfirmationCode'], ['SecretHash', 'Session']);
  const forceAlias = readBoolean(body, 'ForceAliasCreation') ?? false;
  const { client, pool } = authenticateClient(deps.store, input.ClientId, input.Username, input.SecretHash);

  const user = findUserByIdentifier(deps.store, pool, input.Username);
  if (!user) {
    // With existence errors suppressed an unknown user looks like a wrong code, revealing nothing.
    throw preventsUserExistenceErrors(pool, client) ? codeMismatch() : userNotFoundForClient();
  }
  if (user.status !== 'UNCONFIRMED') throw cannotConfirm(user.status);

  const pending = user.pendingCode;
  const now = deps.clock.now();
  if (!pending || pending.code !== input.ConfirmationCode) throw codeMismatch();
  if (isExpired(pending, now)) throw expiredCode();

  claimAlias(deps, pool, user, pending.attribute, forceAlias);
  user.status = 'CONFIRMED';
  user.attributes.set(`${pending.attribute}_verified`, 'true');
  user.pendingCode = undefined;
  user.lastModifiedAt = now;
  const session = deps.sessions.open(
    {
      poolId: pool.id,
      clientId: client.clientId,
      username: user.username,
      simulated: false,
      step: { kind: 'sign-up' },
    },
    now,
    client.authSessionValidityMinutes,
  );
  return { Session: session.id };
}

// In a pool with this attribute as an alias, a value can be verified in one account only. Confirming with the
// right code fails with AliasExistsException while another account holds it verified, unless the caller forces
// the alias over, which leaves it unverified in the other account (developer guide, "User pool attributes",
// Aliases). The user stays UNCONFIRMED when refused.
function claimAlias(
  deps: Pick<Services, 'store' | 'clock'>,
  pool: UserPool,
  user: User,
  attribute: VerifiableAttribute,
  force: boolean,
): void {
  const value = user.attributes.get(attribute);
  if (!pool.aliasAttributes.includes(attribute) || value === undefined) return;
  const holder = holderOf(deps.store, pool, attribute, value, (u) => isActiveAlias(u, attribute), user);
  if (!holder) return;
  if (!force) {
    throw aliasExists(attribute);
  }
  holder.attributes.set(`${attribute}_verified`, 'false');
  holder.lastModifiedAt = deps.clock.now();
}
