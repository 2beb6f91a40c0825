// The GraphQL operations tests send, with every payload field selected.
export const SIGN_UP = `mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    userConfirmed userSub codeDeliveryDetails { destination deliveryMedium attributeName }
  }
}`;

export const CONFIRM_SIGN_UP = `mutation Confirm($input: ConfirmSignUpInput!) {
  confirmSignUp(input: $input) { confirmed }
}`;

export function signUp(input: Record<string, unknown>) {
  return { query: SIGN_UP, variables: { input } };
}

export function confirmSignUp(input: Record<string, unknown>) {
  return { query: CONFIRM_SIGN_UP, variables: { input } };
}
