// InitiateAuth: starts a sign-in. The flows the stand-in implements:
//   USER_PASSWORD_AUTH   USERNAME + PASSWORD, then NEW_PASSWORD_REQUIRED, MFA, or tokens (sign-in.ts);
//   USER_AUTH            choice-based: PREFERRED_CHALLENGE PASSWORD (with PASSWORD), EMAIL_OTP or SMS_OTP, or none
//                        (SELECT_CHALLENGE with AvailableChallenges); or with ConfirmSignUp's Session, which signs
//                        the new user in without a password, once;
//   REFRESH_TOKEN_AUTH / REFRESH_TOKEN   new ID and access tokens from a refresh token, refused on a client that
//                        rotates refresh tokens (those refresh with GetTokensFromRefreshToken).
// SRP and custom flows are refused: the stand-in does not implement them. Each flow must be allowed by the app
// client's ExplicitAuthFlows (app-client-settings.ts).
import { requireAuthFlow } from '../app-client-settings';
import { authenticateClient, existingClient } from '../client-auth';
import { CognitoError, invalidSession } from '../errors';
import type { Services } from '../services';
import {
  firstFactors,
  mfaOrTokens,
  type SignInAnswer,
  type SignInContext,
  type SignInDeps,
  selectChallenge,
  signInWithPassword,
  signingInUser,
  startOneTimePassword,
  type TokensAnswer,
} from '../sign-in';
import { redeemRefreshToken } from '../tokens/token-refresh';
import { issueRefreshedTokens } from '../tokens/user-pool-tokens';
import type { JsonObject } from '../types';
import { findUserByIdentifier } from '../username-resolution';
import { readObject, readStringMap, readStrings, requiredParameter, validationError } from '../validation';

const AUTH_FLOWS = [
  'USER_SRP_AUTH',
  'REFRESH_TOKEN_AUTH',
  'REFRESH_TOKEN',
  'CUSTOM_AUTH',
  'ADMIN_NO_SRP_AUTH',
  'USER_PASSWORD_AUTH',
  'ADMIN_USER_PASSWORD_AUTH',
  'USER_AUTH',
];

export function initiateAuth(body: JsonObject, deps: SignInDeps): SignInAnswer {
  const input = readStrings(body, ['AuthFlow', 'ClientId'], ['Session']);
  // Accepted and ignored, as without Lambda triggers or threat protection; read only to refuse a wrong type.
  for (const field of ['ClientMetadata', 'UserContextData', 'AnalyticsMetadata']) readObject(body, field);
  const flow = input.AuthFlow;
  if (!AUTH_FLOWS.includes(flow)) {
    throw validationError([
      `Value '${flow}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [${AUTH_FLOWS.join(', ')}]`,
    ]);
  }
  const parameters = readStringMap(body, 'AuthParameters');
  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
    return refreshTokenAuth(deps, flow, input.ClientId, parameters);
  }
  const username = requiredParameter(parameters, 'USERNAME');
  const { client, pool } = authenticateClient(deps.store, input.ClientId, username, parameters.SECRET_HASH);
  if (flow === 'ADMIN_USER_PASSWORD_AUTH' || flow === 'ADMIN_NO_SRP_AUTH') {
    // Flows of AdminInitiateAuth, which the API reference says are not valid here.
    throw new CognitoError('InvalidParameterException', 'Initiate Auth method not supported.');
  }
  requireAuthFlow(client, flow);
  const ctx: SignInContext = { pool, client, identifier: username };
  if (flow === 'USER_PASSWORD_AUTH') {
    const user = signingInUser(deps, ctx);
    return signInWithPassword(deps, ctx, user, requiredParameter(parameters, 'PASSWORD'));
  }
  if (flow === 'USER_AUTH') {
    return input.Session === undefined
      ? userAuth(deps, ctx, parameters)
      : signInAfterSignUp(deps, ctx, input.Session);
  }
  throw new CognitoError(
    'InvalidParameterException',
    `The local Cognito stand-in does not implement AuthFlow ${flow}.`,
  );
}

function userAuth(deps: SignInDeps, ctx: SignInContext, parameters: Record<string, string>): SignInAnswer {
  const user = signingInUser(deps, ctx);
  const preferred = parameters.PREFERRED_CHALLENGE;
  if (preferred === 'PASSWORD') {
    return signInWithPassword(deps, ctx, user, requiredParameter(parameters, 'PASSWORD'));
  }
  const available = firstFactors(ctx.pool, user);
  if ((preferred === 'EMAIL_OTP' || preferred === 'SMS_OTP') && available.includes(preferred)) {
    return startOneTimePassword(deps, ctx, user, preferred);
  }
  // No preference, or one this user cannot use (PASSWORD_SRP and WEB_AUTHN are not implemented): the choice.
  return selectChallenge(deps, ctx, user, available);
}

// ConfirmSignUp's session stands for the code the user just confirmed with: the first factor, for this user on
// this client, once, within the client's AuthSessionValidity.
function signInAfterSignUp(deps: SignInDeps, ctx: SignInContext, sessionId: string): SignInAnswer {
  const session = deps.sessions.live(sessionId, ctx.client.clientId, deps.clock.now());
  const user = findUserByIdentifier(deps.store, ctx.pool, ctx.identifier);
  if (session.step.kind !== 'sign-up' || !user || user.username !== session.username) throw invalidSession();
  session.used = true;
  return mfaOrTokens(deps, ctx, user);
}

function refreshTokenAuth(
  deps: Pick<Services, 'store' | 'clock' | 'refreshTokens' | 'signingKeys' | 'baseUrl'>,
  flow: string,
  clientId: string,
  parameters: Record<string, string>,
): TokensAnswer {
  const token = requiredParameter(parameters, 'REFRESH_TOKEN');
  const { client } = existingClient(deps.store, clientId);
  requireAuthFlow(client, flow);
  if (client.refreshTokenRotation) {
    // "You can't authenticate with REFRESH_TOKEN_AUTH in app clients with refresh token rotation enabled"
    // (developer guide, "Refresh tokens"); the exception is the one InitiateAuth models for a client setting.
    throw new CognitoError(
      'UnsupportedOperationException',
      'Refresh token rotation is enabled for this app client: refresh with GetTokensFromRefreshToken.',
    );
  }
  const { record, pool, user } = redeemRefreshToken(deps, client, token);
  // The hash is over the user's real username (cognito:username), not the alias or email they signed in with:
  // the refresh token names no one else.
  authenticateClient(deps.store, clientId, user.username, parameters.SECRET_HASH);
  return {
    ChallengeParameters: {},
    AuthenticationResult: issueRefreshedTokens(deps, { pool, client, user }, record),
  };
}
