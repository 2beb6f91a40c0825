// One user attribute (Cognito's AttributeType), for SignUp's UserAttributes and ValidationData.
import { Matches } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { LengthInUnits } from '../shared/length';
import { USERNAME_PATTERN } from '../shared/username';

export const ATTRIBUTE_NAME_MAX_LENGTH = 32;
export const ATTRIBUTE_VALUE_MAX_LENGTH = 2048;
/** Cognito allows 50 custom attributes besides the ~20 standard ones; more is never a real sign-up. */
export const ATTRIBUTES_MAX_ENTRIES = 100;

@InputType({ description: 'A name/value pair, such as { name: "email", value: "jane@example.com" }.' })
export class AttributeInput {
  @Field((_type) => String, {
    description: `1 to ${ATTRIBUTE_NAME_MAX_LENGTH} characters; custom attributes start with "custom:".`,
  })
  @LengthInUnits(1, ATTRIBUTE_NAME_MAX_LENGTH, {
    message: `attribute names must be 1 to ${ATTRIBUTE_NAME_MAX_LENGTH} characters`,
  })
  // Cognito's AttributeNameType has the same character rule as a username.
  @Matches(USERNAME_PATTERN, { message: 'attribute names may not contain spaces or control characters' })
  name: string;

  @Field((_type) => String, { description: `At most ${ATTRIBUTE_VALUE_MAX_LENGTH} characters.` })
  @LengthInUnits(0, ATTRIBUTE_VALUE_MAX_LENGTH, {
    message: `attribute values must be at most ${ATTRIBUTE_VALUE_MAX_LENGTH} characters`,
  })
  value: string;
}
