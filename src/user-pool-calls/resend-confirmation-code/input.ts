// The input of resendConfirmationCode: only the fields every user-pool call shares, and the challenge response
// of a call that sends a code.
import { InputType } from 'type-graphql';
import { ChallengedCallInput } from '../shared/challenged-call.input';

@InputType({ description: 'Who should receive a new confirmation code.' })
export class ResendConfirmationCodeInput extends ChallengedCallInput {}
