// The limits every call that sends a code shares, whatever the call: the cap on codes to one destination and
// the send budgets (SMS per country, SMS, email, destinations the gateway does not know), each with its
// settings and the rule that counts it, in one place.
import type { LimitRule } from './abuse-limiter';
import { type LimitSettings, type LimitValues, MAX_PER_HOUR } from './limit-settings';

/**
 * The limits the calls share. Like each call's own (in its folder's limits.ts), each has production's default
 * everywhere but in local mode (the embedded stand-in: never in production, never against a remote Cognito),
 * where a developer running the flow again and again would otherwise be locked out for an hour. 0: off.
 */
export const SHARED_LIMITS = {
  destinationPerHour: {
    variable: 'LIMIT_DESTINATION_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 5,
    development: 1_000,
  },
  // Budgets: size them to a few times the busiest hour's real codes. A global budget can be spent by an
  // attacker; the per-country one keeps an attack on one country's numbers from blocking the others.
  smsPerCountryPerHour: {
    variable: 'LIMIT_SMS_PER_COUNTRY_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 100,
    development: 1_000,
  },
  smsPerHour: { variable: 'LIMIT_SMS_PER_HOUR', max: MAX_PER_HOUR, production: 300, development: 1_000 },
  emailPerHour: {
    variable: 'LIMIT_EMAIL_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 1_000,
    development: 10_000,
  },
  // Resends for identifiers with no link (users made elsewhere, or before the gateway): one small budget for
  // all of them, so that users an attacker cannot link to a destination get no fresh budget each.
  unknownDestinationPerHour: {
    variable: 'LIMIT_UNKNOWN_DESTINATION_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 20,
    development: 1_000,
  },
} as const satisfies LimitSettings;

/** The values configuration settled on for the shared limits. */
export type SharedLimits = LimitValues<typeof SHARED_LIMITS>;

/** The cap on codes to one destination, one counter shared by every call that sends codes. */
export function destinationRule(shared: SharedLimits): LimitRule {
  return {
    name: 'destination-hour',
    subject: 'destination',
    points: shared.destinationPerHour,
    durationSeconds: 3_600,
    counts: 'codes-sent',
  };
}

/**
 * The send budgets, one counter each shared by every call that sends codes: SMS per destination country,
 * SMS in total, email in total, whatever the IPs and usernames.
 */
export function budgetRules(shared: SharedLimits): LimitRule[] {
  const budget = (name: string, subject: LimitRule['subject'], points: number): LimitRule => ({
    name,
    subject,
    points,
    durationSeconds: 3_600,
    counts: 'codes-sent',
  });
  return [
    budget('sms-country-hour', 'sms-country', shared.smsPerCountryPerHour),
    budget('sms-hour', 'sms', shared.smsPerHour),
    budget('email-hour', 'email', shared.emailPerHour),
    budget('unknown-destination-hour', 'unknown', shared.unknownDestinationPerHour),
  ];
}

/**
 * The cap on codes behind the user's own secret (an MFA code after the password) to one destination: the
 * number of the destination cap, in a counter of its own, which only someone who holds the secret can spend,
 * so that strangers who spend an inbox's codes (resends, resets, one-time sign-in codes) never stop the user's
 * password sign-in, while an account's owner pumping SMS to their own number stays bounded.
 */
export function secretDestinationRule(shared: SharedLimits): LimitRule {
  return { ...destinationRule(shared), name: 'mfa-destination-hour' };
}

/** Every rule a call that sends codes shares with the others: the destination cap and the send budgets. */
export function sendingRules(shared: SharedLimits): LimitRule[] {
  return [destinationRule(shared), ...budgetRules(shared)];
}
