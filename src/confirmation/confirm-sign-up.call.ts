// ConfirmSignUp as a user-pool call. Codes are short, so each username gets an hourly cap against guessing,
// and each client IP one against guessing across many usernames.
import {
  ConfirmSignUpCommand,
  type ConfirmSignUpCommandInput,
  type ConfirmSignUpCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { ConfirmSignUpInput } from './confirm-sign-up.input';
import { ConfirmSignUpPayload } from './confirm-sign-up.payload';
import type { UserPoolCall } from './user-pool-call';

export const confirmSignUpCall: UserPoolCall<
  ConfirmSignUpInput,
  ConfirmSignUpCommandInput,
  ConfirmSignUpCommandOutput,
  ConfirmSignUpPayload
> = {
  operation: 'ConfirmSignUp',
  limitRules: (limits) => [
    { name: 'confirm:ip-hour', subject: 'ip', points: limits.confirmIpPerHour, durationSeconds: 3_600 },
    {
      name: 'confirm:username-hour',
      subject: 'username',
      points: limits.confirmUsernamePerHour,
      durationSeconds: 3_600,
    },
  ],
  toRequest: (input, shared) => ({
    ...shared,
    Username: input.username,
    ConfirmationCode: input.confirmationCode,
    ...(input.forceAliasCreation != null && { ForceAliasCreation: input.forceAliasCreation }),
  }),
  send: (client, request) => client.send(new ConfirmSignUpCommand(request)),
  toPayload: () => {
    const payload = new ConfirmSignUpPayload();
    payload.confirmed = true;
    return payload;
  },
};
