// refreshTokens: the session's refresh token (cookie, or for native apps the input) through the one
// CallRunner; a rotated token replaces the old in the cookie, and one Cognito no longer takes ends the session.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { ErrorCode, errorCodeOf } from '../../errors';
import type { CallRunner } from '../call-runner';
import { keptTokenInput } from '../shared/kept-token.input';
import type { CallContext } from '../user-pool-call';
import { refreshTokensCall } from './call';
import { RefreshTokensInput } from './input';
import { RefreshTokensPayload } from './payload';

@Resolver()
export class RefreshTokensResolver {
  constructor(private readonly calls: CallRunner) {}

  @Mutation((_returns) => RefreshTokensPayload, {
    description:
      'New access and ID tokens from the refresh token in the HttpOnly cookie signIn set. NOT_SIGNED_IN when there is none, or it was revoked or has expired.',
  })
  async refreshTokens(
    @Arg('input', (_type) => RefreshTokensInput, { nullable: true }) input: RefreshTokensInput | null,
    @Ctx() ctx: CallContext,
  ): Promise<RefreshTokensPayload> {
    const kept = ctx.session.current(input?.refreshToken);
    const outcome = await this.calls
      .run(refreshTokensCall, keptTokenInput(kept, input?.clientMetadata), ctx)
      .catch((error: unknown) => {
        if (errorCodeOf(error) === ErrorCode.NOT_SIGNED_IN) ctx.session.end();
        throw error;
      });
    // Without rotation Cognito answers no refresh token, and the cookie stays as it is.
    const refresh = outcome.refresh && {
      ...outcome.refresh,
      ...(kept.deviceKey && { deviceKey: kept.deviceKey }),
    };
    const payload = new RefreshTokensPayload();
    const tokens = ctx.session.deliver({ ...outcome, ...(refresh && { refresh }) }).tokens;
    if (!tokens) throw new Error('Cognito answered a token refresh without tokens');
    payload.tokens = tokens;
    return payload;
  }
}
