// A call's counters in process memory, counted together: the memory store's batches, and the Redis store's
// while Redis is unusable (its shadow). Synchronous from the look to the count, so that no other call takes a
// point in between: a refused call takes nothing, and no call is refused for a point another call gave back.
import type { CallCounters, ConsumeAllResult, CounterRef, LimitRule } from '../abuse-limiter';
import { RateLimiterRes } from './limiter-result';
import type { MemoryCounters } from './memory-counters';

export class MemoryCallCounters implements CallCounters {
  constructor(
    /** The rule's counters: one table per rule name, as the store's limiters. */
    private readonly countersOf: (rule: LimitRule) => MemoryCounters,
  ) {}

  async getAll(refs: readonly CounterRef[]): Promise<Array<RateLimiterRes | null>> {
    return this.getNow(refs);
  }

  async consumeAll(refs: readonly CounterRef[]): Promise<ConsumeAllResult> {
    return this.consumeNow(refs);
  }

  async settleAll(giveBack: readonly CounterRef[], charge: readonly CounterRef[]): Promise<RateLimiterRes[]> {
    return this.settleNow(giveBack, charge);
  }

  getNow(refs: readonly CounterRef[]): Array<RateLimiterRes | null> {
    return refs.map((r) => this.countersOf(r.rule).peek(r.key));
  }

  consumeNow(refs: readonly CounterRef[]): ConsumeAllResult {
    const tables = refs.map((r) => this.countersOf(r.rule));
    const spent: Array<{ index: number; res: RateLimiterRes }> = [];
    const read: Array<RateLimiterRes | null> = [];
    const earlier = new Map<string, number>();
    refs.forEach((r, index) => {
      const id = counterId(r);
      const before = earlier.get(id) ?? 0;
      earlier.set(id, before + 1);
      const res = tables[index]?.peek(r.key) ?? null;
      read.push(res);
      // A counter named twice in one call needs a point for each time.
      if ((res?.consumedPoints ?? 0) + before >= r.rule.points)
        spent.push({
          index,
          res: res ?? new RateLimiterRes(0, r.rule.durationSeconds * 1000, before, false),
        });
    });
    if (spent.length > 0) return { spent, read };
    const taken: RateLimiterRes[] = [];
    for (const [index, r] of refs.entries()) {
      const table = tables[index] as MemoryCounters;
      const res = table.take(r.key);
      if (res === undefined) {
        // No room for a new counter: the call is refused as spent, and gives back what it took.
        for (const [j, done] of refs.slice(0, index).entries()) tables[j]?.giveBack(done.key);
        return { spent: [{ index, res: table.roomRefusal() }], read };
      }
      taken.push(res);
    }
    return { taken };
  }

  settleNow(giveBack: readonly CounterRef[], charge: readonly CounterRef[]): RateLimiterRes[] {
    for (const r of giveBack) this.countersOf(r.rule).giveBack(r.key);
    return charge.map((r) => {
      const table = this.countersOf(r.rule);
      return table.take(r.key) ?? table.roomRefusal();
    });
  }
}

/** A counter's identity: rules of one name share counters. */
export function counterId(ref: CounterRef): string {
  return `${ref.rule.name}\u0000${ref.key}`;
}
