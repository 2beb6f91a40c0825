// The gateway's own abuse limits, checked before any Cognito call and counted once per executed mutation
// field (so aliases count one each): a per-username cooldown and hourly cap, and a per-IP hourly cap. A call
// refused by one limit gives back what the others took, so refusals do not eat into a user's budget.
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode, gatewayError } from '../errors';
import { usernameKey } from './username-key';

export interface LimitRule {
  /** Names the rule in Redis keys and logs, e.g. `resend:username-cooldown`. */
  name: string;
  /** Which part of the caller the rule counts. */
  subject: 'username' | 'ip';
  points: number;
  durationSeconds: number;
}

export interface LimitSubjects {
  username: string;
  ip: string;
}

export type RateLimiterFactory = (rule: LimitRule) => RateLimiterAbstract;

export class AbuseLimiter {
  private readonly limiters: ReadonlyArray<{ rule: LimitRule; limiter: RateLimiterAbstract }>;

  /** Rules with 0 points or 0 seconds are off and never built. */
  constructor(
    rules: LimitRule[],
    createLimiter: RateLimiterFactory,
    private readonly options: { usernameCaseSensitive: boolean },
  ) {
    this.limiters = rules
      .filter((rule) => rule.points > 0 && rule.durationSeconds > 0)
      .map((rule) => ({ rule, limiter: createLimiter(rule) }));
  }

  /** Takes one point from every rule, or none: refuses with RATE_LIMITED and `retryAfterSeconds`. */
  async consume(subjects: LimitSubjects): Promise<void> {
    const keys = {
      username: usernameKey(subjects.username, this.options.usernameCaseSensitive),
      ip: subjects.ip,
    };
    const taken: Array<{ limiter: RateLimiterAbstract; key: string }> = [];
    for (const { rule, limiter } of this.limiters) {
      const key = keys[rule.subject];
      try {
        await limiter.consume(key);
        taken.push({ limiter, key });
      } catch (refusal) {
        await Promise.all(taken.map((t) => t.limiter.reward(t.key)));
        if (!isRefusal(refusal)) throw refusal;
        const retryAfterSeconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
        throw gatewayError(
          ErrorCode.RATE_LIMITED,
          `Too many attempts; try again in ${retryAfterSeconds} s.`,
          {
            retryAfterSeconds,
          },
        );
      }
    }
  }
}

/** rate-limiter-flexible rejects with a RateLimiterRes when a limit is reached, with an Error on store failure. */
function isRefusal(value: unknown): value is RateLimiterRes {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && 'msBeforeNext' in value;
}
