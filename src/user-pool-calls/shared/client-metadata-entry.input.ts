// One key/value pair of Cognito ClientMetadata, which Cognito hands to the pool's Lambda triggers.
import { ArrayMaxSize, ArrayUnique, ValidateNested } from 'class-validator';
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

/** The `clientMetadata` field every input that reaches Cognito takes: its type, bounds and validation, once. */
export function ClientMetadataField(): PropertyDecorator {
  const decorators = [
    Field((_type) => [ClientMetadataEntryInput], {
      nullable: true,
      description: `Passed to the pool's Lambda triggers; at most ${CLIENT_METADATA_MAX_ENTRIES} entries with distinct keys.`,
    }),
    ArrayMaxSize(CLIENT_METADATA_MAX_ENTRIES, {
      message: `clientMetadata may have at most ${CLIENT_METADATA_MAX_ENTRIES} entries`,
    }),
    ArrayUnique((entry: ClientMetadataEntryInput) => entry.key, {
      message: 'clientMetadata keys must be distinct',
    }),
    ValidateNested({ each: true }),
  ];
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };
}
