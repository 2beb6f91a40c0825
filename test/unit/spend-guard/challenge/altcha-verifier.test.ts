// The ALTCHA verifier on its own: what it signs, and every way a response can fail to pass, each verdict for
// one reason. The replay store is the limiter store the abuse limits use (here in memory).
import { describe, expect, it, vi } from 'vitest';
import type { CountingLimiter } from '../../../../src/limits/abuse-limiter';
import { memoryLimiterStore } from '../../../../src/limits/limiter-store';
import { Secret } from '../../../../src/secret';
import {
  ALTCHA_ALGORITHM,
  AltchaVerifier,
  CHALLENGE_LIFETIME_SECONDS,
} from '../../../../src/spend-guard/challenge/altcha-verifier';
import {
  anotherSolution,
  type Challenge,
  responseOf,
  solve,
  solvedResponse,
} from '../../../support/challenge';
import { rejectionOf } from '../../../support/thrown';

const KEY = 'test-challenge-key-0123456789abcdef';
const CALLER = { clientIp: '203.0.113.7' };

const { deriveKey } = require('altcha-lib/algorithms/pbkdf2') as {
  deriveKey: NonNullable<ConstructorParameters<typeof AltchaVerifier>[0]['deriveKey']>;
};

function verifier(
  options: { key?: string; now?: () => number; replay?: CountingLimiter; deriveKey?: typeof deriveKey } = {},
) {
  return new AltchaVerifier({
    hmacKey: new Secret(options.key ?? KEY),
    // The lowest cost configuration allows: the tests solve many challenges.
    cost: 100,
    replay: options.replay ?? memoryLimiterStore().createLimiter(AltchaVerifier.replayRule),
    ...(options.now && { now: options.now }),
    ...(options.deriveKey && { deriveKey: options.deriveKey }),
  });
}

async function issued(v: AltchaVerifier): Promise<Challenge> {
  return (await v.issue()) as Challenge;
}

describe('AltchaVerifier.issue', () => {
  it('signs a PBKDF2/SHA-256 challenge of the configured cost that expires in 5 minutes', async () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    const challenge = await issued(verifier({ now: () => now }));
    expect(challenge.parameters).toMatchObject({
      algorithm: ALTCHA_ALGORITHM,
      cost: 100,
      keyPrefix: '00',
      expiresAt: now / 1000 + 300,
    });
    expect(CHALLENGE_LIFETIME_SECONDS).toBe(300);
    expect(challenge.signature).toMatch(/^[0-9a-f]{64}$/);
    // A fresh nonce and salt each time: no two challenges share a solution.
    const other = await issued(verifier({ now: () => now }));
    expect(other.parameters.nonce).not.toBe(challenge.parameters.nonce);
    expect(other.parameters.salt).not.toBe(challenge.parameters.salt);
  });
});

