// ConfirmForgotPassword's abuse limits: a code check like confirmSignUp's, with budgets of its own.
import { type LimitSettings, MAX_PER_HOUR } from '../../limits/limit-settings';

export const confirmForgotPasswordLimits = {
  ipPerHour: {
    variable: 'LIMIT_CONFIRM_FORGOT_PASSWORD_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 60,
    development: 1_000,
  },
  failuresUsernameIpPerHour: {
    variable: 'LIMIT_CONFIRM_FORGOT_PASSWORD_FAILURES_USERNAME_IP_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 5,
    development: 1_000,
  },
  failuresUsernamePerHour: {
    variable: 'LIMIT_CONFIRM_FORGOT_PASSWORD_FAILURES_USERNAME_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 100,
    development: 1_000,
  },
} as const satisfies LimitSettings;
