// The answer of signIn and respondToSignInChallenge: tokens once the user is signed in, otherwise the next step
// Cognito asks for. The refresh token is never a field here unless REFRESH_TOKEN_IN_PAYLOAD is on (native
// apps): in a browser it lives only in the sealed HttpOnly cookie.
import { Field, Int, ObjectType } from 'type-graphql';
import { CodeDeliveryDetails } from './code-delivery-details.type';
import { SignInChallenge } from './sign-in-challenge.enum';

@ObjectType({ description: "The user's tokens from Cognito. Answers that carry them are never cached." })
export class AuthTokens {
  @Field((_type) => String, { description: 'For calls to your APIs (Authorization: Bearer ...).' })
  accessToken: string;

  @Field((_type) => String, {
    description: "The user's identity claims (email, sub, ...), signed by the pool.",
  })
  idToken: string;

  @Field((_type) => Int, { description: 'Seconds until the access and ID tokens expire.' })
  expiresIn: number;

  @Field((_type) => String, { description: 'Always "Bearer".' })
  tokenType: string;

  @Field((_type) => String, {
    nullable: true,
    description:
      'Only with REFRESH_TOKEN_IN_PAYLOAD (native apps): the refresh token. Null for browsers, which keep it in ' +
      'the sealed HttpOnly cookie the gateway sets.',
  })
  refreshToken?: string | null;
}

@ObjectType({ description: 'What the user must do next to finish signing in.' })
export class SignInNextStep {
  @Field((_type) => SignInChallenge)
  challenge: SignInChallenge;

  @Field((_type) => String, {
    description: 'Send it back with respondToSignInChallenge; valid for a few minutes and one answer.',
  })
  session: string;

  @Field((_type) => String, {
    description:
      'The username to send back with respondToSignInChallenge (the pool may name the user otherwise than they typed).',
  })
  username: string;

  @Field((_type) => [SignInChallenge], {
    nullable: true,
    description: 'SELECT_CHALLENGE: the ways to sign in that Cognito offers this user.',
  })
  availableChallenges?: SignInChallenge[] | null;

  @Field((_type) => CodeDeliveryDetails, {
    nullable: true,
    description: 'SMS_MFA, EMAIL_OTP, SMS_OTP: where the code went (masked).',
  })
  codeDeliveryDetails?: CodeDeliveryDetails | null;

  @Field((_type) => [String], {
    nullable: true,
    description: 'NEW_PASSWORD_REQUIRED: attributes the user must give with the new password.',
  })
  requiredAttributes?: string[] | null;
}

@ObjectType({ description: 'Either tokens (signed in) or the next step, never both.' })
export class SignInPayload {
  @Field((_type) => AuthTokens, { nullable: true })
  tokens?: AuthTokens | null;

  @Field((_type) => SignInNextStep, { nullable: true })
  nextStep?: SignInNextStep | null;
}
