// Users created outside the gateway, as an operator's AdminCreateUser, an import or another app would make
// them: `standIn.seedUser(...)` and POST /_local/users. A seeded user is sent no code (an admin-created user is
// not sent a confirmation code either), and is created by the same rules as a signed-up one (new-users.ts): in
// a pool that signs in by email or phone, seeding by email makes a generated sub the username.
import { randomBytes } from 'node:crypto';
import { admitUser } from './new-users';
import { hashPassword } from './passwords';
import type { Services } from './services';
import type { UserStatus, VerifiableAttribute } from './types';
import { isJsonObject } from './validation';

export interface SeedUserOptions {
  /** The username, or in a pool that signs in by email or phone number, the email or phone number. */
  username: string;
  /** Attribute values by name, e.g. { email: 'jane@example.com', phone_number: '+15555550123' }. */
  attributes?: Record<string, string>;
  /** Default 'CONFIRMED'. An UNCONFIRMED user has no code until ResendConfirmationCode sends one. */
  status?: UserStatus;
  /** Attributes to mark verified (`<name>_verified: "true"`). Default none. */
  verified?: VerifiableAttribute[];
  /** Default: a random one nobody knows. Not held to the pool's password policy, as with an import. */
  password?: string;
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
  const user = admitUser(deps, pool, {
    identifier: options.username,
    attributes: new Map(Object.entries(options.attributes ?? {})),
    passwordHash: hashPassword(options.password ?? randomBytes(24).toString('base64url')),
    status: options.status ?? 'CONFIRMED',
    verified: options.verified ?? [],
  });
  return { username: user.username, sub: user.sub };
}

const STATUSES: readonly string[] = ['UNCONFIRMED', 'CONFIRMED'];
const VERIFIABLE: readonly string[] = ['email', 'phone_number'];

/** Reads a POST /_local/users body: { userPoolId, username, password?, attributes?, status?, verified? }. */
export function parseSeedRequest(raw: unknown): { poolId: string; options: SeedUserOptions } {
  if (!isJsonObject(raw)) throw new SeedRequestError('The body must be a JSON object.');
  const { userPoolId, username, password, attributes, status, verified } = raw;
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
  return {
    poolId: userPoolId,
    options: {
      username,
      ...(password !== undefined && { password }),
      ...(attributes !== undefined && { attributes: attributes as Record<string, string> }),
      ...(status !== undefined && { status: status as UserStatus }),
      ...(verified !== undefined && { verified: verified as VerifiableAttribute[] }),
    },
  };
}
