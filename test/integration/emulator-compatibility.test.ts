// The gateway against independent Cognito emulators (moto and cognito-local, test/support/emulators.ts), over
// real HTTP with the real SDK, configured through COGNITO_* variables alone with the ids and secret each gives,
// as a user would: a check that what the gateway sends and how it reads answers is not tuned to our own
// stand-in only. Every emulator gets the same checks; where one falls short of Cognito (its row in the table
// says how), the check it cannot support is skipped for it and the gateway's answer to its gap is pinned.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { codeOfBody } from '../support/answers';
import { adminClient, createPoolAndClient, EMULATORS, type RunningEmulator } from '../support/emulators';
import { type GatewayHarness, type GraphQLResponse, startGatewayFromEnv } from '../support/gateway-harness';
import {
  CONFIRM_SIGN_UP,
  confirmForgotPassword,
  forgotPassword,
  RESEND_CONFIRMATION_CODE,
  refreshTokens as refreshTokensRequest,
  SIGN_UP,
  signIn as signInRequest,
  signOut as signOutRequest,
} from '../support/user-pool-requests';

const ROOT = join(__dirname, '..', '..');
const PASSWORD = 'Correct-Horse-42'; // moto's default policy: 8+ characters, upper, lower, digit, symbol
/** Any word of an emulator's own answer to a call it lacks, none of which may reach a client. */
const EMULATOR_WORDS =
  /html|werkzeug|NotImplemented|stack|Internal Server Error|Cognito ?Local|Unsupported|x-amz-target/i;

