// Users created outside the gateway, as an operator's AdminCreateUser, an import or another app would make
// them: `standIn.seedUser(...)` and POST /_local/users. A seeded user is sent no code (an admin-created user is
// not sent a confirmation code either), and is created by the same rules as a signed-up one (new-users.ts): in
// a pool that signs in by email or phone, seeding by email makes a generated sub the username.
import { randomBytes } from 'node:crypto';
import { MFA_TYPES } from './mfa-settings';
import { admitUser } from './new-users';
import { hashPassword } from './passwords';
import type { Services } from './services';
import { isBase32Secret } from './totp';
import type { MfaType, UserStatus, VerifiableAttribute } from './types';
import { isJsonObject } from './validation';

export interface SeedUserOptions {
  /** The username, or in a pool that signs in by email or phone number, the email or phone number. */
  username: string;
  /** Attribute values by name, e.g. { email: 'jane@example.com', phone_number: '+15555550123' }. */
  attributes?: Record<string, string>;
  /**
   * Default 'CONFIRMED'. An UNCONFIRMED user has no code until ResendConfirmationCode sends one. With
   * FORCE_CHANGE_PASSWORD the password is a temporary one, as from AdminCreateUser (its seven days start now);
   * RESET_REQUIRED must reset the password before signing in.
   */
  status?: UserStatus;
  /** Attributes to mark verified (`<name>_verified: "true"`). Default none. */
  verified?: VerifiableAttribute[];
  /** Default: a random one nobody knows. Not held to the pool's password policy, as with an import. */
  password?: string;
  /**
   * MFA factors to turn on (SMS_MFA needs a phone_number, EMAIL_OTP an email, SOFTWARE_TOKEN_MFA a totpSecret)
   * and the preferred one, as AdminSetUserMFAPreference would set them. Default none.
   */
  mfa?: { enabled: MfaType[]; preferred?: MfaType };
  /** The base32 secret of the user's authenticator app (RFC 6238 TOTP), as AssociateSoftwareToken shares it. */
  totpSecret?: string;
}

export interface SeededUser {
  /** The real username (what AdminGetUser answers). */
  username: string;
  sub: string;
}

/** Thrown for a malformed POST /_local/users body or an unknown pool; its message is safe to answer with. */
export class SeedRequestError extends Error {
  override readonly name = 'SeedRequestError';

  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
  }
}

export function seedUser(
  deps: Pick<Services, 'store' | 'clock'>,
  poolId: string,
  options: SeedUserOptions,
): SeededUser {
  const pool = deps.store.getPool(poolId);
  if (!pool) throw new SeedRequestError(`User pool ${poolId} does not exist`, 404);
  if (options.totpSecret !== undefined && !isBase32Secret(options.totpSecret)) {
    throw new SeedRequestError('totpSecret must be a base32 string.');
  }
  const { mfa } = options;
  if (mfa?.preferred !== undefined && !mfa.enabled.includes(mfa.preferred)) {
    throw new SeedRequestError('mfa.preferred must be one of mfa.enabled.');
  }
  const user = admitUser(deps, pool, {
    identifier: options.username,
    attributes: new Map(Object.entries(options.attributes ?? {})),
    passwordHash: hashPassword(options.password ?? randomBytes(24).toString('base64url')),
    status: options.status ?? 'CONFIRMED',
    verified: options.verified ?? [],
    ...(mfa && { mfa }),
    ...(options.totpSecret !== undefined && { totpSecret: options.totpSecret }),
  });
  return { username: user.username, sub: user.sub };
}

const STATUSES: readonly string[] = ['UNCONFIRMED', 'CONFIRMED', 'FORCE_CHANGE_PASSWORD', 'RESET_REQUIRED'];
const VERIFIABLE: readonly string[] = ['email', 'phone_number'];

/**
 * Reads a POST /_local/users body: { userPoolId, username, password?, attributes?, status?, verified?, mfa?,
 * totpSecret? }.
 */
export function parseSeedRequest(raw: unknown): { poolId: string; options: SeedUserOptions } {
  if (!isJsonObject(raw)) throw new SeedRequestError('The body must be a JSON object.');
  const { userPoolId, username, password, attributes, status, verified, mfa, totpSecret } = raw;
  if (typeof userPoolId !== 'string' || userPoolId === '') {
    throw new SeedRequestError('userPoolId must be a non-empty string.');
  }
  if (typeof username !== 'string' || username === '') {
    throw new SeedRequestError('username must be a non-empty string.');
  }
  if (password !== undefined && (typeof password !== 'string' || password === '')) {
    throw new SeedRequestError('password must be a non-empty string when given.');
  }
  if (
    attributes !== undefined &&
    !(isJsonObject(attributes) && Object.values(attributes).every((v) => typeof v === 'string'))
  ) {
    throw new SeedRequestError('attributes must be an object of string values.');
  }
  if (status !== undefined && (typeof status !== 'string' || !STATUSES.includes(status))) {
    throw new SeedRequestError(`status must be one of ${STATUSES.join(', ')}.`);
  }
  if (
    verified !== undefined &&
    !(Array.isArray(verified) && verified.every((v) => typeof v === 'string' && VERIFIABLE.includes(v)))
  ) {
    throw new SeedRequestError(`verified must be a list of ${VERIFIABLE.join(', ')}.`);
  }
  if (totpSecret !== undefined && typeof totpSecret !== 'string') {
    throw new SeedRequestError('totpSecret must be a base32 string.');
  }
  return {
    poolId: userPoolId,
    options: {
      username,
      ...(password !== undefined && { password }),
      ...(attributes !== undefined && { attributes: attributes as Record<string, string> }),
      ...(status !== undefined && { status: status as UserStatus }),
      ...(verified !== undefined && { verified: verified as VerifiableAttribute[] }),
      ...(mfa !== undefined && { mfa: parseMfa(mfa) }),
      ...(totpSecret !== undefined && { totpSecret }),
    },
  };
}

function parseMfa(raw: unknown): { enabled: MfaType[]; preferred?: MfaType } {
  const isType = (value: unknown): value is MfaType =>
    typeof value === 'string' && (MFA_TYPES as readonly string[]).includes(value);
  if (
    !isJsonObject(raw) ||
    !Array.isArray(raw.enabled) ||
    !raw.enabled.every(isType) ||
    (raw.preferred !== undefined && !isType(raw.preferred))
  ) {
    throw new SeedRequestError(
      `mfa must be {"enabled":[...],"preferred"?} with values among ${MFA_TYPES.join(', ')}.`,
    );
  }
  return { enabled: raw.enabled, ...(raw.preferred !== undefined && { preferred: raw.preferred }) };
}
