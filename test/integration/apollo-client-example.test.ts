// The typed Apollo Client example (examples/apollo-client) against the gateway over real HTTP: its generated
// documents must be accepted, its payload types must match what comes back, and every kind of error must
// arrive as the typed { code, message } it promises. The gateway runs in production with the example's
// committed trusted-documents manifest, so every call must go by id. Sign-in keeps the refresh token in an
// HttpOnly cookie, which a browser would carry; Node's fetch has no cookie jar, so these tests carry the
// Set-Cookie to the next request by hand (cookieCarryingFetch), through the client's `fetch` option.
import { join } from 'node:path';
import type { ApolloClient } from '@apollo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  confirmForgotPassword,
  confirmSignUp,
  createGatewayClient,
  forgotPassword,
  GATEWAY_ERROR_CODES,
  refreshTokens,
  resendCode,
  respondToSignInChallenge,
  signIn,
  signOut,
  signUp,
} from '../../examples/apollo-client/src/client';
import { ErrorCode } from '../../src/errors';
import { type Harness, startHarness } from '../support/gateway-harness';

const PASSWORD = 'Plum-Tiger-Harbor-93!';
const NEW_PASSWORD = 'Kiwi-Lantern-Meadow-57!';
const COOKIE = '__Host-cognito-refresh';

/**
 * A fetch that does by hand what a browser does for `credentials: 'include'`: it keeps the gateway's session
 * cookie from each answer's Set-Cookie (forgetting it on Max-Age=0) and sends it back in the Cookie header.
 * Node's fetch keeps no cookies. `jar.credentials` records what the client asked fetch for.
 */
function cookieCarryingFetch() {
  const jar: { cookie?: string | undefined; credentials?: string | undefined } = {};
  const carrying: typeof fetch = async (input, init) => {
    jar.credentials = init?.credentials;
    const headers = new Headers(init?.headers);
    if (jar.cookie !== undefined) headers.set('cookie', jar.cookie);
    const response = await fetch(input, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      if (!pair.startsWith(`${COOKIE}=`)) continue;
      jar.cookie = /;\s*Max-Age=0(;|$)/i.test(line) ? undefined : pair;
    }
    return response;
  };
  return { fetch: carrying, jar };
}

const MANIFEST = join(
  __dirname,
  '..',
  '..',
  'examples',
  'apollo-client',
  'src',
  'gql',
  'persisted-documents.json',
);

