// ConfirmSignUp as a user-pool call. Codes are short, so failed confirms are capped per (username, IP) and,
// much higher, per username, against guessing: a stranger's wrong guesses from one IP never lock the real
// user out, and locking a user out takes many IPs (Cognito's own attempt limits come on top). Each client IP
// also gets an hourly cap on all its confirms, against guessing across many usernames.
import {
  ConfirmSignUpCommand,
  type ConfirmSignUpCommandInput,
  type ConfirmSignUpCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { codeCheckingRules } from '../limit-rules';
import type { UserPoolCall } from '../user-pool-call';
import type { ConfirmSignUpInput } from './input';
import { confirmSignUpLimits } from './limits';
import { ConfirmSignUpPayload } from './payload';

export const confirmSignUpCall: UserPoolCall<
  ConfirmSignUpInput,
  ConfirmSignUpCommandInput,
  ConfirmSignUpCommandOutput,
  ConfirmSignUpPayload,
  typeof confirmSignUpLimits
> = {
  action: 'ConfirmSignUp',
  limits: confirmSignUpLimits,
  limitRules: (own) => codeCheckingRules('confirm', own),
  toRequest: (input, shared) => ({
    ...shared,
    Username: input.username,
    ConfirmationCode: input.confirmationCode,
    ...(input.forceAliasCreation != null && { ForceAliasCreation: input.forceAliasCreation }),
  }),
  send: (client, request) => client.send(new ConfirmSignUpCommand(request)),
  toPayload: (output) => {
    const payload = new ConfirmSignUpPayload();
    payload.confirmed = true;
    payload.session = output.Session ?? null;
    return payload;
  },
};
