// The limits the calls share (each call's own are in its folder's limits.ts), and how configuration settles
// every limit's value from the environment.
import {
  type CallLimits,
  type LimitColumn,
  type LimitSettings,
  limitValues,
  MAX_PER_HOUR,
} from '../limits/limit-settings';
import type { Config } from './types';

/**
 * The limits the calls share. Like each call's own (in its folder's limits.ts), each has production's default
 * everywhere but in local mode (the embedded stand-in: never in production, never against a remote Cognito),
 * where a developer running the flow again and again would otherwise be locked out for an hour. 0: off.
 */
export const SHARED_LIMITS = {
  destinationPerHour: {
    variable: 'LIMIT_DESTINATION_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 5,
    development: 1_000,
  },
  // Budgets: size them to a few times the busiest hour's real codes. A global budget can be spent by an
  // attacker; the per-country one keeps an attack on one country's numbers from blocking the others.
  smsPerCountryPerHour: {
    variable: 'LIMIT_SMS_PER_COUNTRY_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 100,
    development: 1_000,
  },
  smsPerHour: { variable: 'LIMIT_SMS_PER_HOUR', max: MAX_PER_HOUR, production: 300, development: 1_000 },
  emailPerHour: {
    variable: 'LIMIT_EMAIL_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 1_000,
    development: 10_000,
  },
  // Resends for identifiers with no link (users made elsewhere, or before the gateway): one small budget for
  // all of them, so that users an attacker cannot link to a destination get no fresh budget each.
  unknownDestinationPerHour: {
    variable: 'LIMIT_UNKNOWN_DESTINATION_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 20,
    development: 1_000,
  },
} as const satisfies LimitSettings;

/** The abuse limits: a LIMIT_* variable that is set always wins; the others take `column`'s default. */
/** The variables the limits read besides each limit's own LIMIT_* (read by name through its setting). */
export interface LimitVariables {
  readonly LIMIT_LINK_RETENTION_DAYS: number;
  readonly LIMIT_USERNAME_CASE_SENSITIVE: boolean;
  readonly LIMIT_IPV6_PREFIX: number;
  readonly REDIS_URL?: string | undefined;
  readonly LIMIT_MEMORY_MAX_MB?: number | undefined;
}

export function abuseLimits(
  e: LimitVariables,
  calls: readonly CallLimits[],
  column: LimitColumn,
): Config['limits'] {
  const readVariable = (variable: string) =>
    (e as unknown as Record<string, unknown>)[variable] as number | undefined;
  return {
    calls: Object.fromEntries(calls.map((c) => [c.operation, limitValues(c.limits, readVariable, column)])),
    ...limitValues(SHARED_LIMITS, readVariable, column),
    linkRetentionSeconds: e.LIMIT_LINK_RETENTION_DAYS * 86_400,
    usernameCaseSensitive: e.LIMIT_USERNAME_CASE_SENSITIVE,
    ipv6PrefixBits: e.LIMIT_IPV6_PREFIX,
    ...(e.REDIS_URL && { redisUrl: e.REDIS_URL }),
    ...(e.LIMIT_MEMORY_MAX_MB !== undefined && { memoryMaxMb: e.LIMIT_MEMORY_MAX_MB }),
  };
}
