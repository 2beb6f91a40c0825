// One key/value pair of Cognito ClientMetadata, which Cognito hands to the pool's Lambda triggers.
import { Field, InputType } from 'type-graphql';
import { LengthInUnits } from './length';

export const CLIENT_METADATA_MAX_ENTRIES = 20;
export const CLIENT_METADATA_MAX_KEY_LENGTH = 64;
export const CLIENT_METADATA_MAX_VALUE_LENGTH = 1024;

@InputType({ description: "A key/value pair passed to the user pool's Lambda triggers as ClientMetadata." })
export class ClientMetadataEntryInput {
  @Field((_type) => String, { description: `1 to ${CLIENT_METADATA_MAX_KEY_LENGTH} characters.` })
  @LengthInUnits(1, CLIENT_METADATA_MAX_KEY_LENGTH, {
    message: `clientMetadata keys must be 1 to ${CLIENT_METADATA_MAX_KEY_LENGTH} characters`,
  })
  key: string;

  @Field((_type) => String, { description: `At most ${CLIENT_METADATA_MAX_VALUE_LENGTH} characters.` })
  @LengthInUnits(0, CLIENT_METADATA_MAX_VALUE_LENGTH, {
    message: `clientMetadata values must be at most ${CLIENT_METADATA_MAX_VALUE_LENGTH} characters`,
  })
  value: string;
}
