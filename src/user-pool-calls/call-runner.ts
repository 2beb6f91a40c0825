// Runs every public user-pool call the same way: the phone policy, who the call is for and where its code may
// go (destination links, a look-up where configured), the proof-of-work challenge of the calls that send
// codes, one consume of every limit and budget, the shared request fields, the Cognito call behind the
// breaker, the settlement by what Cognito answered, the links it teaches, and the payload.
import { type CognitoCaller, UpstreamNotReachedError } from '../cognito/cognito-caller';
import type { UserLookup } from '../cognito/user-lookup';
import type { PoolSettings } from '../config';
import { ErrorCode, errorCodeOf, gatewayError } from '../errors';
import {
  type AbuseLimiter,
  type CallOutcome,
  type Delivered,
  type LimitSubjects,
  rateLimited,
  yieldsToChallenge,
} from '../limits/abuse-limiter';
import {
  foresees,
  NO_REACH,
  narrowReach,
  type Reach,
  reachOf,
  UNKNOWN_COUNTRY,
  unknownReach,
} from '../limits/code-reach';
import {
  DestinationLinks,
  type LinkedUser,
  type Medium,
  type Recalled,
  type UserFacts,
} from '../limits/destination-links';
import type { Logger } from '../logger';
import type { ChallengeGate } from '../spend-guard/challenge/challenge-gate';
import type { ChallengeCaller } from '../spend-guard/challenge/challenge-verifier';
import {
  enforceLinkedPhonePolicy,
  enforcePhonePolicy,
  hasCountryList,
  type PhonePolicySettings,
} from '../spend-guard/phone-policy';
import type { UserPoolCallSettings } from './shared/request-fields';
import type { UserPoolCallInput } from './shared/user-pool-call.input';
import { type AnyUserPoolCall, type CallContext, toRequest, type UserPoolCall } from './user-pool-call';

function outcomeOf(error: unknown): CallOutcome {
  if (error instanceof UpstreamNotReachedError) return 'not-reached';
  const code = errorCodeOf(error);
  return code !== undefined && code in ErrorCode ? (code as ErrorCode) : ErrorCode.INTERNAL_SERVER_ERROR;
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
  /** The look-up found no such user: whatever delivery Cognito answers is simulated, and reaches nobody. */
  absent?: true;
}

/** What the runner needs of the spend guard: the phone policy, and who counts the codes sent. */
export interface SpendGuard {
  readonly phonePolicy: PhonePolicySettings;
  codeSent(medium: 'SMS' | 'EMAIL', country: string): void;
}

/** What the runner needs of a request: who calls, and its logger (not the session: resolvers use that). */
export type RunContext = Omit<CallContext, 'session'>;

export class CallRunner {
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

