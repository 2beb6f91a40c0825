// The tokens a sign-in ends with, shaped as Cognito issues them (developer guide, "Understanding user pool JSON
// web tokens"): an RS256 ID token and access token signed with the pool's keys (signing-keys.ts), and an opaque
// refresh token kept in refresh-tokens.ts.
//
// `iss` is `<stand-in URL>/<pool id>`, not Cognito's `https://cognito-idp.<region>.amazonaws.com/<pool id>`: a
// verifier finds the keys at `<iss>/.well-known/jwks.json`, so an AWS issuer would send it to AWS for keys that
// never signed these tokens, and a backend set to trust the AWS issuer must never accept a token a local
// process signed. With the stand-in's URL, a backend verifies exactly as in production, issuer and JWKS included.
import { randomUUID } from 'node:crypto';
import { lifetimeSeconds } from '../app-client-settings';
import { CognitoError } from '../errors';
import type { Services } from '../services';
import type { AppClient, User, UserPool } from '../types';
import { decodeJwt, type JwtClaims, signatureMatches, signJwt } from './jwt';
import type { RefreshTokenRecord } from './refresh-tokens';

// The one scope of tokens from the user pools API: the user's own self-service actions.
export const SIGN_IN_SCOPE = 'aws.cognito.signin.user.admin';

export interface AuthenticationResult {
  AccessToken: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  IdToken: string;
  RefreshToken?: string;
}

type TokenDeps = Pick<Services, 'clock' | 'signingKeys' | 'refreshTokens' | 'baseUrl'>;

export function issuerOf(baseUrl: string, poolId: string): string {
  return `${baseUrl}/${poolId}`;
}

/** Who the tokens are for, and which sign-in they come from (kept unchanged across refreshes). */
interface Grant {
  pool: UserPool;
  client: AppClient;
  user: User;
  originJti: string;
  eventId: string;
  authTime: Date;
}

/** A completed sign-in: new ID and access tokens, and a refresh token that starts a new origin. */
export function issueSignInTokens(
  deps: TokenDeps,
  subject: { pool: UserPool; client: AppClient; user: User },
): AuthenticationResult {
  const now = deps.clock.now();
  const grant: Grant = { ...subject, originJti: randomUUID(), eventId: randomUUID(), authTime: now };
  const refresh = deps.refreshTokens.issue(
    {
      poolId: subject.pool.id,
      clientId: subject.client.clientId,
      username: subject.user.username,
      originJti: grant.originJti,
      eventId: grant.eventId,
      authTime: now,
      expiresAt: new Date(now.getTime() + lifetimeSeconds(subject.client.refreshTokenValidity) * 1000),
    },
    now,
  );
  return { ...signedTokens(deps, grant, now), RefreshToken: refresh.token };
}

/** New ID and access tokens for a refresh: same origin, event and auth_time as the sign-in they renew. */
export function issueRefreshedTokens(
  deps: TokenDeps,
  subject: { pool: UserPool; client: AppClient; user: User },
  refresh: RefreshTokenRecord,
): AuthenticationResult {
  const grant: Grant = {
    ...subject,
    originJti: refresh.originJti,
    eventId: refresh.eventId,
    authTime: refresh.authTime,
  };
  return signedTokens(deps, grant, deps.clock.now());
}

function signedTokens(deps: TokenDeps, grant: Grant, now: Date): Omit<AuthenticationResult, 'RefreshToken'> {
  const { pool, client, user } = grant;
  const keys = deps.signingKeys.forPool(pool.id);
  const iat = Math.floor(now.getTime() / 1000);
  const accessSeconds = lifetimeSeconds(client.accessTokenValidity);
  const common = {
    sub: user.sub,
    iss: issuerOf(deps.baseUrl, pool.id),
    origin_jti: grant.originJti,
    event_id: grant.eventId,
    auth_time: Math.floor(grant.authTime.getTime() / 1000),
    iat,
  };
  const idToken: JwtClaims = {
    ...idTokenAttributes(user),
    ...common,
    aud: client.clientId,
    'cognito:username': user.username,
    token_use: 'id',
    exp: iat + lifetimeSeconds(client.idTokenValidity),
    jti: randomUUID(),
  };
  const accessToken: JwtClaims = {
    ...common,
    client_id: client.clientId,
    token_use: 'access',
    scope: SIGN_IN_SCOPE,
    username: user.username,
    version: 2,
    exp: iat + accessSeconds,
    jti: randomUUID(),
  };
  return {
    AccessToken: signJwt({ kid: keys.access.kid, alg: 'RS256' }, accessToken, keys.access.privateKey),
    ExpiresIn: accessSeconds,
    TokenType: 'Bearer',
    IdToken: signJwt({ kid: keys.id.kid, alg: 'RS256' }, idToken, keys.id.privateKey),
  };
}

// The user's attributes as ID token claims: strings, except the *_verified flags, which Cognito issues as JSON
// booleans. `sub` comes from the user record, never from an attribute.
function idTokenAttributes(user: User): JwtClaims {
  const claims: JwtClaims = {};
  for (const [name, value] of user.attributes) {
    if (name === 'sub') continue;
    claims[name] = name.endsWith('_verified') ? value === 'true' : value;
  }
  return claims;
}

export interface VerifiedAccessToken {
  poolId: string;
  username: string;
  clientId: string;
  originJti: string;
}

/**
 * Checks an access token handed back to the stand-in (GetUser) as Cognito does: its own signature, not expired,
 * not revoked. The messages are Cognito's.
 */
export function verifyAccessToken(
  deps: Pick<Services, 'clock' | 'signingKeys' | 'refreshTokens' | 'baseUrl' | 'store'>,
  token: string,
): VerifiedAccessToken {
  const invalid = () => new CognitoError('NotAuthorizedException', 'Invalid Access Token');
  const jwt = decodeJwt(token);
  const claims = jwt?.payload;
  const iss = typeof claims?.iss === 'string' ? claims.iss : '';
  const poolId = iss.startsWith(`${deps.baseUrl}/`) ? iss.slice(deps.baseUrl.length + 1) : '';
  if (!jwt || !claims || !deps.store.getPool(poolId)) throw invalid();
  const key = deps.signingKeys.byKid(poolId, jwt.header.kid);
  if (!key || key !== deps.signingKeys.forPool(poolId).access || !signatureMatches(jwt, key.publicKey)) {
    throw invalid();
  }
  const { token_use, exp, username, client_id, origin_jti } = claims;
  if (
    token_use !== 'access' ||
    typeof exp !== 'number' ||
    typeof username !== 'string' ||
    typeof client_id !== 'string' ||
    typeof origin_jti !== 'string'
  ) {
    throw invalid();
  }
  if (deps.refreshTokens.isRevoked(origin_jti)) {
    throw new CognitoError('NotAuthorizedException', 'Access Token has been revoked');
  }
  if (deps.clock.now().getTime() >= exp * 1000) {
    throw new CognitoError('NotAuthorizedException', 'Access Token has expired');
  }
  return { poolId, username, clientId: client_id, originJti: origin_jti };
}
