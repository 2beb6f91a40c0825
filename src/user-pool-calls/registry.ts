// The public user-pool calls the gateway serves, in one list: each entry is a call's definition (with its own
// limits, for configuration and its abuse limiter) and its resolver (for the schema). A new call is its
// folder and one entry here; configuration, the gateway's core (gateway-core.ts) and the schema take what
// they need from this list.
import { type CallLimits, limitsNameOf } from '../limits/limit-settings';
import type { CallRunner } from './call-runner';
import { confirmForgotPasswordCall } from './confirm-forgot-password/call';
import { ConfirmForgotPasswordResolver } from './confirm-forgot-password/resolver';
import { confirmSignUpCall } from './confirm-sign-up/call';
import { ConfirmSignUpResolver } from './confirm-sign-up/resolver';
import { forgotPasswordCall } from './forgot-password/call';
import { ForgotPasswordResolver } from './forgot-password/resolver';
import { refreshTokensCall } from './refresh-tokens/call';
import { RefreshTokensResolver } from './refresh-tokens/resolver';
import { resendConfirmationCodeCall } from './resend-confirmation-code/call';
import { ResendConfirmationCodeResolver } from './resend-confirmation-code/resolver';
import { respondToSignInChallengeCall, selectSignInCodeCall } from './respond-to-sign-in-challenge/call';
import { RespondToSignInChallengeResolver } from './respond-to-sign-in-challenge/resolver';
import { signInCall, signInCodeCall } from './sign-in/call';
import { SignInResolver } from './sign-in/resolver';
import { signOutCall } from './sign-out/call';
import { SignOutResolver } from './sign-out/resolver';
import { signUpCall } from './sign-up/call';
import { SignUpResolver } from './sign-up/resolver';
import type { AnyUserPoolCall } from './user-pool-call';

export interface UserPoolCallEntry {
  readonly call: AnyUserPoolCall;
  /**
   * Calls the resolver runs instead of `call` for some inputs, with limits of their own (signIn and
   * respondToSignInChallenge run the one-time-code calls when the input asks for a code).
   */
  readonly variants?: readonly AnyUserPoolCall[];
  readonly resolver: new (calls: CallRunner) => object;
}

export const USER_POOL_CALLS = [
  { call: signUpCall, resolver: SignUpResolver },
  { call: resendConfirmationCodeCall, resolver: ResendConfirmationCodeResolver },
  { call: confirmSignUpCall, resolver: ConfirmSignUpResolver },
  { call: forgotPasswordCall, resolver: ForgotPasswordResolver },
  { call: confirmForgotPasswordCall, resolver: ConfirmForgotPasswordResolver },
  { call: signInCall, variants: [signInCodeCall], resolver: SignInResolver },
  {
    call: respondToSignInChallengeCall,
    variants: [selectSignInCodeCall],
    resolver: RespondToSignInChallengeResolver,
  },
  { call: refreshTokensCall, resolver: RefreshTokensResolver },
  { call: signOutCall, resolver: SignOutResolver },
] as const satisfies readonly UserPoolCallEntry[];

/** Every call the resolvers run, variants included. */
export const ALL_USER_POOL_CALLS: readonly AnyUserPoolCall[] = USER_POOL_CALLS.flatMap(
  (entry: UserPoolCallEntry) => [entry.call, ...(entry.variants ?? [])],
);

/**
 * Each call's own limits, once per name configuration keeps them under, for configuration to read
 * (src/config/ never loads the resolvers).
 */
export const USER_POOL_CALL_LIMITS: readonly CallLimits[] = [
  ...new Map(ALL_USER_POOL_CALLS.map((call) => [limitsNameOf(call), call] as const)).values(),
];

/** The resolver classes, in registry order, for the schema. */
export const USER_POOL_RESOLVERS = USER_POOL_CALLS.map((entry) => entry.resolver);
