// signOut as a user-pool call: RevokeToken (with the client secret itself) revokes the refresh token the
// session holds and the access tokens it issued. The session cookie is cleared once Cognito has revoked it, or
// when Cognito no longer knows it; after an outage it stays, so that the user can try again.
import {
  RevokeTokenCommand,
  type RevokeTokenCommandInput,
  type RevokeTokenCommandOutput,
  UnauthorizedException,
  UnsupportedTokenTypeException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { MappedError } from '../../cognito/error-mapping';
import { perIpRules } from '../limit-rules';
import type { KeptTokenInput } from '../shared/kept-token.input';
import { NOT_SIGNED_IN } from '../shared/sign-in-errors';
import type { UserPoolCall } from '../user-pool-call';
import { signOutLimits } from './limits';

export const signOutCall: UserPoolCall<
  KeptTokenInput,
  RevokeTokenCommandInput,
  RevokeTokenCommandOutput,
  true,
  typeof signOutLimits
> = {
  action: 'RevokeToken',
  limits: signOutLimits,
  limitRules: (own) => perIpRules('signout', own),
  toRequest: (input, shared, settings) => {
    const secret = settings.clientSecret?.current().reveal();
    return {
      ClientId: shared.ClientId,
      Token: input.refreshToken,
      ...(secret !== undefined && { ClientSecret: secret }),
    };
  },
  send: (client, request) => client.send(new RevokeTokenCommand(request)),
  toPayload: () => true,
  // A token Cognito does not take (not a refresh token of this client, or no longer valid) ends the session.
  mapError: (error): MappedError | undefined =>
    error instanceof UnsupportedTokenTypeException || error instanceof UnauthorizedException
      ? NOT_SIGNED_IN
      : undefined,
};
