// Creating a user the way Cognito does, whichever way they arrive (SignUp, or seeded as if created outside the
// gateway): the real username, the attribute a sign-in Username stands for, and the uniqueness rules.
//
// In a pool with UsernameAttributes the Username must be an email or phone number of an allowed kind; the
// user's real username is a generated UUID equal to their `sub`, and the attribute is set from the Username;
// an email or phone number already held by another user is refused (developer guide, "User pool attributes",
// option 2). In a pool with email or phone aliases, a username may not look like one.
import { randomUUID } from 'node:crypto';
import { checkAttributeFormats, formatOf } from './attribute-formats';
import { aliasExists, CognitoError } from './errors';
import { applyMfaChanges } from './mfa-settings';
import type { Services } from './services';
import type { User, UserMfa, UserPool, UserStatus, VerifiableAttribute } from './types';
import { holderOf, isActiveAlias } from './username-resolution';

export interface NewUser {
  // The Username the caller gave: the username itself, or in a UsernameAttributes pool an email or phone number.
  identifier: string;
  attributes: ReadonlyMap<string, string>;
  passwordHash: string;
  status: UserStatus;
  // Attributes to mark verified at once (a seeded or admin-created user's); a caller of SignUp never can.
  verified?: readonly VerifiableAttribute[];
  // A seeded user's MFA settings and authenticator secret (see mfa-settings.ts for the rules they follow).
  mfa?: UserMfa;
  totpSecret?: string;
}

export function admitUser(deps: Pick<Services, 'store' | 'clock'>, pool: UserPool, spec: NewUser): User {
  // Cognito owns `sub` and the *_verified flags; a caller cannot set them directly.
  const attributes = new Map(
    [...spec.attributes].filter(([name]) => name !== 'sub' && !name.endsWith('_verified')),
  );
  checkAttributeFormats(attributes);
  let username = spec.identifier;
  if (pool.usernameAttributes.length > 0) {
    // The Username wins over a different value given as the attribute itself.
    attributes.set(usernameAttributeOf(pool, spec.identifier), spec.identifier);
    username = randomUUID();
  } else {
    refuseAliasShapedUsername(pool, spec.identifier);
  }
  if (deps.store.findUser(pool.id, username)) {
    throw new CognitoError('UsernameExistsException', 'User already exists');
  }
  for (const attribute of pool.usernameAttributes) {
    const value = attributes.get(attribute);
    if (value !== undefined && holderOf(deps.store, pool, attribute, value)) throw attributeTaken(attribute);
  }
  for (const attribute of spec.verified ?? []) {
    const value = attributes.get(attribute);
    if (value === undefined) continue;
    // A verified alias of a confirmed user must be free, as ConfirmSignUp requires (confirm-sign-up.ts).
    const active = (u: User) => isActiveAlias(u, attribute);
    if (spec.status === 'CONFIRMED' && pool.aliasAttributes.includes(attribute)) {
      if (holderOf(deps.store, pool, attribute, value, active)) throw aliasExists(attribute);
    }
    attributes.set(`${attribute}_verified`, 'true');
  }

  const now = deps.clock.now();
  const user: User = {
    username,
    // In a UsernameAttributes pool the generated username is the sub, as in Cognito.
    sub: pool.usernameAttributes.length > 0 ? username : randomUUID(),
    status: spec.status,
    attributes,
    createdAt: now,
    lastModifiedAt: now,
    passwordHash: spec.passwordHash,
    mfa: { enabled: [] },
    ...(spec.totpSecret !== undefined && { totpSecret: spec.totpSecret }),
    // The temporary password's age decides whether it still signs in (sign-in.ts).
    ...(spec.status === 'FORCE_CHANGE_PASSWORD' && { temporaryPasswordIssuedAt: now }),
  };
  // By the rules AdminSetUserMFAPreference follows, before the user exists, so a refusal leaves no user behind.
  const { mfa } = spec;
  if (mfa) {
    applyMfaChanges(
      user,
      mfa.enabled.map((type) => ({ type, enabled: true, preferred: mfa.preferred === type })),
    );
  }
  deps.store.addUser(pool.id, user);
  return user;
}

/** Cognito's answer when an email or phone number that must be unique is already someone's. */
export function attributeTaken(attribute: VerifiableAttribute): CognitoError {
  return new CognitoError(
    'UsernameExistsException',
    `An account with the given ${attribute} already exists.`,
  );
}

function usernameAttributeOf(pool: UserPool, identifier: string): VerifiableAttribute {
  const shape = formatOf(identifier);
  if (shape && pool.usernameAttributes.includes(shape)) return shape;
  const allowed = pool.usernameAttributes;
  const message =
    allowed.length > 1
      ? 'Username should be either an email or a phone number.'
      : allowed[0] === 'email'
        ? 'Username should be an email.'
        : 'Username should be a phone number.';
  throw new CognitoError('InvalidParameterException', message);
}

function refuseAliasShapedUsername(pool: UserPool, username: string): void {
  const shape = formatOf(username);
  if (shape === 'email' && pool.aliasAttributes.includes('email')) {
    throw new CognitoError(
      'InvalidParameterException',
      'Username cannot be of email format, since user pool is configured for email alias.',
    );
  }
  if (shape === 'phone_number' && pool.aliasAttributes.includes('phone_number')) {
    throw new CognitoError(
      'InvalidParameterException',
      'Username cannot be of phone number format, since user pool is configured for phone number alias.',
    );
  }
}
