// InitiateAuth and RespondToAuthChallenge as plain functions: the flows, the challenges, their sessions, and the
// refusals Cognito documents, on a clock the tests move by hand.
import { describe, expect, it } from 'vitest';
import { CognitoError } from '../../../src/local-cognito/errors';
import { confirmSignUp } from '../../../src/local-cognito/targets/confirm-sign-up';
import { initiateAuth } from '../../../src/local-cognito/targets/initiate-auth';
import { signUp } from '../../../src/local-cognito/targets/sign-up';
import { base32Decode, totp } from '../../../src/local-cognito/totp';
import { thrownBy } from '../../support/thrown';
import { MINUTE_MS, PASSWORD, type SignInSetup, signInSetup } from './sign-in-setup';

const thrown = (fn: () => unknown): CognitoError => thrownBy(CognitoError, fn);
const TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const DAY_MS = 24 * 60 * MINUTE_MS;

function expectTokens(answer: { AuthenticationResult?: unknown }) {
  expect(answer.AuthenticationResult).toEqual({
    AccessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    IdToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
    RefreshToken: expect.any(String),
    ExpiresIn: 3600,
    TokenType: 'Bearer',
  });
}

function expectRefusal(fn: () => unknown, type: string, message: string) {
  const error = thrown(fn);
  expect({ type: error.type, message: error.message }).toEqual({ type, message });
}

