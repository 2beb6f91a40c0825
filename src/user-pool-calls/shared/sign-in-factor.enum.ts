// The first factors a user may ask for when signing in (Cognito's PREFERRED_CHALLENGE of USER_AUTH): the
// password, or a one-time code sent by email or by SMS. Asking for none answers the factors the pool offers
// the user (SELECT_CHALLENGE).
import { registerEnumType } from 'type-graphql';
import type { Medium } from '../../limits/destination-links';

export enum SignInFactor {
  PASSWORD = 'PASSWORD',
  EMAIL_OTP = 'EMAIL_OTP',
  SMS_OTP = 'SMS_OTP',
}

registerEnumType(SignInFactor, {
  name: 'SignInFactor',
  description: 'How the user signs in: with the password, or with a one-time code sent by email or by SMS.',
  valuesConfig: {
    PASSWORD: { description: "The user's password (give password)." },
    EMAIL_OTP: { description: "A one-time code sent to the user's verified email address." },
    SMS_OTP: { description: "A one-time code sent by SMS to the user's verified phone number." },
  },
});

/** The medium a one-time code factor goes by; undefined for the password or any other answer. */
export function oneTimeCodeMedium(factor: string | null | undefined): Medium | undefined {
  return factor === SignInFactor.EMAIL_OTP ? 'EMAIL' : factor === SignInFactor.SMS_OTP ? 'SMS' : undefined;
}
