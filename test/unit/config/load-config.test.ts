import { describe, expect, it } from 'vitest';
import { loadConfig, PRODUCTION_REMOTE, problemsOf, REMOTE, TEST_SESSION_KEYS } from './support';

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
    expect(config.limits.redis).toBeUndefined();
  });

  it('refuses to start in production without Cognito configuration', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([
      'COGNITO_CLIENT_ID: is required in production',
      'COGNITO_REGION: is required (or give COGNITO_USER_POOL_ID, which names the region)',
      'SESSION_KEYS: is required in production to serve sign-in (or SESSION_KEYS_FILE): one key of 32 random bytes, e.g. openssl rand -base64 32',
    ]);
  });

  it('turns introspection off in production unless configured', () => {
    expect(loadConfig(PRODUCTION_REMOTE).introspection).toBe(false);
    expect(loadConfig({ ...PRODUCTION_REMOTE, INTROSPECTION: 'true' }).introspection).toBe(true);
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
    expect(
      problemsOf({ NODE_ENV: 'production', ...TEST_SESSION_KEYS, PORT: 'x', HOST: 'bad host!' }),
    ).toEqual([
      'PORT: must be a whole number from 0 to 65535',
      'HOST: must be an IP address or a host name',
      'COGNITO_CLIENT_ID: is required in production',
      'COGNITO_REGION: is required (or give COGNITO_USER_POOL_ID, which names the region)',
    ]);
  });

  it('serves the ops endpoints on the public port unless OPS_PORT is set', () => {
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
