// A typed client for the gateway's sign-up confirmation flow, sign-in and password reset, on Apollo Client 4. Each function
// sends one mutation and resolves to either the typed payload or a typed error (also when the gateway cannot be
// reached): it does not throw, so callers branch on `result.ok` and then on `result.error.code`. Sign-in's
// refresh token never reaches this code: the gateway keeps it in an HttpOnly cookie, which the browser sends
// back because the client is made with `credentials: 'include'`.
import {
  ApolloClient,
  CombinedGraphQLErrors,
  type DocumentNode,
  HttpLink,
  InMemoryCache,
  ServerError,
} from '@apollo/client';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import type {
  ConfirmForgotPasswordInput,
  ConfirmForgotPasswordMutation,
  ConfirmSignUpInput,
  ConfirmSignUpMutation,
  ForgotPasswordInput,
  ForgotPasswordMutation,
  RefreshTokensInput,
  RefreshTokensMutation,
  ResendConfirmationCodeInput,
  ResendConfirmationCodeMutation,
  RespondToSignInChallengeInput,
  SignInInput,
  SignInMutation,
  SignOutInput,
  SignOutMutation,
  SignUpInput,
  SignUpMutation,
} from './gql/graphql';
import {
  CONFIRM_FORGOT_PASSWORD,
  CONFIRM_SIGN_UP,
  FORGOT_PASSWORD,
  REFRESH_TOKENS,
  RESEND_CONFIRMATION_CODE,
  RESPOND_TO_SIGN_IN_CHALLENGE,
  SIGN_IN,
  SIGN_OUT,
  SIGN_UP,
} from './operations';

export type {
  ConfirmForgotPasswordInput,
  ConfirmSignUpInput,
  ForgotPasswordInput,
  RefreshTokensInput,
  ResendConfirmationCodeInput,
  RespondToSignInChallengeInput,
  SignInInput,
  SignOutInput,
  SignUpInput,
};
export type SignUpPayload = SignUpMutation['signUp'];
export type ResendConfirmationCodePayload = ResendConfirmationCodeMutation['resendConfirmationCode'];
export type ConfirmSignUpPayload = ConfirmSignUpMutation['confirmSignUp'];
export type ForgotPasswordPayload = ForgotPasswordMutation['forgotPassword'];
export type ConfirmForgotPasswordPayload = ConfirmForgotPasswordMutation['confirmForgotPassword'];
/** Either `tokens` (signed in) or `nextStep` (answer it with respondToSignInChallenge), never both. */
export type SignInPayload = SignInMutation['signIn'];
export type RefreshTokensPayload = RefreshTokensMutation['refreshTokens'];
export type SignOutPayload = SignOutMutation['signOut'];

