// An app client's sign-in settings through CreateUserPoolClient as a plain function: Cognito's defaults, its
// validation, and which InitiateAuth flows a client lets through.
import { describe, expect, it } from 'vitest';
import { requireAuthFlow } from '../../../src/local-cognito/app-client-settings';
import { CognitoError } from '../../../src/local-cognito/errors';
import { newServices } from '../../../src/local-cognito/services';
import { addUserPool } from '../../../src/local-cognito/targets/create-user-pool';
import {
  addUserPoolClient,
  createUserPoolClient,
} from '../../../src/local-cognito/targets/create-user-pool-client';
import type { JsonObject } from '../../../src/local-cognito/types';
import { thrownBy } from '../../support/thrown';

const thrown = (fn: () => unknown): CognitoError => thrownBy(CognitoError, fn);

function create(settings: JsonObject = {}) {
  const d = newServices({ baseUrl: 'http://127.0.0.1:9229' });
  const { id } = addUserPool(d, {});
  return createUserPoolClient({ UserPoolId: id, ClientName: 'app', ...settings }, d).UserPoolClient;
}

function clientWith(authFlows: Parameters<typeof addUserPoolClient>[2]['authFlows']) {
  const d = newServices({ baseUrl: 'http://127.0.0.1:9229' });
  const { id } = addUserPool(d, {});
  return addUserPoolClient(d, id, { ...(authFlows && { authFlows }) });
}

describe('local Cognito app client sign-in settings', () => {
  it("answers Cognito's defaults: SRP, custom and refresh flows, 60-minute tokens, 30-day refresh, 3-minute sessions", () => {
    expect(create()).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'],
      AccessTokenValidity: 60,
      IdTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' },
      AuthSessionValidity: 3,
      EnableTokenRevocation: true,
      RefreshTokenRotation: { Feature: 'DISABLED' },
    });
  });

  it('keeps the flows, validities with their units, session validity and rotation it was given', () => {
    const client = create({
      ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH'],
      AccessTokenValidity: 5,
      IdTokenValidity: 2,
      RefreshTokenValidity: 90,
      TokenValidityUnits: { AccessToken: 'minutes', RefreshToken: 'minutes' },
      AuthSessionValidity: 15,
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 30 },
    });

    expect(client).toMatchObject({
      ExplicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH'],
      AccessTokenValidity: 5,
      IdTokenValidity: 2,
      RefreshTokenValidity: 90,
      // IdToken was left out: its unit stays hours.
      TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'minutes' },
      AuthSessionValidity: 15,
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 30 },
    });
  });

  it('replaces a RefreshTokenValidity of 0 with the 30-day default, as Cognito does', () => {
    expect(create({ RefreshTokenValidity: 0 })).toMatchObject({
      RefreshTokenValidity: 30,
      TokenValidityUnits: { RefreshToken: 'days' },
    });
  });

  it.each([
    [{ AccessTokenValidity: 4, TokenValidityUnits: { AccessToken: 'minutes' } }, 'AccessTokenValidity'],
    [{ IdTokenValidity: 25 }, 'IdTokenValidity'],
    [{ RefreshTokenValidity: 59, TokenValidityUnits: { RefreshToken: 'minutes' } }, 'RefreshTokenValidity'],
    [{ RefreshTokenValidity: 3651 }, 'RefreshTokenValidity'],
  ])('refuses a token validity outside its documented range (%o)', (settings, field) => {
    const error = thrown(() => create(settings));

    expect(error.type).toBe('InvalidParameterException');
    expect(error.message).toMatch(new RegExp(`^${field} must be between`));
  });

  it('refuses an AuthSessionValidity outside 3 to 15 minutes with a validation error', () => {
    expect(thrown(() => create({ AuthSessionValidity: 2 })).message).toBe(
      "1 validation error detected: Value '2' at 'authSessionValidity' failed to satisfy constraint: Member must have value greater than or equal to 3",
    );
    expect(thrown(() => create({ AuthSessionValidity: 16 })).type).toBe('InvalidParameterException');
  });

  it('refuses an unknown flow, and legacy flows mixed with ALLOW_ ones', () => {
    expect(thrown(() => create({ ExplicitAuthFlows: ['ALLOW_EVERYTHING'] })).message).toMatch(
      /^1 validation error detected: Value '\[ALLOW_EVERYTHING\]' at 'explicitAuthFlows'/,
    );
    expect(
      thrown(() => create({ ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })).type,
    ).toBe('InvalidParameterException');
  });

  it('refuses a rotation setting that is not ENABLED or DISABLED, or a grace period over 60 seconds', () => {
    expect(thrown(() => create({ RefreshTokenRotation: { Feature: 'ON' } })).type).toBe(
      'InvalidParameterException',
    );
    expect(
      thrown(() => create({ RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 61 } }))
        .message,
    ).toMatch(
      /retryGracePeriodSeconds' failed to satisfy constraint: Member must have value less than or equal to 60/,
    );
  });
});

describe('which InitiateAuth flows an app client lets through', () => {
  it("lets through exactly the listed ALLOW_ flows, refusing others in Cognito's words", () => {
    const client = clientWith(['ALLOW_USER_AUTH']);

    expect(() => requireAuthFlow(client, 'USER_AUTH')).not.toThrow();
    const refused = thrown(() => requireAuthFlow(client, 'USER_PASSWORD_AUTH'));
    expect(refused.type).toBe('InvalidParameterException');
    expect(refused.message).toBe('USER_PASSWORD_AUTH flow not enabled for this client');
    expect(thrown(() => requireAuthFlow(client, 'REFRESH_TOKEN_AUTH')).message).toBe(
      'REFRESH_TOKEN_AUTH flow not enabled for this client',
    );
  });

  it('treats REFRESH_TOKEN as REFRESH_TOKEN_AUTH', () => {
    const client = clientWith(['ALLOW_REFRESH_TOKEN_AUTH']);

    expect(() => requireAuthFlow(client, 'REFRESH_TOKEN')).not.toThrow();
  });

  it('lets a legacy USER_PASSWORD_AUTH client sign in by password and refresh, as legacy clients always could', () => {
    const client = clientWith(['USER_PASSWORD_AUTH']);

    expect(() => requireAuthFlow(client, 'USER_PASSWORD_AUTH')).not.toThrow();
    expect(() => requireAuthFlow(client, 'REFRESH_TOKEN_AUTH')).not.toThrow();
    expect(() => requireAuthFlow(client, 'USER_AUTH')).toThrow(CognitoError);
  });

  it('gives a client made through the programmatic API password sign-in and refresh by default', () => {
    const client = clientWith(undefined);

    expect(client.authFlows).toEqual(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']);
  });
});
