import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config';
import { thrownBy } from '../../support/thrown';
import { loadConfig, MOTO_SECRET, problemsOf, REMOTE } from './support';

describe('the Cognito settings', () => {
  it("runs local mode's stand-in on the fixed port 4099 (not Node's inspector's 9229), or on LOCAL_COGNITO_PORT (0: any)", () => {
    expect(loadConfig({}).cognito).toEqual({ mode: 'local', port: 4099 });
    expect(loadConfig({ LOCAL_COGNITO_PORT: '0' }).cognito).toEqual({ mode: 'local', port: 0 });
    expect(loadConfig({ LOCAL_COGNITO_PORT: '9300' }).cognito).toEqual({ mode: 'local', port: 9300 });
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
});
