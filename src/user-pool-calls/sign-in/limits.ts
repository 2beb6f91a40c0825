// signIn's abuse limits, against credential stuffing and password guessing: every attempt per client IP,
// failed attempts per client IP (one IP trying many usernames), per (username, IP), and, much higher, per
// username (many IPs trying one user), so that a stranger cannot lock the real user out of the gateway from a
// few addresses. Cognito's own lock-out after repeated wrong passwords comes on top (it answers
// LIMIT_EXCEEDED "Password attempts exceeded" for a growing time).
import { type LimitSettings, MAX_PER_HOUR } from '../../limits/limit-settings';

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
