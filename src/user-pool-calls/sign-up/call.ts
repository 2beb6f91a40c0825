// SignUp as a user-pool call. It may send a code (email or SMS) to an address of the caller's choosing, and
// a flood of sign-ups is how SMS pumping starts, so each client IP gets an hourly cap, and each destination
// (its email and phone number) the cap on codes that resends share. A username can sign up only once, so it
// needs no limit of its own; the destinations are linked to every identifier of the new user (its username,
// its sub, and its email or phone number where the pool signs in by them) for its later codes.
import {
  type AttributeType,
  InvalidParameterException,
  SignUpCommand,
  type SignUpCommandInput,
  type SignUpCommandOutput,
  UserLambdaValidationException,
} from '@aws-sdk/client-cognito-identity-provider';
import { type MappedError, REJECTED_BY_TRIGGER, REJECTED_INPUT } from '../../cognito/error-mapping';
import type { PoolSettings, SignInAttribute } from '../../config';
import { attributeDestinations, normalisedEmail } from '../../limits/destination';
import { phoneUsername } from '../../spend-guard/phone-policy';
import { deliveredBy, sendingRules, type UserPoolCall } from '../pipeline';
import { toCodeDeliveryDetails } from '../shared/code-delivery-details.mapping';
import type { AttributeInput } from './attribute.input';
import type { SignUpInput } from './input';
import { signUpLimits } from './limits';
import { SignUpPayload } from './payload';

function isUsernameAttribute(name: string, pool: PoolSettings): boolean {
  return pool.usernameAttributes.has(name as SignInAttribute);
}

/**
 * The username as the attribute it is, in a pool that signs in by that attribute (Cognito then sends the
 * code there); in other pools a username is only a name, whatever it looks like.
 */
function usernameAsAttribute(username: string, pool: PoolSettings): Array<{ name: string; value: string }> {
  const name =
    normalisedEmail(username) !== undefined
      ? 'email'
      : phoneUsername(username).length > 0
        ? 'phone_number'
        : undefined;
  return name !== undefined && isUsernameAttribute(name, pool) ? [{ name, value: username }] : [];
}

function toAttributes(list: readonly AttributeInput[] | null | undefined): AttributeType[] | undefined {
  return list && list.length > 0 ? list.map((a) => ({ Name: a.name, Value: a.value })) : undefined;
}

export const signUpCall: UserPoolCall<
  SignUpInput,
  SignUpCommandInput,
  SignUpCommandOutput,
  SignUpPayload,
  typeof signUpLimits
> = {
  operation: 'SignUp',
  limits: signUpLimits,
  limitRules: (own, shared) => [
    { name: 'signup:ip-hour', subject: 'ip', points: own.ipPerHour, durationSeconds: 3_600 },
    ...sendingRules(shared),
  ],
  destinations: (input, pool) => [
    ...attributeDestinations(input.userAttributes),
    ...attributeDestinations(usernameAsAttribute(input.username, pool)),
  ],
  // Every identifier Cognito will accept for this user: the username, the sub it answers, and the email or
  // phone number in pools that sign in by them.
  newUser: (input, output, pool) => {
    const attributes = [...(input.userAttributes ?? []), ...usernameAsAttribute(input.username, pool)];
    return {
      identifiers: [
        input.username,
        ...attributes.filter((a) => isUsernameAttribute(a.name, pool)).map((a) => a.value),
      ],
      ...(output.UserSub && { sub: output.UserSub }),
      destinations: attributeDestinations(attributes),
      phoneNumbers: attributes.filter((a) => a.name === 'phone_number').map((a) => a.value),
    };
  },
  phoneNumbers: (input) => [
    ...(input.userAttributes ?? []).filter((a) => a.name === 'phone_number').map((a) => a.value),
    ...phoneUsername(input.username),
  ],
  delivered: (output) => deliveredBy(output.CodeDeliveryDetails),
  challengeResponse: (input) => input.challengeResponse,
  toRequest: (input, shared) => {
    const request: SignUpCommandInput = { ...shared, Username: input.username, Password: input.password };
    const attributes = toAttributes(input.userAttributes);
    if (attributes) request.UserAttributes = attributes;
    const validationData = toAttributes(input.validationData);
    if (validationData) request.ValidationData = validationData;
    return request;
  },
  send: (client, request) => client.send(new SignUpCommand(request)),
  toPayload: (output) => {
    const payload = new SignUpPayload();
    payload.userConfirmed = output.UserConfirmed ?? false;
    payload.userSub = output.UserSub ?? '';
    payload.codeDeliveryDetails = output.CodeDeliveryDetails
      ? toCodeDeliveryDetails(output.CodeDeliveryDetails)
      : null;
    return payload;
  },
  mapError: (error): MappedError | undefined => {
    // At sign-up Cognito reports the user's own mistakes as bad parameters: a malformed email or phone
    // number, a missing required attribute.
    if (error instanceof InvalidParameterException) return REJECTED_INPUT;
    // The pre sign-up trigger refusing the user on purpose.
    if (error instanceof UserLambdaValidationException) return REJECTED_BY_TRIGGER;
    return undefined;
  },
};
