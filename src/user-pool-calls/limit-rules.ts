// The rule builders the calls share: a call that sends a code (resend, forgotPassword) and a call that checks
// one (confirmSignUp, confirmForgotPassword) each count the same way; their own limits give the numbers.
import type { LimitRule } from '../limits/abuse-limiter';
import { budgetRules, type SharedLimits, secretDestinationRule, sendingRules } from '../limits/send-limits';

/**
 * How much higher a per-user hourly cap is under the wide fold (look-alike spellings of one name together)
 * than for one user: an attacker's own look-alikes cannot spend the real user's cap, and together they stay
 * bounded.
 */
export const FOLDED_CAP_FACTOR = 4;

/**
 * A per-user hourly cap on failed code checks, and its aggregate over the wide fold, FOLDED_CAP_FACTOR times
 * higher. Only failures get one: a code sent for a look-alike that does not exist (a simulated delivery)
 * would otherwise spend the real user's aggregate, while their wrong guesses were never theirs to make.
 */
function failuresPerUserHourly(name: string, points: number): LimitRule[] {
  const hourly = { durationSeconds: 3_600, counts: 'failures' as const };
  return [
    { name, subject: 'username', points, ...hourly },
    { name: `${name}:folded`, subject: 'username-folded', points: points * FOLDED_CAP_FACTOR, ...hourly },
  ];
}

/** Every call per client IP per hour. */
function ipHourly(prefix: string, points: number): LimitRule {
  return { name: `${prefix}:ip-hour`, subject: 'ip', points, durationSeconds: 3_600 };
}

/** Failed calls per client IP per hour. */
function ipFailuresHourly(prefix: string, points: number): LimitRule {
  return {
    name: `${prefix}:ip-failures-hour`,
    subject: 'ip',
    points,
    durationSeconds: 3_600,
    counts: 'failures',
  };
}

/**
 * The limits of a call that only a client IP's share bounds (refreshTokens, signOut: no code is sent, and the
 * user is whoever the session cookie names): every call per IP, and, where given, the failed ones.
 */
export function perIpRules(
  prefix: string,
  own: { ipPerHour: number; failuresIpPerHour?: number },
): LimitRule[] {
  return [
    ipHourly(prefix, own.ipPerHour),
    ...(own.failuresIpPerHour === undefined ? [] : [ipFailuresHourly(prefix, own.failuresIpPerHour)]),
  ];
}

/**
 * The limits of a call that sends a code (resend, forgotPassword): per client IP on its calls, per username a
 * cooldown and an hourly cap on the codes sent, and the destination cap that every such call shares.
 */
export function codeSendingRules(
  prefix: string,
  own: { ipPerHour: number; usernameCooldownSeconds: number; usernamePerHour: number },
  shared: SharedLimits,
): LimitRule[] {
  return [
    ipHourly(prefix, own.ipPerHour),
    {
      name: `${prefix}:username-cooldown`,
      subject: 'username',
      points: 1,
      durationSeconds: own.usernameCooldownSeconds,
      counts: 'codes-sent',
    },
    {
      name: `${prefix}:username-hour`,
      subject: 'username',
      points: own.usernamePerHour,
      durationSeconds: 3_600,
      counts: 'codes-sent',
    },
    ...sendingRules(shared),
  ];
}

/**
 * The limits of a call that checks a code (confirmSignUp, confirmForgotPassword): per client IP on its
 * attempts, and failed attempts per (username, IP) and, much higher, per username, so that a stranger's wrong
 * codes from one IP never lock the real user out of the gateway.
 */
export function codeCheckingRules(
  prefix: string,
  own: { ipPerHour: number; failuresUsernameIpPerHour: number; failuresUsernamePerHour: number },
): LimitRule[] {
  return [
    ipHourly(prefix, own.ipPerHour),
    {
      name: `${prefix}:username-ip-failures-hour`,
      subject: 'username+ip',
      points: own.failuresUsernameIpPerHour,
      durationSeconds: 3_600,
      counts: 'failures',
    },
    ...failuresPerUserHourly(`${prefix}:username-failures-hour`, own.failuresUsernamePerHour),
  ];
}

/**
 * The limits of a call that checks a password or a sign-in code (signIn, respondToSignInChallenge): those of a
 * code check, failed attempts per client IP too (one address trying many usernames: credential stuffing), and
 * for the MFA codes Cognito may send after the password, the send budgets and a destination cap of their own
 * (secretDestinationRule: strangers cannot spend it).
 */
export function signInRules(
  prefix: string,
  own: {
    ipPerHour: number;
    failuresIpPerHour: number;
    failuresUsernameIpPerHour: number;
    failuresUsernamePerHour: number;
  },
  shared: SharedLimits,
): LimitRule[] {
  // The per-user failure caps yield to a solved challenge: a stranger spending them cannot lock the user out.
  const checking = codeCheckingRules(prefix, own).map((rule) =>
    rule.subject === 'username' || rule.subject === 'username-folded'
      ? { ...rule, yieldsToChallenge: true }
      : rule,
  );
  return [
    ...checking,
    ipFailuresHourly(prefix, own.failuresIpPerHour),
    secretDestinationRule(shared),
    ...budgetRules(shared),
  ];
}
