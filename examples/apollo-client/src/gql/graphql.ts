/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** A name/value pair, such as { name: "email", value: "jane@example.com" }. */
export type AttributeInput = {
  /** 1 to 32 characters; custom attributes start with "custom:". */
  name: string;
  /** At most 2048 characters. */
  value: string;
};

/** A key/value pair passed to the user pool's Lambda triggers as ClientMetadata. */
export type ClientMetadataEntryInput = {
  /** 1 to 64 characters. */
  key: string;
  /** At most 1024 characters. */
  value: string;
};

/** The reset code a user received, and their new password. */
export type ConfirmForgotPasswordInput = {
  /** Passed to the pool's Lambda triggers; at most 20 entries with distinct keys. */
  clientMetadata?: Array<ClientMetadataEntryInput> | null | undefined;
  /** The code from the email or SMS. */
  confirmationCode: string;
  /** The new password: at most 256 characters; the pool's password policy applies. */
  password: string;
  userContextData?: UserContextDataInput | null | undefined;
  /** The username; where the pool allows it, the email or phone number used as one. */
  username: string;
};

/** The code a user received, to confirm their sign-up. */
export type ConfirmSignUpInput = {
  /** Passed to the pool's Lambda triggers; at most 20 entries with distinct keys. */
  clientMetadata?: Array<ClientMetadataEntryInput> | null | undefined;
  /** The code from the email or SMS. */
  confirmationCode: string;
  /** Move the email or phone alias to this user even if another user has it (otherwise ALIAS_EXISTS). */
  forceAliasCreation?: boolean | null | undefined;
  userContextData?: UserContextDataInput | null | undefined;
  /** The username; where the pool allows it, the email or phone number used as one. */
  username: string;
};

/** How Cognito delivered the code. */
export type DeliveryMedium =
  | 'EMAIL'
  | 'SMS';

/** The user who forgot their password. */
export type ForgotPasswordInput = {
  /** A solved proof-of-work challenge (from GET /challenge, as the ALTCHA widget sends it), needed when the gateway answers CHALLENGE_REQUIRED; each one answers one call. At most 4096 characters; ignored when no challenge is needed. */
  challengeResponse?: string | null | undefined;
  /** Passed to the pool's Lambda triggers; at most 20 entries with distinct keys. */
  clientMetadata?: Array<ClientMetadataEntryInput> | null | undefined;
  userContextData?: UserContextDataInput | null | undefined;
  /** The username; where the pool allows it, the email or phone number used as one. */
  username: string;
};

/** Optional: ClientMetadata, and for native apps the sealed refresh token. */
export type RefreshTokensInput = {
  /** Passed to the pool's Lambda triggers; at most 20 entries with distinct keys. */
  clientMetadata?: Array<ClientMetadataEntryInput> | null | undefined;
  /** Only with REFRESH_TOKEN_IN_PAYLOAD (native apps): tokens.refreshToken as signIn answered it. Ignored otherwise. */
  refreshToken?: string | null | undefined;
};

/** Who should receive a new confirmation code. */
export type ResendConfirmationCodeInput = {
  /** A solved proof-of-work challenge (from GET /challenge, as the ALTCHA widget sends it), needed when the gateway answers CHALLENGE_REQUIRED; each one answers one call. At most 4096 characters; ignored when no challenge is needed. */
  challengeResponse?: string | null | undefined;
  /** Passed to the pool's Lambda triggers; at most 20 entries with distinct keys. */
  clientMetadata?: Array<ClientMetadataEntryInput> | null | undefined;
  userContextData?: UserContextDataInput | null | undefined;
  /** The username; where the pool allows it, the email or phone number used as one. */
  username: string;
};

