// The gateway against an independent Cognito emulator, the Python `moto` server, over real HTTP with the real
// SDK: a check that what the gateway sends and how it reads answers is not tuned to our own stand-in only.
//
// What moto 5.2 does, read from moto/cognitoidp/{models,responses}.py and checked with curl:
// - SignUp: creates the user UNCONFIRMED and answers UserConfirmed, UserSub and, for an auto-verified email,
//   CodeDeliveryDetails masked like Cognito (`j***@e***`). It enforces the pool's password policy
//   (InvalidPasswordException) and unique usernames (UsernameExistsException). It ignores the SecretHash.
// - ConfirmSignUp: ignores the ConfirmationCode (and the SecretHash) altogether: it looks the user up
//   (UserNotFoundException if unknown) and sets CONFIRMED. moto generates no sign-up code and sends nothing,
//   so there is no code to find: any code confirms, and a wrong code cannot give CodeMismatchException here.
//   Confirming a confirmed user again succeeds too (Cognito would refuse), so that is not checked either.
// - ResendConfirmationCode: not implemented. moto raises NotImplementedError("The resend_confirmation_code
//   action has not been implemented") and werkzeug answers `500 INTERNAL SERVER ERROR`, `content-type:
//   text/html; charset=utf-8`, with its stock "<!doctype html>...<title>500 Internal Server Error</title>..."
//   page: an answer the SDK cannot parse, like a proxy's error page, which the gateway must turn into a clean
//   UPSTREAM_UNAVAILABLE.
// - Public calls are unsigned (as the gateway sends them); moto routes them by X-Amz-Target. The admin calls
//   this suite makes are signed with dummy credentials, which moto accepts without checking.
// - The app client's secret is a UUID (with hyphens), which Cognito never issues; its pool ids are
//   `us-east-1_<letters and digits>`. The gateway is configured with them through COGNITO_* variables alone,
//   as a user would: COGNITO_ENDPOINT is not an AWS host, so config accepts the emulator's formats.
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type GatewayHarness, type GraphQLResponse, startGatewayFromEnv } from '../support/gateway-harness';
import { type MotoServer, skipWithoutMoto, startMoto } from '../support/moto-server';
import { CONFIRM_SIGN_UP as CONFIRM, RESEND_CONFIRMATION_CODE, SIGN_UP } from '../support/user-pool-requests';

const SUITE = 'moto compatibility suite';
const PASSWORD = 'Correct-Horse-42'; // moto's default policy: 8+ characters, upper, lower, digit, symbol

