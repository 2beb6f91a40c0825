// confirmForgotPassword: only wiring; the call is described in call.ts and run by the one CallRunner.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CallRunner } from '../call-runner';
import type { CallContext } from '../user-pool-call';
import { confirmForgotPasswordCall } from './call';
import { ConfirmForgotPasswordInput } from './input';
import { ConfirmForgotPasswordPayload } from './payload';

@Resolver()
export class ConfirmForgotPasswordResolver {
  constructor(private readonly calls: CallRunner) {}

  @Mutation((_returns) => ConfirmForgotPasswordPayload, {
    description: 'Sets a new password with the reset code the user received.',
  })
  confirmForgotPassword(
    @Arg('input', (_type) => ConfirmForgotPasswordInput) input: ConfirmForgotPasswordInput,
    @Ctx() ctx: CallContext,
  ): Promise<ConfirmForgotPasswordPayload> {
    return this.calls.run(confirmForgotPasswordCall, input, ctx);
  }
}
