// The gateway's own abuse limits, checked before any Cognito call and counted once per executed mutation
// field (so aliases count one each): per username, per IP, per (username, IP) and per delivery destination.
// A call is looked up before it is counted, so a refused call creates no records (a flood of refused calls
// costs no memory), and a call refused by one rule takes nothing from the others. Every rule takes its point
// before the call (so parallel requests cannot overtake it) and is settled by the call's outcome: a rule that
// counts codes sent gives the point back when Cognito refused to send one, a rule that counts failed
// attempts gives it back when the attempt succeeded, and every rule gives it back when the call never
// reached Cognito.
//
// Send budgets are rules of the same kind whose subject is a kind of destination rather than a caller: all
// SMS, SMS per destination country, all email, and codes to destinations the gateway does not know. A point
// is reserved before the call in the budget of every medium the code could go by (the call's reach), and
// settled by the medium Cognito answers it used: a sign-up with an email and a phone number keeps only the
// points of the one that got the code, in the budgets and in the destination cap alike, so nobody's budget is
// spent by a code they never received.
//
// Per-user rules count the account when it is known (every identifier of one user shares them), else the
// identifier as the pool compares it, so that an attacker's own look-alike username never spends the real
// user's limits; a wider fold (NFKC, ß/ss, fullwidth) is kept only as a higher aggregate cap on failed code
// checks (the rule builders in user-pool-calls/limit-rules.ts decide which rules have one).
import type { RateLimiterRes } from 'rate-limiter-flexible';
import { ErrorCode, gatewayError } from '../errors';
import type { Reach } from './code-reach';
import { destinationKind } from './destination';
import { poolCompared } from './destination-links';
import { hashedKey, ipKey, usernameKey } from './limit-keys';

/**
 * What part of the caller a rule counts. `username` is the user (the account, else the identifier as the pool
 * compares it), `username-folded` the identifier under the wide fold; `destination` is every email address or
 * phone number the code may reach; `sms`, `sms-country`, `email` and `unknown` are the send budgets: every SMS,
 * SMS per destination country, every email, every code to a destination the gateway does not know.
 */
export type LimitSubject =
  | 'username'
  | 'username-folded'
  | 'ip'
  | 'username+ip'
  | 'destination'
  | BudgetSubject;
export type BudgetSubject = 'sms' | 'sms-country' | 'email' | 'unknown';

/** How Cognito said it sent the code (`none`: the answer says no code was sent). */
export type Delivered = 'SMS' | 'EMAIL' | 'none';

const BUDGET_MEDIUM: Record<BudgetSubject, 'SMS' | 'EMAIL' | 'any'> = {
  sms: 'SMS',
  'sms-country': 'SMS',
  email: 'EMAIL',
  unknown: 'any',
};

function isBudget(subject: LimitSubject): subject is BudgetSubject {
  return subject in BUDGET_MEDIUM;
}

/**
 * Which calls keep the point they took: `attempts` every call that may have reached Cognito; `codes-sent`
 * only calls that may have made Cognito send a code; `failures` only attempts that failed (a wrong or
 * expired code), so that guessing is bounded and a user's own successes cost nothing.
 */
export type LimitCounts = 'attempts' | 'codes-sent' | 'failures';

export interface LimitRule {
  /** Names the rule in Redis keys and logs, e.g. `resend:username-cooldown`. Rules of one name share counters. */
  name: string;
  subject: LimitSubject;
  points: number;
  durationSeconds: number;
  /** Default `attempts`. */
  counts?: LimitCounts;
  /**
   * A caller who solved a proof-of-work challenge passes this rule even when it is spent (and is not counted
   * by it): the per-user failure caps of sign-in, so that strangers spending them from many addresses cannot
   * lock the real user out, while each further guess costs them a solved challenge.
   */
  yieldsToChallenge?: boolean;
}

/** Marks a refusal whose every spent rule yields to a solved challenge: the caller may solve one and retry. */
const YIELDS_TO_CHALLENGE = Symbol('yieldsToChallenge');

