// ResendConfirmationCode as a user-pool call. Every call may send an email or SMS that someone pays for, so
// each client IP gets an hourly cap on its calls, and each username and each destination (the email or phone
// the username's codes go to) caps on the codes sent. A resend that Cognito refuses (an unknown or already
// confirmed user) sent nothing and costs the username and destination nothing. Only the gateway can make
// unconfirmed users of a client with a secret, so an identifier it has no link for is a user made elsewhere
// or before it: such codes pay from one small budget for unknown destinations.
import {
  ResendConfirmationCodeCommand,
  type ResendConfirmationCodeCommandInput,
  type ResendConfirmationCodeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { phoneUsername } from '../../spend-guard/phone-policy';
import { codeSendingRules } from '../limit-rules';
import { toCodeDeliveryDetails } from '../shared/code-delivery-details.mapping';
import { deliveredBy, type UserPoolCall } from '../user-pool-call';
import type { ResendConfirmationCodeInput } from './input';
import { resendConfirmationCodeLimits } from './limits';
import { ResendConfirmationCodePayload } from './payload';

export const resendConfirmationCodeCall: UserPoolCall<
  ResendConfirmationCodeInput,
  ResendConfirmationCodeCommandInput,
  ResendConfirmationCodeCommandOutput,
  ResendConfirmationCodePayload,
  typeof resendConfirmationCodeLimits
> = {
  action: 'ResendConfirmationCode',
  limits: resendConfirmationCodeLimits,
  limitRules: (own, shared) => codeSendingRules('resend', own, shared),
  unlinked: 'unknown-budget',
  phoneNumbers: (input) => phoneUsername(input.username),
  delivered: (output) => deliveredBy(output.CodeDeliveryDetails),
  challengeResponse: (input) => input.challengeResponse,
  toRequest: (input, shared) => ({ ...shared, Username: input.username }),
  send: (client, request) => client.send(new ResendConfirmationCodeCommand(request)),
  toPayload: (output) => {
    const payload = new ResendConfirmationCodePayload();
    payload.codeDeliveryDetails = toCodeDeliveryDetails(output.CodeDeliveryDetails);
    return payload;
  },
};
