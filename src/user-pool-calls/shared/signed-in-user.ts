// Pure: what a sign-in's answer teaches about the user, to link their identifiers to where their codes go
// (the ID token's claims read like an AdminGetUser answer). The media of the sign-in codes the user got on the
// way are added by the runner from the identifier's link (call-runner.ts withSignInCodes).

import { userFactsOf } from '../../cognito/user-lookup';
import type { PoolSettings } from '../../config';
import type { UserFacts } from '../../limits/destination-links';
import type { SignInOutcome } from './sign-in-outcome';

export function signedInFacts(
  identifier: string,
  outcome: SignInOutcome,
  pool: PoolSettings,
): UserFacts | undefined {
  const user = outcome.user;
  if (!user) return undefined;
  const attributes = [
    { Name: 'sub', Value: user.sub },
    ...(user.email ? [{ Name: 'email', Value: user.email }] : []),
    ...(user.phoneNumber ? [{ Name: 'phone_number', Value: user.phoneNumber }] : []),
  ];
  return userFactsOf(identifier, { Username: user.username, UserAttributes: attributes }, pool);
}
