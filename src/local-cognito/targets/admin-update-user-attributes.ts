// AdminUpdateUserAttributes: an operator changes a user's attributes outside the gateway (an IAM call, like
// AdminGetUser). A blank value deletes the attribute; `email_verified` / `phone_number_verified` may be set in
// the same call. As in a pool without AttributesRequireVerificationBeforeUpdate, a new email or phone number
// takes effect at once and is unverified unless the call says otherwise.
//
// Not modelled: Cognito may send a verification message to a changed, auto-verified email or phone number;
// the stand-in sends none (it has no VerifyUserAttribute to use it with), so the outbox stays as it was.
import { checkAttributeFormats } from '../attribute-formats';
import { aliasExists, CognitoError, userDoesNotExist, userPoolNotFound } from '../errors';
import type { Services } from '../services';
import type { AliasAttribute, JsonObject, User, UserPool, VerifiableAttribute } from '../types';
import { findUserByIdentifier, holderOf, isActiveAlias } from '../username-resolution';
import { mustNotBeNull, readAttributes, readObject, readStrings, validationError } from '../validation';

const VERIFIABLE: readonly VerifiableAttribute[] = ['email', 'phone_number'];
const ALIASES: readonly AliasAttribute[] = [...VERIFIABLE, 'preferred_username'];

export function adminUpdateUserAttributes(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock'>,
): Record<string, never> {
  const input = readStrings(body, ['UserPoolId', 'Username']);
  if (body.UserAttributes === undefined || body.UserAttributes === null) {
    throw validationError([mustNotBeNull('userAttributes')]);
  }
  const updates = new Map(readAttributes(body, 'UserAttributes').map((a) => [a.Name, a.Value ?? '']));
  readObject(body, 'ClientMetadata');
  const pool = deps.store.getPool(input.UserPoolId);
  if (!pool) throw userPoolNotFound(input.UserPoolId);
  const user = findUserByIdentifier(deps.store, pool, input.Username);
  if (!user) throw userDoesNotExist();

  if (updates.has('sub')) {
    throw new CognitoError('InvalidParameterException', 'Cannot modify the non-mutable attribute sub');
  }
  checkAttributeFormats(new Map([...updates].filter(([, value]) => value !== '')));
  const next = applied(user.attributes, updates);
  for (const attribute of ALIASES) checkStillUnique(deps, pool, user, next, attribute);

  user.attributes.clear();
  for (const [name, value] of next) user.attributes.set(name, value);
  // A sign-up code went to the old value; confirming with it must not verify a value it never reached. What
  // Cognito does with it is not documented; refusing it is the cautious reading.
  if (user.pendingCode && updates.has(user.pendingCode.attribute)) user.pendingCode = undefined;
  user.lastModifiedAt = deps.clock.now();
  return {};
}

// The attributes after the update: blanks delete, and a changed email or phone number loses its verification
// unless the same call verifies it.
function applied(
  current: ReadonlyMap<string, string>,
  updates: ReadonlyMap<string, string>,
): Map<string, string> {
  const next = new Map(current);
  for (const [name, value] of updates) {
    if (value === '') next.delete(name);
    else next.set(name, value);
  }
  for (const attribute of VERIFIABLE) {
    const flag = `${attribute}_verified`;
    const changed = updates.has(attribute) && updates.get(attribute) !== current.get(attribute);
    if (!next.has(attribute)) next.delete(flag);
    else if (changed && !updates.has(flag)) next.set(flag, 'false');
  }
  return next;
}

// A username attribute must stay unique in its pool, and an alias may name one account only (an email or phone
// number once verified); both refusals are AliasExistsException ("An account with the given email already
// exists.").
function checkStillUnique(
  deps: Pick<Services, 'store'>,
  pool: UserPool,
  user: User,
  next: ReadonlyMap<string, string>,
  attribute: AliasAttribute,
): void {
  const value = next.get(attribute);
  if (value === undefined) return;
  if (attribute !== 'preferred_username' && pool.usernameAttributes.includes(attribute)) {
    if (holderOf(deps.store, pool, attribute, value, () => true, user)) throw aliasExists(attribute);
    return;
  }
  if (!pool.aliasAttributes.includes(attribute) || user.status !== 'CONFIRMED') return;
  const active = attribute === 'preferred_username' || next.get(`${attribute}_verified`) === 'true';
  const named = (other: User) => isActiveAlias(other, attribute);
  if (active && holderOf(deps.store, pool, attribute, value, named, user)) throw aliasExists(attribute);
}
