import { validate } from 'class-validator';
import { describe, expect, it } from 'vitest';
import { ClientSecretSource } from '../../../src/cognito/client-secret-source';
import { readIdTokenClaims } from '../../../src/cognito/id-token-claims';
import { computeSecretHash } from '../../../src/cognito/secret-hash';
import { Secret } from '../../../src/secret';
import { refreshTokensCall } from '../../../src/user-pool-calls/refresh-tokens/call';
import {
  challengeResponses,
  choosesCode,
  respondToSignInChallengeCall,
  selectSignInCodeCall,
} from '../../../src/user-pool-calls/respond-to-sign-in-challenge/call';
import { RespondToSignInChallengeInput } from '../../../src/user-pool-calls/respond-to-sign-in-challenge/input';
import { keptTokenInput } from '../../../src/user-pool-calls/shared/kept-token.input';
import type { UserPoolCallSettings } from '../../../src/user-pool-calls/shared/request-fields';
import { SignInChallenge } from '../../../src/user-pool-calls/shared/sign-in-challenge.enum';
import { SignInFactor } from '../../../src/user-pool-calls/shared/sign-in-factor.enum';
import { signInCodeMedium, toSignInOutcome } from '../../../src/user-pool-calls/shared/sign-in-outcome';
import { signedInFacts } from '../../../src/user-pool-calls/shared/signed-in-user';
import { signInCall, signInCodeCall } from '../../../src/user-pool-calls/sign-in/call';
import { asksForCode, SignInInput } from '../../../src/user-pool-calls/sign-in/input';
import { signOutCall } from '../../../src/user-pool-calls/sign-out/call';
import { toRequest } from '../../../src/user-pool-calls/user-pool-call';

const CLIENT_ID = 'abcdefghijklmnopqrstuvwxyz';
const SECRET = 'the-client-secret-0123456789';
const settings: UserPoolCallSettings = {
  clientId: CLIENT_ID,
  clientSecret: new ClientSecretSource(new Secret(SECRET)),
  sendUserContextIp: true,
  analyticsEnabled: false,
};
const caller = { clientIp: '203.0.113.9' };

function jwt(claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256', kid: 'k' })}.${part(claims)}.c2lnbmF0dXJl`;
}

function signIn(fields: Partial<SignInInput>): SignInInput {
  return Object.assign(new SignInInput(), { username: 'jane', ...fields });
}

function respond(fields: Partial<RespondToSignInChallengeInput>): RespondToSignInChallengeInput {
  return Object.assign(new RespondToSignInChallengeInput(), { username: 'jane', session: 's', ...fields });
}

