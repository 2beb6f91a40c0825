// The abuse limits of resendConfirmationCode: every call may send an email or SMS that someone pays for, so
// each client IP gets an hourly cap, and each username a cooldown and an hourly cap (0 turns a limit off).
import type { Config } from '../config';
import type { LimitRule } from '../limits/abuse-limiter';

export function resendLimitRules(limits: Config['limits']): LimitRule[] {
  return [
    { name: 'resend:ip-hour', subject: 'ip', points: limits.ipPerHour, durationSeconds: 3_600 },
    {
      name: 'resend:username-cooldown',
      subject: 'username',
      points: 1,
      durationSeconds: limits.usernameCooldownSeconds,
    },
    {
      name: 'resend:username-hour',
      subject: 'username',
      points: limits.usernamePerHour,
      durationSeconds: 3_600,
    },
  ];
}
