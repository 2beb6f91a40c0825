// The memory store's byte bound, filled past it as an attacker would: its estimate never passes the bound,
// expired entries go first, then links (least recently refreshed first), and a live counter is never dropped:
// a new counter is refused instead (as a spent limit), loudly and once per episode, so filling memory never
// buys a fresh budget.
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { AbuseLimiter, type LimitRule } from '../../../../src/limits/abuse-limiter';
import { reachOf } from '../../../../src/limits/code-reach';
import { destinationKey } from '../../../../src/limits/destination';
import type { MemoryEvent } from '../../../../src/limits/limiter-store';
import { memoryLimiterStore } from '../../../../src/limits/limiter-store';
import { counterBytes, linkBytes } from '../../../../src/limits/store/memory-bytes';
import { MemoryStore } from '../../../../src/limits/store/memory-store';
import { createLogger } from '../../../../src/logger';

const RULE: LimitRule = { name: 'r', subject: 'ip', points: 5, durationSeconds: 60 };
const DAY = 86_400;
const member = (i: number) => `d:e:${String(i).padStart(32, '0')}`;

function fixture(maxBytes: number) {
  let now = 1_700_000_000_000;
  const logs: Array<{ level: number; msg: string }> = [];
  const events: MemoryEvent[] = [];
  const memory = new MemoryStore({
    maxBytes,
    clock: () => now,
    sweepEveryMs: 0,
    logger: createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) }),
    onEvent: (event) => events.push(event),
  });
  const total = () => memory.use().counterBytes + memory.use().linkBytes;
  return {
    memory,
    logs,
    events,
    total,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('the memory store at its byte bound', () => {
  it('keeps its estimate under the bound however many links come, evicting the least recently refreshed', async () => {
    const { memory, events, logs, total } = fixture(64 * 1024);
    let most = 0;
    for (let i = 0; i < 1_000; i++) {
      await memory.links.add(`link:${i}`, [member(i)], DAY);
      // The first user gets a code now and then: each send refreshes their link.
      if (i % 10 === 0) await memory.links.add('link:0', [member(0)], DAY);
      most = Math.max(most, total());
    }
    expect(most).toBeLessThanOrEqual(64 * 1024);
    const kept = Math.floor((64 * 1024) / linkBytes('link:500', [member(500)]));
    expect(total()).toBeGreaterThan(64 * 1024 - 2 * linkBytes('link:500', [member(500)]));
    expect(await memory.links.members('link:0')).toEqual([member(0)]);
    expect(await memory.links.members('link:1')).toEqual([]);
    expect(await memory.links.members(`link:${1_000 - kept + 2}`)).toEqual([member(1_000 - kept + 2)]);
    expect(await memory.links.members('link:999')).toEqual([member(999)]);
    expect(events.filter((e) => e === 'link-evicted').length).toBeGreaterThan(1_000 - kept - 2);
    expect(logs.filter((l) => l.msg.includes('limit memory full'))).toHaveLength(1);
  });

  it('drops expired links before evicting live ones', async () => {
    const { memory, events, advance } = fixture(16 * 1024);
    for (let i = 0; i < 20; i++) await memory.links.add(`short:${i}`, [member(i)], 60);
    await memory.links.add('long', [member(1)], DAY);
    advance(60_000);
    for (let i = 0; i < 40; i++) await memory.links.add(`new:${i}`, [member(i)], DAY);
    expect(await memory.links.members('long')).toEqual([member(1)]);
    expect(events).toEqual([]);
  });

  it('makes room for counters by evicting links, and refuses a new counter rather than drop a live one', async () => {
    const { memory, events, logs, total, advance } = fixture(32 * 1024);
    const counters = memory.countersFor(RULE);
    for (let i = 0; i < 50; i++) await memory.links.add(`link:${i}`, [member(i)], DAY);
    const taken: string[] = [];
    let refusal: unknown;
    for (let i = 0; refusal === undefined; i++) {
      const key = `ip.${String(i).padStart(6, '0')}`;
      await counters.consume(key).then(
        () => taken.push(key),
        (error: unknown) => {
          refusal = error;
        },
      );
      if (i === 10) advance(20_000);
      expect(total()).toBeLessThanOrEqual(32 * 1024);
    }
    expect(memory.use().linkBytes).toBe(0);
    expect(taken.length).toBe(Math.floor((32 * 1024) / counterBytes('ip.000000')));
    // Refused as a spent limit, until the soonest window ends (the first, 20 s ago): never a budget reset.
    expect(refusal).toMatchObject({
      remainingPoints: 0,
      consumedPoints: RULE.points + 1,
      msBeforeNext: 40_000,
    });
    for (const key of taken) expect(await counters.get(key)).toMatchObject({ consumedPoints: 1 });
    for (let i = 0; i < 5; i++)
      await expect(counters.consume(`new.${i}`)).rejects.toMatchObject({ remainingPoints: 0 });
    // Keys already counted go on counting.
    expect(await counters.consume(taken[0] ?? '')).toMatchObject({ consumedPoints: 2 });
    expect(events.filter((e) => e === 'counter-refused')).toHaveLength(6);
    expect(events.filter((e) => e === 'link-evicted')).toHaveLength(50);
    const errors = logs.filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.msg).toMatch(/new limit counters are refused until windows end/);
    // Once the first windows end there is room again, without waiting for the periodic sweep.
    advance(40_000);
    expect(await counters.consume('new.0')).toMatchObject({ consumedPoints: 1 });
  });

  it('ends an episode once a sweep brings it under the bound, and logs the next one again', async () => {
    const { memory, logs, advance } = fixture(8 * 1024);
    const counters = memory.countersFor(RULE);
    const fill = async (prefix: string) => {
      for (let i = 0; ; i++)
        if (
          await counters.consume(`${prefix}.${i}`).then(
            () => false,
            () => true,
          )
        )
          return;
    };
    await fill('a');
    await fill('b');
    advance(60_000);
    memory.sweep();
    await fill('c');
    expect(logs.map((l) => l.msg.replace(/ \(.*/, ''))).toEqual([
      'limit memory full',
      'limit memory has room again: new counters and links are kept',
      'limit memory full',
    ]);
  });

  it("does not keep a Redis counter's shadow when there is no room, and refuses nothing for it", async () => {
    const { memory, events } = fixture(4 * 1024);
    const counters = memory.countersFor(RULE);
    for (let i = 0; ; i++)
      if (
        await counters.consume(`k.${i}`).then(
          () => false,
          () => true,
        )
      )
        break;
    await expect(counters.set('mirrored', 3, 60)).resolves.toMatchObject({ consumedPoints: 3 });
    expect(await counters.get('mirrored')).toBeNull();
    expect(events).toContain('counter-not-kept');
  });

  it('keeps the new members of a link only while there is room, and its old ones always', async () => {
    const { memory } = fixture(linkBytes('link:a', [member(1)]) + 10);
    await memory.links.add('link:a', [member(1)], DAY);
    await memory.links.add('link:a', [member(2)], DAY);
    expect(await memory.links.members('link:a')).toEqual([member(1)]);
  });

  it('warns at start-up when the bound is more than half of the heap V8 may use', () => {
    const logs: Array<{ msg: string }> = [];
    const logger = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) });
    new MemoryStore({ maxBytes: 64 * 1024 * 1024, logger, sweepEveryMs: 0 });
    expect(logs).toEqual([]);
    new MemoryStore({ maxBytes: getHeapStatistics().heap_size_limit, logger, sweepEveryMs: 0 });
    expect(logs.map((l) => l.msg)).toEqual([
      'LIMIT_MEMORY_MAX_MB is more than half the heap Node may use: lower it, or raise --max-old-space-size',
    ]);
  });

  it('forgets everything at a reset', async () => {
    const store = memoryLimiterStore({ sweepEveryMs: 0 });
    await store.createLimiter(RULE).consume('a');
    await store.links.add('link:a', [member(1)], DAY);
    await store.reset();
    expect(store.memoryUse()).toMatchObject({ counterBytes: 0, linkBytes: 0 });
    expect(await store.createLimiter(RULE).get('a')).toBeNull();
  });
});