/** The answer to signIn's nextStep. */
export type RespondToSignInChallengeInput = {
  /** SELECT_CHALLENGE: the factor chosen among availableChallenges (PASSWORD, EMAIL_OTP or SMS_OTP). */
  answer?: SignInChallenge | null | undefined;
  /** nextStep.challenge, as signIn answered it. */
  challenge: SignInChallenge;
  /** A solved proof-of-work challenge (from GET /challenge, as the ALTCHA widget sends it), needed when the gateway answers CHALLENGE_REQUIRED; each one answers one call. At most 4096 characters; ignored when no challenge is needed. */
  challengeResponse?: string | null | undefined;
  /** Passed to the pool's Lambda triggers; at most 20 entries with distinct keys. */
  clientMetadata?: Array<ClientMetadataEntryInput> | null | undefined;
  /** SMS_MFA, EMAIL_OTP, SMS_OTP, SOFTWARE_TOKEN_MFA: the code the user received or their app shows. */
  code?: string | null | undefined;
  /** NEW_PASSWORD_REQUIRED: the user's new password (the pool's password policy applies). */
  newPassword?: string | null | undefined;
  /** SELECT_CHALLENGE with answer PASSWORD: the password. */
  password?: string | null | undefined;
  /** nextStep.session, as signIn answered it. */
  session: string;
  /** NEW_PASSWORD_REQUIRED: values for nextStep.requiredAttributes. */
  userAttributes?: Array<AttributeInput> | null | undefined;
  userContextData?: UserContextDataInput | null | undefined;
  /** The username; where the pool allows it, the email or phone number used as one. */
  username: string;
};

/** What the pool asks next. respondToSignInChallenge answers NEW_PASSWORD_REQUIRED, SMS_MFA, EMAIL_OTP, SMS_OTP, SOFTWARE_TOKEN_MFA and SELECT_CHALLENGE; PASSWORD, EMAIL_OTP and SMS_OTP also appear as factors offered by SELECT_CHALLENGE. The others need flows the gateway does not run (SRP, passkeys, custom challenges, MFA set-up). */
export type SignInChallenge =
  | 'CUSTOM_CHALLENGE'
  | 'DEVICE_SRP_AUTH'
  /** A code was sent by email. */
  | 'EMAIL_OTP'
  | 'MFA_SETUP'
  /** The user signed in with a temporary password and must choose one. */
  | 'NEW_PASSWORD_REQUIRED'
  /** Sign in with the password (a factor of SELECT_CHALLENGE). */
  | 'PASSWORD'
  | 'PASSWORD_SRP'
  /** The user chooses how to sign in, among availableChallenges. */
  | 'SELECT_CHALLENGE'
  | 'SELECT_MFA_TYPE'
  /** A code was sent by SMS (multi-factor authentication). */
  | 'SMS_MFA'
  /** A one-time sign-in code was sent by SMS. */
  | 'SMS_OTP'
  /** A code from the user's authenticator app is needed. */
  | 'SOFTWARE_TOKEN_MFA'
  /** A challenge name this gateway does not know. */
  | 'UNSUPPORTED'
  | 'WEB_AUTHN';

/** How the user signs in: with the password, or with a one-time code sent by email or by SMS. */
export type SignInFactor =
  /** A one-time code sent to the user's verified email address. */
  | 'EMAIL_OTP'
  /** The user's password (give password). */
  | 'PASSWORD'
  /** A one-time code sent by SMS to the user's verified phone number. */
  | 'SMS_OTP';

/** Sign in with the password, with the session confirmSignUp answered, with a one-time code (preferredChallenge EMAIL_OTP or SMS_OTP), or with the username alone to be offered the factors the pool has for the user. */
export type SignInInput = {
  /** A solved proof-of-work challenge (from GET /challenge, as the ALTCHA widget sends it), needed when the gateway answers CHALLENGE_REQUIRED; each one answers one call. At most 4096 characters; ignored when no challenge is needed. */
  challengeResponse?: string | null | undefined;
  /** Passed to the pool's Lambda triggers; at most 20 entries with distinct keys. */
  clientMetadata?: Array<ClientMetadataEntryInput> | null | undefined;
  /** The user's password. */
  password?: string | null | undefined;
  /** The factor the user chose (needs COGNITO_SIGN_IN_FLOW=USER_AUTH): EMAIL_OTP or SMS_OTP sends a one-time code (answer it with respondToSignInChallenge), PASSWORD goes with password. Without it and without password or session, the answer is SELECT_CHALLENGE with the factors the pool offers. A factor the user cannot use also answers SELECT_CHALLENGE. */
  preferredChallenge?: SignInFactor | null | undefined;
  /** The session confirmSignUp answered: signs the user in once, within a few minutes of confirming, without a second code (needs COGNITO_SIGN_IN_FLOW=USER_AUTH). */
  session?: string | null | undefined;
  userContextData?: UserContextDataInput | null | undefined;
  /** The username; where the pool allows it, the email or phone number used as one. */
  username: string;
};

