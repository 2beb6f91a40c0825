// One rule's counters in process memory: a fixed window per key (a count and the time its window ends) in a
// Map kept in window-end order, so that expired windows are dropped from its front by one sweep for the
// whole store, never by a timer per key. Answers as rate-limiter-flexible's memory limiter did (the fail-over
// compares them with Redis's): `consume` rejects with the result once the count passes the rule's points.
// Differences, on purpose: a `reward` never goes below zero and drops a counter it brings back to zero (it
// holds nothing a new window would not), and a window is never kept forever (`set` with no seconds deletes).
import type { CountingLimiter, LimitRule } from '../abuse-limiter';
import type { Clock } from './contract';
import { RateLimiterRes } from './limiter-result';
import { counterBytes, flatCopy } from './memory-bytes';
import type { MemoryRoom, SweptCounters } from './memory-room';

/** One key's count in its current window. The key is kept to move the entry to the Map's end. */
class Window {
  constructor(
    readonly key: string,
    public count: number,
    public end: number,
  ) {}
}

export class MemoryCounters implements CountingLimiter, SweptCounters {
  private windows = new Map<string, Window>();
  private readonly durationMs: number;

  constructor(
    private readonly rule: LimitRule,
    private readonly room: MemoryRoom,
    private readonly clock: Clock,
  ) {
    this.durationMs = rule.durationSeconds * 1000;
    room.addCounters(this);
  }

  async get(key: string): Promise<RateLimiterRes | null> {
    return this.peek(key);
  }

  async consume(key: string): Promise<RateLimiterRes> {
    const res = this.take(key);
    if (res === undefined) throw this.roomRefusal();
    if (res.consumedPoints > this.rule.points) throw res;
    return res;
  }

  async reward(key: string): Promise<RateLimiterRes> {
    return this.giveBack(key);
  }

  /**
   * Sets a key's count for `seconds` from now (the fail-over's mirror of Redis). Not kept when the room is
   * full (Redis holds it), nor without seconds: this store keeps no window forever. A window shorter than
   * the rule's lands behind longer ones: the sweep then drops it late (by at most one window length), and a
   * read at once.
   */
  async set(key: string, points: number, seconds: number): Promise<RateLimiterRes> {
    return this.setNow(key, points, seconds);
  }

  // The synchronous forms, for the batches of a call (memory-call-counters.ts): nothing else runs between
  // their look and their count.

  /** The key's count in its live window; `null` when nothing is counted. */
  peek(key: string): RateLimiterRes | null {
    const now = this.clock();
    const window = this.live(key, now);
    return window === undefined ? null : this.result(window, now, false);
  }

  /** Adds a point whatever the count; `undefined` when a new counter finds no room. */
  take(key: string): RateLimiterRes | undefined {
    const now = this.clock();
    let window = this.live(key, now);
    const first = window === undefined;
    if (window === undefined) {
      window = this.open(key, 0, now + this.durationMs, false);
      if (window === undefined) return undefined;
    }
    window.count += 1;
    return this.result(window, now, first);
  }

  /** `reward`: a point back into the live window, never below zero; a counter back at zero is dropped. */
  giveBack(key: string): RateLimiterRes {
    const now = this.clock();
    const window = this.live(key, now);
    if (window === undefined) return new RateLimiterRes(this.rule.points, 0, 0, false);
    window.count -= 1;
    const res = this.result(window, now, false);
    if (window.count <= 0) this.drop(window);
    return res;
  }

  /** `set`. */
  setNow(key: string, points: number, seconds: number): RateLimiterRes {
    const now = this.clock();
    const end = now + seconds * 1000;
    const held = this.windows.get(key);
    if (held !== undefined) this.drop(held);
    if (seconds > 0 && points > 0) this.open(key, points, end, true);
    return new RateLimiterRes(Math.max(0, this.rule.points - points), Math.max(0, end - now), points, true);
  }

  /** What a consume is refused with when a new counter finds no room: spent until the soonest window ends. */
  roomRefusal(): RateLimiterRes {
    return new RateLimiterRes(0, this.room.retryMs(), this.rule.points + 1, false);
  }

  async delete(key: string): Promise<boolean> {
    const held = this.windows.get(key);
    if (held === undefined) return false;
    this.drop(held);
    return true;
  }

  /** Forgets every counter (a development reset). */
  forget(): void {
    for (const window of this.windows.values()) this.room.releaseCounter(counterBytes(window.key));
    this.windows = new Map();
  }

  sweep(now: number): void {
    for (const window of this.windows.values()) {
      if (window.end > now) return;
      this.drop(window);
    }
  }

  firstWindowEnd(): number | undefined {
    for (const window of this.windows.values()) return window.end;
    return undefined;
  }

  /** The key's window while it lasts; an ended one is dropped on the way. */
  private live(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window === undefined || window.end > now) return window;
    this.drop(window);
    return undefined;
  }

  /** A new window at the Map's end, or undefined when the room has no space for it. */
  private open(key: string, count: number, end: number, shadow: boolean): Window | undefined {
    if (!this.room.claimForCounter(counterBytes(key), shadow)) return undefined;
    const kept = flatCopy(key);
    const window = new Window(kept, count, end);
    this.windows.set(kept, window);
    return window;
  }

  private drop(window: Window): void {
    this.windows.delete(window.key);
    this.room.releaseCounter(counterBytes(window.key));
  }

  private result(window: Window, now: number, first: boolean): RateLimiterRes {
    return new RateLimiterRes(
      Math.max(0, this.rule.points - window.count),
      window.end - now,
      window.count,
      first,
    );
  }
}
