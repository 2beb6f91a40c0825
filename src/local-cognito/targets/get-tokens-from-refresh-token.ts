// GetTokensFromRefreshToken: new ID and access tokens from a refresh token, with the client secret itself (not a
// SecretHash). On a client that rotates refresh tokens it also answers a new refresh token, and the old one is
// refused once the client's RetryGracePeriodSeconds are over. Works whether or not the client allows
// REFRESH_TOKEN_AUTH: that setting is about InitiateAuth's flow, and rotating clients must turn it off.
import { checkClientSecret, existingClient } from '../client-auth';
import type { Services } from '../services';
import { redeemRefreshToken, rotateRefreshToken } from '../tokens/token-refresh';
import { type AuthenticationResult, issueRefreshedTokens } from '../tokens/user-pool-tokens';
import type { JsonObject } from '../types';
import { readObject, readStrings } from '../validation';

export function getTokensFromRefreshToken(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock' | 'refreshTokens' | 'signingKeys' | 'baseUrl'>,
): { AuthenticationResult: AuthenticationResult } {
  const input = readStrings(body, ['RefreshToken', 'ClientId'], ['ClientSecret', 'DeviceKey']);
  readObject(body, 'ClientMetadata');
  const { client } = existingClient(deps.store, input.ClientId);
  checkClientSecret(client, input.ClientSecret, 'NotAuthorizedException');
  const { record, pool, user } = redeemRefreshToken(deps, client, input.RefreshToken);
  const tokens = issueRefreshedTokens(deps, { pool, client, user }, record);
  if (!client.refreshTokenRotation) return { AuthenticationResult: tokens };
  const next = rotateRefreshToken(deps, client, record);
  return { AuthenticationResult: { ...tokens, RefreshToken: next.token } };
}
