// respondToSignInChallenge as user-pool calls: RespondToAuthChallenge with USERNAME and SECRET_HASH in
// ChallengeResponses; the answer is a SignInPayload again (tokens, or the next step).
//   respondToSignInChallengeCall   a code, a new password, the password chosen: a wrong one is a failed
//                                  sign-in (counted as signIn counts them, under limits of its own). Signing in
//                                  links the user as signIn does.
//   selectSignInCodeCall           SELECT_CHALLENGE answered EMAIL_OTP or SMS_OTP: sends a one-time code that no
//                                  secret stands behind (the session is anyone's who asked for the factors), so
//                                  it shares the sign-in code limits of signIn's (sign-in/limits.ts).
import {
  RespondToAuthChallengeCommand,
  type RespondToAuthChallengeCommandInput,
  type RespondToAuthChallengeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { phoneUsername } from '../../spend-guard/phone-policy';
import { signInRules } from '../limit-rules';
import type { SharedRequestFields } from '../shared/request-fields';
import { SignInChallenge } from '../shared/sign-in-challenge.enum';
import { mapSignInError } from '../shared/sign-in-errors';
import { oneTimeCodeMedium } from '../shared/sign-in-factor.enum';
import { SIGN_IN_CODE_STEP, SIGN_IN_STEP, type SignInOutcome } from '../shared/sign-in-outcome';
import { signedInFacts } from '../shared/signed-in-user';
import { SIGN_IN_CODE_LIMITING, type signInCodeLimits } from '../sign-in/limits';
import type { UserPoolCall } from '../user-pool-call';
import type { RespondToSignInChallengeInput } from './input';
import { respondToSignInChallengeLimits } from './limits';

const CODE_FIELD: Partial<Record<SignInChallenge, string>> = {
  [SignInChallenge.SMS_MFA]: 'SMS_MFA_CODE',
  [SignInChallenge.EMAIL_OTP]: 'EMAIL_OTP_CODE',
  [SignInChallenge.SMS_OTP]: 'SMS_OTP_CODE',
  [SignInChallenge.SOFTWARE_TOKEN_MFA]: 'SOFTWARE_TOKEN_MFA_CODE',
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

/** Pure: RespondToAuthChallenge for the input. */
function respondRequest(
  input: RespondToSignInChallengeInput,
  shared: SharedRequestFields,
): RespondToAuthChallengeCommandInput {
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
}

/** Whether the input chooses a one-time code at SELECT_CHALLENGE (a code no secret stands behind). */
export function choosesCode(input: RespondToSignInChallengeInput): boolean {
  return (
    input.challenge === SignInChallenge.SELECT_CHALLENGE && oneTimeCodeMedium(input.answer) !== undefined
  );
}

/** What both respondToSignInChallenge calls share: the action, the request, and what the answer means. */
const RESPOND = {
  action: 'RespondToAuthChallenge',
  challengeResponse: (input: RespondToSignInChallengeInput) => input.challengeResponse,
  toRequest: respondRequest,
  send: (client, request) => client.send(new RespondToAuthChallengeCommand(request)),
  mapError: mapSignInError,
} as const satisfies Partial<
  UserPoolCall<
    RespondToSignInChallengeInput,
    RespondToAuthChallengeCommandInput,
    RespondToAuthChallengeCommandOutput,
    SignInOutcome
  >
>;

export const respondToSignInChallengeCall: UserPoolCall<
  RespondToSignInChallengeInput,
  RespondToAuthChallengeCommandInput,
  RespondToAuthChallengeCommandOutput,
  SignInOutcome,
  typeof respondToSignInChallengeLimits
> = {
  ...RESPOND,
  limits: respondToSignInChallengeLimits,
  limitRules: (own, shared) => signInRules('signin-challenge', own, shared),
  ...SIGN_IN_STEP,
  // Answering a code sends none: nothing to reserve, no phone policy. A new password, or the password chosen
  // at SELECT_CHALLENGE, may be followed by an MFA code, so those reserve as a password sign-in does.
  codeMedium: (input) => (CODE_FIELD[input.challenge] ? 'none' : undefined),
  // A right SMS_MFA code proves the user gets MFA codes by SMS: every identifier learns it (the name the first
  // step used may not be this one; an EMAIL_OTP may be a first factor, and is learned by the step that sent it).
  signedIn: (input, payload, pool) => {
    const facts = signedInFacts(input.username, payload, pool);
    return facts && input.challenge === SignInChallenge.SMS_MFA ? { ...facts, signInCodes: ['SMS'] } : facts;
  },
};

export const selectSignInCodeCall: UserPoolCall<
  RespondToSignInChallengeInput,
  RespondToAuthChallengeCommandInput,
  RespondToAuthChallengeCommandOutput,
  SignInOutcome,
  typeof signInCodeLimits
> = {
  ...RESPOND,
  ...SIGN_IN_CODE_LIMITING,
  ...SIGN_IN_CODE_STEP,
  codeMedium: (input) => oneTimeCodeMedium(input.answer),
  phoneNumbers: (input) => phoneUsername(input.username),
};
