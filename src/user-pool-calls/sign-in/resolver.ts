// signIn: only wiring; the call is described in call.ts and run by the one CallRunner, and the request's
// session keeps the refresh token out of the payload.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CallRunner } from '../call-runner';
import { SignInPayload } from '../shared/sign-in-payload.type';
import type { CallContext } from '../user-pool-call';
import { signInCall } from './call';
import { SignInInput } from './input';

@Resolver()
export class SignInResolver {
  constructor(private readonly calls: CallRunner) {}

  @Mutation((_returns) => SignInPayload, {
    description:
      'Signs a user in with their password, or with the session confirmSignUp answered. Answers tokens, or the ' +
      'next step (respondToSignInChallenge). The refresh token goes into an HttpOnly cookie, never the payload.',
  })
  async signIn(
    @Arg('input', (_type) => SignInInput) input: SignInInput,
    @Ctx() ctx: CallContext,
  ): Promise<SignInPayload> {
    return ctx.session.deliver(await this.calls.run(signInCall, input, ctx));
  }
}
