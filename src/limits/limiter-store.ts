// Where limit counters live: in process memory, or in Redis (REDIS_URL) so that several gateway instances
// enforce one global limit. When Redis is down, unreachable or hanging, every limiter fails over to an
// in-memory twin: limits stay on (per instance), the outage is logged once, and Redis is skipped for a
// while instead of costing every request a timeout. It is tried again after RETRY_AFTER_MS.
import type { Redis } from 'ioredis';
import type {
  RateLimiterMemory as Memory,
  RateLimiterRes,
  RateLimiterRedis as RedisBacked,
} from 'rate-limiter-flexible';
import type { Logger } from '../logger';
import { type CountingLimiter, isRefusal, type RateLimiterFactory } from './abuse-limiter';

// The package index loads every store it supports (Mongo, SQL, Dynamo, ...); these two are all we use.
const RateLimiterMemory = require('rate-limiter-flexible/lib/RateLimiterMemory') as typeof Memory;
const RateLimiterRedis = require('rate-limiter-flexible/lib/RateLimiterRedis') as typeof RedisBacked;
type RateLimiterMemory = Memory;
type RateLimiterRedis = RedisBacked;

const KEY_PREFIX = 'cognito-gateway';
/** How long start-up waits for Redis before serving with the in-memory fallback. */
const READY_TIMEOUT_MS = 2_000;
/** How long a failing Redis is left alone before it is tried again. */
const RETRY_AFTER_MS = 5_000;
/** A Redis command slower than this counts as a failure. */
const COMMAND_TIMEOUT_MS = 250;

export interface LimiterStore {
  createLimiter: RateLimiterFactory;
  kind: 'memory' | 'redis';
  /** False while Redis is configured but not in use (limits then hold per instance only). */
  healthy(): boolean;
  /**
   * Resolves once the store can be used: at once in memory; with Redis once it is connected, or after a
   * bounded wait, logging the fallback loudly, so no instance serves with silently per-instance limits.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

const memoryLimiter = (rule: Parameters<RateLimiterFactory>[0]) =>
  new RateLimiterMemory({
    keyPrefix: `${KEY_PREFIX}:${rule.name}`,
    points: rule.points,
    duration: rule.durationSeconds,
  });

export function memoryLimiterStore(): LimiterStore {
  return {
    kind: 'memory',
    createLimiter: memoryLimiter,
    healthy: () => true,
    ready: async () => {},
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

class FailoverLimiter implements CountingLimiter {
  constructor(
    private readonly redis: RateLimiterRedis,
    private readonly memory: RateLimiterMemory,
    private readonly health: RedisHealth,
  ) {}

  get(key: string): Promise<RateLimiterRes | null> {
    return this.run((l) => l.get(key));
  }

  consume(key: string): Promise<RateLimiterRes> {
    return this.run((l) => l.consume(key));
  }

  reward(key: string): Promise<unknown> {
    return this.run((l) => l.reward(key));
  }

  private async run<T>(operation: (limiter: RateLimiterRedis | RateLimiterMemory) => Promise<T>): Promise<T> {
    if (!this.health.usable()) return operation(this.memory);
    try {
      const result = await operation(this.redis);
      this.health.onSuccess();
      return result;
    } catch (error) {
      if (isRefusal(error)) {
        this.health.onSuccess();
        throw error;
      }
      this.health.onFailure(error instanceof Error ? error.message : String(error));
      return operation(this.memory);
    }
  }
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
  client.on('ready', () => {
    health.onConnected();
    health.onSuccess();
  });
  client.on('error', (error: Error) => health.onDisconnected(error.message));
  client.on('close', () => health.onDisconnected('connection closed'));

  return {
    kind: 'redis',
    createLimiter: (rule) =>
      new FailoverLimiter(
        new RateLimiterRedis({
          keyPrefix: `${KEY_PREFIX}:${rule.name}`,
          points: rule.points,
          duration: rule.durationSeconds,
          storeClient: client,
        }),
        memoryLimiter(rule),
        health,
      ),
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
    close: async () => {
      health.onClosing();
      client.disconnect();
    },
  };
}