/** The `extensions.code` values the gateway documents (README, "Errors"). */
export const GATEWAY_ERROR_CODES = [
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_DOCUMENT_REQUIRED',
  'PERSISTED_DOCUMENT_NOT_FOUND',
  'RATE_LIMITED',
  'USER_NOT_FOUND',
  'USERNAME_EXISTS',
  'INVALID_PASSWORD',
  'CODE_MISMATCH',
  'CODE_EXPIRED',
  'ALIAS_EXISTS',
  'ALREADY_CONFIRMED',
  'USER_NOT_CONFIRMED',
  'PASSWORD_RESET_REQUIRED',
  'SESSION_EXPIRED',
  'MFA_METHOD_NOT_FOUND',
  'NOT_SIGNED_IN',
  'NO_RECOVERY_DESTINATION',
  'PHONE_NUMBER_NOT_ALLOWED',
  'REJECTED_BY_TRIGGER',
  'CODE_DELIVERY_FAILED',
  'LIMIT_EXCEEDED',
  'TOO_MANY_REQUESTS',
  'NOT_AUTHORIZED',
  'FORBIDDEN',
  'CHALLENGE_REQUIRED',
  'CHALLENGE_FAILED',
  'UPSTREAM_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

/**
 * Why a call failed. `NETWORK_ERROR`: no GraphQL answer came back (the gateway was unreachable, or something
 * in between answered). `UNKNOWN`: the gateway sent a code this client does not know yet.
 */
export interface GatewayFailure {
  code: GatewayErrorCode | 'NETWORK_ERROR' | 'UNKNOWN';
  message: string;
  /** RATE_LIMITED: seconds until the call may be tried again. */
  retryAfterSeconds?: number;
  /** BAD_USER_INPUT: the fields that failed validation, e.g. `{ path: 'input.password', messages: [...] }`. */
  fields?: Array<{ path: string; messages: string[] }>;
}

export type Result<T> = { ok: true; data: T } | { ok: false; error: GatewayFailure };

/**
 * The id of a document in the gateway's trusted-documents manifest (src/gql/persisted-documents.json), which
 * codegen put in the typed document's `__meta__`.
 */
function documentIdOf(document: DocumentNode): string {
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  if (typeof hash !== 'string') throw new Error('a document without a codegen hash: run `npm run codegen`');
  return hash;
}

/** How requests leave: the cookie policy, and for tests or server-side code a fetch of its own. */
export type GatewayClientOptions = Pick<HttpLink.Options, 'credentials' | 'fetch'>;

/**
 * An Apollo Client for the gateway, e.g. `createGatewayClient('https://auth.example.com/graphql')`. It names
 * each operation by its id (`extensions.persistedQuery.sha256Hash`) instead of sending the text, as a
 * production gateway with trusted documents requires; a gateway without a manifest answers
 * PERSISTED_QUERY_NOT_SUPPORTED, and the link then sends full queries for the rest of the session.
 *
 * `credentials` is `'include'` by default, so that a browser sends and keeps the gateway's refresh-token
 * cookie even when the gateway is on another origin (`https://auth.example.com` for an app on
 * `https://app.example.com`); that origin must then be in the gateway's CORS_ORIGINS. `'same-origin'` is
 * enough when the app and the gateway share an origin.
 */
export function createGatewayClient(uri: string, options: GatewayClientOptions = {}): ApolloClient {
  const { credentials = 'include', fetch } = options;
  return new ApolloClient({
    link: new PersistedQueryLink({ generateHash: documentIdOf }).concat(
      new HttpLink({ uri, credentials, ...(fetch && { fetch }) }),
    ),
    cache: new InMemoryCache(),
  });
}

const options = {
  // Nothing reads these payloads back from the cache (they have no id), and the arguments carry passwords and
  // codes: `no-cache` skips writing them to the cache at all.
  fetchPolicy: 'no-cache',
  // Any error rejects the call (and `data` is typed as present): the catch blocks below turn it into a result.
  errorPolicy: 'none',
} as const;

/** Registers a user; a code goes out when the pool verifies the email or phone number given. */
export async function signUp(client: ApolloClient, input: SignUpInput): Promise<Result<SignUpPayload>> {
  try {
    const { data } = await client.mutate({ mutation: SIGN_UP, variables: { input }, ...options });
    return { ok: true, data: data.signUp };
  } catch (error) {
    return { ok: false, error: toFailure(error) };
  }
}

/** Sends a new code, replacing the previous one. */
export async function resendCode(
  client: ApolloClient,
  input: ResendConfirmationCodeInput,
): Promise<Result<ResendConfirmationCodePayload>> {
  try {
    const { data } = await client.mutate({
      mutation: RESEND_CONFIRMATION_CODE,
      variables: { input },
      ...options,
    });
    return { ok: true, data: data.resendConfirmationCode };
  } catch (error) {
    return { ok: false, error: toFailure(error) };
  }
}

/** Confirms the user with the newest code they received. */
export async function confirmSignUp(
  client: ApolloClient,
  input: ConfirmSignUpInput,
): Promise<Result<ConfirmSignUpPayload>> {
  try {
    const { data } = await client.mutate({ mutation: CONFIRM_SIGN_UP, variables: { input }, ...options });
    return { ok: true, data: data.confirmSignUp };
  } catch (error) {
    return { ok: false, error: toFailure(error) };
  }
}

/**
 * Sends a password reset code to the user's verified email or phone number (NO_RECOVERY_DESTINATION when
 * there is none, e.g. a user who never confirmed their sign-up). The code is valid for one hour.
 */
export async function forgotPassword(
  client: ApolloClient,
  input: ForgotPasswordInput,
): Promise<Result<ForgotPasswordPayload>> {
  try {
    const { data } = await client.mutate({ mutation: FORGOT_PASSWORD, variables: { input }, ...options });
    return { ok: true, data: data.forgotPassword };
  } catch (error) {
    return { ok: false, error: toFailure(error) };
  }
}

/** Sets the new password with the reset code the user received; they then sign in with the new password. */
export async function confirmForgotPassword(
  client: ApolloClient,
  input: ConfirmForgotPasswordInput,
): Promise<Result<ConfirmForgotPasswordPayload>> {
  try {
    const { data } = await client.mutate({
      mutation: CONFIRM_FORGOT_PASSWORD,
      variables: { input },
      ...options,
    });
    return { ok: true, data: data.confirmForgotPassword };
  } catch (error) {
    return { ok: false, error: toFailure(error) };
  }
}

/**
 * Signs a user in with their password, or with the `session` confirmSignUp answered (no second code). Resolves
 * with `tokens` (the refresh token went into the gateway's HttpOnly cookie; `tokens.refreshToken` is null), or
 * with the `nextStep` Cognito asks for. Keep the tokens in memory, not in localStorage.
 */
export async function signIn(client: ApolloClient, input: SignInInput): Promise<Result<SignInPayload>> {
  try {
    const { data } = await client.mutate({ mutation: SIGN_IN, variables: { input }, ...options });
    return { ok: true, data: data.signIn };
  } catch (error) {
    return { ok: false, error: toFailure(error) };
  }
}

/**
 * Answers signIn's `nextStep` with its `username`, `session` and `challenge`, and the `code` or `newPassword`
 * it asks for; resolves as signIn does (tokens, or a further step).
 */
export async function respondToSignInChallenge(
  client: ApolloClient,
  input: RespondToSignInChallengeInput,
): Promise<Result<SignInPayload>> {
  try {
    const { data } = await client.mutate({
      mutation: RESPOND_TO_SIGN_IN_CHALLENGE,
      variables: { input },
      ...options,
    });
    return { ok: true, data: data.respondToSignInChallenge };
  } catch (error) {
    return { ok: false, error: toFailure(error) };
  }
}

/**
 * New access and ID tokens from the refresh token in the cookie (no input needed in a browser).
 * NOT_SIGNED_IN: there is no sign-in to refresh (signed out, expired, revoked, or the cookie was not sent).
 */
export async function refreshTokens(
  client: ApolloClient,
  input?: RefreshTokensInput,
): Promise<Result<RefreshTokensPayload>> {
  try {
    const { data } = await client.mutate({
      mutation: REFRESH_TOKENS,
      variables: input ? { input } : {},
      ...options,
    });
    return { ok: true, data: data.refreshTokens };
  } catch (error) {
    return { ok: false, error: toFailure(error) };
  }
}

/** Revokes the refresh token (and the access tokens it issued) and clears the cookie; forget the tokens too. */
export async function signOut(client: ApolloClient, input?: SignOutInput): Promise<Result<SignOutPayload>> {
  try {
    const { data } = await client.mutate({
      mutation: SIGN_OUT,
      variables: input ? { input } : {},
      ...options,
    });
    return { ok: true, data: data.signOut };
  } catch (error) {
    return { ok: false, error: toFailure(error) };
  }
}

/** Turns whatever Apollo Client rejected with into a GatewayFailure. */
export function toFailure(error: unknown): GatewayFailure {
  // A GraphQL response with errors (HTTP 200, or a 4xx in application/graphql-response+json).
  if (CombinedGraphQLErrors.is(error)) return fromGraphQLError(error.errors[0]);
  // A non-2xx application/json answer: the gateway's own HTTP errors (413, 415, malformed JSON) still carry
  // a GraphQL `errors` array in the body.
  if (ServerError.is(error)) {
    const first = parseErrors(error.bodyText)?.[0];
    if (first) return fromGraphQLError(first);
  }
  return { code: 'NETWORK_ERROR', message: error instanceof Error ? error.message : String(error) };
}

interface ErrorLike {
  message?: unknown;
  extensions?: Record<string, unknown> | undefined;
}

function fromGraphQLError(error: ErrorLike | undefined): GatewayFailure {
  const rawCode = error?.extensions?.code;
  const code = GATEWAY_ERROR_CODES.find((known) => known === rawCode) ?? 'UNKNOWN';
  const failure: GatewayFailure = { code, message: typeof error?.message === 'string' ? error.message : '' };
  const retryAfterSeconds = error?.extensions?.retryAfterSeconds;
  if (typeof retryAfterSeconds === 'number') failure.retryAfterSeconds = retryAfterSeconds;
  const fields = error?.extensions?.fields;
  if (Array.isArray(fields)) failure.fields = fields;
  return failure;
}

function parseErrors(bodyText: string): ErrorLike[] | undefined {
  try {
    const body: unknown = JSON.parse(bodyText);
    if (typeof body === 'object' && body !== null && 'errors' in body && Array.isArray(body.errors)) {
      return body.errors;
    }
  } catch {
    // Not JSON: not an answer from the gateway.
  }
  return undefined;
}
