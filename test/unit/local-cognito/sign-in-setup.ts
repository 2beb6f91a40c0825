// A stand-in's services with one pool, one app client and a hand-moved clock, and the sign-in targets called
// as plain functions on them: what the sign-in unit tests share.
import { computeSecretHash } from '../../../src/cognito/secret-hash';
import { type SeedUserOptions, seedUser } from '../../../src/local-cognito/seeding';
import { newServices } from '../../../src/local-cognito/services';
import { addUserPool, type UserPoolSpec } from '../../../src/local-cognito/targets/create-user-pool';
import {
  addUserPoolClient,
  type UserPoolClientSpec,
} from '../../../src/local-cognito/targets/create-user-pool-client';
import { getTokensFromRefreshToken } from '../../../src/local-cognito/targets/get-tokens-from-refresh-token';
import { initiateAuth } from '../../../src/local-cognito/targets/initiate-auth';
import { respondToAuthChallenge } from '../../../src/local-cognito/targets/respond-to-auth-challenge';
import type { JsonObject } from '../../../src/local-cognito/types';

export const BASE_URL = 'http://127.0.0.1:9229';
export const PASSWORD = 'correct-horse-battery';
export const MINUTE_MS = 60_000;

export class TestClock {
  private current = new Date('2030-01-01T00:00:00.000Z');
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export interface SetupOptions {
  pool?: UserPoolSpec;
  client?: UserPoolClientSpec;
  withSecret?: boolean;
}

export function signInSetup({ pool = {}, client = {}, withSecret = false }: SetupOptions = {}) {
  let counter = 0;
  const clock = new TestClock();
  const d = newServices({
    baseUrl: BASE_URL,
    clock,
    // Sequential codes, so a new code never equals an old one by chance.
    generateCode: () => String(100000 + ++counter),
  });
  const { id: poolId } = addUserPool(d, { autoVerifiedAttributes: ['email', 'phone_number'], ...pool });
  const appClient = addUserPoolClient(d, poolId, {
    generateSecret: withSecret,
    authFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    ...client,
  });
  const { clientId } = appClient;
  const clientSecret = appClient.secrets?.[0]?.value;
  const secretHash = (username: string): { SECRET_HASH?: string } =>
    clientSecret === undefined ? {} : { SECRET_HASH: computeSecretHash(username, clientId, clientSecret) };

  /** A confirmed user jane with a verified email and phone number, unless told otherwise. */
  const seed = (options: Partial<SeedUserOptions> = {}) =>
    seedUser(d, poolId, {
      username: 'jane',
      password: PASSWORD,
      attributes: { email: 'jane@example.com', phone_number: '+15555550123' },
      verified: ['email', 'phone_number'],
      ...options,
    });

  const initiate = (authFlow: string, parameters: Record<string, string>, extra: JsonObject = {}) =>
    initiateAuth(
      {
        AuthFlow: authFlow,
        ClientId: clientId,
        AuthParameters: { ...parameters, ...(parameters.USERNAME && secretHash(parameters.USERNAME)) },
        ...extra,
      },
      d,
    );

  const passwordSignIn = (username = 'jane', password = PASSWORD) =>
    initiate('USER_PASSWORD_AUTH', { USERNAME: username, PASSWORD: password });

  const respond = (
    challengeName: string,
    session: string | undefined,
    responses: Record<string, string>,
    username = 'jane',
  ) =>
    respondToAuthChallenge(
      {
        ClientId: clientId,
        ChallengeName: challengeName,
        ...(session !== undefined && { Session: session }),
        ChallengeResponses: { USERNAME: username, ...responses, ...secretHash(username) },
      },
      d,
    );

  const refresh = (refreshToken: string, extra: JsonObject = {}) =>
    getTokensFromRefreshToken(
      {
        ClientId: clientId,
        RefreshToken: refreshToken,
        ...(clientSecret !== undefined && { ClientSecret: clientSecret }),
        ...extra,
      },
      d,
    );

  /** The newest sign-in code sent to `username`. */
  const signInCode = (username = 'jane') => d.outbox.latestCode(username, 'sign-in') ?? '';

  return {
    d,
    clock,
    poolId,
    clientId,
    clientSecret,
    secretHash,
    seed,
    initiate,
    passwordSignIn,
    respond,
    refresh,
    signInCode,
  };
}

export type SignInSetup = ReturnType<typeof signInSetup>;

/** A JWT's payload and header, unverified (the tests check the signature separately). */
export function decodeToken(token: string | undefined): {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
} {
  const [header = '', payload = ''] = (token ?? '').split('.');
  const decode = (segment: string) => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  return { header: decode(header), payload: decode(payload) };
}
