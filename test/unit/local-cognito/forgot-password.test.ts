// ForgotPassword, ConfirmForgotPassword and the stand-in's USER_PASSWORD_AUTH sign-in, called as plain
// functions of (body, narrow dependencies) with a clock the tests move by hand.
import { describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../../src/cognito/secret-hash';
import { ACTIONS, dispatch } from '../../../src/local-cognito/dispatch';
import { CognitoError } from '../../../src/local-cognito/errors';
import { FaultInjector } from '../../../src/local-cognito/faults';
import { Outbox } from '../../../src/local-cognito/outbox';
import type { Services } from '../../../src/local-cognito/services';
import { Store } from '../../../src/local-cognito/store';
import { adminConfirmSignUp } from '../../../src/local-cognito/targets/admin-confirm-sign-up';
import { confirmForgotPassword } from '../../../src/local-cognito/targets/confirm-forgot-password';
import { confirmSignUp } from '../../../src/local-cognito/targets/confirm-sign-up';
import { addUserPool, type UserPoolSpec } from '../../../src/local-cognito/targets/create-user-pool';
import { addUserPoolClient } from '../../../src/local-cognito/targets/create-user-pool-client';
import { forgotPassword } from '../../../src/local-cognito/targets/forgot-password';
import { initiateAuth } from '../../../src/local-cognito/targets/initiate-auth';
import { signUp } from '../../../src/local-cognito/targets/sign-up';
import { thrownBy } from '../../support/thrown';

const HOUR_MS = 60 * 60 * 1000;
const OLD_PASSWORD = 'old-password-1';
const NEW_PASSWORD = 'new-password-2';

class TestClock {
  private current = new Date('2030-01-01T00:00:00.000Z');
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

const thrown = (fn: () => unknown): CognitoError => thrownBy(CognitoError, fn);

interface Setup {
  pool?: UserPoolSpec;
  withSecret?: boolean;
  preventUserExistenceErrors?: boolean;
}

function seeded({ pool = {}, withSecret = false, preventUserExistenceErrors }: Setup = {}) {
  let counter = 0;
  const clock = new TestClock();
  const d = {
    store: new Store(),
    clock,
    outbox: new Outbox(),
    // Sequential codes, so "a new code" never equals the old one by chance.
    generateCode: () => String(100000 + ++counter),
  };
  const { id: poolId } = addUserPool(d, pool);
  const client = addUserPoolClient(d, poolId, {
    generateSecret: withSecret,
    ...(preventUserExistenceErrors !== undefined && { preventUserExistenceErrors }),
  });
  const { clientId } = client;
  const clientSecret = client.secrets?.[0]?.value;
  const hash = (username: string) =>
    clientSecret === undefined ? {} : { SecretHash: computeSecretHash(username, clientId, clientSecret) };
  return { d, clock, poolId, clientId, hash };
}

type Seeded = ReturnType<typeof seeded>;

// Signs up and confirms with the emailed code, so the user's email is verified.
function confirmedUser(
  s: Seeded,
  username = 'jane',
  attributes = [{ Name: 'email', Value: 'jane@example.com' }],
) {
  signUp(
    {
      ClientId: s.clientId,
      Username: username,
      Password: OLD_PASSWORD,
      UserAttributes: attributes,
      ...s.hash(username),
    },
    s.d,
  );
  const code = s.d.outbox.latestCode(username);
  confirmSignUp(
    { ClientId: s.clientId, Username: username, ConfirmationCode: code, ...s.hash(username) },
    s.d,
  );
}

function forgot(s: Seeded, username = 'jane') {
  return forgotPassword({ ClientId: s.clientId, Username: username, ...s.hash(username) }, s.d);
}

function confirmForgot(s: Seeded, code: string | undefined, password = NEW_PASSWORD, username = 'jane') {
  return confirmForgotPassword(
    {
      ClientId: s.clientId,
      Username: username,
      ConfirmationCode: code,
      Password: password,
      ...s.hash(username),
    },
    s.d,
  );
}

function signIn(s: Seeded, password: string, username = 'jane') {
  const secret = s.hash(username).SecretHash;
  return initiateAuth(
    {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: s.clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password, ...(secret && { SECRET_HASH: secret }) },
    },
    s.d,
  );
}

describe('local Cognito ForgotPassword target', () => {
  it('sends a reset code to the verified email, marked ForgotPassword, and answers the masked delivery', () => {
    const s = seeded();
    confirmedUser(s);

    const result = forgot(s);

    expect(result).toEqual({
      CodeDeliveryDetails: { Destination: 'j***@e***', DeliveryMedium: 'EMAIL', AttributeName: 'email' },
    });
    expect(s.d.outbox.list().at(-1)).toMatchObject({
      username: 'jane',
      destination: 'jane@example.com',
      medium: 'EMAIL',
      reason: 'ForgotPassword',
      code: '100002',
    });
  });

  it('sends the code by SMS when only the phone number is verified', () => {
    const s = seeded({ pool: { autoVerifiedAttributes: ['phone_number'] } });
    confirmedUser(s, 'jane', [
      { Name: 'email', Value: 'jane@example.com' },
      { Name: 'phone_number', Value: '+15555550123' },
    ]);

    expect(forgot(s).CodeDeliveryDetails).toEqual({
      Destination: '+*******0123',
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    });
    expect(s.d.outbox.list().at(-1)).toMatchObject({ medium: 'SMS', reason: 'ForgotPassword' });
  });

  it('refuses a wrong SecretHash with NotAuthorizedException and sends nothing', () => {
    const s = seeded({ withSecret: true });
    confirmedUser(s);
    const sentBefore = s.d.outbox.list().length;

    const error = thrown(() =>
      forgotPassword({ ClientId: s.clientId, Username: 'jane', SecretHash: 'd3Jvbmc=' }, s.d),
    );

    expect(error.type).toBe('NotAuthorizedException');
    expect(error.message).toBe(`Unable to verify secret hash for client ${s.clientId}`);
    expect(s.d.outbox.list()).toHaveLength(sentBefore);
  });

  it('accepts the right SecretHash', () => {
    const s = seeded({ withSecret: true });
    confirmedUser(s);

    expect(forgot(s).CodeDeliveryDetails.DeliveryMedium).toBe('EMAIL');
  });

  it('answers UserNotFoundException for an unknown user', () => {
    const s = seeded();

    const error = thrown(() => forgot(s, 'nobody'));

    expect(error.type).toBe('UserNotFoundException');
    expect(error.message).toBe('Username/client id combination not found.');
  });

  it('answers a simulated delivery for an unknown user when existence errors are suppressed, sending nothing', () => {
    const s = seeded({ preventUserExistenceErrors: true });

    const first = forgot(s, 'nobody');

    expect(first.CodeDeliveryDetails).toEqual({
      Destination: expect.stringMatching(/^[a-z]\*\*\*@[a-z]\*\*\*$/),
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    expect(forgot(s, 'nobody')).toEqual(first);
    expect(s.d.outbox.list()).toEqual([]);
  });

  it('refuses a user with no verified email or phone number with InvalidParameterException', () => {
    const s = seeded();
    signUp(
      {
        ClientId: s.clientId,
        Username: 'jane',
        Password: OLD_PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'jane@example.com' }],
      },
      s.d,
    );
    const sentBefore = s.d.outbox.list().length;

    const error = thrown(() => forgot(s));

    expect(error.type).toBe('InvalidParameterException');
    expect(error.message).toBe(
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
    expect(s.d.outbox.list()).toHaveLength(sentBefore);
  });

  it('answers a user without a verified destination like an unknown one when existence errors are suppressed', () => {
    const s = seeded({ preventUserExistenceErrors: true });
    signUp(
      {
        ClientId: s.clientId,
        Username: 'jane',
        Password: OLD_PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'jane@example.com' }],
      },
      s.d,
    );
    s.d.outbox.clear();

    const unverified = forgot(s, 'jane');

    expect(unverified.CodeDeliveryDetails).toEqual({
      Destination: expect.stringMatching(/^[a-z]\*\*\*@[a-z]\*\*\*$/),
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    expect([s.d.outbox.list(), s.d.outbox.simulatedDeliveries]).toEqual([[], 1]);
  });

  it('refuses a confirmed user whose email was never verified (AdminConfirmSignUp verifies nothing)', () => {
    const s = seeded();
    signUp(
      {
        ClientId: s.clientId,
        Username: 'jane',
        Password: OLD_PASSWORD,
        UserAttributes: [{ Name: 'email', Value: 'jane@example.com' }],
      },
      s.d,
    );
    adminConfirmSignUp({ UserPoolId: s.poolId, Username: 'jane' }, s.d);

    expect(thrown(() => forgot(s)).type).toBe('InvalidParameterException');
  });
});

// A confirmed user whose email and phone number are both verified (as after a later VerifyUserAttribute).
function bothVerified(s: Seeded) {
  confirmedUser(s, 'jane', [
    { Name: 'email', Value: 'jane@example.com' },
    { Name: 'phone_number', Value: '+15555550123' },
  ]);
  const user = s.d.store.findUser(s.poolId, 'jane');
  user?.attributes.set('email_verified', 'true');
  user?.attributes.set('phone_number_verified', 'true');
}

describe("ForgotPassword and the pool's account recovery setting", () => {
  const both = ['email', 'phone_number'] as const;

  it.each([
    ['email-first', 'email'],
    ['phone-first', 'phone_number'],
    ['legacy', 'phone_number'],
    ['email-only', 'email'],
    ['phone-only', 'phone_number'],
  ] as const)('%s sends a user with both verified a code at %s', (accountRecovery, attribute) => {
    const s = seeded({ pool: { autoVerifiedAttributes: [...both], accountRecovery } });
    bothVerified(s);

    expect(forgot(s).CodeDeliveryDetails.AttributeName).toBe(attribute);
    expect(s.d.outbox.list().at(-1)).toMatchObject({ reason: 'ForgotPassword', attribute });
  });

  it('defaults to email first for pools made programmatically', () => {
    const s = seeded({ pool: { autoVerifiedAttributes: [...both] } });
    bothVerified(s);

    expect(forgot(s).CodeDeliveryDetails.DeliveryMedium).toBe('EMAIL');
  });

  it('falls back to the verified email under legacy recovery when the phone is not verified', () => {
    const s = seeded({ pool: { autoVerifiedAttributes: [...both], accountRecovery: 'legacy' } });
    confirmedUser(s, 'jane', [{ Name: 'email', Value: 'jane@example.com' }]);

    expect(forgot(s).CodeDeliveryDetails.AttributeName).toBe('email');
  });

  it('refuses a user whose only verified attribute the -only setting does not allow', () => {
    const s = seeded({ pool: { autoVerifiedAttributes: ['phone_number'], accountRecovery: 'email-only' } });
    confirmedUser(s, 'jane', [
      { Name: 'email', Value: 'jane@example.com' },
      { Name: 'phone_number', Value: '+15555550123' },
    ]);

    expect(thrown(() => forgot(s)).type).toBe('InvalidParameterException');
  });

  it('simulates the medium a real user of the pool would get first', () => {
    const s = seeded({
      pool: { autoVerifiedAttributes: [...both], accountRecovery: 'phone-first' },
      preventUserExistenceErrors: true,
    });

    expect(forgot(s, 'nobody').CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'SMS' });
    expect(s.d.outbox.simulatedDeliveries).toBe(1);
  });
});

describe('local Cognito ConfirmForgotPassword target', () => {
  it('sets the new password with the emailed code: the old password stops working, the new one signs in', () => {
    const s = seeded();
    confirmedUser(s);
    forgot(s);

    expect(confirmForgot(s, s.d.outbox.latestCode('jane'))).toEqual({});

    const refused = thrown(() => signIn(s, OLD_PASSWORD));
    expect(refused.type).toBe('NotAuthorizedException');
    expect(refused.message).toBe('Incorrect username or password.');
    expect(signIn(s, NEW_PASSWORD).AuthenticationResult).toMatchObject({
      TokenType: 'Bearer',
      ExpiresIn: 3600,
    });
  });

  it('refuses a used code with CodeMismatchException', () => {
    const s = seeded();
    confirmedUser(s);
    forgot(s);
    const code = s.d.outbox.latestCode('jane');
    confirmForgot(s, code);

    const error = thrown(() => confirmForgot(s, code, 'another-password-3'));

    expect(error.type).toBe('CodeMismatchException');
    expect(error.message).toBe('Invalid verification code provided, please try again.');
    expect(signIn(s, NEW_PASSWORD).AuthenticationResult).toBeDefined();
  });

  it('refuses a code that a newer ForgotPassword replaced', () => {
    const s = seeded();
    confirmedUser(s);
    forgot(s);
    const replaced = s.d.outbox.latestCode('jane');
    forgot(s);
    const newest = s.d.outbox.latestCode('jane');

    expect(newest).not.toBe(replaced);
    expect(thrown(() => confirmForgot(s, replaced)).type).toBe('CodeMismatchException');
    expect(confirmForgot(s, newest)).toEqual({});
  });

  it('refuses a wrong code, and any code when no reset was requested', () => {
    const s = seeded();
    confirmedUser(s);
    const signUpCode = s.d.outbox.latestCode('jane');

    expect(thrown(() => confirmForgot(s, signUpCode)).type).toBe('CodeMismatchException');
    forgot(s);
    expect(thrown(() => confirmForgot(s, '999999')).message).toBe(
      'Invalid verification code provided, please try again.',
    );
  });

  it('accepts the code just within an hour and refuses it after with ExpiredCodeException', () => {
    const early = seeded();
    confirmedUser(early);
    forgot(early);
    early.clock.advance(HOUR_MS);
    expect(confirmForgot(early, early.d.outbox.latestCode('jane'))).toEqual({});

    const late = seeded();
    confirmedUser(late);
    forgot(late);
    late.clock.advance(HOUR_MS + 1);
    const error = thrown(() => confirmForgot(late, late.d.outbox.latestCode('jane')));
    expect(error.type).toBe('ExpiredCodeException');
    expect(error.message).toBe('Invalid code provided, please request a code again.');
    expect(signIn(late, OLD_PASSWORD).AuthenticationResult).toBeDefined();
  });

  it("refuses a password shorter than the pool's minimum with InvalidPasswordException, keeping the code", () => {
    const s = seeded({ pool: { passwordMinimumLength: 12 } });
    signUp(
      {
        ClientId: s.clientId,
        Username: 'jane',
        Password: 'long-enough-old',
        UserAttributes: [{ Name: 'email', Value: 'jane@example.com' }],
      },
      s.d,
    );
    confirmSignUp(
      { ClientId: s.clientId, Username: 'jane', ConfirmationCode: s.d.outbox.latestCode('jane') },
      s.d,
    );
    forgot(s);
    const code = s.d.outbox.latestCode('jane');

    const error = thrown(() => confirmForgot(s, code, 'short-11chr'));

    expect(error.type).toBe('InvalidPasswordException');
    expect(error.message).toBe('Password did not conform with policy: Password not long enough');
    expect(confirmForgot(s, code, 'long-enough-new')).toEqual({});
  });

  it('refuses a wrong SecretHash with NotAuthorizedException', () => {
    const s = seeded({ withSecret: true });
    confirmedUser(s);
    forgot(s);

    const error = thrown(() =>
      confirmForgotPassword(
        {
          ClientId: s.clientId,
          Username: 'jane',
          ConfirmationCode: s.d.outbox.latestCode('jane'),
          Password: NEW_PASSWORD,
          SecretHash: 'd3Jvbmc=',
        },
        s.d,
      ),
    );

    expect(error.type).toBe('NotAuthorizedException');
    expect(error.message).toBe(`Unable to verify secret hash for client ${s.clientId}`);
  });

  it('answers UserNotFoundException for an unknown user, or CodeMismatchException when existence errors are suppressed', () => {
    const plain = seeded();
    const notFound = thrown(() => confirmForgot(plain, '123456', NEW_PASSWORD, 'nobody'));
    expect(notFound.type).toBe('UserNotFoundException');
    expect(notFound.message).toBe('Username/client id combination not found.');

    const hiding = seeded({ preventUserExistenceErrors: true });
    const mismatch = thrown(() => confirmForgot(hiding, '123456', NEW_PASSWORD, 'nobody'));
    expect(mismatch.type).toBe('CodeMismatchException');
    expect(mismatch.message).toBe('Invalid verification code provided, please try again.');
  });

  it('answers LimitExceededException after five wrong codes, even for the right one, until a new code is sent', () => {
    const s = seeded();
    confirmedUser(s);
    forgot(s);
    const code = s.d.outbox.latestCode('jane');
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(thrown(() => confirmForgot(s, '000000')).type).toBe('CodeMismatchException');
    }

    const limited = thrown(() => confirmForgot(s, code));

    expect(limited.type).toBe('LimitExceededException');
    expect(limited.message).toBe('Attempt limit exceeded, please try after some time.');
    forgot(s);
    expect(confirmForgot(s, s.d.outbox.latestCode('jane'))).toEqual({});
  });
});

