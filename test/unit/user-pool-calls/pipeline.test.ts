import { describe, expect, it, vi } from 'vitest';
import type { CognitoCaller } from '../../../src/cognito/cognito-caller';
import { GatewayError } from '../../../src/errors';
import type { AbuseLimiter } from '../../../src/limits/abuse-limiter';
import type { DestinationLinks } from '../../../src/limits/destination-links';
import { createLogger } from '../../../src/logger';
import { type AnyUserPoolCall, type SpendGuard, UserPoolCalls } from '../../../src/user-pool-calls/pipeline';
import { resendConfirmationCodeCall } from '../../../src/user-pool-calls/resend-confirmation-code/call';
import { ResendConfirmationCodeInput } from '../../../src/user-pool-calls/resend-confirmation-code/input';
import { rejectionOf } from '../../support/thrown';

const NO_SPEND_GUARD: SpendGuard = { phonePolicy: { blockedCountries: new Set() }, codeSent: () => {} };

describe('UserPoolCalls.run', () => {
  it('refuses a call whose client IP is unknown before any limit is charged or Cognito is asked', async () => {
    const caller = { call: vi.fn(async () => ({})) };
    const limiter = { consume: vi.fn(async () => ({ settle: async () => {} })), countsDestinations: true };
    const links = { recall: vi.fn(async () => []), remember: vi.fn(async () => {}) };
    const calls = new UserPoolCalls(
      caller as unknown as CognitoCaller,
      { clientId: 'client', sendUserContextIp: false, analyticsEnabled: false },
      () => limiter as unknown as AbuseLimiter,
      links as unknown as DestinationLinks,
      NO_SPEND_GUARD,
    );
    const input = Object.assign(new ResendConfirmationCodeInput(), { username: 'jane' });

    const error = await rejectionOf(
      calls.run(resendConfirmationCodeCall, input, { log: createLogger('silent') }),
    );

    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({
      message: 'The client address could not be determined.',
      extensions: { code: 'FORBIDDEN' },
    });
    expect(limiter.consume).not.toHaveBeenCalled();
    expect(links.recall).not.toHaveBeenCalled();
    expect(caller.call).not.toHaveBeenCalled();
  });
});

describe('UserPoolCalls.limiterOf', () => {
  it("builds each call's limiter once, from the call itself", () => {
    const built: AnyUserPoolCall[] = [];
    const calls = new UserPoolCalls(
      {} as CognitoCaller,
      { clientId: 'client', sendUserContextIp: false, analyticsEnabled: false },
      (call) => {
        built.push(call);
        return {} as AbuseLimiter;
      },
      {} as DestinationLinks,
      NO_SPEND_GUARD,
    );
    expect(calls.limiterOf(resendConfirmationCodeCall)).toBe(calls.limiterOf(resendConfirmationCodeCall));
    expect(built).toEqual([resendConfirmationCodeCall]);
  });
});
