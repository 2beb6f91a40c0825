// The mutation over real HTTP: gateway on an ephemeral port, the real SDK talking HTTP to the stand-in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type Harness, startHarness } from '../support/gateway-harness';
import { resend } from '../support/user-pool-requests';

describe('resendConfirmationCode against the local stand-in', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SEND_USER_CONTEXT_IP: 'true', ANALYTICS_ENABLED: 'true' } });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.standIn.calls.length = 0;
  });

  it('sends a new code and returns the masked delivery details', async () => {
    await h.signUp('jane.doe@example.com', { email: 'jane.doe@example.com' });
    const signUpCode = h.standIn.outbox.latestCode('jane.doe@example.com');

    const res = await h.graphql(resend({ username: 'jane.doe@example.com' }));

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        resendConfirmationCode: {
          codeDeliveryDetails: { destination: 'j***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
        },
      },
    });
    const newCode = h.standIn.outbox.latestCode('jane.doe@example.com');
    expect(newCode).toMatch(/^\d{6}$/);
    expect(newCode).not.toBe(signUpCode);
  });

  it('sends Cognito exactly the request the input, configuration and connection describe', async () => {
    await h.signUp('full.request', { email: 'full@example.com' });
    h.standIn.calls.length = 0;

    const res = await h.graphql(
      resend({
        username: 'full.request',
        clientMetadata: [
          { key: 'locale', value: 'de-DE' },
          { key: 'source', value: 'web' },
        ],
        userContextData: { encodedData: 'eyJwYXlsb2FkIjoiZGV2aWNlIn0=' },
      }),
      { 'x-analytics-endpoint-id': 'pinpoint-endpoint-42' },
    );

    expect(res.body.errors).toBeUndefined();
    expect(h.standIn.calls).toHaveLength(1);
    const call = h.standIn.calls[0];
    expect(call?.target).toBe('AWSCognitoIdentityProviderService.ResendConfirmationCode');
    expect(call?.headers['x-amz-target']).toBe('AWSCognitoIdentityProviderService.ResendConfirmationCode');
    expect(call?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(call?.body).toEqual({
      ClientId: h.clientId,
      Username: 'full.request',
      SecretHash: computeSecretHash('full.request', h.clientId, h.clientSecret),
      AnalyticsMetadata: { AnalyticsEndpointId: 'pinpoint-endpoint-42' },
      ClientMetadata: { locale: 'de-DE', source: 'web' },
      UserContextData: { IpAddress: '127.0.0.1', EncodedData: 'eyJwYXlsb2FkIjoiZGV2aWNlIn0=' },
    });
    expect(call?.headers.authorization).toBeUndefined();
  });

  it('drops an invalid analytics endpoint id instead of failing the call', async () => {
    await h.signUp('analytics.user');
    h.standIn.calls.length = 0;
    const res = await h.graphql(resend({ username: 'analytics.user' }), {
      'x-analytics-endpoint-id': 'not valid <script>',
    });
    expect(res.body.errors).toBeUndefined();
    expect(h.standIn.calls[0]?.body).not.toHaveProperty('AnalyticsMetadata');
  });

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    await h.signUp('spoofer');
    h.standIn.calls.length = 0;
    await h.graphql(resend({ username: 'spoofer' }), { 'x-forwarded-for': '6.6.6.6' });
    expect(h.standIn.calls[0]?.body).toMatchObject({ UserContextData: { IpAddress: '127.0.0.1' } });
  });

  it('answers ALREADY_CONFIRMED for a confirmed user', async () => {
    await h.signUp('confirmed.user');
    const code = h.standIn.outbox.latestCode('confirmed.user');
    const { CognitoIdentityProviderClient, ConfirmSignUpCommand } = await import(
      '@aws-sdk/client-cognito-identity-provider'
    );
    const sdk = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: h.standIn.url });
    await sdk.send(
      new ConfirmSignUpCommand({
        ClientId: h.clientId,
        SecretHash: computeSecretHash('confirmed.user', h.clientId, h.clientSecret),
        Username: 'confirmed.user',
        ConfirmationCode: code,
      }),
    );
    sdk.destroy();

    const res = await h.graphql(resend({ username: 'confirmed.user' }));
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: 'This user is already confirmed.',
          locations: [{ line: 2, column: 3 }],
          path: ['resendConfirmationCode'],
          extensions: { code: 'ALREADY_CONFIRMED' },
        },
      ],
    });
  });

  it('answers USER_NOT_FOUND for an unknown user', async () => {
    const res = await h.graphql(resend({ username: 'nobody' }));
    expect(res.body.errors).toEqual([
      expect.objectContaining({ message: 'User not found.', extensions: { code: 'USER_NOT_FOUND' } }),
    ]);
  });

  it('gives each upstream failure a log line with the request id, and the response the same request id', async () => {
    const res = await h.graphql(resend({ username: 'nobody.logged' }));
    const requestId = res.headers.get('x-request-id');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const line = h.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === requestId);
    expect(line).toMatchObject({
      msg: 'cognito call failed',
      code: 'USER_NOT_FOUND',
      action: 'ResendConfirmationCode',
      upstream: { name: 'UserNotFoundException', httpStatusCode: 400 },
    });
  });

  describe('invalid input never reaches Cognito', () => {
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['a username with a space', { username: 'jane doe' }, 'input.username'],
      ['a username with a control character', { username: 'jane\u0007' }, 'input.username'],
      ['an empty username', { username: '' }, 'input.username'],
      ['a username over 128 characters', { username: 'a'.repeat(129) }, 'input.username'],
      // AWS counts UTF-16 code units: 65 emoji are 130 of them.
      ['a username of 65 emoji', { username: '😀'.repeat(65) }, 'input.username'],
      [
        'more than 20 client metadata entries',
        {
          username: 'jane',
          clientMetadata: Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: 'v' })),
        },
        'input.clientMetadata',
      ],
      [
        'duplicate client metadata keys',
        {
          username: 'jane',
          clientMetadata: [
            { key: 'a', value: '1' },
            { key: 'a', value: '2' },
          ],
        },
        'input.clientMetadata',
      ],
      [
        'an empty metadata key',
        { username: 'jane', clientMetadata: [{ key: '', value: 'v' }] },
        'input.clientMetadata[0].key',
      ],
      [
        'an oversized metadata value',
        { username: 'jane', clientMetadata: [{ key: 'k', value: 'v'.repeat(1025) }] },
        'input.clientMetadata[0].value',
      ],
      [
        'oversized encoded context data',
        { username: 'jane', userContextData: { encodedData: 'x'.repeat(16_385) } },
        'input.userContextData.encodedData',
      ],
    ];

    it.each(cases)('refuses %s with BAD_USER_INPUT', async (_name, input, path) => {
      const res = await h.graphql(resend(input));
      expect(res.status).toBe(200);
      const [error] = res.body.errors;
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
      expect(error.extensions.fields.map((f: { path: string }) => f.path)).toContain(path);
      expect(h.standIn.calls).toHaveLength(0);
    });

    it('does not echo the rejected value back', async () => {
      const res = await h.graphql(resend({ username: 'pass word 1234' }));
      expect(JSON.stringify(res.body)).not.toContain('pass word 1234');
    });

    it('does not echo a value of the wrong type back (200 in application/json, per GraphQL-over-HTTP)', async () => {
      const res = await h.graphql(resend({ username: { secret: 'hunter2-value' } }));
      expect(res.status).toBe(200);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(res.body.errors[0].message).toMatch(
        /^Variable "\$input" got an invalid value at "input.username"\./,
      );
      expect(JSON.stringify(res.body)).not.toContain('hunter2-value');
      expect(h.standIn.calls).toHaveLength(0);
    });

    it('refuses ClientId and SecretHash from the client (200 in application/json, per GraphQL-over-HTTP)', async () => {
      const res = await h.graphql(resend({ username: 'jane', clientId: 'evil', secretHash: 'forged' }));
      expect(res.status).toBe(200);
      expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
      expect(h.standIn.calls).toHaveLength(0);
    });
  });

  it('never puts the client secret or a SecretHash in a response or a log line', async () => {
    await h.signUp('secret.keeper');
    await h.graphql(resend({ username: 'secret.keeper' }));
    await h.graphql(resend({ username: 'nobody.here' }));
    const hashes = ['secret.keeper', 'nobody.here'].map((u) =>
      computeSecretHash(u, h.clientId, h.clientSecret),
    );
    const everything = h.logs.join('\n');
    expect(everything).not.toContain(h.clientSecret);
    for (const hash of hashes) expect(everything).not.toContain(hash);
  });
});

describe('resendConfirmationCode with a pool that prevents user-existence errors', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ pool: { preventUserExistenceErrors: true } });
  });
  afterAll(() => h.close());

  it('passes the simulated delivery for an unknown user through unchanged', async () => {
    const res = await h.graphql(resend({ username: 'ghost@example.com' }));
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.resendConfirmationCode.codeDeliveryDetails).toMatchObject({
      deliveryMedium: 'EMAIL',
    });
    expect(h.standIn.outbox.list({ username: 'ghost@example.com' })).toHaveLength(0);
  });
});

describe('resendConfirmationCode with a wrong client secret', () => {
  let h: Harness;
  beforeAll(async () => {
    const { Secret } = await import('../../src/secret');
    h = await startHarness({ cognito: { clientSecret: new Secret('wrongsecret0123456789') } });
  });
  afterAll(() => h.close());

  it('answers NOT_AUTHORIZED without upstream detail', async () => {
    await h.signUp('victim');
    const res = await h.graphql(resend({ username: 'victim' }));
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: 'Cognito did not authorize this request.',
        extensions: { code: 'NOT_AUTHORIZED' },
      }),
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/secret hash|wrongsecret/i);
    expect(h.logs.join('\n')).not.toContain('wrongsecret0123456789');
  });
});
