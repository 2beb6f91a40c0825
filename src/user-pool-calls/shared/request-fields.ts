// The fields every public user-pool call shares (ResendConfirmationCode, SignUp, ConfirmSignUp, ...):
// ClientId and SecretHash from configuration, AnalyticsMetadata and UserContextData from the request,
// ClientMetadata from the input. Pure: the same input always gives the same fields.
import type { AnalyticsMetadataType, UserContextDataType } from '@aws-sdk/client-cognito-identity-provider';
import { computeSecretHash } from '../../cognito/secret-hash';
import type { Secret } from '../../secret';

export interface PublicCallSettings {
  clientId: string;
  clientSecret?: Secret;
  sendUserContextIp: boolean;
  analyticsEnabled: boolean;
}

/** What the gateway knows about the caller from the HTTP request. */
export interface CallerInfo {
  clientIp?: string;
  analyticsEndpointId?: string;
}

export interface PublicCallInput {
  clientMetadata?: ReadonlyArray<{ key: string; value: string }> | null;
  userContextData?: { encodedData: string } | null;
}

export interface PublicCallFields {
  ClientId: string;
  SecretHash?: string;
  AnalyticsMetadata?: AnalyticsMetadataType;
  ClientMetadata?: Record<string, string>;
  UserContextData?: UserContextDataType;
}

export function publicCallFields(
  username: string,
  input: PublicCallInput,
  settings: PublicCallSettings,
  caller: CallerInfo,
): PublicCallFields {
  const fields: PublicCallFields = { ClientId: settings.clientId };
  if (settings.clientSecret) {
    fields.SecretHash = computeSecretHash(username, settings.clientId, settings.clientSecret.reveal());
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