describe.skipIf(skipWithoutMoto(SUITE))(SUITE, () => {
  let moto: MotoServer;
  let admin: CognitoIdentityProviderClient;
  let h: GatewayHarness;
  let poolId: string;
  /** Every response body the gateway gave in this suite, for the check that none holds the secret. */
  const bodies: string[] = [];
  const usernames: string[] = [];

  beforeAll(async () => {
    moto = await startMoto();
    admin = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: moto.url,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const { UserPool } = await admin.send(
      new CreateUserPoolCommand({ PoolName: 'moto-compat', AutoVerifiedAttributes: ['email'] }),
    );
    poolId = UserPool?.Id ?? '';
    const { UserPoolClient } = await admin.send(
      new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'gateway', GenerateSecret: true }),
    );
    h = await startGatewayFromEnv({
      COGNITO_ENDPOINT: moto.url,
      COGNITO_REGION: 'us-east-1',
      COGNITO_USER_POOL_ID: poolId,
      COGNITO_CLIENT_ID: UserPoolClient?.ClientId ?? '',
      COGNITO_CLIENT_SECRET: UserPoolClient?.ClientSecret ?? '',
    });
  });

  afterAll(async () => {
    admin?.destroy();
    await h?.close();
    await moto?.stop();
  });

  async function graphql(query: string, input: Record<string, unknown>): Promise<GraphQLResponse> {
    if (typeof input.username === 'string') usernames.push(input.username);
    const res = await h.graphql({ query, variables: { input } });
    bodies.push(JSON.stringify(res.body));
    return res;
  }

  const signUp = (username: string, password = PASSWORD) =>
    graphql(SIGN_UP, {
      username,
      password,
      userAttributes: [{ name: 'email', value: `${username}@example.com` }],
    });

  async function userStatus(username: string) {
    const user = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
    return {
      status: user.UserStatus,
      sub: user.UserAttributes?.find((a) => a.Name === 'sub')?.Value,
    };
  }

  function expectOneError(res: GraphQLResponse, code: string) {
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors[0].extensions).toEqual({ code });
  }

  it("is configured with moto's own pool id and UUID secret through the environment alone", () => {
    expect(poolId).toMatch(/^us-east-1_[0-9a-zA-Z]+$/);
    expect(h.config.cognito).toMatchObject({ mode: 'remote', nonAwsEndpoint: true, userPoolId: poolId });
    expect(h.clientSecret).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('signs a user up: moto creates it UNCONFIRMED with the sub the payload gives', async () => {
    const res = await signUp('jane');

    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    const payload = res.body.data.signUp;
    expect(payload).toEqual({
      userConfirmed: false,
      userSub: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      codeDeliveryDetails: { destination: 'j***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
    });
    expect(await userStatus('jane')).toEqual({ status: 'UNCONFIRMED', sub: payload.userSub });
  });

  it('confirms a sign-up: moto marks the user CONFIRMED', async () => {
    await signUp('john');
    // moto sends no code and checks none (see the top of this file): any well-formed code confirms.
    const res = await graphql(CONFIRM, { username: 'john', confirmationCode: '123456' });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { confirmSignUp: { confirmed: true } } });
    expect((await userStatus('john')).status).toBe('CONFIRMED');
  });

  it('answers USERNAME_EXISTS for a second sign-up with the same username', async () => {
    expect((await signUp('taken')).body.errors).toBeUndefined();

    const res = await signUp('taken');

    expectOneError(res, 'USERNAME_EXISTS');
    expect(res.body.errors[0]).toMatchObject({ message: 'This username is taken.', path: ['signUp'] });
  });

  it("answers INVALID_PASSWORD for a password that breaks the pool's policy, and creates no user", async () => {
    const res = await signUp('weak.password', 'weakpassword');

    expectOneError(res, 'INVALID_PASSWORD');
    const lookup = await admin
      .send(new AdminGetUserCommand({ UserPoolId: poolId, Username: 'weak.password' }))
      .catch((error: Error) => error.name);
    expect(lookup).toBe('UserNotFoundException');
  });

  it('answers USER_NOT_FOUND when confirming a user that does not exist', async () => {
    const res = await graphql(CONFIRM, { username: 'nobody', confirmationCode: '123456' });
    expectOneError(res, 'USER_NOT_FOUND');
  });

  it('moto answers ResendConfirmationCode with an HTML 500 (the action is not implemented)', async () => {
    // Straight to moto, so that a moto that implements it one day fails here and not in a puzzling way below.
    const res = await fetch(moto.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.ResendConfirmationCode',
      },
      body: JSON.stringify({ ClientId: h.clientId, Username: 'jane' }),
    });
    const body = await res.text();
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(body).toContain('<title>500 Internal Server Error</title>');
    // moto logs the traceback on stderr, which may arrive a moment after the response.
    await vi.waitFor(() =>
      expect(moto.output().join('\n')).toContain(
        'NotImplementedError: The resend_confirmation_code action has not been implemented',
      ),
    );
  });

  it("turns moto's HTML 500 for ResendConfirmationCode into a clean UPSTREAM_UNAVAILABLE", async () => {
    await signUp('resender');
    const logsBefore = h.logs.length;

    const res = await graphql(RESEND_CONFIRMATION_CODE, { username: 'resender' });

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    // Exactly this, so nothing else (a stack, moto's page, the upstream message) rides along.
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
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/html|werkzeug|NotImplemented|stack|Internal Server Error/i);

    // Operators get the upstream detail in the log, against the request id. An HTML 500 is not Cognito's own
    // InternalErrorException, so whatever sent it may already have passed the call on: it is not repeated.
    const requestId = res.headers.get('x-request-id');
    const lines = h.logs.slice(logsBefore).map((l) => JSON.parse(l));
    expect(lines).toContainEqual(
      expect.objectContaining({
        requestId,
        msg: 'cognito call failed',
        operation: 'ResendConfirmationCode',
        code: 'UPSTREAM_UNAVAILABLE',
        upstream: expect.objectContaining({ httpStatusCode: 500, attempts: 1 }),
      }),
    );
  });

  it('signs up and confirms with every optional input field set', async () => {
    const shared = {
      clientMetadata: [{ key: 'locale', value: 'de-DE' }],
      userContextData: { encodedData: 'eyJwYXlsb2FkIjoiZGV2aWNlIn0=' },
    };
    const signedUp = await graphql(SIGN_UP, {
      username: 'everything',
      password: PASSWORD,
      userAttributes: [
        { name: 'email', value: 'everything@example.com' },
        { name: 'name', value: 'Eve Rything' },
      ],
      validationData: [{ name: 'invite', value: 'abc' }],
      ...shared,
    });
    expect(signedUp.body.errors).toBeUndefined();

    const confirmed = await graphql(CONFIRM, {
      username: 'everything',
      confirmationCode: '654321',
      forceAliasCreation: false,
      ...shared,
    });
    expect(confirmed.body).toEqual({ data: { confirmSignUp: { confirmed: true } } });
    expect((await userStatus('everything')).status).toBe('CONFIRMED');
  });

  it('never puts the client secret or a SecretHash in a response or a log line', () => {
    expect(h.clientSecret).toMatch(/^[0-9a-f-]{36}$/); // moto's secret is a UUID: a real, findable string
    expect(bodies.length).toBeGreaterThanOrEqual(8);
    const hashes = [...new Set(usernames)].map((u) => computeSecretHash(u, h.clientId, h.clientSecret));
    for (const [where, text] of [
      ['responses', bodies.join('\n')],
      ['logs', h.logs.join('\n')],
    ] as const) {
      expect(text, where).not.toContain(h.clientSecret);
      for (const hash of hashes) expect(text, where).not.toContain(hash);
    }
  });
});
