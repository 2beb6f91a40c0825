// The input of confirmSignUp. The code is never echoed in an error or written to a log.
import { Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LengthInUnits } from '../shared/length';
import { UserPoolCallInput } from '../shared/user-pool-call.input';

export const CONFIRMATION_CODE_MAX_LENGTH = 2048;

@InputType({ description: 'The code a user received, to confirm their sign-up.' })
export class ConfirmSignUpInput extends UserPoolCallInput {
  @Field((_type) => String, { description: 'The code from the email or SMS.' })
  @LengthInUnits(1, CONFIRMATION_CODE_MAX_LENGTH, {
    message: `confirmationCode must be 1 to ${CONFIRMATION_CODE_MAX_LENGTH} characters`,
  })
  @Matches(/^\S+$/, { message: 'confirmationCode may not contain spaces' })
  confirmationCode: string;

  @Field((_type) => Boolean, {
    nullable: true,
    description:
      'Move the email or phone alias to this user even if another user has it (otherwise ALIAS_EXISTS).',
  })
  forceAliasCreation?: boolean | null;
}