describe('AltchaVerifier.verify', () => {
  it('passes a solution of its own challenge once, and refuses it as replayed after that', async () => {
    const v = verifier();
    const response = await solvedResponse(await issued(v));
    expect(await v.verify(response, CALLER)).toEqual({ ok: true });
    expect(await v.verify(response, CALLER)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses a second solution of a challenge already answered (one challenge, one use)', async () => {
    const v = verifier();
    const challenge = await issued(v);
    const first = await solve(challenge);
    const second = await anotherSolution(challenge, first);
    expect(second.counter).not.toBe(first.counter);
    expect(await v.verify(responseOf(challenge, first), CALLER)).toEqual({ ok: true });
    expect(await v.verify(responseOf(challenge, second), CALLER)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('lets only one of two concurrent uses of one solution pass', async () => {
    const v = verifier();
    const response = await solvedResponse(await issued(v));
    const verdicts = await Promise.all([v.verify(response, CALLER), v.verify(response, CALLER)]);
    expect(verdicts).toEqual(expect.arrayContaining([{ ok: true }, { ok: false, reason: 'replayed' }]));
  });

  it('refuses a challenge signed with another key (another gateway, or a forger)', async () => {
    const other = verifier({ key: 'another-gateway-key-0123456789abcdef' });
    const response = await solvedResponse(await issued(other));
    expect(await verifier().verify(response, CALLER)).toEqual({ ok: false, reason: 'forged' });
  });

  it('refuses a challenge whose signed parameters were changed: salt, nonce, cost, prefix or expiry', async () => {
    const v = verifier();
    const challenge = await issued(v);
    const solution = await solve(challenge);
    const tampered: Array<Partial<Challenge['parameters']>> = [
      { salt: '00'.repeat(16) },
      { nonce: 'ff'.repeat(16) },
      { cost: 1 },
      { keyPrefix: '0' },
      { expiresAt: (challenge.parameters.expiresAt ?? 0) + 3_600 },
    ];
    for (const change of tampered) {
      const forged = { ...challenge, parameters: { ...challenge.parameters, ...change } };
      expect(await v.verify(responseOf(forged, solution), CALLER), JSON.stringify(change)).toEqual({
        ok: false,
        reason: 'forged',
      });
    }
    // Untouched, it still passes: each refusal above was for the change alone.
    expect(await v.verify(responseOf(challenge, solution), CALLER)).toEqual({ ok: true });
  });

  it('refuses a wrong counter or key, and the solution of another challenge', async () => {
    const v = verifier();
    const challenge = await issued(v);
    const solution = await solve(challenge);
    const wrong = [
      { ...solution, counter: solution.counter + 1 },
      { ...solution, derivedKey: `00${'1'.repeat(62)}` },
      await solve(await issued(v)),
    ];
    for (const attempt of wrong) {
      expect(await v.verify(responseOf(challenge, attempt), CALLER)).toEqual({
        ok: false,
        reason: 'wrong-solution',
      });
    }
    // Failed attempts do not use the challenge up: its real solution still passes.
    expect(await v.verify(responseOf(challenge, solution), CALLER)).toEqual({ ok: true });
  });

  it('refuses a solved challenge once it has expired', async () => {
    const issuedAt = Date.now() - (CHALLENGE_LIFETIME_SECONDS + 1) * 1000;
    const response = await solvedResponse(await issued(verifier({ now: () => issuedAt })));
    expect(await verifier().verify(response, CALLER)).toEqual({ ok: false, reason: 'expired' });
    // The verifier's clock decides, not only the library's.
    const fresh = verifier({ now: () => Date.now() });
    const later = await solvedResponse(await issued(fresh));
    const v = verifier({ now: () => Date.now() + CHALLENGE_LIFETIME_SECONDS * 1000 });
    expect(await v.verify(later, CALLER)).toEqual({ ok: false, reason: 'expired' });
  });

  it('refuses garbage of every shape as malformed, without throwing', async () => {
    const v = verifier();
    const challenge = await issued(v);
    const solution = await solve(challenge);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
    const garbage = [
      'x',
      '!!!not base64!!!',
      'A'.repeat(4096),
      Buffer.from('not json').toString('base64'),
      encode(null),
      encode([]),
      encode('string'),
      encode({ challenge, solution: null }),
      encode({ challenge: null, solution }),
      encode({ challenge: { parameters: challenge.parameters }, solution }),
      encode({ challenge: { ...challenge, parameters: null }, solution }),
      encode({ challenge, solution: { ...solution, counter: String(solution.counter) } }),
      encode({ challenge, solution: { ...solution, counter: -1 } }),
      encode({ challenge, solution: { ...solution, counter: 2 ** 32 } }),
      encode({ challenge, solution: { ...solution, derivedKey: 'ZZ' } }),
      encode({ challenge: { ...challenge, signature: 42 }, solution }),
      encode({
        challenge: { ...challenge, parameters: { ...challenge.parameters, algorithm: 'SHA-256' } },
        solution,
      }),
      encode({
        challenge: { ...challenge, parameters: { ...challenge.parameters, nonce: 'xyz' } },
        solution,
      }),
      encode({
        challenge: { ...challenge, parameters: { ...challenge.parameters, expiresAt: 'soon' } },
        solution,
      }),
      encode({ challenge: { ...challenge, parameters: { ...challenge.parameters, cost: 1e9 } }, solution }),
      encode({ test: true, challenge: null, solution: null }),
    ];
    for (const response of garbage) {
      expect(await v.verify(response, CALLER), response.slice(0, 60)).toEqual({
        ok: false,
        reason: 'malformed',
      });
    }
  });

  it('lets no solution pass when the replay store fails: the failure surfaces, it is never taken as unused', async () => {
    const failing: CountingLimiter = {
      get: async () => null,
      consume: async () => {
        throw new Error('store unusable');
      },
      reward: async () => undefined,
    };
    const v = verifier({ replay: failing });
    const response = await solvedResponse(await issued(v));
    expect((await rejectionOf(v.verify(response, CALLER))).message).toBe('store unusable');
  });
});

describe('AltchaVerifier.verify before its one costly step', () => {
  /** A verifier whose PBKDF2 derivations are counted. */
  function counted(now?: () => number) {
    const derive = vi.fn(deriveKey);
    return { v: verifier({ deriveKey: derive, ...(now && { now }) }), derive };
  }
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

  it('refuses without deriving a key: garbage, another algorithm, expired, a bad signature, no prefix, answered', async () => {
    const { v, derive } = counted();
    const challenge = await issued(v);
    const solution = await solve(challenge);
    const expired = await issued(
      verifier({ now: () => Date.now() - (CHALLENGE_LIFETIME_SECONDS + 1) * 1000 }),
    );
    const answered = await issued(v);
    const answeredSolution = await solve(answered);
    expect(await v.verify(responseOf(answered, answeredSolution), CALLER)).toEqual({ ok: true });
    derive.mockClear();

    const refusals: Array<[string, string]> = [
      ['!!!', 'malformed'],
      [
        encode({
          challenge: { ...challenge, parameters: { ...challenge.parameters, algorithm: 'PBKDF2/SHA-512' } },
          solution,
        }),
        'malformed',
      ],
      [responseOf(expired, await solve(expired)), 'expired'],
      [responseOf({ ...challenge, signature: 'b'.repeat(64) }, solution), 'forged'],
      [
        responseOf(challenge, { ...solution, derivedKey: `ff${solution.derivedKey.slice(2)}` }),
        'wrong-solution',
      ],
      [responseOf(answered, answeredSolution), 'replayed'],
      [responseOf(answered, { counter: 7, derivedKey: `00${'7'.repeat(62)}` }), 'replayed'],
    ];
    for (const [response, reason] of refusals) {
      expect(await v.verify(response, CALLER), reason).toEqual({ ok: false, reason });
    }
    expect(derive).not.toHaveBeenCalled();
    // A genuine, unanswered challenge with a key of the right prefix is the one case that costs a derivation.
    expect(await v.verify(responseOf(challenge, solution), CALLER)).toEqual({ ok: true });
    expect(derive).toHaveBeenCalledTimes(1);
  });
});
