// What signIn's and respondToSignInChallenge's exceptions mean where they differ from the shared table. A wrong
// password, an unknown user (with PreventUserExistenceErrors) and a disabled user all read as one fixed
// NOT_AUTHORIZED, so that the answer tells an attacker nothing Cognito would not; Cognito's lock-out after
// repeated wrong passwords is LIMIT_EXCEEDED; a dead challenge session is SESSION_EXPIRED.
import {
  InvalidParameterException,
  MFAMethodNotFoundException,
  NotAuthorizedException,
  PasswordResetRequiredException,
  SoftwareTokenMFANotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { MappedError } from '../../cognito/error-mapping';
import { ErrorCode } from '../../errors';

export const WRONG_CREDENTIALS: MappedError = {
  code: ErrorCode.NOT_AUTHORIZED,
  message: 'Incorrect username or password.',
  severity: 'info',
};
const LOCKED_OUT: MappedError = {
  code: ErrorCode.LIMIT_EXCEEDED,
  message: 'Too many failed sign-ins for this user; try again later.',
  severity: 'info',
};
const SESSION_EXPIRED: MappedError = {
  code: ErrorCode.SESSION_EXPIRED,
  message: 'The sign-in session has expired or was used; sign in again.',
  severity: 'info',
};
const PASSWORD_RESET_REQUIRED: MappedError = {
  code: ErrorCode.PASSWORD_RESET_REQUIRED,
  message: 'This user must reset their password (forgotPassword) before signing in.',
  severity: 'info',
};
/** A refresh token Cognito no longer takes (revoked, expired, reused after rotation, its user deleted). */
export const NOT_SIGNED_IN: MappedError = {
  code: ErrorCode.NOT_SIGNED_IN,
  message: 'Not signed in, or the sign-in has ended; sign in again.',
  severity: 'info',
};
const MFA_METHOD_NOT_FOUND: MappedError = {
  code: ErrorCode.MFA_METHOD_NOT_FOUND,
  message: 'This user has not set up the second factor the answer is for.',
  severity: 'info',
};

/**
 * The pool, client or emulator refuses the flow configured (Lite-tier pools, clients without ALLOW_USER_AUTH,
 * moto and cognito-local without USER_AUTH): the operator's to fix, so not the caller's BAD_USER_INPUT.
 */
const FLOW_NOT_ENABLED: MappedError = {
  code: ErrorCode.INTERNAL_SERVER_ERROR,
  message: 'Internal server error',
  severity: 'error',
  hint: 'the pool or app client does not allow the configured sign-in flow: set COGNITO_SIGN_IN_FLOW (and COGNITO_REFRESH_FLOW) to flows it has, or allow them on the app client (ExplicitAuthFlows)',
};

/** SELECT_CHALLENGE answered with a factor the pool did not offer this user: the caller's to fix. */
const FACTOR_NOT_OFFERED: MappedError = {
  code: ErrorCode.BAD_USER_INPUT,
  message: 'That sign-in factor is not offered to this user; choose one of nextStep.availableChallenges.',
  severity: 'info',
};

export function mapSignInError(error: unknown): MappedError | undefined {
  if (
    error instanceof InvalidParameterException &&
    /not one of the challenges offered|not offered/i.test(error.message)
  )
    return FACTOR_NOT_OFFERED;
  if (
    error instanceof InvalidParameterException &&
    /auth ?flow|flow not enabled|auth method/i.test(error.message)
  )
    return FLOW_NOT_ENABLED;
  if (error instanceof PasswordResetRequiredException) return PASSWORD_RESET_REQUIRED;
  if (error instanceof MFAMethodNotFoundException || error instanceof SoftwareTokenMFANotFoundException)
    return MFA_METHOD_NOT_FOUND;
  if (!(error instanceof NotAuthorizedException)) return undefined;
  // The shared table names a rejected SecretHash to the operator.
  if (/secret hash/i.test(error.message)) return undefined;
  if (/attempts exceeded/i.test(error.message)) return LOCKED_OUT;
  if (/session/i.test(error.message)) return SESSION_EXPIRED;
  return WRONG_CREDENTIALS;
}
