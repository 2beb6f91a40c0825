// The whole confirmation flow over real HTTP (signUp -> resend -> confirmSignUp) against the local stand-in,
// and the requests, errors, limits and logs of the two sign-up calls.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { codeOf } from '../support/answers';
import { type Harness, startHarness } from '../support/gateway-harness';
import { confirmSignUp, resend, signUp } from '../support/user-pool-requests';

const PASSWORD = 'Plum-Tiger-Harbor-93!';

describe('the sign-up confirmation flow through the gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SEND_USER_CONTEXT_IP: 'true' } });
  });
  afterAll(() => h.close());

  it('signs up, resends, refuses the old code, confirms with the new one, then reports ALREADY_CONFIRMED', async () => {
    const username = 'flow@example.com';
    const signedUp = await h.graphql(
      signUp({ username, password: PASSWORD, userAttributes: [{ name: 'email', value: username }] }),
    );
    expect(signedUp.body.errors).toBeUndefined();
    expect(signedUp.body.data.signUp).toEqual({
      userConfirmed: false,
      userSub: expect.stringMatching(/^[0-9a-f-]{36}$/),
      codeDeliveryDetails: { destination: 'f***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
    });
    const firstCode = h.standIn.outbox.latestCode(username);

    const resent = await h.graphql(resend({ username }));
    expect(resent.body.errors).toBeUndefined();
    const secondCode = h.standIn.outbox.latestCode(username);
    expect(secondCode).not.toBe(firstCode);

    const withOldCode = await h.graphql(confirmSignUp({ username, confirmationCode: firstCode }));
    expect(withOldCode.body).toEqual({
      data: null,
      errors: [
        {
          message: 'The code is not right.',
          path: ['confirmSignUp'],
          extensions: { code: 'CODE_MISMATCH' },
          locations: expect.any(Array),
        },
      ],
    });

    const confirmed = await h.graphql(confirmSignUp({ username, confirmationCode: secondCode }));
    expect(confirmed.body).toEqual({
      data: { confirmSignUp: { confirmed: true, session: expect.any(String) } },
    });

    expect(codeOf(await h.graphql(resend({ username })))).toBe('ALREADY_CONFIRMED');
    expect(codeOf(await h.graphql(confirmSignUp({ username, confirmationCode: secondCode })))).toBe(
      'ALREADY_CONFIRMED',
    );
  });

  it('sends Cognito the SignUp request the input, configuration and connection describe', async () => {
    h.standIn.calls.length = 0;
    const res = await h.graphql(
      signUp({
        username: 'full.signup',
        password: PASSWORD,
        userAttributes: [
          { name: 'email', value: 'full@example.com' },
          { name: 'custom:team', value: 'blue' },
        ],
        validationData: [{ name: 'invite', value: 'abc123' }],
        clientMetadata: [{ key: 'locale', value: 'de-DE' }],
        userContextData: { encodedData: 'ZW5jb2RlZA==' },
      }),
    );
    expect(res.body.errors).toBeUndefined();
    expect(h.standIn.calls.map((c) => [c.action, c.body])).toEqual([
      [
        'SignUp',
        {
          ClientId: h.clientId,
          Username: 'full.signup',
          Password: PASSWORD,
          SecretHash: computeSecretHash('full.signup', h.clientId, h.clientSecret),
          UserAttributes: [
            { Name: 'email', Value: 'full@example.com' },
            { Name: 'custom:team', Value: 'blue' },
          ],
          ValidationData: [{ Name: 'invite', Value: 'abc123' }],
          ClientMetadata: { locale: 'de-DE' },
          UserContextData: { IpAddress: '127.0.0.1', EncodedData: 'ZW5jb2RlZA==' },
        },
      ],
    ]);
  });

  it('sends Cognito the ConfirmSignUp request, with ForceAliasCreation only when given', async () => {
    await h.signUp('full.confirm', { email: 'full.confirm@example.com' });
    h.standIn.calls.length = 0;
    await h.graphql(confirmSignUp({ username: 'full.confirm', confirmationCode: '000000' }));
    await h.graphql(
      confirmSignUp({ username: 'full.confirm', confirmationCode: '111111', forceAliasCreation: true }),
    );
    const secretHash = computeSecretHash('full.confirm', h.clientId, h.clientSecret);
    expect(h.standIn.calls.map((c) => [c.action, c.body])).toEqual([
      [
        'ConfirmSignUp',
        {
          ClientId: h.clientId,
          Username: 'full.confirm',
          ConfirmationCode: '000000',
          SecretHash: secretHash,
          UserContextData: { IpAddress: '127.0.0.1' },
        },
      ],
      [
        'ConfirmSignUp',
        {
          ClientId: h.clientId,
          Username: 'full.confirm',
          ConfirmationCode: '111111',
          ForceAliasCreation: true,
          SecretHash: secretHash,
          UserContextData: { IpAddress: '127.0.0.1' },
        },
      ],
    ]);
  });

  it('answers USERNAME_EXISTS for a second sign-up of one username', async () => {
    const input = {
      username: 'taken',
      password: PASSWORD,
      userAttributes: [{ name: 'email', value: 't@x.io' }],
    };
    expect((await h.graphql(signUp(input))).body.errors).toBeUndefined();
    const again = await h.graphql(signUp(input));
    expect(again.body.errors).toEqual([
      {
        message: 'This username is taken.',
        path: ['signUp'],
        extensions: { code: 'USERNAME_EXISTS' },
        locations: expect.any(Array),
      },
    ]);
  });

  it("answers INVALID_PASSWORD when the password breaks the pool's policy", async () => {
    const res = await h.graphql(signUp({ username: 'shortpw', password: 'short' }));
    expect(codeOf(res)).toBe('INVALID_PASSWORD');
  });

  it('answers BAD_USER_INPUT when Cognito refuses an attribute at sign-up', async () => {
    const res = await h.graphql(
      signUp({
        username: 'bademail',
        password: PASSWORD,
        userAttributes: [{ name: 'email', value: 'nope' }],
      }),
    );
    expect(res.body.errors).toEqual([
      {
        message: 'Cognito refused the input as invalid.',
        path: ['signUp'],
        extensions: { code: 'BAD_USER_INPUT' },
        locations: expect.any(Array),
      },
    ]);
  });

  it('refuses malformed input before calling Cognito, naming fields and never echoing values', async () => {
    h.standIn.calls.length = 0;
    const secretish = `Pw-${'x'.repeat(300)}`;
    const res = await h.graphql(
      signUp({
        username: 'ok',
        password: secretish,
        userAttributes: [
          { name: 'email', value: 'a@b.c' },
          { name: 'email', value: 'd@e.f' },
        ],
      }),
    );
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    const text = JSON.stringify(res.body);
    expect(text).toContain('password must be 1 to 256 characters');
    expect(text).toContain('userAttributes names must be distinct');
    expect(text).not.toContain(secretish);
    const badCode = await h.graphql(confirmSignUp({ username: 'ok', confirmationCode: '12 34' }));
    expect(codeOf(badCode)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(badCode.body)).not.toContain('12 34');
    expect(h.standIn.calls).toHaveLength(0);
  });

  it('never writes a password or a confirmation code to the log', async () => {
    const username = 'quiet@example.com';
    const password = 'Unique-Log-Canary-4471';
    await h.graphql(signUp({ username, password, userAttributes: [{ name: 'email', value: username }] }));
    await h.graphql(signUp({ username, password })); // USERNAME_EXISTS, logged at info
    await h.graphql(signUp({ username: 'quiet2', password: 'Short7' })); // INVALID_PASSWORD
    const code = h.standIn.outbox.latestCode(username);
    await h.graphql(confirmSignUp({ username, confirmationCode: '999999' })); // CODE_MISMATCH, logged
    await h.graphql(confirmSignUp({ username, confirmationCode: code }));
    const logs = h.logs.join('\n');
    expect(logs).toContain('cognito call failed'); // the failures above were logged (at debug level)
    expect(logs).not.toContain(password);
    expect(logs).not.toContain('Short7');
    expect(logs).not.toContain(code);
    expect(logs).not.toContain(h.clientSecret);
  });
});

