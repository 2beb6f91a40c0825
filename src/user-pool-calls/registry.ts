// The public user-pool calls the gateway serves. A new call is registered here once: its definition (for
// its abuse limiter) and its resolver (for the schema); app.ts and schema.ts take both lists as they are.
import { confirmSignUpCall } from './confirm-sign-up/call';
import { ConfirmSignUpResolver } from './confirm-sign-up/resolver';
import type { AnyUserPoolCall } from './pipeline';
import { resendConfirmationCodeCall } from './resend-confirmation-code/call';
import { ResendConfirmationCodeResolver } from './resend-confirmation-code/resolver';
import { signUpCall } from './sign-up/call';
import { SignUpResolver } from './sign-up/resolver';

export const USER_POOL_CALLS: readonly AnyUserPoolCall[] = [
  signUpCall,
  resendConfirmationCodeCall,
  confirmSignUpCall,
];

export const USER_POOL_RESOLVERS = [
  SignUpResolver,
  ResendConfirmationCodeResolver,
  ConfirmSignUpResolver,
] as const;
