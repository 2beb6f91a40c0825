// Where a code may go, as the limits count it: the destination keys charged to the per-destination cap, the
// media whose send budgets are reserved before the call (every medium the code could go by), the countries
// whose SMS budgets are reserved, and whether the budget for unknown destinations pays. Pure.
import { destinationKind, smsCountries } from './destination';
import type { Medium } from './destination-links';

/** The SMS country budget that pays for a number the gateway does not know. */
export const UNKNOWN_COUNTRY = 'unknown';

export interface Reach {
  /** Charged to the per-destination cap: only destinations known to be this user's. */
  readonly destinations: readonly string[];
  /** The send budgets reserved before the call; the answer's medium settles them. */
  readonly sms: boolean;
  readonly email: boolean;
  readonly smsCountries: readonly string[];
  /**
   * The budget for unknown destinations: `any` keeps its point for any code sent (a resend for an unlinked
   * identifier), `SMS` only for an SMS (a number no country list could check).
   */
  readonly unknown?: 'any' | 'SMS';
}

/**
 * Pure: the reach of a user whose destinations are known. A key of neither kind, no key at all, or a medium
 * that once went unforeseen means the code may go by either medium (SMS to a number of unknown country).
 */
export function reachOf(destinations: readonly string[], unforeseen: readonly Medium[] = []): Reach {
  const kinds = destinations.map(destinationKind);
  const either = kinds.length === 0 || kinds.some((k) => k.medium === 'unknown');
  const countries = smsCountries(destinations);
  const smsUnknown = either || unforeseen.includes('SMS');
  return {
    destinations,
    sms: countries.length > 0 || smsUnknown,
    email: either || unforeseen.includes('EMAIL') || kinds.some((k) => k.medium === 'EMAIL'),
    smsCountries: smsUnknown ? [...countries, UNKNOWN_COUNTRY] : countries,
  };
}

/** Pure: the reach of an identifier the gateway knows nothing of: either medium, no owner's destination. */
export function unknownReach(unknown: Reach['unknown']): Reach {
  return { ...reachOf([]), ...(unknown && { unknown }) };
}

/** A user the look-up found does not exist: Cognito sends nothing (at most a simulated answer). */
export const NO_REACH: Reach = { destinations: [], sms: false, email: false, smsCountries: [] };

/** Pure: whether a code that went by `medium` was foreseen by the reach (its budgets were reserved). */
export function foresees(reach: Reach, medium: Medium): boolean {
  return medium === 'SMS' ? reach.sms : reach.email;
}

/**
 * Pure: the reach of a code that can only go by `medium` (a one-time sign-in code asked by email or by SMS):
 * the other medium's budgets and destinations are not reserved, so that a spent SMS budget never stops an
 * email code, nor a user's email cap their SMS code. `none` (no code asked) reserves nothing.
 */
export function narrowReach(reach: Reach, medium: Medium | 'none' | undefined): Reach {
  if (medium === undefined) return reach;
  if (medium === 'none') return NO_REACH;
  const other = (key: string) => {
    const kind = destinationKind(key).medium;
    return kind !== 'unknown' && kind !== medium;
  };
  const sms = medium === 'SMS';
  const unknown = reach.unknown === 'any' || (reach.unknown === 'SMS' && sms) ? reach.unknown : undefined;
  return {
    destinations: reach.destinations.filter((key) => !other(key)),
    sms: sms && reach.sms,
    email: !sms && reach.email,
    smsCountries: sms ? reach.smsCountries : [],
    ...(unknown && { unknown }),
  };
}
