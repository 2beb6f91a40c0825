import { describe, expect, it } from 'vitest';
import { configVariables } from '../../../src/config';
import { USER_POOL_CALL_LIMITS } from '../../../src/user-pool-calls/registry';
import { loadConfig, PRODUCTION_REMOTE, problemsOf, REMOTE } from './support';

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
    expect(problemsOf({ ...PRODUCTION_REMOTE, CHALLENGE_MODE: 'adaptive' })).toEqual([
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
