// The result of confirmForgotPassword.
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The password is changed; the user signs in with the new one.' })
export class ConfirmForgotPasswordPayload {
  @Field((_type) => Boolean, { description: 'Always true: a code that does not reset is an error.' })
  passwordChanged: boolean;
}