/** Optional: ClientMetadata, and for native apps the sealed refresh token. */
export type SignOutInput = {
  /** Passed to the pool's Lambda triggers; at most 20 entries with distinct keys. */
  clientMetadata?: Array<ClientMetadataEntryInput> | null | undefined;
  /** Only with REFRESH_TOKEN_IN_PAYLOAD (native apps): tokens.refreshToken as signIn answered it. Ignored otherwise. */
  refreshToken?: string | null | undefined;
};

/** A new user: username, password and attributes. */
export type SignUpInput = {
  /** A solved proof-of-work challenge (from GET /challenge, as the ALTCHA widget sends it), needed when the gateway answers CHALLENGE_REQUIRED; each one answers one call. At most 4096 characters; ignored when no challenge is needed. */
  challengeResponse?: string | null | undefined;
  /** Passed to the pool's Lambda triggers; at most 20 entries with distinct keys. */
  clientMetadata?: Array<ClientMetadataEntryInput> | null | undefined;
  /** At most 256 characters; the pool's password policy applies. */
  password: string;
  /** User attributes, such as email, phone_number or custom:team; required ones per the pool. */
  userAttributes?: Array<AttributeInput> | null | undefined;
  userContextData?: UserContextDataInput | null | undefined;
  /** The username; where the pool allows it, the email or phone number used as one. */
  username: string;
  /** Passed to the pool's pre sign-up Lambda trigger only; not stored. */
  validationData?: Array<AttributeInput> | null | undefined;
};

/** Context data for Cognito threat protection. */
export type UserContextDataInput = {
  /** The string from Cognito's advanced-security script (AmazonCognitoAdvancedSecurityData.getData). */
  encodedData: string;
};

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { __typename: 'Mutation', signUp: { __typename: 'SignUpPayload', userConfirmed: boolean, userSub: string, codeDeliveryDetails: { __typename: 'CodeDeliveryDetails', destination: string | null, deliveryMedium: DeliveryMedium | null, attributeName: string | null } | null } };

export type ResendConfirmationCodeMutationVariables = Exact<{
  input: ResendConfirmationCodeInput;
}>;


export type ResendConfirmationCodeMutation = { __typename: 'Mutation', resendConfirmationCode: { __typename: 'ResendConfirmationCodePayload', codeDeliveryDetails: { __typename: 'CodeDeliveryDetails', destination: string | null, deliveryMedium: DeliveryMedium | null, attributeName: string | null } } };

export type ConfirmSignUpMutationVariables = Exact<{
  input: ConfirmSignUpInput;
}>;


export type ConfirmSignUpMutation = { __typename: 'Mutation', confirmSignUp: { __typename: 'ConfirmSignUpPayload', confirmed: boolean, session: string | null } };

export type ForgotPasswordMutationVariables = Exact<{
  input: ForgotPasswordInput;
}>;


export type ForgotPasswordMutation = { __typename: 'Mutation', forgotPassword: { __typename: 'ForgotPasswordPayload', codeDeliveryDetails: { __typename: 'CodeDeliveryDetails', destination: string | null, deliveryMedium: DeliveryMedium | null, attributeName: string | null } } };

export type ConfirmForgotPasswordMutationVariables = Exact<{
  input: ConfirmForgotPasswordInput;
}>;


export type ConfirmForgotPasswordMutation = { __typename: 'Mutation', confirmForgotPassword: { __typename: 'ConfirmForgotPasswordPayload', passwordChanged: boolean } };

export type SignInPayloadFieldsFragment = { __typename: 'SignInPayload', tokens: { __typename: 'AuthTokens', accessToken: string, idToken: string, expiresIn: number, tokenType: string, refreshToken: string | null } | null, nextStep: { __typename: 'SignInNextStep', challenge: SignInChallenge, session: string, username: string, availableChallenges: Array<SignInChallenge> | null, requiredAttributes: Array<string> | null, codeDeliveryDetails: { __typename: 'CodeDeliveryDetails', destination: string | null, deliveryMedium: DeliveryMedium | null, attributeName: string | null } | null } | null };

export type SignInMutationVariables = Exact<{
  input: SignInInput;
}>;


