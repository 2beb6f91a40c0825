// confirmForgotPassword: only wiring; the call is described in call.ts and run by the shared pipeline.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CallContext, UserPoolCalls } from '../pipeline';
import { confirmForgotPasswordCall } from './call';
import { ConfirmForgotPasswordInput } from './input';
import { ConfirmForgotPasswordPayload } from './payload';

@Resolver()
export class ConfirmForgotPasswordResolver {
  constructor(private readonly calls: UserPoolCalls) {}

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