describe('InitiateAuth USER_PASSWORD_AUTH', () => {
  it('answers tokens for the right password of a user without MFA', () => {
    const s = signInSetup();
    s.seed();

    const answer = s.passwordSignIn();

    expect(answer.ChallengeParameters).toEqual({});
    expectTokens(answer);
  });

  it('answers an unknown user and a wrong password alike when existence errors are suppressed', () => {
    const s = signInSetup({ client: { preventUserExistenceErrors: true } });
    s.seed();

    expectRefusal(
      () => s.passwordSignIn('nobody'),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
    expectRefusal(
      () => s.passwordSignIn('jane', 'wrong'),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
  });

  it('answers an unknown user with UserNotFoundException when existence errors are not suppressed', () => {
    const s = signInSetup();

    expectRefusal(() => s.passwordSignIn('nobody'), 'UserNotFoundException', 'User does not exist.');
  });

  it('tells an unconfirmed user so only after the right password', () => {
    const s = signInSetup();
    s.seed({ status: 'UNCONFIRMED' });

    expectRefusal(
      () => s.passwordSignIn('jane', 'wrong'),
      'NotAuthorizedException',
      'Incorrect username or password.',
    );
    expectRefusal(() => s.passwordSignIn(), 'UserNotConfirmedException', 'User is not confirmed.');
  });

  it('refuses a user who must reset their password with PasswordResetRequiredException', () => {
    const s = signInSetup();
    s.seed({ status: 'RESET_REQUIRED' });

    expectRefusal(
      () => s.passwordSignIn(),
      'PasswordResetRequiredException',
      'Password reset required for the user',
    );
  });

  it('locks out after five wrong passwords, even the right one, for one second and then two', () => {
    const s = signInSetup();
    s.seed();
    for (let i = 0; i < 5; i++)
      expect(() => s.passwordSignIn('jane', 'wrong')).toThrow('Incorrect username or password.');

    expectRefusal(() => s.passwordSignIn(), 'NotAuthorizedException', 'Password attempts exceeded');
    s.clock.advance(1000);
    expect(() => s.passwordSignIn('jane', 'wrong')).toThrow('Incorrect username or password.');
    s.clock.advance(1999);
    expect(() => s.passwordSignIn()).toThrow('Password attempts exceeded');
    s.clock.advance(1);
    expectTokens(s.passwordSignIn());
  });

  it('locks out an unknown name like a real user when existence errors are suppressed', () => {
    const s = signInSetup({ client: { preventUserExistenceErrors: true } });
    for (let i = 0; i < 5; i++)
      expect(() => s.passwordSignIn('nobody')).toThrow('Incorrect username or password.');

    expectRefusal(() => s.passwordSignIn('nobody'), 'NotAuthorizedException', 'Password attempts exceeded');
  });

  it('refuses the flow on a client that does not allow it', () => {
    const s = signInSetup({ client: { authFlows: ['ALLOW_USER_AUTH'] } });
    s.seed();

    expectRefusal(
      () => s.passwordSignIn(),
      'InvalidParameterException',
      'USER_PASSWORD_AUTH flow not enabled for this client',
    );
  });

  it('requires SECRET_HASH over USERNAME as sent on a client with a secret', () => {
    const s = signInSetup({ withSecret: true });
    s.seed();
    const withHash = (hash: { SECRET_HASH?: string }) => () =>
      initiateAuth(
        {
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: s.clientId,
          AuthParameters: { USERNAME: 'jane', PASSWORD, ...hash },
        },
        s.d,
      );

    expectTokens(withHash(s.secretHash('jane'))());
    const message = `Unable to verify secret hash for client ${s.clientId}`;
    expectRefusal(withHash({}), 'NotAuthorizedException', message);
    expectRefusal(withHash(s.secretHash('JANE')), 'NotAuthorizedException', message);
  });

  it('refuses AdminInitiateAuth flows and flows the stand-in does not implement', () => {
    const s = signInSetup({ client: { authFlows: ['ALLOW_USER_SRP_AUTH'] } });
    s.seed();

    expectRefusal(
      () => s.initiate('ADMIN_USER_PASSWORD_AUTH', { USERNAME: 'jane', PASSWORD }),
      'InvalidParameterException',
      'Initiate Auth method not supported.',
    );
    expectRefusal(
      () => s.initiate('USER_SRP_AUTH', { USERNAME: 'jane', SRP_A: 'abc' }),
      'InvalidParameterException',
      'The local Cognito stand-in does not implement AuthFlow USER_SRP_AUTH.',
    );
  });
});

describe('NEW_PASSWORD_REQUIRED', () => {
  function forced(s: SignInSetup) {
    s.seed({ status: 'FORCE_CHANGE_PASSWORD', password: 'temporary-1', verified: ['email'] });
    return s.passwordSignIn('jane', 'temporary-1');
  }

  it('asks a user with a temporary password for a new one, then signs them in with it', () => {
    const s = signInSetup();

    const challenge = forced(s);
    expect(challenge).toMatchObject({
      ChallengeName: 'NEW_PASSWORD_REQUIRED',
      Session: expect.any(String),
      ChallengeParameters: {
        USER_ID_FOR_SRP: 'jane',
        requiredAttributes: '[]',
        userAttributes: JSON.stringify({
          email: 'jane@example.com',
          phone_number: '+15555550123',
          email_verified: 'true',
        }),
      },
    });
    expectTokens(
      s.respond('NEW_PASSWORD_REQUIRED', challenge.Session, { NEW_PASSWORD: 'brand-new-password' }),
    );

    expect(() => s.passwordSignIn('jane', 'temporary-1')).toThrow('Incorrect username or password.');
    expectTokens(s.passwordSignIn('jane', 'brand-new-password'));
  });

  it('keeps the session when the new password fails the policy, so the user can pick another', () => {
    const s = signInSetup();
    const challenge = forced(s);

    expectRefusal(
      () => s.respond('NEW_PASSWORD_REQUIRED', challenge.Session, { NEW_PASSWORD: 'short' }),
      'InvalidPasswordException',
      'Password did not conform with policy: Password not long enough',
    );
    expectTokens(s.respond('NEW_PASSWORD_REQUIRED', challenge.Session, { NEW_PASSWORD: 'long-enough-now' }));
  });

  it('sets writable attributes given as userAttributes.<name>, but not sub or a verified flag', () => {
    const s = signInSetup();
    const challenge = forced(s);
    const user = () => s.d.store.findUser(s.poolId, 'jane');

    expect(() =>
      s.respond('NEW_PASSWORD_REQUIRED', challenge.Session, {
        NEW_PASSWORD: 'brand-new-password',
        'userAttributes.email_verified': 'true',
      }),
    ).toThrow('Cannot modify the non-mutable attribute email_verified');
    s.respond('NEW_PASSWORD_REQUIRED', challenge.Session, {
      NEW_PASSWORD: 'brand-new-password',
      'userAttributes.name': 'Jane Doe',
    });

    expect(user()?.attributes.get('name')).toBe('Jane Doe');
    expect(user()?.status).toBe('CONFIRMED');
  });

  it('refuses a temporary password older than seven days', () => {
    const s = signInSetup();
    s.seed({ status: 'FORCE_CHANGE_PASSWORD', password: 'temporary-1' });
    s.clock.advance(7 * DAY_MS + 1);

    expectRefusal(
      () => s.passwordSignIn('jane', 'temporary-1'),
      'NotAuthorizedException',
      'Temporary password has expired and must be reset by an administrator.',
    );
  });
});

describe('MFA after the password', () => {
  it('sends an SMS code for SMS_MFA, described masked, and signs in with it', () => {
    const s = signInSetup();
    s.seed({ mfa: { enabled: ['SMS_MFA'] }, verified: ['email'] });

    const challenge = s.passwordSignIn();
    expect(challenge).toEqual({
      ChallengeName: 'SMS_MFA',
      Session: expect.any(String),
      ChallengeParameters: {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
        CODE_DELIVERY_DESTINATION: '+*******0123',
      },
    });
    expect(s.d.outbox.list().at(-1)).toMatchObject({
      reason: 'SignIn',
      purpose: 'sign-in',
      medium: 'SMS',
      destination: '+15555550123',
    });
    expectTokens(s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: s.signInCode() }));
    // Passing SMS MFA proves the phone number.
    expect(s.d.store.findUser(s.poolId, 'jane')?.attributes.get('phone_number_verified')).toBe('true');
  });

  it('asks for an emailed code as EMAIL_OTP when email MFA is on', () => {
    const s = signInSetup();
    s.seed({ mfa: { enabled: ['EMAIL_OTP'] } });

    const challenge = s.passwordSignIn();

    expect(challenge).toMatchObject({
      ChallengeName: 'EMAIL_OTP',
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'j***@e***' },
    });
    expectTokens(s.respond('EMAIL_OTP', challenge.Session, { EMAIL_OTP_CODE: s.signInCode() }));
  });

  it("signs in with the authenticator app's TOTP for SOFTWARE_TOKEN_MFA", () => {
    const s = signInSetup();
    s.seed({ mfa: { enabled: ['SOFTWARE_TOKEN_MFA'] }, totpSecret: TOTP_SECRET });
    const code = () => totp(base32Decode(TOTP_SECRET) ?? Buffer.alloc(0), s.clock.now());

    const challenge = s.passwordSignIn();
    expect(challenge).toMatchObject({ ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeParameters: {} });
    const wrong = code() === '000000' ? '111111' : '000000';

    expectRefusal(
      () => s.respond('SOFTWARE_TOKEN_MFA', challenge.Session, { SOFTWARE_TOKEN_MFA_CODE: wrong }),
      'CodeMismatchException',
      'Invalid code or auth state for the user.',
    );
    expectTokens(s.respond('SOFTWARE_TOKEN_MFA', challenge.Session, { SOFTWARE_TOKEN_MFA_CODE: code() }));
  });

  it('lets the user choose with SELECT_MFA_TYPE when several factors are on and none is preferred', () => {
    const s = signInSetup();
    s.seed({ mfa: { enabled: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'] }, totpSecret: TOTP_SECRET });

    const choice = s.passwordSignIn();
    expect(choice).toMatchObject({
      ChallengeName: 'SELECT_MFA_TYPE',
      ChallengeParameters: { MFAS_CAN_CHOOSE: '["SMS_MFA","SOFTWARE_TOKEN_MFA"]' },
    });
    const sms = s.respond('SELECT_MFA_TYPE', choice.Session, { ANSWER: 'SMS_MFA' });

    expect(sms.ChallengeName).toBe('SMS_MFA');
    expectTokens(s.respond('SMS_MFA', sms.Session, { SMS_MFA_CODE: s.signInCode() }));
  });

  it('goes straight to the preferred factor', () => {
    const s = signInSetup();
    s.seed({
      mfa: { enabled: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'], preferred: 'SOFTWARE_TOKEN_MFA' },
      totpSecret: TOTP_SECRET,
    });

    expect(s.passwordSignIn().ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });
});

describe('challenge sessions', () => {
  function smsChallenge(s: SignInSetup) {
    s.seed({ mfa: { enabled: ['SMS_MFA'] } });
    return s.passwordSignIn();
  }

  it('takes a wrong code three times, then the session is dead even for the right code', () => {
    const s = signInSetup();
    const challenge = smsChallenge(s);

    for (let i = 0; i < 3; i++) {
      expectRefusal(
        () => s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: '999999' }),
        'CodeMismatchException',
        'Invalid code or auth state for the user.',
      );
    }
    expectRefusal(
      () => s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: s.signInCode() }),
      'NotAuthorizedException',
      'Invalid session for the user.',
    );
  });

  it('is used once', () => {
    const s = signInSetup();
    const challenge = smsChallenge(s);
    const code = s.signInCode();
    s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: code });

    expectRefusal(
      () => s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: code }),
      'NotAuthorizedException',
      'Invalid session for the user, session can only be used once.',
    );
  });

  it('expires after the default AuthSessionValidity of three minutes', () => {
    const s = signInSetup();
    const challenge = smsChallenge(s);
    s.clock.advance(3 * MINUTE_MS);

    expectRefusal(
      () => s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: s.signInCode() }),
      'NotAuthorizedException',
      'Invalid session for the user, session is expired.',
    );
  });

  it("lasts the client's AuthSessionValidity", () => {
    const s = signInSetup({ client: { authSessionValidityMinutes: 15 } });
    const challenge = smsChallenge(s);
    s.clock.advance(15 * MINUTE_MS - 1);

    expectTokens(s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: s.signInCode() }));
  });

  it("refuses an answer to another challenge than the session's, and another user's name", () => {
    const s = signInSetup();
    const challenge = smsChallenge(s);
    s.seed({ username: 'john', attributes: {}, verified: [] });

    expect(() => s.respond('EMAIL_OTP', challenge.Session, { EMAIL_OTP_CODE: s.signInCode() })).toThrow(
      'Invalid session for the user.',
    );
    expect(() => s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: s.signInCode() }, 'john')).toThrow(
      'Invalid session for the user.',
    );
    expectTokens(s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: s.signInCode() }));
  });

  it('requires the Session, USERNAME and the code', () => {
    const s = signInSetup();
    const challenge = smsChallenge(s);

    expect(() => s.respond('SMS_MFA', undefined, { SMS_MFA_CODE: '1' })).toThrow(
      'Missing required parameter Session',
    );
    expect(() => s.respond('SMS_MFA', challenge.Session, {}, '')).toThrow(
      'Missing required parameter USERNAME',
    );
    expect(() => s.respond('SMS_MFA', challenge.Session, {})).toThrow(
      'Missing required parameter SMS_MFA_CODE',
    );
  });

  it('counts wrong codes towards the lockout', () => {
    const s = signInSetup();
    s.seed({ mfa: { enabled: ['SMS_MFA'] } });
    for (let i = 0; i < 4; i++) expect(() => s.passwordSignIn('jane', 'wrong')).toThrow();
    const challenge = s.passwordSignIn();
    expect(() => s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: '999999' })).toThrow(
      'Invalid code or auth state for the user.',
    );

    expect(() => s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: s.signInCode() })).toThrow(
      'Password attempts exceeded',
    );
  });
});

