// What refreshTokens and signOut run with: not a GraphQL input, but the refresh token the session cookie (or,
// for native apps, the request) held, with the username its SECRET_HASH needs. The call runner takes it like
// any input: per-user limits count that user, and ClientMetadata passes through.
import type { ClientMetadataEntryInput } from './client-metadata-entry.input';
import type { UserPoolCallInput } from './user-pool-call.input';

export interface KeptTokenInput extends UserPoolCallInput {
  refreshToken: string;
  deviceKey?: string;
}

export function keptTokenInput(
  kept: { token: string; username: string; deviceKey?: string },
  clientMetadata?: ClientMetadataEntryInput[] | null,
): KeptTokenInput {
  return {
    username: kept.username,
    refreshToken: kept.token,
    ...(kept.deviceKey && { deviceKey: kept.deviceKey }),
    ...(clientMetadata && { clientMetadata }),
  };
}
