// Where limit counters live: in process memory, or in Redis (REDIS_URL) so that several gateway instances
// enforce one global limit. When Redis is unreachable each Redis limiter falls back to an in-memory twin
// (rate-limiter-flexible's insurance limiter): limits stay on, per instance, and the outage is logged loudly.
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger } from '../logger';
import type { RateLimiterFactory } from './abuse-limiter';

const KEY_PREFIX = 'cognito-gateway';

export interface LimiterStore {
  createLimiter: RateLimiterFactory;
  kind: 'memory' | 'redis';
  /** False while Redis is configured but not connected (limits then hold per instance only). */
  healthy(): boolean;
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
  client.on('ready', () => {
    connected = true;
    if (outageLogged) logger.warn({ store: 'redis' }, 'redis is back: abuse limits are shared again');
    outageLogged = false;
  });
  client.on('error', (error: Error) => {
    connected = false;
    if (outageLogged) return;
    outageLogged = true;
    logger.error(
      { store: 'redis', err: { message: error.message, code: (error as NodeJS.ErrnoException).code } },
      "redis unreachable: abuse limits fall back to this instance's memory until it returns",
    );
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
    close: async () => {
      client.disconnect();
    },
  };
}
