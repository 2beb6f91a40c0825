// One pipeline for every public user-pool call (ResendConfirmationCode, SignUp, ConfirmSignUp, ...): the
// proof-of-work challenge of the calls that send codes, abuse limits, the shared request fields (ClientId, SecretHash, AnalyticsMetadata, ClientMetadata,
// UserContextData), the Cognito call behind the breaker, error mapping and the payload. A call is described
// by a `UserPoolCall` (its limits, its own request fields, how to send it, how to read the answer); adding
// one is a definition, not a copy of this pipeline.

import { type CognitoCaller, type CognitoSender, UpstreamNotReachedError } from '../cognito/cognito-caller';
import type { MappedError } from '../cognito/error-mapping';
import type { UserLookup } from '../cognito/user-lookup';
import type { Config, PoolSettings } from '../config';
import { ErrorCode, gatewayError } from '../errors';
import {
  type AbuseLimiter,
  type CallOutcome,
  type Delivered,
  type LimitRule,
  type LimitSubjects,
  rateLimited,
} from '../limits/abuse-limiter';
import { foresees, NO_REACH, type Reach, reachOf, UNKNOWN_COUNTRY, unknownReach } from '../limits/code-reach';
import {
  DestinationLinks,
  type LinkedUser,
  type Recalled,
  type UserFacts,
} from '../limits/destination-links';
import type { LimitSettings, LimitValues } from '../limits/limit-settings';
import type { Logger } from '../logger';
import type { ChallengeGate } from '../spend-guard/challenge/challenge-gate';
import {
  enforceLinkedPhonePolicy,
  enforcePhonePolicy,
  hasCountryList,
  type PhonePolicySettings,
} from '../spend-guard/phone-policy';
import {
  type CallerInfo,
  type SharedRequestFields,
  sharedRequestFields,
  type UserPoolCallSettings,
} from './shared/request-fields';
import type { UserPoolCallInput } from './shared/user-pool-call.input';

export interface UserPoolCall<
  Input extends UserPoolCallInput,
  Request,
  Output,
  Payload,
  Limits extends LimitSettings = LimitSettings,
> {
  /** Cognito's name for the operation, as logged; also the name configuration keeps its limits under. */
  readonly operation: string;
  /** The call's own limits as configuration reads them (declared in its folder's limits.ts). */
  readonly limits: Limits;
  /** The abuse rules that suit this call, from its own limits and the shared ones (0 points: off). */
  limitRules(own: LimitValues<Limits>, shared: SharedLimits): LimitRule[];
  /**
   * Where this call's code goes, when its input says so (signUp's email and phone number), as destination
   * keys. Calls without it are counted against the destinations linked to their username.
   */
  destinations?(input: Input, pool: PoolSettings): string[];
  /** A call that creates a user (signUp): everything to link to the new user once Cognito made them. */
  newUser?(input: Input, output: Output, pool: PoolSettings): UserFacts;
  /** What a successful answer proves wrong in the pool's description (logged once), if anything. */
  poolMismatch?(input: Input, pool: PoolSettings): string | undefined;
  /**
   * How a code for an identifier with no link is charged (calls that send codes to existing users): to the
   * one budget for unknown destinations (a confirmation resend: only the gateway makes unconfirmed users, so
   * any it made is linked), or to the send budgets and per-identifier limits alone (a password reset, which
   * established users the gateway never saw must keep getting).
   */
  unlinked?: 'unknown-budget' | 'send-budgets';
  /** The phone numbers the input carries that a code may go to: each must pass the phone policy first. */
  phoneNumbers?(input: Input): string[];
  /** How the answer says the code went, for calls that send one (settles the send budgets). */
  delivered?(output: Output): Delivered;
  /**
   * Present on the calls a proof-of-work challenge guards (those that make Cognito send a code): the challenge
   * response the caller sent. The challenge gate decides whether one is needed.
   */
  challengeResponse?(input: Input): string | null | undefined;
  /** Pure: the call's own fields on top of the shared ones. */
  toRequest(input: Input, shared: SharedRequestFields): Request;
  send(client: CognitoSender, request: Request): Promise<Output>;
  /** Pure: Cognito's answer as the GraphQL payload. */
  toPayload(output: Output): Payload;
  /** What this call's exceptions mean where they differ from the shared table. */
  mapError?(error: unknown): MappedError | undefined;
}

/** Any call, whatever its own types (a call's methods take its input, which extends UserPoolCallInput). */
export type AnyUserPoolCall = UserPoolCall<UserPoolCallInput, unknown, unknown, unknown>;

