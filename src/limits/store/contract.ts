// The contract every limiter store keeps, whatever holds its counters and links: the abuse limiter, the
// destination links and the challenge's replay guard are written against it and never see a store's kind.
// Also the narrower contract of the shared side (Redis) as the fail-over uses it, so that the fail-over can be
// driven by a test's own shared side, on a test's own clock.
import type { CallCounters, ConsumeAllResult, CounterRef, RateLimiterFactory } from '../abuse-limiter';
import type { LinkStore } from '../destination-links';
import type { RateLimiterRes } from './limiter-result';

/** Where the abuse limits count and the destination links live: process memory, or Redis with a memory shadow. */
export interface LimiterStore {
  /**
   * Builds the counters of one limit rule. Rules of one name (e.g. the destination cap of several calls)
   * share counters: the second rule of a name gets the first one's limiter, and one of that name with
   * another budget throws.
   *
   * Each limiter counts a fixed window per key, opened by the first point taken in it:
   * - `consume(key)` takes a point and resolves with the count; once the rule's points are spent it rejects
   *   with the `RateLimiterRes` (a refusal, told apart from a store failure by `isRefusal`).
   * - `get(key)` reads without counting; `null` when nothing is counted in a live window.
   * - `reward(key)` gives a point back to the key's live window, never below zero; a key without a live
   *   window is left as it is, so a point given back late is no credit for a window not yet opened. Whether
   *   the point was taken in the live window is the caller's to know (the abuse limiter gives a point back
   *   only before the window it was taken in ends).
   *
   * @param rule - the rule's name, points and window (`durationSeconds`).
   * @returns the rule's limiter.
   */
  createLimiter: RateLimiterFactory;
  /**
   * The counters of a call's rules, counted together: in Redis one round trip for all of them (a script over
   * the call's keys), where `createLimiter`'s limiters take one each. They are the same counters: a rule's
   * limiter and its counters here count as one.
   */
  counters: CallCounters;
  /**
   * Sets of destination keys with expiry: `members(key)` reads a set (empty once expired), `add(key,
   * members, ttlSeconds)` keeps what was there, adds the members and restarts the expiry.
   */
  links: LinkStore;
  /** Which store this is: `memory` counts per instance, `redis` once for every instance sharing the Redis. */
  kind: 'memory' | 'redis';
  /**
   * Whether the store counts as it was configured to.
   *
   * @returns false while Redis is configured but not in use (limits then hold per instance only, from the
   * shadow); always true in memory.
   */
  healthy(): boolean;
  /**
   * Waits until the store can be used.
   *
   * @returns a promise that resolves at once in memory; with Redis once it is connected, or after a bounded
   * wait, logging the fallback loudly, so no instance serves with silently per-instance limits. It rejects only
   * when Redis refuses the configured credentials (a configuration error, which waiting does not heal; the
   * client is closed then), never for an outage.
   */
  ready(): Promise<void>;
  /**
   * Forgets every counter and destination link: in memory, or every key of the gateway's in Redis (for all
   * instances sharing it) and this instance's shadow. For development only (the stand-in's
   * `DELETE /_local/limits`).
   *
   * @returns a promise that rejects when Redis is unusable (nothing is forgotten then).
   */
  reset(): Promise<void>;
  /**
   * Stops what the store runs (connections, timers); the store is not used after it.
   *
   * @returns a promise that resolves once they are stopped.
   */
  close(): Promise<void>;
}

/** Milliseconds since the epoch: Date.now, or a test's own clock. */
export type Clock = () => number;

/** What the memory store holds, as estimated, against its bound (LIMIT_MEMORY_MAX_MB). */
export interface MemoryUse {
  /** Estimated bytes held by counters (memory-bytes.ts says how they are estimated). */
  counterBytes: number;
  /** Estimated bytes held by destination links. */
  linkBytes: number;
  /** The bound the two together stay under. */
  maxBytes: number;
}

/**
 * What the byte bound did: evicted a link, did not keep a new one, refused a new counter (the call is refused
 * as over its limit), or did not keep a Redis counter's shadow (Redis still counts it).
 */
