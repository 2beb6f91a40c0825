// The input of forgotPassword: whose password to reset. Only the shared fields: the username, ClientMetadata
// and UserContextData, and the challenge response of a call that sends a code.
import { InputType } from 'type-graphql';
import { ChallengedCallInput } from '../shared/challenged-call.input';

@InputType({ description: 'The user who forgot their password.' })
export class ForgotPasswordInput extends ChallengedCallInput {}
