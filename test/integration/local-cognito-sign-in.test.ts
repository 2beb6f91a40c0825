// Signing in to the local Cognito stand-in with the real AWS SDK over real HTTP, as the gateway's sign-in does:
// app client flows and settings made over the wire, InitiateAuth and RespondToAuthChallenge with every challenge
// the stand-in implements, the tokens verified as a backend verifies them (aws-jwt-verify against the
// stand-in's JWKS), refresh with rotation, and revocation.
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserMFAPreferenceCommand,
  type AuthFlowType,
  type ChallengeNameType,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  type CreateUserPoolClientCommandInput,
  CreateUserPoolCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
  InvalidParameterException,
  NotAuthorizedException,
  RefreshTokenReuseException,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SignUpCommand,
  UnsupportedOperationException,
  UserNotConfirmedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { JwtVerifier } from 'aws-jwt-verify';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import type { OutboxMessage, SeedUserOptions } from '../../src/local-cognito';
import { base32Decode, totp } from '../../src/local-cognito/totp';
import { type StandInClients, startStandInClients, stopStandInClients } from '../support/stand-in-clients';
import { rejectionOf } from '../support/thrown';

const PASSWORD = 'correct-horse-battery';
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

// Starts at the real time, so the tokens it dates are valid for aws-jwt-verify, which checks `exp` against the
// real clock; tests move it forward only where nothing verifies a token afterwards.
class TestClock {
  private current = new Date(Math.floor(Date.now() / 1000) * 1000);
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

let stand: StandInClients;
let clock: TestClock;
let codeCounter = 0;
const failure = rejectionOf;

beforeAll(async () => {
  clock = new TestClock();
  stand = await startStandInClients({ clock, generateCode: () => String(200000 + ++codeCounter) });
});

afterAll(async () => {
  await stopStandInClients(stand);
});

afterEach(() => {
  stand.cognito.outbox.clear();
});

interface App {
  poolId: string;
  clientId: string;
  clientSecret?: string;
  hash(username: string): { SECRET_HASH?: string };
}

/** A pool and an app client with a secret, both made over the wire as an operator would make them. */
async function app(client: Partial<CreateUserPoolClientCommandInput> = {}): Promise<App> {
  const { UserPool } = await stand.admin.send(
    new CreateUserPoolCommand({ PoolName: 'sign-in', AutoVerifiedAttributes: ['email'] }),
  );
  const poolId = UserPool?.Id ?? '';
  const { UserPoolClient } = await stand.admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'gateway',
      GenerateSecret: true,
      ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      ...client,
    }),
  );
  const clientId = UserPoolClient?.ClientId ?? '';
  const clientSecret = UserPoolClient?.ClientSecret;
  return {
    poolId,
    clientId,
    ...(clientSecret !== undefined && { clientSecret }),
    hash: (username) =>
      clientSecret === undefined ? {} : { SECRET_HASH: computeSecretHash(username, clientId, clientSecret) },
  };
}

function seedJane(a: App, extra: Partial<SeedUserOptions> = {}) {
  return stand.cognito.seedUser(a.poolId, {
    username: 'jane',
    password: PASSWORD,
    attributes: { email: 'jane@example.com', phone_number: '+15555550123' },
    verified: ['email', 'phone_number'],
    ...extra,
  });
}

function initiate(a: App, flow: AuthFlowType, parameters: Record<string, string>, session?: string) {
  return stand.anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: flow,
      ClientId: a.clientId,
      AuthParameters: { ...parameters, ...(parameters.USERNAME && a.hash(parameters.USERNAME)) },
      ...(session !== undefined && { Session: session }),
    }),
  );
}

function respond(
  a: App,
  name: ChallengeNameType,
  session: string | undefined,
  responses: Record<string, string>,
  username = 'jane',
) {
  return stand.anonymous.send(
    new RespondToAuthChallengeCommand({
      ClientId: a.clientId,
      ChallengeName: name,
      Session: session,
      ChallengeResponses: { USERNAME: username, ...responses, ...a.hash(username) },
    }),
  );
}

/** The newest sign-in code, read as a developer reads it: GET /_local/outbox. */
async function signInCode(username = 'jane'): Promise<string> {
  const response = await fetch(`${stand.cognito.url}/_local/outbox?username=${username}&purpose=sign-in`);
  const messages = (await response.json()) as OutboxMessage[];
  return messages.at(-1)?.code ?? '';
}

function refresh(a: App, token: string | undefined, secret = a.clientSecret) {
  return stand.anonymous.send(
    new GetTokensFromRefreshTokenCommand({ ClientId: a.clientId, ClientSecret: secret, RefreshToken: token }),
  );
}

