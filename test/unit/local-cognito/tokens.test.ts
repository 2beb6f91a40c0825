// The tokens a sign-in ends with: the JWTs' claims and signatures, refreshing (InitiateAuth REFRESH_TOKEN_AUTH and
// GetTokensFromRefreshToken, with rotation), RevokeToken, and GetUser refusing what was revoked or expired.
import { createPublicKey, createVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CognitoError } from '../../../src/local-cognito/errors';
import { addUserPoolClient } from '../../../src/local-cognito/targets/create-user-pool-client';
import { getUser } from '../../../src/local-cognito/targets/get-user';
import { revokeToken } from '../../../src/local-cognito/targets/revoke-token';
import { thrownBy } from '../../support/thrown';
import { BASE_URL, decodeToken, MINUTE_MS, type SignInSetup, signInSetup } from './sign-in-setup';

const thrown = (fn: () => unknown): CognitoError => thrownBy(CognitoError, fn);
const DAY_MS = 24 * 60 * MINUTE_MS;

function expectRefusal(fn: () => unknown, type: string, message: string) {
  const error = thrown(fn);
  expect({ type: error.type, message: error.message }).toEqual({ type, message });
}

function signedIn(s: SignInSetup) {
  const result = s.passwordSignIn().AuthenticationResult;
  if (!result?.RefreshToken) throw new Error('expected tokens');
  return { ...result, RefreshToken: result.RefreshToken };
}

function verifiesWith(s: SignInSetup, token: string): boolean {
  const { header } = decodeToken(token);
  const jwk = s.d.signingKeys.jwks(s.poolId).keys.find((key) => key.kid === header.kid);
  if (!jwk) return false;
  const [head = '', body = '', signature = ''] = token.split('.');
  return createVerify('RSA-SHA256')
    .update(`${head}.${body}`)
    .verify(createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(signature, 'base64url'));
}

