// Every rule of a call is counted in one round trip to Redis, and settled in one: a script over the call's
// keys (redis-call-counters.ts), not a command per rule. Proven on a real Redis: its MONITOR shows every
// command a client sent (and, apart, those a script ran), and the scripts' semantics are driven directly
// against it, down to the keys and values rate-limiter-flexible's limiters read and write.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsumeAllResult, CounterRef, LimitRule } from '../../src/limits/abuse-limiter';
import { redisLimiterStore } from '../../src/limits/limiter-store';
import type { MemoryBackedStore } from '../../src/limits/store/contract';
import { createLogger } from '../../src/logger';
import { codeOf } from '../support/answers';
import { startHarness } from '../support/gateway-harness';
import { type RedisInstance, skipWithoutRedis, startRedis } from '../support/redis-server';
import { resend, signUpWith } from '../support/user-pool-requests';

const SKIP = skipWithoutRedis('redis round trips');

/** Commands clients sent while `run` ran, by source: a MULTI ... EXEC block is one round trip. */
async function roundTrips(url: string, run: () => Promise<void>) {
  const watcher = new Redis(url);
  const monitor = await watcher.monitor();
  const sent: string[][] = [];
  const inScripts: string[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source === 'lua') inScripts.push(String(args[0]).toLowerCase());
    else sent.push(args.map(String));
  });
  // MONITOR starts with the next command: one of our own marks the start, another the end.
  await watcher.ping('start');
  await run();
  await watcher.ping('end');
  await new Promise((resolve) => setTimeout(resolve, 100));
  monitor.disconnect();
  watcher.disconnect();
  const ours = sent.filter((args) => !(args[0]?.toLowerCase() === 'ping'));
  const trips: string[] = [];
  let inMulti = false;
  for (const [command = ''] of ours) {
    const name = command.toLowerCase();
    if (name === 'multi') inMulti = true;
    if (!inMulti) trips.push(name);
    if (name === 'exec') {
      inMulti = false;
      trips.push('multi/exec');
    }
  }
  return { trips, inScripts };
}

describe.skipIf(SKIP)('one round trip to Redis per call for its limits', () => {
  let redis: RedisInstance;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('takes every rule of a call in one script, and settles them in one', async () => {
    const h = await startHarness({
      env: {
        REDIS_URL: redis.url,
        LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '60',
        LIMIT_RESEND_USERNAME_PER_HOUR: '5',
        LIMIT_RESEND_IP_PER_HOUR: '30',
        LIMIT_SIGN_UP_IP_PER_HOUR: '10',
        LIMIT_DESTINATION_PER_HOUR: '5',
        LIMIT_UNKNOWN_DESTINATION_PER_HOUR: '20',
      },
    });
    try {
      expect(codeOf(await h.graphql(signUpWith('counted', { email: 'counted@example.com' })))).toBe('OK');
      let answer = '';
      const { trips, inScripts } = await roundTrips(redis.url, async () => {
        answer = codeOf(await h.graphql(resend({ username: 'counted' })));
      });
      expect(answer).toBe('OK');
      // One script looks at and counts every rule: the cooldown, the hourly cap (by the account and by the
      // name), the IP, the destination, the email and unknown-destination budgets. The code went as foreseen:
      // nothing to settle, no round trip. Besides, the destination links: read, and refreshed in one MULTI.
      expect(trips.filter((t) => t === 'evalsha')).toEqual(['evalsha']);
      expect(inScripts.filter((c) => c === 'incrby').length).toBeGreaterThanOrEqual(6);
      expect(trips.filter((t) => !['evalsha', 'smembers', 'multi/exec'].includes(t))).toEqual([]);

      // A sign-up Cognito refuses (the name is taken) gives back its codes-sent points: one more script.
      const settled = await roundTrips(redis.url, async () => {
        answer = codeOf(await h.graphql(signUpWith('counted', { email: 'other@example.com' })));
      });
      expect(answer).toBe('USERNAME_EXISTS');
      // (The settle's script runs here for the first time: ioredis's EVALSHA met NOSCRIPT, and it sent EVAL.)
      expect(settled.trips).toEqual(['evalsha', 'eval']);
      expect(settled.inScripts).toContain('exists');

      // A second resend in the cooldown is refused by the same one look, taking nothing.
      const refused = await roundTrips(redis.url, async () => {
        answer = codeOf(await h.graphql(resend({ username: 'counted' })));
      });
      expect(answer).toBe('RATE_LIMITED');
      expect(refused.trips.filter((t) => t === 'evalsha')).toEqual(['evalsha']);
      expect(refused.inScripts.filter((c) => c === 'incrby')).toEqual([]);
    } finally {
      await h.close();
    }
  });
});

