// The input fields every user-pool call takes besides its own: the username, ClientMetadata for the pool's
// Lambda triggers and UserContextData for threat protection. ClientId and SecretHash are deliberately absent:
// the gateway adds them. `UserPoolCallInput` is the one name for this shape (the call runner and the shared
// request fields take it too).
import { ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { ClientMetadataEntryInput, ClientMetadataField } from './client-metadata-entry.input';
import { UserContextDataInput } from './user-context-data.input';
import { IsCognitoUsername } from './username';

@InputType()
export abstract class UserPoolCallInput {
  @Field((_type) => String, {
    description: 'The username; where the pool allows it, the email or phone number used as one.',
  })
  @IsCognitoUsername()
  username: string;

  @ClientMetadataField()
  clientMetadata?: ClientMetadataEntryInput[] | null;

  @Field((_type) => UserContextDataInput, { nullable: true })
  @ValidateNested()
  userContextData?: UserContextDataInput | null;
}
