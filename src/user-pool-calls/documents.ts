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
  confirmSignUp(input: $input) { confirmed session }
}`;

export const FORGOT_PASSWORD = `mutation ForgotPassword($input: ForgotPasswordInput!) {
  forgotPassword(input: $input) { codeDeliveryDetails { destination deliveryMedium attributeName } }
}`;

export const CONFIRM_FORGOT_PASSWORD = `mutation ConfirmForgotPassword($input: ConfirmForgotPasswordInput!) {
  confirmForgotPassword(input: $input) { passwordChanged }
}`;

const SIGN_IN_PAYLOAD = `tokens { accessToken idToken expiresIn tokenType refreshToken }
    nextStep {
      challenge session username availableChallenges requiredAttributes
      codeDeliveryDetails { destination deliveryMedium attributeName }
    }`;

export const SIGN_IN = `mutation SignIn($input: SignInInput!) {
  signIn(input: $input) {
    ${SIGN_IN_PAYLOAD}
  }
}`;

export const RESPOND_TO_SIGN_IN_CHALLENGE = `mutation RespondToSignInChallenge($input: RespondToSignInChallengeInput!) {
  respondToSignInChallenge(input: $input) {
    ${SIGN_IN_PAYLOAD}
  }
}`;

export const REFRESH_TOKENS = `mutation RefreshTokens($input: RefreshTokensInput) {
  refreshTokens(input: $input) { tokens { accessToken idToken expiresIn tokenType refreshToken } }
}`;

export const SIGN_OUT = `mutation SignOut($input: SignOutInput) {
  signOut(input: $input) { signedOut }
}`;

/** Not a user-pool call: what a frontend asks first, to know whether to load the challenge widget. */
export const SERVICE_INFO = `query ServiceInfo {
  serviceInfo { challengeMode }
}`;

/** A document on one line, for a curl command or a JSON body typed by hand. */
export function oneLine(document: string): string {
  return document.replace(/\s+/g, ' ');
}
