// The input of forgotPassword: whose password to reset. Only the shared fields: the username, ClientMetadata
// and UserContextData.
import { InputType } from 'type-graphql';
import { UserPoolCallInput } from '../shared/user-pool-call.input';

@InputType({ description: 'The user who forgot their password.' })
export class ForgotPasswordInput extends UserPoolCallInput {}
