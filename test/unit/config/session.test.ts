// The refresh-token cookie's configuration: keys inline or from a file (one, or two while rotating), required
// in production once sign-in is served, made up per process outside production with a warning, and never echoed;
// the cookie's name, SameSite and the refresh token's validity, each checked against its range.
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  configVariables,
  loadConfig as loadWithCalls,
  logConfigWarnings,
  parseSessionKeys,
  SESSION_COOKIE_ACTIONS,
} from '../../../src/config';
import type { CallLimits } from '../../../src/limits/limit-settings';
import { createLogger } from '../../../src/logger';
import { USER_POOL_CALL_LIMITS } from '../../../src/user-pool-calls/registry';
import { thrownBy } from '../../support/thrown';
import { loadConfig, problemsOf, REMOTE } from './support';

/** The registry's calls, sign-in among them. */
const WITH_SIGN_IN: readonly CallLimits[] = USER_POOL_CALL_LIMITS;
const withSignIn = (env: Record<string, string>, readFile?: (p: string) => string) =>
  loadWithCalls(env, WITH_SIGN_IN, readFile);
const signInProblems = (env: Record<string, string>, readFile?: (p: string) => string) =>
  thrownBy(ConfigError, () => withSignIn(env, readFile)).problems;

const KEY_A = 'pZ1qJ9xW0m3V7yKc2nT5rB8dF4hL6sG0aE1uI9oQ2wY=';
const KEY_B = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const PRODUCTION = { NODE_ENV: 'production', ...REMOTE };
/** The calls of the gateway before sign-in: none uses the cookie. */
const WITHOUT_SIGN_IN = USER_POOL_CALL_LIMITS.filter(({ action }) => !SESSION_COOKIE_ACTIONS.has(action));
const reveal = (config: ReturnType<typeof loadConfig>) => config.session?.keys.map((k) => k.reveal());

