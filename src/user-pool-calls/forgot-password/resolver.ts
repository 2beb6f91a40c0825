// forgotPassword: only wiring; the call is described in call.ts and run by the shared pipeline.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CallContext, UserPoolCalls } from '../pipeline';
import { forgotPasswordCall } from './call';
import { ForgotPasswordInput } from './input';
import { ForgotPasswordPayload } from './payload';

@Resolver()
export class ForgotPasswordResolver {
  constructor(private readonly calls: UserPoolCalls) {}

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
