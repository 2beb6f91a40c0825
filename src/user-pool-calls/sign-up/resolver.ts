// signUp: only wiring; the call is described in call.ts and run by the one CallRunner.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { CallRunner } from '../call-runner';
import type { CallContext } from '../user-pool-call';
import { signUpCall } from './call';
import { SignUpInput } from './input';
import { SignUpPayload } from './payload';

@Resolver()
export class SignUpResolver {
  constructor(private readonly calls: CallRunner) {}

  @Mutation((_returns) => SignUpPayload, {
    description:
      'Registers a new, unconfirmed user and sends the first confirmation code when the pool verifies ' +
      'an attribute the user gave (email or phone number).',
  })
  signUp(
    @Arg('input', (_type) => SignUpInput) input: SignUpInput,
    @Ctx() ctx: CallContext,
  ): Promise<SignUpPayload> {
    return this.calls.run(signUpCall, input, ctx);
  }
}
