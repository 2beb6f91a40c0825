// What Cognito asks next during a sign-in, as a GraphQL enum: the challenge names of InitiateAuth and
// RespondToAuthChallenge. The gateway answers the first six through respondToSignInChallenge; the others are
// named so that a frontend can tell the user what the pool wants (they need a flow the gateway does not run).
import { registerEnumType } from 'type-graphql';

export enum SignInChallenge {
  NEW_PASSWORD_REQUIRED = 'NEW_PASSWORD_REQUIRED',
  SMS_MFA = 'SMS_MFA',
  EMAIL_OTP = 'EMAIL_OTP',
  SMS_OTP = 'SMS_OTP',
  SOFTWARE_TOKEN_MFA = 'SOFTWARE_TOKEN_MFA',
  SELECT_CHALLENGE = 'SELECT_CHALLENGE',
  PASSWORD = 'PASSWORD',
  SELECT_MFA_TYPE = 'SELECT_MFA_TYPE',
  MFA_SETUP = 'MFA_SETUP',
  PASSWORD_SRP = 'PASSWORD_SRP',
  WEB_AUTHN = 'WEB_AUTHN',
  CUSTOM_CHALLENGE = 'CUSTOM_CHALLENGE',
  DEVICE_SRP_AUTH = 'DEVICE_SRP_AUTH',
  /** A challenge name this gateway does not know (Cognito added one). */
  UNSUPPORTED = 'UNSUPPORTED',
}

registerEnumType(SignInChallenge, {
  name: 'SignInChallenge',
  description:
    'What the pool asks next. respondToSignInChallenge answers NEW_PASSWORD_REQUIRED, SMS_MFA, EMAIL_OTP, SMS_OTP, ' +
    'SOFTWARE_TOKEN_MFA and SELECT_CHALLENGE; PASSWORD, EMAIL_OTP and SMS_OTP also appear as factors offered by ' +
    'SELECT_CHALLENGE. The others need flows the gateway does not run (SRP, passkeys, custom challenges, MFA set-up).',
  valuesConfig: {
    NEW_PASSWORD_REQUIRED: {
      description: 'The user signed in with a temporary password and must choose one.',
    },
    SMS_MFA: { description: 'A code was sent by SMS (multi-factor authentication).' },
    EMAIL_OTP: { description: 'A code was sent by email.' },
    SMS_OTP: { description: 'A one-time sign-in code was sent by SMS.' },
    SOFTWARE_TOKEN_MFA: { description: "A code from the user's authenticator app is needed." },
    SELECT_CHALLENGE: { description: 'The user chooses how to sign in, among availableChallenges.' },
    PASSWORD: { description: 'Sign in with the password (a factor of SELECT_CHALLENGE).' },
    UNSUPPORTED: { description: 'A challenge name this gateway does not know.' },
  },
});

const KNOWN = new Set<string>(Object.values(SignInChallenge));

/** Cognito's challenge name as the enum, or UNSUPPORTED. */
export function toSignInChallenge(name: string | undefined): SignInChallenge {
  return name !== undefined && KNOWN.has(name) ? (name as SignInChallenge) : SignInChallenge.UNSUPPORTED;
}
