// The steps of a sign-in that InitiateAuth and RespondToAuthChallenge share: checking a password (with the
// lockout), what comes after it (a new password, MFA, or tokens), sending a sign-in code, checking a code, and
// opening the session each challenge is answered with.
//
// With user-existence errors suppressed, an unknown user walks the same steps as a real one would (a made-up
// session, a simulated delivery) and fails where a wrong password or code would, so no answer tells them apart.
import {
  type AuthSession,
  type CodeChallenge,
  type FirstFactor,
  MAX_WRONG_CODES,
  type SessionStep,
} from './auth-sessions';
import { preventsUserExistenceErrors } from './client-auth';
import { deliverCode, MEDIUM } from './confirmation-codes';
import {
  CognitoError,
  incorrectCredentials,
  passwordResetRequired,
  signInCodeMismatch,
  userDoesNotExist,
  userNotConfirmed,
} from './errors';
import { simulatedMaskedDestination } from './masking';
import { nextMfaStep } from './mfa-settings';
import { passwordMatches } from './passwords';
import type { Services } from './services';
import { type AuthenticationResult, issueSignInTokens } from './tokens/user-pool-tokens';
import { totpMatches } from './totp';
import type { AppClient, MfaType, User, UserPool, VerifiableAttribute } from './types';
import { comparable, findUserByIdentifier } from './username-resolution';

export type SignInDeps = Pick<
  Services,
  | 'store'
  | 'clock'
  | 'outbox'
  | 'generateCode'
  | 'sessions'
  | 'lockout'
  | 'refreshTokens'
  | 'signingKeys'
  | 'baseUrl'
>;

/** Where the sign-in happens, and the name the caller gave the user (kept for the outbox). */
export interface SignInContext {
  pool: UserPool;
  client: AppClient;
  identifier: string;
}

// Each with the other's fields as never, so a caller reads either off the union without narrowing first.
export type ChallengeAnswer = {
  ChallengeName: string;
  Session: string;
  ChallengeParameters: Record<string, string>;
  AvailableChallenges?: string[];
  AuthenticationResult?: never;
};
export type TokensAnswer = {
  ChallengeParameters: Record<string, never>;
  AuthenticationResult: AuthenticationResult;
  ChallengeName?: never;
  Session?: never;
};
export type SignInAnswer = ChallengeAnswer | TokensAnswer;

// Cognito's TemporaryPasswordValidityDays default: an administrator's temporary password signs in for 7 days.
export const TEMPORARY_PASSWORD_VALIDITY_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * The user the caller names, or undefined for an unknown one when existence errors are suppressed (the caller
 * then goes on as for a real user); otherwise an unknown user is UserNotFoundException.
 */
export function signingInUser(deps: Pick<Services, 'store'>, ctx: SignInContext): User | undefined {
  const user = findUserByIdentifier(deps.store, ctx.pool, ctx.identifier);
  if (!user && !preventsUserExistenceErrors(ctx.pool, ctx.client)) throw userDoesNotExist();
  return user;
}

// Failures are counted per user; for an unknown name, per name, so it locks out like a real user would.
function lockoutKey(ctx: SignInContext, user: User | undefined): string {
  return user
    ? `${ctx.pool.id}/user/${user.sub}`
    : `${ctx.pool.id}/name/${comparable(ctx.pool, ctx.identifier)}`;
}

