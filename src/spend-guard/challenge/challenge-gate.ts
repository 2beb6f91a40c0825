// The challenge gate of the user-pool call pipeline: decides whether a call needs a solved challenge
// (CHALLENGE_MODE `always`, or `adaptive` once a limit that covers the call is more than half used) and, if so,
// lets it through only with a response its verifier accepts. It runs before any limit point is taken or
// anything is sent upstream, so a call it refuses costs the caller no budget and Cognito nothing.
// Checking a response costs the gateway a PBKDF2 derivation that an attacker gets for free (GET /challenge
// signs only), so each client IP has a budget of failed checks: a point is taken before the check and given
// back when the response passes, and an IP past its budget is refused without any check at all.
import { ErrorCode, gatewayError } from '../../errors';
import {
  type CountingLimiter,
  isRefusal,
  type LimitRule,
  type RateLimiterFactory,
  rateLimited,
} from '../../limits/abuse-limiter';
import type { Logger } from '../../logger';
import type { ChallengeCaller, ChallengeVerifier } from './challenge-verifier';

/** Where the failed checks of each client IP are counted (CHALLENGE_FAILURES_IP_PER_HOUR). */
export interface ChallengeFailureBudget {
  rule: LimitRule;
  /** The limiter store's counters of `rule`, so that they are shared through Redis like the abuse limits. */
  limiter: CountingLimiter;
  /** The client IP as the abuse limits count it (IPv6 by network prefix). */
  keyOf(clientIp: string): string;
  /** Told each time an IP past its budget is refused (for metrics). */
  onRefusal?(rule: string): void;
}

export type ChallengeGateSettings =
  | { mode: 'off' }
  | {
      mode: 'always' | 'adaptive';
      verifier: ChallengeVerifier;
      /** Absent (CHALLENGE_FAILURES_IP_PER_HOUR=0): every response is checked, however many failed. */
      failures?: ChallengeFailureBudget | undefined;
    };

/**
 * The budget of `perHour` failed checks per client IP, its counters built by the limiter store (so shared
 * through Redis like the abuse limits); undefined when `perHour` is 0 (off).
 */
export function challengeFailureBudget(
  perHour: number,
  createLimiter: RateLimiterFactory,
  options: Pick<ChallengeFailureBudget, 'keyOf' | 'onRefusal'>,
): ChallengeFailureBudget | undefined {
  if (perHour <= 0) return undefined;
  const rule: LimitRule = {
    name: 'challenge:ip-failures-hour',
    subject: 'ip',
    points: perHour,
    durationSeconds: 3_600,
  };
  return { rule, limiter: createLimiter(rule), ...options };
}

/** What the gate did with a call that needed a challenge (`issued` is counted by GET /challenge). */
export type ChallengeResult = 'passed' | 'required' | 'failed';

/** In adaptive mode a call needs a challenge once a limit covering it is used past this share. */
export const ADAPTIVE_THRESHOLD = 0.5;

export class ChallengeGate {
  constructor(
    private readonly settings: ChallengeGateSettings,
    private readonly count: (result: ChallengeResult) => void = () => {},
  ) {}

  /**
   * Resolves when the call may go on (true when a solved challenge was accepted for it); throws
   * CHALLENGE_REQUIRED (none given), CHALLENGE_FAILED (not accepted) or RATE_LIMITED (the caller's IP failed too
   * many checks: this one is not checked). `usedRatio` is the largest share used of the limits covering the
   * call, read only in adaptive mode. A response that is not needed is ignored, neither checked nor used up.
   */
  async check(
    response: string | null | undefined,
    usedRatio: () => Promise<number>,
    caller: ChallengeCaller & { log: Logger },
  ): Promise<boolean> {
    const { settings } = this;
    if (settings.mode === 'off') return false;
    if (settings.mode === 'adaptive') {
      const ratio = await usedRatio();
      // A used-up limit refuses the call anyway (RATE_LIMITED, with when to retry): a user waiting out a
      // cooldown is not asked for work that cannot help (unless the limit yields to a challenge: demand()).
      if (ratio <= ADAPTIVE_THRESHOLD || ratio >= 1) return false;
    }
    return this.demand(response, caller);
  }

  /** Whether challenges are on at all: a refusal that yields to one can then be turned into a demand for one. */
  get enabled(): boolean {
    return this.settings.mode !== 'off';
  }

  /**
   * Requires and verifies a solved challenge whatever the limits' use: for a caller refused by limits that
   * yield to one. Resolves true once one was accepted.
   */
  async demand(
    response: string | null | undefined,
    caller: ChallengeCaller & { log: Logger },
  ): Promise<true> {
    const { settings } = this;
    if (settings.mode === 'off') throw new Error('A challenge was demanded while challenges are off');
    if (response === undefined || response === null) {
      this.count('required');
      throw gatewayError(
        ErrorCode.CHALLENGE_REQUIRED,
        'This call needs a solved challenge: get one from GET /challenge, solve it and send it as challengeResponse.',
      );
    }
    const failure = settings.failures && (await this.takeFailurePoint(settings.failures, caller.clientIp));
    let verdict: Awaited<ReturnType<ChallengeVerifier['verify']>>;
    try {
      verdict = await settings.verifier.verify(response, { clientIp: caller.clientIp });
    } catch (error) {
      // The verifier could not tell (its store failed): that is not the caller's failure.
      await failure?.giveBack();
      throw error;
    }
    if (!verdict.ok) {
      this.count('failed');
      caller.log.debug({ reason: verdict.reason }, 'challenge response refused');
      throw gatewayError(
        ErrorCode.CHALLENGE_FAILED,
        'The challenge response was not accepted (malformed, expired, already used or not issued by this gateway): solve a new challenge.',
      );
    }
    await failure?.giveBack();
    this.count('passed');
    return true;
  }

  /**
   * Takes one point of the IP's budget before the check, so that responses sent at once cannot all be checked
   * on a budget that has one point left; refuses with RATE_LIMITED when none is left. Looked up first, as the
   * abuse limits are, so that a flood past the budget writes nothing.
   */
  private async takeFailurePoint(
    budget: ChallengeFailureBudget,
    clientIp: string,
  ): Promise<{ giveBack(): Promise<void> }> {
    const { rule, limiter } = budget;
    const key = budget.keyOf(clientIp);
    const refuse = (msBeforeNext: number) => {
      budget.onRefusal?.(rule.name);
      return rateLimited(msBeforeNext);
    };
    const current = await limiter.get(key);
    if (current && current.consumedPoints >= rule.points) throw refuse(current.msBeforeNext);
    let taken: Awaited<ReturnType<CountingLimiter['consume']>>;
    try {
      taken = await limiter.consume(key);
    } catch (error) {
      if (isRefusal(error)) throw refuse(error.msBeforeNext);
      throw error;
    }
    // A point is given back only within the window it was taken in: after it, a reward would be credit.
    const windowEnds = Date.now() + taken.msBeforeNext;
    return {
      giveBack: async () => {
        if (Date.now() < windowEnds) await limiter.reward(key);
      },
    };
  }
}