  private reportMismatch(problem: string | undefined, ctx: RunContext): void {
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
    ctx: RunContext,
  ): Promise<Payload> {
    const limiter = this.limiterOf(call as AnyUserPoolCall);
    // Every caller is charged to its own address; one that cannot be told apart is refused, never pooled.
    if (ctx.clientIp === undefined)
      throw gatewayError(ErrorCode.FORBIDDEN, 'The client address could not be determined.');
    // Before any limit is counted: a refused number costs the caller nothing and reaches nobody.
    if (maySendSms(call.codeMedium?.(input)))
      enforcePhonePolicy(call.phoneNumbers?.(input) ?? [], this.spend.phonePolicy);
    // Before anything else is asked of the store or Cognito (a look-up): a request the configuration cannot
    // make (sign-in by session or by code with the password flow) is refused at no cost to anyone.
    const request = toRequest(call, input, this.settings, ctx);
    const known = await this.identify(call as AnyUserPoolCall, input, ctx.clientIp);
    // Before any point is taken: a call the challenge refuses costs its caller no budget and sends nothing.
    let challenged = false;
    if (call.challengeResponse) {
      challenged = await this.challenge.check(
        call.challengeResponse(input),
        () => limiter.usedRatio(known.subjects),
        challengeCaller(ctx, ctx.clientIp),
      );
    }
    // Only a caller past the challenge, and with its IP not spent, costs a look-up.
    const { subjects, linked, absent } = known.lookUp
      ? await this.lookUp(call as AnyUserPoolCall, input, ctx.clientIp, limiter, ctx, known.lookUp)
      : known;
    const ticket = await limiter.consume(subjects, { challenged }).catch(async (refusal: unknown) => {
      // Refused only by limits that yield to a solved challenge (a user's failed sign-ins, spent by strangers
      // from many addresses): with challenges on, the caller may solve one and pass.
      const response = call.challengeResponse?.(input);
      if (challenged || !call.challengeResponse || !yieldsToChallenge(refusal) || !this.challenge.enabled)
        throw refusal;
      await this.challenge.demand(response, challengeCaller(ctx, ctx.clientIp as string));
      return limiter.consume(subjects, { challenged: true });
    });
    // Settled by how the call ends: an outage that kept it from Cognito, or a refusal that sent no code,
    // gives back what the outcome does not justify.
    let outcome: CallOutcome = 'not-reached';
    let delivered: Delivered | undefined;
    try {
      const output = await this.cognito.call(
        call.action,
        (client) => call.send(client, request),
        ctx,
        call.mapError,
      );
      outcome = 'ok';
      // A user the look-up found absent got a simulated delivery (existence errors suppressed): no code.
      delivered = absent ? 'none' : call.delivered?.(output);
      const medium = delivered === 'SMS' || delivered === 'EMAIL' ? delivered : undefined;
      if (medium) this.spend.codeSent(medium, medium === 'SMS' ? smsCountry(subjects.reach) : '');
      this.reportMismatch(call.poolMismatch?.(input, this.users.pool), ctx);
      const payload = call.toPayload(output, input);
      const facts =
        call.newUser?.(input, output, this.users.pool) ??
        withSignInCodes(call.signedIn?.(input, payload, this.users.pool), linked);
      if (facts) {
        const { taken } = await this.links.remember(facts);
        if (taken > 0) ctx.log.error({ action: call.action, taken }, DestinationLinks.TAKEN_WARNING);
      }
      if (linked && medium && !call.newUser) {
        const reach = subjects.reach;
        await this.links.codeSent(
          input.username,
          linked,
          reach && !foresees(reach, medium) ? medium : undefined,
          call.codeFollowsSecret && medium,
        );
      } else if (!linked && medium && call.codeFollowsSecret) {
        // A sign-in code went to a user the gateway has no link for (made elsewhere, and no sign-in finished
        // here yet): counted after the fact, so a spent budget did not stop it. The identifier is linked to that
        // medium alone, so that its next sign-in reserves the send budgets before the call like any other code.
        await this.links.remember({
          identifiers: [input.username],
          destinations: [],
          phoneNumbers: [],
          signInCodes: [medium],
        });
      }
      return payload;
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
    const identified = this.fromLink(call, input, ip, recalled);
    // A sign-in links its user from the answer itself: no look-up needed.
    const sends = call.delivered !== undefined && !call.codeFollowsSecret;
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
    ctx: RunContext,
    lookup: UserLookup,
  ): Promise<Identified> {
    // A spent IP is refused before it costs a look-up.
    await limiter.refuseSpentIp({ ip });
    const found = await lookup.find(input.username, ctx);
    if (found === 'absent')
      return { subjects: subjectsOf(input.username, ip, undefined, NO_REACH), absent: true };
    if (!found) return this.fromLink(call, input, ip, { unlinked: true });
    await this.links.remember(found);
    return this.fromLink(call, input, ip, await this.links.recall(input.username));
  }

  private fromLink(
    call: AnyUserPoolCall,
    input: UserPoolCallInput,
    ip: string,
    recalled: Recalled,
  ): Identified {
    if ('overfilled' in recalled) throw rateLimited(3_600_000);
    const identifier = input.username;
    const sends = call.delivered !== undefined;
    const policy = this.spend.phonePolicy;
    // A code asked by one medium reserves that medium alone (a one-time sign-in code by email or SMS).
    const asked = call.codeMedium?.(input);
    if ('linked' in recalled) {
      const user = recalled.linked;
      // A code behind the user's own secret is reserved only for users known to get one (see the contract).
      const reserves = sends && (!call.codeFollowsSecret || user.signInCodes.length > 0);
      if (!reserves) return { subjects: subjectsOf(identifier, ip, user.account), linked: user };
      // ... and by the one medium their codes went by, when there was one (an MFA code by email meets no phone
      // policy; should the user's MFA move to SMS, that code is counted after it went, and learned).
      const [only, other] = user.signInCodes;
      const medium = asked ?? (call.codeFollowsSecret && other === undefined ? only : undefined);
      if (maySendSms(medium)) enforceLinkedPhonePolicy(user.phones, policy);
      const reach = reachOf(user.destinations, user.unforeseen);
      // An SMS to a number no country list could check pays from the unknown budget.
      const unchecked = reach.smsCountries.includes(UNKNOWN_COUNTRY) && hasCountryList(policy);
      return {
        subjects: subjectsOf(
          identifier,
          ip,
          user.account,
          narrowReach(unchecked ? { ...reach, unknown: 'SMS' } : reach, medium),
        ),
        linked: user,
      };
    }
    if (!sends || call.codeFollowsSecret) return { subjects: subjectsOf(identifier, ip) };
    const unknown = call.unlinked === 'unknown-budget' ? 'any' : hasCountryList(policy) ? 'SMS' : undefined;
    return { subjects: subjectsOf(identifier, ip, undefined, narrowReach(unknownReach(unknown), asked)) };
  }
}

/**
 * The caller as the challenge sees it. Its logger is the request's, read only if the challenge logs: making
 * the request's child logger costs (pino compiles its redaction per child), and most calls log nothing.
 */
function challengeCaller(ctx: RunContext, clientIp: string): ChallengeCaller & { readonly log: Logger } {
  return {
    clientIp,
    get log() {
      return ctx.log;
    },
  };
}

/**
 * Whether a code asked this way may go by SMS, so that the phone policy applies: not an email code, nor the
 * sign-in factors on offer (no code asked).
 */
function maySendSms(medium: Medium | 'none' | undefined): boolean {
  return medium === undefined || medium === 'SMS';
}

/**
 * A sign-in's facts with the sign-in code media its identifier's link already holds (an MFA code the first
 * step sent), so that every identifier of the user learns them, not only the one that signed in.
 */
function withSignInCodes(
  facts: UserFacts | undefined,
  linked: LinkedUser | undefined,
): UserFacts | undefined {
  if (!facts || !linked || linked.signInCodes.length === 0) return facts;
  const media: Medium[] = [...new Set([...(facts.signInCodes ?? []), ...linked.signInCodes])];
  return { ...facts, signInCodes: media };
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
