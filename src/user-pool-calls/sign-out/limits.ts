// signOut's abuse limit: per client IP on the calls (each revokes one token; nothing is sent to anyone).
import { type LimitSettings, MAX_PER_HOUR } from '../../limits/limit-settings';

export const signOutLimits = {
  ipPerHour: {
    variable: 'LIMIT_SIGN_OUT_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 120,
    development: 10_000,
  },
} as const satisfies LimitSettings;
