// The limiter store with REDIS_URL: counters and links in a Redis shared by every instance, so that N
// instances enforce one global limit. Every counter and link this instance touches is mirrored into an
// in-memory shadow (the memory store's parts) that answers while Redis is down, unreachable or hanging
// (see failover-limiter.ts), so a fail-over never resets a budget already spent.
import type { Redis } from 'ioredis';
import type { RateLimiterRedis as RedisBacked } from 'rate-limiter-flexible';
import type { Logger } from '../../logger';
import type { MemoryBackedStore } from './contract';
import { FailoverCallCounters } from './failover-call-counters';
import { FailoverLimiter } from './failover-limiter';
import { FailoverLinks } from './failover-links';
import { MemoryStore, type MemoryStoreOptions } from './memory-store';
import { oneLimiterPerName } from './one-limiter-per-name';
import { RedisCallCounters } from './redis-call-counters';
import { RedisHealth } from './redis-health';
import { RedisLinks } from './redis-links';

const RateLimiterRedis = require('rate-limiter-flexible/lib/RateLimiterRedis') as typeof RedisBacked;

/**
 * Before every key: the gateway's keys apart from anyone else's, and, as a hash tag, all in one slot of a
 * cluster, so that one script may take every counter of a call (`{cognito-gateway}:<rule>:<key>`).
 */
const KEY_PREFIX = '{cognito-gateway}';
/** How long start-up waits for Redis before serving with the in-memory fallback. */
const READY_TIMEOUT_MS = 2_000;
/** A Redis command slower than this counts as a failure. */
const COMMAND_TIMEOUT_MS = 250;

/**
 * `memory` bounds the shadow as it bounds the memory store (its logger is `logger` unless given); the clock
 * it gives is Redis health's too.
 */
export function redisLimiterStore(
  url: string,
  logger: Logger,
  memory: MemoryStoreOptions = {},
): MemoryBackedStore {
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
  const health = new RedisHealth(logger, memory.clock);
  const shadow = new MemoryStore({ ...memory, logger: memory.logger ?? logger });
  // A rule's counters, its per-rule limiter and its batches (one script a call) share one shadow.
  const partsOf = oneLimiterPerName((rule) => {
    const counters = shadow.countersFor(rule);
    const limiter = new FailoverLimiter(
      rule,
      new RateLimiterRedis({
        keyPrefix: `${KEY_PREFIX}:${rule.name}`,
        points: rule.points,
        duration: rule.durationSeconds,
        storeClient: client,
      }),
      counters,
      health,
    );
    return { shadow: counters, limiter };
  });
  client.on('ready', () => {
    health.onConnected();
    health.onSuccess();
  });
  client.on('error', (error: Error) => health.onDisconnected(error.message));
  client.on('close', () => health.onDisconnected('connection closed'));

  return {
    kind: 'redis',
    createLimiter: (rule) => partsOf(rule).limiter,
    counters: new FailoverCallCounters(
      new RedisCallCounters(client, KEY_PREFIX),
      (rule) => partsOf(rule).shadow,
      health,
    ),
    links: new FailoverLinks(new RedisLinks(client, KEY_PREFIX), shadow.links, health),
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
        health.onFailure(error);
        throw error;
      }
      // After Redis: a shadow left as it was would heal Redis with the old counts on the next call.
      shadow.forget();
    },
    close: async () => {
      health.onClosing();
      client.disconnect();
      shadow.close();
    },
    memoryUse: () => shadow.use(),
  };
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
