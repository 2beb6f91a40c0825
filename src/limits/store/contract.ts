// The contract every limiter store keeps, whatever holds its counters and links: the abuse limiter, the
// destination links and the challenge's replay guard are written against it and never see a store's kind.
import type { RateLimiterFactory } from '../abuse-limiter';
import type { LinkStore } from '../destination-links';

/** Where the abuse limits count and the destination links live: process memory, or Redis with a memory shadow. */
export interface LimiterStore {
  /**
   * One limiter per rule name: rules of one name (e.g. the destination cap of several calls) share counters.
   * Each counts a fixed window per key: `consume` takes a point (rejecting with a `RateLimiterRes` once the
   * rule's points are spent), `get` reads without counting (`null`: nothing counted in a live window),
   * `reward` gives a point back, never below zero.
   */
  createLimiter: RateLimiterFactory;
  /** Sets of destination keys with expiry; `add` keeps what was there and restarts the expiry. */
  links: LinkStore;
  kind: 'memory' | 'redis';
  /** False while Redis is configured but not in use (limits then hold per instance only). */
  healthy(): boolean;
  /**
   * Resolves once the store can be used: at once in memory; with Redis once it is connected, or after a
   * bounded wait, logging the fallback loudly, so no instance serves with silently per-instance limits.
   */
  ready(): Promise<void>;
  /**
   * Forgets every counter and destination link: in memory, or every key of the gateway's in Redis (for all
   * instances sharing it) and this instance's shadow. Rejects when Redis is unusable.
   */
  reset(): Promise<void>;
  /** Stops what the store runs (connections, timers); the store is not used after it. */
  close(): Promise<void>;
}

/** Milliseconds since the epoch: Date.now, or a test's own clock. */
export type Clock = () => number;

/** What the memory store holds, as estimated, against its bound (LIMIT_MEMORY_MAX_MB). */
export interface MemoryUse {
  counterBytes: number;
  linkBytes: number;
  maxBytes: number;
}

/**
 * What the byte bound did: evicted a link, did not keep a new one, refused a new counter (the call is refused
 * as over its limit), or did not keep a Redis counter's shadow (Redis still counts it).
 */
export type MemoryEvent = 'link-evicted' | 'link-not-kept' | 'counter-refused' | 'counter-not-kept';

/** A store that keeps counters and links in this process's memory (itself, or as Redis's shadow). */
export interface MemoryBackedStore extends LimiterStore {
  memoryUse(): MemoryUse;
}