describe('signIn request', () => {
  it('asks USER_AUTH with the password as the preferred challenge, SECRET_HASH in AuthParameters', () => {
    expect(toRequest(signInCall, signIn({ password: 'pw' }), settings, caller)).toEqual({
      ClientId: CLIENT_ID,
      AuthFlow: 'USER_AUTH',
      AuthParameters: {
        USERNAME: 'jane',
        SECRET_HASH: computeSecretHash('jane', CLIENT_ID, SECRET),
        PREFERRED_CHALLENGE: 'PASSWORD',
        PASSWORD: 'pw',
      },
      UserContextData: { IpAddress: '203.0.113.9' },
    });
  });

  it("signs in with confirmSignUp's session as USER_AUTH's top-level Session, with no password", () => {
    const request = toRequest(signInCall, signIn({ session: 'confirm-session' }), settings, caller);
    expect(request).toMatchObject({ AuthFlow: 'USER_AUTH', Session: 'confirm-session' });
    expect(request.AuthParameters).toEqual({
      USERNAME: 'jane',
      SECRET_HASH: computeSecretHash('jane', CLIENT_ID, SECRET),
    });
  });

  it('uses USER_PASSWORD_AUTH where configured, and refuses the session there before any limit', () => {
    const password = { ...settings, signInFlow: 'USER_PASSWORD_AUTH' as const };
    expect(toRequest(signInCall, signIn({ password: 'pw' }), password, caller)).toMatchObject({
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: 'jane', PASSWORD: 'pw', SECRET_HASH: expect.any(String) },
    });
    expect(() => toRequest(signInCall, signIn({ session: 's' }), password, caller)).toThrow(
      expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }),
    );
  });

  it('asks for a one-time code as PREFERRED_CHALLENGE, without a password, and for the factors with nothing', () => {
    const hash = computeSecretHash('jane', CLIENT_ID, SECRET);
    const email = toRequest(
      signInCodeCall,
      signIn({ preferredChallenge: SignInFactor.EMAIL_OTP }),
      settings,
      caller,
    );
    expect(email).toMatchObject({ AuthFlow: 'USER_AUTH' });
    expect(email.AuthParameters).toEqual({
      USERNAME: 'jane',
      SECRET_HASH: hash,
      PREFERRED_CHALLENGE: 'EMAIL_OTP',
    });
    const factors = toRequest(signInCodeCall, signIn({}), settings, caller);
    expect(factors.AuthParameters).toEqual({ USERNAME: 'jane', SECRET_HASH: hash });
    expect(factors.Session).toBeUndefined();
    const password = toRequest(
      signInCall,
      signIn({ preferredChallenge: SignInFactor.PASSWORD, password: 'pw' }),
      settings,
      caller,
    );
    expect(password.AuthParameters).toMatchObject({ PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'pw' });
  });

  it('refuses a one-time code or the factors under USER_PASSWORD_AUTH, naming the setting', () => {
    const flow = { ...settings, signInFlow: 'USER_PASSWORD_AUTH' as const };
    for (const fields of [{ preferredChallenge: SignInFactor.SMS_OTP }, {}])
      expect(() => toRequest(signInCodeCall, signIn(fields), flow, caller)).toThrow(
        expect.objectContaining({
          message: expect.stringContaining('COGNITO_SIGN_IN_FLOW=USER_AUTH'),
          extensions: { code: 'BAD_USER_INPUT' },
        }),
      );
  });

  it('runs the code-sending call, limited like a resend, whenever no secret stands behind the sign-in', () => {
    expect(asksForCode({ password: 'pw' })).toBe(false);
    expect(asksForCode({ session: 's' })).toBe(false);
    expect(asksForCode({ preferredChallenge: SignInFactor.EMAIL_OTP })).toBe(true);
    expect(asksForCode({})).toBe(true);
    expect(signInCodeCall.codeFollowsSecret).toBeUndefined();
    expect(signInCall.codeFollowsSecret).toBe(true);
    expect(signInCodeCall.limitsName).toBe(selectSignInCodeCall.limitsName);
    expect(signInCodeCall.codeMedium?.(signIn({ preferredChallenge: SignInFactor.SMS_OTP }))).toBe('SMS');
    expect(signInCodeCall.codeMedium?.(signIn({}))).toBe('none');
    // A phone-number username is where an SMS code may go; the runner checks it only for a code that may go
    // by SMS (an email code never meets the phone policy: test/integration/attacks/sign-in-codes.test.ts).
    expect(
      signInCodeCall.phoneNumbers?.(
        signIn({ username: '+15005550006', preferredChallenge: SignInFactor.SMS_OTP }),
      ),
    ).toEqual(['+15005550006']);
  });

  it('answers SELECT_CHALLENGE with a one-time code through the code-sending call, and with PASSWORD through the checking one', () => {
    const answer = (fields: Partial<RespondToSignInChallengeInput>) =>
      Object.assign(new RespondToSignInChallengeInput(), {
        username: 'jane',
        session: 's',
        challenge: SignInChallenge.SELECT_CHALLENGE,
        ...fields,
      });
    expect(choosesCode(answer({ answer: SignInChallenge.EMAIL_OTP }))).toBe(true);
    expect(choosesCode(answer({ answer: SignInChallenge.SMS_OTP }))).toBe(true);
    expect(choosesCode(answer({ answer: SignInChallenge.PASSWORD, password: 'pw' }))).toBe(false);
    expect(choosesCode(answer({ challenge: SignInChallenge.EMAIL_OTP, code: '123456' }))).toBe(false);
    expect(selectSignInCodeCall.codeMedium?.(answer({ answer: SignInChallenge.EMAIL_OTP }))).toBe('EMAIL');
    const request = toRequest(
      selectSignInCodeCall,
      answer({ answer: SignInChallenge.SMS_OTP }),
      settings,
      caller,
    );
    expect(request.ChallengeResponses).toMatchObject({ USERNAME: 'jane', ANSWER: 'SMS_OTP' });
  });

  it.each([
    [{ password: 'pw' }, true],
    [{ session: 's' }, true],
    [{}, true],
    [{ preferredChallenge: SignInFactor.EMAIL_OTP }, true],
    [{ preferredChallenge: SignInFactor.SMS_OTP }, true],
    [{ preferredChallenge: SignInFactor.PASSWORD, password: 'pw' }, true],
    [{ password: 'pw', session: 's' }, false],
    [{ session: 's', preferredChallenge: SignInFactor.EMAIL_OTP }, false],
    [{ preferredChallenge: SignInFactor.PASSWORD }, false],
    [{ preferredChallenge: SignInFactor.EMAIL_OTP, password: 'pw' }, false],
  ])(
    'accepts one way in (password, session, a one-time code, or the username alone): %o -> %s',
    async (fields, valid) => {
      const errors = await validate(signIn(fields), { skipMissingProperties: true });
      expect(errors.length === 0).toBe(valid);
    },
  );
});

