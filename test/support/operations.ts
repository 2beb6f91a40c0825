// The GraphQL requests tests send, built on the documents in src/user-pool-calls/operations.ts.
import {
  CONFIRM_FORGOT_PASSWORD,
  CONFIRM_SIGN_UP,
  FORGOT_PASSWORD,
  REFRESH_TOKENS,
  RESPOND_TO_SIGN_IN_CHALLENGE,
  SIGN_IN,
  SIGN_OUT,
  SIGN_UP,
} from '../../src/user-pool-calls/operations';

export { CONFIRM_FORGOT_PASSWORD, CONFIRM_SIGN_UP, FORGOT_PASSWORD, SIGN_UP };

export function signUp(input: Record<string, unknown>) {
  return { query: SIGN_UP, variables: { input } };
}

/** The password every test user signs up with. */
export const TEST_PASSWORD = 'correct-horse-battery';

/** A sign-up of `username` with these attributes, e.g. `{ email: 'jane@example.com' }`. */
export function signUpWith(username: string, attributes: Record<string, string>) {
  return signUp({
    username,
    password: TEST_PASSWORD,
    userAttributes: Object.entries(attributes).map(([name, value]) => ({ name, value })),
  });
}

export function confirmSignUp(input: Record<string, unknown>) {
  return { query: CONFIRM_SIGN_UP, variables: { input } };
}

export function forgotPassword(input: Record<string, unknown>) {
  return { query: FORGOT_PASSWORD, variables: { input } };
}

export function confirmForgotPassword(input: Record<string, unknown>) {
  return { query: CONFIRM_FORGOT_PASSWORD, variables: { input } };
}

export function signIn(input: Record<string, unknown>) {
  return { query: SIGN_IN, variables: { input } };
}

export function respondToSignInChallenge(input: Record<string, unknown>) {
  return { query: RESPOND_TO_SIGN_IN_CHALLENGE, variables: { input } };
}

export function refreshTokens(input?: Record<string, unknown>) {
  return { query: REFRESH_TOKENS, variables: input ? { input } : {} };
}

export function signOut(input?: Record<string, unknown>) {
  return { query: SIGN_OUT, variables: input ? { input } : {} };
}