describe('confirmation codes in time', () => {
  const now = { value: new Date('2026-11-26T12:00:00Z') };
  let standIn: LocalCognito;
  let h: Harness;
  beforeAll(async () => {
    standIn = await startLocalCognito({ clock: { now: () => now.value } });
    h = await startHarness({ standIn });
  });
  afterAll(async () => {
    await h.close();
    await standIn.close();
  });

  it('answers CODE_EXPIRED for the right code after 24 hours, and a resent code works', async () => {
    const username = 'late@example.com';
    await h.graphql(
      signUp({ username, password: PASSWORD, userAttributes: [{ name: 'email', value: username }] }),
    );
    const code = h.standIn.outbox.latestCode(username);
    now.value = new Date(now.value.getTime() + 24 * 3_600_000 + 1_000);

    const late = await h.graphql(confirmSignUp({ username, confirmationCode: code }));
    expect(late.body.errors).toEqual([
      {
        message: 'The code has expired; request a new one.',
        path: ['confirmSignUp'],
        extensions: { code: 'CODE_EXPIRED' },
        locations: expect.any(Array),
      },
    ]);

    await h.graphql(resend({ username }));
    const fresh = await h.graphql(
      confirmSignUp({ username, confirmationCode: h.standIn.outbox.latestCode(username) }),
    );
    expect(fresh.body).toEqual({ data: { confirmSignUp: { confirmed: true, session: expect.any(String) } } });
  });
});

