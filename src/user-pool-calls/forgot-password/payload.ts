// The result of forgotPassword.
import { Field, ObjectType } from 'type-graphql';
import { CodeDeliveryDetails } from '../shared/code-delivery-details.type';

@ObjectType({ description: 'A password reset code is on its way.' })
export class ForgotPasswordPayload {
  @Field((_type) => CodeDeliveryDetails)
  codeDeliveryDetails: CodeDeliveryDetails;
}
