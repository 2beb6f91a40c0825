// refreshTokens' abuse limits: per client IP on the calls, and on the failed ones (a revoked, expired or
// forged refresh token), against someone replaying stolen cookies from one address.
import { type LimitSettings, MAX_PER_HOUR } from '../../limits/limit-settings';

export const refreshTokensLimits = {
  ipPerHour: {
    variable: 'LIMIT_REFRESH_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 600,
    development: 10_000,
  },
  failuresIpPerHour: {
    variable: 'LIMIT_REFRESH_FAILURES_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 30,
    development: 1_000,
  },
} as const satisfies LimitSettings;
