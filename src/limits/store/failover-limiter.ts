// A counter in Redis with a warm in-memory shadow that takes over while Redis is unusable. While Redis
// answers, every count it gives is mirrored into the shadow, so a fail-over never resets a budget already
// spent; when Redis is back, a counter is read as the larger of Redis's and the shadow's, and Redis is healed.
// Written against the shared side's contract, not Redis's client: the shadow, the health and the shared side
// all run on injected clocks in the unit tests.
import { type CountingLimiter, isRefusal, type LimitRule } from '../abuse-limiter';
import type { SharedCounters } from './contract';
import { RateLimiterRes } from './limiter-result';
import type { MemoryCounters } from './memory-counters';
import type { RedisHealth } from './redis-health';

export class FailoverLimiter implements CountingLimiter {
  constructor(
    private readonly rule: LimitRule,
    private readonly redis: SharedCounters,
    private readonly shadow: MemoryCounters,
    private readonly health: RedisHealth,
  ) {}

  async get(key: string): Promise<RateLimiterRes | null> {
    const local = await this.shadow.get(key);
    if (!this.health.usable()) return local;
    try {
      const shared = await this.redis.get(key);
      this.health.onSuccess();
      const res = larger(shared, local);
      if (res && res !== local) await this.mirror(key, res);
      return res;
    } catch (error) {
      this.health.onFailure(error);
      return local;
    }
  }

  async consume(key: string): Promise<RateLimiterRes> {
    if (!this.health.usable()) return this.shadow.consume(key);
    const local = await this.shadow.get(key);
    let res: RateLimiterRes;
    try {
      res = await this.redis.consume(key);
    } catch (error) {
      if (!isRefusal(error)) {
        this.health.onFailure(error);
        return this.shadow.consume(key);
      }
      this.health.onSuccess();
      await this.mirror(key, error);
      throw error;
    }
    this.health.onSuccess();
    // A Redis that came back empty does not know what this instance saw spent before: the shadow does.
    // Take the point on top of the larger count, and heal Redis for the other instances.
    if (local && local.consumedPoints >= res.consumedPoints) {
      const consumed = local.consumedPoints + 1;
      const seconds = Math.max(1, Math.ceil(local.msBeforeNext / 1000));
      await this.redis.set(key, consumed, seconds).catch((error: unknown) => {
        this.health.onFailure(error);
      });
      res = new RateLimiterRes(Math.max(0, this.rule.points - consumed), local.msBeforeNext, consumed, false);
      await this.mirror(key, res);
      if (consumed > this.rule.points) throw res;
      return res;
    }
    await this.mirror(key, res);
    return res;
  }

  async reward(key: string): Promise<unknown> {
    await atMostToZero(this.shadow, key);
    if (!this.health.usable()) return undefined;
    try {
      await atMostToZero(this.redis, key);
      this.health.onSuccess();
    } catch (error) {
      this.health.onFailure(error);
    }
    return undefined;
  }

  private async mirror(key: string, res: RateLimiterRes): Promise<void> {
    mirror(this.shadow, key, res);
  }
}

/** Keeps the shadow at least as high as what Redis said, for as long as Redis keeps it. */
export function mirror(shadow: MemoryCounters, key: string, res: RateLimiterRes): void {
  const local = shadow.peek(key);
  if (local && local.consumedPoints >= res.consumedPoints) return;
  // rate-limiter-flexible reads 0 seconds as "forever"; a key that expires this second needs no shadow.
  const seconds = Math.ceil(res.msBeforeNext / 1000);
  if (seconds > 0) shadow.setNow(key, res.consumedPoints, seconds);
}

/** The larger count of two answers for one key (the later expiry breaks a tie), or whichever exists. */
export function larger(a: RateLimiterRes | null, b: RateLimiterRes | null): RateLimiterRes | null {
  if (!a || !b) return a ?? b;
  if (a.consumedPoints !== b.consumedPoints) return a.consumedPoints > b.consumedPoints ? a : b;
  return a.msBeforeNext >= b.msBeforeNext ? a : b;
}

/**
 * Gives a point back, never below zero: a point taken in the shadow during an outage, or in a window that
 * has ended since, must not become credit.
 */
async function atMostToZero(limiter: SharedCounters, key: string): Promise<void> {
  const res = await limiter.reward(key);
  if (res.consumedPoints < 0) await limiter.delete(key);
}