/** The first factor by password, then whatever must follow it. */
export function signInWithPassword(
  deps: SignInDeps,
  ctx: SignInContext,
  user: User | undefined,
  password: string,
): SignInAnswer {
  const now = deps.clock.now();
  const key = lockoutKey(ctx, user);
  deps.lockout.check(key, now);
  if (!user || !passwordMatches(user.passwordHash, password)) {
    deps.lockout.recordFailure(key, now);
    throw incorrectCredentials();
  }
  // Only after the password, as Cognito does: a user's state is news only to someone who knows the password.
  if (user.status === 'UNCONFIRMED') throw userNotConfirmed();
  if (user.status === 'RESET_REQUIRED') throw passwordResetRequired();
  if (user.status === 'FORCE_CHANGE_PASSWORD') {
    const issuedAt = user.temporaryPasswordIssuedAt?.getTime() ?? now.getTime();
    if (now.getTime() - issuedAt > TEMPORARY_PASSWORD_VALIDITY_MS) {
      throw new CognitoError(
        'NotAuthorizedException',
        'Temporary password has expired and must be reset by an administrator.',
      );
    }
    const attributes = Object.fromEntries(user.attributes);
    return challenge(deps, ctx, user.username, false, { kind: 'new-password' }, 'NEW_PASSWORD_REQUIRED', {
      USER_ID_FOR_SRP: user.username,
      requiredAttributes: '[]',
      userAttributes: JSON.stringify(attributes),
    });
  }
  return mfaOrTokens(deps, ctx, user);
}

/** After a first factor that may need a second: the MFA challenge the user's settings call for, or tokens. */
export function mfaOrTokens(deps: SignInDeps, ctx: SignInContext, user: User): SignInAnswer {
  const step = nextMfaStep(user);
  if (!step) return completeSignIn(deps, ctx, user);
  if ('choose' in step) {
    return challenge(
      deps,
      ctx,
      user.username,
      false,
      { kind: 'select-mfa', options: step.choose },
      'SELECT_MFA_TYPE',
      {
        MFAS_CAN_CHOOSE: JSON.stringify(step.choose),
      },
    );
  }
  return startMfa(deps, ctx, user, step.type);
}

export function startMfa(deps: SignInDeps, ctx: SignInContext, user: User, type: MfaType): SignInAnswer {
  if (type === 'SOFTWARE_TOKEN_MFA') {
    return challenge(deps, ctx, user.username, false, { kind: 'totp' }, 'SOFTWARE_TOKEN_MFA', {});
  }
  return type === 'SMS_MFA'
    ? sendSignInCode(deps, ctx, user, 'SMS_MFA')
    : sendSignInCode(deps, ctx, user, 'EMAIL_OTP');
}

const CODE_ATTRIBUTE: Readonly<Record<CodeChallenge, VerifiableAttribute>> = {
  EMAIL_OTP: 'email',
  SMS_OTP: 'phone_number',
  SMS_MFA: 'phone_number',
};

/** Sends a sign-in code to the outbox and asks for it, as Cognito describes the delivery (masked). */
export function sendSignInCode(
  deps: SignInDeps,
  ctx: SignInContext,
  user: User,
  name: CodeChallenge,
): ChallengeAnswer {
  const attribute = CODE_ATTRIBUTE[name];
  const { code, details } = deliverCode(deps, { ...ctx, user }, attribute, 'SignIn');
  return challenge(
    deps,
    ctx,
    user.username,
    false,
    { kind: 'code', challenge: name, code, attribute },
    name,
    {
      CODE_DELIVERY_DELIVERY_MEDIUM: details.DeliveryMedium,
      CODE_DELIVERY_DESTINATION: details.Destination,
    },
  );
}

/** The same answer for a user who does not exist: nothing is sent, and no code will ever match. */
export function simulateSignInCode(
  deps: SignInDeps,
  ctx: SignInContext,
  name: CodeChallenge,
): ChallengeAnswer {
  const attribute = CODE_ATTRIBUTE[name];
  const medium = MEDIUM[attribute];
  deps.outbox.recordSimulated();
  const seed = `${ctx.pool.id}/${comparable(ctx.pool, ctx.identifier)}`;
  const step: SessionStep = { kind: 'code', challenge: name, code: '', attribute };
  return challenge(deps, ctx, comparable(ctx.pool, ctx.identifier), true, step, name, {
    CODE_DELIVERY_DELIVERY_MEDIUM: medium,
    CODE_DELIVERY_DESTINATION: simulatedMaskedDestination(seed, medium),
  });
}