describe('InitiateAuth USER_AUTH (choice-based)', () => {
  it('offers the password and one-time passwords to verified addresses when no challenge is preferred', () => {
    const s = signInSetup();
    s.seed();

    const choice = s.initiate('USER_AUTH', { USERNAME: 'jane' });

    expect(choice).toEqual({
      ChallengeName: 'SELECT_CHALLENGE',
      Session: expect.any(String),
      ChallengeParameters: {},
      AvailableChallenges: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'],
    });
    expectTokens(s.respond('SELECT_CHALLENGE', choice.Session, { ANSWER: 'PASSWORD', PASSWORD }));
  });

  it('offers only the password to a user whose email and phone number are unverified', () => {
    const s = signInSetup();
    s.seed({ verified: [] });

    const preferred = s.initiate('USER_AUTH', { USERNAME: 'jane', PREFERRED_CHALLENGE: 'EMAIL_OTP' });

    expect(preferred).toMatchObject({ ChallengeName: 'SELECT_CHALLENGE', AvailableChallenges: ['PASSWORD'] });
    expect(s.d.outbox.list()).toEqual([]);
  });

  it('signs in with PREFERRED_CHALLENGE PASSWORD, followed by MFA when it is on', () => {
    const s = signInSetup();
    s.seed({ mfa: { enabled: ['SMS_MFA'] } });

    const answer = s.initiate('USER_AUTH', { USERNAME: 'jane', PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD });

    expect(answer.ChallengeName).toBe('SMS_MFA');
    expect(() => s.initiate('USER_AUTH', { USERNAME: 'jane', PREFERRED_CHALLENGE: 'PASSWORD' })).toThrow(
      'Missing required parameter PASSWORD',
    );
  });

  it('signs in with an emailed one-time password, which MFA does not follow', () => {
    const s = signInSetup();
    s.seed({ mfa: { enabled: ['SMS_MFA'] } });

    const challenge = s.initiate('USER_AUTH', { USERNAME: 'jane', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    expect(challenge).toMatchObject({
      ChallengeName: 'EMAIL_OTP',
      ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'j***@e***' },
    });
    expect(s.d.outbox.list({ purpose: 'sign-in' })).toHaveLength(1);

    expectTokens(s.respond('EMAIL_OTP', challenge.Session, { EMAIL_OTP_CODE: s.signInCode() }));
  });

  it('sends an SMS one-time password when SMS_OTP is chosen from SELECT_CHALLENGE', () => {
    const s = signInSetup();
    s.seed();
    const choice = s.initiate('USER_AUTH', { USERNAME: 'jane' });

    const challenge = s.respond('SELECT_CHALLENGE', choice.Session, { ANSWER: 'SMS_OTP' });

    expect(challenge).toMatchObject({
      ChallengeName: 'SMS_OTP',
      ChallengeParameters: {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
        CODE_DELIVERY_DESTINATION: '+*******0123',
      },
    });
    expectTokens(s.respond('SMS_OTP', challenge.Session, { SMS_OTP_CODE: s.signInCode() }));
  });

  it('walks an unknown user through a made-up choice and code when existence errors are suppressed', () => {
    const s = signInSetup({ client: { preventUserExistenceErrors: true } });

    const choice = s.initiate('USER_AUTH', { USERNAME: 'nobody' });
    expect(choice).toMatchObject({
      ChallengeName: 'SELECT_CHALLENGE',
      AvailableChallenges: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'],
    });
    const code = s.initiate('USER_AUTH', { USERNAME: 'nobody', PREFERRED_CHALLENGE: 'EMAIL_OTP' });
    expect(code).toMatchObject({
      ChallengeName: 'EMAIL_OTP',
      ChallengeParameters: {
        CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL',
        CODE_DELIVERY_DESTINATION: expect.any(String),
      },
    });
    expect(s.d.outbox.list()).toEqual([]);
    expect(s.d.outbox.simulatedDeliveries).toBe(1);

    expect(() => s.respond('EMAIL_OTP', code.Session, { EMAIL_OTP_CODE: '100001' }, 'nobody')).toThrow(
      'Invalid code or auth state for the user.',
    );
    expect(() =>
      s.respond('SELECT_CHALLENGE', choice.Session, { ANSWER: 'PASSWORD', PASSWORD }, 'nobody'),
    ).toThrow('Incorrect username or password.');
  });

  it('refuses USER_AUTH on a client that does not allow it', () => {
    const s = signInSetup({ client: { authFlows: ['ALLOW_USER_PASSWORD_AUTH'] } });
    s.seed();

    expect(() => s.initiate('USER_AUTH', { USERNAME: 'jane' })).toThrow(
      'USER_AUTH flow not enabled for this client',
    );
  });
});

describe("USER_AUTH with ConfirmSignUp's Session", () => {
  function signedUp(s: SignInSetup, username = 'newbie') {
    signUp(
      {
        ClientId: s.clientId,
        Username: username,
        Password: PASSWORD,
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      },
      s.d,
    );
    const code = s.d.outbox.latestCode(username, 'confirmation');
    return confirmSignUp({ ClientId: s.clientId, Username: username, ConfirmationCode: code }, s.d).Session;
  }

  it('signs the new user in without a password, once', () => {
    const s = signInSetup();
    const session = signedUp(s);

    expectTokens(s.initiate('USER_AUTH', { USERNAME: 'newbie' }, { Session: session }));
    expectRefusal(
      () => s.initiate('USER_AUTH', { USERNAME: 'newbie' }, { Session: session }),
      'NotAuthorizedException',
      'Invalid session for the user, session can only be used once.',
    );
  });

  it('is good only for that user and within the auth session validity', () => {
    const s = signInSetup();
    const first = signedUp(s, 'first');
    signedUp(s, 'second');

    expect(() => s.initiate('USER_AUTH', { USERNAME: 'second' }, { Session: first })).toThrow(
      'Invalid session for the user.',
    );
    s.clock.advance(3 * MINUTE_MS);
    expect(() => s.initiate('USER_AUTH', { USERNAME: 'first' }, { Session: first })).toThrow(
      'Invalid session for the user, session is expired.',
    );
  });

  it('cannot answer a challenge', () => {
    const s = signInSetup();
    const session = signedUp(s);

    expect(() => s.respond('PASSWORD', session, { PASSWORD }, 'newbie')).toThrow(
      'Invalid session for the user.',
    );
  });
});
