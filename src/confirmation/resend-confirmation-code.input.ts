// The input of resendConfirmationCode. ClientId and SecretHash are deliberately absent: the gateway adds them.
import { ArrayMaxSize, ArrayUnique, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { CLIENT_METADATA_MAX_ENTRIES, ClientMetadataEntryInput } from './client-metadata-entry.input';
import { UserContextDataInput } from './user-context-data.input';
import { IsCognitoUsername } from './username';

@InputType({ description: 'Who should receive a new confirmation code.' })
export class ResendConfirmationCodeInput {
  @Field((_type) => String, { description: 'The username (or alias, such as the email) used at sign-up.' })
  @IsCognitoUsername()
  username: string;

  @Field((_type) => [ClientMetadataEntryInput], {
    nullable: true,
    description: `Passed to the pool's custom message Lambda trigger; at most ${CLIENT_METADATA_MAX_ENTRIES} entries with distinct keys.`,
  })
  @ArrayMaxSize(CLIENT_METADATA_MAX_ENTRIES, {
    message: `clientMetadata may have at most ${CLIENT_METADATA_MAX_ENTRIES} entries`,
  })
  @ArrayUnique((entry: ClientMetadataEntryInput) => entry.key, {
    message: 'clientMetadata keys must be distinct',
  })
  @ValidateNested({ each: true })
  clientMetadata?: ClientMetadataEntryInput[] | null;

  @Field((_type) => UserContextDataInput, { nullable: true })
  @ValidateNested()
  userContextData?: UserContextDataInput | null;
}
