// resendConfirmationCode: only wiring; the call is described in call.ts and run by the one CallRunner.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CallRunner } from '../call-runner';
import type { CallContext } from '../user-pool-call';
import { resendConfirmationCodeCall } from './call';
import { ResendConfirmationCodeInput } from './input';
import { ResendConfirmationCodePayload } from './payload';

@Resolver()
export class ResendConfirmationCodeResolver {
  constructor(private readonly calls: CallRunner) {}

  @Mutation((_returns) => ResendConfirmationCodePayload, {
    description:
      'Sends a new sign-up confirmation code to an unconfirmed user, replacing the previous one. ' +
      'Pools that prevent user-existence errors answer for unknown users with a simulated delivery.',
  })
  resendConfirmationCode(
    @Arg('input', (_type) => ResendConfirmationCodeInput) input: ResendConfirmationCodeInput,
    @Ctx() ctx: CallContext,
  ): Promise<ResendConfirmationCodePayload> {
    return this.calls.run(resendConfirmationCodeCall, input, ctx);
  }
}