describe('the ID and access tokens of a sign-in', () => {
  it("carry Cognito's ID token claims, signed RS256 with a key of the pool's JWKS", () => {
    const s = signInSetup();
    const { sub } = s.seed({
      attributes: { email: 'jane@example.com', phone_number: '+15555550123', name: 'Jane' },
    });
    const now = Math.floor(s.clock.now().getTime() / 1000);

    const { IdToken } = signedIn(s);
    const { header, payload } = decodeToken(IdToken);

    expect(header).toEqual({ kid: expect.any(String), alg: 'RS256' });
    expect(payload).toEqual({
      sub,
      aud: s.clientId,
      email: 'jane@example.com',
      email_verified: true,
      phone_number: '+15555550123',
      phone_number_verified: true,
      name: 'Jane',
      'cognito:username': 'jane',
      token_use: 'id',
      auth_time: now,
      iss: `${BASE_URL}/${s.poolId}`,
      iat: now,
      exp: now + 3600,
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      origin_jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(verifiesWith(s, IdToken)).toBe(true);
  });

  it("carry Cognito's access token claims, signed with the pool's other key", () => {
    const s = signInSetup();
    const { sub } = s.seed();
    const now = Math.floor(s.clock.now().getTime() / 1000);

    const { AccessToken, IdToken } = signedIn(s);
    const { header, payload } = decodeToken(AccessToken);

    expect(payload).toEqual({
      sub,
      client_id: s.clientId,
      username: 'jane',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: now,
      iss: `${BASE_URL}/${s.poolId}`,
      iat: now,
      exp: now + 3600,
      jti: expect.any(String),
      origin_jti: decodeToken(IdToken).payload.origin_jti,
      event_id: decodeToken(IdToken).payload.event_id,
      version: 2,
    });
    expect(header.kid).not.toBe(decodeToken(IdToken).header.kid);
    expect(s.d.signingKeys.jwks(s.poolId).keys.map((key) => key.kid)).toContain(header.kid);
    expect(verifiesWith(s, AccessToken)).toBe(true);
  });

  it("last as long as the client's token validities say", () => {
    const s = signInSetup({
      client: {
        accessTokenValidity: { value: 5, unit: 'minutes' },
        idTokenValidity: { value: 1, unit: 'days' },
      },
    });
    s.seed();

    const result = signedIn(s);

    expect(result.ExpiresIn).toBe(300);
    const lifetime = (token: string) => {
      const { payload } = decodeToken(token);
      return Number(payload.exp) - Number(payload.iat);
    };
    expect(lifetime(result.AccessToken)).toBe(300);
    expect(lifetime(result.IdToken)).toBe(86_400);
  });

  it('name the real username, not the email a user of an email-username pool signs in with', () => {
    const s = signInSetup({ pool: { usernameAttributes: ['email'] } });
    const { username, sub } = s.seed({ username: 'jane@example.com', attributes: {}, verified: ['email'] });

    const { IdToken } = s.passwordSignIn('jane@example.com').AuthenticationResult ?? { IdToken: '' };

    expect(decodeToken(IdToken).payload).toMatchObject({ 'cognito:username': username, sub: username });
    expect(username).toBe(sub);
  });
});

describe('InitiateAuth REFRESH_TOKEN_AUTH', () => {
  it('answers new ID and access tokens of the same sign-in, and no refresh token', () => {
    const s = signInSetup();
    s.seed();
    const first = signedIn(s);
    s.clock.advance(10 * MINUTE_MS);

    const answer = s.initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: first.RefreshToken });

    expect(answer.ChallengeParameters).toEqual({});
    expect(answer.AuthenticationResult).toEqual({
      AccessToken: expect.any(String),
      IdToken: expect.any(String),
      ExpiresIn: 3600,
      TokenType: 'Bearer',
    });
    const before = decodeToken(first.IdToken).payload;
    const after = decodeToken(answer.AuthenticationResult?.IdToken).payload;
    expect(after).toMatchObject({
      origin_jti: before.origin_jti,
      event_id: before.event_id,
      auth_time: before.auth_time,
      iat: Number(before.iat) + 600,
    });
    expect(after.jti).not.toBe(before.jti);
  });

  it('takes SECRET_HASH over the real username, the sub in a pool that signs in by email', () => {
    const s = signInSetup({ pool: { usernameAttributes: ['email'] }, withSecret: true });
    const { username } = s.seed({ username: 'jane@example.com', attributes: {}, verified: ['email'] });
    const { RefreshToken } = s.passwordSignIn('jane@example.com').AuthenticationResult ?? {};
    const refreshWith = (hashedName: string) =>
      s.initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: RefreshToken ?? '', ...s.secretHash(hashedName) });

    expect(refreshWith(username).AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    expectRefusal(
      () => refreshWith('jane@example.com'),
      'NotAuthorizedException',
      `Unable to verify secret hash for client ${s.clientId}`,
    );
  });

  it('is refused on a client that rotates refresh tokens', () => {
    const s = signInSetup({ client: { refreshTokenRotation: { retryGracePeriodSeconds: 0 } } });
    s.seed();
    const { RefreshToken } = signedIn(s);

    expectRefusal(
      () => s.initiate('REFRESH_TOKEN', { REFRESH_TOKEN: RefreshToken }),
      'UnsupportedOperationException',
      'Refresh token rotation is enabled for this app client: refresh with GetTokensFromRefreshToken.',
    );
  });

  it('is refused on a client without ALLOW_REFRESH_TOKEN_AUTH', () => {
    const s = signInSetup({ client: { authFlows: ['ALLOW_USER_PASSWORD_AUTH'] } });
    s.seed();
    const { RefreshToken } = signedIn(s);

    expect(() => s.initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: RefreshToken })).toThrow(
      'REFRESH_TOKEN_AUTH flow not enabled for this client',
    );
  });

  it("refuses a made-up token, another client's token and an expired one", () => {
    const s = signInSetup({ client: { refreshTokenValidity: { value: 60, unit: 'minutes' } } });
    s.seed();
    const { RefreshToken } = signedIn(s);
    const other = signInSetup();
    other.seed();

    expectRefusal(
      () => s.initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: 'made-up' }),
      'NotAuthorizedException',
      'Invalid Refresh Token',
    );
    expectRefusal(
      () => other.initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: RefreshToken }),
      'NotAuthorizedException',
      'Invalid Refresh Token',
    );
    s.clock.advance(60 * MINUTE_MS);
    expectRefusal(
      () => s.initiate('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: RefreshToken }),
      'NotAuthorizedException',
      'Refresh Token has expired',
    );
  });
});

