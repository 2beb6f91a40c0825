// RespondToAuthChallenge: answers the challenge an InitiateAuth (or an earlier answer) asked for, with the
// Session it came with. ChallengeResponses always carry USERNAME (and SECRET_HASH over it for a client with a
// secret); the rest depends on the challenge:
//   SELECT_CHALLENGE       ANSWER: PASSWORD (with PASSWORD), EMAIL_OTP or SMS_OTP (a code is then sent)
//   EMAIL_OTP / SMS_OTP    EMAIL_OTP_CODE / SMS_OTP_CODE
//   SMS_MFA                SMS_MFA_CODE
//   SOFTWARE_TOKEN_MFA     SOFTWARE_TOKEN_MFA_CODE (the authenticator app's TOTP)
//   SELECT_MFA_TYPE        ANSWER: one of MFAS_CAN_CHOOSE
//   NEW_PASSWORD_REQUIRED  NEW_PASSWORD, and any userAttributes.<name> to set
// A right answer uses the session up; the next challenge, if any, comes with a new one.
import { checkAttributeFormats } from '../attribute-formats';
import type { AuthSession, SessionStep } from '../auth-sessions';
import { authenticateClient } from '../client-auth';
import { CognitoError, invalidSession, missingParameter } from '../errors';
import { checkPasswordPolicy, hashPassword } from '../passwords';
import {
  answerCode,
  mfaOrTokens,
  type SignInAnswer,
  type SignInContext,
  type SignInDeps,
  signInWithPassword,
  startMfa,
  startOneTimePassword,
} from '../sign-in';
import type { JsonObject, User } from '../types';
import { comparable, findUserByIdentifier } from '../username-resolution';
import { readObject, readStringMap, readStrings, requiredParameter } from '../validation';

// The challenge name each step is answered under.
function challengeOf(step: SessionStep): string | undefined {
  switch (step.kind) {
    case 'select-challenge':
      return 'SELECT_CHALLENGE';
    case 'select-mfa':
      return 'SELECT_MFA_TYPE';
    case 'new-password':
      return 'NEW_PASSWORD_REQUIRED';
    case 'code':
      return step.challenge;
    case 'totp':
      return 'SOFTWARE_TOKEN_MFA';
    case 'sign-up':
      return undefined;
  }
}

const CODE_FIELD: Readonly<Record<string, string>> = {
  EMAIL_OTP: 'EMAIL_OTP_CODE',
  SMS_OTP: 'SMS_OTP_CODE',
  SMS_MFA: 'SMS_MFA_CODE',
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
};

export function respondToAuthChallenge(body: JsonObject, deps: SignInDeps): SignInAnswer {
  const input = readStrings(body, ['ClientId', 'ChallengeName'], ['Session']);
  for (const field of ['ClientMetadata', 'UserContextData', 'AnalyticsMetadata']) readObject(body, field);
  const responses = readStringMap(body, 'ChallengeResponses');
  if (input.Session === undefined) throw missingParameter('Session');
  const username = requiredParameter(responses, 'USERNAME');
  const { client, pool } = authenticateClient(deps.store, input.ClientId, username, responses.SECRET_HASH);
  const session = deps.sessions.live(input.Session, client.clientId, deps.clock.now());
  const ctx: SignInContext = { pool, client, identifier: username };
  const user = sessionUser(deps, ctx, session);
  // An answer to another challenge than the session's does not fit the session.
  if (challengeOf(session.step) !== input.ChallengeName) throw invalidSession();

  const step = session.step;
  switch (step.kind) {
    case 'code':
    case 'totp':
      return answerCode(
        deps,
        ctx,
        session,
        user,
        requiredParameter(responses, CODE_FIELD[input.ChallengeName] ?? ''),
      );
    case 'select-challenge': {
      const answer = requiredParameter(responses, 'ANSWER');
      if (!(step.available as readonly string[]).includes(answer)) throw notOffered(answer);
      session.used = true;
      if (answer === 'PASSWORD')
        return signInWithPassword(deps, ctx, user, requiredParameter(responses, 'PASSWORD'));
      return startOneTimePassword(deps, ctx, user, answer as 'EMAIL_OTP' | 'SMS_OTP');
    }
    case 'select-mfa': {
      const answer = requiredParameter(responses, 'ANSWER');
      const chosen = step.options.find((option) => option === answer);
      if (!chosen || !user) throw notOffered(answer);
      session.used = true;
      return startMfa(deps, ctx, user, chosen);
    }
    case 'new-password':
      if (!user) throw invalidSession();
      return setNewPassword(deps, ctx, session, user, responses);
    case 'sign-up':
      throw invalidSession();
  }
}

// The session is one user's: USERNAME may name them by any of their names, but never someone else. A made-up
// session (an unknown user) matches only the name it was made for.
function sessionUser(deps: SignInDeps, ctx: SignInContext, session: AuthSession): User | undefined {
  if (session.simulated) {
    if (comparable(ctx.pool, ctx.identifier) !== session.username) throw invalidSession();
    return undefined;
  }
  const user = findUserByIdentifier(deps.store, ctx.pool, ctx.identifier);
  if (!user || user.username !== session.username) throw invalidSession();
  return user;
}

// A password that fails the policy leaves the session usable, so the user picks another without signing in
// again (the stand-in's choice; Cognito does not document it).
function setNewPassword(
  deps: SignInDeps,
  ctx: SignInContext,
  session: AuthSession,
  user: User,
  responses: Record<string, string>,
): SignInAnswer {
  const password = requiredParameter(responses, 'NEW_PASSWORD');
  checkPasswordPolicy(ctx.pool, password);
  const updates = new Map(
    Object.entries(responses)
      .filter(([name]) => name.startsWith('userAttributes.'))
      .map(([name, value]) => [name.slice('userAttributes.'.length), value]),
  );
  for (const name of updates.keys()) {
    if (name === 'sub' || name.endsWith('_verified')) {
      throw new CognitoError('InvalidParameterException', `Cannot modify the non-mutable attribute ${name}`);
    }
  }
  checkAttributeFormats(updates);
  session.used = true;
  for (const [name, value] of updates) user.attributes.set(name, value);
  user.passwordHash = hashPassword(password);
  user.status = 'CONFIRMED';
  user.temporaryPasswordIssuedAt = undefined;
  user.lastModifiedAt = deps.clock.now();
  return mfaOrTokens(deps, ctx, user);
}

function notOffered(answer: string): CognitoError {
  return new CognitoError('InvalidParameterException', `${answer} is not one of the challenges offered.`);
}
