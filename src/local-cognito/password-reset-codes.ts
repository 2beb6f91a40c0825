// Password-reset codes (ForgotPassword / ConfirmForgotPassword): where Cognito sends one, how long it
// lasts, and how many wrong guesses it survives. Kept apart from sign-up codes (confirmation-codes.ts):
// a reset code lives one hour, not 24, and goes only to an attribute that is already verified.
import { type CodeRecipient, deliverCode } from './confirmation-codes';
import { CognitoError } from './errors';
import type { Services } from './services';
import type {
  AccountRecovery,
  CodeDeliveryDetails,
  PendingPasswordReset,
  User,
  UserPool,
  VerifiableAttribute,
} from './types';

export const RESET_CODE_LIFETIME_MS = 60 * 60 * 1000;

// Cognito refuses further attempts after a handful of wrong codes ("after some time" in its words). The
// stand-in's rule is simpler and deterministic: after this many wrong codes, every attempt against that code
// is refused, the right code included, until a new ForgotPassword sends a fresh one.
export const MAX_FAILED_RESET_ATTEMPTS = 5;

export function noVerifiedDestination(): CognitoError {
  return new CognitoError(
    'InvalidParameterException',
    'Cannot reset password for the user as there is no registered/verified email or phone_number',
  );
}

// Cognito sends reset codes only to a verified attribute; an attribute that is merely present (every
// UNCONFIRMED user's, and a user confirmed by AdminConfirmSignUp) does not count, so such a user gets
// noVerifiedDestination(). Which verified attribute wins is the pool's account-recovery setting.
const RECOVERY_ORDER: Readonly<Record<AccountRecovery, readonly VerifiableAttribute[]>> = {
  'email-first': ['email', 'phone_number'],
  'phone-first': ['phone_number', 'email'],
  'email-only': ['email'],
  'phone-only': ['phone_number'],
  legacy: ['phone_number', 'email'],
};

function resetAttribute(pool: UserPool, user: User): VerifiableAttribute | undefined {
  return RECOVERY_ORDER[pool.accountRecovery].find(
    (name) => Boolean(user.attributes.get(name)) && user.attributes.get(`${name}_verified`) === 'true',
  );
}

export function hasResetDestination(pool: UserPool, user: User): boolean {
  return resetAttribute(pool, user) !== undefined;
}

/** The attributes a reset code can go to in this pool, most preferred first (for simulated deliveries). */
export function resetCodeAttributes(pool: UserPool): VerifiableAttribute[] {
  return RECOVERY_ORDER[pool.accountRecovery].filter((name) => pool.autoVerifiedAttributes.includes(name));
}

// Replaces any earlier reset code (only the newest works) and resets the wrong-attempt count.
export function issueResetCode(
  deps: Pick<Services, 'clock' | 'outbox' | 'generateCode'>,
  recipient: CodeRecipient,
): CodeDeliveryDetails {
  const { user } = recipient;
  const attribute = resetAttribute(recipient.pool, user);
  if (!attribute) throw noVerifiedDestination();
  const { code, issuedAt, details } = deliverCode(deps, recipient, attribute, 'ForgotPassword');
  user.pendingPasswordReset = { code, issuedAt, failedAttempts: 0 };
  return details;
}

export function isResetCodeExpired(pending: PendingPasswordReset, now: Date): boolean {
  return now.getTime() - pending.issuedAt.getTime() > RESET_CODE_LIFETIME_MS;
}
