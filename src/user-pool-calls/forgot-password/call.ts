// ForgotPassword as a user-pool call. It sends a reset code (email or SMS) that someone pays for, and SMS
// pumping goes through password reset too, so it has the budgets of a resend of its own: per client IP on
// its calls, per username (cooldown and hourly cap) on the codes sent, and the destination cap that every
// call sending codes shares. A pool with PreventUserExistenceErrors answers unknown users with a simulated
// delivery, passed through unchanged. Resets are mostly asked by established users the gateway never saw, so
// an identifier with no link pays from the send budgets and its per-identifier limits, never from an owner's
// destination cap.
import {
  ForgotPasswordCommand,
  type ForgotPasswordCommandInput,
  type ForgotPasswordCommandOutput,
  InvalidParameterException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { MappedError } from '../../cognito/error-mapping';
import { ErrorCode } from '../../errors';
import { phoneUsername } from '../../spend-guard/phone-policy';
import { codeSendingRules } from '../limit-rules';
import { toCodeDeliveryDetails } from '../shared/code-delivery-details.mapping';
import { deliveredBy, type UserPoolCall } from '../user-pool-call';
import type { ForgotPasswordInput } from './input';
import { forgotPasswordLimits } from './limits';
import { ForgotPasswordPayload } from './payload';

/** The user has no verified email or phone number to send a reset code to. */
const NO_RECOVERY_DESTINATION: MappedError = {
  code: ErrorCode.NO_RECOVERY_DESTINATION,
  message: 'This user has no verified email or phone number to send a reset code to.',
  severity: 'info',
};

export const forgotPasswordCall: UserPoolCall<
  ForgotPasswordInput,
  ForgotPasswordCommandInput,
  ForgotPasswordCommandOutput,
  ForgotPasswordPayload,
  typeof forgotPasswordLimits
> = {
  action: 'ForgotPassword',
  limits: forgotPasswordLimits,
  limitRules: (own, shared) => codeSendingRules('forgot', own, shared),
  unlinked: 'send-budgets',
  phoneNumbers: (input) => phoneUsername(input.username),
  delivered: (output) => deliveredBy(output.CodeDeliveryDetails),
  challengeResponse: (input) => input.challengeResponse,
  toRequest: (input, shared) => ({ ...shared, Username: input.username }),
  send: (client, request) => client.send(new ForgotPasswordCommand(request)),
  toPayload: (output) => {
    const payload = new ForgotPasswordPayload();
    payload.codeDeliveryDetails = toCodeDeliveryDetails(output.CodeDeliveryDetails);
    return payload;
  },
  mapError: (error): MappedError | undefined =>
    // The user has no verified email or phone number to send a reset code to.
    error instanceof InvalidParameterException &&
    /no registered\/verified email or phone_number/i.test(error.message)
      ? NO_RECOVERY_DESTINATION
      : undefined,
};
