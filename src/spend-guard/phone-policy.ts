// Which phone numbers the gateway lets Cognito text. SMS pumping earns its money on premium-rate and
// shared-cost numbers and on costly destinations, so a number is checked wherever the gateway sees one,
// before any limit is counted or any call is made: it must be strict E.164 (what Cognito itself requires),
// valid by libphonenumber's full metadata, of a known type that is neither premium-rate nor shared-cost, and
// of a country the configuration allows. A refusal names the reason's class, never the number.
import { getCountries, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { ErrorCode, gatewayError } from '../errors';

export interface PhonePolicySettings {
  /** ISO 3166 alpha-2 countries whose numbers may receive codes; undefined: every country. */
  readonly allowedCountries?: ReadonlySet<string>;
  /** Countries whose numbers never receive codes (wins over the allowed list). */
  readonly blockedCountries: ReadonlySet<string>;
}

export type PhoneRefusal = 'format' | 'invalid' | 'type' | 'country';

/** What the caller is told, by reason class. */
const REASONS: Record<PhoneRefusal, string> = {
  format: 'it is not in E.164 format (+, country code and number, digits only)',
  invalid: 'it is not a valid phone number',
  type: 'premium-rate, shared-cost and numbers of unknown type cannot receive codes',
  country: 'codes are not sent to numbers of this country',
};

const E164 = /^\+[1-9]\d{1,14}$/;
const REFUSED_TYPES = new Set(['PREMIUM_RATE', 'SHARED_COST']);

/** Every ISO 3166 alpha-2 code the number metadata knows, for validating the country lists. */
export const PHONE_COUNTRIES: ReadonlySet<string> = new Set(getCountries());

/** Pure: why a number may not receive codes, or undefined when it may. */
export function phoneRefusal(value: string, settings: PhonePolicySettings): PhoneRefusal | undefined {
  if (!E164.test(value)) return 'format';
  const parsed = parsePhoneNumberFromString(value);
  if (!parsed?.isValid()) return 'invalid';
  const type = parsed.getType();
  if (type === undefined || REFUSED_TYPES.has(type)) return 'type';
  // Numbers valid for a calling code shared by several countries (+1, +7, +44...) have one country each.
  const country = parsed.country;
  if (country === undefined) return 'country';
  if (settings.blockedCountries.has(country)) return 'country';
  if (settings.allowedCountries && !settings.allowedCountries.has(country)) return 'country';
  return undefined;
}

/**
 * The username when it is written as a phone number (a + and a digit): in pools that sign in by phone, the
 * code goes to it, so it must pass the policy too.
 */
export function phoneUsername(username: string): string[] {
  return /^\s*\+\d/.test(username) ? [username] : [];
}

/** Refuses, with PHONE_NUMBER_NOT_ALLOWED, the first of `numbers` that may not receive codes. */
export function enforcePhonePolicy(numbers: readonly string[], settings: PhonePolicySettings): void {
  for (const number of numbers) {
    const refusal = phoneRefusal(number, settings);
    if (refusal !== undefined)
      throw gatewayError(
        ErrorCode.PHONE_NUMBER_NOT_ALLOWED,
        `This phone number cannot receive codes: ${REASONS[refusal]}.`,
        { reason: refusal },
      );
  }
}
