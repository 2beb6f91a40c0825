// Device and session fingerprint collected in the browser by Cognito's advanced-security (threat
// protection) script; the caller's IP address is added by the gateway, never taken from the client.
import { Field, InputType } from 'type-graphql';
import { LengthInUnits } from './length';

export const ENCODED_DATA_MAX_LENGTH = 16_384;

@InputType({ description: 'Context data for Cognito threat protection.' })
export class UserContextDataInput {
  @Field((_type) => String, {
    description:
      "The string from Cognito's advanced-security script (AmazonCognitoAdvancedSecurityData.getData).",
  })
  @LengthInUnits(1, ENCODED_DATA_MAX_LENGTH, {
    message: `userContextData.encodedData must be 1 to ${ENCODED_DATA_MAX_LENGTH} characters`,
  })
  encodedData: string;
}