/**
 * The first factors USER_AUTH offers this user: the password, and a one-time password to an email address or
 * phone number that is verified (a code to an unverified address would sign in whoever holds it). Only a
 * CONFIRMED user gets the one-time passwords, so they never skip a confirmation, a new password or a reset.
 * For an unknown user (existence errors suppressed): what a confirmed user of this pool would have.
 */
export function firstFactors(pool: UserPool, user: User | undefined): FirstFactor[] {
  const factors: FirstFactor[] = ['PASSWORD'];
  const has = (attribute: VerifiableAttribute) =>
    user
      ? user.status === 'CONFIRMED' &&
        Boolean(user.attributes.get(attribute)) &&
        user.attributes.get(`${attribute}_verified`) === 'true'
      : pool.autoVerifiedAttributes.includes(attribute);
  if (has('email')) factors.push('EMAIL_OTP');
  if (has('phone_number')) factors.push('SMS_OTP');
  return factors;
}

export function selectChallenge(
  deps: SignInDeps,
  ctx: SignInContext,
  user: User | undefined,
  available: readonly FirstFactor[],
): ChallengeAnswer {
  const username = user ? user.username : comparable(ctx.pool, ctx.identifier);
  return {
    ...challenge(deps, ctx, username, !user, { kind: 'select-challenge', available }, 'SELECT_CHALLENGE', {}),
    AvailableChallenges: [...available],
  };
}

/** A one-time password as the first factor: sent for a real user, simulated for an unknown one. */
export function startOneTimePassword(
  deps: SignInDeps,
  ctx: SignInContext,
  user: User | undefined,
  name: 'EMAIL_OTP' | 'SMS_OTP',
): ChallengeAnswer {
  return user ? sendSignInCode(deps, ctx, user, name) : simulateSignInCode(deps, ctx, name);
}

/**
 * Checks a sign-in code against its session. A wrong one counts against the session (MAX_WRONG_CODES) and
 * the user's lockout; the right one uses the session up and ends the sign-in: one-time passwords are a whole
 * first factor and are not followed by MFA (the stand-in's reading; Cognito documents no MFA after them).
 */
export function answerCode(
  deps: SignInDeps,
  ctx: SignInContext,
  session: AuthSession,
  user: User | undefined,
  code: string,
): SignInAnswer {
  const now = deps.clock.now();
  const key = lockoutKey(ctx, user);
  deps.lockout.check(key, now);
  const step = session.step;
  const right =
    user !== undefined &&
    (step.kind === 'code'
      ? step.code !== '' && step.code === code
      : step.kind === 'totp' && user.totpSecret !== undefined && totpMatches(user.totpSecret, code, now));
  if (!user || !right) {
    session.wrongCodes = Math.min(session.wrongCodes + 1, MAX_WRONG_CODES);
    deps.lockout.recordFailure(key, now);
    throw signInCodeMismatch();
  }
  session.used = true;
  // Passing SMS MFA proves the phone number, and Cognito then marks it verified (developer guide, SMS MFA).
  if (step.kind === 'code' && step.challenge === 'SMS_MFA') {
    user.attributes.set('phone_number_verified', 'true');
    user.lastModifiedAt = now;
  }
  return completeSignIn(deps, ctx, user);
}

export function completeSignIn(deps: SignInDeps, ctx: SignInContext, user: User): TokensAnswer {
  deps.lockout.recordSuccess(lockoutKey(ctx, user));
  return {
    ChallengeParameters: {},
    AuthenticationResult: issueSignInTokens(deps, { pool: ctx.pool, client: ctx.client, user }),
  };
}

function challenge(
  deps: SignInDeps,
  ctx: SignInContext,
  username: string,
  simulated: boolean,
  step: SessionStep,
  name: string,
  parameters: Record<string, string>,
): ChallengeAnswer {
  const session = deps.sessions.open(
    { poolId: ctx.pool.id, clientId: ctx.client.clientId, username, simulated, step },
    deps.clock.now(),
    ctx.client.authSessionValidityMinutes,
  );
  return { ChallengeName: name, Session: session.id, ChallengeParameters: parameters };
}
