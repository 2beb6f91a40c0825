// ForgotPassword's abuse limits: a reset code costs what a sign-up code costs, so the same shape as a resend's
// with budgets of its own (the destination cap is shared by every call that sends).
import { type LimitSettings, MAX_COOLDOWN_SECONDS, MAX_PER_HOUR } from '../../limits/limit-settings';

export const forgotPasswordLimits = {
  usernameCooldownSeconds: {
    variable: 'LIMIT_FORGOT_PASSWORD_USERNAME_COOLDOWN_SECONDS',
    max: MAX_COOLDOWN_SECONDS,
    production: 60,
    development: 0,
  },
  usernamePerHour: {
    variable: 'LIMIT_FORGOT_PASSWORD_USERNAME_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 5,
    development: 1_000,
  },
  ipPerHour: {
    variable: 'LIMIT_FORGOT_PASSWORD_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 30,
    development: 1_000,
  },
} as const satisfies LimitSettings;
