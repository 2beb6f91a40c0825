// confirmSignUp: only wiring; the call is described in call.ts and run by the one CallRunner.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CallRunner } from '../call-runner';
import type { CallContext } from '../user-pool-call';
import { confirmSignUpCall } from './call';
import { ConfirmSignUpInput } from './input';
import { ConfirmSignUpPayload } from './payload';

@Resolver()
export class ConfirmSignUpResolver {
  constructor(private readonly calls: CallRunner) {}

  @Mutation((_returns) => ConfirmSignUpPayload, {
    description: 'Confirms a user with the code they received; the newest code only, within 24 hours.',
  })
  confirmSignUp(
    @Arg('input', (_type) => ConfirmSignUpInput) input: ConfirmSignUpInput,
    @Ctx() ctx: CallContext,
  ): Promise<ConfirmSignUpPayload> {
    return this.calls.run(confirmSignUpCall, input, ctx);
  }
}
