// The input of signIn: the username and either the password or the session confirmSignUp answered (sign-in
// right after confirming, without a second code). Neither is ever echoed in an error or written to a log.
import { ValidateBy } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { ChallengedCallInput } from '../shared/challenged-call.input';
import { LengthInUnits } from '../shared/length';
import { PASSWORD_MAX_LENGTH } from '../sign-up/input';

/** Cognito's sessions are about 1,000 characters; its API accepts up to 2,048. */
export const SESSION_MAX_LENGTH = 2048;

/**
 * On a field always present (the username), since empty optional fields skip validation: exactly one of
 * `password` and `session`.
 */
function OneWayToSignIn(): PropertyDecorator {
  return ValidateBy(
    {
      name: 'oneWayToSignIn',
      validator: {
        validate: (_value, args) => {
          const input = args?.object as { password?: unknown; session?: unknown } | undefined;
          return (input?.password == null) !== (input?.session == null);
        },
      },
    },
    { message: 'give either password or session (from confirmSignUp), not both' },
  );
}

@InputType({ description: 'Sign in with the password, or with the session confirmSignUp answered.' })
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
}

// Registered on the inherited username, which every input has.
OneWayToSignIn()(SignInInput.prototype, 'username');
