// The gateway against cognito-local 5.3 (npm `cognito-local`, jagregory's TypeScript Cognito emulator), over
// real HTTP with the real SDK, configured through COGNITO_* variables alone with the credentials cognito-local
// gives, as a user would.
//
// What cognito-local 5.3 does, read from node_modules/cognito-local/lib and checked over HTTP:
// - CreateUserPool gives ids `local_<8 letters and digits>`, naming no region; CreateUserPoolClient with
//   GenerateSecret gives a secret of lower-case letters and digits (short-uuid). Pools take email addresses
//   as usernames unless told otherwise (its UserPoolDefaults.UsernameAttributes is ["email"]).
// - SignUp creates the user UNCONFIRMED, prints a "Confirmation Code Delivery" box with the code on its
//   console (random, or its CODE variable: this suite fixes it, as the box can lag behind the answer) and
//   answers CodeDeliveryDetails with the destination unmasked. It ignores the SecretHash and the password
//   policy, and answers UsernameExistsException for a taken username.
// - ConfirmSignUp compares the code: a wrong one is CodeMismatchException, the right one confirms. Unknown
//   users get NotAuthorizedException (Cognito: UserNotFoundException); a confirmed user has no code any more,
//   so confirming again is ExpiredCodeException (Cognito: NotAuthorizedException, "Current status is
//   CONFIRMED").
// - ResendConfirmationCode is not implemented: `500`, `application/json`,
//   `{"__type":"CognitoLocal#Unsupported","message":"Cognito Local unsupported feature: Unsupported
//   x-amz-target header \"ResendConfirmationCode\""}`, which the gateway must turn into a clean
//   UPSTREAM_UNAVAILABLE.
// - ForgotPassword sends the code (its CODE) by EMAIL whatever the pool says, answers the destination unmasked
//   and UserNotFoundException for an unknown user (as Cognito does without PreventUserExistenceErrors).
//   ConfirmForgotPassword compares the code (a wrong one is CodeMismatchException), then sets the password
//   without checking the pool's password policy (Cognito: InvalidPasswordException for a weak one), never
//   expires the code and counts no wrong attempts (Cognito: ExpiredCodeException after an hour,
//   LimitExceededException after a few wrong codes).
// - InitiateAuth supports USER_PASSWORD_AUTH (and refresh tokens) and ignores the SECRET_HASH; a wrong password
//   is InvalidPasswordException (Cognito: NotAuthorizedException, "Incorrect username or password.").
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import {
  type CognitoLocalServer,
  skipWithoutCognitoLocal,
  startCognitoLocal,
} from '../support/cognito-local-server';
import { type GatewayHarness, type GraphQLResponse, startGatewayFromEnv } from '../support/gateway-harness';
import {
  CONFIRM_SIGN_UP as CONFIRM,
  confirmForgotPassword,
  forgotPassword,
  RESEND_CONFIRMATION_CODE,
  SIGN_UP,
} from '../support/user-pool-requests';

const SUITE = 'cognito-local compatibility suite';
const ROOT = join(__dirname, '..', '..');
const PASSWORD = 'Correct-Horse-42';
/** cognito-local's CODE: the code it gives every user. */
const CODE = '246810';

