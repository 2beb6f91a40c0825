// The optional input of refreshTokens: browsers send none (the cookie holds the session).
import { InputType } from 'type-graphql';
import { KeptTokenRequestInput } from '../shared/kept-token-request.input';

@InputType({ description: 'Optional: ClientMetadata, and for native apps the sealed refresh token.' })
export class RefreshTokensInput extends KeptTokenRequestInput {}
