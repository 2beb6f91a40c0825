// The challenge check as a CPU lever: GET /challenge is free, and every wrong solution of a genuine challenge
// costs the gateway one PBKDF2 derivation (CHALLENGE_COST iterations, ~17 ms at 100000 on one core) before it
// can say no. An attacker sends wrong solutions as fast as it can; past its IP's budget of failed checks
// (CHALLENGE_FAILURES_IP_PER_HOUR) it must get RATE_LIMITED without any derivation. Measured with the
// process's CPU time and with /metrics' count of checks that failed (each of which ran a derivation).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Challenge, fetchChallenge, responseOf } from '../support/challenge';
import { type Harness, startHarness } from '../support/gateway-harness';
import { type RedisInstance, skipWithoutRedis, startRedis } from '../support/redis-server';
import { signUp } from '../support/user-pool-requests';

const BUDGET = 20;
const ENV = {
  CHALLENGE_MODE: 'always',
  CHALLENGE_HMAC_KEY: 'integration-challenge-key-0123456789',
  // The most configuration allows: each check of a wrong solution costs the gateway ~17 ms of CPU.
  CHALLENGE_COST: '100000',
  CHALLENGE_FAILURES_IP_PER_HOUR: String(BUDGET),
  // One client IP per test through a trusted proxy, as behind a load balancer.
  TRUST_PROXY: 'loopback',
};

/** A wrong solution that passes every cheap check (the right prefix, a genuine signature): only PBKDF2 can tell. */
function wrongSolution(challenge: Challenge): string {
  const derivedKey = `${challenge.parameters.keyPrefix}${randomBytes(32).toString('hex')}`.slice(0, 64);
  return responseOf(challenge, { counter: 1 + Math.floor(Math.random() * 1e6), derivedKey });
}

function newUser(name: string, challengeResponse: string) {
  return signUp({
    username: name,
    password: 'Plum-Tiger-Harbor-93!',
    userAttributes: [{ name: 'email', value: `${name}@example.com` }],
    challengeResponse,
  });
}

/** CPU time (user + system, all threads: PBKDF2 runs on libuv's pool) spent by this process meanwhile, in ms. */
async function cpuMs<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const before = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(before);
  return { result, ms: (used.user + used.system) / 1000 };
}

async function failedChecks(h: Harness): Promise<number> {
  const text = await (await fetch(h.url.replace(/\/graphql$/, '/metrics'))).text();
  return Number(/^gateway_challenges_total\{result="failed"\} (\d+)$/m.exec(text)?.[1] ?? 0);
}

describe('wrong solutions of genuine challenges at CHALLENGE_COST=100000', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: ENV });
  });
  afterAll(() => h.close());

  it(`checks ${BUDGET} from one IP, then answers RATE_LIMITED without checking, at a fraction of the CPU`, async () => {
    const challenge = await fetchChallenge(h.url);
    const from = { 'x-forwarded-for': '203.0.113.66' };
    const send = async (n: number) => {
      const codes: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const res = await h.graphql(newUser(`cpu.${i}`, wrongSolution(challenge)), from);
        codes.push(res.body.errors?.[0]?.extensions);
      }
      return codes;
    };

    const within = await cpuMs(() => send(BUDGET));
    expect(within.result.every((e) => (e as { code: string }).code === 'CHALLENGE_FAILED')).toBe(true);
    const checkedWithin = await failedChecks(h);
    expect(checkedWithin).toBe(BUDGET);

    const past = await cpuMs(() => send(BUDGET));
    for (const extensions of past.result) {
      expect(extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: expect.any(Number) });
      expect((extensions as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(3_000);
    }
    // Not one more derivation was run for them.
    expect(await failedChecks(h)).toBe(checkedWithin);
    const perRequest = (ms: number) => Math.round((ms / BUDGET) * 10) / 10;
    console.log(
      `challenge CPU lever: ${perRequest(within.ms)} ms of CPU per checked wrong solution, ${perRequest(past.ms)} ms per refused one`,
    );
    // Each checked one costs a derivation (~17 ms); a refused one costs only GraphQL and a counter look-up.
    expect(past.ms).toBeLessThan(within.ms / 3);
    expect(h.standIn.calls).toHaveLength(0);
  });

  it('takes nothing from other IPs: another caller’s wrong solution is still checked', async () => {
    const res = await h.graphql(newUser('cpu.bystander', wrongSolution(await fetchChallenge(h.url))), {
      'x-forwarded-for': '198.51.100.12',
    });
    expect(res.body.errors[0].extensions).toEqual({ code: 'CHALLENGE_FAILED' });
  });

  it(`checks at most ${BUDGET} of ${2 * BUDGET} sent at once from one IP: the budget is taken before the check`, async () => {
    const challenge = await fetchChallenge(h.url);
    const before = await failedChecks(h);
    const answers = await Promise.all(
      Array.from({ length: 2 * BUDGET }, (_, i) =>
        h.graphql(newUser(`burst.${i}`, wrongSolution(challenge)), { 'x-forwarded-for': '203.0.113.77' }),
      ),
    );
    const codes = answers.map((r) => r.body.errors?.[0]?.extensions.code);
    expect(codes.filter((c) => c === 'CHALLENGE_FAILED')).toHaveLength(BUDGET);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(BUDGET);
    expect((await failedChecks(h)) - before).toBe(BUDGET);
  });
});

describe.skipIf(skipWithoutRedis('challenge failures shared through Redis'))(
  'two gateways sharing one Redis',
  () => {
    let redis: RedisInstance;
    let a: Harness;
    let b: Harness;
    beforeAll(async () => {
      redis = await startRedis();
      const env = {
        ...ENV,
        CHALLENGE_COST: '100',
        CHALLENGE_FAILURES_IP_PER_HOUR: '3',
        REDIS_URL: redis.url,
      };
      [a, b] = await Promise.all([startHarness({ env }), startHarness({ env })]);
    });
    afterAll(async () => {
      await Promise.all([a?.close(), b?.close()]);
      await redis?.stop();
    });

    it('count one budget per IP: failures spread over both use it up on both', async () => {
      const from = { 'x-forwarded-for': '203.0.113.99' };
      const codes: string[] = [];
      for (const [i, h] of [a, b, a, b].entries()) {
        const res = await h.graphql(newUser(`shared.${i}`, wrongSolution(await fetchChallenge(h.url))), from);
        codes.push(res.body.errors[0].extensions.code);
      }
      expect(codes).toEqual(['CHALLENGE_FAILED', 'CHALLENGE_FAILED', 'CHALLENGE_FAILED', 'RATE_LIMITED']);
      const onA = await a.graphql(newUser('shared.a', wrongSolution(await fetchChallenge(a.url))), from);
      expect(onA.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    });
  },
);