export type SignInMutation = { __typename: 'Mutation', signIn: { __typename: 'SignInPayload', tokens: { __typename: 'AuthTokens', accessToken: string, idToken: string, expiresIn: number, tokenType: string, refreshToken: string | null } | null, nextStep: { __typename: 'SignInNextStep', challenge: SignInChallenge, session: string, username: string, availableChallenges: Array<SignInChallenge> | null, requiredAttributes: Array<string> | null, codeDeliveryDetails: { __typename: 'CodeDeliveryDetails', destination: string | null, deliveryMedium: DeliveryMedium | null, attributeName: string | null } | null } | null } };

export type RespondToSignInChallengeMutationVariables = Exact<{
  input: RespondToSignInChallengeInput;
}>;


export type RespondToSignInChallengeMutation = { __typename: 'Mutation', respondToSignInChallenge: { __typename: 'SignInPayload', tokens: { __typename: 'AuthTokens', accessToken: string, idToken: string, expiresIn: number, tokenType: string, refreshToken: string | null } | null, nextStep: { __typename: 'SignInNextStep', challenge: SignInChallenge, session: string, username: string, availableChallenges: Array<SignInChallenge> | null, requiredAttributes: Array<string> | null, codeDeliveryDetails: { __typename: 'CodeDeliveryDetails', destination: string | null, deliveryMedium: DeliveryMedium | null, attributeName: string | null } | null } | null } };

export type RefreshTokensMutationVariables = Exact<{
  input?: RefreshTokensInput | null | undefined;
}>;


export type RefreshTokensMutation = { __typename: 'Mutation', refreshTokens: { __typename: 'RefreshTokensPayload', tokens: { __typename: 'AuthTokens', accessToken: string, idToken: string, expiresIn: number, tokenType: string, refreshToken: string | null } } };

export type SignOutMutationVariables = Exact<{
  input?: SignOutInput | null | undefined;
}>;


export type SignOutMutation = { __typename: 'Mutation', signOut: { __typename: 'SignOutPayload', signedOut: boolean } };