/** The limits that calls share, whatever the call: the destination cap and the send budgets. */
export type SharedLimits = Pick<
  Config['limits'],
  'destinationPerHour' | 'smsPerCountryPerHour' | 'smsPerHour' | 'emailPerHour' | 'unknownDestinationPerHour'
>;

/**
 * How much higher a per-user hourly cap is under the wide fold (look-alike spellings of one name together)
 * than for one user: an attacker's own look-alikes cannot spend the real user's cap, and together they stay
 * bounded.
 */
export const FOLDED_CAP_FACTOR = 4;

/** The abuse rules of a call as configured: its own limits, read under its operation name, and the shared ones. */
export function limitRulesOf(call: AnyUserPoolCall, limits: Config['limits']): LimitRule[] {
  const own = limits.calls[call.operation];
  // Configuration reads the limits of the calls it is given (main.ts gives it the registry's).
  if (own === undefined) throw new Error(`Configuration was read without the limits of ${call.operation}`);
  return call.limitRules(own, limits);
}

export interface CallContext extends CallerInfo {
  readonly log: Logger;
}

/** The cap on codes to one destination, one counter shared by every call that sends codes. */
export function destinationRule(shared: SharedLimits): LimitRule {
  return {
    name: 'destination-hour',
    subject: 'destination',
    points: shared.destinationPerHour,
    durationSeconds: 3_600,
    counts: 'codes-sent',
  };
}

/**
 * The send budgets, one counter each shared by every call that sends codes: SMS per destination country,
 * SMS in total, email in total, whatever the IPs and usernames.
 */
export function budgetRules(shared: SharedLimits): LimitRule[] {
  const budget = (name: string, subject: LimitRule['subject'], points: number): LimitRule => ({
    name,
    subject,
    points,
    durationSeconds: 3_600,
    counts: 'codes-sent',
  });
  return [
    budget('sms-country-hour', 'sms-country', shared.smsPerCountryPerHour),
    budget('sms-hour', 'sms', shared.smsPerHour),
    budget('email-hour', 'email', shared.emailPerHour),
    budget('unknown-destination-hour', 'unknown', shared.unknownDestinationPerHour),
  ];
}

/**
 * A per-user hourly cap on failed code checks, and its aggregate over the wide fold, FOLDED_CAP_FACTOR times
 * higher. Only failures get one: a code sent for a look-alike that does not exist (a simulated delivery)
 * would otherwise spend the real user's aggregate, while their wrong guesses were never theirs to make.
 */
function failuresPerUserHourly(name: string, points: number): LimitRule[] {
  const hourly = { durationSeconds: 3_600, counts: 'failures' as const };
  return [
    { name, subject: 'username', points, ...hourly },
    { name: `${name}:folded`, subject: 'username-folded', points: points * FOLDED_CAP_FACTOR, ...hourly },
  ];
}

/** Every rule a call that sends codes shares with the others: the destination cap and the send budgets. */
export function sendingRules(shared: SharedLimits): LimitRule[] {
  return [destinationRule(shared), ...budgetRules(shared)];
}

/**
 * The limits of a call that sends a code (resend, forgotPassword): per client IP on its calls, per username a
 * cooldown and an hourly cap on the codes sent, and the destination cap that every such call shares.
 */
export function codeSendingRules(
  prefix: string,
  own: { ipPerHour: number; usernameCooldownSeconds: number; usernamePerHour: number },
  shared: SharedLimits,
): LimitRule[] {
  return [
    { name: `${prefix}:ip-hour`, subject: 'ip', points: own.ipPerHour, durationSeconds: 3_600 },
    {
      name: `${prefix}:username-cooldown`,
      subject: 'username',
      points: 1,
      durationSeconds: own.usernameCooldownSeconds,
      counts: 'codes-sent',
    },
    {
      name: `${prefix}:username-hour`,
      subject: 'username',
      points: own.usernamePerHour,
      durationSeconds: 3_600,
      counts: 'codes-sent',
    },
    ...sendingRules(shared),
  ];
}

/**
 * The limits of a call that checks a code (confirmSignUp, confirmForgotPassword): per client IP on its
 * attempts, and failed attempts per (username, IP) and, much higher, per username, so that a stranger's wrong
 * codes from one IP never lock the real user out of the gateway.
 */
export function codeCheckingRules(
  prefix: string,
  own: { ipPerHour: number; failuresUsernameIpPerHour: number; failuresUsernamePerHour: number },
): LimitRule[] {
  return [
    { name: `${prefix}:ip-hour`, subject: 'ip', points: own.ipPerHour, durationSeconds: 3_600 },
    {
      name: `${prefix}:username-ip-failures-hour`,
      subject: 'username+ip',
      points: own.failuresUsernameIpPerHour,
      durationSeconds: 3_600,
      counts: 'failures',
    },
    ...failuresPerUserHourly(`${prefix}:username-failures-hour`, own.failuresUsernamePerHour),
  ];
}

