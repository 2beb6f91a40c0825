// InitiateAuth, only as the stand-in's sign-in check for tests: AuthFlow USER_PASSWORD_AUTH, which proves
// that a password works (e.g. the one ConfirmForgotPassword set). The tokens are opaque dummies, not JWTs;
// nothing in the stand-in or the gateway accepts them. No other flow, challenge or token refresh exists.
import { randomUUID } from 'node:crypto';
import { authenticateClient, preventsUserExistenceErrors } from '../client-auth';
import { CognitoError, incorrectCredentials, userDoesNotExist } from '../errors';
import { passwordMatches } from '../passwords';
import type { Services } from '../services';
import type { JsonObject } from '../types';
import { findUserByIdentifier } from '../username-resolution';
import { readObject, readStrings } from '../validation';

export interface InitiateAuthResponse {
  ChallengeParameters: Record<string, never>;
  AuthenticationResult: {
    AccessToken: string;
    IdToken: string;
    RefreshToken: string;
    ExpiresIn: number;
    TokenType: 'Bearer';
  };
}

const TOKEN_LIFETIME_SECONDS = 3600;

export function initiateAuth(body: JsonObject, deps: Pick<Services, 'store'>): InitiateAuthResponse {
  const input = readStrings(body, ['AuthFlow', 'ClientId']);
  for (const field of ['ClientMetadata', 'UserContextData', 'AnalyticsMetadata']) readObject(body, field);
  if (input.AuthFlow !== 'USER_PASSWORD_AUTH') {
    throw new CognitoError(
      'InvalidParameterException',
      'The local Cognito stand-in implements InitiateAuth only for AuthFlow USER_PASSWORD_AUTH.',
    );
  }
  const parameters = readObject(body, 'AuthParameters') ?? {};
  const username = parameter(parameters, 'USERNAME');
  const password = parameter(parameters, 'PASSWORD');
  const secretHash = typeof parameters.SECRET_HASH === 'string' ? parameters.SECRET_HASH : undefined;
  const { client, pool } = authenticateClient(deps.store, input.ClientId, username, secretHash);

  const user = findUserByIdentifier(deps.store, pool, username);
  if (!user) throw preventsUserExistenceErrors(pool, client) ? incorrectCredentials() : userDoesNotExist();
  if (!passwordMatches(user.passwordHash, password)) throw incorrectCredentials();
  // Only after the password, as Cognito does: an unconfirmed status is news only to someone who knows it.
  if (user.status !== 'CONFIRMED') {
    throw new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
  }
  return {
    ChallengeParameters: {},
    AuthenticationResult: {
      AccessToken: `local-access-token.${randomUUID()}`,
      IdToken: `local-id-token.${randomUUID()}`,
      RefreshToken: `local-refresh-token.${randomUUID()}`,
      ExpiresIn: TOKEN_LIFETIME_SECONDS,
      TokenType: 'Bearer',
    },
  };
}

function parameter(parameters: JsonObject, name: 'USERNAME' | 'PASSWORD'): string {
  const value = parameters[name];
  if (typeof value !== 'string' || value === '') {
    throw new CognitoError('InvalidParameterException', `Missing required parameter ${name}`);
  }
  return value;
}
