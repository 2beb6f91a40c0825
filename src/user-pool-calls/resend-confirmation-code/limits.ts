// ResendConfirmationCode's abuse limits: a code costs money, so per client IP on the calls and per username a
// cooldown and an hourly cap on the codes sent (the destination cap is shared by every call that sends).
import { type LimitSettings, MAX_COOLDOWN_SECONDS, MAX_PER_HOUR } from '../../limits/limit-settings';

export const resendConfirmationCodeLimits = {
  usernameCooldownSeconds: {
    variable: 'LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS',
    deprecatedName: 'LIMIT_USERNAME_COOLDOWN_SECONDS',
    max: MAX_COOLDOWN_SECONDS,
    production: 60,
    development: 0,
  },
  usernamePerHour: {
    variable: 'LIMIT_RESEND_USERNAME_PER_HOUR',
    deprecatedName: 'LIMIT_USERNAME_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 5,
    development: 1_000,
  },
  ipPerHour: {
    variable: 'LIMIT_RESEND_IP_PER_HOUR',
    deprecatedName: 'LIMIT_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 30,
    development: 1_000,
  },
} as const satisfies LimitSettings;
