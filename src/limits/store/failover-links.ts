// Link sets on the shared side (Redis), every one also kept in this instance's memory: read from memory while
// Redis is unusable, and from both (their union) while it answers, so that a Redis that lost keys loses no link.
import type { LinkStore } from '../destination-links';
import type { MemoryLinks } from './memory-links';
import type { RedisHealth } from './redis-health';

export class FailoverLinks implements LinkStore {
  constructor(
    private readonly shared: LinkStore,
    private readonly shadow: MemoryLinks,
    private readonly health: RedisHealth,
  ) {}

  async members(key: string): Promise<string[]> {
    const local = await this.shadow.members(key);
    if (!this.health.usable()) return local;
    try {
      const shared = await this.shared.members(key);
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
      await this.shared.add(key, members, ttlSeconds);
      this.health.onSuccess();
    } catch (error) {
      this.health.onFailure(error);
    }
  }
}
