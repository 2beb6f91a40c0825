// The result of signOut.
import { Field, ObjectType } from 'type-graphql';

@ObjectType({
  description: 'The refresh token is revoked (with the access tokens it issued) and the cookie cleared.',
})
export class SignOutPayload {
  @Field((_type) => Boolean, { description: 'Always true: a sign-out that could not revoke is an error.' })
  signedOut: boolean;
}
