// The Redis store's fail-over, driven without a redis-server: a shared side written here (it counts as
// rate-limiter-flexible's Redis limiter does, on the test's clock, and can be made to fail, hang or come back
// empty) behind the real fail-over counter and links, the real memory shadow and the real health, all on one
// fake clock. A fail-over must never be a budget reset; test/integration/redis-failover.test.ts proves the
// same over HTTP with a real Redis that is killed.
import { describe, expect, it } from 'vitest';
import { AbuseLimiter, isRefusal, type LimitRule } from '../../../../src/limits/abuse-limiter';
import type { LinkStore } from '../../../../src/limits/destination-links';
import type { SharedCounters } from '../../../../src/limits/store/contract';
import { FailoverLimiter } from '../../../../src/limits/store/failover-limiter';
import { FailoverLinks } from '../../../../src/limits/store/failover-links';
import { RateLimiterRes } from '../../../../src/limits/store/limiter-result';
import { MemoryStore } from '../../../../src/limits/store/memory-store';
import { RETRY_AFTER_MS, RedisHealth } from '../../../../src/limits/store/redis-health';
import { createLogger } from '../../../../src/logger';

const RULE: LimitRule = { name: 'r', subject: 'username', points: 3, durationSeconds: 60 };
const WINDOW_MS = RULE.durationSeconds * 1000;

/**
 * Redis as the fail-over meets it. `up` answers; `down` refuses every command at once (ioredis without its
 * offline queue); `hung` leaves every command unanswered until `timeOut()` (ioredis's commandTimeout).
 */
class FakeRedis {
  mode: 'up' | 'down' | 'hung' = 'up';
  /** Commands that reached Redis, answered or not. */
  calls = 0;
  private readonly counts = new Map<string, { count: number; expiresAt: number }>();
  private readonly sets = new Map<string, { members: Set<string>; expiresAt: number }>();
  private hung: Array<(error: Error) => void> = [];

  constructor(private readonly clock: () => number) {}

  /** Redis restarted without its data. */
  flush(): void {
    this.counts.clear();
    this.sets.clear();
  }

  timeOut(): void {
    for (const reject of this.hung.splice(0)) reject(new Error('Command timed out'));
  }

  /** What Redis itself holds for a rule's key: the count and the milliseconds its key has left. */
  held(rule: LimitRule, key: string): { count: number; msLeft: number } | undefined {
    const entry = this.live(`${rule.name}:${key}`);
    return entry && { count: entry.count, msLeft: entry.expiresAt - this.clock() };
  }

  countersFor(rule: LimitRule): SharedCounters {
    const k = (key: string) => `${rule.name}:${key}`;
    const res = (count: number, expiresAt: number) =>
      new RateLimiterRes(Math.max(0, rule.points - count), expiresAt - this.clock(), count, false);
    // rate-limiter-flexible's script: SET NX with the window's expiry, then INCRBY, for consume and reward alike.
    const incr = (key: string, by: number) => {
      const entry = this.live(k(key)) ?? { count: 0, expiresAt: this.clock() + rule.durationSeconds * 1000 };
      entry.count += by;
      this.counts.set(k(key), entry);
      return res(entry.count, entry.expiresAt);
    };
    return {
      get: (key) =>
        this.command(() => {
          const entry = this.live(k(key));
          return entry ? res(entry.count, entry.expiresAt) : null;
        }),
      consume: (key) =>
        this.command(() => {
          const answer = incr(key, 1);
          if (answer.consumedPoints > rule.points) throw answer;
          return answer;
        }),
      reward: (key) => this.command(() => incr(key, -1)),
      set: (key, points, seconds) =>
        this.command(() => {
          const expiresAt = seconds > 0 ? this.clock() + seconds * 1000 : Number.POSITIVE_INFINITY;
          this.counts.set(k(key), { count: points, expiresAt });
          return res(points, expiresAt);
        }),
      delete: (key) => this.command(() => this.counts.delete(k(key))),
    };
  }

  readonly links: LinkStore = {
    members: (key) =>
      this.command(() => {
        const set = this.sets.get(key);
        return set && set.expiresAt > this.clock() ? [...set.members] : [];
      }),
    add: (key, members, ttlSeconds) =>
      this.command(() => {
        const held = this.sets.get(key);
        const kept = held && held.expiresAt > this.clock() ? held.members : new Set<string>();
        for (const m of members) kept.add(m);
        this.sets.set(key, { members: kept, expiresAt: this.clock() + ttlSeconds * 1000 });
      }),
  };

  private live(key: string) {
    const entry = this.counts.get(key);
    if (entry && entry.expiresAt <= this.clock()) this.counts.delete(key);
    return this.counts.get(key);
  }

  private command<T>(run: () => T): Promise<T> {
    this.calls += 1;
    if (this.mode === 'down') return Promise.reject(new Error('Connection is closed.'));
    if (this.mode === 'hung') return new Promise((_, reject) => this.hung.push(reject));
    return Promise.resolve().then(run);
  }
}

