import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { thrownBy } from '../support/thrown';

const REMOTE = {
  COGNITO_REGION: 'eu-west-1',
  COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyZ',
  COGNITO_CLIENT_ID: '18u8119jgbpr464n28s1itk2mq',
  COGNITO_CLIENT_SECRET: 'ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b',
};

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
      limits: { usernameCooldownSeconds: 0, usernamePerHour: 1_000, usernameCaseSensitive: false },
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

  it('says nothing more about a variable already reported as malformed', () => {
    expect(problemsOf({ ...REMOTE, COGNITO_CLIENT_ID: 'bad id' })).toEqual([
      'COGNITO_CLIENT_ID: must be an app client id (letters, digits, + and _; at most 128)',
    ]);
  });

  it('never puts a malformed secret in the message', () => {
    const problems = problemsOf({ ...REMOTE, COGNITO_CLIENT_SECRET: 'sec ret with spaces' });
    expect(problems).toEqual([
      'COGNITO_CLIENT_SECRET: is not an app client secret (letters, digits, + and _; at most 64)',
    ]);
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
      usernameCooldownSeconds: 0,
      usernamePerHour: 10,
      ipPerHour: 100,
      signUpIpPerHour: 10,
      destinationPerHour: 5,
      confirmFailuresUsernameIpPerHour: 5,
      confirmFailuresUsernamePerHour: 100,
      confirmIpPerHour: 60,
      usernameCaseSensitive: true,
      ipv6PrefixBits: 64,
      redisUrl: 'redis://redis.internal:6379/0',
    });
    expect(config.graphql.maxAliases).toBe(2);
    expect(
      problemsOf({ REDIS_URL: 'localhost:6379', LIMIT_IP_PER_HOUR: '-1' }).map((p) => p.split(':')[0]),
    ).toEqual(['LIMIT_IP_PER_HOUR', 'REDIS_URL']);
  });

  describe('abuse-limit defaults', () => {
    const PRODUCTION_LIMITS = {
      usernameCooldownSeconds: 60,
      usernamePerHour: 5,
      ipPerHour: 30,
      signUpIpPerHour: 10,
      destinationPerHour: 5,
      confirmFailuresUsernameIpPerHour: 5,
      confirmFailuresUsernamePerHour: 100,
      confirmIpPerHour: 60,
      usernameCaseSensitive: false,
      ipv6PrefixBits: 64,
    };
    const DEVELOPMENT_LIMITS = {
      usernameCooldownSeconds: 0,
      usernamePerHour: 1_000,
      ipPerHour: 1_000,
      signUpIpPerHour: 1_000,
      destinationPerHour: 1_000,
      confirmFailuresUsernameIpPerHour: 1_000,
      confirmFailuresUsernamePerHour: 1_000,
      confirmIpPerHour: 1_000,
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
        LIMIT_CONFIRM_FAILURES_USERNAME_IP_PER_HOUR: '6',
        LIMIT_CONFIRM_FAILURES_USERNAME_PER_HOUR: '7',
        LIMIT_CONFIRM_IP_PER_HOUR: '8',
      };
      const set = {
        usernameCooldownSeconds: 30,
        usernamePerHour: 2,
        ipPerHour: 3,
        signUpIpPerHour: 4,
        destinationPerHour: 0,
        confirmFailuresUsernameIpPerHour: 6,
        confirmFailuresUsernamePerHour: 7,
        confirmIpPerHour: 8,
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
        signUpIpPerHour: 10,
      });
      expect(loadConfig({ LIMIT_CONFIRM_USERNAME_PER_HOUR: '9' }).limits.confirmFailuresUsernamePerHour).toBe(
        9,
      );
    });
  });

  it('takes the deprecated LIMIT_CONFIRM_USERNAME_PER_HOUR for the failed-confirm cap when the new name is unset', () => {
    expect(loadConfig({ LIMIT_CONFIRM_USERNAME_PER_HOUR: '7' }).limits.confirmFailuresUsernamePerHour).toBe(
      7,
    );
    expect(
      loadConfig({ LIMIT_CONFIRM_USERNAME_PER_HOUR: '7', LIMIT_CONFIRM_FAILURES_USERNAME_PER_HOUR: '9' })
        .limits.confirmFailuresUsernamePerHour,
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