describe('GetTokensFromRefreshToken', () => {
  it('answers new ID and access tokens, and no refresh token when the client does not rotate', () => {
    const s = signInSetup({ withSecret: true });
    s.seed();
    const { RefreshToken } = signedIn(s);

    const { AuthenticationResult } = s.refresh(RefreshToken);

    expect(Object.keys(AuthenticationResult).sort()).toEqual([
      'AccessToken',
      'ExpiresIn',
      'IdToken',
      'TokenType',
    ]);
    expect(s.refresh(RefreshToken).AuthenticationResult.AccessToken).toEqual(expect.any(String));
  });

  it('requires the client secret itself on a client with one', () => {
    const s = signInSetup({ withSecret: true });
    s.seed();
    const { RefreshToken } = signedIn(s);

    for (const ClientSecret of [undefined, 'wrong-secret']) {
      expectRefusal(
        () => s.refresh(RefreshToken, { ClientSecret }),
        'NotAuthorizedException',
        `Unable to verify secret for client ${s.clientId}`,
      );
    }
  });

  it('rotates: a new refresh token each time, the old one good for the grace period, then refused', () => {
    const s = signInSetup({ client: { refreshTokenRotation: { retryGracePeriodSeconds: 30 } } });
    s.seed();
    const { RefreshToken: original } = signedIn(s);

    const rotated = s.refresh(original).AuthenticationResult.RefreshToken ?? '';
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(original);
    s.clock.advance(29_999);
    // A retry within the grace period still works (the first answer may have been lost).
    expect(s.refresh(original).AuthenticationResult.RefreshToken).toEqual(expect.any(String));
    s.clock.advance(1);

    expectRefusal(
      () => s.refresh(original),
      'RefreshTokenReuseException',
      'Refresh token has already been rotated out.',
    );
    expect(s.refresh(rotated).AuthenticationResult.AccessToken).toEqual(expect.any(String));
  });

  it('gives a rotated-in refresh token the full refresh lifetime from its issue', () => {
    const s = signInSetup({
      client: {
        refreshTokenRotation: { retryGracePeriodSeconds: 0 },
        refreshTokenValidity: { value: 1, unit: 'days' },
      },
    });
    s.seed();
    const { RefreshToken } = signedIn(s);
    s.clock.advance(DAY_MS - 1);
    const rotated = s.refresh(RefreshToken).AuthenticationResult.RefreshToken ?? '';

    s.clock.advance(DAY_MS - 1);

    expect(s.refresh(rotated).AuthenticationResult.RefreshToken).toEqual(expect.any(String));
  });
});

