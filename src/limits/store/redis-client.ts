// The one place a Redis client is made, for every REDIS_MODE (one node, a cluster-mode cluster, a master
// found by Sentinel), and where its events reach the store's health. Every mode fails a command at once while
// it cannot be sent (no offline queue, no retry after a fail-over or a CLUSTERDOWN, a bounded command timeout):
// the in-memory shadow answers instead, and a fail-over never makes a request wait on Redis.
import type { Cluster, ClusterOptions, Redis, RedisOptions } from 'ioredis';
import type { RedisSettings } from '../../config/types';
import type { Logger } from '../../logger';
import type { RedisHealth } from './redis-health';

/** A client of one node (or of the master Sentinel names), or of a cluster: both speak the same commands. */
export type RedisClient = Redis | Cluster;

/** A Redis command slower than this counts as a failure. */
export const COMMAND_TIMEOUT_MS = 250;
const CONNECT_TIMEOUT_MS = 1_000;
/** How often a cluster client asks for the slots: a promoted replica is found within this, at the latest. */
const SLOTS_REFRESH_MS = 2_000;

const reconnectDelay = (attempt: number) => Math.min(attempt * 250, 2_000);

/** Replies by which Redis refuses the configured credentials: a configuration error, not an outage. */
const REFUSED = /\b(WRONGPASS|NOAUTH|NOPERM)\b/;

export function createRedisClient(settings: RedisSettings): RedisClient {
  // Loaded only when Redis is configured: ioredis costs a single-instance gateway ~15 MB of memory for nothing.
  const { Redis: RedisClass, Cluster: ClusterClass } = require('ioredis') as typeof import('ioredis');
  const password = settings.password?.reveal();
  const node: RedisOptions = {
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    ...(settings.tls && { tls: {} }),
    ...(settings.username !== undefined && { username: settings.username }),
    ...(password !== undefined && { password }),
    ...(settings.db !== undefined && { db: settings.db }),
  };
  // Fail commands at once while disconnected, never queue them: the in-memory twin answers instead.
  const single: RedisOptions = { ...node, enableOfflineQueue: false, retryStrategy: reconnectDelay };
  const [first] = settings.nodes;
  switch (settings.mode) {
    case 'single':
      return new RedisClass({ ...single, ...first });
    case 'sentinel':
      return new RedisClass({
        ...single,
        sentinels: settings.nodes,
        name: settings.sentinelName ?? '',
        sentinelCommandTimeout: CONNECT_TIMEOUT_MS,
        enableTLSForSentinelMode: settings.tls,
      });
    case 'cluster': {
      const options: ClusterOptions = {
        enableOfflineQueue: false,
        redisOptions: node,
        clusterRetryStrategy: reconnectDelay,
        // Left to their defaults, a command to a dead master or a cluster without its quorum is retried for
        // up to 16 x 100 ms, each request waiting: fail it instead.
        retryDelayOnFailover: 0,
        retryDelayOnClusterDown: 0,
        retryDelayOnTryAgain: 0,
        slotsRefreshInterval: SLOTS_REFRESH_MS,
        slotsRefreshTimeout: CONNECT_TIMEOUT_MS,
        // With TLS (ElastiCache, Serverless included), nodes are reached by the names the cluster gives, so
        // that their certificates match: the client must not resolve them to IPs first (ioredis's README).
        ...(settings.tls && {
          dnsLookup: (address: string, callback: (error: null, address: string) => void) =>
            callback(null, address),
        }),
      };
      return new ClusterClass(settings.nodes, options);
    }
  }
}

/**
 * Tells `health` what the client's events mean. A cluster's `ready` and `close` are the whole cluster's (its
 * `close` comes once no node is left); a node that fails ('node error') is a failure to retry after the pause,
 * as a failed command is, and nodes found or dropped are logged at debug level.
 */
export function watchRedis(client: RedisClient, health: RedisHealth, logger: Logger, redact: Redact): void {
  client.on('ready', () => {
    health.onConnected();
    health.onSuccess();
  });
  client.on('error', (error: Error) => {
    // A cluster also says 'error' when one slot refresh failed; it is still connected then.
    if (client.status === 'ready') health.onFailure(new Error(redact(errorText(error))));
    else health.onDisconnected(redact(errorText(error)));
  });
  client.on('close', () => health.onDisconnected('connection closed'));
  if (!isCluster(client)) return;
  client.on('node error', (error: Error, node: string) => {
    health.onFailure(new Error(`${node}: ${redact(errorText(error))}`));
  });
  client.on('+node', (redis: Redis) =>
    logger.debug({ store: 'redis', node: nodeName(redis) }, 'redis node added'),
  );
  client.on('-node', (redis: Redis) =>
    logger.debug({ store: 'redis', node: nodeName(redis) }, 'redis node dropped'),
  );
}

/** Whether Redis refused the configured credentials (wrong password, unknown user, a user without rights). */
export function refusesCredentials(error: unknown): boolean {
  return REFUSED.test(errorText(error));
}

/** Removes the password from a text that might hold it (an error or a log line). */
export type Redact = (text: string) => string;

export function redactor(settings: RedisSettings): Redact {
  const password = settings.password?.reveal();
  if (!password) return (text) => text;
  return (text) => text.split(password).join('[redacted]');
}

export function isCluster(client: RedisClient): client is Cluster {
  return 'nodes' in client && typeof client.nodes === 'function';
}

/**
 * The text of an error as it reaches logs; a cluster's "every node failed" carries the last node's reason, which
 * is what an operator needs (a refused password, say).
 */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const last = (error as Error & { lastNodeError?: unknown }).lastNodeError;
  return last instanceof Error ? `${error.message} (${last.message})` : error.message;
}

function nodeName(redis: Redis): string {
  return `${redis.options.host}:${redis.options.port}`;
}
