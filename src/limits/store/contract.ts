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
