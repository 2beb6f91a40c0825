// The result of signUp.
import { Field, ObjectType } from 'type-graphql';
import { CodeDeliveryDetails } from '../shared/code-delivery-details.type';

@ObjectType({ description: 'The user exists; unless already confirmed, a code is on its way.' })
export class SignUpPayload {
  @Field((_type) => Boolean, {
    description: 'True when the user needs no confirmation (e.g. a pre sign-up trigger confirmed it).',
  })
  userConfirmed: boolean;

  @Field((_type) => String, { description: "The user's immutable id (the `sub` attribute)." })
  userSub: string;

  @Field((_type) => CodeDeliveryDetails, {
    nullable: true,
    description: 'Where the confirmation code went; null when none was sent.',
  })
  codeDeliveryDetails: CodeDeliveryDetails | null;
}
