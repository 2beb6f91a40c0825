// resendConfirmationCode: validated input -> abuse limits -> Cognito ResendConfirmationCode -> CodeDeliveryDetails.
// Only wiring; the mapping and error handling live in their own modules.
import { ResendConfirmationCodeCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { PublicCallSettings } from '../cognito/public-call';
import { UpstreamNotReachedError, type UserPool } from '../cognito/user-pool';
import type { GatewayContext } from '../http/context';
import type { AbuseLimiter } from '../limits/abuse-limiter';
import { ResendConfirmationCodeInput } from './resend-confirmation-code.input';
import { toCodeDeliveryDetails, toResendConfirmationCodeRequest } from './resend-confirmation-code.mapping';
import { ResendConfirmationCodePayload } from './resend-confirmation-code.payload';

@Resolver()
export class ResendConfirmationCodeResolver {
  constructor(
    private readonly userPool: UserPool,
    private readonly settings: PublicCallSettings,
    private readonly limiter: AbuseLimiter,
  ) {}

  @Mutation((_returns) => ResendConfirmationCodePayload, {
    description:
      'Sends a new sign-up confirmation code to an unconfirmed user, replacing the previous one. ' +
      'Pools that prevent user-existence errors answer for unknown users with a simulated delivery.',
  })
  async resendConfirmationCode(
    @Arg('input', (_type) => ResendConfirmationCodeInput) input: ResendConfirmationCodeInput,
    @Ctx() ctx: GatewayContext,
  ): Promise<ResendConfirmationCodePayload> {
    const ticket = await this.limiter.consume({ username: input.username, ip: ctx.clientIp ?? 'unknown' });
    const request = toResendConfirmationCodeRequest(input, this.settings, ctx);
    const output = await this.userPool
      .call(
        'ResendConfirmationCode',
        (client) => client.send(new ResendConfirmationCodeCommand(request)),
        ctx,
      )
      .catch(async (error: unknown) => {
        // An outage that kept the call from Cognito must not use up the user's budget.
        if (error instanceof UpstreamNotReachedError) await ticket.refund();
        throw error;
      });
    const payload = new ResendConfirmationCodePayload();
    payload.codeDeliveryDetails = toCodeDeliveryDetails(output.CodeDeliveryDetails);
    return payload;
  }
}
