// Where a code goes, as a limit key: one key per inbox or phone, whatever the spelling, hashed so that shared
// stores such as Redis never hold an address. Spellings that reach one inbox are merged (case, quotes,
// `+tag` sub-addresses, Gmail's dots; phone punctuation); merging too much only makes the limit stricter.
// An email or phone attribute the gateway cannot parse is still a destination (Cognito may accept what our
// patterns do not): it is keyed by its folded text, never left uncounted.
//
// A key says what kind of destination it is, so that the send budgets can count it where it costs: `d:e:`
// an email address, `d:s:<country>:` a phone number (ISO 3166 country of its calling code, `ZZ` when none
// is known), `d:?:` an attribute that is neither.
//
// A domain is folded to its ASCII (punycode) form, as mail delivery resolves it: `bücher.example` and
// `xn--bcher-kva.example` are one inbox.
import { domainToASCII } from 'node:url';
import { parsePhoneNumber } from '../spend-guard/phone-numbers';
import { hashedKey } from './limit-keys';

/** The user attributes that Cognito sends codes to. */
export const DESTINATION_ATTRIBUTES = ['email', 'phone_number'] as const;

const EMAIL = /^([^@\s]+)@([^@\s]+\.[^@\s]+)$/;
const PHONE = /^\+?[\d\s().-]{6,32}$/;
const DOTS_IGNORED = new Set(['gmail.com', 'googlemail.com']);

/** The inbox an address reaches, or undefined when the text is not an email address. */
export function normalisedEmail(value: string): string | undefined {
  const match = EMAIL.exec(value.normalize('NFKC').trim().toLowerCase());
  if (!match) return undefined;
  const written = (match[2] ?? '').replace(/\.$/, '');
  // '' for a domain that is not a valid IDN: keyed as written then, never dropped.
  const domain = domainToASCII(written) || written;
  // A quoted local part ("jane"@example.com) reaches the same inbox as the bare one.
  let local = (match[1] ?? '').replace(/^"(.*)"$/, '$1').split('+', 1)[0] ?? '';
  if (DOTS_IGNORED.has(domain)) local = local.replaceAll('.', '');
  if (local === '') return undefined;
  return `${local}@${domain === 'googlemail.com' ? 'gmail.com' : domain}`;
}

/** The digits of a phone number with its leading +, or undefined when the text is not a phone number. */
export function normalisedPhone(value: string): string | undefined {
  const text = value.normalize('NFKC').trim();
  if (!PHONE.test(text)) return undefined;
  const digits = text.replace(/\D/g, '');
  return digits.length >= 6 ? `+${digits}` : undefined;
}

/** What the send budgets need to know of a destination: how a code reaches it, and a phone's country. */
export type DestinationKind =
  | { medium: 'EMAIL' }
  | { medium: 'SMS'; country: string }
  | { medium: 'unknown' };

/** Country of a phone number's calling code, when the number metadata knows one; else `ZZ`. */
export function phoneCountry(phone: string): string {
  return parsePhoneNumber(phone)?.country ?? 'ZZ';
}

function hashed(prefix: string, normalised: string): string {
  return `${prefix}${hashedKey(normalised)}`;
}

/**
 * What the phone policy needs to know of a number long after it was seen: its country and its type, as
 * libphonenumber tells them (`ZZ` / `UNKNOWN` when it cannot). Kept beside a user's destination keys, so that
 * a country blocked later is refused at send time without the gateway ever keeping the number.
 */
export function phoneFacts(phone: string): { country: string; type: string } {
  const parsed = parsePhoneNumber(phone);
  return { country: parsed?.country ?? 'ZZ', type: parsed?.getType() ?? 'UNKNOWN' };
}

/** The limit key of an email address or phone number, or undefined for anything else. */
export function destinationKey(value: string): string | undefined {
  const email = normalisedEmail(value);
  if (email !== undefined) return hashed('d:e:', email);
  const phone = normalisedPhone(value);
  return phone === undefined ? undefined : hashed(`d:s:${phoneCountry(phone)}:`, phone);
}

/** Pure: the countries of the phone numbers among destination keys, each once. */
export function smsCountries(keys: readonly string[]): string[] {
  const countries = keys.map(destinationKind).flatMap((k) => (k.medium === 'SMS' ? [k.country] : []));
  return [...new Set(countries)];
}

/** Pure: the kind of destination a key stands for (keys of other shapes, e.g. older ones, are unknown). */
export function destinationKind(key: string): DestinationKind {
  if (key.startsWith('d:e:')) return { medium: 'EMAIL' };
  const phone = /^d:s:([A-Z]{2}):/.exec(key);
  return phone ? { medium: 'SMS', country: phone[1] as string } : { medium: 'unknown' };
}

/** The destination keys of a sign-up's attributes (its email and phone number, parsed or not). */
export function attributeDestinations(
  attributes: ReadonlyArray<{ name: string; value: string }> | null | undefined,
): string[] {
  return (attributes ?? [])
    .filter((a) => (DESTINATION_ATTRIBUTES as readonly string[]).includes(a.name) && a.value.trim() !== '')
    .map((a) => destinationKey(a.value) ?? hashed('d:?:', a.value.normalize('NFKC').trim().toLowerCase()));
}
