// GetUser: the signed-in user's own attributes, authorized by their access token. Here it is also how the
// stand-in shows that a revoked or expired access token is refused, as Cognito's own endpoints refuse it.
import { userDoesNotExist } from '../errors';
import { describeMfa } from '../mfa-settings';
import type { Services } from '../services';
import { verifyAccessToken } from '../tokens/user-pool-tokens';
import type { JsonObject } from '../types';
import { attributeList } from '../user-description';
import { readStrings } from '../validation';

export function getUser(
  body: JsonObject,
  deps: Pick<Services, 'store' | 'clock' | 'refreshTokens' | 'signingKeys' | 'baseUrl'>,
): JsonObject {
  const { AccessToken } = readStrings(body, ['AccessToken']);
  const token = verifyAccessToken(deps, AccessToken);
  const user = deps.store.findUser(token.poolId, token.username);
  if (!user) throw userDoesNotExist();
  return {
    Username: user.username,
    UserAttributes: attributeList(user),
    ...describeMfa(user),
  };
}
