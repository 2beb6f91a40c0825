// SignUp as a user-pool call. It may send a code (email or SMS) to an address of the caller's choosing, and
// a flood of sign-ups is how SMS pumping starts, so each client IP gets an hourly cap, and each destination
// (its email and phone number) the cap on codes that resends share. A username can sign up only once, so it
// needs no limit of its own; the destinations are remembered for the username's later codes.
import {
  type AttributeType,
  InvalidParameterException,
  SignUpCommand,
  type SignUpCommandInput,
  type SignUpCommandOutput,
  UserLambdaValidationException,
} from '@aws-sdk/client-cognito-identity-provider';
import { type MappedError, REJECTED_BY_TRIGGER, REJECTED_INPUT } from '../../cognito/error-mapping';
import { attributeDestinations, destinationKey } from '../../limits/destination';
import { phoneUsername } from '../../spend-guard/phone-policy';
import { deliveredBy, sendingRules, type UserPoolCall } from '../pipeline';
import { toCodeDeliveryDetails } from '../shared/code-delivery-details.mapping';
import type { AttributeInput } from './attribute.input';
import type { SignUpInput } from './input';
import { signUpLimits } from './limits';
import { SignUpPayload } from './payload';

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
  // The username too, when it is an address or a number: pools that sign in by email or phone send to it.
  destinations: (input) => {
    const own = destinationKey(input.username);
    return [...attributeDestinations(input.userAttributes), ...(own ? [own] : [])];
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
