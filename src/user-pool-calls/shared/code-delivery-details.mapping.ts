// Cognito's CodeDeliveryDetailsType as the GraphQL CodeDeliveryDetails (SignUp and ResendConfirmationCode).
import type { CodeDeliveryDetailsType } from '@aws-sdk/client-cognito-identity-provider';
import { CodeDeliveryDetails } from './code-delivery-details.type';
import { DeliveryMedium } from './delivery-medium.enum';

const MEDIA: Record<string, DeliveryMedium> = { EMAIL: DeliveryMedium.EMAIL, SMS: DeliveryMedium.SMS };

export function toCodeDeliveryDetails(details: CodeDeliveryDetailsType | undefined): CodeDeliveryDetails {
  const result = new CodeDeliveryDetails();
  result.destination = details?.Destination ?? null;
  result.deliveryMedium = (details?.DeliveryMedium && MEDIA[details.DeliveryMedium]) ?? null;
  result.attributeName = details?.AttributeName ?? null;
  return result;
}
