// signUp: only wiring; the call is described in sign-up.call.ts and run by the shared pipeline.
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { GatewayContext } from '../../http/context';
import type { UserPoolCalls } from '../pipeline';
import { signUpCall } from './call';
import { SignUpInput } from './input';
import { SignUpPayload } from './payload';

@Resolver()
export class SignUpResolver {
  constructor(private readonly calls: UserPoolCalls) {}

  @Mutation((_returns) => SignUpPayload, {
    description:
      'Registers a new, unconfirmed user and sends the first confirmation code when the pool verifies ' +
      'an attribute the user gave (email or phone number).',
  })
  signUp(
    @Arg('input', (_type) => SignUpInput) input: SignUpInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<SignUpPayload> {
    return this.calls.run(signUpCall, input, ctx);
  }
}
