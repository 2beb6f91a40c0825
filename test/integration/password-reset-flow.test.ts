// The password-reset flow over HTTP against the local stand-in, with the real SDK: forgotPassword sends a
// reset code, confirmForgotPassword sets the new password with it, and the new password then signs in. The
// shared fields go to Cognito exactly as for the other calls; codes and passwords never appear in a response
// or a log; each call has its own budgets, and the destination cap is the one signUp and resends share.
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { codeOf } from '../support/answers';
import { type Harness, startHarness } from '../support/gateway-harness';
import { rejectionOf } from '../support/thrown';
import { confirmForgotPassword, confirmSignUp, forgotPassword, signUp } from '../support/user-pool-requests';

const OLD_PASSWORD = 'correct-horse-battery';
const NEW_PASSWORD = 'staple-battery-horse-2';

function resetCode(h: Harness, username: string): string {
  return (
    h.standIn.outbox
      .list({ username })
      .filter((m) => m.reason === 'ForgotPassword')
      .at(-1)?.code ?? ''
  );
}

async function signIn(h: Harness, username: string, password: string) {
  const sdk = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: h.standIn.url });
  try {
    return await sdk.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: h.clientId,
        AuthParameters: {
          USERNAME: username,
          PASSWORD: password,
          SECRET_HASH: computeSecretHash(username, h.clientId, h.clientSecret),
        },
      }),
    );
  } finally {
    sdk.destroy();
  }
}

/** A confirmed user with a verified email, signed up and confirmed through the gateway. */
async function confirmedUser(h: Harness, username: string, email = username): Promise<void> {
  await h.graphql(
    signUp({ username, password: OLD_PASSWORD, userAttributes: [{ name: 'email', value: email }] }),
  );
  const confirmed = await h.graphql(
    confirmSignUp({ username, confirmationCode: h.standIn.outbox.latestCode(username) }),
  );
  expect(confirmed.body.data?.confirmSignUp.confirmed).toBe(true);
}

describe('the password-reset flow', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('sends a reset code, sets the new password with it, and the new password signs in', async () => {
    const username = 'forgetful@example.com';
    await confirmedUser(h, username);
    h.standIn.calls.length = 0;

    const sent = await h.graphql(forgotPassword({ username }));
    expect(sent.body).toEqual({
      data: {
        forgotPassword: {
          codeDeliveryDetails: { destination: 'f***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
        },
      },
    });
    const request = h.standIn.calls.find((c) => c.action === 'ForgotPassword')?.body;
    expect(request).toEqual({
      ClientId: h.clientId,
      SecretHash: computeSecretHash(username, h.clientId, h.clientSecret),
      Username: username,
    });

    const wrong = await h.graphql(
      confirmForgotPassword({ username, confirmationCode: '000000', password: NEW_PASSWORD }),
    );
    expect(codeOf(wrong)).toBe('CODE_MISMATCH');

    const code = resetCode(h, username);
    const changed = await h.graphql(
      confirmForgotPassword({ username, confirmationCode: code, password: NEW_PASSWORD }),
    );
    expect(changed.body).toEqual({ data: { confirmForgotPassword: { passwordChanged: true } } });
    const confirmRequest = h.standIn.calls.filter((c) => c.action === 'ConfirmForgotPassword').at(-1)?.body;
    expect(confirmRequest).toMatchObject({
      Username: username,
      ConfirmationCode: code,
      Password: NEW_PASSWORD,
    });

    expect((await signIn(h, username, NEW_PASSWORD)).AuthenticationResult?.AccessToken).toBeDefined();
    expect(await rejectionOf(signIn(h, username, OLD_PASSWORD))).toBeInstanceOf(NotAuthorizedException);
    // A used code is refused.
    const again = await h.graphql(
      confirmForgotPassword({ username, confirmationCode: code, password: OLD_PASSWORD }),
    );
    expect(codeOf(again)).toBe('CODE_MISMATCH');

    const everything = JSON.stringify([sent.body, wrong.body, changed.body, again.body]) + h.logs.join('\n');
    for (const secret of [code, NEW_PASSWORD, OLD_PASSWORD, h.clientSecret])
      expect(everything).not.toContain(secret);
  });

  it('answers USER_NOT_FOUND, NO_RECOVERY_DESTINATION and INVALID_PASSWORD with fixed messages', async () => {
    expect(codeOf(await h.graphql(forgotPassword({ username: 'nobody@example.com' })))).toBe(
      'USER_NOT_FOUND',
    );
    // Signed up but never confirmed: nothing verified to send a reset code to.
    await h.graphql(
      signUp({
        username: 'pending@example.com',
        password: OLD_PASSWORD,
        userAttributes: [{ name: 'email', value: 'pending@example.com' }],
      }),
    );
    const pending = await h.graphql(forgotPassword({ username: 'pending@example.com' }));
    expect(pending.body.errors).toEqual([
      {
        message: 'This user has no verified email or phone number to send a reset code to.',
        locations: expect.any(Array),
        path: ['forgotPassword'],
        extensions: { code: 'NO_RECOVERY_DESTINATION' },
      },
    ]);
    await confirmedUser(h, 'weak@example.com');
    await h.graphql(forgotPassword({ username: 'weak@example.com' }));
    const weak = await h.graphql(
      confirmForgotPassword({
        username: 'weak@example.com',
        confirmationCode: resetCode(h, 'weak@example.com'),
        password: 'x',
      }),
    );
    expect(codeOf(weak)).toBe('INVALID_PASSWORD');
  });

  it('refuses bad input before Cognito is asked, never echoing the password or code', async () => {
    h.standIn.calls.length = 0;
    const res = await h.graphql(
      confirmForgotPassword({
        username: 'a@example.com',
        confirmationCode: 'has space',
        password: 'p'.repeat(300),
      }),
    );
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(res.body)).not.toContain('has space');
    expect(JSON.stringify(res.body)).not.toContain('p'.repeat(300));
    expect(h.standIn.calls).toHaveLength(0);
  });
});