describe.skipIf(skipWithoutCognitoLocal(SUITE))(SUITE, () => {
  let cognitoLocal: CognitoLocalServer;
  let admin: CognitoIdentityProviderClient;
  let h: GatewayHarness;
  let poolId: string;
  /** Every response body the gateway gave in this suite, for the check that none holds the secret. */
  const bodies: string[] = [];
  const usernames: string[] = [];

  beforeAll(async () => {
    cognitoLocal = await startCognitoLocal({ code: CODE });
    admin = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: cognitoLocal.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const { UserPool } = await admin.send(
      new CreateUserPoolCommand({ PoolName: 'cognito-local-compat', AutoVerifiedAttributes: ['email'] }),
    );
    poolId = UserPool?.Id ?? '';
    const { UserPoolClient } = await admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'gateway', GenerateSecret: true }),
    );
    // No COGNITO_REGION: the pool id names none, and against an emulator the region defaults.
    h = await startGatewayFromEnv({
      COGNITO_ENDPOINT: cognitoLocal.url,
      COGNITO_USER_POOL_ID: poolId,
      COGNITO_CLIENT_ID: UserPoolClient?.ClientId ?? '',
      COGNITO_CLIENT_SECRET: UserPoolClient?.ClientSecret ?? '',
    });
  });

  afterAll(async () => {
    admin?.destroy();
    await h?.close();
    await cognitoLocal?.stop();
  });

  async function graphql(query: string, input: Record<string, unknown>): Promise<GraphQLResponse> {
    if (typeof input.username === 'string') usernames.push(input.username);
    const res = await h.graphql({ query, variables: { input } });
    bodies.push(JSON.stringify(res.body));
    return res;
  }

  const signUp = (username: string) =>
    graphql(SIGN_UP, { username, password: PASSWORD, userAttributes: [{ name: 'email', value: username }] });

  const confirm = (username: string, confirmationCode: string) =>
    graphql(CONFIRM, { username, confirmationCode });

  async function userStatus(username: string) {
    const user = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    return user.UserStatus;
  }

  function expectOneError(res: GraphQLResponse, code: string) {
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toEqual({ code });
  }

  it("is configured with cognito-local's own pool id and secret through the environment alone", () => {
    expect(poolId).toMatch(/^local_[0-9a-zA-Z]{8}$/);
    expect(h.clientSecret).toMatch(/^[0-9a-z]+$/);
    expect(h.config.cognito).toMatchObject({
      mode: 'remote',
      nonAwsEndpoint: true,
      region: 'us-east-1',
      userPoolId: poolId,
    });
  });

  it('signs a user up: cognito-local creates it UNCONFIRMED', async () => {
    const res = await signUp('jane@example.com');

    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.signUp).toEqual({
      userConfirmed: false,
      userSub: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      codeDeliveryDetails: {
        destination: 'jane@example.com', // cognito-local does not mask it as Cognito does
        deliveryMedium: 'EMAIL',
        attributeName: 'email',
      },
    });
    expect(await userStatus('jane@example.com')).toBe('UNCONFIRMED');
  });

  it('answers CODE_MISMATCH for a wrong code and leaves the user UNCONFIRMED', async () => {
    await signUp('wrong.code@example.com');

    const res = await confirm('wrong.code@example.com', '135790');

    expectOneError(res, 'CODE_MISMATCH');
    expect(await userStatus('wrong.code@example.com')).toBe('UNCONFIRMED');
  });

  it('confirms a sign-up with the right code: cognito-local marks the user CONFIRMED', async () => {
    await signUp('john@example.com');

    const res = await confirm('john@example.com', CODE);

    expect(res.body).toEqual({ data: { confirmSignUp: { confirmed: true } } });
    expect(await userStatus('john@example.com')).toBe('CONFIRMED');
  });

  it('answers CODE_EXPIRED when a confirmed user is confirmed again (Cognito would say ALREADY_CONFIRMED)', async () => {
    await signUp('twice@example.com');
    expect((await confirm('twice@example.com', CODE)).body.errors).toBeUndefined();

    expectOneError(await confirm('twice@example.com', CODE), 'CODE_EXPIRED');
  });

  it('answers USERNAME_EXISTS for a second sign-up with the same username', async () => {
    expect((await signUp('taken@example.com')).body.errors).toBeUndefined();

    const res = await signUp('taken@example.com');

    expectOneError(res, 'USERNAME_EXISTS');
    expect(res.body.errors[0]).toMatchObject({ message: 'This username is taken.', path: ['signUp'] });
  });

  it('answers NOT_AUTHORIZED when confirming an unknown user (Cognito would say USER_NOT_FOUND)', async () => {
    expectOneError(await confirm('nobody@example.com', '123456'), 'NOT_AUTHORIZED');
  });

  it('cognito-local answers ResendConfirmationCode with a JSON 500 (the action is not implemented)', async () => {
    // Straight to cognito-local, so that a version that implements it fails here and not puzzlingly below.
    const res = await fetch(cognitoLocal.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.ResendConfirmationCode',
      },
      body: JSON.stringify({ ClientId: h.clientId, Username: 'jane@example.com' }),
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({
      __type: 'CognitoLocal#Unsupported',
      message: 'Cognito Local unsupported feature: Unsupported x-amz-target header "ResendConfirmationCode"',
    });
  });

  it("turns cognito-local's unsupported-feature 500 into a clean UPSTREAM_UNAVAILABLE", async () => {
    await signUp('resender@example.com');
    const logsBefore = h.logs.length;

    const res = await graphql(RESEND_CONFIRMATION_CODE, { username: 'resender@example.com' });

    expect(res.status).toBe(200);
    // Exactly this, so nothing of cognito-local's answer rides along.
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Cognito is unavailable; try again shortly.',
          locations: [{ line: 2, column: 3 }],
          path: ['resendConfirmationCode'],
          extensions: { code: 'UPSTREAM_UNAVAILABLE' },
        },
      ],
    });
    expect(JSON.stringify(res.body)).not.toMatch(/Cognito ?Local|Unsupported|x-amz-target/i);
    const lines = h.logs.slice(logsBefore).map((l) => JSON.parse(l));
    expect(lines).toContainEqual(
      expect.objectContaining({
        requestId: res.headers.get('x-request-id'),
        msg: 'cognito call failed',
        operation: 'ResendConfirmationCode',
        code: 'UPSTREAM_UNAVAILABLE',
        upstream: expect.objectContaining({ httpStatusCode: 500 }),
      }),
    );
  });

  it('answers USER_NOT_FOUND when an unknown user asks for a reset code', async () => {
    const { query, variables } = forgotPassword({ username: 'ghost@example.com' });
    expectOneError(await graphql(query, variables.input), 'USER_NOT_FOUND');
  });

  it('resets a password: wrong code refused, right code accepted, then only the new password signs in', async () => {
    const username = 'reset@example.com';
    const newPassword = 'Brand-New-Horse-77';
    await signUp(username);
    expect((await confirm(username, CODE)).body.errors).toBeUndefined();

    const asked = forgotPassword({ username });
    const res = await graphql(asked.query, asked.variables.input);
    expect(res.body).toEqual({
      data: {
        forgotPassword: {
          codeDeliveryDetails: {
            destination: username, // cognito-local does not mask it as Cognito does
            deliveryMedium: 'EMAIL',
            attributeName: 'email',
          },
        },
      },
    });

    const wrong = confirmForgotPassword({ username, confirmationCode: '135790', password: newPassword });
    expectOneError(await graphql(wrong.query, wrong.variables.input), 'CODE_MISMATCH');

    const right = confirmForgotPassword({ username, confirmationCode: CODE, password: newPassword });
    expect((await graphql(right.query, right.variables.input)).body).toEqual({
      data: { confirmForgotPassword: { passwordChanged: true } },
    });
    expect(await userStatus(username)).toBe('CONFIRMED');

    // Signing in is no gateway call: straight to cognito-local with the SDK, as an app would.
    const signIn = (password: string) =>
      admin.send(
        new InitiateAuthCommand({
          ClientId: h.clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: {
            USERNAME: username,
            PASSWORD: password,
            SECRET_HASH: computeSecretHash(username, h.clientId, h.clientSecret),
          },
        }),
      );
    const signedIn = await signIn(newPassword);
    expect(signedIn.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expect(signedIn.AuthenticationResult?.IdToken).toEqual(expect.any(String));
    // Cognito would say NotAuthorizedException ("Incorrect username or password.").
    await expect(signIn(PASSWORD)).rejects.toMatchObject({ name: 'InvalidPasswordException' });
  });

  it('never puts the client secret or a SecretHash in a response or a log line', () => {
    expect(bodies.length).toBeGreaterThanOrEqual(10);
    const hashes = [...new Set(usernames)].map((u) => computeSecretHash(u, h.clientId, h.clientSecret));
    for (const [where, text] of [
      ['responses', bodies.join('\n')],
      ['logs', h.logs.join('\n')],
    ] as const) {
      expect(text, where).not.toContain(h.clientSecret);
      for (const hash of hashes) expect(text, where).not.toContain(hash);
    }
  });

  it('keeps its data in a temporary directory, never in the repository', () => {
    expect(existsSync(join(cognitoLocal.cwd, '.cognito', 'db', `${poolId}.json`))).toBe(true);
    expect(cognitoLocal.cwd.startsWith(ROOT)).toBe(false);
    expect(existsSync(join(ROOT, '.cognito'))).toBe(false);
  });
});
