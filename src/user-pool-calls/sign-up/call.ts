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
import { attributeDestinations, DESTINATION_ATTRIBUTES, normalisedEmail } from '../../limits/destination';
import { sendingRules } from '../../limits/send-limits';
import { phoneUsername } from '../../spend-guard/phone-policy';
import { toCodeDeliveryDetails } from '../shared/code-delivery-details.mapping';
import { deliveredBy, type UserPoolCall } from '../user-pool-call';
import type { AttributeInput } from './attribute.input';
import type { SignUpInput } from './input';
import { signUpLimits } from './limits';
import { SignUpPayload } from './payload';

function isUsernameAttribute(name: string, pool: PoolSettings): boolean {
  return pool.usernameAttributes.has(name as SignInAttribute);
}

/** Which attribute a username looks like, if any. */
function usernameKind(username: string): SignInAttribute | undefined {
  if (normalisedEmail(username) !== undefined) return 'email';
  return phoneUsername(username).length > 0 ? 'phone_number' : undefined;
}

/**
 * Pure: the email and phone number a code for the new user may go to. In a pool that signs in by an attribute,
 * the username IS that attribute (Cognito fills it from the username), so it replaces any value the request
 * gives for it: a sign-up naming someone else's address there is never charged to, nor linked with, them. In
 * other pools a username shaped like an address counts only where the request gives no attribute of its kind
 * (a pool whose COGNITO_USERNAME_ATTRIBUTES was not set to mirror it still caps that inbox); its point is kept
 * only if the code really goes by that medium.
 */
export function contactAttributes(
  input: Pick<SignUpInput, 'username' | 'userAttributes'>,
  pool: PoolSettings,
): Array<{ name: string; value: string }> {
  const given = (input.userAttributes ?? []).filter((a) =>
    (DESTINATION_ATTRIBUTES as readonly string[]).includes(a.name),
  );
  const kind = usernameKind(input.username);
  if (kind === undefined) return given;
  const own = { name: kind, value: input.username };
  if (isUsernameAttribute(kind, pool)) return [...given.filter((a) => a.name !== kind), own];
  return given.some((a) => a.name === kind) ? given : [...given, own];
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
  action: 'SignUp',
  limits: signUpLimits,
  limitRules: (own, shared) => [
    { name: 'signup:ip-hour', subject: 'ip', points: own.ipPerHour, durationSeconds: 3_600 },
    ...sendingRules(shared),
  ],
  destinations: (input, pool) => attributeDestinations(contactAttributes(input, pool)),
  // Every identifier Cognito will accept for this user: the username, the sub it answers, and the email or
  // phone number in pools that sign in by them.
  newUser: (input, output, pool) => {
    const attributes = contactAttributes(input, pool);
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
  // A pool that signs in by email or phone refuses any other username: one it accepted proves the setting wrong.
  poolMismatch: (input, pool) => {
    const kind = usernameKind(input.username);
    return pool.usernameAttributes.size > 0 && (kind === undefined || !isUsernameAttribute(kind, pool))
      ? "COGNITO_USERNAME_ATTRIBUTES does not match the pool: Cognito accepted a username of another kind. Set it to the pool's UsernameAttributes (unset when users sign in by username), or the destination cap counts the wrong addresses"
      : undefined;
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
