// The GraphQL documents for each public call, with every payload field selected: written once, and used by
// the local start-up banner, the bench and the tests, so that a renamed field breaks them all together.
export const SIGN_UP = `mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    userConfirmed userSub codeDeliveryDetails { destination deliveryMedium attributeName }
  }
}`;

export const RESEND_CONFIRMATION_CODE = `mutation Resend($input: ResendConfirmationCodeInput!) {
  resendConfirmationCode(input: $input) { codeDeliveryDetails { destination deliveryMedium attributeName } }
}`;

export const CONFIRM_SIGN_UP = `mutation Confirm($input: ConfirmSignUpInput!) {
  confirmSignUp(input: $input) { confirmed }
}`;

export const FORGOT_PASSWORD = `mutation ForgotPassword($input: ForgotPasswordInput!) {
  forgotPassword(input: $input) { codeDeliveryDetails { destination deliveryMedium attributeName } }
}`;

export const CONFIRM_FORGOT_PASSWORD = `mutation ConfirmForgotPassword($input: ConfirmForgotPasswordInput!) {
  confirmForgotPassword(input: $input) { passwordChanged }
}`;

/** Not a user-pool call: what a frontend asks first, to know whether to load the challenge widget. */
export const SERVICE_INFO = `query ServiceInfo {
  serviceInfo { challengeMode }
}`;

/** A document on one line, for a curl command or a JSON body typed by hand. */
export function oneLine(document: string): string {
  return document.replace(/\s+/g, ' ');
}
