// The input of a call that a proof-of-work challenge may guard (signUp, resendConfirmationCode,
// forgotPassword: the calls that make Cognito send a code): the shared fields plus `challengeResponse`. The
// response is the gateway's own business: never sent to Cognito, never logged.
import { Field, InputType } from 'type-graphql';
import { LengthInUnits } from './length';
import { UserPoolCallInput } from './user-pool-call.input';

/** The ALTCHA widget's payload is about 550 characters. */
export const CHALLENGE_RESPONSE_MAX_LENGTH = 4096;

@InputType()
export abstract class ChallengedCallInput extends UserPoolCallInput {
  @Field((_type) => String, {
    nullable: true,
    description:
      'A solved proof-of-work challenge (from GET /challenge, as the ALTCHA widget sends it), needed when the ' +
      `gateway answers CHALLENGE_REQUIRED; each one answers one call. At most ${CHALLENGE_RESPONSE_MAX_LENGTH} characters; ignored when no challenge is needed.`,
  })
  @LengthInUnits(1, CHALLENGE_RESPONSE_MAX_LENGTH, {
    message: `challengeResponse must be 1 to ${CHALLENGE_RESPONSE_MAX_LENGTH} characters`,
  })
  challengeResponse?: string | null;
}
