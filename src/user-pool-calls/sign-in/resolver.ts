// signIn: only wiring; the calls are described in call.ts (which one runs depends on the way in) and run by
// the one CallRunner, and the request's session keeps the refresh token out of the payload.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CallRunner } from '../call-runner';
import { SignInPayload } from '../shared/sign-in-payload.type';
import type { CallContext } from '../user-pool-call';
import { signInCall, signInCodeCall } from './call';
import { asksForCode, SignInInput } from './input';

@Resolver()
export class SignInResolver {
  constructor(private readonly calls: CallRunner) {}

  @Mutation((_returns) => SignInPayload, {
    description:
      'Signs a user in with their password, with the session confirmSignUp answered, or with a one-time code ' +
      '(preferredChallenge EMAIL_OTP or SMS_OTP: the code is sent and answered with respondToSignInChallenge); ' +
      'with the username alone it answers the factors on offer (SELECT_CHALLENGE). Answers tokens, or the next ' +
      'step. The refresh token goes into an HttpOnly cookie, never the payload.',
  })
  async signIn(
    @Arg('input', (_type) => SignInInput) input: SignInInput,
    @Ctx() ctx: CallContext,
  ): Promise<SignInPayload> {
    // A sign-in that may send a code no secret stands behind is limited like a resend.
    const call = asksForCode(input) ? signInCodeCall : signInCall;
    return ctx.session.deliver(await this.calls.run(call, input, ctx));
  }
}