describe('RevokeToken', () => {
  const revoke = (s: SignInSetup, token: string, extra = {}) =>
    revokeToken(
      {
        ClientId: s.clientId,
        Token: token,
        ...(s.clientSecret && { ClientSecret: s.clientSecret }),
        ...extra,
      },
      s.d,
    );

  it('revokes the refresh token and the access tokens it issued', () => {
    const s = signInSetup({ withSecret: true });
    s.seed();
    const { RefreshToken, AccessToken } = signedIn(s);
    const refreshed = s.refresh(RefreshToken).AuthenticationResult.AccessToken;
    expect(getUser({ AccessToken }, s.d)).toMatchObject({ Username: 'jane' });

    expect(revoke(s, RefreshToken)).toEqual({});

    expectRefusal(() => s.refresh(RefreshToken), 'NotAuthorizedException', 'Refresh Token has been revoked');
    for (const token of [AccessToken, refreshed]) {
      expectRefusal(
        () => getUser({ AccessToken: token }, s.d),
        'NotAuthorizedException',
        'Access Token has been revoked',
      );
    }
  });

  it("revokes rotation's successors with the token they replaced", () => {
    const s = signInSetup({ client: { refreshTokenRotation: { retryGracePeriodSeconds: 0 } } });
    s.seed();
    const { RefreshToken } = signedIn(s);
    const rotated = s.refresh(RefreshToken).AuthenticationResult.RefreshToken ?? '';

    revoke(s, RefreshToken);

    expectRefusal(() => s.refresh(rotated), 'NotAuthorizedException', 'Refresh Token has been revoked');
  });

  it("answers success for a token it does not know, and refuses an ID or access token and another client's token", () => {
    const s = signInSetup();
    s.seed();
    const { RefreshToken, AccessToken } = signedIn(s);
    const other = addUserPoolClient(s.d, s.poolId, {});

    expect(revoke(s, 'made-up')).toEqual({});
    expect(thrown(() => revoke(s, AccessToken)).type).toBe('UnsupportedTokenTypeException');
    expectRefusal(
      () => revokeToken({ ClientId: other.clientId, Token: RefreshToken }, s.d),
      'UnauthorizedException',
      'The token was not issued to this client.',
    );
    expect(s.refresh(RefreshToken).AuthenticationResult.AccessToken).toEqual(expect.any(String));
  });

  it('refuses a wrong client secret with UnauthorizedException', () => {
    const s = signInSetup({ withSecret: true });
    s.seed();
    const { RefreshToken } = signedIn(s);

    expect(thrown(() => revoke(s, RefreshToken, { ClientSecret: 'wrong' })).type).toBe(
      'UnauthorizedException',
    );
    expect(s.refresh(RefreshToken).AuthenticationResult.AccessToken).toEqual(expect.any(String));
  });
});

describe('GetUser', () => {
  it("answers the access token's user, and refuses it once expired or altered", () => {
    const s = signInSetup();
    const { sub } = s.seed({ mfa: { enabled: ['SMS_MFA'] } });
    const challenge = s.passwordSignIn();
    const { AccessToken } =
      s.respond('SMS_MFA', challenge.Session, { SMS_MFA_CODE: s.signInCode() }).AuthenticationResult ?? {};
    const token = AccessToken ?? '';

    expect(getUser({ AccessToken: token }, s.d)).toEqual({
      Username: 'jane',
      UserAttributes: [
        { Name: 'sub', Value: sub },
        { Name: 'email', Value: 'jane@example.com' },
        { Name: 'phone_number', Value: '+15555550123' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'phone_number_verified', Value: 'true' },
      ],
      UserMFASettingList: ['SMS_MFA'],
    });
    const [head, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...decodeToken(token).payload, username: 'john' })).toString(
      'base64url',
    );
    expectRefusal(
      () => getUser({ AccessToken: `${head}.${forged}.${signature}` }, s.d),
      'NotAuthorizedException',
      'Invalid Access Token',
    );
    s.clock.advance(60 * MINUTE_MS);
    expectRefusal(
      () => getUser({ AccessToken: token }, s.d),
      'NotAuthorizedException',
      'Access Token has expired',
    );
  });

  it('refuses an ID token', () => {
    const s = signInSetup();
    s.seed();

    expectRefusal(
      () => getUser({ AccessToken: signedIn(s).IdToken }, s.d),
      'NotAuthorizedException',
      'Invalid Access Token',
    );
  });
});