for (const emulator of EMULATORS) {
  const suite = `${emulator.name} compatibility suite`;

  describe.skipIf(emulator.unavailable(suite))(suite, () => {
    let server: RunningEmulator;
    let admin: CognitoIdentityProviderClient;
    let h: GatewayHarness;
    let poolId: string;
    /** Every response body the gateway gave in this suite, for the check that none holds the secret. */
    const bodies: string[] = [];
    const usernames: string[] = [];

    beforeAll(async () => {
      server = await emulator.start();
      admin = adminClient(server.url);
      const made = await createPoolAndClient(admin, `${emulator.name}-compat`);
      poolId = made.poolId;
      h = await startGatewayFromEnv({
        COGNITO_ENDPOINT: server.url,
        COGNITO_USER_POOL_ID: made.poolId,
        COGNITO_CLIENT_ID: made.clientId,
        COGNITO_CLIENT_SECRET: made.clientSecret,
        ...emulator.gatewayEnv,
      });
    });

    afterAll(async () => {
      admin?.destroy();
      await h?.close();
      await server?.stop();
    });

    async function graphql(query: string, input: Record<string, unknown>): Promise<GraphQLResponse> {
      if (typeof input.username === 'string') usernames.push(input.username);
      const res = await h.graphql({ query, variables: { input } });
      bodies.push(JSON.stringify(res.body));
      return res;
    }

    const signUp = (username: string, password = PASSWORD) =>
      graphql(SIGN_UP, { username, password, userAttributes: [{ name: 'email', value: username }] });

    const confirm = (username: string, confirmationCode: string) =>
      graphql(CONFIRM_SIGN_UP, { username, confirmationCode });

    async function user(username: string) {
      const found = await admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));
      return {
        status: found.UserStatus,
        sub: found.UserAttributes?.find((a) => a.Name === 'sub')?.Value,
      };
    }

    function expectOneError(res: GraphQLResponse, code: string) {
      expect(res.status).toBe(200);
      expect(res.body.data).toBeNull();
      expect(res.body.errors).toHaveLength(1);
      expect(res.body.errors[0].extensions).toEqual({ code });
    }

    it("is configured with the emulator's own pool id and secret through the environment alone", () => {
      expect(poolId).toMatch(emulator.poolId);
      expect(h.clientSecret).toMatch(emulator.clientSecret);
      expect(h.config.cognito).toMatchObject({
        mode: 'remote',
        nonAwsEndpoint: true,
        region: 'us-east-1',
        userPoolId: poolId,
      });
    });

    it('signs a user up: the emulator creates it UNCONFIRMED with the sub the payload gives', async () => {
      const res = await signUp('jane@example.com');

      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      const payload = res.body.data.signUp;
      expect(payload).toEqual({
        userConfirmed: false,
        userSub: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
        codeDeliveryDetails: {
          destination: emulator.deliveredTo('jane@example.com'),
          deliveryMedium: 'EMAIL',
          attributeName: 'email',
        },
      });
      expect(await user('jane@example.com')).toEqual({ status: 'UNCONFIRMED', sub: payload.userSub });
    });

    it.skipIf(!emulator.checksCodes)(
      'answers CODE_MISMATCH for a wrong code and leaves the user UNCONFIRMED',
      async () => {
        await signUp('wrong.code@example.com');

        const res = await confirm('wrong.code@example.com', '135790');

        expectOneError(res, 'CODE_MISMATCH');
        expect((await user('wrong.code@example.com')).status).toBe('UNCONFIRMED');
      },
    );

    it('confirms a sign-up: the emulator marks the user CONFIRMED', async () => {
      await signUp('john@example.com');

      const res = await confirm('john@example.com', emulator.confirmationCode);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ data: { confirmSignUp: { confirmed: true, session: null } } });
      expect((await user('john@example.com')).status).toBe('CONFIRMED');
    });

    const again = emulator.confirmedAgain;
    it.skipIf(!again)(
      `refuses to confirm a confirmed user again${again ? ` with ${again}` : ''} (Cognito: ALREADY_CONFIRMED)`,
      async () => {
        await signUp('twice@example.com');
        expect((await confirm('twice@example.com', emulator.confirmationCode)).body.errors).toBeUndefined();

        expectOneError(await confirm('twice@example.com', emulator.confirmationCode), again ?? '');
      },
    );

    it('answers USERNAME_EXISTS for a second sign-up with the same username', async () => {
      expect((await signUp('taken@example.com')).body.errors).toBeUndefined();

      const res = await signUp('taken@example.com');

      expectOneError(res, 'USERNAME_EXISTS');
      expect(res.body.errors[0]).toMatchObject({ message: 'This username is taken.', path: ['signUp'] });
    });

    it.skipIf(!emulator.checksPasswordPolicy)(
      "answers INVALID_PASSWORD for a password that breaks the pool's policy, and creates no user",
      async () => {
        const res = await signUp('weak.password@example.com', 'weakpassword');

        expectOneError(res, 'INVALID_PASSWORD');
        const lookup = await user('weak.password@example.com').catch((error: Error) => error.name);
        expect(lookup).toBe('UserNotFoundException');
      },
    );

    it(`answers ${emulator.unknownUserConfirmed} when confirming a user that does not exist`, async () => {
      expectOneError(await confirm('nobody@example.com', '123456'), emulator.unknownUserConfirmed);
    });

    it('the emulator answers ResendConfirmationCode with a 500 (the action is not implemented)', async () => {
      const expected = emulator.resendConfirmationCode;
      // Straight to the emulator, so that a version that implements it fails here and not puzzlingly below.
      const res = await fetch(server.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.ResendConfirmationCode',
        },
        body: JSON.stringify({ ClientId: h.clientId, Username: 'jane@example.com' }),
      });
      expect(res.status).toBe(expected.status);
      expect(res.headers.get('content-type')).toBe(expected.contentType);
      if ('json' in expected.body) expect(await res.json()).toEqual(expected.body.json);
      else expect(await res.text()).toContain(expected.body.contains);
      const { logs } = expected;
      // moto logs its traceback on stderr, which may arrive a moment after the response.
      if (logs) await vi.waitFor(() => expect(server.output().join('\n')).toContain(logs));
    });

    it("turns the emulator's 500 for ResendConfirmationCode into a clean UPSTREAM_UNAVAILABLE", async () => {
      await signUp('resender@example.com');
      const logsBefore = h.logs.length;

      const res = await graphql(RESEND_CONFIRMATION_CODE, { username: 'resender@example.com' });

      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      // Exactly this, so nothing else (a stack, the emulator's page, the upstream message) rides along.
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
      expect(JSON.stringify(res.body)).not.toMatch(EMULATOR_WORDS);

      // Operators get the upstream detail in the log, against the request id. A 500 that is not Cognito's own
      // InternalErrorException may come from something that already passed the call on: it is not repeated.
      const lines = h.logs.slice(logsBefore).map((l) => JSON.parse(l));
      expect(lines).toContainEqual(
        expect.objectContaining({
          requestId: res.headers.get('x-request-id'),
          msg: 'cognito call failed',
          action: 'ResendConfirmationCode',
          code: 'UPSTREAM_UNAVAILABLE',
          upstream: expect.objectContaining({ httpStatusCode: 500, attempts: 1 }),
        }),
      );
    });

    it.skipIf(!emulator.resetsPasswords)(
      'answers USER_NOT_FOUND when an unknown user asks for a reset code',
      async () => {
        const { query, variables } = forgotPassword({ username: 'ghost@example.com' });
        expectOneError(await graphql(query, variables.input), 'USER_NOT_FOUND');
      },
    );

    it.skipIf(!emulator.resetsPasswords)(
      'resets a password: wrong code refused, right code accepted, then only the new password signs in',
      async () => {
        const username = 'reset@example.com';
        const newPassword = 'Brand-New-Horse-77';
        await signUp(username);
        expect((await confirm(username, emulator.confirmationCode)).body.errors).toBeUndefined();

        const asked = forgotPassword({ username });
        const res = await graphql(asked.query, asked.variables.input);
        expect(res.body).toEqual({
          data: {
            forgotPassword: {
              codeDeliveryDetails: {
                destination: emulator.deliveredTo(username),
                deliveryMedium: 'EMAIL',
                attributeName: 'email',
              },
            },
          },
        });

        const wrong = confirmForgotPassword({ username, confirmationCode: '135790', password: newPassword });
        expectOneError(await graphql(wrong.query, wrong.variables.input), 'CODE_MISMATCH');

        const right = confirmForgotPassword({
          username,
          confirmationCode: emulator.confirmationCode,
          password: newPassword,
        });
        expect((await graphql(right.query, right.variables.input)).body).toEqual({
          data: { confirmForgotPassword: { passwordChanged: true } },
        });
        expect((await user(username)).status).toBe('CONFIRMED');

        // Signing in is no gateway call: straight to the emulator with the SDK, as an app would.
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
      },
    );

    it('signs up and confirms with every optional input field set', async () => {
      const username = 'everything@example.com';
      const shared = {
        clientMetadata: [{ key: 'locale', value: 'de-DE' }],
        userContextData: { encodedData: 'eyJwYXlsb2FkIjoiZGV2aWNlIn0=' },
      };
      const signedUp = await graphql(SIGN_UP, {
        username,
        password: PASSWORD,
        userAttributes: [
          { name: 'email', value: username },
          { name: 'name', value: 'Eve Rything' },
        ],
        validationData: [{ name: 'invite', value: 'abc' }],
        ...shared,
      });
      expect(signedUp.body.errors).toBeUndefined();

      const confirmed = await graphql(CONFIRM_SIGN_UP, {
        username,
        confirmationCode: emulator.confirmationCode,
        forceAliasCreation: false,
        ...shared,
      });
      expect(confirmed.body).toEqual({ data: { confirmSignUp: { confirmed: true, session: null } } });
      expect((await user(username)).status).toBe('CONFIRMED');
    });

    it('signs in with the password flow it supports, then refreshes and signs out as its row says', async () => {
      // What a user of the emulator configures: the flows it has (neither has USER_AUTH or
      // GetTokensFromRefreshToken).
      const g = await startGatewayFromEnv({
        COGNITO_ENDPOINT: server.url,
        COGNITO_USER_POOL_ID: poolId,
        COGNITO_CLIENT_ID: h.clientId,
        COGNITO_CLIENT_SECRET: h.clientSecret,
        COGNITO_SIGN_IN_FLOW: 'USER_PASSWORD_AUTH',
        COGNITO_REFRESH_FLOW: 'REFRESH_TOKEN_AUTH',
        ...emulator.gatewayEnv,
      });
      try {
        const username = 'signin@example.com';
        await signUp(username);
        await confirm(username, emulator.confirmationCode);
        const signedIn = await g.graphql(signInRequest({ username, password: PASSWORD }));
        bodies.push(JSON.stringify(signedIn.body));
        expect(signedIn.body.errors).toBeUndefined();
        expect(signedIn.body.data.signIn.tokens).toMatchObject({ tokenType: 'Bearer', refreshToken: null });
        const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('__Host-cognito-refresh='));
        expect(cookie).toBeDefined();
        const jar = { cookie: (cookie ?? '').split(';')[0] ?? '' };
        const refreshed = await g.graphql(refreshTokensRequest(), jar);
        bodies.push(JSON.stringify(refreshed.body));
        expect(codeOfBody(refreshed.body)).toBe(emulator.signIn.refresh);
        const out = await g.graphql(signOutRequest(), jar);
        bodies.push(JSON.stringify(out.body));
        expect(codeOfBody(out.body)).toBe(emulator.signIn.signOut);
        const wrong = await g.graphql(signInRequest({ username, password: 'Wrong-Horse-42' }));
        expect(codeOfBody(wrong.body)).toBe(emulator.signIn.wrongPassword);
      } finally {
        await g.close();
      }
    });

    it('never puts the client secret or a SecretHash in a response or a log line', () => {
      // Both emulators' secrets are long random strings (moto's a UUID), so a leak would be found.
      expect(h.clientSecret).toMatch(emulator.clientSecret);
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

    it.skipIf(!emulator.keepsDataOnDisk)(
      'keeps its data in a temporary directory, never in the repository',
      () => {
        const dataDirectory = server.dataDirectory ?? '';
        expect(existsSync(join(dataDirectory, '.cognito', 'db', `${poolId}.json`))).toBe(true);
        expect(dataDirectory.startsWith(ROOT)).toBe(false);
        expect(existsSync(join(ROOT, '.cognito'))).toBe(false);
      },
    );
  });
}
