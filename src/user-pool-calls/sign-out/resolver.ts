// signOut: revokes the session's refresh token through the one CallRunner and clears the cookie. Signing out
// without a session (or with one Cognito no longer takes) succeeds; after an outage the cookie stays, so that
// the user can try again.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { ErrorCode, errorCodeOf } from '../../errors';
import type { CallRunner } from '../call-runner';
import { keptTokenInput } from '../shared/kept-token.input';
import type { CallContext } from '../user-pool-call';
import { signOutCall } from './call';
import { SignOutInput } from './input';
import { SignOutPayload } from './payload';

@Resolver()
export class SignOutResolver {
  constructor(private readonly calls: CallRunner) {}

  @Mutation((_returns) => SignOutPayload, {
    description:
      'Revokes the refresh token in the cookie (and the access tokens it issued) and clears the cookie.',
  })
  async signOut(
    @Arg('input', (_type) => SignOutInput, { nullable: true }) input: SignOutInput | null,
    @Ctx() ctx: CallContext,
  ): Promise<SignOutPayload> {
    const payload = new SignOutPayload();
    payload.signedOut = true;
    let kept: ReturnType<CallContext['session']['current']>;
    try {
      kept = ctx.session.current(input?.refreshToken);
    } catch (error) {
      if (errorCodeOf(error) === ErrorCode.NOT_SIGNED_IN) return payload;
      throw error;
    }
    try {
      await this.calls.run(signOutCall, keptTokenInput(kept, input?.clientMetadata), ctx);
    } catch (error) {
      if (errorCodeOf(error) !== ErrorCode.NOT_SIGNED_IN) throw error;
    }
    ctx.session.end();
    return payload;
  }
}
