// The GraphQL requests tests send, built on the documents in src/user-pool-calls/operations.ts.
import { CONFIRM_SIGN_UP, SIGN_UP } from '../../src/user-pool-calls/operations';

export { CONFIRM_SIGN_UP, SIGN_UP };

export function signUp(input: Record<string, unknown>) {
  return { query: SIGN_UP, variables: { input } };
}

export function confirmSignUp(input: Record<string, unknown>) {
  return { query: CONFIRM_SIGN_UP, variables: { input } };
}
