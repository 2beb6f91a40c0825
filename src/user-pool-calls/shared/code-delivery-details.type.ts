// Where Cognito sent a code, as the frontend may show it ("we sent a code to j***@e***").
import { Field, ObjectType } from 'type-graphql';
import { DeliveryMedium } from './delivery-medium.enum';

@ObjectType({ description: 'Where Cognito sent the code. The destination is masked by Cognito.' })
export class CodeDeliveryDetails {
  @Field((_type) => String, {
    nullable: true,
    description: 'Masked email address or phone number, e.g. j***@e***.',
  })
  destination: string | null;

  @Field((_type) => DeliveryMedium, { nullable: true, description: 'How the code was delivered.' })
  deliveryMedium: DeliveryMedium | null;

  @Field((_type) => String, {
    nullable: true,
    description: 'The user attribute the code verifies, e.g. email or phone_number.',
  })
  attributeName: string | null;
}
