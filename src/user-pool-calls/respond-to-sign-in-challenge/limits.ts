// respondToSignInChallenge's abuse limits: a code or password check, counted as signIn counts its failures
// (per client IP, per (username, IP) and, much higher, per username), with numbers of its own.
import { type LimitSettings, MAX_PER_HOUR } from '../../limits/limit-settings';

export const respondToSignInChallengeLimits = {
  ipPerHour: {
    variable: 'LIMIT_SIGN_IN_CHALLENGE_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 120,
    development: 1_000,
  },
  failuresIpPerHour: {
    variable: 'LIMIT_SIGN_IN_CHALLENGE_FAILURES_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 30,
    development: 1_000,
  },
  failuresUsernameIpPerHour: {
    variable: 'LIMIT_SIGN_IN_CHALLENGE_FAILURES_USERNAME_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 5,
    development: 1_000,
  },
  failuresUsernamePerHour: {
    variable: 'LIMIT_SIGN_IN_CHALLENGE_FAILURES_USERNAME_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 100,
    development: 1_000,
  },
} as const satisfies LimitSettings;