function outcomeOf(error: unknown): CallOutcome {
  if (error instanceof UpstreamNotReachedError) return 'not-reached';
  const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
  return typeof code === 'string' && code in ErrorCode
    ? (code as ErrorCode)
    : ErrorCode.INTERNAL_SERVER_ERROR;
}

/** How a code went, read from a sending call's answer (no delivery details: no code was sent). */
export function deliveredBy(details: { DeliveryMedium?: string | undefined } | undefined): Delivered {
  const medium = details?.DeliveryMedium;
  return medium === 'SMS' || medium === 'EMAIL' ? medium : 'none';
}

/** Where a code that went by SMS went: the one country its reach foresaw, else unknown. */
export function smsCountry(reach: Reach | undefined): string {
  const countries = reach?.smsCountries ?? [];
  return countries.length === 1 ? (countries[0] as string) : UNKNOWN_COUNTRY;
}

/** Who a call is for, as the limits count them, the user's link when there is one, and a look-up to make. */
interface Identified {
  subjects: LimitSubjects;
  linked?: LinkedUser;
  lookUp?: UserLookup;
}

/** What the pipeline needs of the spend guard: the phone policy, and who counts the codes sent. */
export interface SpendGuard {
  readonly phonePolicy: PhonePolicySettings;
  codeSent(medium: 'SMS' | 'EMAIL', country: string): void;
}

/** Pure: the complete Cognito request for a call, shared fields and the call's own. */
export function toRequest<Input extends UserPoolCallInput, Request>(
  call: Pick<UserPoolCall<Input, Request, unknown, unknown>, 'toRequest'>,
  input: Input,
  settings: UserPoolCallSettings,
  caller: CallerInfo,
): Request {
  return call.toRequest(input, sharedRequestFields(input.username, input, settings, caller));
}

export class UserPoolCalls {
  constructor(
    private readonly cognito: CognitoCaller,
    private readonly settings: UserPoolCallSettings,
    /** Builds a call's abuse limiter from its own rules; each call's is built once, on first use. */
    private readonly buildLimiter: (call: AnyUserPoolCall) => AbuseLimiter,
    private readonly links: DestinationLinks,
    private readonly challenge: ChallengeGate,
    private readonly spend: SpendGuard,
    private readonly users: UserDirectory,
  ) {}

  private readonly limiters = new WeakMap<AnyUserPoolCall, AbuseLimiter>();
  /** The pool mismatches already logged: each once per process. */
  private readonly mismatches = new Set<string>();

  private reportMismatch(problem: string | undefined, ctx: CallContext): void {
    if (problem === undefined || this.mismatches.has(problem)) return;
    this.mismatches.add(problem);
    ctx.log.error(problem);
  }

  /** The call's abuse limiter. */
  limiterOf(call: AnyUserPoolCall): AbuseLimiter {
    let limiter = this.limiters.get(call);
    if (!limiter) {
      limiter = this.buildLimiter(call);
      this.limiters.set(call, limiter);
    }
    return limiter;
  }

  async run<Input extends UserPoolCallInput, Request, Output, Payload>(
    call: UserPoolCall<Input, Request, Output, Payload>,
    input: Input,
    ctx: CallContext,
  ): Promise<Payload> {
    const limiter = this.limiterOf(call as AnyUserPoolCall);
    // Every caller is charged to its own address; one that cannot be told apart is refused, never pooled.
    if (ctx.clientIp === undefined)
      throw gatewayError(ErrorCode.FORBIDDEN, 'The client address could not be determined.');
    // Before any limit is counted: a refused number costs the caller nothing and reaches nobody.
    enforcePhonePolicy(call.phoneNumbers?.(input) ?? [], this.spend.phonePolicy);
    const known = await this.identify(call as AnyUserPoolCall, input, ctx.clientIp);
    // Before any point is taken: a call the challenge refuses costs its caller no budget and sends nothing.
    if (call.challengeResponse) {
      await this.challenge.check(call.challengeResponse(input), () => limiter.usedRatio(known.subjects), {
        clientIp: ctx.clientIp,
        log: ctx.log,
      });
    }
    // Only a caller past the challenge, and with its IP not spent, costs a look-up.
    const { subjects, linked } = known.lookUp
      ? await this.lookUp(call as AnyUserPoolCall, input, ctx.clientIp, limiter, ctx, known.lookUp)
      : known;
    const ticket = await limiter.consume(subjects);
    const request = toRequest(call, input, this.settings, ctx);
    // Settled by how the call ends: an outage that kept it from Cognito, or a refusal that sent no code,
    // gives back what the outcome does not justify.
    let outcome: CallOutcome = 'not-reached';
    let delivered: Delivered | undefined;
    try {
      const output = await this.cognito.call(
        call.operation,
        (client) => call.send(client, request),
        ctx,
        call.mapError,
      );
      outcome = 'ok';
      delivered = call.delivered?.(output);
      const medium = delivered === 'SMS' || delivered === 'EMAIL' ? delivered : undefined;
      if (medium) this.spend.codeSent(medium, medium === 'SMS' ? smsCountry(subjects.reach) : '');
      this.reportMismatch(call.poolMismatch?.(input, this.users.pool), ctx);
      if (call.newUser) {
        const { taken } = await this.links.remember(call.newUser(input, output, this.users.pool));
        if (taken > 0) ctx.log.error({ operation: call.operation, taken }, DestinationLinks.TAKEN_WARNING);
      } else if (linked && medium) {
        const reach = subjects.reach;
        await this.links.codeSent(
          input.username,
          linked,
          reach && !foresees(reach, medium) ? medium : undefined,
        );
      }
      return call.toPayload(output);
    } catch (error) {
      outcome = outcomeOf(error);
      throw error;
    } finally {
      await ticket.settle(outcome, delivered);
    }
  }

