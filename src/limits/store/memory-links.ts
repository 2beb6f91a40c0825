// Link sets in process memory, expiring on read, the oldest dropped past MEMORY_LINKS_MAX.
import type { LinkStore } from '../destination-links';

/** Links kept in memory at most (the oldest are dropped first); each is a few hundred bytes. */
const MEMORY_LINKS_MAX = 200_000;

export class MemoryLinks implements LinkStore {
  private readonly entries = new Map<string, { members: Set<string>; expiresAt: number }>();

  async members(key: string): Promise<string[]> {
    const entry = this.entries.get(key);
    if (!entry) return [];
    if (entry.expiresAt > Date.now()) return [...entry.members];
    this.entries.delete(key);
    return [];
  }

  async add(key: string, members: readonly string[], ttlSeconds: number): Promise<void> {
    const kept = new Set([...(await this.members(key)), ...members]);
    this.entries.delete(key);
    this.entries.set(key, { members: kept, expiresAt: Date.now() + ttlSeconds * 1000 });
    if (this.entries.size > MEMORY_LINKS_MAX) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
