// The limiter store with REDIS_URL: counters and links in a Redis shared by every instance, so that N
// instances enforce one global limit. Every counter and link this instance touches is mirrored into an
// in-memory shadow (the memory store's parts) that answers while Redis is down, unreachable or hanging
// (see failover-limiter.ts), so a fail-over never resets a budget already spent.
import type { Cluster, Redis } from 'ioredis';
import type { RateLimiterRedis as RedisBacked } from 'rate-limiter-flexible';
import type { RedisSettings } from '../../config/types';
import type { Logger } from '../../logger';
import type { MemoryBackedStore } from './contract';
import { FailoverCallCounters } from './failover-call-counters';
import { FailoverLimiter } from './failover-limiter';
import { FailoverLinks } from './failover-links';
import { MemoryStore, type MemoryStoreOptions } from './memory-store';
import { oneLimiterPerName } from './one-limiter-per-name';
import { RedisCallCounters } from './redis-call-counters';
import {
  createRedisClient,
  errorText,
  isCluster,
  redactor,
  refusesCredentials,
  watchRedis,
} from './redis-client';
import { RedisHealth } from './redis-health';
import { RedisLinks } from './redis-links';

const RateLimiterRedis = require('rate-limiter-flexible/lib/RateLimiterRedis') as typeof RedisBacked;

/**
 * Put before every key: the gateway's keys apart from anyone else's, and all in one hash slot (the braces are
 * a hash tag), so that in cluster mode too a call's rules, a link and its counters, and a challenge's one-use
 * record can be read and written together, atomically. One slot is one shard: see docs/operations.md.
 */
export const KEY_PREFIX = '{cognito-gateway}';
/** How long start-up waits for Redis before serving with the in-memory fallback. */
const READY_TIMEOUT_MS = 2_000;

/**
 * `memory` bounds the shadow as it bounds the memory store (its logger is `logger` unless given); the clock
 * it gives is Redis health's too.
 */
export function redisLimiterStore(
  settings: RedisSettings,
  logger: Logger,
  memory: MemoryStoreOptions = {},
): MemoryBackedStore {
  const client = createRedisClient(settings);
  const redact = redactor(settings);
  const health = new RedisHealth(logger, memory.clock);
  const shadow = new MemoryStore({ ...memory, logger: memory.logger ?? logger });
  watchRedis(client, health, logger, redact);
  // The first refusal of the credentials, kept for ready(): a wrong password does not heal by waiting.
  let refused: string | undefined;
  const onRefusal = (error: unknown) => {
    if (refused === undefined && refusesCredentials(error)) refused = redact(errorText(error));
  };
  client.on('error', onRefusal);
  client.on('node error', onRefusal);
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

  /** Resolves once the client is ready or READY_TIMEOUT_MS has passed; rejects on refused credentials. */
  const connected = () =>
    new Promise<void>((resolve, reject) => {
      if (client.status === 'ready') return resolve();
      const settle = () => {
        clearTimeout(timer);
        client.off('ready', settle);
        client.off('error', onError);
        client.off('node error', onError);
        if (refused !== undefined) {
          client.disconnect();
          reject(new Error(`REDIS_URL: Redis refused the gateway's credentials (${refused})`));
          return;
        }
        if (client.status !== 'ready') health.onDisconnected(`not ready within ${READY_TIMEOUT_MS} ms`);
        resolve();
      };
      // A refusal comes as an error while the client goes on trying: stop waiting at once.
      const onError = () => refused !== undefined && settle();
      const timer = setTimeout(settle, READY_TIMEOUT_MS);
      client.once('ready', settle);
      client.on('error', onError);
      client.on('node error', onError);
    });

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
    ready: async () => {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      await connected();
      if (isCluster(client) && client.status === 'ready') await openSlotConnection(client, deadline);
    },
    reset: async () => {
      if (!health.usable()) throw new Error('redis is unreachable');
      try {
        // A cluster's keys are spread over its masters (the gateway's are on one, but whichever it is).
        const nodes: Redis[] = isCluster(client) ? client.nodes('master') : [client];
        for (const node of nodes) await deleteKeys(node, `${KEY_PREFIX}:*`);
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

/**
 * A cluster client opens a node's connection when a command first needs it, and, without an offline queue,
 * refuses every other command to that node while it connects: the first burst of a new instance would fail
 * but one, and the instance serve from memory for the retry pause. So the start opens the connection to the
 * master of the gateway's slot (one command on a key of its tag) before serving, retrying until `deadline`.
 */
async function openSlotConnection(client: Cluster, deadline: number): Promise<void> {
  for (;;) {
    try {
      await client.exists(`${KEY_PREFIX}:ready`);
      return;
    } catch {
      if (Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
