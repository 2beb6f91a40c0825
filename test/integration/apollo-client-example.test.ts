// The typed Apollo Client example (examples/apollo-client) against the gateway over real HTTP: its generated
// documents must be accepted, its payload types must match what comes back, and every kind of error must
// arrive as the typed { code, message } it promises. The gateway runs in production with the example's
// committed trusted-documents manifest, so every call must go by id.
import { join } from 'node:path';
import type { ApolloClient } from '@apollo/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  confirmForgotPassword,
  confirmSignUp,
  createGatewayClient,
  forgotPassword,
  GATEWAY_ERROR_CODES,
  resendCode,
  signUp,
} from '../../examples/apollo-client/src/client';
import { ErrorCode } from '../../src/errors';
import { type Harness, startHarness } from '../support/gateway-harness';

const PASSWORD = 'Plum-Tiger-Harbor-93!';
const NEW_PASSWORD = 'Kiwi-Lantern-Meadow-57!';

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
      data: { __typename: 'ConfirmSignUpPayload', confirmed: true },
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