/** Whether `error` is a refusal that a solved challenge would have let through. */
export function yieldsToChallenge(error: unknown): boolean {
  return typeof error === 'object' && error !== null && YIELDS_TO_CHALLENGE in error;
}

export interface LimitSubjects {
  /** The identifier as sent: per-user rules count it as the pool compares it, unless the account is known. */
  username: string;
  /** The user's account key (destination-links.ts), shared by all its identifiers, when known. */
  account?: string;
  ip: string;
  /** Where the call may send a code; absent for calls that send none. */
  reach?: Reach;
}

/** How a call ended: `ok`, `not-reached` (certainly never sent to Cognito), or the error code it answered. */
export type CallOutcome = 'ok' | 'not-reached' | ErrorCode;

/** The part of a rate-limiter-flexible limiter that the abuse limiter uses. */
export interface CountingLimiter {
  /** The key's count in its live window without counting; `null` when nothing is counted. */
  get(key: string): Promise<RateLimiterRes | null>;
  /** Takes a point; rejects with the `RateLimiterRes` (see `isRefusal`) once the rule's points are spent. */
  consume(key: string): Promise<RateLimiterRes>;
  /** Gives a point back to the key's live window, never below zero. */
  reward(key: string): Promise<unknown>;
}

export type RateLimiterFactory = (rule: LimitRule) => CountingLimiter;

/** One counter of a call: a rule and the key it counts (rules of one name count one counter per key). */
export interface CounterRef {
  /** The rule: its name names the counter, its points and window are the counter's. */
  rule: LimitRule;
  /** The counted subject's key. */
  key: string;
}

/**
 * What a call's consume of all its counters answered: `taken` holds every counter's count after its point,
 * in the order asked; `spent` names the counters whose points were spent (the count at or past the rule's
 * points, or no room for a new counter in memory), and then no counter took a point.
 */
export type ConsumeAllResult =
  | { taken: RateLimiterRes[] }
  | {
      spent: Array<{ index: number; res: RateLimiterRes }>;
      /** Every counter's count as it was read, in order (`null` where nothing is counted). */
      read: Array<RateLimiterRes | null>;
    };

/**
 * The counters of all of a call's rules, counted together as the abuse limiter counts them. Each call is
 * atomic where the store allows it (one Redis script; synchronous in memory), so that no other call can take
 * a point between the look and the count. A store failure rejects with an Error.
 */
export interface CallCounters {
  /**
   * Reads counters without counting.
   *
   * @param counters - the counters to read.
   * @returns each one's count and the time left in its window, in order; `null` where nothing is counted.
   */
  getAll(counters: readonly CounterRef[]): Promise<Array<RateLimiterRes | null>>;
  /**
   * Takes a point from every counter, or from none: none when any of them is spent (its count already at its
   * rule's points), so a refused call takes nothing from the other rules and creates no counter. A counter
   * named twice needs two points. Opens a window of the rule's duration where none is live.
   *
   * @param counters - the call's counters.
   * @returns the counts after the points, or the spent counters.
   */
  consumeAll(counters: readonly CounterRef[]): Promise<ConsumeAllResult>;
  /**
   * Settles a call: gives a point back to each of `giveBack` (into its live window only, never below zero,
   * as `reward`), and adds a point to each of `charge` whatever its count (a code already sent by a medium
   * the call did not reserve).
   *
   * @param giveBack - the counters whose points the call's outcome does not keep.
   * @param charge - the counters to add a point to.
   * @returns the counts of `charge` after their points, in order.
   */
  settleAll(giveBack: readonly CounterRef[], charge: readonly CounterRef[]): Promise<RateLimiterRes[]>;
}

/**
 * What the abuse limiter counts with: a store's limiters (built once per rule name, so that a name defined
 * twice with different budgets fails at start-up) and its batches of a call (the store's `counters`).
 */
export interface LimitCounting {
  createLimiter: RateLimiterFactory;
  counters: CallCounters;
}

