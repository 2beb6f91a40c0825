import { describe, expect, it } from 'vitest';
import { ConfigError, configVariables, loadConfig as loadWithCalls } from '../../src/config';
import { USER_POOL_CALL_LIMITS } from '../../src/user-pool-calls/registry';
import { thrownBy } from '../support/thrown';

const REMOTE = {
  COGNITO_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyZ',
  COGNITO_CLIENT_ID: '18u8119jgbpr464n28s1itk2mq',
  COGNITO_CLIENT_SECRET: 'ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b',
};
/** What moto's CreateUserPoolClient gives for GenerateSecret: a UUID, which Cognito itself never issues. */
const MOTO_SECRET = '2f6c6b6e-3d0a-4c8e-9a55-1d5c2b7e8f90';

/** The configuration as main.ts reads it: with the registry's calls. */
function loadConfig(env: Record<string, string | undefined>, readFile?: (p: string) => string) {
  return loadWithCalls(env, USER_POOL_CALL_LIMITS, readFile);
}

function problemsOf(env: Record<string, string>, readFile?: (p: string) => string): string[] {
  return thrownBy(ConfigError, () => loadConfig(env, readFile)).problems;
}

describe('loadConfig', () => {
  it('gives documented defaults and local mode with no Cognito variables outside production', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      cognito: { mode: 'local' },
      trustProxy: { kind: 'none' },
      sendUserContextIp: false,
      analyticsEnabled: false,
      corsOrigins: [],
      introspection: true,
      logLevel: 'info',
      upstream: { connectTimeoutMs: 1000, requestTimeoutMs: 3000, maxAttempts: 2, maxInFlight: 256 },
      limits: {
        calls: {
          ResendConfirmationCode: { usernameCooldownSeconds: 0, usernamePerHour: 1_000, ipPerHour: 1_000 },
        },
        usernameCaseSensitive: false,
      },
      graphql: { maxAliases: 5, maxDepth: 10, maxTokens: 1000 },
      http: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 29_000,
        keepAliveTimeoutMs: 5_000,
        maxConnections: 1024,
        maxConnectionsPerPeer: 256,
      },
    });
    expect(config.limits.redisUrl).toBeUndefined();
  });

  it('refuses to start in production without Cognito configuration', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'COGNITO_CLIENT_ID: is required in production',
      'COGNITO_REGION: is required (or give COGNITO_USER_POOL_ID, which names the region)',
    ]);
  });

  it('turns introspection off in production unless configured', () => {
    expect(loadConfig({ ...REMOTE, NODE_ENV: 'production' }).introspection).toBe(false);
    expect(loadConfig({ ...REMOTE, NODE_ENV: 'production', INTROSPECTION: 'true' }).introspection).toBe(true);
  });

  it('reads the remote Cognito settings', () => {
    const config = loadConfig({ ...REMOTE, COGNITO_ENDPOINT: 'http://127.0.0.1:9229' });
    expect(config.cognito).toMatchObject({
      mode: 'remote',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_AbC123xyZ',
      clientId: REMOTE.COGNITO_CLIENT_ID,
      endpoint: 'http://127.0.0.1:9229',
    });
    expect(config.cognito.mode === 'remote' && config.cognito.clientSecret?.reveal()).toBe(
      REMOTE.COGNITO_CLIENT_SECRET,
    );
  });

  it('derives the region from the user pool id', () => {
    const { COGNITO_REGION: _r, ...rest } = REMOTE;
    expect(loadConfig(rest).cognito).toMatchObject({ region: 'eu-west-1' });
  });

  it('reads the client secret from COGNITO_CLIENT_SECRET_FILE, trimming the trailing newline', () => {
    const { COGNITO_CLIENT_SECRET: secret, ...rest } = REMOTE;
    const config = loadConfig({ ...rest, COGNITO_CLIENT_SECRET_FILE: '/run/secrets/cognito' }, (path) => {
      expect(path).toBe('/run/secrets/cognito');
      return `${secret}\n`;
    });
    expect(config.cognito.mode === 'remote' && config.cognito.clientSecret?.reveal()).toBe(secret);
  });

  it('drops exactly one trailing newline from the secret file, and refuses any other whitespace', () => {
    const { COGNITO_CLIENT_SECRET: secret, ...rest } = REMOTE;
    const fromFile = (content: string, env: Record<string, string> = {}) =>
      loadConfig({ ...rest, ...env, COGNITO_CLIENT_SECRET_FILE: '/run/secrets/cognito' }, () => content);
    const revealed = (config: ReturnType<typeof loadConfig>) =>
      config.cognito.mode === 'remote' && config.cognito.clientSecret?.reveal();
    expect(revealed(fromFile(secret))).toBe(secret);
    expect(revealed(fromFile(`${secret}\r\n`))).toBe(secret);
    const fileProblem =
      'COGNITO_CLIENT_SECRET_FILE: is not an app client secret (24 to 64 letters, digits, + and _)';
    for (const content of [`${secret}\n\n`, ` ${secret}\n`, `${secret} `, `\t${secret}`, `${secret}\r`]) {
      const problems = thrownBy(ConfigError, () => fromFile(content)).problems;
      expect(problems, JSON.stringify(content)).toEqual([fileProblem]);
      expect(problems.join('\n')).not.toContain(secret);
    }
    // The emulators' looser rule still refuses whitespace around the secret.
    const emulator = { COGNITO_ENDPOINT: 'http://127.0.0.1:5000' };
    expect(revealed(fromFile(`${MOTO_SECRET}\n`, emulator))).toBe(MOTO_SECRET);
    expect(thrownBy(ConfigError, () => fromFile(` ${MOTO_SECRET}\n`, emulator)).problems).toEqual([
      'COGNITO_CLIENT_SECRET_FILE: is not a client secret (no spaces or control characters; at most 512)',
    ]);
  });

  it('names an unreadable secret file without its content', () => {
    const { COGNITO_CLIENT_SECRET: _s, ...rest } = REMOTE;
    const problems = problemsOf({ ...rest, COGNITO_CLIENT_SECRET_FILE: '/nope' }, () => {
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    });
    expect(problems).toEqual(['COGNITO_CLIENT_SECRET_FILE: cannot read the file (ENOENT)']);
  });

  it('refuses both the secret and the secret file', () => {
    expect(problemsOf({ ...REMOTE, COGNITO_CLIENT_SECRET_FILE: '/x' })).toEqual([
      'COGNITO_CLIENT_SECRET_FILE: set either it or COGNITO_CLIENT_SECRET, not both',
    ]);
  });

  it('names every bad variable at once and never echoes a value', () => {
    const problems = problemsOf({
      ...REMOTE,
      PORT: 'eighty',
      COGNITO_REGION: 'Mars',
      COGNITO_CLIENT_ID: 'has spaces in it',
      TRUST_PROXY: 'everyone',
      SEND_USER_CONTEXT_IP: 'yes please',
      CORS_ORIGINS: 'not a url',
      LOG_LEVEL: 'loud',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'COGNITO_CLIENT_ID',
      'COGNITO_REGION',
      'CORS_ORIGINS',
      'LOG_LEVEL',
      'PORT',
      'SEND_USER_CONTEXT_IP',
      'TRUST_PROXY',
    ]);
    expect(problems.join('\n')).not.toMatch(/eighty|Mars|has spaces|everyone|yes please|not a url|loud/);
  });

  it('reports a bad variable and a missing one in the same run', () => {
    expect(problemsOf({ NODE_ENV: 'production', PORT: 'x', HOST: 'bad host!' })).toEqual([
      'PORT: must be a whole number from 0 to 65535',
      'HOST: must be an IP address or a host name',
      'COGNITO_CLIENT_ID: is required in production',
      'COGNITO_REGION: is required (or give COGNITO_USER_POOL_ID, which names the region)',
    ]);
  });

  it('serves the operations endpoints on the public port unless OPS_PORT is set', () => {
    expect(loadConfig({}).ops).toBeUndefined();
    expect(loadConfig({ OPS_HOST: '0.0.0.0' }).ops).toBeUndefined();
  });

  it('binds OPS_PORT to loopback unless OPS_HOST says otherwise', () => {
    expect(loadConfig({ OPS_PORT: '9464' }).ops).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(loadConfig({ OPS_PORT: '0', OPS_HOST: '0.0.0.0' }).ops).toEqual({ port: 0, host: '0.0.0.0' });
    expect(loadConfig({ OPS_PORT: '9464', OPS_HOST: 'ops.internal' }).ops).toEqual({
      port: 9464,
      host: 'ops.internal',
    });
  });

  it('checks OPS_PORT and OPS_HOST as PORT and HOST', () => {
    expect(problemsOf({ OPS_PORT: 'metrics', OPS_HOST: 'bad host!' })).toEqual([
      'OPS_PORT: must be a whole number from 0 to 65535',
      'OPS_HOST: must be an IP address or a host name',
    ]);
    expect(problemsOf({ OPS_PORT: '70000' })).toEqual(['OPS_PORT: must be a whole number from 0 to 65535']);
  });

  it('refuses OPS_PORT equal to PORT, but lets both be 0 (ephemeral ports)', () => {
    expect(problemsOf({ PORT: '8080', OPS_PORT: '8080' })).toEqual(['OPS_PORT: must not be PORT (8080)']);
    expect(problemsOf({ OPS_PORT: '4000' })).toEqual(['OPS_PORT: must not be PORT (4000)']);
    expect(loadConfig({ PORT: '0', OPS_PORT: '0' }).ops).toEqual({ port: 0, host: '127.0.0.1' });
    // A malformed PORT is reported alone, not compared.
    expect(problemsOf({ PORT: 'x', OPS_PORT: '4000' })).toEqual([
      'PORT: must be a whole number from 0 to 65535',
    ]);
  });

  it('says nothing more about a variable already reported as malformed', () => {
    expect(problemsOf({ ...REMOTE, COGNITO_CLIENT_ID: 'bad id' })).toEqual([
      'COGNITO_CLIENT_ID: must be an app client id (letters, digits, + and _; at most 128)',
    ]);
  });

  it('never puts a malformed secret in the message', () => {
    const problems = problemsOf({ ...REMOTE, COGNITO_CLIENT_SECRET: 'sec ret with spaces' });
    expect(problems).toEqual([
      'COGNITO_CLIENT_SECRET: is not an app client secret (24 to 64 letters, digits, + and _)',
    ]);
  });

  it("holds the pool id and the secret to Cognito's own formats when the endpoint is AWS's", () => {
    const secretOk = (secret: string, endpoint?: string) => {
      const env = {
        ...REMOTE,
        COGNITO_CLIENT_SECRET: secret,
        ...(endpoint && { COGNITO_ENDPOINT: endpoint }),
      };
      try {
        loadConfig(env);
        return true;
      } catch (error) {
        if (error instanceof ConfigError) return false;
        throw error;
      }
    };
    expect(secretOk('a'.repeat(24))).toBe(true);
    expect(secretOk(`${'A1_+'.repeat(16)}`)).toBe(true); // 64
    expect(secretOk('a'.repeat(23))).toBe(false);
    expect(secretOk('a'.repeat(65))).toBe(false);
    expect(secretOk(MOTO_SECRET)).toBe(false);
    expect(secretOk(MOTO_SECRET, 'https://cognito-idp.eu-west-1.amazonaws.com')).toBe(false);

    for (const poolId of [
      'eu-west-1AbC123xyZ',
      'eu-west-1_AbC-123',
      'eu west-1_AbC',
      `eu-west-1_${'a'.repeat(46)}`,
    ]) {
      expect(problemsOf({ ...REMOTE, COGNITO_USER_POOL_ID: poolId }), poolId).toEqual([
        'COGNITO_USER_POOL_ID: must be a user pool id such as eu-west-1_AbC123xyZ',
      ]);
    }
  });

  it('takes a pool id that names no region when COGNITO_REGION gives one, and requires it otherwise', () => {
    const { COGNITO_REGION: _r, ...rest } = REMOTE;
    expect(loadConfig({ ...REMOTE, COGNITO_USER_POOL_ID: 'local_2smszNyQ' }).cognito).toMatchObject({
      region: 'eu-west-1',
      userPoolId: 'local_2smszNyQ',
      nonAwsEndpoint: false,
    });
    expect(problemsOf({ ...rest, COGNITO_USER_POOL_ID: 'local_2smszNyQ' })).toEqual([
      'COGNITO_REGION: is required (COGNITO_USER_POOL_ID names no region)',
    ]);
  });

  it("accepts moto's and cognito-local's credentials against a non-AWS COGNITO_ENDPOINT, and says so", () => {
    const moto = loadConfig({
      COGNITO_ENDPOINT: 'http://127.0.0.1:5000',
      COGNITO_REGION: 'us-east-1',
      COGNITO_USER_POOL_ID: 'us-east-1_2ab3cd4ef',
      COGNITO_CLIENT_ID: 'kq8e9xdbvgoabdxqnh1vd3pcq3',
      COGNITO_CLIENT_SECRET: MOTO_SECRET,
    });
    expect(moto.cognito).toMatchObject({ mode: 'remote', region: 'us-east-1', nonAwsEndpoint: true });
    expect(moto.cognito.mode === 'remote' && moto.cognito.clientSecret?.reveal()).toBe(MOTO_SECRET);

    const cognitoLocal = loadConfig({
      COGNITO_ENDPOINT: 'http://localhost:9229',
      COGNITO_USER_POOL_ID: 'local_2smszNyQ',
      COGNITO_CLIENT_ID: '5ha4h0x2ab1udtcx8j5wvimmn',
      COGNITO_CLIENT_SECRET: 'cb41t31mv84xwhe1xs6vj0pui',
    });
    // No region anywhere: an emulator ignores it (cognito-local) or finds the pool by client id (moto).
    expect(cognitoLocal.cognito).toMatchObject({
      region: 'us-east-1',
      userPoolId: 'local_2smszNyQ',
      nonAwsEndpoint: true,
    });
    expect(loadConfig(REMOTE).cognito).toMatchObject({ nonAwsEndpoint: false });
  });

  it('tells AWS endpoints from others by the host name alone', () => {
    const nonAws = (endpoint: string) => {
      const { cognito } = loadConfig({ ...REMOTE, COGNITO_ENDPOINT: endpoint });
      return cognito.mode === 'remote' && cognito.nonAwsEndpoint;
    };
    for (const aws of [
      'https://cognito-idp.eu-west-1.amazonaws.com',
      'https://cognito-idp-fips.us-east-1.amazonaws.com/',
      'https://COGNITO-IDP.EU-WEST-1.AMAZONAWS.COM.',
      'https://cognito-idp.cn-north-1.amazonaws.com.cn',
      'https://cognito-idp.eu-west-1.api.aws',
      'https://vpce-0a1b2c3d-4e5f.cognito-idp.eu-west-1.vpce.amazonaws.com:443',
    ]) {
      expect(nonAws(aws), aws).toBe(false);
    }
    for (const other of [
      'http://127.0.0.1:9229',
      'http://[::1]:5000',
      'http://localhost:4566',
      'http://cognito-local:9229',
      'https://localhost.localstack.cloud:4566',
      'https://notamazonaws.com',
      'https://amazonaws.com.attacker.example',
      'https://cognito-idp.eu-west-1.amazonaws.com@proxy.internal',
    ]) {
      expect(nonAws(other), other).toBe(true);
    }
  });

  it('still refuses, against a non-AWS endpoint, a secret or pool id with whitespace or control characters, or too long', () => {
    const emulator = {
      COGNITO_ENDPOINT: 'http://127.0.0.1:9229',
      COGNITO_USER_POOL_ID: 'local_2smszNyQ',
      COGNITO_CLIENT_ID: 'clientid',
      COGNITO_CLIENT_SECRET: MOTO_SECRET,
    };
    const secretProblem =
      'COGNITO_CLIENT_SECRET: is not a client secret (no spaces or control characters; at most 512)';
    for (const secret of ['sec ret', 'sec\tret', 'sec\u0007ret', 's'.repeat(513)]) {
      expect(problemsOf({ ...emulator, COGNITO_CLIENT_SECRET: secret })).toEqual([secretProblem]);
    }
    expect(loadConfig({ ...emulator, COGNITO_CLIENT_SECRET: 's'.repeat(512) }).cognito).toMatchObject({
      nonAwsEndpoint: true,
    });
    const problems = problemsOf({
      ...emulator,
      PORT: 'eighty',
      COGNITO_USER_POOL_ID: 'local pool',
      COGNITO_CLIENT_SECRET: 'my secret value',
    });
    expect(problems).toEqual([
      'PORT: must be a whole number from 0 to 65535',
      'COGNITO_USER_POOL_ID: must be a user pool id (no spaces or control characters; at most 512)',
      secretProblem,
    ]);
    expect(problems.join('\n')).not.toMatch(/eighty|local pool|my secret/);
  });

  it('does not tie the pool id to COGNITO_REGION against a non-AWS endpoint, and prefers COGNITO_REGION', () => {
    const emulator = { ...REMOTE, COGNITO_ENDPOINT: 'http://127.0.0.1:5000' };
    expect(loadConfig({ ...emulator, COGNITO_USER_POOL_ID: 'us-east-1_abc' }).cognito).toMatchObject({
      region: 'eu-west-1',
    });
    const { COGNITO_REGION: _r, ...noRegion } = emulator;
    expect(loadConfig({ ...noRegion, COGNITO_USER_POOL_ID: 'eu-central-1_abc' }).cognito).toMatchObject({
      region: 'eu-central-1',
    });
  });

  it('judges the secret loosely when COGNITO_ENDPOINT itself is malformed, so that only it is reported', () => {
    expect(
      problemsOf({ ...REMOTE, COGNITO_ENDPOINT: 'localhost:9229', COGNITO_CLIENT_SECRET: MOTO_SECRET }),
    ).toEqual(['COGNITO_ENDPOINT: must be an http(s) URL']);
  });

  it('requires a client secret for SEND_USER_CONTEXT_IP', () => {
    const { COGNITO_CLIENT_SECRET: _s, ...rest } = REMOTE;
    expect(problemsOf({ ...rest, SEND_USER_CONTEXT_IP: 'true' })).toEqual([
      'SEND_USER_CONTEXT_IP: needs a client secret (Cognito accepts IpAddress only from clients with one)',
    ]);
  });

  it('refuses a user pool from another region', () => {
    expect(problemsOf({ ...REMOTE, COGNITO_REGION: 'us-east-1' })).toEqual([
      'COGNITO_USER_POOL_ID: belongs to another region than COGNITO_REGION',
    ]);
  });

  it("reads the pool's sign-in attributes, the user look-up (which needs the pool id) and the link retention", () => {
    expect(loadConfig(REMOTE).pool).toEqual({ usernameAttributes: new Set(), lookupUsers: false });
    const config = loadConfig({
      ...REMOTE,
      COGNITO_USERNAME_ATTRIBUTES: ' Email, phone_number ',
      COGNITO_LOOKUP_USERS: 'true',
      LIMIT_LINK_RETENTION_DAYS: '30',
    });
    expect(config.pool).toEqual({
      usernameAttributes: new Set(['email', 'phone_number']),
      lookupUsers: true,
    });
    expect(config.limits.linkRetentionSeconds).toBe(30 * 86_400);
    const { COGNITO_USER_POOL_ID: _, ...withoutPool } = REMOTE;
    expect(
      problemsOf({
        ...withoutPool,
        COGNITO_REGION: 'eu-west-1',
        COGNITO_USERNAME_ATTRIBUTES: 'email,preferred_username',
        COGNITO_LOOKUP_USERS: 'true',
        LIMIT_LINK_RETENTION_DAYS: '29',
      }),
    ).toEqual([
      'COGNITO_USERNAME_ATTRIBUTES: must be a comma-separated list of email, phone_number',
      'LIMIT_LINK_RETENTION_DAYS: must be a whole number from 30 to 3650',
      'COGNITO_LOOKUP_USERS: needs COGNITO_USER_POOL_ID (AdminGetUser names the pool)',
    ]);
  });

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
      },
      destinationPerHour: 5,
      smsPerCountryPerHour: 100,
      smsPerHour: 300,
      emailPerHour: 1_000,
      unknownDestinationPerHour: 20,
      linkRetentionSeconds: 365 * 86_400,
      usernameCaseSensitive: true,
      ipv6PrefixBits: 64,
      redisUrl: 'redis://redis.internal:6379/0',
    });
    expect(config.graphql.maxAliases).toBe(2);
    expect(
      problemsOf({ REDIS_URL: 'localhost:6379', LIMIT_IP_PER_HOUR: '-1' }).map((p) => p.split(':')[0]),
    ).toEqual(['REDIS_URL', 'LIMIT_IP_PER_HOUR']);
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
      expect(loadConfig({ ...REMOTE, NODE_ENV: 'production' }).limits).toEqual(PRODUCTION_LIMITS);
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
        },
        destinationPerHour: 0,
        smsPerCountryPerHour: 15,
        smsPerHour: 16,
        emailPerHour: 17,
        unknownDestinationPerHour: 18,
      };
      expect(loadConfig(explicit).limits).toEqual({ ...DEVELOPMENT_LIMITS, ...set });
      expect(loadConfig({ ...REMOTE, NODE_ENV: 'production', ...explicit }).limits).toEqual({
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
      operation: 'NextCall',
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

  it('reads the HTTP timeouts and connection caps, 0 turning only the per-peer cap off', () => {
    const config = loadConfig({
      HTTP_HEADERS_TIMEOUT_MS: '5000',
      HTTP_REQUEST_TIMEOUT_MS: '20000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
      HTTP_MAX_CONNECTIONS: '10000',
      HTTP_MAX_CONNECTIONS_PER_PEER: '0',
    });
    expect(config.http).toEqual({
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 20_000,
      keepAliveTimeoutMs: 65_000,
      maxConnections: 10_000,
      maxConnectionsPerPeer: 0,
    });
  });

  it('refuses HTTP timeouts and caps that would leave slow clients or floods unbounded', () => {
    expect(
      problemsOf({
        HTTP_HEADERS_TIMEOUT_MS: '0',
        HTTP_REQUEST_TIMEOUT_MS: '600001',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '0',
        HTTP_MAX_CONNECTIONS: '0',
        HTTP_MAX_CONNECTIONS_PER_PEER: 'many',
      }),
    ).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS: must be a whole number from 1000 to 600000',
      'HTTP_REQUEST_TIMEOUT_MS: must be a whole number from 1000 to 600000',
      'HTTP_KEEP_ALIVE_TIMEOUT_MS: must be a whole number from 100 to 600000',
      'HTTP_MAX_CONNECTIONS: must be a whole number from 1 to 1000000',
      'HTTP_MAX_CONNECTIONS_PER_PEER: must be a whole number from 0 to 1000000',
    ]);
  });

  it('refuses a header timeout longer than the request timeout (Node would not start)', () => {
    expect(problemsOf({ HTTP_HEADERS_TIMEOUT_MS: '40000' })).toEqual([
      'HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS (29000)',
    ]);
  });

  it('names every deprecated variable that is set, with its replacement, and no others', () => {
    expect(loadConfig({}).deprecatedVariables).toEqual([]);
    expect(
      loadConfig({
        LIMIT_IP_PER_HOUR: '3',
        LIMIT_CONFIRM_USERNAME_PER_HOUR: '7',
        LIMIT_RESEND_USERNAME_PER_HOUR: '1',
      }).deprecatedVariables,
    ).toEqual([
      { name: 'LIMIT_IP_PER_HOUR', replacement: 'LIMIT_RESEND_IP_PER_HOUR' },
      { name: 'LIMIT_CONFIRM_USERNAME_PER_HOUR', replacement: 'LIMIT_CONFIRM_FAILURES_USERNAME_PER_HOUR' },
    ]);
  });

  it('parses TRUST_PROXY as hops or addresses', () => {
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ kind: 'hops', hops: 2 });
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,2001:db8::/32' }).trustProxy).toEqual({
      kind: 'addresses',
      addresses: ['loopback', '10.0.0.0/8', '2001:db8::/32'],
    });
    expect(problemsOf({ TRUST_PROXY: '10.0.0.0/33' })[0]).toMatch(/^TRUST_PROXY:/);
  });

  it('parses CORS_ORIGINS as a list of origins', () => {
    expect(
      loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/' }).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(problemsOf({ CORS_ORIGINS: 'https://app.example.com/path' })[0]).toMatch(/^CORS_ORIGINS:/);
  });

  it('does not reveal the secret when the configuration is logged or serialised', () => {
    const config = loadConfig(REMOTE);
    expect(JSON.stringify(config)).not.toContain(REMOTE.COGNITO_CLIENT_SECRET);
    expect(require('node:util').inspect(config, { depth: 5 })).not.toContain(REMOTE.COGNITO_CLIENT_SECRET);
  });
});

