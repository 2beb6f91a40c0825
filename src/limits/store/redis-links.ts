// Destination links as Redis sets, one per link under the gateway's key prefix, shared by every instance.
// Errors and timeouts reach the caller as they are: the fail-over (failover-links.ts) decides what they mean.
import type { Redis } from 'ioredis';
import type { LinkStore } from '../destination-links';

export class RedisLinks implements LinkStore {
  constructor(
    private readonly client: Redis,
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
