// The contract of a public user-pool call (SignUp, ResendConfirmationCode, ConfirmSignUp, ...): its limits,
// where its code goes, its own request fields, how to send it and how to read the answer. Adding a call is a
// definition of this, run by the one CallRunner.
import type { CognitoSender } from '../cognito/cognito-caller';
import type { MappedError } from '../cognito/error-mapping';
import type { Config, PoolSettings } from '../config';
import type { Delivered, LimitRule } from '../limits/abuse-limiter';
import type { Medium, UserFacts } from '../limits/destination-links';
import { type LimitSettings, type LimitValues, limitsNameOf } from '../limits/limit-settings';
import type { SharedLimits } from '../limits/send-limits';
import type { Logger } from '../logger';
import type { RequestSession } from '../session/request-session';
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
  /** The Cognito action the call makes (e.g. `SignUp`), as logged; configuration keeps its limits under it. */
  readonly action: string;
  /** The call's own limits as configuration reads them (declared in its folder's limits.ts). */
  readonly limits: Limits;
  /**
   * Where configuration keeps the limits, when not under the action: two calls that send the same kind of
   * code through different actions (a sign-in code asked by signIn or chosen by respondToSignInChallenge)
   * share their limits, their rule names and so their counters.
   */
  readonly limitsName?: string;
  /** The abuse rules that suit this call, from its own limits and the shared ones (0 points: off). */
  limitRules(own: LimitValues<Limits>, shared: SharedLimits): LimitRule[];
  /**
   * Where this call's code goes, when its input says so (signUp's email and phone number), as destination
   * keys. Calls without it are counted against the destinations linked to their username.
   */
  destinations?(input: Input, pool: PoolSettings): string[];
  /** A call that creates a user (signUp): everything to link to the new user once Cognito made them. */
  newUser?(input: Input, output: Output, pool: PoolSettings): UserFacts;
  /**
   * A call that signs a user in: what its payload proves of the user (the ID token's claims, read once by
   * toPayload), to link, when it signed them in. Established users the gateway never saw are linked this way.
   */
  signedIn?(input: Input, payload: Payload, pool: PoolSettings): UserFacts | undefined;
  /**
   * Set on calls whose code only follows a secret the user holds (a password, a sign-in session): the code is
   * reserved before the call only for users known to receive such codes (their link says so, learned from
   * an earlier sign-in), so that a spent destination cap never stops a sign-in that sends no code. A first
   * such code is counted in its medium's total budgets when it went, and the link learns it.
   */
  codeFollowsSecret?: true;
  /** What a successful answer proves wrong in the pool's description (logged once), if anything. */
  poolMismatch?(input: Input, pool: PoolSettings): string | undefined;
  /**
   * How a code for an identifier with no link is charged (calls that send codes to existing users): to the
   * one budget for unknown destinations (a confirmation resend: only the gateway makes unconfirmed users, so
   * any it made is linked), or to the send budgets and per-identifier limits alone (a password reset, which
   * established users the gateway never saw must keep getting).
   */
  unlinked?: 'unknown-budget' | 'send-budgets';
  /**
   * The one medium the input asks the code to go by (a one-time sign-in code by email or by SMS): only that
   * medium's budgets, destinations and phone policy apply. `none`: the input asks for no code (the sign-in
   * factors on offer): nothing is reserved but the call's per-user and per-IP rules, which keep their points
   * only if a code went anyway. Undefined: the code may go by either medium.
   */
  codeMedium?(input: Input): Medium | 'none' | undefined;
  /**
   * The phone numbers the input carries that a code may go to: each must pass the phone policy first, when the
   * code may go by SMS (see codeMedium).
   */
  phoneNumbers?(input: Input): string[];
  /** How the answer says the code went, for calls that send one (settles the send budgets). */
  delivered?(output: Output): Delivered;
  /**
   * Present on the calls a proof-of-work challenge guards (those that make Cognito send a code): the challenge
   * response the caller sent. The challenge gate decides whether one is needed.
   */
  challengeResponse?(input: Input): string | null | undefined;
  /**
   * Pure: the call's own fields on top of the shared ones. `settings` for the calls that need more of the
   * configuration (the sign-in flow, the client secret itself for token refresh and revocation).
   */
  toRequest(input: Input, shared: SharedRequestFields, settings: UserPoolCallSettings): Request;
  send(client: CognitoSender, request: Request): Promise<Output>;
  /** Pure: Cognito's answer as the GraphQL payload (the input for answers that must name the user). */
  toPayload(output: Output, input: Input): Payload;
  /** What this call's exceptions mean where they differ from the shared table. */
  mapError?(error: unknown): MappedError | undefined;
}

/** Any call, whatever its own types (a call's methods take its input, which extends UserPoolCallInput). */
export type AnyUserPoolCall = UserPoolCall<UserPoolCallInput, unknown, unknown, unknown>;

/** The abuse rules of a call as configured: its own limits, read under its action's name, and the shared ones. */
export function limitRulesOf(call: AnyUserPoolCall, limits: Config['limits']): LimitRule[] {
  const own = limits.calls[limitsNameOf(call)];
  // Configuration reads the limits of the calls it is given (main.ts gives it the registry's).
  if (own === undefined)
    throw new Error(`Configuration was read without the limits of ${limitsNameOf(call)}`);
  return call.limitRules(own, limits);
}

export interface CallContext extends CallerInfo {
  readonly log: Logger;
  /** The request's sign-in session: the sealed refresh token it came with, the cookies it answers with. */
  readonly session: RequestSession;
}

/** How a code went, read from a sending call's answer (no delivery details: no code was sent). */
export function deliveredBy(details: { DeliveryMedium?: string | undefined } | undefined): Delivered {
  const medium = details?.DeliveryMedium;
  return medium === 'SMS' || medium === 'EMAIL' ? medium : 'none';
}

/** Pure: the complete Cognito request for a call, shared fields and the call's own. */
export function toRequest<Input extends UserPoolCallInput, Request>(
  call: Pick<UserPoolCall<Input, Request, unknown, unknown>, 'toRequest'>,
  input: Input,
  settings: UserPoolCallSettings,
  caller: CallerInfo,
): Request {
  return call.toRequest(input, sharedRequestFields(input.username, input, settings, caller), settings);
}
