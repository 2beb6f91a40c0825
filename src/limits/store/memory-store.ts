// The limiter store of a gateway without REDIS_URL: counters and links in process memory, per instance,
// within one byte bound (LIMIT_MEMORY_MAX_MB; memory-room.ts says what happens at it). The same parts are the
// Redis store's shadow. One timer for the whole store drops expired counters and links; reads drop the
// expired entries they meet on the way. reset() forgets every counter and link at once, for development (the
// stand-in's DELETE /_local/limits).
import { getHeapStatistics } from 'node:v8';
import type { Logger } from '../../logger';
import type { LimitRule } from '../abuse-limiter';
import type { Clock, MemoryBackedStore, MemoryEvent, MemoryUse } from './contract';
import { MemoryCallCounters } from './memory-call-counters';
import { MemoryCounters } from './memory-counters';
import { MemoryLinks } from './memory-links';
import { MemoryRoom } from './memory-room';
import { oneLimiterPerName } from './one-limiter-per-name';

/** LIMIT_MEMORY_MAX_MB's default, in bytes. */
export const DEFAULT_MEMORY_MAX_BYTES = 128 * 1024 * 1024;
/** How often the store's one timer drops expired counters and links. */
const SWEEP_EVERY_MS = 10_000;
/** A bound above this share of V8's heap limit could exhaust the heap before the bound is reached. */
const HEAP_SHARE_WARNED = 0.5;

export interface MemoryStoreOptions {
  /** The most the counters and links together may take, as estimated (memory-bytes.ts). */
  maxBytes?: number;
  /** Milliseconds since the epoch; Date.now unless a test moves time itself. */
  clock?: Clock;
  /** Where the bound's episodes are logged, once each. */
  logger?: Logger;
  /** Told each time the bound evicts a link or refuses a counter. */
  onEvent?: (event: MemoryEvent) => void;
  /** 0: no timer (a test sweeps by hand). */
  sweepEveryMs?: number;
}

/** Every counter and link of one store in memory, within one bound, so that they can all be forgotten. */
export class MemoryStore {
  readonly links: MemoryLinks;
  private readonly room: MemoryRoom;
  private readonly counters: MemoryCounters[] = [];
  private readonly clock: Clock;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(options: MemoryStoreOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.room = new MemoryRoom({
      maxBytes: options.maxBytes ?? DEFAULT_MEMORY_MAX_BYTES,
      clock: this.clock,
      ...(options.logger && { logger: options.logger }),
      ...(options.onEvent && { onEvent: options.onEvent }),
    });
    this.links = new MemoryLinks(this.room, this.clock);
    const heapLimit = getHeapStatistics().heap_size_limit;
    if (this.room.use().maxBytes > heapLimit * HEAP_SHARE_WARNED)
      options.logger?.warn(
        { store: 'memory', maxBytes: this.room.use().maxBytes, heapLimitBytes: heapLimit },
        'LIMIT_MEMORY_MAX_MB is more than half the heap Node may use: lower it, or raise --max-old-space-size',
      );
    const every = options.sweepEveryMs ?? SWEEP_EVERY_MS;
    if (every > 0) this.timer = setInterval(() => this.sweep(), every).unref();
  }

  /** A new rule's counters (the caller builds one per rule name). */
  countersFor(rule: LimitRule): MemoryCounters {
    const counters = new MemoryCounters(rule, this.room, this.clock);
    this.counters.push(counters);
    return counters;
  }

  use(): MemoryUse {
    return this.room.use();
  }

  /** Drops every expired counter and link now (the timer does it every SWEEP_EVERY_MS). */
  sweep(): void {
    this.room.sweep();
  }

  forget(): void {
    for (const c of this.counters) c.forget();
    this.links.clear();
  }

  close(): void {
    clearInterval(this.timer);
  }
}

export function memoryLimiterStore(options: MemoryStoreOptions = {}): MemoryBackedStore {
  const memory = new MemoryStore(options);
  const countersOf = oneLimiterPerName((rule) => memory.countersFor(rule));
  return {
    kind: 'memory',
    createLimiter: countersOf,
    counters: new MemoryCallCounters(countersOf),
    links: memory.links,
    healthy: () => true,
    ready: async () => {},
    reset: async () => memory.forget(),
    close: async () => memory.close(),
    memoryUse: () => memory.use(),
  };
}