describe('the session cookie settings', () => {
  it('are absent while no call served uses the cookie and no key is given, in production too', () => {
    expect(loadWithCalls({}, WITHOUT_SIGN_IN).session).toBeUndefined();
    expect(loadWithCalls(PRODUCTION, WITHOUT_SIGN_IN).session).toBeUndefined();
  });

  it('default to the __Host-cognito-refresh cookie, SameSite=Strict, 30 days, no refresh token in payloads', () => {
    expect(withSignIn({ ...PRODUCTION, SESSION_KEYS: KEY_A }).session).toEqual({
      keys: [expect.anything()],
      keysGenerated: false,
      cookieName: '__Host-cognito-refresh',
      sameSite: 'Strict',
      refreshTokenValidityDays: 30,
      refreshTokenInPayload: false,
    });
  });

  it('read one key, or two newest first separated by a comma or a newline, keeping them out of the configuration printed', () => {
    expect(reveal(withSignIn({ ...PRODUCTION, SESSION_KEYS: KEY_A }))).toEqual([KEY_A]);
    for (const keys of [
      `${KEY_B},${KEY_A}`,
      `${KEY_B} , ${KEY_A}`,
      `${KEY_B}\n${KEY_A}`,
      `${KEY_B}\r\n${KEY_A}\n`,
    ]) {
      const config = withSignIn({ ...PRODUCTION, SESSION_KEYS: keys });
      expect(reveal(config)).toEqual([KEY_B, KEY_A]);
      expect(JSON.stringify(config)).not.toContain(KEY_A);
      expect(JSON.stringify(config)).not.toContain(KEY_B);
    }
  });

  it('read the keys from SESSION_KEYS_FILE, one per line, and remember the file to watch', () => {
    const config = withSignIn({ ...PRODUCTION, SESSION_KEYS_FILE: '/run/secrets/session_keys' }, (path) =>
      path === '/run/secrets/session_keys' ? `${KEY_B}\n${KEY_A}\n` : 'unexpected',
    );
    expect(reveal(config)).toEqual([KEY_B, KEY_A]);
    expect(config.session?.keysFile).toBe('/run/secrets/session_keys');
  });

  it('are checked whenever keys are given, even while no call uses them', () => {
    expect(reveal(loadConfig({ ...PRODUCTION, SESSION_KEYS: KEY_A }))).toEqual([KEY_A]);
    expect(problemsOf({ ...PRODUCTION, SESSION_KEYS: 'too-short' })).toEqual([
      expect.stringMatching(/^SESSION_KEYS: must be 32 random bytes or more/),
    ]);
  });

  it('require keys in production once sign-in is served, in one line that says how to make one', () => {
    expect(signInProblems(PRODUCTION)).toEqual([
      'SESSION_KEYS: is required in production to serve sign-in (or SESSION_KEYS_FILE): one key of 32 random bytes, e.g. openssl rand -base64 32',
    ]);
    // Outside production (a gateway in front of moto or cognito-local, started as their users start it) one is
    // made up, as in local mode: sign-up keeps working with the emulator's credentials alone.
    expect(withSignIn(REMOTE).session).toMatchObject({ keysGenerated: true });
  });

  it('make a random key for this process outside production, and warn that its cookies die with it', () => {
    const first = withSignIn({});
    const second = withSignIn({});
    expect(first.session).toMatchObject({ keysGenerated: true });
    expect(reveal(first)?.[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(reveal(first)).not.toEqual(reveal(second));
    expect(parseSessionKeys(reveal(first)?.[0] ?? '', 'SESSION_KEYS')).toHaveProperty('keys');
    const lines: Array<{ level: number; msg: string }> = [];
    logConfigWarnings(first, createLogger('info', { write: (l: string) => void lines.push(JSON.parse(l)) }));
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'SESSION_KEYS is not set: refresh-token cookies are sealed with a key made for this process, and stop opening when it restarts',
      }),
    );
    // A key that is given is used in local mode too, without the warning.
    const given = withSignIn({ SESSION_KEYS: KEY_A });
    expect(reveal(given)).toEqual([KEY_A]);
    lines.length = 0;
    logConfigWarnings(given, createLogger('info', { write: (l: string) => void lines.push(JSON.parse(l)) }));
    expect(lines).toEqual([]);
  });

  it('accept 32 random bytes as hex or base64 and nothing shorter or made up', () => {
    const ok = (key: string) => 'keys' in parseSessionKeys(key, 'SESSION_KEYS');
    expect(ok(KEY_B)).toBe(true);
    expect(ok(KEY_B.slice(0, 63))).toBe(false);
    expect(ok(KEY_A)).toBe(true);
    expect(ok(KEY_A.slice(0, 43))).toBe(true);
    expect(ok(KEY_A.slice(0, 42))).toBe(false);
    expect(ok('pZ1qJ9xW0m3V7yKc2nT5rB8dF4hL6sG0aE1uI9oQ2wY')).toBe(true);
    expect(ok('pZ1qJ9xW0m3V7yKc2nT5rB8dF4hL6sG0aE1uI9oQ2w_-')).toBe(true);
    expect(ok('0'.repeat(64))).toBe(false);
    expect(ok('abcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabcabca')).toBe(false);
    expect(ok(`${KEY_A.slice(0, 20)} ${KEY_A.slice(20)}`)).toBe(false);
    expect(ok('pZ1qJ9xW0m3V7yKc2nT5rB8dF4hL6sG0aE1uI9oQ2wY$')).toBe(false);
    expect(ok(KEY_B.repeat(17))).toBe(false);
  });

  it('refuse three keys, the same key twice, both variables and an unreadable file, never echoing a key', () => {
    const bad = 'not-a-key-at-all';
    const problems = [
      ...signInProblems({ ...PRODUCTION, SESSION_KEYS: `${KEY_A},${KEY_B},${KEY_A}` }),
      ...signInProblems({ ...PRODUCTION, SESSION_KEYS: `${KEY_A}\n${KEY_A}` }),
      ...signInProblems({ ...PRODUCTION, SESSION_KEYS: `${KEY_B},${bad}` }),
      ...signInProblems({ ...PRODUCTION, SESSION_KEYS: ' , \n' }),
      ...signInProblems({
        ...PRODUCTION,
        SESSION_KEYS: KEY_A,
        SESSION_KEYS_FILE: '/run/secrets/session_keys',
      }),
      ...signInProblems({ ...PRODUCTION, SESSION_KEYS_FILE: '/nope' }, () => {
        throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
      }),
    ];
    expect(problems).toEqual([
      'SESSION_KEYS: holds 3 keys; give one, or two while rotating (newest first)',
      'SESSION_KEYS: holds the same key twice',
      expect.stringMatching(/^SESSION_KEYS: key 2 of 2 must be 32 random bytes or more/),
      'SESSION_KEYS: holds no key',
      'SESSION_KEYS_FILE: set either it or SESSION_KEYS, not both',
      'SESSION_KEYS_FILE: cannot read the file (EACCES)',
    ]);
    for (const secret of [KEY_A, KEY_B, bad]) expect(problems.join('\n')).not.toContain(secret);
  });

  it('read SESSION_COOKIE_NAME, SESSION_COOKIE_SAMESITE in any case, REFRESH_TOKEN_VALIDITY_DAYS and REFRESH_TOKEN_IN_PAYLOAD', () => {
    const session = withSignIn({
      ...PRODUCTION,
      SESSION_KEYS: KEY_A,
      SESSION_COOKIE_NAME: '__Host-shop_refresh',
      SESSION_COOKIE_SAMESITE: 'lax',
      REFRESH_TOKEN_VALIDITY_DAYS: '3650',
      REFRESH_TOKEN_IN_PAYLOAD: 'true',
    }).session;
    expect(session).toMatchObject({
      cookieName: '__Host-shop_refresh',
      sameSite: 'Lax',
      refreshTokenValidityDays: 3650,
      refreshTokenInPayload: true,
    });
    const none = withSignIn({ ...PRODUCTION, SESSION_KEYS: KEY_A, SESSION_COOKIE_SAMESITE: 'None' }).session;
    expect(none?.sameSite).toBe('None');
  });

  it('refuse a cookie name without __Host- or with separators, an unknown SameSite and a validity out of 1-3650 days, all at once', () => {
    expect(
      problemsOf({
        ...PRODUCTION,
        SESSION_KEYS: KEY_A,
        SESSION_COOKIE_NAME: 'cognito-refresh',
        SESSION_COOKIE_SAMESITE: 'strictest',
        REFRESH_TOKEN_VALIDITY_DAYS: '0',
        REFRESH_TOKEN_IN_PAYLOAD: 'yes',
      }),
    ).toEqual([
      'SESSION_COOKIE_NAME: must be __Host- followed by 1 to 64 letters, digits, - or _',
      'SESSION_COOKIE_SAMESITE: must be one of Strict, Lax, None',
      'REFRESH_TOKEN_VALIDITY_DAYS: must be a whole number from 1 to 3650',
      'REFRESH_TOKEN_IN_PAYLOAD: must be true or false',
    ]);
    for (const name of ['__Host-a;b', '__Host-', '__Secure-x', `__Host-${'x'.repeat(65)}`])
      expect(problemsOf({ ...PRODUCTION, SESSION_KEYS: KEY_A, SESSION_COOKIE_NAME: name })).toHaveLength(1);
    expect(problemsOf({ ...PRODUCTION, SESSION_KEYS: KEY_A, REFRESH_TOKEN_VALIDITY_DAYS: '3651' })).toEqual([
      'REFRESH_TOKEN_VALIDITY_DAYS: must be a whole number from 1 to 3650',
    ]);
  });

  it('are listed among the variables the gateway reads', () => {
    expect(configVariables(USER_POOL_CALL_LIMITS)).toEqual(
      expect.arrayContaining([
        'SESSION_KEYS',
        'SESSION_KEYS_FILE',
        'SESSION_COOKIE_NAME',
        'SESSION_COOKIE_SAMESITE',
        'REFRESH_TOKEN_VALIDITY_DAYS',
        'REFRESH_TOKEN_IN_PAYLOAD',
      ]),
    );
  });
});
