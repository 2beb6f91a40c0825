// Destination links as Redis sets, one per link under the gateway's key prefix (one hash slot with the
// counters), shared by every instance.
// Errors and timeouts reach the caller as they are: the fail-over (failover-links.ts) decides what they mean.
import type { LinkStore } from '../destination-links';
import type { RedisClient } from './redis-client';

export class RedisLinks implements LinkStore {
  constructor(
    private readonly client: RedisClient,
    /** Put before every key in Redis: the gateway's keys apart from anyone else's. */
    private readonly keyPrefix: string,
  ) {}

  members(key: string): Promise<string[]> {
    return this.client.smembers(`${this.keyPrefix}:${key}`);
  }

  /** One transaction, so that no instance sees the members without their expiry. */
  async add(key: string, members: readonly string[], ttlSeconds: number): Promise<void> {
    await this.client
      .multi()
      .sadd(`${this.keyPrefix}:${key}`, ...members)
      .expire(`${this.keyPrefix}:${key}`, ttlSeconds)
      .exec();
  }
}