describe('respondToSignInChallenge request', () => {
  it.each([
    [SignInChallenge.SMS_MFA, { SMS_MFA_CODE: '123456' }],
    [SignInChallenge.EMAIL_OTP, { EMAIL_OTP_CODE: '123456' }],
    [SignInChallenge.SMS_OTP, { SMS_OTP_CODE: '123456' }],
    [SignInChallenge.SOFTWARE_TOKEN_MFA, { SOFTWARE_TOKEN_MFA_CODE: '123456' }],
  ])('answers %s with its code field', (challenge, expected) => {
    expect(challengeResponses(respond({ challenge, code: '123456' }))).toEqual(expected);
  });

  it('answers NEW_PASSWORD_REQUIRED with the new password and the required attributes', () => {
    expect(
      challengeResponses(
        respond({
          challenge: SignInChallenge.NEW_PASSWORD_REQUIRED,
          newPassword: 'New-passw0rd!',
          userAttributes: [{ name: 'name', value: 'Jane' }],
        }),
      ),
    ).toEqual({ NEW_PASSWORD: 'New-passw0rd!', 'userAttributes.name': 'Jane' });
  });

  it('answers SELECT_CHALLENGE with the factor, and the password for PASSWORD', () => {
    expect(
      challengeResponses(
        respond({
          challenge: SignInChallenge.SELECT_CHALLENGE,
          answer: SignInChallenge.PASSWORD,
          password: 'pw',
        }),
      ),
    ).toEqual({ ANSWER: 'PASSWORD', PASSWORD: 'pw' });
  });

  it('puts USERNAME, SECRET_HASH, the challenge name and the session in the request', () => {
    const request = toRequest(
      respondToSignInChallengeCall,
      respond({ challenge: SignInChallenge.SMS_MFA, code: '1', session: 'sess' }),
      settings,
      caller,
    );
    expect(request).toMatchObject({
      ChallengeName: 'SMS_MFA',
      Session: 'sess',
      ChallengeResponses: {
        USERNAME: 'jane',
        SECRET_HASH: computeSecretHash('jane', CLIENT_ID, SECRET),
        SMS_MFA_CODE: '1',
      },
    });
  });

  it.each([
    [{ challenge: SignInChallenge.SMS_MFA }, false],
    [{ challenge: SignInChallenge.SMS_MFA, code: '1' }, true],
    [{ challenge: SignInChallenge.NEW_PASSWORD_REQUIRED, code: '1' }, false],
    [{ challenge: SignInChallenge.SELECT_CHALLENGE, answer: SignInChallenge.PASSWORD }, false],
    [{ challenge: SignInChallenge.SELECT_CHALLENGE, answer: SignInChallenge.SMS_MFA }, false],
    [{ challenge: SignInChallenge.SELECT_CHALLENGE, answer: SignInChallenge.EMAIL_OTP }, true],
    [{ challenge: SignInChallenge.MFA_SETUP, code: '1' }, false],
  ])('validates that the input answers its challenge: %o -> %s', async (fields, valid) => {
    const errors = await validate(respond(fields), { skipMissingProperties: true });
    expect(errors.length === 0).toBe(valid);
  });
});

