// Which phone numbers the gateway lets Cognito text. SMS pumping earns its money on premium-rate and
// shared-cost numbers and on costly destinations, so a number is checked wherever the gateway sees one,
// before any limit is counted or any call is made: it must be strict E.164 (what Cognito itself requires) and
// written as libphonenumber writes it (no trunk prefix after the country code: `+44 0 7400...` reaches the
// same phone as `+44 7400...`, and would count as another destination), valid by its full metadata, of a
// type that receives texts on a handset (mobile by default: premium-rate, shared-cost, personal, UAN, VoIP,
// pager, toll-free and unknown types are where revenue-share fraud lives, or cannot receive an SMS at all),
// and of a country the configuration allows. A refusal names the reason's class, never the number.
import { ErrorCode, gatewayError } from '../errors';
import { parsePhoneNumber } from './phone-numbers';

export interface PhonePolicySettings {
  /** ISO 3166 alpha-2 countries whose numbers may receive codes; undefined: every country. */
  readonly allowedCountries?: ReadonlySet<string>;
  /** Countries whose numbers never receive codes (wins over the allowed list). */
  readonly blockedCountries: ReadonlySet<string>;
  /** libphonenumber types that may receive codes; undefined: DEFAULT_NUMBER_TYPES. */
  readonly allowedTypes?: ReadonlySet<string>;
}

/** Numbers that are, or may be, mobile phones: the only ones that read a code by default. */
export const DEFAULT_NUMBER_TYPES: ReadonlySet<string> = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/** Every type libphonenumber tells apart, for validating SMS_ALLOWED_NUMBER_TYPES. */
export const NUMBER_TYPES: ReadonlySet<string> = new Set([
  'MOBILE',
  'FIXED_LINE_OR_MOBILE',
  'FIXED_LINE',
  'VOIP',
  'TOLL_FREE',
  'PREMIUM_RATE',
  'SHARED_COST',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
]);

export type PhoneRefusal = 'format' | 'invalid' | 'type' | 'country';

/** What the caller is told, by reason class. */
const REASONS: Record<PhoneRefusal, string> = {
  format: 'it is not in E.164 format (+, country code and number, digits only)',
  invalid: 'it is not a valid phone number',
  type: 'only mobile numbers can receive codes (not premium-rate, shared-cost, toll-free, personal, VoIP or other types)',
  country: 'codes are not sent to numbers of this country',
};

const E164 = /^\+[1-9]\d{1,14}$/;

/** Pure: why a number may not receive codes, or undefined when it may. */
export function phoneRefusal(value: string, settings: PhonePolicySettings): PhoneRefusal | undefined {
  if (!E164.test(value)) return 'format';
  const parsed = parsePhoneNumber(value);
  if (!parsed?.isValid()) return 'invalid';
  // One phone, one spelling: a national trunk prefix kept after the country code is another string.
  if (parsed.number !== value) return 'format';
  // Numbers valid for a calling code shared by several countries (+1, +7, +44...) have one country each.
  return factsRefusal({ country: parsed.country ?? 'ZZ', type: parsed.getType() ?? 'UNKNOWN' }, settings);
}

/**
 * Pure: why a number of this country and type may not receive codes, or undefined when it may. Applied to the
 * numbers in a request and, at every send, to the numbers linked to the user (destination-links.ts), so a
 * country blocked after its users signed up is refused too. `ZZ`: no country is known.
 */
export function factsRefusal(
  facts: { country: string; type: string },
  settings: PhonePolicySettings,
): PhoneRefusal | undefined {
  if (!(settings.allowedTypes ?? DEFAULT_NUMBER_TYPES).has(facts.type)) return 'type';
  const { country } = facts;
  if (country === 'ZZ' || settings.blockedCountries.has(country)) return 'country';
  if (settings.allowedCountries && !settings.allowedCountries.has(country)) return 'country';
  return undefined;
}

/** Whether the policy names countries at all (an SMS to a number it cannot check is then unsafe). */
export function hasCountryList(settings: PhonePolicySettings): boolean {
  return settings.allowedCountries !== undefined || settings.blockedCountries.size > 0;
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
  refuseFirst(numbers.map((number) => phoneRefusal(number, settings)));
}

/** Refuses, with PHONE_NUMBER_NOT_ALLOWED, a send to a user whose linked numbers may not receive codes. */
export function enforceLinkedPhonePolicy(
  phones: ReadonlyArray<{ country: string; type: string }>,
  settings: PhonePolicySettings,
): void {
  refuseFirst(phones.map((facts) => factsRefusal(facts, settings)));
}

function refuseFirst(refusals: ReadonlyArray<PhoneRefusal | undefined>): void {
  const refusal = refusals.find((r) => r !== undefined);
  if (refusal !== undefined)
    throw gatewayError(
      ErrorCode.PHONE_NUMBER_NOT_ALLOWED,
      `This phone number cannot receive codes: ${REASONS[refusal]}.`,
      { reason: refusal },
    );
}
