// forgotPassword: only wiring; the call is described in call.ts and run by the one CallRunner.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CallRunner } from '../call-runner';
import type { CallContext } from '../user-pool-call';
import { forgotPasswordCall } from './call';
import { ForgotPasswordInput } from './input';
import { ForgotPasswordPayload } from './payload';

@Resolver()
export class ForgotPasswordResolver {
  constructor(private readonly calls: CallRunner) {}

  @Mutation((_returns) => ForgotPasswordPayload, {
    description:
      'Sends a password reset code to the email or phone number the user verified. Pools that prevent ' +
      'user-existence errors answer for unknown users with a simulated delivery.',
  })
  forgotPassword(
    @Arg('input', (_type) => ForgotPasswordInput) input: ForgotPasswordInput,
    @Ctx() ctx: CallContext,
  ): Promise<ForgotPasswordPayload> {
    return this.calls.run(forgotPasswordCall, input, ctx);
  }
}
