// SignUp's abuse limits: each client IP an hourly cap (a username signs up once, so it needs none; the
// destination cap is shared by every call that sends).
import { type LimitSettings, MAX_PER_HOUR } from '../../limits/limit-settings';

export const signUpLimits = {
  ipPerHour: { variable: 'LIMIT_SIGN_UP_IP_PER_HOUR', max: MAX_PER_HOUR, production: 10, development: 1_000 },
} as const satisfies LimitSettings;
