// The result of refreshTokens.
import { Field, ObjectType } from 'type-graphql';
import { AuthTokens } from '../shared/sign-in-payload.type';

@ObjectType({ description: 'New access and ID tokens; a rotated refresh token went into the cookie.' })
export class RefreshTokensPayload {
  @Field((_type) => AuthTokens)
  tokens: AuthTokens;
}
