// Where limit counters and destination links live: in process memory, or in Redis (REDIS_URL) so that
// several gateway instances enforce one global limit. While Redis answers, every counter and link this
// instance touches is mirrored into an in-memory shadow; when Redis is down, unreachable or hanging, the
// shadow answers instead, so a fail-over never resets a budget already spent. The outage is logged once,
// and Redis is skipped for a while instead of costing every request a timeout (tried again after
// RETRY_AFTER_MS). When it is back, a counter is read as the larger of Redis's and the shadow's.
// reset() forgets every counter and link at once, for development (the stand-in's DELETE /_local/limits).
import type { Redis } from 'ioredis';
import type {
  RateLimiterMemory as Memory,
  RateLimiterRedis as RedisBacked,
  RateLimiterRes as Res,
} from 'rate-limiter-flexible';
import type { Logger } from '../logger';
import { type CountingLimiter, isRefusal, type LimitRule, type RateLimiterFactory } from './abuse-limiter';
import type { LinkStore } from './destination-links';

// The package index loads every store it supports (Mongo, SQL, Dynamo, ...); these two are all we use.
const RateLimiterMemory = require('rate-limiter-flexible/lib/RateLimiterMemory') as typeof Memory;
const RateLimiterRedis = require('rate-limiter-flexible/lib/RateLimiterRedis') as typeof RedisBacked;
const RateLimiterRes = require('rate-limiter-flexible/lib/RateLimiterRes') as typeof Res;
type RateLimiterMemory = Memory;
type RateLimiterRedis = RedisBacked;
type RateLimiterRes = Res;

const KEY_PREFIX = 'cognito-gateway';
/** How long start-up waits for Redis before serving with the in-memory fallback. */
const READY_TIMEOUT_MS = 2_000;
/** How long a failing Redis is left alone before it is tried again. */
const RETRY_AFTER_MS = 5_000;
/** A Redis command slower than this counts as a failure. */
const COMMAND_TIMEOUT_MS = 250;
/** Links kept in memory at most (the oldest are dropped first); each is a few hundred bytes. */
const MEMORY_LINKS_MAX = 200_000;

export interface LimiterStore {
  /** One limiter per rule name: rules of one name (e.g. the destination cap of several calls) share counters. */
  createLimiter: RateLimiterFactory;
  links: LinkStore;
  kind: 'memory' | 'redis';
  /** False while Redis is configured but not in use (limits then hold per instance only). */
  healthy(): boolean;
  /**
   * Resolves once the store can be used: at once in memory; with Redis once it is connected, or after a
   * bounded wait, logging the fallback loudly, so no instance serves with silently per-instance limits.
   */
  ready(): Promise<void>;
  /**
   * Forgets every counter and destination link: in memory, or every key of the gateway's in Redis (for all
   * instances sharing it) and this instance's shadow. Rejects when Redis is unusable.
   */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const memoryLimiter = (rule: LimitRule) =>
  new RateLimiterMemory({
    keyPrefix: `${KEY_PREFIX}:${rule.name}`,
    points: rule.points,
    duration: rule.durationSeconds,
  });

/**
 * One rule's counters in process memory, all of which can be forgotten at once (rate-limiter-flexible has no
 * clear()): forgetting swaps in an empty limiter, and the old one's records go with their expiry timers.
 */
class MemoryCounters implements CountingLimiter {
  private limiter: RateLimiterMemory;

  constructor(private readonly rule: LimitRule) {
    this.limiter = memoryLimiter(rule);
  }

  get(key: string): Promise<RateLimiterRes | null> {
    return this.limiter.get(key);
  }

  consume(key: string): Promise<RateLimiterRes> {
    return this.limiter.consume(key);
  }

  reward(key: string): Promise<RateLimiterRes> {
    return this.limiter.reward(key);
  }

  set(key: string, points: number, seconds: number): Promise<RateLimiterRes> {
    return this.limiter.set(key, points, seconds);
  }

  delete(key: string): Promise<boolean> {
    return this.limiter.delete(key);
  }

  forget(): void {
    this.limiter = memoryLimiter(this.rule);
  }
}

/** Builds each rule name's limiter once; a second rule of that name must have the same budget. */
function oneLimiterPerName(create: RateLimiterFactory): RateLimiterFactory {
  const built = new Map<string, { rule: LimitRule; limiter: CountingLimiter }>();
  return (rule) => {
    const existing = built.get(rule.name);
    if (existing) {
      if (existing.rule.points !== rule.points || existing.rule.durationSeconds !== rule.durationSeconds)
        throw new Error(`limit rule ${rule.name} is defined twice with different budgets`);
      return existing.limiter;
    }
    const limiter = create(rule);
    built.set(rule.name, { rule, limiter });
    return limiter;
  };
}

/** Link sets in process memory, expiring on read, the oldest dropped past MEMORY_LINKS_MAX. */
class MemoryLinks implements LinkStore {
  private readonly entries = new Map<string, { members: Set<string>; expiresAt: number }>();

