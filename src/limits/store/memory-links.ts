// Link sets in process memory, in a Map kept in order of last refresh (every `add` moves its link to the
// end), so that the store's sweep drops expired links from the front and the byte bound evicts the least
// recently refreshed first (see memory-room.ts for why links go before counters).
import type { LinkStore } from '../destination-links';
import type { Clock } from './contract';
import { flatCopy, linkBytes, membersBytes } from './memory-bytes';
import type { EvictableLinks, MemoryRoom } from './memory-room';

class Link {
  constructor(
    public members: string[],
    public expiresAt: number,
  ) {}
}

export class MemoryLinks implements LinkStore, EvictableLinks {
  private entries = new Map<string, Link>();

  constructor(
    private readonly room: MemoryRoom,
    private readonly clock: Clock,
  ) {
    room.setLinks(this);
  }

  async members(key: string): Promise<string[]> {
    const link = this.entries.get(key);
    if (link === undefined) return [];
    if (link.expiresAt > this.clock()) return [...link.members];
    this.drop(key, link);
    return [];
  }

  /**
   * Adds members and restarts the link's expiry. A new link, or new members, that the room has no space
   * for are not kept (their user is then unknown to the limits, as one never seen).
   */
  async add(key: string, members: readonly string[], ttlSeconds: number): Promise<void> {
    const now = this.clock();
    const expiresAt = now + ttlSeconds * 1000;
    let link = this.entries.get(key);
    if (link !== undefined && link.expiresAt <= now) {
      this.drop(key, link);
      link = undefined;
    }
    const added = [...new Set(members)].filter((m) => link === undefined || !link.members.includes(m));
    if (link === undefined) {
      if (added.length === 0 || !this.room.claimForLink(linkBytes(key, added))) return;
      this.entries.set(flatCopy(key), new Link(added.map(flatCopy), expiresAt));
      return;
    }
    // Out of the Map while room is made, so that making room never evicts the link being refreshed.
    this.entries.delete(key);
    if (added.length > 0 && this.room.claimForLink(membersBytes(added)))
      link.members = [...link.members, ...added.map(flatCopy)];
    link.expiresAt = expiresAt;
    this.entries.set(flatCopy(key), link);
  }

  sweep(now: number): void {
    for (const [key, link] of this.entries) {
      if (link.expiresAt > now) return;
      this.drop(key, link);
    }
  }

  evictOldest(): boolean {
    for (const [key, link] of this.entries) {
      this.drop(key, link);
      return true;
    }
    return false;
  }

  /** Forgets every link (a development reset). */
  clear(): void {
    for (const [key, link] of this.entries) this.room.releaseLink(linkBytes(key, link.members));
    this.entries = new Map();
  }

  private drop(key: string, link: Link): void {
    this.entries.delete(key);
    this.room.releaseLink(linkBytes(key, link.members));
  }
}
