// The stand-in's data model: pools, clients, users, codes and the calls it recorded. The services a target
// may depend on are in services.ts, which builds on these types (so the store can use them without a circle).
import type { IncomingHttpHeaders } from 'node:http';

export type VerifiableAttribute = 'email' | 'phone_number';
// Attributes a pool may let users sign in by besides their username (CreateUserPool's AliasAttributes).
export type AliasAttribute = VerifiableAttribute | 'preferred_username';
export type DeliveryMedium = 'EMAIL' | 'SMS';
export type UserStatus = 'UNCONFIRMED' | 'CONFIRMED';

// Where ForgotPassword sends a reset code, among the user's *verified* email and phone number. 'legacy' is what
// Cognito does for a pool created without AccountRecoverySetting: a verified phone first, else a verified
// email (https://docs.aws.amazon.com/cognito/latest/developerguide/how-to-recover-a-user-account.html). The
// others are the settings of AccountRecoverySetting: '-first' has the other one as a fallback, '-only' none.
// Without MFA in the stand-in, 'legacy' and 'phone-first' send alike.
export type AccountRecovery = 'email-first' | 'phone-first' | 'email-only' | 'phone-only' | 'legacy';

export interface UserPool {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly arn: string;
  readonly autoVerifiedAttributes: readonly VerifiableAttribute[];
  readonly usernameCaseSensitive: boolean;
  // UsernameAttributes: users sign up with one of these as their Username, and their real username is a
  // generated `sub`. Empty in a pool with ordinary usernames.
  readonly usernameAttributes: readonly VerifiableAttribute[];
  // AliasAttributes: users have an ordinary username and may also be named by one of these once it is verified
  // (preferred_username: once they are confirmed). Never both kinds in one pool.
  readonly aliasAttributes: readonly AliasAttribute[];
  // Real Cognito keeps this on the app client; the stand-in also allows a pool-wide default so a test can
  // flip it for every client at once. A client's own setting wins.
  readonly preventUserExistenceErrors: boolean;
  readonly passwordMinimumLength: number;
  readonly accountRecovery: AccountRecovery;
  readonly createdAt: Date;
}

// One of an app client's active secrets. Cognito ids them `<client id>--<creation epoch ms>`.
export interface ClientSecretEntry {
  readonly id: string;
  readonly value: string;
  readonly createdAt: Date;
}

export interface AppClient {
  readonly clientId: string;
  // Absent for a client made without a secret; otherwise one or two (during a rotation), oldest first.
  readonly secrets?: readonly ClientSecretEntry[];
  readonly poolId: string;
  readonly name: string;
  readonly preventUserExistenceErrors?: boolean;
  readonly createdAt: Date;
}

export interface PendingCode {
  readonly code: string;
  readonly issuedAt: Date;
  // Confirming with this code verifies this attribute (sets `<attribute>_verified`).
  readonly attribute: VerifiableAttribute;
}

// A password-reset code from ForgotPassword: separate from the sign-up code, so neither replaces the other.
export interface PendingPasswordReset {
  readonly code: string;
  readonly issuedAt: Date;
  // Wrong codes tried against this one; a new ForgotPassword starts again from zero.
  failedAttempts: number;
}

export interface User {
  // As given at sign-up; lookups in a case-insensitive pool go through Store's key, never this field.
  readonly username: string;
  readonly sub: string;
  status: UserStatus;
  readonly attributes: Map<string, string>;
  readonly createdAt: Date;
  lastModifiedAt: Date;
  pendingCode?: PendingCode;
  // See passwords.ts; set at sign-up, replaced by ConfirmForgotPassword.
  passwordHash: string;
  pendingPasswordReset?: PendingPasswordReset;
}

export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: DeliveryMedium;
  AttributeName: VerifiableAttribute;
}

export interface RecordedCall {
  // The raw X-Amz-Target header ('' when absent), e.g. 'AWSCognitoIdentityProviderService.SignUp'.
  target: string;
  // The part after the service prefix, e.g. 'SignUp' ('' when the target is not Cognito's).
  action: string;
  headers: IncomingHttpHeaders;
  // Parsed JSON body, or undefined when it was not JSON.
  body: unknown;
  rawBody: string;
}

export type JsonObject = Record<string, unknown>;

// Per-request facts that come from the HTTP envelope rather than the JSON body.
export interface RequestContext {
  region: string;
}
