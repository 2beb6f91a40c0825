import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig as loadWithCalls } from '../../../src/config';
import { thrownBy } from '../../support/thrown';
import { loadConfig, PRODUCTION_REMOTE, problemsOf, REMOTE } from './support';

describe('the abuse limits', () => {
  it('reads the abuse limits, 0 meaning off, and the shared Redis store', () => {
    const config = loadConfig({
      ...REMOTE,
      LIMIT_USERNAME_COOLDOWN_SECONDS: '0',
      LIMIT_USERNAME_PER_HOUR: '10',
      LIMIT_IP_PER_HOUR: '100',
      LIMIT_USERNAME_CASE_SENSITIVE: 'true',
      REDIS_URL: 'redis://redis.internal:6379/0',
      GRAPHQL_MAX_ALIASES: '2',
    });
    expect(config.limits).toEqual({
      calls: {
        ResendConfirmationCode: { usernameCooldownSeconds: 0, usernamePerHour: 10, ipPerHour: 100 },
        SignUp: { ipPerHour: 10 },
        ConfirmSignUp: { ipPerHour: 60, failuresUsernameIpPerHour: 5, failuresUsernamePerHour: 100 },
        ForgotPassword: { usernameCooldownSeconds: 60, usernamePerHour: 5, ipPerHour: 30 },
        ConfirmForgotPassword: { ipPerHour: 60, failuresUsernameIpPerHour: 5, failuresUsernamePerHour: 100 },
        InitiateAuth: {
          ipPerHour: 120,
          failuresIpPerHour: 30,
          failuresUsernameIpPerHour: 10,
          failuresUsernamePerHour: 100,
        },
        RespondToAuthChallenge: {
          ipPerHour: 120,
          failuresIpPerHour: 30,
          failuresUsernameIpPerHour: 5,
          failuresUsernamePerHour: 100,
        },
        SignInCode: { usernameCooldownSeconds: 60, usernamePerHour: 5, ipPerHour: 30 },
        GetTokensFromRefreshToken: { ipPerHour: 600, failuresIpPerHour: 30 },
        RevokeToken: { ipPerHour: 120 },
      },
      destinationPerHour: 5,
      smsPerCountryPerHour: 100,
      smsPerHour: 300,
      emailPerHour: 1_000,
      unknownDestinationPerHour: 20,
      linkRetentionSeconds: 365 * 86_400,
      usernameCaseSensitive: true,
      ipv6PrefixBits: 64,
      redis: { mode: 'single', nodes: [{ host: 'redis.internal', port: 6379 }], tls: false },
    });
    expect(config.graphql.maxAliases).toBe(2);
    expect(
      problemsOf({ REDIS_URL: 'localhost:6379', LIMIT_IP_PER_HOUR: '-1' }).map((p) => p.split(':')[0]),
    ).toEqual(['LIMIT_IP_PER_HOUR', 'REDIS_URL']);
  });

  it("bounds the in-memory limit store at LIMIT_MEMORY_MAX_MB when set (the store's default otherwise)", () => {
    expect(loadConfig(REMOTE).limits.memoryMaxMb).toBeUndefined();
    expect(loadConfig({ ...REMOTE, LIMIT_MEMORY_MAX_MB: '512' }).limits.memoryMaxMb).toBe(512);
    expect(problemsOf({ LIMIT_MEMORY_MAX_MB: '4' })).toEqual([
      'LIMIT_MEMORY_MAX_MB: must be a whole number from 8 to 65536',
    ]);
  });

  describe('abuse-limit defaults', () => {
    const PRODUCTION_LIMITS = {
      calls: {
        ResendConfirmationCode: { usernameCooldownSeconds: 60, usernamePerHour: 5, ipPerHour: 30 },
        SignUp: { ipPerHour: 10 },
        ConfirmSignUp: { ipPerHour: 60, failuresUsernameIpPerHour: 5, failuresUsernamePerHour: 100 },
        ForgotPassword: { usernameCooldownSeconds: 60, usernamePerHour: 5, ipPerHour: 30 },
        ConfirmForgotPassword: { ipPerHour: 60, failuresUsernameIpPerHour: 5, failuresUsernamePerHour: 100 },
        InitiateAuth: {
          ipPerHour: 120,
          failuresIpPerHour: 30,
          failuresUsernameIpPerHour: 10,
          failuresUsernamePerHour: 100,
        },
        RespondToAuthChallenge: {
          ipPerHour: 120,
          failuresIpPerHour: 30,
          failuresUsernameIpPerHour: 5,
          failuresUsernamePerHour: 100,
        },
        SignInCode: { usernameCooldownSeconds: 60, usernamePerHour: 5, ipPerHour: 30 },
        GetTokensFromRefreshToken: { ipPerHour: 600, failuresIpPerHour: 30 },
        RevokeToken: { ipPerHour: 120 },
      },
      destinationPerHour: 5,
      smsPerCountryPerHour: 100,
      smsPerHour: 300,
      emailPerHour: 1_000,
      unknownDestinationPerHour: 20,
      linkRetentionSeconds: 365 * 86_400,
      usernameCaseSensitive: false,
      ipv6PrefixBits: 64,
    };
    const DEVELOPMENT_LIMITS = {
      calls: {
        ResendConfirmationCode: { usernameCooldownSeconds: 0, usernamePerHour: 1_000, ipPerHour: 1_000 },
        SignUp: { ipPerHour: 1_000 },
        ConfirmSignUp: { ipPerHour: 1_000, failuresUsernameIpPerHour: 1_000, failuresUsernamePerHour: 1_000 },
        ForgotPassword: { usernameCooldownSeconds: 0, usernamePerHour: 1_000, ipPerHour: 1_000 },
        ConfirmForgotPassword: {
          ipPerHour: 1_000,
          failuresUsernameIpPerHour: 1_000,
          failuresUsernamePerHour: 1_000,
        },
        InitiateAuth: {
          ipPerHour: 1_000,
          failuresIpPerHour: 1_000,
          failuresUsernameIpPerHour: 1_000,
          failuresUsernamePerHour: 1_000,
        },
        RespondToAuthChallenge: {
          ipPerHour: 1_000,
          failuresIpPerHour: 1_000,
          failuresUsernameIpPerHour: 1_000,
          failuresUsernamePerHour: 1_000,
        },
        SignInCode: { usernameCooldownSeconds: 0, usernamePerHour: 1_000, ipPerHour: 1_000 },
        GetTokensFromRefreshToken: { ipPerHour: 10_000, failuresIpPerHour: 1_000 },
        RevokeToken: { ipPerHour: 10_000 },
      },
      destinationPerHour: 1_000,
      smsPerCountryPerHour: 1_000,
      smsPerHour: 1_000,
      emailPerHour: 10_000,
      unknownDestinationPerHour: 1_000,
      linkRetentionSeconds: 365 * 86_400,
      usernameCaseSensitive: false,
      ipv6PrefixBits: 64,
    };

    it('are the production ones against a remote Cognito, whatever NODE_ENV', () => {
      expect(loadConfig(PRODUCTION_REMOTE).limits).toEqual(PRODUCTION_LIMITS);
      expect(loadConfig({ ...REMOTE, NODE_ENV: 'development' }).limits).toEqual(PRODUCTION_LIMITS);
      expect(loadConfig({ ...REMOTE, COGNITO_ENDPOINT: 'http://127.0.0.1:9229' }).limits).toEqual(
        PRODUCTION_LIMITS,
      );
    });

    it('are generous development ones in local mode (the embedded stand-in)', () => {
      expect(loadConfig({}).limits).toEqual(DEVELOPMENT_LIMITS);
      expect(loadConfig({ NODE_ENV: 'test', LOCAL_COGNITO_PORT: '9229' }).limits).toEqual(DEVELOPMENT_LIMITS);
    });

    it('give way to every LIMIT_* variable set explicitly, in local mode as in production', () => {
      const explicit = {
        LIMIT_USERNAME_COOLDOWN_SECONDS: '30',
        LIMIT_USERNAME_PER_HOUR: '2',
        LIMIT_IP_PER_HOUR: '3',
        LIMIT_SIGN_UP_IP_PER_HOUR: '4',
        LIMIT_DESTINATION_PER_HOUR: '0',
        LIMIT_SMS_PER_COUNTRY_PER_HOUR: '15',
        LIMIT_SMS_PER_HOUR: '16',
        LIMIT_EMAIL_PER_HOUR: '17',
        LIMIT_UNKNOWN_DESTINATION_PER_HOUR: '18',
        LIMIT_CONFIRM_FAILURES_USERNAME_IP_PER_HOUR: '6',
        LIMIT_CONFIRM_FAILURES_USERNAME_PER_HOUR: '7',
        LIMIT_CONFIRM_IP_PER_HOUR: '8',
        LIMIT_FORGOT_PASSWORD_USERNAME_COOLDOWN_SECONDS: '9',
        LIMIT_FORGOT_PASSWORD_USERNAME_PER_HOUR: '10',
        LIMIT_FORGOT_PASSWORD_IP_PER_HOUR: '11',
        LIMIT_CONFIRM_FORGOT_PASSWORD_IP_PER_HOUR: '12',
        LIMIT_CONFIRM_FORGOT_PASSWORD_FAILURES_USERNAME_IP_PER_HOUR: '13',
        LIMIT_CONFIRM_FORGOT_PASSWORD_FAILURES_USERNAME_PER_HOUR: '14',
        LIMIT_SIGN_IN_IP_PER_HOUR: '19',
        LIMIT_SIGN_IN_FAILURES_IP_PER_HOUR: '20',
        LIMIT_SIGN_IN_FAILURES_USERNAME_IP_PER_HOUR: '21',
        LIMIT_SIGN_IN_FAILURES_USERNAME_PER_HOUR: '22',
        LIMIT_SIGN_IN_CHALLENGE_IP_PER_HOUR: '23',
        LIMIT_SIGN_IN_CHALLENGE_FAILURES_IP_PER_HOUR: '24',
        LIMIT_SIGN_IN_CHALLENGE_FAILURES_USERNAME_IP_PER_HOUR: '25',
        LIMIT_SIGN_IN_CHALLENGE_FAILURES_USERNAME_PER_HOUR: '26',
        LIMIT_REFRESH_IP_PER_HOUR: '27',
        LIMIT_REFRESH_FAILURES_IP_PER_HOUR: '28',
        LIMIT_SIGN_OUT_IP_PER_HOUR: '29',
        LIMIT_SIGN_IN_CODE_USERNAME_COOLDOWN_SECONDS: '31',
        LIMIT_SIGN_IN_CODE_USERNAME_PER_HOUR: '32',
        LIMIT_SIGN_IN_CODE_IP_PER_HOUR: '33',
      };
      const set = {
        calls: {
          ResendConfirmationCode: { usernameCooldownSeconds: 30, usernamePerHour: 2, ipPerHour: 3 },
          SignUp: { ipPerHour: 4 },
          ConfirmSignUp: { ipPerHour: 8, failuresUsernameIpPerHour: 6, failuresUsernamePerHour: 7 },
          ForgotPassword: { usernameCooldownSeconds: 9, usernamePerHour: 10, ipPerHour: 11 },
          ConfirmForgotPassword: {
            ipPerHour: 12,
            failuresUsernameIpPerHour: 13,
            failuresUsernamePerHour: 14,
          },
          InitiateAuth: {
            ipPerHour: 19,
            failuresIpPerHour: 20,
            failuresUsernameIpPerHour: 21,
            failuresUsernamePerHour: 22,
          },
          RespondToAuthChallenge: {
            ipPerHour: 23,
            failuresIpPerHour: 24,
            failuresUsernameIpPerHour: 25,
            failuresUsernamePerHour: 26,
          },
          SignInCode: { usernameCooldownSeconds: 31, usernamePerHour: 32, ipPerHour: 33 },
          GetTokensFromRefreshToken: { ipPerHour: 27, failuresIpPerHour: 28 },
          RevokeToken: { ipPerHour: 29 },
        },
        destinationPerHour: 0,
        smsPerCountryPerHour: 15,
        smsPerHour: 16,
        emailPerHour: 17,
        unknownDestinationPerHour: 18,
      };
      expect(loadConfig(explicit).limits).toEqual({ ...DEVELOPMENT_LIMITS, ...set });
      expect(loadConfig({ ...PRODUCTION_REMOTE, ...explicit }).limits).toEqual({
        ...PRODUCTION_LIMITS,
        ...set,
      });
      // One variable set leaves the others at their mode's defaults; the value set is kept even if it
      // equals the other mode's default.
      expect(loadConfig({ LIMIT_SIGN_UP_IP_PER_HOUR: '10' }).limits).toEqual({
        ...DEVELOPMENT_LIMITS,
        calls: { ...DEVELOPMENT_LIMITS.calls, SignUp: { ipPerHour: 10 } },
      });
      expect(
        loadConfig({ LIMIT_CONFIRM_USERNAME_PER_HOUR: '9' }).limits.calls.ConfirmSignUp
          ?.failuresUsernamePerHour,
      ).toBe(9);
    });
  });

  it('reads the phone policy: country lists upper-cased, every country allowed when unset', () => {
    expect(loadConfig({}).phonePolicy).toEqual({ blockedCountries: new Set() });
    expect(
      loadConfig({ SMS_ALLOWED_COUNTRIES: 'gb, us,FR', SMS_BLOCKED_COUNTRIES: 'RU' }).phonePolicy,
    ).toEqual({
      allowedCountries: new Set(['GB', 'US', 'FR']),
      blockedCountries: new Set(['RU']),
    });
    expect(loadConfig({ SMS_ALLOWED_NUMBER_TYPES: 'mobile, voip' }).phonePolicy.allowedTypes).toEqual(
      new Set(['MOBILE', 'VOIP']),
    );
    expect(problemsOf({ SMS_ALLOWED_NUMBER_TYPES: 'MOBILE,LANDLINE' })[0]).toMatch(
      /^SMS_ALLOWED_NUMBER_TYPES: must be/,
    );
    expect(problemsOf({ SMS_ALLOWED_COUNTRIES: 'GB,UK', SMS_BLOCKED_COUNTRIES: 'XX' })).toEqual([
      'SMS_ALLOWED_COUNTRIES: must be a comma-separated list of ISO 3166 alpha-2 country codes',
      'SMS_BLOCKED_COUNTRIES: must be a comma-separated list of ISO 3166 alpha-2 country codes',
    ]);
  });

  it("reads a call's limits from its own settings alone, so that a new call adds no variable here", () => {
    const nextCall = {
      action: 'NextCall',
      limits: {
        perHour: {
          variable: 'LIMIT_NEXT_CALL_PER_HOUR',
          deprecatedName: 'LIMIT_NEXT_OLD_PER_HOUR',
          max: 50,
          production: 7,
          development: 70,
        },
      },
    };
    expect(loadWithCalls(REMOTE, [nextCall]).limits.calls).toEqual({ NextCall: { perHour: 7 } });
    expect(loadWithCalls({}, [nextCall]).limits.calls).toEqual({ NextCall: { perHour: 70 } });
    const old = loadWithCalls({ LIMIT_NEXT_OLD_PER_HOUR: '3' }, [nextCall]);
    expect(old.limits.calls.NextCall).toEqual({ perHour: 3 });
    expect(old.deprecatedVariables).toEqual([
      { name: 'LIMIT_NEXT_OLD_PER_HOUR', replacement: 'LIMIT_NEXT_CALL_PER_HOUR' },
    ]);
    expect(
      thrownBy(ConfigError, () => loadWithCalls({ LIMIT_NEXT_CALL_PER_HOUR: '51' }, [nextCall])).problems,
    ).toEqual(['LIMIT_NEXT_CALL_PER_HOUR: must be a whole number from 0 to 50']);
    expect(configVariables([nextCall])).toEqual(
      expect.arrayContaining([
        'LIMIT_NEXT_CALL_PER_HOUR',
        'LIMIT_NEXT_OLD_PER_HOUR',
        'LIMIT_DESTINATION_PER_HOUR',
      ]),
    );
    expect(configVariables([])).not.toContain('LIMIT_NEXT_CALL_PER_HOUR');
  });

  it('takes the deprecated LIMIT_USERNAME_COOLDOWN_SECONDS, LIMIT_USERNAME_PER_HOUR and LIMIT_IP_PER_HOUR for the resend limits, the LIMIT_RESEND_* names winning', () => {
    const old = {
      LIMIT_USERNAME_COOLDOWN_SECONDS: '11',
      LIMIT_USERNAME_PER_HOUR: '12',
      LIMIT_IP_PER_HOUR: '13',
    };
    expect(loadConfig({ ...REMOTE, ...old }).limits.calls.ResendConfirmationCode).toEqual({
      usernameCooldownSeconds: 11,
      usernamePerHour: 12,
      ipPerHour: 13,
    });
    expect(
      loadConfig({
        ...REMOTE,
        ...old,
        LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '21',
        LIMIT_RESEND_USERNAME_PER_HOUR: '22',
        LIMIT_RESEND_IP_PER_HOUR: '23',
      }).limits.calls.ResendConfirmationCode,
    ).toEqual({ usernameCooldownSeconds: 21, usernamePerHour: 22, ipPerHour: 23 });
    // A new name set to 0 (off) still wins over an old one.
    expect(
      loadConfig({ ...REMOTE, LIMIT_IP_PER_HOUR: '13', LIMIT_RESEND_IP_PER_HOUR: '0' }).limits.calls
        .ResendConfirmationCode?.ipPerHour,
    ).toBe(0);
  });

  it('takes the deprecated LIMIT_CONFIRM_USERNAME_PER_HOUR for the failed-confirm cap when the new name is unset', () => {
    expect(
      loadConfig({ LIMIT_CONFIRM_USERNAME_PER_HOUR: '7' }).limits.calls.ConfirmSignUp
        ?.failuresUsernamePerHour,
    ).toBe(7);
    expect(
      loadConfig({ LIMIT_CONFIRM_USERNAME_PER_HOUR: '7', LIMIT_CONFIRM_FAILURES_USERNAME_PER_HOUR: '9' })
        .limits.calls.ConfirmSignUp?.failuresUsernamePerHour,
    ).toBe(9);
  });
});
