// A call's counters in Redis (one script a call) with the warm in-memory shadow of failover-limiter.ts, for
// the batches of a call: every count Redis gives is mirrored into the shadow, so a fail-over never resets a
// budget already spent; while Redis is unusable the shadow answers alone (atomically, in memory); when Redis
// is back, the script reads each counter as the larger of Redis's and the shadow's and heals Redis. The
// per-rule limiters (failover-limiter.ts) count the same counters, in the same shadow.
import type { CallCounters, ConsumeAllResult, CounterRef, LimitRule } from '../abuse-limiter';
import type { SharedCallCounters } from './contract';
import { larger, mirror } from './failover-limiter';
import type { RateLimiterRes } from './limiter-result';
import { MemoryCallCounters } from './memory-call-counters';
import type { MemoryCounters } from './memory-counters';
import type { RedisHealth } from './redis-health';

export class FailoverCallCounters implements CallCounters {
  private readonly shadow: MemoryCallCounters;

  constructor(
    private readonly shared: SharedCallCounters,
    /** The rule's shadow: the table its per-rule limiter mirrors into too. */
    private readonly shadowOf: (rule: LimitRule) => MemoryCounters,
    private readonly health: RedisHealth,
  ) {
    this.shadow = new MemoryCallCounters(shadowOf);
  }

  async getAll(refs: readonly CounterRef[]): Promise<Array<RateLimiterRes | null>> {
    const local = this.shadow.getNow(refs);
    if (refs.length === 0 || !this.health.usable()) return local;
    let shared: Array<RateLimiterRes | null>;
    try {
      shared = await this.shared.getAll(refs);
    } catch (error) {
      this.health.onFailure(error);
      return local;
    }
    this.health.onSuccess();
    return refs.map((ref, i) => {
      const res = larger(shared[i] ?? null, local[i] ?? null);
      if (res && res !== local[i]) mirror(this.shadowOf(ref.rule), ref.key, res);
      return res;
    });
  }

  async consumeAll(refs: readonly CounterRef[]): Promise<ConsumeAllResult> {
    if (refs.length === 0 || !this.health.usable()) return this.shadow.consumeNow(refs);
    let result: ConsumeAllResult;
    try {
      result = await this.shared.consumeAll(this.shadowed(refs));
    } catch (error) {
      this.health.onFailure(error);
      return this.shadow.consumeNow(refs);
    }
    this.health.onSuccess();
    // A refused call's reads warm the shadow as much as a counted call's counts.
    const counts = 'taken' in result ? result.taken : result.read;
    counts.forEach((res, i) => {
      const ref = refs[i];
      if (ref && res) mirror(this.shadowOf(ref.rule), ref.key, res);
    });
    return result;
  }

  async settleAll(giveBack: readonly CounterRef[], charge: readonly CounterRef[]): Promise<RateLimiterRes[]> {
    if (giveBack.length + charge.length === 0) return [];
    if (!this.health.usable()) return this.shadow.settleNow(giveBack, charge);
    // The shadow first: a point taken in it during an outage must not stay spent there once given back.
    this.shadow.settleNow(giveBack, []);
    let counts: RateLimiterRes[];
    try {
      counts = await this.shared.settleAll(giveBack, this.shadowed(charge));
    } catch (error) {
      this.health.onFailure(error);
      return this.shadow.settleNow([], charge);
    }
    this.health.onSuccess();
    counts.forEach((res, i) => {
      const ref = charge[i];
      if (ref) mirror(this.shadowOf(ref.rule), ref.key, res);
    });
    return counts;
  }

  private shadowed(refs: readonly CounterRef[]) {
    return refs.map((ref) => ({ ...ref, shadow: this.shadowOf(ref.rule).peek(ref.key) }));
  }
}