export interface LimitTicket {
  /**
   * Gives back the points that the call's outcome does not justify keeping; `delivered` (what a successful
   * call's answer says of the code) settles the send budgets.
   */
  settle(outcome: CallOutcome, delivered?: Delivered): Promise<void>;
}

/** Told how far a send budget is used, each time it counts a code: for the gauge and the warning. */
export type BudgetObserver = (use: {
  rule: LimitRule;
  key: string;
  consumed: number;
  msBeforeNext: number;
}) => void;

export interface KeyOptions {
  usernameCaseSensitive: boolean;
  ipv6PrefixBits: number;
}

/** Outcomes after which Cognito may have sent a code: it did, or we cannot know that it did not. */
const MAY_HAVE_SENT = new Set<CallOutcome>([
  'ok',
  ErrorCode.CODE_DELIVERY_FAILED,
  ErrorCode.UPSTREAM_UNAVAILABLE,
  ErrorCode.INTERNAL_SERVER_ERROR,
]);

/**
 * Outcomes of a code or password check that did not let the caller in, or that cannot be known not to have
 * been checked. A wrong password and an unknown user are one failure (with PreventUserExistenceErrors Cognito
 * answers both NOT_AUTHORIZED; without it an unknown user is USER_NOT_FOUND, and guessing names is a failure).
 */
const MAY_HAVE_FAILED = new Set<CallOutcome>([
  ErrorCode.NOT_AUTHORIZED,
  ErrorCode.USER_NOT_FOUND,
  ErrorCode.SESSION_EXPIRED,
  // A refresh token Cognito refused (revoked, expired, reused after a rotation).
  ErrorCode.NOT_SIGNED_IN,
  ErrorCode.CODE_MISMATCH,
  ErrorCode.CODE_EXPIRED,
  ErrorCode.LIMIT_EXCEEDED,
  ErrorCode.UPSTREAM_UNAVAILABLE,
  ErrorCode.INTERNAL_SERVER_ERROR,
]);

export function keepsPoint(counts: LimitCounts, outcome: CallOutcome): boolean {
  if (outcome === 'not-reached') return false;
  switch (counts) {
    case 'attempts':
      return true;
    case 'codes-sent':
      return MAY_HAVE_SENT.has(outcome);
    case 'failures':
      return MAY_HAVE_FAILED.has(outcome);
  }
}

/**
 * Whether a point stays once the answer said how the code went: a budget's and a destination's only when the
 * code went by their medium (none when no code went), the unknown budget's for any code or for an SMS only, as
 * the reach said; a per-caller rule that counts codes sent only when a code went (an answer that sent none,
 * such as the sign-in factors on offer, costs the user's cooldown nothing); other per-caller rules always.
 */
function mediumKeeps(check: CounterRef, delivered: Delivered | undefined, reach: Reach | undefined): boolean {
  if (delivered === undefined) return true;
  const { subject, counts } = check.rule;
  if (subject === 'unknown') return delivered !== 'none' && (reach?.unknown !== 'SMS' || delivered === 'SMS');
  if (subject === 'destination') {
    const medium = destinationKind(check.key).medium;
    return delivered !== 'none' && (medium === 'unknown' || medium === delivered);
  }
  if (!isBudget(subject)) return counts !== 'codes-sent' || delivered !== 'none';
  return delivered === BUDGET_MEDIUM[subject];
}

export class AbuseLimiter {
  private readonly rules: readonly LimitRule[];
  private readonly counters: CallCounters;

