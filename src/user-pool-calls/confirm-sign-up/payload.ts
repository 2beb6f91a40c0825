// The result of confirmSignUp.
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The user is confirmed and can sign in.' })
export class ConfirmSignUpPayload {
  @Field((_type) => Boolean, { description: 'Always true: a code that does not confirm is an error.' })
  confirmed: boolean;

  @Field((_type) => String, {
    nullable: true,
    description:
      "Cognito's session for signing the user in right away (signIn with it, no second code), when the pool gives one; valid for a few minutes, once.",
  })
  session?: string | null;
}
