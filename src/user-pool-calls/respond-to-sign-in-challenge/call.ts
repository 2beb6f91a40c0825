// respondToSignInChallenge as a user-pool call: RespondToAuthChallenge with USERNAME and SECRET_HASH in
// ChallengeResponses. A wrong code is a failed sign-in (counted as signIn counts them, under limits of its
// own); the answer is a SignInPayload again (tokens, or the next step). Signing in links the user as signIn
// does, and remembers the medium of the sign-in code just answered, so that the next sign-in reserves it.
import {
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandInput,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Medium } from '../../limits/destination-links';
import { signInRules } from '../limit-rules';
import { SignInChallenge } from '../shared/sign-in-challenge.enum';
import { mapSignInError } from '../shared/sign-in-errors';
import { SIGN_IN_STEP, type SignInOutcome } from '../shared/sign-in-outcome';
import { signedInFacts } from '../shared/signed-in-user';
import type { UserPoolCall } from '../user-pool-call';
import type { RespondToSignInChallengeInput } from './input';
import { respondToSignInChallengeLimits } from './limits';

const CODE_FIELD: Partial<Record<SignInChallenge, string>> = {
  [SignInChallenge.SMS_MFA]: 'SMS_MFA_CODE',
  [SignInChallenge.EMAIL_OTP]: 'EMAIL_OTP_CODE',
  [SignInChallenge.SMS_OTP]: 'SMS_OTP_CODE',
  [SignInChallenge.SOFTWARE_TOKEN_MFA]: 'SOFTWARE_TOKEN_MFA_CODE',
};

const CODE_MEDIUM: Partial<Record<SignInChallenge, Medium>> = {
  [SignInChallenge.SMS_MFA]: 'SMS',
  [SignInChallenge.SMS_OTP]: 'SMS',
  [SignInChallenge.EMAIL_OTP]: 'EMAIL',
};

/** Pure: the challenge's own responses (the input was validated to carry what its challenge needs). */
export function challengeResponses(input: RespondToSignInChallengeInput): Record<string, string> {
  const codeField = CODE_FIELD[input.challenge];
  if (codeField) return { [codeField]: input.code ?? '' };
  if (input.challenge === SignInChallenge.NEW_PASSWORD_REQUIRED) {
    return {
      NEW_PASSWORD: input.newPassword ?? '',
      ...Object.fromEntries((input.userAttributes ?? []).map((a) => [`userAttributes.${a.name}`, a.value])),
    };
  }
  return {
    ANSWER: input.answer ?? '',
    ...(input.answer === SignInChallenge.PASSWORD && { PASSWORD: input.password ?? '' }),
  };
}

export const respondToSignInChallengeCall: UserPoolCall<
  RespondToSignInChallengeInput,
  RespondToAuthChallengeCommandInput,
  RespondToAuthChallengeCommandOutput,
  SignInOutcome,
  typeof respondToSignInChallengeLimits
> = {
  action: 'RespondToAuthChallenge',
  limits: respondToSignInChallengeLimits,
  limitRules: (own, shared) => signInRules('signin-challenge', own, shared),
  ...SIGN_IN_STEP,
  challengeResponse: (input) => input.challengeResponse,
  signedIn: (input, payload, pool) =>
    signedInFacts(input.username, payload, pool, CODE_MEDIUM[input.challenge]),
  toRequest: (input, shared) => {
    const { SecretHash, ...rest } = shared;
    return {
      ...rest,
      // The enum's values are Cognito's challenge names.
      ChallengeName: input.challenge as RespondToAuthChallengeCommandInput['ChallengeName'],
      Session: input.session,
      ChallengeResponses: {
        USERNAME: input.username,
        ...(SecretHash !== undefined && { SECRET_HASH: SecretHash }),
        ...challengeResponses(input),
      },
    };
  },
  send: (client, request) => client.send(new RespondToAuthChallengeCommand(request)),
  mapError: mapSignInError,
};