/**
 * Verifiers for the pool's tokens as a backend builds them: the issuer is the stand-in's URL + pool id, the JWKS
 * is found from it. aws-jwt-verify fetches over HTTPS only, so this backend's fetcher speaks plain HTTP to the
 * local stand-in; nothing else differs from production.
 */
function verifiers(a: App) {
  const jwksCache = new SimpleJwksCache({
    fetcher: { fetch: async (uri: string) => (await fetch(uri)).arrayBuffer() },
  });
  const issuer = `${stand.cognito.url}/${a.poolId}`;
  return {
    id: JwtVerifier.create(
      {
        issuer,
        audience: a.clientId,
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== 'id') throw new Error('not an ID token');
        },
      },
      { jwksCache },
    ),
    access: JwtVerifier.create(
      {
        issuer,
        audience: null,
        scope: 'aws.cognito.signin.user.admin',
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== 'access' || payload.client_id !== a.clientId) {
            throw new Error('not an access token of this client');
          }
        },
      },
      { jwksCache },
    ),
  };
}

describe('app client sign-in settings over the wire', () => {
  it("answers the settings it was given, and Cognito's defaults for the rest", async () => {
    const a = await app({
      AccessTokenValidity: 10,
      TokenValidityUnits: { AccessToken: 'minutes' },
      AuthSessionValidity: 5,
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
    });
    const { UserPoolClient } = await stand.admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: a.poolId, ClientName: 'defaults' }),
    );

    expect(UserPoolClient).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'],
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
      AuthSessionValidity: 3,
      RefreshTokenRotation: { Feature: 'DISABLED' },
    });
    seedJane(a);
    const { AuthenticationResult } = await initiate(a, 'USER_PASSWORD_AUTH', { USERNAME: 'jane', PASSWORD });
    expect(AuthenticationResult?.ExpiresIn).toBe(600);
  });

  it("refuses a flow the client does not allow with Cognito's InvalidParameterException", async () => {
    const a = await app({ ExplicitAuthFlows: ['ALLOW_USER_AUTH'] });
    seedJane(a);

    const error = await failure(initiate(a, 'USER_PASSWORD_AUTH', { USERNAME: 'jane', PASSWORD }));

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe('USER_PASSWORD_AUTH flow not enabled for this client');
  });
});

describe('tokens a backend verifies', () => {
  it("signs in by password, and the ID and access tokens verify with aws-jwt-verify against the stand-in's JWKS", async () => {
    const a = await app();
    const { sub } = seedJane(a);

    const { AuthenticationResult: tokens } = await initiate(a, 'USER_PASSWORD_AUTH', {
      USERNAME: 'jane',
      PASSWORD,
    });
    const verify = verifiers(a);

    expect(await verify.id.verify(tokens?.IdToken ?? '')).toMatchObject({
      sub,
      aud: a.clientId,
      email: 'jane@example.com',
      email_verified: true,
      'cognito:username': 'jane',
      token_use: 'id',
      iss: `${stand.cognito.url}/${a.poolId}`,
    });
    expect(await verify.access.verify(tokens?.AccessToken ?? '')).toMatchObject({
      sub,
      client_id: a.clientId,
      username: 'jane',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
    });
    await expect(verify.access.verify(tokens?.IdToken ?? '')).rejects.toThrow();
  });

  it('serves each pool its two keys at /<pool id>/.well-known/jwks.json, and 404 for an unknown pool', async () => {
    const a = await app();

    const response = await fetch(`${stand.cognito.url}/${a.poolId}/.well-known/jwks.json`);
    const unknown = await fetch(`${stand.cognito.url}/us-east-1_Unknown1/.well-known/jwks.json`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      keys: [
        { alg: 'RS256', e: 'AQAB', kid: expect.any(String), kty: 'RSA', n: expect.any(String), use: 'sig' },
        { alg: 'RS256', e: 'AQAB', kid: expect.any(String), kty: 'RSA', n: expect.any(String), use: 'sig' },
      ],
    });
    expect(unknown.status).toBe(404);
  });

  it('answers GetUser for the access token', async () => {
    const a = await app();
    seedJane(a);
    const { AuthenticationResult } = await initiate(a, 'USER_PASSWORD_AUTH', { USERNAME: 'jane', PASSWORD });

    const user = await stand.anonymous.send(
      new GetUserCommand({ AccessToken: AuthenticationResult?.AccessToken }),
    );

    expect(user.Username).toBe('jane');
    expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: 'jane@example.com' });
  });
});

