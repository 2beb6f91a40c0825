// How configuration settles every limit's value from the environment: each call's own (declared in its
// folder's limits.ts) and the shared ones (src/limits/send-limits.ts).
import { type CallLimits, type LimitColumn, limitsNameOf, limitValues } from '../limits/limit-settings';
import { SHARED_LIMITS } from '../limits/send-limits';
import type { Config } from './types';

/** The variables the limits read besides each limit's own LIMIT_* (read by name through its setting). */
export interface LimitVariables {
  readonly LIMIT_LINK_RETENTION_DAYS: number;
  readonly LIMIT_USERNAME_CASE_SENSITIVE: boolean;
  readonly LIMIT_IPV6_PREFIX: number;
  readonly LIMIT_MEMORY_MAX_MB?: number | undefined;
}

/** The abuse limits: a LIMIT_* variable that is set always wins; the others take `column`'s default. */
export function abuseLimits(
  e: LimitVariables,
  calls: readonly CallLimits[],
  column: LimitColumn,
): Config['limits'] {
  const readVariable = (variable: string) =>
    (e as unknown as Record<string, unknown>)[variable] as number | undefined;
  return {
    calls: Object.fromEntries(
      calls.map((c) => [limitsNameOf(c), limitValues(c.limits, readVariable, column)]),
    ),
    ...limitValues(SHARED_LIMITS, readVariable, column),
    linkRetentionSeconds: e.LIMIT_LINK_RETENTION_DAYS * 86_400,
    usernameCaseSensitive: e.LIMIT_USERNAME_CASE_SENSITIVE,
    ipv6PrefixBits: e.LIMIT_IPV6_PREFIX,
    ...(e.LIMIT_MEMORY_MAX_MB !== undefined && { memoryMaxMb: e.LIMIT_MEMORY_MAX_MB }),
  };
}
