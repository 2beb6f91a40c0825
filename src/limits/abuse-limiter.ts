// The gateway's own abuse limits, checked before any Cognito call and counted once per executed mutation
// field (so aliases count one each): per-username and per-IP rules. A call is looked up before it is
// counted, so a refused call creates no records (a flood of refused calls costs no memory), and a call
// refused by one rule takes nothing from the others. A ticket gives the points back when the call never
// reached Cognito.
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode, gatewayError } from '../errors';
import { ipKey, usernameKey } from './limit-keys';

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

/** The part of a rate-limiter-flexible limiter that the abuse limiter uses. */
export interface CountingLimiter {
  get(key: string): Promise<RateLimiterRes | null>;
  consume(key: string): Promise<RateLimiterRes>;
  reward(key: string): Promise<unknown>;
}

export type RateLimiterFactory = (rule: LimitRule) => CountingLimiter;

export interface LimitTicket {
  /** Gives the points back, for a call that certainly never reached Cognito. */
  refund(): Promise<void>;
}

export interface KeyOptions {
  usernameCaseSensitive: boolean;
  ipv6PrefixBits: number;
}

export class AbuseLimiter {
  private readonly limiters: ReadonlyArray<{ rule: LimitRule; limiter: CountingLimiter }>;

  /** Rules with 0 points or 0 seconds are off and never built. */
  constructor(
    rules: LimitRule[],
    createLimiter: RateLimiterFactory,
    private readonly keys: KeyOptions,
    /** Told the rule behind every refusal (for metrics). */
    private readonly onRefusal: (rule: string) => void = () => {},
  ) {
    this.limiters = rules
      .filter((rule) => rule.points > 0 && rule.durationSeconds > 0)
      .map((rule) => ({ rule, limiter: createLimiter(rule) }));
  }

  /** Takes one point from every rule, or none: refuses with RATE_LIMITED and `retryAfterSeconds`. */
  async consume(subjects: LimitSubjects): Promise<LimitTicket> {
    const keys = {
      username: usernameKey(subjects.username, this.keys.usernameCaseSensitive),
      ip: ipKey(subjects.ip, this.keys.ipv6PrefixBits),
    };
    const checks = this.limiters.map(({ rule, limiter }) => ({ rule, limiter, key: keys[rule.subject] }));

    const current = await Promise.all(checks.map((c) => c.limiter.get(c.key)));
    const exhausted = checks.flatMap((c, i) => {
      const res = current[i];
      return res && res.consumedPoints >= c.rule.points ? [{ rule: c.rule.name, ms: res.msBeforeNext }] : [];
    });
    if (exhausted.length > 0) throw this.refuse(exhausted);

    // Another request (or instance) may have taken the last point since the look-up.
    const taken = await Promise.allSettled(checks.map((c) => c.limiter.consume(c.key)));
    const refusals = taken.flatMap((t) => (t.status === 'rejected' ? [t.reason as unknown] : []));
    if (refusals.length > 0) {
      await Promise.all(
        checks.map((c, i) => (taken[i]?.status === 'fulfilled' ? c.limiter.reward(c.key) : null)),
      );
      const failure = refusals.find((r) => !isRefusal(r));
      if (failure) throw failure;
      throw this.refuse(
        checks.flatMap((c, i) => {
          const t = taken[i];
          return t?.status === 'rejected'
            ? [{ rule: c.rule.name, ms: (t.reason as RateLimiterRes).msBeforeNext }]
            : [];
        }),
      );
    }
    return {
      refund: async () => {
        await Promise.all(checks.map((c) => c.limiter.reward(c.key)));
      },
    };
  }

  private refuse(exhausted: ReadonlyArray<{ rule: string; ms: number }>) {
    for (const { rule } of exhausted) this.onRefusal(rule);
    return rateLimited(Math.max(...exhausted.map((e) => e.ms)));
  }
}

function rateLimited(msBeforeNext: number) {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return gatewayError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${retryAfterSeconds} s.`, {
    retryAfterSeconds,
  });
}

/** rate-limiter-flexible rejects with a RateLimiterRes when a limit is reached, with an Error on store failure. */
export function isRefusal(value: unknown): value is RateLimiterRes {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && 'msBeforeNext' in value;
}
