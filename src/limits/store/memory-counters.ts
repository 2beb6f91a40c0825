// One rule's counters in process memory, all of which can be forgotten at once (rate-limiter-flexible has no
// clear()): forgetting swaps in an empty limiter, and the old one's records go with their expiry timers.
import type { RateLimiterMemory as Memory } from 'rate-limiter-flexible';
import type { CountingLimiter, LimitRule } from '../abuse-limiter';
import type { RateLimiterRes } from './limiter-result';

const RateLimiterMemory = require('rate-limiter-flexible/lib/RateLimiterMemory') as typeof Memory;
type RateLimiterMemory = Memory;

const memoryLimiter = (rule: LimitRule) =>
  new RateLimiterMemory({ keyPrefix: rule.name, points: rule.points, duration: rule.durationSeconds });

export class MemoryCounters implements CountingLimiter {
  private limiter: RateLimiterMemory;

  constructor(private readonly rule: LimitRule) {
    this.limiter = memoryLimiter(rule);
  }

  get(key: string): Promise<RateLimiterRes | null> {
    return this.limiter.get(key);
  }

  consume(key: string): Promise<RateLimiterRes> {
    return this.limiter.consume(key);
  }

  reward(key: string): Promise<RateLimiterRes> {
    return this.limiter.reward(key);
  }

  set(key: string, points: number, seconds: number): Promise<RateLimiterRes> {
    return this.limiter.set(key, points, seconds);
  }

  delete(key: string): Promise<boolean> {
    return this.limiter.delete(key);
  }

  forget(): void {
    this.limiter = memoryLimiter(this.rule);
  }
}
