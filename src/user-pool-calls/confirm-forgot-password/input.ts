// The input of confirmForgotPassword: the reset code and the new password. Neither is ever echoed in an error
// or written to a log.
import { Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { CONFIRMATION_CODE_MAX_LENGTH } from '../confirm-sign-up/input';
import { LengthInUnits } from '../shared/length';
import { UserPoolCallInput } from '../shared/user-pool-call.input';
import { PASSWORD_MAX_LENGTH } from '../sign-up/input';

@InputType({ description: 'The reset code a user received, and their new password.' })
export class ConfirmForgotPasswordInput extends UserPoolCallInput {
  @Field((_type) => String, { description: 'The code from the email or SMS.' })
  @LengthInUnits(1, CONFIRMATION_CODE_MAX_LENGTH, {
    message: `confirmationCode must be 1 to ${CONFIRMATION_CODE_MAX_LENGTH} characters`,
  })
  @Matches(/^\S+$/, { message: 'confirmationCode may not contain spaces' })
  confirmationCode: string;

  @Field((_type) => String, {
    description: `The new password: at most ${PASSWORD_MAX_LENGTH} characters; the pool's password policy applies.`,
  })
  @LengthInUnits(1, PASSWORD_MAX_LENGTH, {
    message: `password must be 1 to ${PASSWORD_MAX_LENGTH} characters`,
  })
  password: string;
}
