// The result of resendConfirmationCode.
import { Field, ObjectType } from 'type-graphql';
import { CodeDeliveryDetails } from '../shared/code-delivery-details.type';

@ObjectType({ description: 'A new code is on its way.' })
export class ResendConfirmationCodePayload {
  @Field((_type) => CodeDeliveryDetails)
  codeDeliveryDetails: CodeDeliveryDetails;
}