describe('the typed Apollo Client example', () => {
  let h: Harness;
  let client: ApolloClient;
  beforeAll(async () => {
    h = await startHarness({ env: { NODE_ENV: 'production', TRUSTED_DOCUMENTS_FILE: MANIFEST } });
    client = createGatewayClient(h.url);
  });
  afterAll(async () => {
    client.stop();
    await h.close();
  });

  /** The code the stand-in "sent" last to `username`, as the user would read it from their email. */
  function latestCode(username: string): string {
    const code = h.standIn.outbox.latestCode(username);
    if (!code) throw new Error(`no code was sent to ${username}`);
    return code;
  }

  it('signs up, resends, confirms with the new code, and reports CODE_MISMATCH and ALREADY_CONFIRMED', async () => {
    const username = 'typed@example.com';
    const signedUp = await signUp(client, {
      username,
      password: PASSWORD,
      userAttributes: [{ name: 'email', value: username }],
    });
    expect(signedUp).toEqual({
      ok: true,
      data: {
        __typename: 'SignUpPayload',
        userConfirmed: false,
        userSub: expect.stringMatching(/^[0-9a-f-]{36}$/),
        codeDeliveryDetails: {
          __typename: 'CodeDeliveryDetails',
          destination: 't***@e***',
          deliveryMedium: 'EMAIL',
          attributeName: 'email',
        },
      },
    });
    const firstCode = latestCode(username);

    expect(await resendCode(client, { username })).toEqual({
      ok: true,
      data: {
        __typename: 'ResendConfirmationCodePayload',
        codeDeliveryDetails: {
          __typename: 'CodeDeliveryDetails',
          destination: 't***@e***',
          deliveryMedium: 'EMAIL',
          attributeName: 'email',
        },
      },
    });
    const secondCode = latestCode(username);
    expect(secondCode).not.toBe(firstCode);

    expect(await confirmSignUp(client, { username, confirmationCode: firstCode })).toEqual({
      ok: false,
      error: { code: 'CODE_MISMATCH', message: 'The code is not right.' },
    });
    expect(await confirmSignUp(client, { username, confirmationCode: secondCode })).toEqual({
      ok: true,
      data: { __typename: 'ConfirmSignUpPayload', confirmed: true, session: expect.any(String) },
    });
    expect(await confirmSignUp(client, { username, confirmationCode: secondCode })).toEqual({
      ok: false,
      error: { code: 'ALREADY_CONFIRMED', message: expect.any(String) },
    });
    expect(await resendCode(client, { username })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_CONFIRMED' },
    });
  });

  it('resets a forgotten password: NO_RECOVERY_DESTINATION before confirmation, then a reset code, CODE_MISMATCH, INVALID_PASSWORD and the new password', async () => {
    const username = 'forgetful@example.com';
    /** The newest reset code in the outbox (reason ForgotPassword, not the sign-up codes). */
    const resetCode = () =>
      h.standIn.outbox
        .list({ username })
        .filter((message) => message.reason === 'ForgotPassword')
        .at(-1)?.code;
    const signedUp = await signUp(client, {
      username,
      password: PASSWORD,
      userAttributes: [{ name: 'email', value: username }],
    });
    expect(signedUp).toMatchObject({ ok: true });
    // Nothing verified yet: no address to send a reset code to.
    expect(await forgotPassword(client, { username })).toEqual({
      ok: false,
      error: { code: 'NO_RECOVERY_DESTINATION', message: expect.any(String) },
    });
    expect(await confirmSignUp(client, { username, confirmationCode: latestCode(username) })).toMatchObject({
      ok: true,
    });

    expect(await forgotPassword(client, { username })).toEqual({
      ok: true,
      data: {
        __typename: 'ForgotPasswordPayload',
        codeDeliveryDetails: {
          __typename: 'CodeDeliveryDetails',
          destination: 'f***@e***',
          deliveryMedium: 'EMAIL',
          attributeName: 'email',
        },
      },
    });
    const code = resetCode();
    expect(code).toMatch(/^\d{6}$/);
    const confirmationCode = code ?? '';

    expect(
      await confirmForgotPassword(client, { username, confirmationCode: '000000', password: NEW_PASSWORD }),
    ).toEqual({ ok: false, error: { code: 'CODE_MISMATCH', message: expect.any(String) } });
    expect(
      await confirmForgotPassword(client, { username, confirmationCode, password: 'short' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PASSWORD' },
    });
    expect(
      await confirmForgotPassword(client, { username, confirmationCode, password: NEW_PASSWORD }),
    ).toEqual({
      ok: true,
      data: { __typename: 'ConfirmForgotPasswordPayload', passwordChanged: true },
    });
    expect(
      h.standIn.calls.filter((call) => call.action === 'ConfirmForgotPassword').at(-1)?.body,
    ).toMatchObject({ Username: username, ConfirmationCode: confirmationCode, Password: NEW_PASSWORD });
    // The code is used up.
    expect(
      await confirmForgotPassword(client, { username, confirmationCode, password: PASSWORD }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CODE_MISMATCH' },
    });
    expect(await forgotPassword(client, { username: 'nobody@example.com' })).toMatchObject({
      ok: false,
      error: { code: 'USER_NOT_FOUND' },
    });
  });

  it('signs in with the session confirmSignUp answered, refreshes with the cookie and signs out', async () => {
    const { fetch, jar } = cookieCarryingFetch();
    const browserLike = createGatewayClient(h.url, { fetch });
    try {
      const username = 'session@example.com';
      await signUp(browserLike, {
        username,
        password: PASSWORD,
        userAttributes: [{ name: 'email', value: username }],
      });
      const confirmed = await confirmSignUp(browserLike, {
        username,
        confirmationCode: latestCode(username),
      });
      if (!confirmed.ok || !confirmed.data.session) throw new Error('confirmSignUp answered no session');
      const { session } = confirmed.data;

      const tokens = {
        __typename: 'AuthTokens',
        accessToken: expect.stringMatching(/^eyJ/),
        idToken: expect.stringMatching(/^eyJ/),
        expiresIn: 3600,
        tokenType: 'Bearer',
        refreshToken: null,
      };
      const signedIn = await signIn(browserLike, { username, session });
      expect(signedIn).toEqual({ ok: true, data: { __typename: 'SignInPayload', tokens, nextStep: null } });
      // The refresh token came as the cookie, which a browser keeps because the client asks fetch to.
      expect(jar.credentials).toBe('include');
      expect(jar.cookie).toMatch(new RegExp(`^${COOKIE}=[A-Za-z0-9_-]{100,}$`));
      // A confirmation session signs in once.
      expect(await signIn(browserLike, { username, session })).toMatchObject({
        ok: false,
        error: { code: 'SESSION_EXPIRED' },
      });

      const refreshed = await refreshTokens(browserLike);
      expect(refreshed).toEqual({ ok: true, data: { __typename: 'RefreshTokensPayload', tokens } });
      expect(refreshed.ok && signedIn.ok && refreshed.data.tokens.accessToken).not.toBe(
        signedIn.ok && signedIn.data.tokens?.accessToken,
      );
      // Without the cookie there is nothing to refresh: what a client that does not send it gets.
      expect(await refreshTokens(client)).toEqual({
        ok: false,
        error: { code: 'NOT_SIGNED_IN', message: expect.any(String) },
      });

      expect(await signOut(browserLike)).toEqual({
        ok: true,
        data: { __typename: 'SignOutPayload', signedOut: true },
      });
      expect(jar.cookie).toBeUndefined();
      expect(await refreshTokens(browserLike)).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    } finally {
      browserLike.stop();
    }
  });

  it('signs in with the password, answers the emailed sign-in code with respondToSignInChallenge, and reports NOT_AUTHORIZED and CODE_MISMATCH', async () => {
    const username = 'mfa@example.com';
    h.standIn.seedUser(h.poolId, {
      username,
      password: PASSWORD,
      attributes: { email: username },
      verified: ['email'],
      mfa: { enabled: ['EMAIL_OTP'] },
    });
    expect(await signIn(client, { username, password: NEW_PASSWORD })).toEqual({
      ok: false,
      error: { code: 'NOT_AUTHORIZED', message: 'Incorrect username or password.' },
    });
    const signedIn = await signIn(client, { username, password: PASSWORD });
    expect(signedIn).toEqual({
      ok: true,
      data: {
        __typename: 'SignInPayload',
        tokens: null,
        nextStep: {
          __typename: 'SignInNextStep',
          challenge: 'EMAIL_OTP',
          session: expect.any(String),
          username,
          availableChallenges: null,
          requiredAttributes: null,
          codeDeliveryDetails: {
            __typename: 'CodeDeliveryDetails',
            destination: 'm***@e***',
            deliveryMedium: 'EMAIL',
            attributeName: 'email',
          },
        },
      },
    });
    const step = signedIn.ok ? signedIn.data.nextStep : null;
    if (!step) throw new Error('no next step');
    const answer = { username: step.username, session: step.session, challenge: step.challenge };
    const code = h.standIn.outbox.latestCode(username, 'sign-in') ?? '';
    expect(
      await respondToSignInChallenge(client, { ...answer, code: code === '000000' ? '111111' : '000000' }),
    ).toMatchObject({ ok: false, error: { code: 'CODE_MISMATCH' } });
    expect(await respondToSignInChallenge(client, { ...answer, code })).toMatchObject({
      ok: true,
      data: {
        __typename: 'SignInPayload',
        tokens: { tokenType: 'Bearer', refreshToken: null },
        nextStep: null,
      },
    });
  });

  it('passes on the fields that failed validation with BAD_USER_INPUT', async () => {
    const result = await signUp(client, { username: '', password: PASSWORD });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'BAD_USER_INPUT',
        message: expect.stringContaining('Invalid input'),
        fields: [{ path: 'input.username', messages: expect.any(Array) }],
      },
    });
  });

  it('reads the code from non-2xx answers: a wrongly typed variable (400) and a body over 64 KiB (413)', async () => {
    const wrongType = await resendCode(client, { username: 987654321 as unknown as string });
    expect(wrongType).toMatchObject({ ok: false, error: { code: 'BAD_USER_INPUT' } });

    const tooLarge = await signUp(client, {
      username: 'large@example.com',
      password: PASSWORD,
      userAttributes: [{ name: 'email', value: 'x'.repeat(70_000) }],
    });
    expect(tooLarge).toEqual({
      ok: false,
      error: { code: 'BAD_REQUEST', message: 'Request body is too large.' },
    });
  });

  it('reports NETWORK_ERROR when no gateway answers', async () => {
    const nowhere = createGatewayClient('http://127.0.0.1:1/graphql');
    try {
      expect(await resendCode(nowhere, { username: 'anyone' })).toMatchObject({
        ok: false,
        error: { code: 'NETWORK_ERROR' },
      });
    } finally {
      nowhere.stop();
    }
  });

  it("knows every error code the gateway sends (update GATEWAY_ERROR_CODES in the example's client.ts)", () => {
    const apolloServerCodes = [
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'PERSISTED_QUERY_NOT_SUPPORTED',
      'OPERATION_RESOLUTION_FAILURE',
    ];
    expect([...GATEWAY_ERROR_CODES].sort()).toEqual(
      [...Object.values(ErrorCode), ...apolloServerCodes].sort(),
    );
  });
});

describe('the typed Apollo Client example against a gateway without trusted documents', () => {
  it('falls back to full queries (PERSISTED_QUERY_NOT_SUPPORTED) and still signs up', async () => {
    const h = await startHarness();
    const client = createGatewayClient(h.url);
    try {
      const username = 'fallback@example.com';
      const signedUp = await signUp(client, {
        username,
        password: PASSWORD,
        userAttributes: [{ name: 'email', value: username }],
      });
      expect(signedUp.ok).toBe(true);
      expect(h.standIn.calls.filter((c) => c.action === 'SignUp')).toHaveLength(1);
    } finally {
      client.stop();
      await h.close();
    }
  });
});
