// Pure: what InitiateAuth, RespondToAuthChallenge and a token refresh answered, as the GraphQL payload plus
// what must not be in it (the refresh token, kept by the session cookie) and who signed in (for links).
import type { AuthenticationResultType, ChallengeNameType } from '@aws-sdk/client-cognito-identity-provider';
import { type IdTokenClaims, readIdTokenClaims } from '../../cognito/id-token-claims';
import { CodeDeliveryDetails } from './code-delivery-details.type';
import { DeliveryMedium } from './delivery-medium.enum';
import { toSignInChallenge } from './sign-in-challenge.enum';
import { AuthTokens, SignInNextStep, SignInPayload } from './sign-in-payload.type';

/** The fields of a sign-in answer the gateway reads (InitiateAuth's and RespondToAuthChallenge's). */
export interface SignInAnswer {
  AuthenticationResult?: AuthenticationResultType | undefined;
  ChallengeName?: ChallengeNameType | string | undefined;
  ChallengeParameters?: Record<string, string> | undefined;
  Session?: string | undefined;
  AvailableChallenges?: Array<ChallengeNameType | string> | undefined;
}

/** A refresh token to keep for the user, and what a refresh with it needs. */
export interface KeptRefreshToken {
  token: string;
  /** The pool's username (`cognito:username`): a REFRESH_TOKEN_AUTH's SECRET_HASH is computed over it. */
  username: string;
  deviceKey?: string;
}

/** A call's result before the session decides where the refresh token goes. */
export interface SignInOutcome {
  payload: SignInPayload;
  refresh?: KeptRefreshToken;
  /** Who is signed in, from the ID token: set only when tokens were issued. */
  user?: IdTokenClaims;
}

function tokensOf(result: AuthenticationResultType): AuthTokens {
  const tokens = new AuthTokens();
  tokens.accessToken = result.AccessToken ?? '';
  tokens.idToken = result.IdToken ?? '';
  tokens.expiresIn = result.ExpiresIn ?? 0;
  tokens.tokenType = result.TokenType ?? 'Bearer';
  tokens.refreshToken = null;
  return tokens;
}

function deliveryOf(parameters: Record<string, string>): CodeDeliveryDetails | null {
  const medium = parameters.CODE_DELIVERY_DELIVERY_MEDIUM;
  if (medium !== 'SMS' && medium !== 'EMAIL') return null;
  const details = new CodeDeliveryDetails();
  details.deliveryMedium = medium === 'SMS' ? DeliveryMedium.SMS : DeliveryMedium.EMAIL;
  details.destination = parameters.CODE_DELIVERY_DESTINATION ?? null;
  details.attributeName = medium === 'SMS' ? 'phone_number' : 'email';
  return details;
}

/** NEW_PASSWORD_REQUIRED lists them as a JSON array of `userAttributes.<name>`. */
function requiredAttributesOf(parameters: Record<string, string>): string[] | null {
  const raw = parameters.requiredAttributes;
  if (raw === undefined) return null;
  try {
    const list: unknown = JSON.parse(raw);
    if (!Array.isArray(list)) return null;
    return list
      .filter((a): a is string => typeof a === 'string')
      .map((a) => a.replace(/^userAttributes\./, ''));
  } catch {
    return null;
  }
}

/** Which medium a sign-in step's code went by, for the spend guard's settlement. */
export function signInCodeMedium(answer: SignInAnswer): 'SMS' | 'EMAIL' | 'none' {
  if (answer.AuthenticationResult) return 'none';
  const medium = answer.ChallengeParameters?.CODE_DELIVERY_DELIVERY_MEDIUM;
  return medium === 'SMS' || medium === 'EMAIL' ? medium : 'none';
}

/**
 * `username` is the name the request used; a challenge answers with the pool's own name for the user
 * (USER_ID_FOR_SRP), which the next response must carry.
 */
export function toSignInOutcome(answer: SignInAnswer, username: string): SignInOutcome {
  const payload = new SignInPayload();
  const result = answer.AuthenticationResult;
  if (result?.AccessToken) {
    payload.tokens = tokensOf(result);
    payload.nextStep = null;
    const user = readIdTokenClaims(result.IdToken);
    const deviceKey = result.NewDeviceMetadata?.DeviceKey;
    return {
      payload,
      ...(user && { user }),
      ...(result.RefreshToken && {
        refresh: {
          token: result.RefreshToken,
          username: user?.username ?? username,
          ...(deviceKey && { deviceKey }),
        },
      }),
    };
  }
  const parameters = answer.ChallengeParameters ?? {};
  const step = new SignInNextStep();
  step.challenge = toSignInChallenge(answer.ChallengeName);
  step.session = answer.Session ?? '';
  step.username = parameters.USER_ID_FOR_SRP ?? parameters.USERNAME ?? username;
  step.availableChallenges = answer.AvailableChallenges?.map((c) => toSignInChallenge(c)) ?? null;
  step.codeDeliveryDetails = deliveryOf(parameters);
  step.requiredAttributes = requiredAttributesOf(parameters);
  payload.tokens = null;
  payload.nextStep = step;
  return { payload };
}

/**
 * What every sign-in step shares as a user-pool call: an unlinked user's codes pay from the send budgets (users
 * made elsewhere sign in too), how the answer says a code went, and the answer as the payload. A step that asks
 * for a one-time code (no secret behind it) is this alone, and is reserved and limited like a resend.
 */
export const SIGN_IN_CODE_STEP = {
  unlinked: 'send-budgets',
  delivered: signInCodeMedium,
  toPayload: (output: SignInAnswer, input: { username: string }) => toSignInOutcome(output, input.username),
} as const;

/**
 * A sign-in step whose code only follows a secret the user holds (a password, a session, a code answered):
 * its codes are reserved only for users known to get them (see the contract's codeFollowsSecret).
 */
export const SIGN_IN_STEP = { ...SIGN_IN_CODE_STEP, codeFollowsSecret: true } as const;
