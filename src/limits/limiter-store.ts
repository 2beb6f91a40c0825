// Where limit counters live: in process memory, or in Redis (REDIS_URL) so that several gateway instances
// enforce one global limit. When Redis is unreachable each Redis limiter falls back to an in-memory twin
// (rate-limiter-flexible's insurance limiter): limits stay on, per instance, and the outage is logged loudly.
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger } from '../logger';
import type { RateLimiterFactory } from './abuse-limiter';

const KEY_PREFIX = 'cognito-gateway';
/** How long start-up waits for Redis before serving with the in-memory fallback. */
const READY_TIMEOUT_MS = 2_000;

export interface LimiterStore {
  createLimiter: RateLimiterFactory;
  kind: 'memory' | 'redis';
  /** False while Redis is configured but not connected (limits then hold per instance only). */
  healthy(): boolean;
  /**
   * Resolves once the store can be used: at once in memory; with Redis once it is connected, or after a
   * bounded wait, logging the fallback loudly, so no instance serves with silently per-instance limits.
   */
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function memoryLimiterStore(): LimiterStore {
  return {
    kind: 'memory',
    createLimiter: (rule) =>
      new RateLimiterMemory({
        keyPrefix: `${KEY_PREFIX}:${rule.name}`,
        points: rule.points,
        duration: rule.durationSeconds,
      }),
    healthy: () => true,
    ready: async () => {},
    close: async () => {},
  };
}

export function redisLimiterStore(url: string, logger: Logger): LimiterStore {
  const client = new Redis(url, {
    // Fail commands at once while disconnected (the insurance limiter answers), never queue them.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 250,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 250, 2_000),
  });
  let connected = false;
  let outageLogged = false;
  const logOutage = (reason: Record<string, unknown>) => {
    if (outageLogged) return;
    outageLogged = true;
    logger.error(
      { store: 'redis', ...reason },
      "redis unreachable: abuse limits fall back to this instance's memory until it returns",
    );
  };
  client.on('ready', () => {
    connected = true;
    if (outageLogged) logger.warn({ store: 'redis' }, 'redis is back: abuse limits are shared again');
    outageLogged = false;
  });
  client.on('error', (error: Error) => {
    connected = false;
    logOutage({ err: { message: error.message, code: (error as NodeJS.ErrnoException).code } });
  });
  client.on('close', () => {
    connected = false;
  });

  return {
    kind: 'redis',
    createLimiter: (rule) => {
      const options = {
        keyPrefix: `${KEY_PREFIX}:${rule.name}`,
        points: rule.points,
        duration: rule.durationSeconds,
      };
      return new RateLimiterRedis({
        ...options,
        storeClient: client,
        rejectIfRedisNotReady: true,
        insuranceLimiter: new RateLimiterMemory(options),
      });
    },
    healthy: () => connected,
    ready: () =>
      new Promise<void>((resolve) => {
        if (connected) return resolve();
        const timer = setTimeout(() => {
          client.off('ready', onReady);
          if (!connected) logOutage({ err: { message: `not ready within ${READY_TIMEOUT_MS} ms` } });
          resolve();
        }, READY_TIMEOUT_MS);
        const onReady = () => {
          clearTimeout(timer);
          resolve();
        };
        client.once('ready', onReady);
      }),
    close: async () => {
      client.disconnect();
    },
  };
}
