// Pure mappings for resendConfirmationCode: GraphQL input + settings + caller -> Cognito request, and
// Cognito's CodeDeliveryDetailsType -> the GraphQL type.
import type {
  CodeDeliveryDetailsType,
  ResendConfirmationCodeCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import { type CallerInfo, type PublicCallSettings, publicCallFields } from '../cognito/public-call';
import { CodeDeliveryDetails } from './code-delivery-details.type';
import { DeliveryMedium } from './delivery-medium.enum';
import type { ResendConfirmationCodeInput } from './resend-confirmation-code.input';

export function toResendConfirmationCodeRequest(
  input: ResendConfirmationCodeInput,
  settings: PublicCallSettings,
  caller: CallerInfo,
): ResendConfirmationCodeCommandInput {
  return { ...publicCallFields(input.username, input, settings, caller), Username: input.username };
}

const MEDIA: Record<string, DeliveryMedium> = { EMAIL: DeliveryMedium.EMAIL, SMS: DeliveryMedium.SMS };

export function toCodeDeliveryDetails(details: CodeDeliveryDetailsType | undefined): CodeDeliveryDetails {
  const result = new CodeDeliveryDetails();
  result.destination = details?.Destination ?? null;
  result.deliveryMedium = (details?.DeliveryMedium && MEDIA[details.DeliveryMedium]) ?? null;
  result.attributeName = details?.AttributeName ?? null;
  return result;
}