  /**
   * Who the call is for and where its code may go: the destinations its input names (signUp), else those
   * linked to its identifier, else nobody's: an unlinked identifier is never charged to a known owner's
   * destination, and pays as the call's `unlinked` says. The phone policy applies to the linked numbers at
   * every send. An unlinked identifier of a code-sending call is marked for a look-up, where one is configured.
   */
  private async identify(call: AnyUserPoolCall, input: UserPoolCallInput, ip: string): Promise<Identified> {
    const given = call.destinations?.(input, this.users.pool);
    if (given) return { subjects: subjectsOf(input.username, ip, undefined, reachOf(given)) };
    const recalled = await this.links.recall(input.username);
    const identified = this.fromLink(call, input.username, ip, recalled);
    const sends = call.delivered !== undefined;
    return 'unlinked' in recalled && sends && this.users.lookup
      ? { ...identified, lookUp: this.users.lookup }
      : identified;
  }

  /** Looks an unlinked identifier up once, links what Cognito says of the user, and identifies them again. */
  private async lookUp(
    call: AnyUserPoolCall,
    input: UserPoolCallInput,
    ip: string,
    limiter: AbuseLimiter,
    ctx: CallContext,
    lookup: UserLookup,
  ): Promise<Identified> {
    // A spent IP is refused before it costs a look-up.
    await limiter.refuseSpentIp({ ip });
    const found = await lookup.find(input.username, ctx);
    if (found === 'absent') return { subjects: subjectsOf(input.username, ip, undefined, NO_REACH) };
    if (!found) return this.fromLink(call, input.username, ip, { unlinked: true });
    await this.links.remember(found);
    return this.fromLink(call, input.username, ip, await this.links.recall(input.username));
  }

  private fromLink(call: AnyUserPoolCall, identifier: string, ip: string, recalled: Recalled): Identified {
    if ('overfilled' in recalled) throw rateLimited(3_600_000);
    const sends = call.delivered !== undefined;
    const policy = this.spend.phonePolicy;
    if ('linked' in recalled) {
      const user = recalled.linked;
      if (!sends) return { subjects: subjectsOf(identifier, ip, user.account), linked: user };
      enforceLinkedPhonePolicy(user.phones, policy);
      const reach = reachOf(user.destinations, user.unforeseen);
      // An SMS to a number no country list could check pays from the unknown budget.
      const unchecked = reach.smsCountries.includes(UNKNOWN_COUNTRY) && hasCountryList(policy);
      return {
        subjects: subjectsOf(identifier, ip, user.account, unchecked ? { ...reach, unknown: 'SMS' } : reach),
        linked: user,
      };
    }
    if (!sends) return { subjects: subjectsOf(identifier, ip) };
    const unknown = call.unlinked === 'unknown-budget' ? 'any' : hasCountryList(policy) ? 'SMS' : undefined;
    return { subjects: subjectsOf(identifier, ip, undefined, unknownReach(unknown)) };
  }
}

function subjectsOf(username: string, ip: string, account?: string, reach?: Reach): LimitSubjects {
  return { username, ip, ...(account && { account }), ...(reach && { reach }) };
}

/** What the runner knows of the pool's users: how it compares usernames, and how to look one up. */
export interface UserDirectory {
  readonly pool: PoolSettings;
  /** AdminGetUser, where the operator granted it (COGNITO_LOOKUP_USERS). */
  readonly lookup?: UserLookup;
}
