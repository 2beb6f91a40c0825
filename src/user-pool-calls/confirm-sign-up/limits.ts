// ConfirmSignUp's abuse limits: per client IP on the attempts, and failed attempts per (username, IP) and,
// much higher, per username, so that a stranger's wrong codes never lock the real user out.
import { type LimitSettings, MAX_PER_HOUR } from '../../limits/limit-settings';

export const confirmSignUpLimits = {
  ipPerHour: { variable: 'LIMIT_CONFIRM_IP_PER_HOUR', max: MAX_PER_HOUR, production: 60, development: 1_000 },
  failuresUsernameIpPerHour: {
    variable: 'LIMIT_CONFIRM_FAILURES_USERNAME_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 5,
    development: 1_000,
  },
  failuresUsernamePerHour: {
    variable: 'LIMIT_CONFIRM_FAILURES_USERNAME_PER_HOUR',
    deprecatedName: 'LIMIT_CONFIRM_USERNAME_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 100,
    development: 1_000,
  },
} as const satisfies LimitSettings;
