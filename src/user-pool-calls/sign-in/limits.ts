// signIn's abuse limits, against credential stuffing and password guessing: every attempt per client IP,
// failed attempts per client IP (one IP trying many usernames), per (username, IP), and, much higher, per
// username (many IPs trying one user), so that a stranger cannot lock the real user out of the gateway from a
// few addresses. Cognito's own lock-out after repeated wrong passwords comes on top (it answers
// LIMIT_EXCEEDED "Password attempts exceeded" for a growing time).
import { type LimitSettings, MAX_COOLDOWN_SECONDS, MAX_PER_HOUR } from '../../limits/limit-settings';

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

/** Where configuration keeps the sign-in code limits (both calls that send such codes read them there). */
export const SIGN_IN_CODE_LIMITS_NAME = 'SignInCode';
