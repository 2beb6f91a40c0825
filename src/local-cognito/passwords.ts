// Users' passwords: the pool's policy check (shared by SignUp and ConfirmForgotPassword, so both answer in
// the same words) and how the stand-in keeps a password. It keeps a salted hash rather than the text, so a
// debugger or a dump of the store never shows one; the stand-in is not a security boundary, so a fast hash
// is enough.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { CognitoError } from './errors';
import type { UserPool } from './types';

export function checkPasswordPolicy(pool: UserPool, password: string): void {
  if (password.length < pool.passwordMinimumLength) {
    throw new CognitoError(
      'InvalidPasswordException',
      'Password did not conform with policy: Password not long enough',
    );
  }
}

// "<salt>:<digest>", both hex.
export function hashPassword(password: string): string {
  const salt = randomBytes(16).toString('hex');
  return `${salt}:${digest(salt, password)}`;
}

export function passwordMatches(passwordHash: string, password: string): boolean {
  const [salt = '', expected = ''] = passwordHash.split(':');
  const actual = Buffer.from(digest(salt, password), 'hex');
  const wanted = Buffer.from(expected, 'hex');
  return actual.length === wanted.length && timingSafeEqual(actual, wanted);
}

function digest(salt: string, password: string): string {
  return createHash('sha256').update(salt, 'utf8').update(password, 'utf8').digest('hex');
}