describe('sign-in answers', () => {
  const idToken = jwt({
    sub: 'sub-1',
    'cognito:username': 'sub-1',
    email: 'jane@example.com',
    email_verified: true,
    phone_number: '+14155550100',
    phone_number_verified: false,
  });

  it('keeps the refresh token out of the payload, with the pool username its SECRET_HASH needs', () => {
    const outcome = toSignInOutcome(
      {
        AuthenticationResult: {
          AccessToken: 'a',
          IdToken: idToken,
          RefreshToken: 'r',
          ExpiresIn: 3600,
          TokenType: 'Bearer',
        },
      },
      'jane@example.com',
    );
    expect(outcome.payload.tokens).toEqual({
      accessToken: 'a',
      idToken,
      expiresIn: 3600,
      tokenType: 'Bearer',
      refreshToken: null,
    });
    expect(outcome.refresh).toEqual({ token: 'r', username: 'sub-1' });
    expect(JSON.stringify(outcome.payload)).not.toContain('"r"');
  });

  it('answers a challenge as the next step, with where the code went and the pool username', () => {
    const outcome = toSignInOutcome(
      {
        ChallengeName: 'SMS_MFA',
        Session: 'sess',
        ChallengeParameters: {
          CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS',
          CODE_DELIVERY_DESTINATION: '+*******0100',
          USER_ID_FOR_SRP: 'sub-1',
        },
      },
      'jane@example.com',
    );
    expect(outcome.payload.tokens).toBeNull();
    expect(outcome.payload.nextStep).toMatchObject({
      challenge: 'SMS_MFA',
      session: 'sess',
      username: 'sub-1',
      codeDeliveryDetails: {
        deliveryMedium: 'SMS',
        destination: '+*******0100',
        attributeName: 'phone_number',
      },
    });
    expect(signInCodeMedium({ ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS' } })).toBe('SMS');
  });

  it('names an unknown challenge UNSUPPORTED and lists the required attributes without their prefix', () => {
    expect(
      toSignInOutcome({ ChallengeName: 'SOMETHING_NEW', Session: 's' }, 'jane').payload.nextStep?.challenge,
    ).toBe('UNSUPPORTED');
    expect(
      toSignInOutcome(
        {
          ChallengeName: 'NEW_PASSWORD_REQUIRED',
          Session: 's',
          ChallengeParameters: { requiredAttributes: '["userAttributes.name"]' },
        },
        'jane',
      ).payload.nextStep?.requiredAttributes,
    ).toEqual(['name']);
  });

  it('links every identifier of the signed-in user to their destinations, as a look-up would', () => {
    const outcome = toSignInOutcome(
      { AuthenticationResult: { AccessToken: 'a', IdToken: idToken } },
      'jane@example.com',
    );
    const facts = signedInFacts('jane@example.com', outcome, {
      usernameAttributes: new Set(['email']),
      lookupUsers: false,
    });
    expect(facts?.identifiers).toEqual(expect.arrayContaining(['jane@example.com', 'sub-1']));
    expect(facts?.sub).toBe('sub-1');
    expect(facts?.destinations).toHaveLength(2);
    expect(facts?.phoneNumbers).toEqual(['+14155550100']);
  });

  it('reads no claims from something that is not a JWT', () => {
    expect(readIdTokenClaims('not-a-token')).toBeUndefined();
    expect(readIdTokenClaims(`a.${Buffer.from('[]').toString('base64url')}.c`)).toBeUndefined();
    expect(readIdTokenClaims(undefined)).toBeUndefined();
  });
});

describe('refresh and revocation requests', () => {
  const kept = keptTokenInput({ token: 'refresh-1', username: 'sub-1', deviceKey: 'dev-1' });

  it('refreshes with GetTokensFromRefreshToken and the client secret itself', () => {
    expect(toRequest(refreshTokensCall, kept, settings, caller)).toEqual({
      flow: 'GetTokensFromRefreshToken',
      input: { ClientId: CLIENT_ID, ClientSecret: SECRET, RefreshToken: 'refresh-1', DeviceKey: 'dev-1' },
    });
  });

  it("refreshes with REFRESH_TOKEN_AUTH and a SECRET_HASH over the pool's username where configured", () => {
    const request = toRequest(
      refreshTokensCall,
      kept,
      { ...settings, refreshFlow: 'REFRESH_TOKEN_AUTH' },
      caller,
    );
    expect(request).toEqual({
      flow: 'REFRESH_TOKEN_AUTH',
      input: {
        ClientId: CLIENT_ID,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: {
          REFRESH_TOKEN: 'refresh-1',
          SECRET_HASH: computeSecretHash('sub-1', CLIENT_ID, SECRET),
          DEVICE_KEY: 'dev-1',
        },
        UserContextData: { IpAddress: '203.0.113.9' },
      },
    });
  });

  it('revokes with RevokeToken and the client secret', () => {
    expect(toRequest(signOutCall, kept, settings, caller)).toEqual({
      ClientId: CLIENT_ID,
      ClientSecret: SECRET,
      Token: 'refresh-1',
    });
  });
});
