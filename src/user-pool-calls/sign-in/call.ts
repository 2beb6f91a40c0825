// signIn as user-pool calls: InitiateAuth with SECRET_HASH in AuthParameters. COGNITO_SIGN_IN_FLOW chooses
// USER_AUTH (choice-based sign-in: the password as the preferred challenge, the session confirmSignUp answered,
// or a one-time code) or USER_PASSWORD_AUTH (pools without choice-based sign-in, and the emulators).
//   signInCall       the password or the session: failed attempts are counted per client IP, per (username,
//                    IP) and per username (see limits.ts); an MFA code may follow, behind the password.
//   signInCodeCall   a one-time code (EMAIL_OTP, SMS_OTP), or the username alone (the factors on offer): anyone
//                    who knows a username may ask, so it is limited and reserved like a resend. The factors
//                    send no code: they reserve nothing but the per-user and per-IP rules, and give the
//                    per-user points back; should Cognito send a code anyway, the user's caps still bound it.
// The proof-of-work challenge guards both. A successful sign-in links the user's identifiers to their
// destinations from the ID token's claims.
import {
  InitiateAuthCommand,
  type InitiateAuthCommandInput,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { ErrorCode, gatewayError } from '../../errors';
import { phoneUsername } from '../../spend-guard/phone-policy';
import { signInRules } from '../limit-rules';
import type { SharedRequestFields, UserPoolCallSettings } from '../shared/request-fields';
import { mapSignInError } from '../shared/sign-in-errors';
import { oneTimeCodeMedium } from '../shared/sign-in-factor.enum';
import { SIGN_IN_CODE_STEP, SIGN_IN_STEP, type SignInOutcome } from '../shared/sign-in-outcome';
import { signedInFacts } from '../shared/signed-in-user';
import type { UserPoolCall } from '../user-pool-call';
import type { SignInInput } from './input';
import { SIGN_IN_CODE_LIMITING, type signInCodeLimits, signInLimits } from './limits';

/** Pure: InitiateAuth for the input, in the configured flow. */
function initiateAuthRequest(
  input: SignInInput,
  shared: SharedRequestFields,
  settings: UserPoolCallSettings,
): InitiateAuthCommandInput {
  const { SecretHash, ...rest } = shared;
  const secret: Record<string, string> = SecretHash === undefined ? {} : { SECRET_HASH: SecretHash };
  if (settings.signInFlow === 'USER_PASSWORD_AUTH') {
    if (input.password == null)
      throw gatewayError(
        ErrorCode.BAD_USER_INPUT,
        input.session == null
          ? 'Signing in with a one-time code, or being offered the factors, needs COGNITO_SIGN_IN_FLOW=USER_AUTH.'
          : 'Signing in with the confirmation session needs COGNITO_SIGN_IN_FLOW=USER_AUTH.',
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
      ...(input.password == null &&
        input.preferredChallenge != null && { PREFERRED_CHALLENGE: input.preferredChallenge }),
    },
    ...(input.session != null && { Session: input.session }),
  };
}

/** What both signIn calls share: the action, the request, and what the answer means. */
const INITIATE_AUTH = {
  action: 'InitiateAuth',
  challengeResponse: (input: SignInInput) => input.challengeResponse,
  toRequest: initiateAuthRequest,
  send: (client, request) => client.send(new InitiateAuthCommand(request)),
  mapError: mapSignInError,
} as const satisfies Partial<
  UserPoolCall<SignInInput, InitiateAuthCommandInput, InitiateAuthCommandOutput, SignInOutcome>
>;

export const signInCall: UserPoolCall<
  SignInInput,
  InitiateAuthCommandInput,
  InitiateAuthCommandOutput,
  SignInOutcome,
  typeof signInLimits
> = {
  ...INITIATE_AUTH,
  limits: signInLimits,
  limitRules: (own, shared) => signInRules('signin', own, shared),
  ...SIGN_IN_STEP,
  signedIn: (input, payload, pool) => signedInFacts(input.username, payload, pool),
};

export const signInCodeCall: UserPoolCall<
  SignInInput,
  InitiateAuthCommandInput,
  InitiateAuthCommandOutput,
  SignInOutcome,
  typeof signInCodeLimits
> = {
  ...INITIATE_AUTH,
  ...SIGN_IN_CODE_LIMITING,
  ...SIGN_IN_CODE_STEP,
  // The username alone asks for the factors on offer (SELECT_CHALLENGE), which sends no code.
  codeMedium: (input) => oneTimeCodeMedium(input.preferredChallenge) ?? 'none',
  // A username that is a phone number may be where an SMS code goes (the runner asks only for an SMS code).
  phoneNumbers: (input) => phoneUsername(input.username),
};
