// refreshTokens as a user-pool call: new access and ID tokens for the refresh token the session holds.
// GetTokensFromRefreshToken (with the client secret itself) where Cognito has it; InitiateAuth's
// REFRESH_TOKEN_AUTH (with a SECRET_HASH over the pool's username, which the sealed cookie keeps) for the
// emulators that lack it (COGNITO_REFRESH_FLOW). With refresh-token rotation on the app client, the answer
// holds a new refresh token, which the session keeps in place of the old one.

import type { AuthenticationResultType } from '@aws-sdk/client-cognito-identity-provider';
import {
  GetTokensFromRefreshTokenCommand,
  type GetTokensFromRefreshTokenCommandInput,
  InitiateAuthCommand,
  type InitiateAuthCommandInput,
  NotAuthorizedException,
  RefreshTokenReuseException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { MappedError } from '../../cognito/error-mapping';
import { ErrorCode } from '../../errors';
import { perIpRules } from '../limit-rules';
import type { KeptTokenInput } from '../shared/kept-token.input';
import { mapSignInError, NOT_SIGNED_IN } from '../shared/sign-in-errors';
import { type SignInOutcome, toSignInOutcome } from '../shared/sign-in-outcome';
import type { UserPoolCall } from '../user-pool-call';
import { refreshTokensLimits } from './limits';

export type RefreshRequest =
  | { flow: 'GetTokensFromRefreshToken'; input: GetTokensFromRefreshTokenCommandInput }
  | { flow: 'REFRESH_TOKEN_AUTH'; input: InitiateAuthCommandInput };

export function mapRefreshError(error: unknown): MappedError | undefined {
  const flow = mapSignInError(error);
  if (flow?.code === ErrorCode.INTERNAL_SERVER_ERROR) return flow;
  if (error instanceof NotAuthorizedException && /secret hash/i.test(error.message)) return undefined;
  if (
    error instanceof NotAuthorizedException ||
    error instanceof RefreshTokenReuseException ||
    error instanceof UserNotFoundException
  )
    return NOT_SIGNED_IN;
  return undefined;
}

export const refreshTokensCall: UserPoolCall<
  KeptTokenInput,
  RefreshRequest,
  { AuthenticationResult?: AuthenticationResultType | undefined },
  SignInOutcome,
  typeof refreshTokensLimits
> = {
  action: 'GetTokensFromRefreshToken',
  limits: refreshTokensLimits,
  limitRules: (own) => perIpRules('refresh', own),
  toRequest: (input, shared, settings) => {
    if (settings.refreshFlow === 'REFRESH_TOKEN_AUTH') {
      const { SecretHash, ...rest } = shared;
      return {
        flow: 'REFRESH_TOKEN_AUTH',
        input: {
          ...rest,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: {
            REFRESH_TOKEN: input.refreshToken,
            ...(SecretHash !== undefined && { SECRET_HASH: SecretHash }),
            ...(input.deviceKey && { DEVICE_KEY: input.deviceKey }),
          },
        },
      };
    }
    const secret = settings.clientSecret?.current().reveal();
    return {
      flow: 'GetTokensFromRefreshToken',
      input: {
        ClientId: shared.ClientId,
        RefreshToken: input.refreshToken,
        ...(secret !== undefined && { ClientSecret: secret }),
        ...(shared.ClientMetadata && { ClientMetadata: shared.ClientMetadata }),
        ...(input.deviceKey && { DeviceKey: input.deviceKey }),
      },
    };
  },
  send: (client, request) =>
    request.flow === 'REFRESH_TOKEN_AUTH'
      ? client.send(new InitiateAuthCommand(request.input))
      : client.send(new GetTokensFromRefreshTokenCommand(request.input)),
  toPayload: (output, input) => toSignInOutcome(output, input.username),
  mapError: mapRefreshError,
};
