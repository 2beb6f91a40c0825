// ResendConfirmationCode as a user-pool call. Every call may send an email or SMS that someone pays for, so
// each client IP gets an hourly cap, and each username a cooldown and an hourly cap.
import {
  ResendConfirmationCodeCommand,
  type ResendConfirmationCodeCommandInput,
  type ResendConfirmationCodeCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { toCodeDeliveryDetails } from './code-delivery-details.mapping';
import type { ResendConfirmationCodeInput } from './resend-confirmation-code.input';
import { ResendConfirmationCodePayload } from './resend-confirmation-code.payload';
import type { UserPoolCall } from './user-pool-call';

export const resendConfirmationCodeCall: UserPoolCall<
  ResendConfirmationCodeInput,
  ResendConfirmationCodeCommandInput,
  ResendConfirmationCodeCommandOutput,
  ResendConfirmationCodePayload
> = {
  operation: 'ResendConfirmationCode',
  limitRules: (limits) => [
    { name: 'resend:ip-hour', subject: 'ip', points: limits.ipPerHour, durationSeconds: 3_600 },
    {
      name: 'resend:username-cooldown',
      subject: 'username',
      points: 1,
      durationSeconds: limits.usernameCooldownSeconds,
    },
    {
      name: 'resend:username-hour',
      subject: 'username',
      points: limits.usernamePerHour,
      durationSeconds: 3_600,
    },
  ],
  toRequest: (input, shared) => ({ ...shared, Username: input.username }),
  send: (client, request) => client.send(new ResendConfirmationCodeCommand(request)),
  toPayload: (output) => {
    const payload = new ResendConfirmationCodePayload();
    payload.codeDeliveryDetails = toCodeDeliveryDetails(output.CodeDeliveryDetails);
    return payload;
  },
};
