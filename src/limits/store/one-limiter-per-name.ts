// Rules of one name share one limiter (the destination cap is declared by every call that sends a code), so a
// store builds each name's limiter once and refuses a second rule of that name with another budget.
import type { CountingLimiter, LimitRule, RateLimiterFactory } from '../abuse-limiter';

/** Builds each rule name's limiter once; a second rule of that name must have the same budget. */
export function oneLimiterPerName(create: RateLimiterFactory): RateLimiterFactory {
  const built = new Map<string, { rule: LimitRule; limiter: CountingLimiter }>();
  return (rule) => {
    const existing = built.get(rule.name);
    if (existing) {
      if (existing.rule.points !== rule.points || existing.rule.durationSeconds !== rule.durationSeconds)
        throw new Error(`limit rule ${rule.name} is defined twice with different budgets`);
      return existing.limiter;
    }
    const limiter = create(rule);
    built.set(rule.name, { rule, limiter });
    return limiter;
  };
}
