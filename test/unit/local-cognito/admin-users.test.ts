// What an administrator does to users for sign-in: AdminCreateUser (temporary password, invitation),
// AdminSetUserMFAPreference, and the seeding options that set up the same states without the API.
import { describe, expect, it } from 'vitest';
import { CognitoError } from '../../../src/local-cognito/errors';
import { parseSeedRequest, SeedRequestError } from '../../../src/local-cognito/seeding';
import { adminCreateUser } from '../../../src/local-cognito/targets/admin-create-user';
import { adminGetUser } from '../../../src/local-cognito/targets/admin-get-user';
import { adminSetUserMfaPreference } from '../../../src/local-cognito/targets/admin-set-user-mfa-preference';
import type { JsonObject } from '../../../src/local-cognito/types';
import { thrownBy } from '../../support/thrown';
import { type SignInSetup, signInSetup } from './sign-in-setup';

const thrown = (fn: () => unknown): CognitoError => thrownBy(CognitoError, fn);

function create(s: SignInSetup, request: JsonObject = {}) {
  return adminCreateUser(
    {
      UserPoolId: s.poolId,
      Username: 'jane',
      UserAttributes: [{ Name: 'email', Value: 'jane@example.com' }],
      ...request,
    },
    s.d,
  );
}

function setMfa(s: SignInSetup, settings: JsonObject, username = 'jane') {
  return adminSetUserMfaPreference({ UserPoolId: s.poolId, Username: username, ...settings }, s.d);
}

