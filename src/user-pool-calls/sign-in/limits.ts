// signIn's abuse limits, against credential stuffing and password guessing: every attempt per client IP,
// failed attempts per client IP (one IP trying many usernames), per (username, IP), and, much higher, per
// username (many IPs trying one user), so that a stranger cannot lock the real user out of the gateway from a
// few addresses. Cognito's own lock-out after repeated wrong passwords comes on top (it answers
// LIMIT_EXCEEDED "Password attempts exceeded" for a growing time).
import type { LimitRule } from '../../limits/abuse-limiter';
import {
  type LimitSettings,
  type LimitValues,
  MAX_COOLDOWN_SECONDS,
  MAX_PER_HOUR,
} from '../../limits/limit-settings';
import type { SharedLimits } from '../../limits/send-limits';
import { codeSendingRules } from '../limit-rules';

export const signInLimits = {
  ipPerHour: {
    variable: 'LIMIT_SIGN_IN_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 120,
    development: 1_000,
  },
  failuresIpPerHour: {
    variable: 'LIMIT_SIGN_IN_FAILURES_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 30,
    development: 1_000,
  },
  failuresUsernameIpPerHour: {
    variable: 'LIMIT_SIGN_IN_FAILURES_USERNAME_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 10,
    development: 1_000,
  },
  failuresUsernamePerHour: {
    variable: 'LIMIT_SIGN_IN_FAILURES_USERNAME_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 100,
    development: 1_000,
  },
} as const satisfies LimitSettings;

/**
 * The limits of a one-time sign-in code (signIn with preferredChallenge EMAIL_OTP or SMS_OTP, or with the
 * username alone; respondToSignInChallenge choosing EMAIL_OTP or SMS_OTP): such a code follows no secret, so
 * anyone who knows a username can ask one. It is limited as a resend is: per client IP on its calls, per user a
 * cooldown and an hourly cap on the codes sent, and the destination cap and send budgets every call sending
 * codes shares. Both calls keep them under one name, so they share the counters.
 */
export const signInCodeLimits = {
  usernameCooldownSeconds: {
    variable: 'LIMIT_SIGN_IN_CODE_USERNAME_COOLDOWN_SECONDS',
    max: MAX_COOLDOWN_SECONDS,
    production: 60,
    development: 0,
  },
  usernamePerHour: {
    variable: 'LIMIT_SIGN_IN_CODE_USERNAME_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 5,
    development: 1_000,
  },
  ipPerHour: {
    variable: 'LIMIT_SIGN_IN_CODE_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 30,
    development: 1_000,
  },
} as const satisfies LimitSettings;

/**
 * How both calls that send a one-time sign-in code are limited: one set of limits, kept by configuration under
 * one name, and rules of one name, so that the two ways of asking share every counter.
 */
export const SIGN_IN_CODE_LIMITING = {
  limits: signInCodeLimits,
  limitsName: 'SignInCode',
  limitRules: (own: LimitValues<typeof signInCodeLimits>, shared: SharedLimits): LimitRule[] =>
    codeSendingRules('signin-code', own, shared),
} as const;
