/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      userConfirmed\n      userSub\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation ResendConfirmationCode($input: ResendConfirmationCodeInput!) {\n    resendConfirmationCode(input: $input) {\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n": typeof types.ResendConfirmationCodeDocument,
    "\n  mutation ConfirmSignUp($input: ConfirmSignUpInput!) {\n    confirmSignUp(input: $input) {\n      confirmed\n      session\n    }\n  }\n": typeof types.ConfirmSignUpDocument,
    "\n  mutation ForgotPassword($input: ForgotPasswordInput!) {\n    forgotPassword(input: $input) {\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n": typeof types.ForgotPasswordDocument,
    "\n  mutation ConfirmForgotPassword($input: ConfirmForgotPasswordInput!) {\n    confirmForgotPassword(input: $input) {\n      passwordChanged\n    }\n  }\n": typeof types.ConfirmForgotPasswordDocument,
    "\n  fragment SignInPayloadFields on SignInPayload {\n    tokens {\n      accessToken\n      idToken\n      expiresIn\n      tokenType\n      refreshToken\n    }\n    nextStep {\n      challenge\n      session\n      username\n      availableChallenges\n      requiredAttributes\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n": typeof types.SignInPayloadFieldsFragmentDoc,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SignInPayloadFields\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation RespondToSignInChallenge($input: RespondToSignInChallengeInput!) {\n    respondToSignInChallenge(input: $input) {\n      ...SignInPayloadFields\n    }\n  }\n": typeof types.RespondToSignInChallengeDocument,
    "\n  mutation RefreshTokens($input: RefreshTokensInput) {\n    refreshTokens(input: $input) {\n      tokens {\n        accessToken\n        idToken\n        expiresIn\n        tokenType\n        refreshToken\n      }\n    }\n  }\n": typeof types.RefreshTokensDocument,
    "\n  mutation SignOut($input: SignOutInput) {\n    signOut(input: $input) {\n      signedOut\n    }\n  }\n": typeof types.SignOutDocument,
};
const documents: Documents = {
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      userConfirmed\n      userSub\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation ResendConfirmationCode($input: ResendConfirmationCodeInput!) {\n    resendConfirmationCode(input: $input) {\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n": types.ResendConfirmationCodeDocument,
    "\n  mutation ConfirmSignUp($input: ConfirmSignUpInput!) {\n    confirmSignUp(input: $input) {\n      confirmed\n      session\n    }\n  }\n": types.ConfirmSignUpDocument,
    "\n  mutation ForgotPassword($input: ForgotPasswordInput!) {\n    forgotPassword(input: $input) {\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n": types.ForgotPasswordDocument,
    "\n  mutation ConfirmForgotPassword($input: ConfirmForgotPasswordInput!) {\n    confirmForgotPassword(input: $input) {\n      passwordChanged\n    }\n  }\n": types.ConfirmForgotPasswordDocument,
    "\n  fragment SignInPayloadFields on SignInPayload {\n    tokens {\n      accessToken\n      idToken\n      expiresIn\n      tokenType\n      refreshToken\n    }\n    nextStep {\n      challenge\n      session\n      username\n      availableChallenges\n      requiredAttributes\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n": types.SignInPayloadFieldsFragmentDoc,
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SignInPayloadFields\n    }\n  }\n": types.SignInDocument,
    "\n  mutation RespondToSignInChallenge($input: RespondToSignInChallengeInput!) {\n    respondToSignInChallenge(input: $input) {\n      ...SignInPayloadFields\n    }\n  }\n": types.RespondToSignInChallengeDocument,
    "\n  mutation RefreshTokens($input: RefreshTokensInput) {\n    refreshTokens(input: $input) {\n      tokens {\n        accessToken\n        idToken\n        expiresIn\n        tokenType\n        refreshToken\n      }\n    }\n  }\n": types.RefreshTokensDocument,
    "\n  mutation SignOut($input: SignOutInput) {\n    signOut(input: $input) {\n      signedOut\n    }\n  }\n": types.SignOutDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      userConfirmed\n      userSub\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      userConfirmed\n      userSub\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResendConfirmationCode($input: ResendConfirmationCodeInput!) {\n    resendConfirmationCode(input: $input) {\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ResendConfirmationCode($input: ResendConfirmationCodeInput!) {\n    resendConfirmationCode(input: $input) {\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmSignUp($input: ConfirmSignUpInput!) {\n    confirmSignUp(input: $input) {\n      confirmed\n      session\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmSignUp($input: ConfirmSignUpInput!) {\n    confirmSignUp(input: $input) {\n      confirmed\n      session\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ForgotPassword($input: ForgotPasswordInput!) {\n    forgotPassword(input: $input) {\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ForgotPassword($input: ForgotPasswordInput!) {\n    forgotPassword(input: $input) {\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmForgotPassword($input: ConfirmForgotPasswordInput!) {\n    confirmForgotPassword(input: $input) {\n      passwordChanged\n    }\n  }\n"): (typeof documents)["\n  mutation ConfirmForgotPassword($input: ConfirmForgotPasswordInput!) {\n    confirmForgotPassword(input: $input) {\n      passwordChanged\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SignInPayloadFields on SignInPayload {\n    tokens {\n      accessToken\n      idToken\n      expiresIn\n      tokenType\n      refreshToken\n    }\n    nextStep {\n      challenge\n      session\n      username\n      availableChallenges\n      requiredAttributes\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment SignInPayloadFields on SignInPayload {\n    tokens {\n      accessToken\n      idToken\n      expiresIn\n      tokenType\n      refreshToken\n    }\n    nextStep {\n      challenge\n      session\n      username\n      availableChallenges\n      requiredAttributes\n      codeDeliveryDetails {\n        destination\n        deliveryMedium\n        attributeName\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SignInPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      ...SignInPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RespondToSignInChallenge($input: RespondToSignInChallengeInput!) {\n    respondToSignInChallenge(input: $input) {\n      ...SignInPayloadFields\n    }\n  }\n"): (typeof documents)["\n  mutation RespondToSignInChallenge($input: RespondToSignInChallengeInput!) {\n    respondToSignInChallenge(input: $input) {\n      ...SignInPayloadFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshTokens($input: RefreshTokensInput) {\n    refreshTokens(input: $input) {\n      tokens {\n        accessToken\n        idToken\n        expiresIn\n        tokenType\n        refreshToken\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RefreshTokens($input: RefreshTokensInput) {\n    refreshTokens(input: $input) {\n      tokens {\n        accessToken\n        idToken\n        expiresIn\n        tokenType\n        refreshToken\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut($input: SignOutInput) {\n    signOut(input: $input) {\n      signedOut\n    }\n  }\n"): (typeof documents)["\n  mutation SignOut($input: SignOutInput) {\n    signOut(input: $input) {\n      signedOut\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;