export const SignInPayloadFieldsFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignInPayloadFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SignInPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"tokens"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"idToken"}},{"kind":"Field","name":{"kind":"Name","value":"expiresIn"}},{"kind":"Field","name":{"kind":"Name","value":"tokenType"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nextStep"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"challenge"}},{"kind":"Field","name":{"kind":"Name","value":"session"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"availableChallenges"}},{"kind":"Field","name":{"kind":"Name","value":"requiredAttributes"}},{"kind":"Field","name":{"kind":"Name","value":"codeDeliveryDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryMedium"}},{"kind":"Field","name":{"kind":"Name","value":"attributeName"}}]}}]}}]}}]} as unknown as DocumentNode<SignInPayloadFieldsFragment, unknown>;
export const SignUpDocument = {"__meta__":{"hash":"sha256:c0cb9f06602d3b777914cb91723d4ef1c6cb264e9698087caa2cc27e1eb876da"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignUp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SignUpInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"signUp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"userConfirmed"}},{"kind":"Field","name":{"kind":"Name","value":"userSub"}},{"kind":"Field","name":{"kind":"Name","value":"codeDeliveryDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryMedium"}},{"kind":"Field","name":{"kind":"Name","value":"attributeName"}}]}}]}}]}}]} as unknown as DocumentNode<SignUpMutation, SignUpMutationVariables>;
export const ResendConfirmationCodeDocument = {"__meta__":{"hash":"sha256:9268eba8d9df1b4c1753b5e8f0eab8a592b74bf3c8533f9cb7966b0a9ac8746f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResendConfirmationCode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ResendConfirmationCodeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"resendConfirmationCode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"codeDeliveryDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryMedium"}},{"kind":"Field","name":{"kind":"Name","value":"attributeName"}}]}}]}}]}}]} as unknown as DocumentNode<ResendConfirmationCodeMutation, ResendConfirmationCodeMutationVariables>;
export const ConfirmSignUpDocument = {"__meta__":{"hash":"sha256:0d1312a9fcfac6cc73bf23a503960c52c21ebe75c8eaf3c401fafea5c26f295a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConfirmSignUp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConfirmSignUpInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"confirmSignUp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"confirmed"}},{"kind":"Field","name":{"kind":"Name","value":"session"}}]}}]}}]} as unknown as DocumentNode<ConfirmSignUpMutation, ConfirmSignUpMutationVariables>;
export const ForgotPasswordDocument = {"__meta__":{"hash":"sha256:bf120656438a28fd91387d0fccaa94324b7e5834511492593002d140496938c0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ForgotPassword"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ForgotPasswordInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"forgotPassword"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"codeDeliveryDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryMedium"}},{"kind":"Field","name":{"kind":"Name","value":"attributeName"}}]}}]}}]}}]} as unknown as DocumentNode<ForgotPasswordMutation, ForgotPasswordMutationVariables>;
export const ConfirmForgotPasswordDocument = {"__meta__":{"hash":"sha256:3053551f7f335a029e2886f8beb5ef238d15f5ff3e157c671681aff8990169d3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConfirmForgotPassword"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConfirmForgotPasswordInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"confirmForgotPassword"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"passwordChanged"}}]}}]}}]} as unknown as DocumentNode<ConfirmForgotPasswordMutation, ConfirmForgotPasswordMutationVariables>;
export const SignInDocument = {"__meta__":{"hash":"sha256:aaf4b8f0cb5d1a74d78d6661ececb429652c12213c7c221d42839c45c3b15087"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignIn"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SignInInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"signIn"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SignInPayloadFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignInPayloadFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SignInPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"tokens"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"idToken"}},{"kind":"Field","name":{"kind":"Name","value":"expiresIn"}},{"kind":"Field","name":{"kind":"Name","value":"tokenType"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nextStep"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"challenge"}},{"kind":"Field","name":{"kind":"Name","value":"session"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"availableChallenges"}},{"kind":"Field","name":{"kind":"Name","value":"requiredAttributes"}},{"kind":"Field","name":{"kind":"Name","value":"codeDeliveryDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryMedium"}},{"kind":"Field","name":{"kind":"Name","value":"attributeName"}}]}}]}}]}}]} as unknown as DocumentNode<SignInMutation, SignInMutationVariables>;
export const RespondToSignInChallengeDocument = {"__meta__":{"hash":"sha256:972fab6fe64dcc6f43ef72ab94e984da7237494f84dd5882058730470e0dc0f7"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RespondToSignInChallenge"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RespondToSignInChallengeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"respondToSignInChallenge"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"FragmentSpread","name":{"kind":"Name","value":"SignInPayloadFields"}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"SignInPayloadFields"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"SignInPayload"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"tokens"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"idToken"}},{"kind":"Field","name":{"kind":"Name","value":"expiresIn"}},{"kind":"Field","name":{"kind":"Name","value":"tokenType"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nextStep"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"challenge"}},{"kind":"Field","name":{"kind":"Name","value":"session"}},{"kind":"Field","name":{"kind":"Name","value":"username"}},{"kind":"Field","name":{"kind":"Name","value":"availableChallenges"}},{"kind":"Field","name":{"kind":"Name","value":"requiredAttributes"}},{"kind":"Field","name":{"kind":"Name","value":"codeDeliveryDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryMedium"}},{"kind":"Field","name":{"kind":"Name","value":"attributeName"}}]}}]}}]}}]} as unknown as DocumentNode<RespondToSignInChallengeMutation, RespondToSignInChallengeMutationVariables>;
export const RefreshTokensDocument = {"__meta__":{"hash":"sha256:18f8be9f18e1e8ec829e724f5b6c868bce9f64517781b4d7ff39e87622ae4ddf"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RefreshTokens"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"RefreshTokensInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"refreshTokens"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"tokens"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"accessToken"}},{"kind":"Field","name":{"kind":"Name","value":"idToken"}},{"kind":"Field","name":{"kind":"Name","value":"expiresIn"}},{"kind":"Field","name":{"kind":"Name","value":"tokenType"}},{"kind":"Field","name":{"kind":"Name","value":"refreshToken"}}]}}]}}]}}]} as unknown as DocumentNode<RefreshTokensMutation, RefreshTokensMutationVariables>;
export const SignOutDocument = {"__meta__":{"hash":"sha256:85472a229619b27f034cdc184738cf7eface0855085e5770e8ba0046450ebba9"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignOut"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"SignOutInput"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"signOut"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"signedOut"}}]}}]}}]} as unknown as DocumentNode<SignOutMutation, SignOutMutationVariables>;