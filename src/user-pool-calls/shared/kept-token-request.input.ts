// The optional input of refreshTokens and signOut: ClientMetadata for the pool's triggers, and, only where
// REFRESH_TOKEN_IN_PAYLOAD is on (native apps), the sealed refresh token signIn answered. Browsers send
// neither token nor input: the HttpOnly cookie carries it.
import { Field, InputType } from 'type-graphql';
import { ClientMetadataEntryInput, ClientMetadataField } from './client-metadata-entry.input';
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

  @ClientMetadataField()
  clientMetadata?: ClientMetadataEntryInput[] | null;
}