describe.skipIf(SKIP)("the Redis scripts of a call's counters", () => {
  let redis: RedisInstance;
  let client: Redis;
  let store: MemoryBackedStore;
  const A: LimitRule = { name: 'a', subject: 'username', points: 2, durationSeconds: 60 };
  const B: LimitRule = { name: 'b', subject: 'ip', points: 10, durationSeconds: 3_600 };
  const call = (user: string): CounterRef[] => [
    { rule: A, key: user },
    { rule: B, key: '192.0.2.1' },
  ];
  const countsOf = (result: ConsumeAllResult) =>
    'taken' in result
      ? result.taken.map((r) => r.consumedPoints)
      : { spent: result.spent.map((s) => s.index) };

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    store = redisLimiterStore(
      { mode: 'single', nodes: [{ host: '127.0.0.1', port: redis.port }], tls: false },
      createLogger('silent'),
      { sweepEveryMs: 0 },
    );
    await store.ready();
  });
  afterAll(async () => {
    await store.close();
    client.disconnect();
    await redis.stop();
  });

  it('counts in the keys and values of rate-limiter-flexible, under the hash-tagged prefix', async () => {
    expect(countsOf(await store.counters.consumeAll(call('keys')))).toEqual([1, 1]);
    expect(await client.get('{cognito-gateway}:a:keys')).toBe('1');
    expect(await client.pttl('{cognito-gateway}:a:keys')).toBeGreaterThan(59_000);
    expect(await client.ttl('{cognito-gateway}:b:192.0.2.1')).toBeGreaterThan(3_590);
    // The per-rule limiter (rate-limiter-flexible's script) counts the same counter.
    expect(await store.createLimiter(A).consume('keys')).toMatchObject({ consumedPoints: 2 });
    expect(countsOf(await store.counters.consumeAll(call('keys')))).toEqual({ spent: [0] });
  });

  it('takes nothing from any rule of a refused call, and names every spent one with its window', async () => {
    await store.counters.consumeAll(call('spent'));
    await store.counters.consumeAll(call('spent'));
    const before = await client.get('{cognito-gateway}:b:192.0.2.1');
    const refused = await store.counters.consumeAll(call('spent'));
    expect(refused).toMatchObject({ spent: [{ index: 0, res: { consumedPoints: 2 } }] });
    if ('spent' in refused) expect(refused.spent[0]?.res.msBeforeNext).toBeGreaterThan(59_000);
    expect(await client.get('{cognito-gateway}:a:spent')).toBe('2');
    expect(await client.get('{cognito-gateway}:b:192.0.2.1')).toBe(before);
  });

  it('needs two points of a counter named twice', async () => {
    await store.counters.consumeAll([{ rule: A, key: 'twice' }]);
    expect(countsOf(await store.counters.consumeAll([...call('twice'), { rule: A, key: 'twice' }]))).toEqual({
      spent: [2],
    });
    expect(await client.get('{cognito-gateway}:a:twice')).toBe('1');
  });

  it('gives back into a live window only, never below zero, and charges past the points', async () => {
    await store.counters.consumeAll(call('settle'));
    expect(await store.counters.settleAll(call('settle'), [])).toEqual([]);
    expect(await client.get('{cognito-gateway}:a:settle')).toBe('0');
    // Below zero: forgotten, so that a point given back late is no credit.
    await store.counters.settleAll(call('settle'), []);
    expect(await client.exists('{cognito-gateway}:a:settle')).toBe(0);
    await store.counters.settleAll([{ rule: A, key: 'never-counted' }], []);
    expect(await client.exists('{cognito-gateway}:a:never-counted')).toBe(0);
    await store.counters.consumeAll([{ rule: A, key: 'charged' }]);
    await store.counters.consumeAll([{ rule: A, key: 'charged' }]);
    expect(await store.counters.settleAll([], [{ rule: A, key: 'charged' }])).toMatchObject([
      { consumedPoints: 3 },
    ]);
  });

  it("heals a counter Redis lost with the shadow's count and window, in the same script", async () => {
    await store.counters.consumeAll(call('lost'));
    await client.flushall();
    const ipBefore = Number(await store.counters.getAll(call('lost')).then(([, ip]) => ip?.consumedPoints));
    expect(countsOf(await store.counters.consumeAll(call('lost')))).toEqual([2, ipBefore + 1]);
    expect(await client.get('{cognito-gateway}:a:lost')).toBe('2');
    expect(countsOf(await store.counters.consumeAll(call('lost')))).toEqual({ spent: [0] });
  });

  it('loads its scripts again when Redis has lost them (EVALSHA answers NOSCRIPT)', async () => {
    await client.script('FLUSH');
    expect(countsOf(await store.counters.consumeAll(call('reloaded')))).toEqual([1, expect.any(Number)]);
    expect(await store.counters.getAll(call('reloaded'))).toMatchObject([{ consumedPoints: 1 }, {}]);
    expect(store.healthy()).toBe(true);
  });
});