  async members(key: string): Promise<string[]> {
    const entry = this.entries.get(key);
    if (!entry) return [];
    if (entry.expiresAt > Date.now()) return [...entry.members];
    this.entries.delete(key);
    return [];
  }

  async add(key: string, members: readonly string[], ttlSeconds: number): Promise<void> {
    const kept = new Set([...(await this.members(key)), ...members]);
    this.entries.delete(key);
    this.entries.set(key, { members: kept, expiresAt: Date.now() + ttlSeconds * 1000 });
    if (this.entries.size > MEMORY_LINKS_MAX) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Builds MemoryCounters and keeps them, so that they can all be forgotten. */
function memoryCountersOf(built: MemoryCounters[]) {
  return (rule: LimitRule): MemoryCounters => {
    const counters = new MemoryCounters(rule);
    built.push(counters);
    return counters;
  };
}

export function memoryLimiterStore(): LimiterStore {
  const counters: MemoryCounters[] = [];
  const links = new MemoryLinks();
  return {
    kind: 'memory',
    createLimiter: oneLimiterPerName(memoryCountersOf(counters)),
    links,
    healthy: () => true,
    ready: async () => {},
    reset: async () => {
      for (const c of counters) c.forget();
      links.clear();
    },
    close: async () => {},
  };
}

/** Whether Redis is in use, and the one place that logs its outages and recoveries. */
class RedisHealth {
  private connected = false;
  private skipUntil = 0;
  private down = false;
  private closing = false;

  constructor(private readonly logger: Logger) {}

  usable(): boolean {
    return this.connected && Date.now() >= this.skipUntil;
  }

  onConnected(): void {
    this.connected = true;
    this.skipUntil = 0;
  }

  onDisconnected(reason: string): void {
    this.connected = false;
    if (!this.closing) this.markDown(reason);
  }

  /** The gateway is stopping: the disconnect that follows is not an outage. */
  onClosing(): void {
    this.closing = true;
  }

  /** A command failed or timed out although the connection looked fine (a hung or overloaded Redis). */
  onFailure(reason: string): void {
    this.skipUntil = Date.now() + RETRY_AFTER_MS;
    this.markDown(reason);
  }

  onSuccess(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.warn({ store: 'redis' }, 'redis is back: abuse limits are shared again');
  }

  private markDown(reason: string): void {
    if (this.down) return;
    this.down = true;
    this.logger.error(
      { store: 'redis', reason },
      "redis unreachable: abuse limits fall back to this instance's memory until it returns",
    );
  }
}

/** The larger count of two answers for one key (the later expiry breaks a tie), or whichever exists. */
function larger(a: RateLimiterRes | null, b: RateLimiterRes | null): RateLimiterRes | null {
  if (!a || !b) return a ?? b;
  if (a.consumedPoints !== b.consumedPoints) return a.consumedPoints > b.consumedPoints ? a : b;
  return a.msBeforeNext >= b.msBeforeNext ? a : b;
}

/** A counter in Redis with a warm in-memory shadow that takes over while Redis is unusable. */
class FailoverLimiter implements CountingLimiter {
  constructor(
    private readonly rule: LimitRule,
    private readonly redis: RateLimiterRedis,
    private readonly shadow: MemoryCounters,
    private readonly health: RedisHealth,
  ) {}

  async get(key: string): Promise<RateLimiterRes | null> {
    const local = await this.shadow.get(key);
    if (!this.health.usable()) return local;
    try {
      const shared = await this.redis.get(key);
      this.health.onSuccess();
      const res = larger(shared, local);
      if (res && res !== local) await this.mirror(key, res);
      return res;
    } catch (error) {
      this.health.onFailure(errorText(error));
      return local;
    }
  }

  async consume(key: string): Promise<RateLimiterRes> {
    if (!this.health.usable()) return this.shadow.consume(key);
    const local = await this.shadow.get(key);
    let res: RateLimiterRes;
    try {
      res = await this.redis.consume(key);
    } catch (error) {
      if (!isRefusal(error)) {
        this.health.onFailure(errorText(error));
        return this.shadow.consume(key);
      }
      this.health.onSuccess();
      await this.mirror(key, error);
      throw error;
    }
    this.health.onSuccess();
    // A Redis that came back empty does not know what this instance saw spent before: the shadow does.
    // Take the point on top of the larger count, and heal Redis for the other instances.
    if (local && local.consumedPoints >= res.consumedPoints) {
      const consumed = local.consumedPoints + 1;
      const seconds = Math.max(1, Math.ceil(local.msBeforeNext / 1000));
      await this.redis.set(key, consumed, seconds).catch((error: unknown) => {
        this.health.onFailure(errorText(error));
      });
      res = new RateLimiterRes(Math.max(0, this.rule.points - consumed), local.msBeforeNext, consumed, false);
      await this.mirror(key, res);
      if (consumed > this.rule.points) throw res;
      return res;
    }
    await this.mirror(key, res);
    return res;
  }

  async reward(key: string): Promise<unknown> {
    await atMostToZero(this.shadow, key);
    if (!this.health.usable()) return undefined;
    try {
      await atMostToZero(this.redis, key);
      this.health.onSuccess();
    } catch (error) {
      this.health.onFailure(errorText(error));
    }
    return undefined;
  }

  /** Keeps the shadow at least as high as what Redis said, for as long as Redis keeps it. */
  private async mirror(key: string, res: RateLimiterRes): Promise<void> {
    const local = await this.shadow.get(key);
    if (local && local.consumedPoints >= res.consumedPoints) return;
    // rate-limiter-flexible reads 0 seconds as "forever"; a key that expires this second needs no shadow.
    const seconds = Math.ceil(res.msBeforeNext / 1000);
    if (seconds > 0) await this.shadow.set(key, res.consumedPoints, seconds);
  }
}

/**
 * Gives a point back, never below zero: a point taken in the shadow during an outage, or in a window that
 * has ended since, must not become credit.
 */
async function atMostToZero(limiter: RateLimiterRedis | MemoryCounters, key: string): Promise<void> {
  const res = await limiter.reward(key);
  if (res.consumedPoints < 0) await limiter.delete(key);
}

/** Link sets in Redis, every one also kept in memory: read from memory while Redis is unusable. */
class FailoverLinks implements LinkStore {
  constructor(
    private readonly client: Redis,
    private readonly shadow: MemoryLinks,
    private readonly health: RedisHealth,
  ) {}

  async members(key: string): Promise<string[]> {
    const local = await this.shadow.members(key);
    if (!this.health.usable()) return local;
    try {
      const shared = await this.client.smembers(`${KEY_PREFIX}:${key}`);
      this.health.onSuccess();
      return [...new Set([...shared, ...local])];
    } catch (error) {
      this.health.onFailure(errorText(error));
      return local;
    }
  }

  async add(key: string, members: readonly string[], ttlSeconds: number): Promise<void> {
    await this.shadow.add(key, members, ttlSeconds);
    if (!this.health.usable()) return;
    try {
      await this.client
        .multi()
        .sadd(`${KEY_PREFIX}:${key}`, ...members)
        .expire(`${KEY_PREFIX}:${key}`, ttlSeconds)
        .exec();
      this.health.onSuccess();
    } catch (error) {
      this.health.onFailure(errorText(error));
    }
  }
}

/** Deletes every key matching `pattern`, a batch per SCAN step (SCAN never blocks Redis as KEYS would). */
async function deleteKeys(client: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function redisLimiterStore(url: string, logger: Logger): LimiterStore {
  // Loaded only when Redis is configured: ioredis costs a single-instance gateway ~15 MB of memory for nothing.
  const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
  const client: Redis = new RedisClient(url, {
    // Fail commands at once while disconnected, never queue them: the in-memory twin answers instead.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 2_000),
  });
  const health = new RedisHealth(logger);
  const shadows: MemoryCounters[] = [];
  const shadowLinks = new MemoryLinks();
  client.on('ready', () => {
    health.onConnected();
    health.onSuccess();
  });
  client.on('error', (error: Error) => health.onDisconnected(error.message));
  client.on('close', () => health.onDisconnected('connection closed'));

  return {
    kind: 'redis',
    createLimiter: oneLimiterPerName(
      (rule) =>
        new FailoverLimiter(
          rule,
          new RateLimiterRedis({
            keyPrefix: `${KEY_PREFIX}:${rule.name}`,
            points: rule.points,
            duration: rule.durationSeconds,
            storeClient: client,
          }),
          memoryCountersOf(shadows)(rule),
          health,
        ),
    ),
    links: new FailoverLinks(client, shadowLinks, health),
    healthy: () => health.usable(),
    ready: () =>
      new Promise<void>((resolve) => {
        if (client.status === 'ready') return resolve();
        const timer = setTimeout(() => {
          client.off('ready', onReady);
          if (client.status !== 'ready') health.onDisconnected(`not ready within ${READY_TIMEOUT_MS} ms`);
          resolve();
        }, READY_TIMEOUT_MS);
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        client.once('ready', onReady);
      }),
    reset: async () => {
      if (!health.usable()) throw new Error('redis is unreachable');
      try {
        await deleteKeys(client, `${KEY_PREFIX}:*`);
      } catch (error) {
        health.onFailure(errorText(error));
        throw error;
      }
      // After Redis: a shadow left as it was would heal Redis with the old counts on the next call.
      for (const s of shadows) s.forget();
      shadowLinks.clear();
    },
    close: async () => {
      health.onClosing();
      client.disconnect();
    },
  };
}