describe('abuse limits of the sign-up calls', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('limits signUp per client IP, refusing before Cognito is called', async () => {
    h = await startHarness({ env: { LIMIT_SIGN_UP_IP_PER_HOUR: '2' } });
    const results = [];
    for (const name of ['ip1', 'ip2', 'ip3']) {
      results.push(await h.graphql(signUp({ username: name, password: PASSWORD })));
    }
    expect(results.map(codeOf)).toEqual(['OK', 'OK', 'RATE_LIMITED']);
    expect(results[2]?.body.errors[0].extensions.retryAfterSeconds).toBeGreaterThan(3_500);
    expect(h.standIn.calls.filter((c) => c.action === 'SignUp')).toHaveLength(2);
  });

  it('limits failed confirms per username against code guessing, leaving other users alone', async () => {
    h = await startHarness({ env: { LIMIT_CONFIRM_FAILURES_USERNAME_PER_HOUR: '3' } });
    await h.signUp('guessed', { email: 'guessed@example.com' });
    await h.signUp('other', { email: 'other@example.com' });
    const guesses = [];
    for (const guess of ['000001', '000002', '000003']) {
      guesses.push(codeOf(await h.graphql(confirmSignUp({ username: 'guessed', confirmationCode: guess }))));
    }
    expect(guesses).toEqual(['CODE_MISMATCH', 'CODE_MISMATCH', 'CODE_MISMATCH']);

    const right = h.standIn.outbox.latestCode('guessed');
    expect(codeOf(await h.graphql(confirmSignUp({ username: 'GUESSED', confirmationCode: right })))).toBe(
      'RATE_LIMITED',
    );
    const other = await h.graphql(
      confirmSignUp({ username: 'other', confirmationCode: h.standIn.outbox.latestCode('other') }),
    );
    expect(other.body).toEqual({ data: { confirmSignUp: { confirmed: true, session: expect.any(String) } } });
  });

  it('keeps separate budgets per call: signing up does not use up resends', async () => {
    h = await startHarness({ env: { LIMIT_SIGN_UP_IP_PER_HOUR: '1', LIMIT_RESEND_IP_PER_HOUR: '1' } });
    const username = 'budget@example.com';
    await h.graphql(
      signUp({ username, password: PASSWORD, userAttributes: [{ name: 'email', value: username }] }),
    );
    expect(codeOf(await h.graphql(resend({ username })))).toBe('OK');
    expect(codeOf(await h.graphql(resend({ username })))).toBe('RATE_LIMITED');
  });
});
