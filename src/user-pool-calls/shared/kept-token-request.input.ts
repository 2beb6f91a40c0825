// The optional input of refreshTokens and signOut: ClientMetadata for the pool's triggers, and, only where
// REFRESH_TOKEN_IN_PAYLOAD is on (native apps), the sealed refresh token signIn answered. Browsers send
// neither token nor input: the HttpOnly cookie carries it.
import { ArrayMaxSize, ArrayUnique, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { CLIENT_METADATA_MAX_ENTRIES, ClientMetadataEntryInput } from './client-metadata-entry.input';
import { LengthInUnits } from './length';

/** A sealed refresh token is about 2,500 characters (Cognito's token is about 1,800). */
export const SEALED_TOKEN_MAX_LENGTH = 8192;

@InputType()
export abstract class KeptTokenRequestInput {
  @Field((_type) => String, {
    nullable: true,
    description:
      'Only with REFRESH_TOKEN_IN_PAYLOAD (native apps): tokens.refreshToken as signIn answered it. Ignored otherwise.',
  })
  @LengthInUnits(1, SEALED_TOKEN_MAX_LENGTH, {
    message: `refreshToken must be 1 to ${SEALED_TOKEN_MAX_LENGTH} characters`,
  })
  refreshToken?: string | null;

  @Field((_type) => [ClientMetadataEntryInput], {
    nullable: true,
    description: `Passed to the pool's Lambda triggers; at most ${CLIENT_METADATA_MAX_ENTRIES} entries with distinct keys.`,
  })
  @ArrayMaxSize(CLIENT_METADATA_MAX_ENTRIES, {
    message: `clientMetadata may have at most ${CLIENT_METADATA_MAX_ENTRIES} entries`,
  })
  @ArrayUnique((entry: ClientMetadataEntryInput) => entry.key, {
    message: 'clientMetadata keys must be distinct',
  })
  @ValidateNested({ each: true })
  clientMetadata?: ClientMetadataEntryInput[] | null;
}
