// The request fields every user-pool call shares (ResendConfirmationCode, SignUp, ConfirmSignUp, ...):
// ClientId and SecretHash from configuration, AnalyticsMetadata and UserContextData from the request,
// ClientMetadata from the input. Pure but for the secret, read from its source per call: the same input and
// secret always give the same fields.
import type { AnalyticsMetadataType, UserContextDataType } from '@aws-sdk/client-cognito-identity-provider';
import { computeSecretHash } from '../../cognito/secret-hash';
import type { Secret } from '../../secret';
import type { UserPoolCallInput } from './user-pool-call.input';

/** Where the client secret in use is read, per call (a rotation replaces it without a restart). */
export interface CurrentSecret {
  current(): Secret;
}

/** InitiateAuth's flow for signIn: USER_AUTH (choice-based; needed for the confirmation session) or the password flow. */
export type SignInFlow = 'USER_AUTH' | 'USER_PASSWORD_AUTH';
/** How refreshTokens asks Cognito: GetTokensFromRefreshToken, or InitiateAuth's REFRESH_TOKEN_AUTH. */
export type RefreshFlow = 'GetTokensFromRefreshToken' | 'REFRESH_TOKEN_AUTH';

export interface UserPoolCallSettings {
  clientId: string;
  clientSecret?: CurrentSecret;
  sendUserContextIp: boolean;
  analyticsEnabled: boolean;
  /** Default USER_AUTH. */
  signInFlow?: SignInFlow;
  /** Default GetTokensFromRefreshToken. */
  refreshFlow?: RefreshFlow;
}

/** What the gateway knows about the caller from the HTTP request. */
export interface CallerInfo {
  clientIp?: string;
  analyticsEndpointId?: string;
}

export interface SharedRequestFields {
  ClientId: string;
  SecretHash?: string;
  AnalyticsMetadata?: AnalyticsMetadataType;
  ClientMetadata?: Record<string, string>;
  UserContextData?: UserContextDataType;
}

export function sharedRequestFields(
  username: string,
  input: Pick<UserPoolCallInput, 'clientMetadata' | 'userContextData'>,
  settings: UserPoolCallSettings,
  caller: CallerInfo,
): SharedRequestFields {
  const fields: SharedRequestFields = { ClientId: settings.clientId };
  if (settings.clientSecret) {
    fields.SecretHash = computeSecretHash(
      username,
      settings.clientId,
      settings.clientSecret.current().hmacKey(),
    );
  }
  if (settings.analyticsEnabled && caller.analyticsEndpointId) {
    fields.AnalyticsMetadata = { AnalyticsEndpointId: caller.analyticsEndpointId };
  }
  if (input.clientMetadata && input.clientMetadata.length > 0) {
    fields.ClientMetadata = Object.fromEntries(input.clientMetadata.map((e) => [e.key, e.value]));
  }
  const userContext: UserContextDataType = {};
  if (settings.sendUserContextIp && caller.clientIp) userContext.IpAddress = caller.clientIp;
  if (input.userContextData) userContext.EncodedData = input.userContextData.encodedData;
  if (userContext.IpAddress !== undefined || userContext.EncodedData !== undefined) {
    fields.UserContextData = userContext;
  }
  return fields;
}
