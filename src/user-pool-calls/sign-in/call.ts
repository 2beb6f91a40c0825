// signIn as a user-pool call: InitiateAuth with SECRET_HASH in AuthParameters. COGNITO_SIGN_IN_FLOW chooses
// USER_AUTH (choice-based sign-in: the password as the preferred challenge, or the session confirmSignUp
// answered) or USER_PASSWORD_AUTH (pools without choice-based sign-in, and the emulators). Failed attempts are
// counted per client IP, per (username, IP) and per username (see limits.ts); the proof-of-work challenge
// guards it as it guards the calls that send codes, since a sign-in may send an MFA code. A successful sign-in
// links the user's identifiers to their destinations from the ID token's claims.
import {
  InitiateAuthCommand,
  type InitiateAuthCommandInput,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { ErrorCode, gatewayError } from '../../errors';
import { signInRules } from '../limit-rules';
import { mapSignInError } from '../shared/sign-in-errors';
import { SIGN_IN_STEP, type SignInOutcome } from '../shared/sign-in-outcome';
import { signedInFacts } from '../shared/signed-in-user';
import type { UserPoolCall } from '../user-pool-call';
import type { SignInInput } from './input';
import { signInLimits } from './limits';

export const signInCall: UserPoolCall<
  SignInInput,
  InitiateAuthCommandInput,
  InitiateAuthCommandOutput,
  SignInOutcome,
  typeof signInLimits
> = {
  action: 'InitiateAuth',
  limits: signInLimits,
  limitRules: (own, shared) => signInRules('signin', own, shared),
  ...SIGN_IN_STEP,
  challengeResponse: (input) => input.challengeResponse,
  signedIn: (input, payload, pool) => signedInFacts(input.username, payload, pool),
  toRequest: (input, shared, settings) => {
    const { SecretHash, ...rest } = shared;
    const secret: Record<string, string> = SecretHash === undefined ? {} : { SECRET_HASH: SecretHash };
    if (settings.signInFlow === 'USER_PASSWORD_AUTH') {
      if (input.password == null)
        throw gatewayError(
          ErrorCode.BAD_USER_INPUT,
          'Signing in with the confirmation session needs COGNITO_SIGN_IN_FLOW=USER_AUTH.',
        );
      return {
        ...rest,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: input.username, PASSWORD: input.password, ...secret },
      };
    }
    return {
      ...rest,
      AuthFlow: 'USER_AUTH',
      AuthParameters: {
        USERNAME: input.username,
        ...secret,
        ...(input.password != null && { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: input.password }),
      },
      ...(input.session != null && { Session: input.session }),
    };
  },
  send: (client, request) => client.send(new InitiateAuthCommand(request)),
  mapError: mapSignInError,
};