describe('the proof-of-work challenge settings', () => {
  const KEY = 'k7Q2vX9pL4mN8rT1wY6zB3cF5hJ0dG2s';

  it('are off by default, with no key needed, in local mode and against a remote Cognito', () => {
    expect(loadConfig({}).challenge).toEqual({ mode: 'off' });
    expect(loadConfig(REMOTE).challenge).toEqual({ mode: 'off' });
  });

  it('read CHALLENGE_MODE, CHALLENGE_HMAC_KEY and CHALLENGE_COST, keeping the key out of logs', () => {
    for (const mode of ['always', 'adaptive'] as const) {
      const config = loadConfig({ ...REMOTE, CHALLENGE_MODE: mode, CHALLENGE_HMAC_KEY: KEY });
      expect(config.challenge).toMatchObject({
        mode,
        cost: 3_000,
        keyGenerated: false,
        failuresIpPerHour: 20,
      });
      expect(config.challenge.mode !== 'off' && config.challenge.hmacKey.reveal()).toBe(KEY);
      expect(JSON.stringify(config)).not.toContain(KEY);
    }
    const costly = loadConfig({
      ...REMOTE,
      CHALLENGE_MODE: 'always',
      CHALLENGE_HMAC_KEY: KEY,
      CHALLENGE_COST: '20000',
    });
    expect(costly.challenge).toMatchObject({ cost: 20_000 });
  });

  it('read CHALLENGE_FAILURES_IP_PER_HOUR, 0 (off) to 1000000', () => {
    const on = { ...REMOTE, CHALLENGE_MODE: 'always', CHALLENGE_HMAC_KEY: KEY };
    for (const [value, perHour] of [
      ['0', 0],
      ['5', 5],
      ['1000000', 1_000_000],
    ] as const) {
      const config = loadConfig({ ...on, CHALLENGE_FAILURES_IP_PER_HOUR: value });
      expect(config.challenge).toMatchObject({ failuresIpPerHour: perHour });
    }
    expect(problemsOf({ ...on, CHALLENGE_FAILURES_IP_PER_HOUR: '-1' })).toEqual([
      'CHALLENGE_FAILURES_IP_PER_HOUR: must be a whole number from 0 to 1000000',
    ]);
  });

  it('read the key from CHALLENGE_HMAC_KEY_FILE, dropping one trailing newline', () => {
    const config = loadConfig(
      { ...REMOTE, CHALLENGE_MODE: 'adaptive', CHALLENGE_HMAC_KEY_FILE: '/run/secrets/challenge' },
      (path) => (path === '/run/secrets/challenge' ? `${KEY}\n` : 'unexpected'),
    );
    expect(config.challenge.mode !== 'off' && config.challenge.hmacKey.reveal()).toBe(KEY);
  });

  it('require a key outside local mode once the challenge is on', () => {
    expect(problemsOf({ ...REMOTE, CHALLENGE_MODE: 'always' })).toEqual([
      'CHALLENGE_HMAC_KEY: is required when CHALLENGE_MODE is always or adaptive (or CHALLENGE_HMAC_KEY_FILE)',
    ]);
    expect(problemsOf({ NODE_ENV: 'production', ...REMOTE, CHALLENGE_MODE: 'adaptive' })).toEqual([
      'CHALLENGE_HMAC_KEY: is required when CHALLENGE_MODE is always or adaptive (or CHALLENGE_HMAC_KEY_FILE)',
    ]);
  });

  it('generate a random key for this process in local mode when none is given', () => {
    const first = loadConfig({ CHALLENGE_MODE: 'always' }).challenge;
    const second = loadConfig({ CHALLENGE_MODE: 'always' }).challenge;
    expect(first).toMatchObject({ mode: 'always', keyGenerated: true });
    const keyOf = (c: typeof first) => (c.mode === 'off' ? '' : c.hmacKey.reveal());
    expect(keyOf(first)).toMatch(/^[0-9a-f]{64}$/);
    expect(keyOf(first)).not.toBe(keyOf(second));
    // A key that is given is used in local mode too.
    expect(keyOf(loadConfig({ CHALLENGE_MODE: 'always', CHALLENGE_HMAC_KEY: KEY }).challenge)).toBe(KEY);
  });

  it('refuse a bad mode, a short or spaced key, both key variables and a cost out of range, all at once and never echoing the key', () => {
    const short = 'too-short-for-hmac-sha256';
    const problems = problemsOf({
      ...REMOTE,
      CHALLENGE_MODE: 'sometimes',
      CHALLENGE_HMAC_KEY: short,
      CHALLENGE_COST: '99',
    });
    expect(problems).toEqual([
      'CHALLENGE_MODE: must be one of off, always, adaptive',
      'CHALLENGE_COST: must be a whole number from 100 to 100000',
      'CHALLENGE_HMAC_KEY: must be 32 to 1024 characters, without spaces or control characters',
    ]);
    expect(problems.join('\n')).not.toContain(short);
    expect(problemsOf({ ...REMOTE, CHALLENGE_MODE: 'always', CHALLENGE_HMAC_KEY: `${KEY} x` })).toEqual([
      'CHALLENGE_HMAC_KEY: must be 32 to 1024 characters, without spaces or control characters',
    ]);
    expect(problemsOf({ ...REMOTE, CHALLENGE_COST: '100001' })).toEqual([
      'CHALLENGE_COST: must be a whole number from 100 to 100000',
    ]);
    expect(
      problemsOf({ ...REMOTE, CHALLENGE_HMAC_KEY: KEY, CHALLENGE_HMAC_KEY_FILE: '/run/secrets/challenge' }),
    ).toEqual(['CHALLENGE_HMAC_KEY_FILE: set either it or CHALLENGE_HMAC_KEY, not both']);
    const unreadable = problemsOf(
      { ...REMOTE, CHALLENGE_MODE: 'always', CHALLENGE_HMAC_KEY_FILE: '/nope' },
      () => {
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      },
    );
    expect(unreadable).toEqual(['CHALLENGE_HMAC_KEY_FILE: cannot read the file (EACCES)']);
    const shortFile = problemsOf(
      { ...REMOTE, CHALLENGE_MODE: 'always', CHALLENGE_HMAC_KEY_FILE: '/run/secrets/challenge' },
      () => `${short}\n`,
    );
    expect(shortFile).toEqual([
      'CHALLENGE_HMAC_KEY_FILE: must be 32 to 1024 characters, without spaces or control characters',
    ]);
  });

  it('are listed among the variables the gateway reads', () => {
    expect(configVariables(USER_POOL_CALL_LIMITS)).toEqual(
      expect.arrayContaining([
        'CHALLENGE_MODE',
        'CHALLENGE_HMAC_KEY',
        'CHALLENGE_HMAC_KEY_FILE',
        'CHALLENGE_COST',
      ]),
    );
  });
});