describe('local Cognito AdminCreateUser', () => {
  it('creates the user in FORCE_CHANGE_PASSWORD and answers it as Cognito does', () => {
    const s = signInSetup();

    const { User } = create(s, { TemporaryPassword: 'temporary-1', MessageAction: 'SUPPRESS' });

    expect(User).toEqual({
      Username: 'jane',
      Attributes: [
        { Name: 'sub', Value: expect.any(String) },
        { Name: 'email', Value: 'jane@example.com' },
      ],
      UserCreateDate: expect.any(Number),
      UserLastModifiedDate: expect.any(Number),
      Enabled: true,
      UserStatus: 'FORCE_CHANGE_PASSWORD',
    });
  });

  it('sends the invitation with the temporary password to the outbox, for the first sign-in', () => {
    const s = signInSetup();

    create(s, { TemporaryPassword: 'temporary-1', DesiredDeliveryMediums: ['EMAIL'] });

    expect(s.d.outbox.list()).toEqual([
      expect.objectContaining({
        reason: 'AdminCreateUser',
        purpose: 'invitation',
        code: 'temporary-1',
        medium: 'EMAIL',
        destination: 'jane@example.com',
      }),
    ]);
    expect(s.d.outbox.list()[0]).not.toHaveProperty('clientId');
    expect(s.passwordSignIn('jane', 'temporary-1').ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('makes up a temporary password when given none, and sends it where it can without a medium asked for', () => {
    const s = signInSetup();

    create(s);
    const [invitation] = s.d.outbox.list({ purpose: 'invitation' });

    expect(invitation?.medium).toBe('EMAIL');
    expect(s.passwordSignIn('jane', invitation?.code).ChallengeName).toBe('NEW_PASSWORD_REQUIRED');
  });

  it('sends nothing with MessageAction SUPPRESS', () => {
    const s = signInSetup();

    create(s, { MessageAction: 'SUPPRESS' });

    expect(s.d.outbox.list()).toEqual([]);
  });

  it('refuses a temporary password that fails the policy, and a medium the user has no address for', () => {
    const s = signInSetup();

    expect(thrown(() => create(s, { TemporaryPassword: 'short' })).type).toBe('InvalidPasswordException');
    expect(thrown(() => create(s, { DesiredDeliveryMediums: ['SMS'] })).message).toBe(
      'The user has no phone_number to send the invitation to.',
    );
  });

  it('lets the administrator mark the email verified, which SignUp never can', () => {
    const s = signInSetup();

    create(s, {
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: 'jane@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ],
    });

    expect(s.d.store.findUser(s.poolId, 'jane')?.attributes.get('email_verified')).toBe('true');
  });

  it('refuses an existing username', () => {
    const s = signInSetup();
    s.seed();

    expect(thrown(() => create(s)).type).toBe('UsernameExistsException');
  });
});

describe('local Cognito AdminSetUserMFAPreference', () => {
  it('turns factors on, with a preferred one, as AdminGetUser then reports', () => {
    const s = signInSetup();
    s.seed({ totpSecret: 'JBSWY3DPEHPK3PXP' });

    expect(
      setMfa(s, {
        SMSMfaSettings: { Enabled: true },
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    ).toEqual({});

    expect(adminGetUser({ UserPoolId: s.poolId, Username: 'jane' }, s.d)).toMatchObject({
      PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
      UserMFASettingList: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'],
    });
    expect(s.passwordSignIn().ChallengeName).toBe('SOFTWARE_TOKEN_MFA');
  });

  it('turns a factor off, and with it the preference for it', () => {
    const s = signInSetup();
    s.seed({ mfa: { enabled: ['SMS_MFA', 'EMAIL_OTP'], preferred: 'SMS_MFA' } });

    setMfa(s, { SMSMfaSettings: { Enabled: false } });

    const user = adminGetUser({ UserPoolId: s.poolId, Username: 'jane' }, s.d);
    expect(user.PreferredMfaSetting).toBeUndefined();
    expect(user.UserMFASettingList).toEqual(['EMAIL_OTP']);
    expect(s.passwordSignIn().ChallengeName).toBe('EMAIL_OTP');
  });

  it("refuses a factor with nowhere to go, in Cognito's words", () => {
    const s = signInSetup();
    s.seed({ attributes: { email: 'jane@example.com' }, verified: ['email'] });

    expect(thrown(() => setMfa(s, { SMSMfaSettings: { Enabled: true } })).message).toBe(
      'User does not have delivery config set to turn on SMS_MFA',
    );
    expect(thrown(() => setMfa(s, { SoftwareTokenMfaSettings: { Enabled: true } })).message).toBe(
      'User has not verified software token mfa',
    );
  });

  it('refuses to prefer a factor that is off, and two at once', () => {
    const s = signInSetup();
    s.seed();

    expect(thrown(() => setMfa(s, { SMSMfaSettings: { PreferredMfa: true } })).type).toBe(
      'InvalidParameterException',
    );
    expect(
      thrown(() =>
        setMfa(s, {
          SMSMfaSettings: { Enabled: true, PreferredMfa: true },
          EmailMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      ).message,
    ).toBe('Only one MFA type can be preferred.');
    expect(adminGetUser({ UserPoolId: s.poolId, Username: 'jane' }, s.d).UserMFASettingList).toBeUndefined();
  });

  it('answers an unknown user with UserNotFoundException', () => {
    const s = signInSetup();

    expect(thrown(() => setMfa(s, { SMSMfaSettings: { Enabled: true } }, 'nobody')).type).toBe(
      'UserNotFoundException',
    );
  });
});

describe('seeding users for sign-in', () => {
  it('reads MFA settings, a TOTP secret and the sign-in statuses from POST /_local/users', () => {
    expect(
      parseSeedRequest({
        userPoolId: 'us-east-1_Pool12345',
        username: 'jane',
        status: 'FORCE_CHANGE_PASSWORD',
        mfa: { enabled: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'], preferred: 'SMS_MFA' },
        totpSecret: 'JBSWY3DPEHPK3PXP',
      }),
    ).toEqual({
      poolId: 'us-east-1_Pool12345',
      options: {
        username: 'jane',
        status: 'FORCE_CHANGE_PASSWORD',
        mfa: { enabled: ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'], preferred: 'SMS_MFA' },
        totpSecret: 'JBSWY3DPEHPK3PXP',
      },
    });
    expect(
      parseSeedRequest({ userPoolId: 'p_1', username: 'j', status: 'RESET_REQUIRED' }).options.status,
    ).toBe('RESET_REQUIRED');
  });

  it('refuses an unknown MFA factor', () => {
    expect(() => parseSeedRequest({ userPoolId: 'p_1', username: 'j', mfa: { enabled: ['VOICE'] } })).toThrow(
      SeedRequestError,
    );
  });

  it('refuses a TOTP secret that is not base32, a preference outside the factors, and TOTP without a secret', () => {
    const s = signInSetup();

    expect(() => s.seed({ totpSecret: 'not base32!' })).toThrow('totpSecret must be a base32 string.');
    expect(() => s.seed({ mfa: { enabled: ['SMS_MFA'], preferred: 'EMAIL_OTP' } })).toThrow(
      'mfa.preferred must be one of mfa.enabled.',
    );
    expect(thrown(() => s.seed({ mfa: { enabled: ['SOFTWARE_TOKEN_MFA'] } })).message).toBe(
      'User has not verified software token mfa',
    );
    // Nothing was left behind by the refusals.
    expect(s.d.store.findUser(s.poolId, 'jane')).toBeUndefined();
  });
});