/** One gateway instance's fail-over store parts over `redis`, on the shared clock. */
function instance(redis: FakeRedis, clock: () => number) {
  const logs: Array<{ msg: string }> = [];
  const health = new RedisHealth(
    createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) }),
    clock,
  );
  health.onConnected(); // what ioredis's 'ready' event does
  const shadow = new MemoryStore({ clock, sweepEveryMs: 0 });
  return {
    health,
    logs,
    limiter: new FailoverLimiter(RULE, redis.countersFor(RULE), shadow.countersFor(RULE), health),
    links: new FailoverLinks(redis.links, shadow.links, health),
  };
}

function fixture() {
  let now = 1_700_000_000_000;
  const clock = () => now;
  const redis = new FakeRedis(clock);
  return {
    redis,
    clock,
    ...instance(redis, clock),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** The count a consume answered, or was refused with; a store failure is thrown on. */
async function counted(limiter: { consume(key: string): Promise<RateLimiterRes> }, key: string) {
  try {
    return { refused: false, count: (await limiter.consume(key)).consumedPoints };
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return { refused: true, count: error.consumedPoints };
  }
}

async function spend(limiter: FailoverLimiter, key: string, points: number): Promise<void> {
  for (let i = 0; i < points; i++) expect(await counted(limiter, key)).toMatchObject({ refused: false });
}

describe('the Redis store fail-over', () => {
  it('refuses a budget spent while Redis answered once Redis fails, from the shadow', async () => {
    const { redis, limiter, advance } = fixture();
    await spend(limiter, 'u', RULE.points);
    advance(10_000);
    redis.mode = 'down';
    expect(await counted(limiter, 'u')).toEqual({ refused: true, count: 4 });
    expect(await limiter.get('u')).toMatchObject({ consumedPoints: 4, msBeforeNext: WINDOW_MS - 10_000 });
  });

  it('refuses a budget another instance spent, once this one has read it, when Redis then fails', async () => {
    const { redis, limiter, clock } = fixture();
    const other = instance(redis, clock);
    await spend(other.limiter, 'u', RULE.points);
    // The abuse limiter reads every counter before it takes a point: the read warms the shadow.
    expect(await limiter.get('u')).toMatchObject({ consumedPoints: 3 });
    redis.mode = 'down';
    expect(await counted(limiter, 'u')).toMatchObject({ refused: true });
  });

  it('does not reset a spent budget when an empty Redis comes back, and heals Redis for every instance', async () => {
    const { redis, limiter, clock, advance } = fixture();
    await spend(limiter, 'u', RULE.points);
    redis.mode = 'down';
    expect(await counted(limiter, 'u')).toEqual({ refused: true, count: 4 });
    redis.flush();
    redis.mode = 'up';
    advance(RETRY_AFTER_MS);
    expect(await limiter.get('u')).toMatchObject({ consumedPoints: 4 });
    const callsBefore = redis.calls;
    expect(await counted(limiter, 'u')).toEqual({ refused: true, count: 5 });
    expect(redis.calls).toBeGreaterThan(callsBefore);
    // Healed with what is left of the window the points were spent in, not a new one.
    expect(redis.held(RULE, 'u')).toEqual({ count: 5, msLeft: WINDOW_MS - RETRY_AFTER_MS });
    const other = instance(redis, clock);
    expect(await counted(other.limiter, 'u')).toMatchObject({ refused: true });
  });

  it('reads the larger count when a Redis that kept its data comes back behind the shadow', async () => {
    const { redis, limiter, advance } = fixture();
    await spend(limiter, 'u', 1);
    redis.mode = 'down';
    await spend(limiter, 'u', 2);
    redis.mode = 'up';
    advance(RETRY_AFTER_MS);
    expect(redis.held(RULE, 'u')).toMatchObject({ count: 1 });
    expect(await counted(limiter, 'u')).toEqual({ refused: true, count: 4 });
    expect(redis.held(RULE, 'u')).toMatchObject({ count: 4 });
  });

  it('leaves a failing Redis alone for the retry pause, then tries it again', async () => {
    const { redis, limiter, links, health, logs, advance } = fixture();
    redis.mode = 'down';
    expect(await counted(limiter, 'u')).toEqual({ refused: false, count: 1 });
    const calls = redis.calls;
    expect(health.usable()).toBe(false);
    advance(RETRY_AFTER_MS - 1);
    await limiter.get('u');
    await counted(limiter, 'u');
    await limiter.reward('u');
    await links.add('u', ['d:e:x'], 60);
    expect(await links.members('u')).toEqual(['d:e:x']);
    expect(redis.calls).toBe(calls);
    advance(1);
    expect(health.usable()).toBe(true);
    await counted(limiter, 'u');
    expect(redis.calls).toBe(calls + 1);
    // Still failing: another pause, from this failure.
    advance(RETRY_AFTER_MS - 1);
    await counted(limiter, 'u');
    expect(redis.calls).toBe(calls + 1);
    redis.mode = 'up';
    advance(1);
    await counted(limiter, 'u');
    expect(health.usable()).toBe(true);
    expect(logs.map((l) => l.msg)).toEqual([
      "redis unreachable: abuse limits fall back to this instance's memory until it returns",
      'redis is back: abuse limits are shared again',
    ]);
  });

  it('holds one request while Redis hangs until its command times out, and answers the rest from the shadow', async () => {
    const { redis, limiter } = fixture();
    await spend(limiter, 'u', 2);
    redis.mode = 'hung';
    let answered = false;
    const held = counted(limiter, 'u').finally(() => {
      answered = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).toBe(false);
    redis.timeOut();
    expect(await held).toEqual({ refused: false, count: 3 });
    const calls = redis.calls;
    // Redis still hangs: nothing else waits for it during the pause.
    expect(await counted(limiter, 'u')).toEqual({ refused: true, count: 4 });
    expect(await limiter.get('u')).toMatchObject({ consumedPoints: 4 });
    expect(redis.calls).toBe(calls);
  });

  it('gives a point back in its window, and makes no credit of one given back after it, in the shadow or Redis', async () => {
    const { redis, limiter, advance } = fixture();
    await spend(limiter, 'u', RULE.points);
    await limiter.reward('u');
    expect(redis.held(RULE, 'u')).toMatchObject({ count: 2 });
    expect(await limiter.get('u')).toMatchObject({ consumedPoints: 2 });
    advance(WINDOW_MS);
    // Redis's reward on an expired key opens a new window at -1; the fail-over deletes it.
    await limiter.reward('u');
    expect(redis.held(RULE, 'u')).toBeUndefined();
    expect(await limiter.get('u')).toBeNull();
    await spend(limiter, 'u', RULE.points);
    expect(await counted(limiter, 'u')).toMatchObject({ refused: true });
    // The same while Redis is down: the shadow alone.
    advance(WINDOW_MS);
    redis.mode = 'down';
    await limiter.reward('u');
    await spend(limiter, 'u', RULE.points);
    expect(await counted(limiter, 'u')).toMatchObject({ refused: true });
  });

  it('forgets a budget spent before the outage when its window ends, not before', async () => {
    const { redis, limiter, advance } = fixture();
    await spend(limiter, 'u', RULE.points);
    redis.mode = 'down';
    advance(WINDOW_MS - 1);
    expect(await counted(limiter, 'u')).toMatchObject({ refused: true });
    advance(1);
    expect(await limiter.get('u')).toBeNull();
    expect(await counted(limiter, 'u')).toEqual({ refused: false, count: 1 });
  });

  it('ends a healed count in Redis when the shadow window it came from ends', async () => {
    const { redis, limiter, advance } = fixture();
    await spend(limiter, 'u', 1);
    redis.mode = 'down';
    advance(RETRY_AFTER_MS);
    redis.flush();
    redis.mode = 'up';
    await limiter.consume('u');
    expect(redis.held(RULE, 'u')).toEqual({ count: 2, msLeft: WINDOW_MS - RETRY_AFTER_MS });
    advance(WINDOW_MS - RETRY_AFTER_MS);
    expect(redis.held(RULE, 'u')).toBeUndefined();
    expect(await counted(limiter, 'u')).toEqual({ refused: false, count: 1 });
  });

  it('keeps destination links through an outage and an empty Redis, until their retention ends', async () => {
    const { redis, links, advance } = fixture();
    await links.add('user', ['d:e:inbox'], 60);
    redis.mode = 'down';
    expect(await links.members('user')).toEqual(['d:e:inbox']);
    await links.add('user', ['a:account'], 60);
    redis.flush();
    redis.mode = 'up';
    advance(RETRY_AFTER_MS);
    expect(await links.members('user')).toEqual(['d:e:inbox', 'a:account']);
    advance(60_000);
    expect(await links.members('user')).toEqual([]);
  });
});

describe('refund windows on the store clock', () => {
  const SUBJECTS = { username: 'u', ip: '192.0.2.1' };
  const KEYS = { usernameCaseSensitive: false, ipv6PrefixBits: 64 };
  const limiterOn = (f: ReturnType<typeof fixture>) =>
    new AbuseLimiter([RULE], () => f.limiter, KEYS, undefined, undefined, f.clock);

  it('gives back a point of a call that never reached Cognito while its window lasts', async () => {
    const f = fixture();
    const abuse = limiterOn(f);
    const ticket = await abuse.consume(SUBJECTS);
    f.advance(WINDOW_MS - 1);
    await ticket.settle('not-reached');
    for (let i = 0; i < RULE.points; i++) await abuse.consume(SUBJECTS);
    await expect(abuse.consume(SUBJECTS)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  });

  it('gives nothing back once the window the point was taken in has ended, so the next window loses nothing', async () => {
    const f = fixture();
    const abuse = limiterOn(f);
    const late = await abuse.consume(SUBJECTS);
    f.advance(WINDOW_MS);
    // The next window is opened by other calls before the first one settles.
    await abuse.consume(SUBJECTS);
    await abuse.consume(SUBJECTS);
    await late.settle('not-reached');
    await abuse.consume(SUBJECTS);
    await expect(abuse.consume(SUBJECTS)).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  });
});
