// The limiter store of a gateway without REDIS_URL: counters and links in process memory, per instance.
// The same parts are the Redis store's shadow. reset() forgets every counter and link at once, for
// development (the stand-in's DELETE /_local/limits).
import type { LimitRule } from '../abuse-limiter';
import type { LimiterStore } from './contract';
import { MemoryCounters } from './memory-counters';
import { MemoryLinks } from './memory-links';
import { oneLimiterPerName } from './one-limiter-per-name';

/** Every counter and link of one store in memory, so that they can all be forgotten. */
export class MemoryStore {
  readonly links = new MemoryLinks();
  private readonly counters: MemoryCounters[] = [];

  /** A new rule's counters (the caller builds one per rule name). */
  countersFor(rule: LimitRule): MemoryCounters {
    const counters = new MemoryCounters(rule);
    this.counters.push(counters);
    return counters;
  }

  forget(): void {
    for (const c of this.counters) c.forget();
    this.links.clear();
  }
}

export function memoryLimiterStore(): LimiterStore {
  const memory = new MemoryStore();
  return {
    kind: 'memory',
    createLimiter: oneLimiterPerName((rule) => memory.countersFor(rule)),
    links: memory.links,
    healthy: () => true,
    ready: async () => {},
    reset: async () => memory.forget(),
    close: async () => {},
  };
}
