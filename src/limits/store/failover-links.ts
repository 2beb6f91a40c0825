// Link sets in Redis, every one also kept in this instance's memory: read from memory while Redis is
// unusable, and from both (their union) while it answers, so that a Redis that lost keys loses no link.
import type { Redis } from 'ioredis';
import type { LinkStore } from '../destination-links';
import type { MemoryLinks } from './memory-links';
import type { RedisHealth } from './redis-health';

export class FailoverLinks implements LinkStore {
  constructor(
    private readonly client: Redis,
    private readonly shadow: MemoryLinks,
    private readonly health: RedisHealth,
    /** Put before every key in Redis: the gateway's keys apart from anyone else's. */
    private readonly keyPrefix: string,
  ) {}

  async members(key: string): Promise<string[]> {
    const local = await this.shadow.members(key);
    if (!this.health.usable()) return local;
    try {
      const shared = await this.client.smembers(`${this.keyPrefix}:${key}`);
      this.health.onSuccess();
      return [...new Set([...shared, ...local])];
    } catch (error) {
      this.health.onFailure(error);
      return local;
    }
  }

  async add(key: string, members: readonly string[], ttlSeconds: number): Promise<void> {
    await this.shadow.add(key, members, ttlSeconds);
    if (!this.health.usable()) return;
    try {
      await this.client
        .multi()
        .sadd(`${this.keyPrefix}:${key}`, ...members)
        .expire(`${this.keyPrefix}:${key}`, ttlSeconds)
        .exec();
      this.health.onSuccess();
    } catch (error) {
      this.health.onFailure(error);
    }
  }
}
