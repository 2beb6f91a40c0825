// Rules of one name share one limiter (the destination cap is declared by every call that sends a code), so a
// store builds each name's limiter (and whatever else it keeps per rule) once and refuses a second rule of that
// name with another budget.
import type { LimitRule } from '../abuse-limiter';

/** Builds each rule name's part once; a second rule of that name must have the same budget. */
export function oneLimiterPerName<T>(create: (rule: LimitRule) => T): (rule: LimitRule) => T {
  const built = new Map<string, { rule: LimitRule; part: T }>();
  return (rule) => {
    const existing = built.get(rule.name);
    if (existing) {
      if (existing.rule.points !== rule.points || existing.rule.durationSeconds !== rule.durationSeconds)
        throw new Error(`limit rule ${rule.name} is defined twice with different budgets`);
      return existing.part;
    }
    const part = create(rule);
    built.set(rule.name, { rule, part });
    return part;
  };
}
