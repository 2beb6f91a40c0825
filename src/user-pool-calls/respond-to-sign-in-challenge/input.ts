// The input of respondToSignInChallenge: the challenge named in signIn's nextStep, its session and username,
// and the answer that challenge takes (a code, a new password, or the factor chosen). Codes, passwords and
// sessions are never echoed in an error or written to a log.
import { ArrayMaxSize, Matches, ValidateBy, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { ChallengedCallInput } from '../shared/challenged-call.input';
import { LengthInUnits } from '../shared/length';
import { SignInChallenge } from '../shared/sign-in-challenge.enum';
import { SESSION_MAX_LENGTH } from '../sign-in/input';
import { ATTRIBUTES_MAX_ENTRIES, AttributeInput } from '../sign-up/attribute.input';
import { PASSWORD_MAX_LENGTH } from '../sign-up/input';

export const SIGN_IN_CODE_MAX_LENGTH = 64;

/** The challenges this call answers, and the field each needs. */
export const ANSWERS: Readonly<Partial<Record<SignInChallenge, 'code' | 'newPassword' | 'answer'>>> = {
  [SignInChallenge.SMS_MFA]: 'code',
  [SignInChallenge.EMAIL_OTP]: 'code',
  [SignInChallenge.SMS_OTP]: 'code',
  [SignInChallenge.SOFTWARE_TOKEN_MFA]: 'code',
  [SignInChallenge.NEW_PASSWORD_REQUIRED]: 'newPassword',
  [SignInChallenge.SELECT_CHALLENGE]: 'answer',
};

/** The factors SELECT_CHALLENGE may be answered with here. */
export const SELECTABLE = [SignInChallenge.PASSWORD, SignInChallenge.EMAIL_OTP, SignInChallenge.SMS_OTP];

type Answer = Pick<
  RespondToSignInChallengeInput,
  'challenge' | 'code' | 'newPassword' | 'answer' | 'password'
>;

/** Why an input cannot answer its challenge, or undefined when it can. */
export function answerProblem(input: Answer): string | undefined {
  const needs = ANSWERS[input.challenge];
  if (needs === undefined) return `${input.challenge} cannot be answered through the gateway`;
  if (input[needs] == null) return `${input.challenge} needs ${needs}`;
  if (needs === 'answer') {
    if (!SELECTABLE.includes(input.answer as SignInChallenge))
      return `answer must be one of ${SELECTABLE.join(', ')}`;
    if (input.answer === SignInChallenge.PASSWORD && input.password == null)
      return 'answer PASSWORD needs password';
  }
  return undefined;
}

function AnswersItsChallenge(): PropertyDecorator {
  return ValidateBy({
    name: 'answersItsChallenge',
    validator: {
      validate: (_value, args) => answerProblem(args?.object as Answer) === undefined,
      defaultMessage: (args) => answerProblem(args?.object as Answer) ?? 'invalid answer',
    },
  });
}

@InputType({ description: "The answer to signIn's nextStep." })
export class RespondToSignInChallengeInput extends ChallengedCallInput {
  @Field((_type) => SignInChallenge, { description: 'nextStep.challenge, as signIn answered it.' })
  challenge: SignInChallenge;

  @Field((_type) => String, { description: 'nextStep.session, as signIn answered it.' })
  @LengthInUnits(1, SESSION_MAX_LENGTH, { message: `session must be 1 to ${SESSION_MAX_LENGTH} characters` })
  session: string;

  @Field((_type) => String, {
    nullable: true,
    description:
      'SMS_MFA, EMAIL_OTP, SMS_OTP, SOFTWARE_TOKEN_MFA: the code the user received or their app shows.',
  })
  @LengthInUnits(1, SIGN_IN_CODE_MAX_LENGTH, {
    message: `code must be 1 to ${SIGN_IN_CODE_MAX_LENGTH} characters`,
  })
  @Matches(/^\S+$/, { message: 'code may not contain spaces' })
  code?: string | null;

  @Field((_type) => String, {
    nullable: true,
    description: "NEW_PASSWORD_REQUIRED: the user's new password (the pool's password policy applies).",
  })
  @LengthInUnits(1, PASSWORD_MAX_LENGTH, {
    message: `newPassword must be 1 to ${PASSWORD_MAX_LENGTH} characters`,
  })
  newPassword?: string | null;

  @Field((_type) => [AttributeInput], {
    nullable: true,
    description: 'NEW_PASSWORD_REQUIRED: values for nextStep.requiredAttributes.',
  })
  @ArrayMaxSize(ATTRIBUTES_MAX_ENTRIES, {
    message: `userAttributes may have at most ${ATTRIBUTES_MAX_ENTRIES} entries`,
  })
  @ValidateNested({ each: true })
  userAttributes?: AttributeInput[] | null;

  @Field((_type) => SignInChallenge, {
    nullable: true,
    description:
      'SELECT_CHALLENGE: the factor chosen among availableChallenges (PASSWORD, EMAIL_OTP or SMS_OTP).',
  })
  answer?: SignInChallenge | null;

  @Field((_type) => String, {
    nullable: true,
    description: 'SELECT_CHALLENGE with answer PASSWORD: the password.',
  })
  @LengthInUnits(1, PASSWORD_MAX_LENGTH, {
    message: `password must be 1 to ${PASSWORD_MAX_LENGTH} characters`,
  })
  password?: string | null;
}

// On the always-present session: each challenge needs its own answer field.
AnswersItsChallenge()(RespondToSignInChallengeInput.prototype, 'session');
