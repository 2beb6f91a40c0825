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


export type ConfirmSignUpMutation = { __typename: 'Mutation', confirmSignUp: { __typename: 'ConfirmSignUpPayload', confirmed: boolean } };

export type ForgotPasswordMutationVariables = Exact<{
  input: ForgotPasswordInput;
}>;


export type ForgotPasswordMutation = { __typename: 'Mutation', forgotPassword: { __typename: 'ForgotPasswordPayload', codeDeliveryDetails: { __typename: 'CodeDeliveryDetails', destination: string | null, deliveryMedium: DeliveryMedium | null, attributeName: string | null } } };

export type ConfirmForgotPasswordMutationVariables = Exact<{
  input: ConfirmForgotPasswordInput;
}>;


export type ConfirmForgotPasswordMutation = { __typename: 'Mutation', confirmForgotPassword: { __typename: 'ConfirmForgotPasswordPayload', passwordChanged: boolean } };


export const SignUpDocument = {"__meta__":{"hash":"sha256:c0cb9f06602d3b777914cb91723d4ef1c6cb264e9698087caa2cc27e1eb876da"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SignUp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SignUpInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"signUp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"userConfirmed"}},{"kind":"Field","name":{"kind":"Name","value":"userSub"}},{"kind":"Field","name":{"kind":"Name","value":"codeDeliveryDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryMedium"}},{"kind":"Field","name":{"kind":"Name","value":"attributeName"}}]}}]}}]}}]} as unknown as DocumentNode<SignUpMutation, SignUpMutationVariables>;
export const ResendConfirmationCodeDocument = {"__meta__":{"hash":"sha256:9268eba8d9df1b4c1753b5e8f0eab8a592b74bf3c8533f9cb7966b0a9ac8746f"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResendConfirmationCode"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ResendConfirmationCodeInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"resendConfirmationCode"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"codeDeliveryDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryMedium"}},{"kind":"Field","name":{"kind":"Name","value":"attributeName"}}]}}]}}]}}]} as unknown as DocumentNode<ResendConfirmationCodeMutation, ResendConfirmationCodeMutationVariables>;
export const ConfirmSignUpDocument = {"__meta__":{"hash":"sha256:05f7e2a9a1c5c3b819a50e88f8e5506823fb1138f88dfe6859e9c617d9c0c1c0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConfirmSignUp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConfirmSignUpInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"confirmSignUp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"confirmed"}}]}}]}}]} as unknown as DocumentNode<ConfirmSignUpMutation, ConfirmSignUpMutationVariables>;
export const ForgotPasswordDocument = {"__meta__":{"hash":"sha256:bf120656438a28fd91387d0fccaa94324b7e5834511492593002d140496938c0"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ForgotPassword"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ForgotPasswordInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"forgotPassword"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"codeDeliveryDetails"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"destination"}},{"kind":"Field","name":{"kind":"Name","value":"deliveryMedium"}},{"kind":"Field","name":{"kind":"Name","value":"attributeName"}}]}}]}}]}}]} as unknown as DocumentNode<ForgotPasswordMutation, ForgotPasswordMutationVariables>;
export const ConfirmForgotPasswordDocument = {"__meta__":{"hash":"sha256:3053551f7f335a029e2886f8beb5ef238d15f5ff3e157c671681aff8990169d3"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ConfirmForgotPassword"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ConfirmForgotPasswordInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"confirmForgotPassword"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"__typename"}},{"kind":"Field","name":{"kind":"Name","value":"passwordChanged"}}]}}]}}]} as unknown as DocumentNode<ConfirmForgotPasswordMutation, ConfirmForgotPasswordMutationVariables>;