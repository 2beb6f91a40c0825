// The Redis store's fail-over, driven without a redis-server: a shared side written here (it counts as
// rate-limiter-flexible's Redis limiter does, on the test's clock, and can be made to fail, hang or come back
// empty) behind the real fail-over counter and links, the real memory shadow and the real health, all on one
// fake clock. A fail-over must never be a budget reset; test/integration/redis-failover.test.ts proves the
// same over HTTP with a real Redis that is killed.
import { describe, expect, it } from 'vitest';
import {
  AbuseLimiter,
  type ConsumeAllResult,
  type CounterRef,
  isRefusal,
  type LimitRule,
} from '../../../../src/limits/abuse-limiter';
import type { LinkStore } from '../../../../src/limits/destination-links';
import type { SharedCallCounters, SharedCounters } from '../../../../src/limits/store/contract';
import { FailoverCallCounters } from '../../../../src/limits/store/failover-call-counters';
import { FailoverLimiter } from '../../../../src/limits/store/failover-limiter';
import { FailoverLinks } from '../../../../src/limits/store/failover-links';
import { RateLimiterRes } from '../../../../src/limits/store/limiter-result';
import { MemoryStore } from '../../../../src/limits/store/memory-store';
import { oneLimiterPerName } from '../../../../src/limits/store/one-limiter-per-name';
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

  /**
   * A call's counters as redis-call-counters.ts's scripts count them, each call one command: every counter
   * read as the larger of Redis's count and the shadow's, healed where the shadow's is larger.
   */
  readonly callCounters: SharedCallCounters = {
    getAll: (refs) =>
      this.command(() =>
        refs.map((r) => {
          const entry = this.live(`${r.rule.name}:${r.key}`);
          return entry ? this.res(r.rule, entry.count, entry.expiresAt) : null;
        }),
      ),
    consumeAll: (refs) =>
      this.command((): ConsumeAllResult => {
        const read = refs.map((r) => {
          const entry = this.live(`${r.rule.name}:${r.key}`);
          const shadow = r.shadow;
          if (shadow && shadow.consumedPoints > (entry?.count ?? 0))
            return {
              count: shadow.consumedPoints,
              expiresAt: this.clock() + shadow.msBeforeNext,
              heal: true,
            };
          return entry ? { ...entry, heal: false } : undefined;
        });
        const spent = refs.flatMap((r, index) => {
          const e = read[index];
          return e && e.count >= r.rule.points
            ? [{ index, res: this.res(r.rule, e.count, e.expiresAt) }]
            : [];
        });
        if (spent.length > 0)
          return {
            spent,
            read: read.map((e, i) =>
              e ? this.res((refs[i] as CounterRef).rule, e.count, e.expiresAt) : null,
            ),
          };
        return { taken: refs.map((r, i) => this.take(r.rule, r.key, read[i])) };
      }),
    settleAll: (giveBack, charge) =>
      this.command(() => {
        for (const r of giveBack) {
          const entry = this.live(`${r.rule.name}:${r.key}`);
          if (entry) entry.count = Math.max(0, entry.count - 1);
        }
        return charge.map((r) => {
          const entry = this.live(`${r.rule.name}:${r.key}`);
          const shadow = r.shadow;
          const healed =
            shadow && shadow.consumedPoints > (entry?.count ?? 0)
              ? { count: shadow.consumedPoints, expiresAt: this.clock() + shadow.msBeforeNext, heal: true }
              : undefined;
          return this.take(r.rule, r.key, healed ?? (entry && { ...entry, heal: false }));
        });
      }),
  };

  private take(
    rule: LimitRule,
    key: string,
    read: { count: number; expiresAt: number; heal: boolean } | undefined,
  ): RateLimiterRes {
    const entry = read?.heal
      ? { count: read.count, expiresAt: read.expiresAt }
      : (this.live(`${rule.name}:${key}`) ?? {
          count: 0,
          expiresAt: this.clock() + rule.durationSeconds * 1000,
        });
    entry.count += 1;
    this.counts.set(`${rule.name}:${key}`, entry);
    return this.res(rule, entry.count, entry.expiresAt);
  }

  private res(rule: LimitRule, count: number, expiresAt: number): RateLimiterRes {
    return new RateLimiterRes(Math.max(0, rule.points - count), expiresAt - this.clock(), count, false);
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
  // As redis-store.ts builds them: a rule's limiter and the call batches share its one shadow table.
  const parts = oneLimiterPerName((rule: LimitRule) => {
    const table = shadow.countersFor(rule);
    return { table, limiter: new FailoverLimiter(rule, redis.countersFor(rule), table, health) };
  });
  const counters = new FailoverCallCounters(redis.callCounters, (rule) => parts(rule).table, health);
  return {
    health,
    logs,
    limiter: parts(RULE).limiter,
    counters,
    store: { createLimiter: (rule: LimitRule) => parts(rule).limiter, counters },
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
    new AbuseLimiter([RULE], f.store, KEYS, undefined, undefined, f.clock);

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

describe("the fail-over of a call's counters, counted together", () => {
  const OTHER: LimitRule = { name: 'o', subject: 'ip', points: 10, durationSeconds: 600 };
  const call = (user: string): CounterRef[] => [
    { rule: RULE, key: user },
    { rule: OTHER, key: 'ip' },
  ];
  const countsOf = (result: ConsumeAllResult) =>
    'taken' in result
      ? result.taken.map((r) => r.consumedPoints)
      : { spent: result.spent.map((s) => s.index) };

  it('takes every rule of a call in one command, and settles it in one', async () => {
    const { redis, counters } = fixture();
    const before = redis.calls;
    expect(countsOf(await counters.consumeAll(call('u')))).toEqual([1, 1]);
    expect(redis.calls).toBe(before + 1);
    expect(await counters.settleAll(call('u'), [])).toEqual([]);
    expect(redis.calls).toBe(before + 2);
    expect(redis.held(RULE, 'u')).toMatchObject({ count: 0 });
    // Nothing to settle: no command at all.
    await counters.settleAll([], []);
    expect(redis.calls).toBe(before + 2);
  });

  it('takes nothing from the other rules of a refused call, in Redis and in the shadow alike', async () => {
    const { redis, counters } = fixture();
    for (let i = 0; i < RULE.points; i++) await counters.consumeAll(call('u'));
    expect(countsOf(await counters.consumeAll(call('u')))).toEqual({ spent: [0] });
    expect(redis.held(OTHER, 'ip')).toMatchObject({ count: 3 });
    redis.mode = 'down';
    expect(countsOf(await counters.consumeAll(call('u')))).toEqual({ spent: [0] });
    expect(countsOf(await counters.consumeAll(call('v')))).toEqual([1, 4]);
  });

  it('refuses a call whose budget was spent while Redis answered once Redis fails, from the shadow', async () => {
    const { redis, counters, advance } = fixture();
    for (let i = 0; i < RULE.points; i++) await counters.consumeAll(call('u'));
    advance(10_000);
    redis.mode = 'down';
    const refused = await counters.consumeAll(call('u'));
    expect(refused).toMatchObject({ spent: [{ index: 0, res: { msBeforeNext: WINDOW_MS - 10_000 } }] });
  });

  it("warms the shadow with another instance's counts read by a refused call", async () => {
    const { redis, counters, clock } = fixture();
    const other = instance(redis, clock);
    for (let i = 0; i < RULE.points; i++) await other.counters.consumeAll([{ rule: RULE, key: 'u' }]);
    await other.counters.consumeAll([{ rule: OTHER, key: 'ip' }]);
    // Refused by RULE: OTHER's count, read on the way, is this instance's too from now on.
    expect(countsOf(await counters.consumeAll(call('u')))).toEqual({ spent: [0] });
    redis.mode = 'down';
    expect(await counters.getAll([{ rule: OTHER, key: 'ip' }])).toMatchObject([{ consumedPoints: 1 }]);
    expect(countsOf(await counters.consumeAll(call('u')))).toEqual({ spent: [0] });
  });

  it('reads the larger count when an empty Redis comes back, and heals Redis in the same command', async () => {
    const { redis, counters, clock, advance } = fixture();
    await counters.consumeAll(call('u'));
    await counters.consumeAll(call('u'));
    redis.mode = 'down';
    await counters.consumeAll(call('u'));
    redis.flush();
    redis.mode = 'up';
    advance(RETRY_AFTER_MS);
    const calls = redis.calls;
    expect(countsOf(await counters.consumeAll(call('u')))).toEqual({ spent: [0] });
    expect(redis.calls).toBe(calls + 1);
    // Not spent there: its point is taken over the shadow's count and window, and Redis healed with it.
    expect(countsOf(await counters.consumeAll([{ rule: OTHER, key: 'ip' }]))).toEqual([4]);
    expect(redis.calls).toBe(calls + 2);
    expect(redis.held(OTHER, 'ip')).toEqual({
      count: 4,
      msLeft: OTHER.durationSeconds * 1000 - RETRY_AFTER_MS,
    });
    const fresh = instance(redis, clock);
    expect(countsOf(await fresh.counters.consumeAll([{ rule: OTHER, key: 'ip' }]))).toEqual([5]);
  });

  it('gives points back only into live windows and never below zero, in the shadow and in Redis', async () => {
    const { redis, counters, advance } = fixture();
    await counters.consumeAll(call('u'));
    await counters.settleAll(call('u'), []);
    await counters.settleAll(call('u'), []);
    expect(redis.held(RULE, 'u')).toMatchObject({ count: 0 });
    // Redis keeps the window at zero, as rate-limiter-flexible's reward left it; the shadow drops it.
    expect(await counters.getAll(call('u'))).toMatchObject([{ consumedPoints: 0 }, { consumedPoints: 0 }]);
    advance(WINDOW_MS);
    await counters.settleAll(call('u'), []);
    expect(redis.held(RULE, 'u')).toBeUndefined();
    for (let i = 0; i < RULE.points; i++) await counters.consumeAll(call('u'));
    expect(countsOf(await counters.consumeAll(call('u')))).toEqual({ spent: [0] });
  });

  it('charges a counter whatever its count, over the shadow when Redis lost it, and from the shadow when down', async () => {
    const { redis, counters, advance } = fixture();
    for (let i = 0; i < RULE.points; i++) await counters.consumeAll([{ rule: RULE, key: 'sms' }]);
    expect(await counters.settleAll([], [{ rule: RULE, key: 'sms' }])).toMatchObject([{ consumedPoints: 4 }]);
    redis.flush();
    expect(await counters.settleAll([], [{ rule: RULE, key: 'sms' }])).toMatchObject([{ consumedPoints: 5 }]);
    expect(redis.held(RULE, 'sms')).toMatchObject({ count: 5 });
    redis.mode = 'down';
    expect(await counters.settleAll([], [{ rule: RULE, key: 'sms' }])).toMatchObject([{ consumedPoints: 6 }]);
    advance(WINDOW_MS);
    expect(await counters.getAll([{ rule: RULE, key: 'sms' }])).toEqual([null]);
  });

  it('leaves a failing Redis alone for the retry pause, answering calls from the shadow', async () => {
    const { redis, counters, health, advance } = fixture();
    redis.mode = 'down';
    expect(countsOf(await counters.consumeAll(call('u')))).toEqual([1, 1]);
    const calls = redis.calls;
    expect(health.usable()).toBe(false);
    advance(RETRY_AFTER_MS - 1);
    expect(countsOf(await counters.consumeAll(call('u')))).toEqual([2, 2]);
    await counters.settleAll(call('u'), call('u'));
    await counters.getAll(call('u'));
    expect(redis.calls).toBe(calls);
    redis.mode = 'up';
    advance(1);
    expect(countsOf(await counters.consumeAll(call('u')))).toEqual([3, 3]);
    expect(redis.calls).toBe(calls + 1);
  });

  it('holds a call while Redis hangs until its command times out, then counts it in the shadow', async () => {
    const { redis, counters } = fixture();
    await counters.consumeAll(call('u'));
    redis.mode = 'hung';
    const held = counters.consumeAll(call('u'));
    await new Promise((resolve) => setImmediate(resolve));
    redis.timeOut();
    expect(countsOf(await held)).toEqual([2, 2]);
  });

  it('counts the per-rule limiter and the call batches of one rule as one counter', async () => {
    const { redis, counters, limiter } = fixture();
    await limiter.consume('u');
    expect(countsOf(await counters.consumeAll([{ rule: RULE, key: 'u' }]))).toEqual([2]);
    redis.mode = 'down';
    expect(await counted(limiter, 'u')).toEqual({ refused: false, count: 3 });
    expect(countsOf(await counters.consumeAll([{ rule: RULE, key: 'u' }]))).toEqual({ spent: [0] });
  });
});
