// RevokeToken: revokes a refresh token and everything issued from the same sign-in: its other refresh tokens
// (rotation's successors) and the ID and access tokens, which GetUser then refuses. Those JWTs still verify
// offline until they expire, as with Cognito: a backend that must see revocation asks Cognito (GetUser).
//
// As OAuth token revocation (RFC 7009) has it, a token the stand-in does not know is answered with success;
// a token another app client holds is refused. An ID or access token is not revocable here.
import { checkClientSecret, existingClient } from '../client-auth';
import { CognitoError } from '../errors';
import type { Services } from '../services';
import { decodeJwt } from '../tokens/jwt';
import type { JsonObject } from '../types';
import { readStrings, validationError } from '../validation';

export function revokeToken(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'refreshTokens'>,
): Record<string, never> {
  const input = readStrings(body, ['Token', 'ClientId'], ['ClientSecret', 'RevokeAssociatedSessions']);
  const linked = input.RevokeAssociatedSessions;
  if (linked !== undefined && linked !== 'NONE' && linked !== 'LINKED') {
    throw validationError([
      `Value '${linked}' at 'revokeAssociatedSessions' failed to satisfy constraint: Member must satisfy enum value set: [NONE, LINKED]`,
    ]);
  }
  const { client } = existingClient(deps.store, input.ClientId);
  checkClientSecret(client, input.ClientSecret, 'UnauthorizedException');
  if (decodeJwt(input.Token)) {
    throw new CognitoError('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.');
  }
  const record = deps.refreshTokens.find(input.Token);
  if (!record) return {};
  if (record.clientId !== client.clientId) {
    throw new CognitoError('UnauthorizedException', 'The token was not issued to this client.');
  }
  deps.refreshTokens.revokeOrigin(record.originJti);
  return {};
}
