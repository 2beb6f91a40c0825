// Pure: what a sign-in's answer teaches about the user, to link their identifiers to where their codes go
// (the ID token's claims read like an AdminGetUser answer), and the medium a sign-in code went by, if one did.

import { userFactsOf } from '../../cognito/user-lookup';
import type { PoolSettings } from '../../config';
import type { Medium, UserFacts } from '../../limits/destination-links';
import type { SignInOutcome } from './sign-in-outcome';

export function signedInFacts(
  identifier: string,
  outcome: SignInOutcome,
  pool: PoolSettings,
  signInCode?: Medium,
): UserFacts | undefined {
  const user = outcome.user;
  if (!user) return undefined;
  const attributes = [
    { Name: 'sub', Value: user.sub },
    ...(user.email ? [{ Name: 'email', Value: user.email }] : []),
    ...(user.phoneNumber ? [{ Name: 'phone_number', Value: user.phoneNumber }] : []),
  ];
  const facts = userFactsOf(identifier, { Username: user.username, UserAttributes: attributes }, pool);
  return signInCode ? { ...facts, signInCodes: [signInCode] } : facts;
}