describe('the abuse limiter over a full memory store', () => {
  const rules: LimitRule[] = [
    { name: 'ip-hour', subject: 'ip', points: 10, durationSeconds: 3_600 },
    { name: 'destination-hour', subject: 'destination', points: 5, durationSeconds: 3_600 },
  ];
  const keys = { usernameCaseSensitive: false, ipv6PrefixBits: 64 };

  it("refuses newcomers as RATE_LIMITED once counters fill it, and never resets a victim's spent budget", async () => {
    const store = memoryLimiterStore({ maxBytes: 16 * 1024, sweepEveryMs: 0 });
    const limiter = new AbuseLimiter(rules, store, keys);
    const victim = [destinationKey('victim@example.com') ?? ''];
    for (let i = 0; i < 5; i++)
      await limiter.consume({ username: `u${i}`, ip: `192.0.2.${i}`, reach: reachOf(victim) });
    // An attacker signs up from many IPs to many addresses until memory is full.
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      const destinations = [destinationKey(`bot.${i}@example.org`) ?? ''];
      await limiter
        .consume({ username: `bot${i}`, ip: `198.51.${i >> 8}.${i & 255}`, reach: reachOf(destinations) })
        .catch(() => {
          refused += 1;
        });
    }
    expect(refused).toBeGreaterThan(0);
    expect(store.memoryUse().counterBytes).toBeLessThanOrEqual(16 * 1024);
    await expect(
      limiter.consume({ username: 'again', ip: '192.0.2.200', reach: reachOf(victim) }),
    ).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    await expect(
      limiter.consume({
        username: 'newcomer',
        ip: '203.0.113.1',
        reach: reachOf([destinationKey('new@example.net') ?? '']),
      }),
    ).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
  });
});