  /**
   * Rules with 0 points or 0 seconds are off and never built. Every call's rules are counted together
   * (`store.counters`): one round trip to Redis for the consume, one for the settle.
   */
  constructor(
    rules: LimitRule[],
    store: LimitCounting,
    private readonly keys: KeyOptions,
    /** Told the rule behind every refusal (for metrics). */
    private readonly onRefusal: (rule: string) => void = () => {},
    private readonly onBudgetUse: BudgetObserver = () => {},
    /**
     * Milliseconds since the epoch, for the refund windows: the store's clock, so that a test moves both at
     * once (a `Clock`, spelled out: the store's contract imports from this module).
     */
    private readonly clock: () => number = Date.now,
  ) {
    this.rules = rules.filter((rule) => rule.points > 0 && rule.durationSeconds > 0);
    // Built now, so that two rules of one name with different budgets stop the start-up.
    for (const rule of this.rules) store.createLimiter(rule);
    this.counters = store.counters;
  }

  /**
   * Refuses, without taking a point, a caller whose per-IP rules are spent: checked before the work a call
   * does ahead of its limits (a user look-up), so that a spent IP costs nothing more.
   */
  async refuseSpentIp(subjects: Pick<LimitSubjects, 'ip'>): Promise<void> {
    const key = ipKey(subjects.ip, this.keys.ipv6PrefixBits);
    const checks = this.rules.filter((rule) => rule.subject === 'ip').map((rule) => ({ rule, key }));
    const current = await this.counters.getAll(checks);
    const exhausted = checks.flatMap((c, i) => {
      const res = current[i];
      return res && res.consumedPoints >= c.rule.points ? [{ rule: c.rule, ms: res.msBeforeNext }] : [];
    });
    if (exhausted.length > 0) throw this.refuse(exhausted);
  }

  /**
   * Takes one point from every rule, or none: refuses with RATE_LIMITED and `retryAfterSeconds`. A caller that
   * solved a challenge (`challenged`) skips the rules that yield to one.
   */
  async consume(subjects: LimitSubjects, options: { challenged?: boolean } = {}): Promise<LimitTicket> {
    const checks = this.checksFor(subjects).filter((c) => !(options.challenged && c.rule.yieldsToChallenge));
    // One look and count for all the rules (atomic in the store): a refused call takes nothing, creates no
    // counter, and no other request (or instance) can take the last point between the look and the count.
    const result = await this.counters.consumeAll(checks);
    if ('spent' in result)
      throw this.refuse(
        result.spent.flatMap(({ index, res }) => {
          const c = checks[index];
          return c ? [{ rule: c.rule, ms: res.msBeforeNext }] : [];
        }),
      );
    const taken = result.taken;
    // A point is given back only within the window it was taken in: after it, there is nothing to give back,
    // and a reward would become credit in the next window.
    const takenAt = this.clock();
    const windowEnds = taken.map((res) => takenAt + res.msBeforeNext);
    return {
      settle: async (outcome, delivered) => {
        const kept = (c: CounterRef) =>
          keepsPoint(c.rule.counts ?? 'attempts', outcome) && mediumKeeps(c, delivered, subjects.reach);
        const settledAt = this.clock();
        const refunded = checks.filter((c, i) => !kept(c) && (windowEnds[i] ?? 0) > settledAt);
        const charged =
          outcome === 'ok' && (delivered === 'SMS' || delivered === 'EMAIL')
            ? this.unforeseen(checks, delivered)
            : [];
        const counts = await this.counters.settleAll(refunded, charged);
        // Only points kept are reported, once settled: a point given back (a sign-up whose code went by the
        // other medium) never shows as spent or raises the warning.
        taken.forEach((res, i) => {
          const c = checks[i];
          if (c && !refunded.includes(c)) this.observeBudget(c, res);
        });
        charged.forEach((c, i) => {
          const res = counts[i];
          if (res) this.observeBudget(c, res);
        });
      },
    };
  }

  /**
   * A code went by a medium its reach did not foresee (an attribute changed outside the gateway): it is added
   * to that medium's total budget now, whatever its count (it is sent already), so later calls see it spent;
   * the caller remembers the medium on the user's link, so that the next code reserves it before the call.
   */
  private unforeseen(checks: readonly CounterRef[], delivered: 'SMS' | 'EMAIL'): CounterRef[] {
    const subject = delivered === 'SMS' ? 'sms' : 'email';
    if (checks.some((c) => c.rule.subject === subject)) return [];
    return this.rules.filter((rule) => rule.subject === subject).map((rule) => ({ rule, key: subject }));
  }

