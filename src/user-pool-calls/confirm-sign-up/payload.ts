// The result of confirmSignUp.
import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'The user is confirmed and can sign in.' })
export class ConfirmSignUpPayload {
  @Field((_type) => Boolean, { description: 'Always true: a code that does not confirm is an error.' })
  confirmed: boolean;
}
