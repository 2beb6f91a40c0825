// The input of signIn: the username and one way in: the password, the session confirmSignUp answered (sign-in
// right after confirming, without a second code), a one-time code by email or SMS (preferredChallenge), or
// nothing more, to be offered the factors the pool has for the user (SELECT_CHALLENGE). Passwords and sessions
// are never echoed in an error or written to a log.
import { ValidateBy } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { ChallengedCallInput } from '../shared/challenged-call.input';
import { LengthInUnits } from '../shared/length';
import { oneTimeCodeMedium, SignInFactor } from '../shared/sign-in-factor.enum';
import { IsCognitoUsername } from '../shared/username';
import { PASSWORD_MAX_LENGTH } from '../sign-up/input';

/** Cognito's sessions are about 1,000 characters; its API accepts up to 2,048. */
export const SESSION_MAX_LENGTH = 2048;

type WayIn = Pick<SignInInput, 'password' | 'session' | 'preferredChallenge'>;

/** Pure: why an input's way in does not hold together, or undefined when it does. */
export function wayInProblem(input: WayIn): string | undefined {
  if (input.session != null)
    return input.password != null || input.preferredChallenge != null
      ? 'give session (from confirmSignUp) alone, without password or preferredChallenge'
      : undefined;
  if (input.preferredChallenge === SignInFactor.PASSWORD && input.password == null)
    return 'preferredChallenge PASSWORD needs password';
  if (oneTimeCodeMedium(input.preferredChallenge) !== undefined && input.password != null)
    return `preferredChallenge ${input.preferredChallenge} sends a code: give no password`;
  return undefined;
}

/** On a field always present (the username), since empty optional fields skip validation. */
function OneWayIn(): PropertyDecorator {
  return ValidateBy({
    name: 'oneWayIn',
    validator: {
      validate: (_value, args) => wayInProblem(args?.object as WayIn) === undefined,
      defaultMessage: (args) => wayInProblem(args?.object as WayIn) ?? 'invalid sign-in',
    },
  });
}

/** Whether signIn with this input may make Cognito send a code that no secret of the user's stands behind. */
export function asksForCode(input: WayIn): boolean {
  return input.password == null && input.session == null;
}

@InputType({
  description:
    'Sign in with the password, with the session confirmSignUp answered, with a one-time code (preferredChallenge ' +
    'EMAIL_OTP or SMS_OTP), or with the username alone to be offered the factors the pool has for the user.',
})
export class SignInInput extends ChallengedCallInput {
  @Field((_type) => String, { nullable: true, description: "The user's password." })
  @LengthInUnits(1, PASSWORD_MAX_LENGTH, {
    message: `password must be 1 to ${PASSWORD_MAX_LENGTH} characters`,
  })
  password?: string | null;

  @Field((_type) => String, {
    nullable: true,
    description:
      'The session confirmSignUp answered: signs the user in once, within a few minutes of confirming, without a second code (needs COGNITO_SIGN_IN_FLOW=USER_AUTH).',
  })
  @LengthInUnits(1, SESSION_MAX_LENGTH, { message: `session must be 1 to ${SESSION_MAX_LENGTH} characters` })
  session?: string | null;

  @Field((_type) => SignInFactor, {
    nullable: true,
    description:
      'The factor the user chose (needs COGNITO_SIGN_IN_FLOW=USER_AUTH): EMAIL_OTP or SMS_OTP sends a one-time code ' +
      '(answer it with respondToSignInChallenge), PASSWORD goes with password. Without it and without password ' +
      'or session, the answer is SELECT_CHALLENGE with the factors the pool offers. A factor the user cannot use ' +
      'also answers SELECT_CHALLENGE.',
  })
  preferredChallenge?: SignInFactor | null;
}

// Registered on the inherited username, which every input has. A subclass's custom validator on an inherited
// property replaces the parent's of that kind (class-validator), so the username's own rules are registered
// again beside it.
IsCognitoUsername()(SignInInput.prototype, 'username');
OneWayIn()(SignInInput.prototype, 'username');
