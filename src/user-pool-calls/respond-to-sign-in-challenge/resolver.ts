// respondToSignInChallenge: only wiring, as signIn (choosing a one-time code runs the call that sends one).
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CallRunner } from '../call-runner';
import { SignInPayload } from '../shared/sign-in-payload.type';
import type { CallContext } from '../user-pool-call';
import { choosesCode, respondToSignInChallengeCall, selectSignInCodeCall } from './call';
import { RespondToSignInChallengeInput } from './input';

@Resolver()
export class RespondToSignInChallengeResolver {
  constructor(private readonly calls: CallRunner) {}

  @Mutation((_returns) => SignInPayload, {
    description:
      "Answers signIn's nextStep (a code, a new password, or the factor chosen); answers like signIn.",
  })
  async respondToSignInChallenge(
    @Arg('input', (_type) => RespondToSignInChallengeInput) input: RespondToSignInChallengeInput,
    @Ctx() ctx: CallContext,
  ): Promise<SignInPayload> {
    // Choosing a one-time code sends one that no secret stands behind: limited like signIn's.
    const call = choosesCode(input) ? selectSignInCodeCall : respondToSignInChallengeCall;
    return ctx.session.deliver(await this.calls.run(call, input, ctx));
  }
}