  private observeBudget(check: CounterRef, res: RateLimiterRes): void {
    if (isBudget(check.rule.subject))
      this.onBudgetUse({
        rule: check.rule,
        key: check.key,
        consumed: res.consumedPoints,
        msBeforeNext: res.msBeforeNext,
      });
  }

  private checksFor(subjects: LimitSubjects): CounterRef[] {
    // A linked user is counted by their account (every spelling, the sub and aliases together) AND by the
    // identifier as sent, so that what was counted before the link was made (a user the gateway learns of at
    // their first sign-in) still counts after it: linking never hands strangers a fresh allowance.
    const identifier = hashedKey(poolCompared(subjects.username, this.keys.usernameCaseSensitive));
    const users = [...new Set([...(subjects.account ? [hashedKey(subjects.account)] : []), identifier])];
    const ip = ipKey(subjects.ip, this.keys.ipv6PrefixBits);
    const reach = subjects.reach;
    const keysOf: Record<LimitSubject, readonly string[]> = {
      username: users,
      'username-folded': [usernameKey(subjects.username, this.keys.usernameCaseSensitive)],
      ip: [ip],
      'username+ip': users.map((user) => `${user}|${ip}`),
      destination: [...new Set(reach?.destinations ?? [])],
      sms: reach?.sms ? ['sms'] : [],
      'sms-country': reach?.sms ? [...new Set(reach.smsCountries)] : [],
      email: reach?.email ? ['email'] : [],
      unknown: reach?.unknown ? ['unknown'] : [],
    };
    return this.rules.flatMap((rule) => keysOf[rule.subject].map((key) => ({ rule, key })));
  }

  private refuse(exhausted: ReadonlyArray<{ rule: LimitRule; ms: number }>) {
    // Once per rule, whatever number of its keys (a linked user's account and name) are spent.
    for (const name of new Set(exhausted.map(({ rule }) => rule.name))) this.onRefusal(name);
    // A spent send budget is named (it is the same for every caller, so it tells an attacker nothing about
    // anyone): a frontend can say that codes are paused rather than that the user tried too often.
    const budget = exhausted.find((e) => isBudget(e.rule.subject));
    const refusal = rateLimited(Math.max(...exhausted.map((e) => e.ms)), budget?.rule.name);
    if (exhausted.every((e) => e.rule.yieldsToChallenge)) {
      Object.defineProperty(refusal, YIELDS_TO_CHALLENGE, { value: true, enumerable: false });
    }
    return refusal;
  }

  /**
   * The largest share used (points consumed / points) over the rules in force for these subjects, looked up
   * without taking a point: 0 when nothing is counted yet. The adaptive challenge asks for work past half.
   */
  async usedRatio(subjects: LimitSubjects): Promise<number> {
    const checks = this.checksFor(subjects);
    const current = await this.counters.getAll(checks);
    return Math.max(0, ...checks.map((c, i) => (current[i]?.consumedPoints ?? 0) / c.rule.points));
  }
}

export function rateLimited(msBeforeNext: number, budget?: string) {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return budget === undefined
    ? gatewayError(ErrorCode.RATE_LIMITED, `Too many attempts; try again in ${retryAfterSeconds} s.`, {
        retryAfterSeconds,
      })
    : gatewayError(
        ErrorCode.RATE_LIMITED,
        `Codes of this kind are paused for everyone for now; try again in ${retryAfterSeconds} s.`,
        { retryAfterSeconds, rule: budget },
      );
}

/** rate-limiter-flexible rejects with a RateLimiterRes when a limit is reached, with an Error on store failure. */
export function isRefusal(value: unknown): value is RateLimiterRes {
  return typeof value === 'object' && value !== null && !(value instanceof Error) && 'msBeforeNext' in value;
}
