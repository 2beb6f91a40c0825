// The input of resendConfirmationCode: only the fields every user-pool call shares.
import { InputType } from 'type-graphql';
import { UserPoolCallInput } from '../shared/user-pool-call.input';

@InputType({ description: 'Who should receive a new confirmation code.' })
export class ResendConfirmationCodeInput extends UserPoolCallInput {}