describe("local Cognito InitiateAuth target (the stand-in's sign-in check for tests)", () => {
  it('answers dummy tokens for the right password and refuses a wrong one', () => {
    const s = seeded({ withSecret: true });
    confirmedUser(s);

    expect(signIn(s, OLD_PASSWORD)).toEqual({
      ChallengeParameters: {},
      AuthenticationResult: {
        AccessToken: expect.any(String),
        IdToken: expect.any(String),
        RefreshToken: expect.any(String),
        ExpiresIn: 3600,
        TokenType: 'Bearer',
      },
    });
    expect(thrown(() => signIn(s, 'wrong-password')).message).toBe('Incorrect username or password.');
  });

  it('requires SECRET_HASH for a client with a secret', () => {
    const s = seeded({ withSecret: true });
    confirmedUser(s);

    const error = thrown(() =>
      initiateAuth(
        {
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: s.clientId,
          AuthParameters: { USERNAME: 'jane', PASSWORD: OLD_PASSWORD },
        },
        s.d,
      ),
    );

    expect(error.type).toBe('NotAuthorizedException');
    expect(error.message).toBe(`Unable to verify secret hash for client ${s.clientId}`);
  });

  it('refuses an unconfirmed user with UserNotConfirmedException, and an unknown one with UserNotFoundException', () => {
    const s = seeded();
    signUp({ ClientId: s.clientId, Username: 'jane', Password: OLD_PASSWORD }, s.d);

    const unconfirmed = thrown(() => signIn(s, OLD_PASSWORD));
    expect(unconfirmed.type).toBe('UserNotConfirmedException');
    expect(unconfirmed.message).toBe('User is not confirmed.');
    const unknown = thrown(() => signIn(s, OLD_PASSWORD, 'nobody'));
    expect(unknown.type).toBe('UserNotFoundException');
    expect(unknown.message).toBe('User does not exist.');
  });

  it('answers an unknown user like a wrong password when existence errors are suppressed', () => {
    const s = seeded({ preventUserExistenceErrors: true });

    const error = thrown(() => signIn(s, OLD_PASSWORD, 'nobody'));

    expect(error.type).toBe('NotAuthorizedException');
    expect(error.message).toBe('Incorrect username or password.');
  });

  it('refuses flows other than USER_PASSWORD_AUTH with InvalidParameterException', () => {
    const s = seeded();

    const error = thrown(() =>
      initiateAuth(
        { AuthFlow: 'USER_SRP_AUTH', ClientId: s.clientId, AuthParameters: { USERNAME: 'jane' } },
        s.d,
      ),
    );

    expect(error.type).toBe('InvalidParameterException');
  });
});

describe('faults on the password-reset actions', () => {
  it.each(['ForgotPassword', 'ConfirmForgotPassword', 'InitiateAuth'])(
    'throttles %s when the faults name it',
    async (action) => {
      const s = seeded();
      const services: Services = { ...s.d, calls: [], log: () => {} };
      // Built from the served actions: set() refuses a name that dispatch does not serve.
      const faults = new FaultInjector({ actions: ACTIONS });
      faults.set({ throttleRate: 1, actions: [action] });

      const answer = await dispatch(
        {
          headers: { 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
          rawBody: JSON.stringify({ ClientId: s.clientId, Username: 'jane' }),
        },
        services,
        faults,
      );

      expect(answer).toMatchObject({
        status: 400,
        body: expect.stringContaining('TooManyRequestsException'),
      });
    },
  );
});