export type MemoryEvent = 'link-evicted' | 'link-not-kept' | 'counter-refused' | 'counter-not-kept';

/** A store that keeps counters and links in this process's memory (itself, or as Redis's shadow). */
export interface MemoryBackedStore extends LimiterStore {
  /**
   * What the memory part holds now, for the `limit_memory_bytes` gauge.
   *
   * @returns the estimated bytes of counters and links, and the bound.
   */
  memoryUse(): MemoryUse;
}

/**
 * One rule's counters on the shared side (Redis, through rate-limiter-flexible's Redis limiter), as the
 * fail-over uses them. Any call may reject with an error (Redis down, or a command timed out because Redis
 * hangs): the fail-over then answers from its shadow. Windows end by the shared side's own clock (Redis's key
 * expiry).
 */
export interface SharedCounters {
  /**
   * Reads a key's count without counting.
   *
   * @param key - the counted subject's key.
   * @returns the count and the time left in its window, or `null` when the key holds nothing.
   */
  get(key: string): Promise<RateLimiterRes | null>;
  /**
   * Takes a point, opening a window of the rule's duration when none is open.
   *
   * @param key - the counted subject's key.
   * @returns the count after the point; rejects with the `RateLimiterRes` once the count passes the rule's
   * points.
   */
  consume(key: string): Promise<RateLimiterRes>;
  /**
   * Gives a point back. Unlike the store's own `reward`, it can go below zero, and on a key that holds nothing
   * it opens a new window at -1: the fail-over deletes a key it brought below zero, so a point given back never
   * becomes credit.
   *
   * @param key - the counted subject's key.
   * @returns the count after the point was given back.
   */
  reward(key: string): Promise<RateLimiterRes>;
  /**
   * Sets a key's count for a time (the fail-over heals a Redis that lost a count this instance still knows).
   *
   * @param key - the counted subject's key.
   * @param points - the count to keep.
   * @param seconds - how long to keep it; 0 keeps it forever, so the fail-over never passes 0.
   * @returns the count as set.
   */
  set(key: string, points: number, seconds: number): Promise<RateLimiterRes>;
  /**
   * Forgets a key's count.
   *
   * @param key - the counted subject's key.
   * @returns whether the key held a count.
   */
  delete(key: string): Promise<boolean>;
}

/** A counter on the shared side with what this instance's shadow holds of it. */
export interface ShadowedRef extends CounterRef {
  /** The shadow's count and the time left in its window; `null` when the shadow holds nothing. */
  shadow: RateLimiterRes | null;
}

/**
 * The counters of a call on the shared side (Redis: one script a call), as the fail-over uses them. Each
 * counter is first read as the larger of the shared side's count and the shadow's, and where the shadow's is
 * larger (a Redis that came back without it) the shared side is healed with it, window and all, in the same
 * round trip. Any call may reject with an error: the fail-over then answers from its shadow.
 */
export interface SharedCallCounters {
  /**
   * Reads counters without counting.
   *
   * @param counters - the counters to read.
   * @returns each one's count and time left in its window, or `null` where the key holds nothing.
   */
  getAll(counters: readonly CounterRef[]): Promise<Array<RateLimiterRes | null>>;
  /**
   * `CallCounters.consumeAll`, over the larger of each counter's count and its shadow's.
   *
   * @param counters - the call's counters, with their shadows.
   * @returns the counts after the points, or the spent counters (then nothing is written).
   */
  consumeAll(counters: readonly ShadowedRef[]): Promise<ConsumeAllResult>;
  /**
   * `CallCounters.settleAll`, a charged counter taken over the larger of its count and its shadow's.
   *
   * @param giveBack - the counters to give a point back to.
   * @param charge - the counters to add a point to, with their shadows.
   * @returns the counts of `charge` after their points, in order.
   */
  settleAll(giveBack: readonly CounterRef[], charge: readonly ShadowedRef[]): Promise<RateLimiterRes[]>;
}
