// The shapes Cognito accepts for the two attributes it can verify. Loose on purpose: Cognito's own checks are
// permissive, and the stand-in must not reject what AWS accepts. Phone numbers are E.164: '+', then digits.
import { CognitoError } from './errors';
import type { VerifiableAttribute } from './types';

const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+$/;
const PHONE_PATTERN = /^\+[0-9]{4,15}$/;

export function isEmail(value: string): boolean {
  return EMAIL_PATTERN.test(value);
}

export function isPhoneNumber(value: string): boolean {
  return PHONE_PATTERN.test(value);
}

/** The verifiable attribute `value` is shaped like, if any. */
export function formatOf(value: string): VerifiableAttribute | undefined {
  if (isEmail(value)) return 'email';
  if (isPhoneNumber(value)) return 'phone_number';
  return undefined;
}

/** Refuses a malformed email or phone number among `attributes`, with Cognito's messages. */
export function checkAttributeFormats(attributes: ReadonlyMap<string, string>): void {
  const email = attributes.get('email');
  if (email !== undefined && !isEmail(email)) {
    throw new CognitoError('InvalidParameterException', 'Invalid email address format.');
  }
  const phone = attributes.get('phone_number');
  if (phone !== undefined && !isPhoneNumber(phone)) {
    throw new CognitoError('InvalidParameterException', 'Invalid phone number format.');
  }
}
