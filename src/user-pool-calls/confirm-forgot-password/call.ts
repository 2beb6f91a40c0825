// ConfirmForgotPassword as a user-pool call. Reset codes are short, so failed attempts are capped per
// (username, IP) and, much higher, per username, as for confirmSignUp: a stranger's wrong guesses from one IP
// never lock the real user out. Each client IP also gets an hourly cap on all its attempts.
import {
  ConfirmForgotPasswordCommand,
  type ConfirmForgotPasswordCommandInput,
  type ConfirmForgotPasswordCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { codeCheckingRules } from '../limit-rules';
import type { UserPoolCall } from '../user-pool-call';
import type { ConfirmForgotPasswordInput } from './input';
import { confirmForgotPasswordLimits } from './limits';
import { ConfirmForgotPasswordPayload } from './payload';

export const confirmForgotPasswordCall: UserPoolCall<
  ConfirmForgotPasswordInput,
  ConfirmForgotPasswordCommandInput,
  ConfirmForgotPasswordCommandOutput,
  ConfirmForgotPasswordPayload,
  typeof confirmForgotPasswordLimits
> = {
  action: 'ConfirmForgotPassword',
  limits: confirmForgotPasswordLimits,
  limitRules: (own) => codeCheckingRules('confirm-forgot', own),
  toRequest: (input, shared) => ({
    ...shared,
    Username: input.username,
    ConfirmationCode: input.confirmationCode,
    Password: input.password,
  }),
  send: (client, request) => client.send(new ConfirmForgotPasswordCommand(request)),
  toPayload: () => {
    const payload = new ConfirmForgotPasswordPayload();
    payload.passwordChanged = true;
    return payload;
  },
};
