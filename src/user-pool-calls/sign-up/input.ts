// The input of signUp. The password is validated only for length here; the pool's password policy is
// Cognito's to enforce (INVALID_PASSWORD). Like every input value, it is never echoed in an error.
import { ArrayMaxSize, ArrayUnique, ValidateNested } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { ChallengedCallInput } from '../shared/challenged-call.input';
import { LengthInUnits } from '../shared/length';
import { ATTRIBUTES_MAX_ENTRIES, AttributeInput } from './attribute.input';

export const PASSWORD_MAX_LENGTH = 256;

function attributeList(field: string): PropertyDecorator {
  const rules = [
    ArrayMaxSize(ATTRIBUTES_MAX_ENTRIES, {
      message: `${field} may have at most ${ATTRIBUTES_MAX_ENTRIES} entries`,
    }),
    ArrayUnique((a: AttributeInput) => a.name, { message: `${field} names must be distinct` }),
    ValidateNested({ each: true }),
  ];
  return (target, property) => {
    for (const rule of rules) rule(target, property as string);
  };
}

@InputType({ description: 'A new user: username, password and attributes.' })
export class SignUpInput extends ChallengedCallInput {
  @Field((_type) => String, {
    description: `At most ${PASSWORD_MAX_LENGTH} characters; the pool's password policy applies.`,
  })
  @LengthInUnits(1, PASSWORD_MAX_LENGTH, {
    message: `password must be 1 to ${PASSWORD_MAX_LENGTH} characters`,
  })
  password: string;

  @Field((_type) => [AttributeInput], {
    nullable: true,
    description: 'User attributes, such as email, phone_number or custom:team; required ones per the pool.',
  })
  @attributeList('userAttributes')
  userAttributes?: AttributeInput[] | null;

  @Field((_type) => [AttributeInput], {
    nullable: true,
    description: "Passed to the pool's pre sign-up Lambda trigger only; not stored.",
  })
  @attributeList('validationData')
  validationData?: AttributeInput[] | null;
}