describe('InitiateAuth and RespondToAuthChallenge over HTTP', () => {
  it('offers a choice with USER_AUTH, then signs in with the emailed one-time password from the outbox', async () => {
    const a = await app();
    seedJane(a);

    const choice = await initiate(a, 'USER_AUTH', { USERNAME: 'jane' });
    expect(choice.ChallengeName).toBe('SELECT_CHALLENGE');
    expect(choice.AvailableChallenges).toEqual(['PASSWORD', 'EMAIL_OTP', 'SMS_OTP']);
    const otp = await respond(a, 'SELECT_CHALLENGE', choice.Session, { ANSWER: 'EMAIL_OTP' });
    expect(otp.ChallengeName).toBe('EMAIL_OTP');
    expect(otp.ChallengeParameters).toEqual({
      CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
      CODE_DELIVERY_DESTINATION: 'j***@e***',
    });

    const done = await respond(a, 'EMAIL_OTP', otp.Session, { EMAIL_OTP_CODE: await signInCode() });
    expect(done.AuthenticationResult?.IdToken).toEqual(expect.any(String));
  });

  it('asks a user seeded over POST /_local/users with SMS MFA for the texted code', async () => {
    const a = await app();
    const seeded = await fetch(`${stand.cognito.url}/_local/users`, {
      method: 'POST',
      body: JSON.stringify({
        userPoolId: a.poolId,
        username: 'jane',
        password: PASSWORD,
        attributes: { phone_number: '+15555550123' },
        mfa: { enabled: ['SMS_MFA'] },
      }),
    });
    expect(seeded.status).toBe(201);

    const challenge = await initiate(a, 'USER_PASSWORD_AUTH', { USERNAME: 'jane', PASSWORD });
    expect(challenge).toMatchObject({
      ChallengeName: 'SMS_MFA',
      ChallengeParameters: {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
        CODE_DELIVERY_DESTINATION: '+*******0123',
      },
    });
    const done = await respond(a, 'SMS_MFA', challenge.Session, { SMS_MFA_CODE: await signInCode() });

    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  it("signs in with the authenticator app's code for SOFTWARE_TOKEN_MFA turned on by AdminSetUserMFAPreference", async () => {
    const a = await app();
    seedJane(a, { totpSecret: TOTP_SECRET });
    await stand.admin.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: a.poolId,
        Username: 'jane',
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const user = await stand.admin.send(new AdminGetUserCommand({ UserPoolId: a.poolId, Username: 'jane' }));
    expect(user.PreferredMfaSetting).toBe('SOFTWARE_TOKEN_MFA');

    const challenge = await initiate(a, 'USER_PASSWORD_AUTH', { USERNAME: 'jane', PASSWORD });
    expect(challenge.ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
    const code = totp(base32Decode(TOTP_SECRET) ?? Buffer.alloc(0), clock.now());
    const done = await respond(a, 'SOFTWARE_TOKEN_MFA', challenge.Session, { SOFTWARE_TOKEN_MFA_CODE: code });

    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  it('has a user made by AdminCreateUser set a new password at the first sign-in', async () => {
    const a = await app();
    await stand.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: a.poolId,
        Username: 'jane',
        TemporaryPassword: 'temporary-password',
        UserAttributes: [{ Name: 'email', Value: 'jane@example.com' }],
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    expect(stand.cognito.outbox.list({ purpose: 'invitation' })).toMatchObject([
      { code: 'temporary-password' },
    ]);

    const challenge = await initiate(a, 'USER_PASSWORD_AUTH', {
      USERNAME: 'jane',
      PASSWORD: 'temporary-password',
    });
    expect(challenge.ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
    const done = await respond(a, 'NEW_PASSWORD_REQUIRED', challenge.Session, { NEW_PASSWORD: PASSWORD });

    expect(done.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    const user = await stand.admin.send(new AdminGetUserCommand({ UserPoolId: a.poolId, Username: 'jane' }));
    expect(user.UserStatus).toBe('CONFIRMED');
  });

  it('takes three wrong codes, then answers NotAuthorizedException for the dead session', async () => {
    const a = await app();
    seedJane(a, { mfa: { enabled: ['SMS_MFA'] } });
    const challenge = await initiate(a, 'USER_PASSWORD_AUTH', { USERNAME: 'jane', PASSWORD });

    for (let i = 0; i < 3; i++) {
      const wrong = await failure(respond(a, 'SMS_MFA', challenge.Session, { SMS_MFA_CODE: '999999' }));
      expect(wrong.name).toBe('CodeMismatchException');
    }
    const dead = await failure(
      respond(a, 'SMS_MFA', challenge.Session, { SMS_MFA_CODE: await signInCode() }),
    );

    expect(dead).toBeInstanceOf(NotAuthorizedException);
    expect(dead.message).toBe('Invalid session for the user.');
  });

  it('says so only after the right password when the user is unconfirmed, and locks out after five wrong ones', async () => {
    const a = await app({ PreventUserExistenceErrors: 'ENABLED' });
    seedJane(a, { status: 'UNCONFIRMED' });
    const signIn = (username: string, password: string) =>
      failure(initiate(a, 'USER_PASSWORD_AUTH', { USERNAME: username, PASSWORD: password }));

    expect((await signIn('nobody', PASSWORD)).message).toBe('Incorrect username or password.');
    expect(await signIn('jane', PASSWORD)).toBeInstanceOf(UserNotConfirmedException);
    for (let i = 0; i < 5; i++)
      expect((await signIn('jane', 'wrong')).message).toBe('Incorrect username or password.');
    const locked = await signIn('jane', PASSWORD);

    expect(locked).toBeInstanceOf(NotAuthorizedException);
    expect(locked.message).toBe('Password attempts exceeded');
  });
});

describe("ConfirmSignUp's Session", () => {
  it('signs the new user in with USER_AUTH without a password, once', async () => {
    const a = await app();
    await stand.anonymous.send(
      new SignUpCommand({
        ClientId: a.clientId,
        Username: 'newbie',
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'newbie@example.com' }],
        ...(a.clientSecret && { SecretHash: computeSecretHash('newbie', a.clientId, a.clientSecret) }),
      }),
    );
    const { Session } = await stand.anonymous.send(
      new ConfirmSignUpCommand({
        ClientId: a.clientId,
        Username: 'newbie',
        ConfirmationCode: stand.cognito.outbox.latestCode('newbie', 'confirmation'),
        ...(a.clientSecret && { SecretHash: computeSecretHash('newbie', a.clientId, a.clientSecret) }),
      }),
    );
    expect(Session).toEqual(expect.any(String));

    const signedIn = await initiate(a, 'USER_AUTH', { USERNAME: 'newbie' }, Session);
    const again = await failure(initiate(a, 'USER_AUTH', { USERNAME: 'newbie' }, Session));

    expect(signedIn.AuthenticationResult?.RefreshToken).toEqual(expect.any(String));
    expect(again).toBeInstanceOf(NotAuthorizedException);
    expect(again.message).toBe('Invalid session for the user, session can only be used once.');
  });
});

describe('refresh and revocation', () => {
  it('rotates refresh tokens with GetTokensFromRefreshToken and refuses the old one after the grace period', async () => {
    const a = await app({ RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 5 } });
    seedJane(a);
    const { AuthenticationResult } = await initiate(a, 'USER_PASSWORD_AUTH', { USERNAME: 'jane', PASSWORD });
    const original = AuthenticationResult?.RefreshToken;

    const first = await refresh(a, original);
    const rotated = first.AuthenticationResult?.RefreshToken;
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(original);
    const legacy = await failure(initiate(a, 'REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: original ?? '' }));
    expect(legacy).toBeInstanceOf(UnsupportedOperationException);

    clock.advance(5000);
    const reused = await failure(refresh(a, original));
    expect(reused).toBeInstanceOf(RefreshTokenReuseException);
    expect((await refresh(a, rotated)).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
  });

  it("refreshes with REFRESH_TOKEN_AUTH, SECRET_HASH over the user's username", async () => {
    const a = await app();
    seedJane(a);
    const { AuthenticationResult } = await initiate(a, 'USER_PASSWORD_AUTH', { USERNAME: 'jane', PASSWORD });

    const refreshed = await stand.anonymous.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: a.clientId,
        AuthParameters: { REFRESH_TOKEN: AuthenticationResult?.RefreshToken ?? '', ...a.hash('jane') },
      }),
    );

    expect(refreshed.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    expect(refreshed.AuthenticationResult?.RefreshToken).toBeUndefined();
  });

  it('revokes the refresh token and the access tokens it issued with RevokeToken', async () => {
    const a = await app();
    seedJane(a);
    const { AuthenticationResult } = await initiate(a, 'USER_PASSWORD_AUTH', { USERNAME: 'jane', PASSWORD });

    await stand.anonymous.send(
      new RevokeTokenCommand({
        ClientId: a.clientId,
        ClientSecret: a.clientSecret,
        Token: AuthenticationResult?.RefreshToken,
      }),
    );

    const refused = await failure(refresh(a, AuthenticationResult?.RefreshToken));
    expect(refused).toBeInstanceOf(NotAuthorizedException);
    expect(refused.message).toBe('Refresh Token has been revoked');
    const getUser = await failure(
      stand.anonymous.send(new GetUserCommand({ AccessToken: AuthenticationResult?.AccessToken })),
    );
    expect(getUser.message).toBe('Access Token has been revoked');
  });
});