describe('reset codes in time', () => {
  const now = { value: new Date('2026-12-01T12:00:00Z') };
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

  it('answers CODE_EXPIRED for a reset code older than an hour', async () => {
    await confirmedUser(h, 'slow@example.com');
    await h.graphql(forgotPassword({ username: 'slow@example.com' }));
    now.value = new Date(now.value.getTime() + 3_600_000 + 1_000);
    const late = await h.graphql(
      confirmForgotPassword({
        username: 'slow@example.com',
        confirmationCode: resetCode(h, 'slow@example.com'),
        password: NEW_PASSWORD,
      }),
    );
    expect(codeOf(late)).toBe('CODE_EXPIRED');
  });
});

describe('password-reset limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        TRUST_PROXY: 'loopback',
        LIMIT_FORGOT_PASSWORD_USERNAME_COOLDOWN_SECONDS: '60',
        LIMIT_FORGOT_PASSWORD_USERNAME_PER_HOUR: '5',
        LIMIT_FORGOT_PASSWORD_IP_PER_HOUR: '30',
        LIMIT_DESTINATION_PER_HOUR: '5',
        LIMIT_CONFIRM_FORGOT_PASSWORD_FAILURES_USERNAME_IP_PER_HOUR: '5',
        LIMIT_CONFIRM_FORGOT_PASSWORD_FAILURES_USERNAME_PER_HOUR: '100',
      },
    });
  });
  afterAll(() => h.close());
  const from = (ip: string) => ({ 'x-forwarded-for': ip });

  it('holds a cooldown per username, whatever the spelling and IP', async () => {
    await confirmedUser(h, 'cooled@example.com');
    expect(
      codeOf(await h.graphql(forgotPassword({ username: 'cooled@example.com' }), from('198.51.100.1'))),
    ).toBe('OK');
    expect(
      codeOf(await h.graphql(forgotPassword({ username: 'COOLED@Example.com' }), from('198.51.100.2'))),
    ).toBe('RATE_LIMITED');
    expect(
      h.standIn.outbox.list({ username: 'cooled@example.com' }).filter((m) => m.reason === 'ForgotPassword'),
    ).toHaveLength(1);
  });

  it("counts reset codes against the inbox's cap that sign-up codes share", async () => {
    // Four users of one inbox: four sign-up codes, then one reset code is the fifth and a second the sixth.
    const inbox = 'shared.inbox@example.com';
    for (let i = 0; i < 4; i++) {
      const username = `inbox.user${i}`;
      await h.graphql(
        signUp({ username, password: OLD_PASSWORD, userAttributes: [{ name: 'email', value: inbox }] }),
        from(`198.51.100.${10 + i}`),
      );
      await h.graphql(confirmSignUp({ username, confirmationCode: h.standIn.outbox.latestCode(username) }));
    }
    expect(codeOf(await h.graphql(forgotPassword({ username: 'inbox.user0' }), from('198.51.100.20')))).toBe(
      'OK',
    );
    expect(codeOf(await h.graphql(forgotPassword({ username: 'inbox.user1' }), from('198.51.100.21')))).toBe(
      'RATE_LIMITED',
    );
    expect(h.standIn.outbox.list().filter((m) => m.destination === inbox)).toHaveLength(5);
  });

  it("serves the real user's right reset code from another IP after a stranger's 10 wrong ones", async () => {
    await confirmedUser(h, 'targeted@example.com');
    await h.graphql(forgotPassword({ username: 'targeted@example.com' }), from('198.51.100.40'));
    const stranger = [];
    for (let i = 0; i < 10; i++)
      stranger.push(
        codeOf(
          await h.graphql(
            confirmForgotPassword({
              username: 'targeted@example.com',
              confirmationCode: `99999${i}`,
              password: NEW_PASSWORD,
            }),
            from('203.0.113.66'),
          ),
        ),
      );
    expect(stranger.slice(5)).toEqual(Array(5).fill('RATE_LIMITED'));
    expect(h.standIn.calls.filter((c) => c.action === 'ConfirmForgotPassword').length).toBe(5);
  });

  it("cannot be blocked for a user by sign-ups under spellings that the gateway's limit key folds into theirs", async () => {
    await confirmedUser(h, 'victim', 'victim@example.org');
    // Fullwidth twins are other users to the pool, but one key to the per-username limits. Ten sign-ups
    // with the attacker's addresses must not fill, and so close, the victim's destination link.
    const twins = [
      'ｖictim',
      'vｉctim',
      'viｃtim',
      'vicｔim',
      'victｉm',
      'victiｍ',
      'ｖｉctim',
      'vｉｃtim',
      'viｃｔim',
      'vicｔｉm',
    ];
    for (const [i, twin] of twins.entries())
      await h.graphql(
        signUp({
          username: twin,
          password: OLD_PASSWORD,
          userAttributes: [{ name: 'email', value: `twin${i}@attacker.test` }],
        }),
        from(`198.51.100.${60 + i}`),
      );
    const res = await h.graphql(forgotPassword({ username: 'victim' }), from('198.51.100.80'));
    expect(codeOf(res)).toBe('OK');
  });
});
