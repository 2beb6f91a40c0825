import { describe, expect, it, vi } from 'vitest';
import type { CognitoCaller } from '../../../src/cognito/cognito-caller';
import { GatewayError } from '../../../src/errors';
import type { AbuseLimiter } from '../../../src/limits/abuse-limiter';
import { unknownReach } from '../../../src/limits/code-reach';
import type { DestinationLinks } from '../../../src/limits/destination-links';
import { createLogger } from '../../../src/logger';
import { ChallengeGate } from '../../../src/spend-guard/challenge/challenge-gate';
import { CallRunner, type SpendGuard, type UserDirectory } from '../../../src/user-pool-calls/call-runner';
import { confirmSignUpCall } from '../../../src/user-pool-calls/confirm-sign-up/call';
import { ConfirmSignUpInput } from '../../../src/user-pool-calls/confirm-sign-up/input';
import { resendConfirmationCodeCall } from '../../../src/user-pool-calls/resend-confirmation-code/call';
import { ResendConfirmationCodeInput } from '../../../src/user-pool-calls/resend-confirmation-code/input';
import type { AnyUserPoolCall } from '../../../src/user-pool-calls/user-pool-call';
import { rejectionOf } from '../../support/thrown';

const NO_SPEND_GUARD: SpendGuard = { phonePolicy: { blockedCountries: new Set() }, codeSent: () => {} };
const NO_LOOKUP: UserDirectory = { pool: { usernameAttributes: new Set(), lookupUsers: false } };
const NO_LINKS = {
  recall: async () => ({ unlinked: true }),
  remember: async () => {},
} as unknown as DestinationLinks;

describe('CallRunner.run', () => {
  it('refuses a call whose client IP is unknown before any limit is charged or Cognito is asked', async () => {
    const caller = { call: vi.fn(async () => ({})) };
    const limiter = { consume: vi.fn(async () => ({ settle: async () => {} })) };
    const links = { recall: vi.fn(async () => ({ unlinked: true })), remember: vi.fn(async () => {}) };
    const gate = { check: vi.fn(async () => {}) };
    const calls = new CallRunner(
      caller as unknown as CognitoCaller,
      { clientId: 'client', sendUserContextIp: false, analyticsEnabled: false },
      () => limiter as unknown as AbuseLimiter,
      links as unknown as DestinationLinks,
      gate as unknown as ChallengeGate,
      NO_SPEND_GUARD,
      NO_LOOKUP,
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
    expect(gate.check).not.toHaveBeenCalled();
    expect(limiter.consume).not.toHaveBeenCalled();
    expect(links.recall).not.toHaveBeenCalled();
    expect(caller.call).not.toHaveBeenCalled();
  });

  it('checks the challenge of a code-sending call before any limit point is taken or Cognito is asked', async () => {
    const caller = { call: vi.fn(async () => ({})) };
    const limiter = {
      consume: vi.fn(async () => ({ settle: async () => {} })),
      usedRatio: vi.fn(async () => 0.75),
    };
    const gate = new ChallengeGate({ mode: 'adaptive', verifier: { verify: vi.fn() } });
    const calls = new CallRunner(
      caller as unknown as CognitoCaller,
      { clientId: 'client', sendUserContextIp: false, analyticsEnabled: false },
      () => limiter as unknown as AbuseLimiter,
      NO_LINKS,
      gate,
      NO_SPEND_GUARD,
      NO_LOOKUP,
    );
    const input = Object.assign(new ResendConfirmationCodeInput(), { username: 'jane' });

    const error = await rejectionOf(
      calls.run(resendConfirmationCodeCall, input, { clientIp: '192.0.2.1', log: createLogger('silent') }),
    );

    expect(error).toMatchObject({ extensions: { code: 'CHALLENGE_REQUIRED' } });
    // The adaptive gate read the limits covering this very call: an unlinked resend, either medium, paid
    // from the budget for unknown destinations.
    expect(limiter.usedRatio).toHaveBeenCalledWith({
      username: 'jane',
      ip: '192.0.2.1',
      reach: unknownReach('any'),
    });
    expect(limiter.consume).not.toHaveBeenCalled();
    expect(caller.call).not.toHaveBeenCalled();
  });

  it('never consults the challenge for a call that sends no code', async () => {
    const caller = { call: vi.fn(async () => ({})) };
    const limiter = { consume: vi.fn(async () => ({ settle: async () => {} })) };
    const gate = { check: vi.fn(async () => {}) };
    const calls = new CallRunner(
      caller as unknown as CognitoCaller,
      { clientId: 'client', sendUserContextIp: false, analyticsEnabled: false },
      () => limiter as unknown as AbuseLimiter,
      NO_LINKS,
      gate as unknown as ChallengeGate,
      NO_SPEND_GUARD,
      NO_LOOKUP,
    );
    const input = Object.assign(new ConfirmSignUpInput(), { username: 'jane', confirmationCode: '123456' });

    await calls.run(confirmSignUpCall, input, { clientIp: '192.0.2.1', log: createLogger('silent') });

    expect(gate.check).not.toHaveBeenCalled();
    expect(limiter.consume).toHaveBeenCalledTimes(1);
  });

  it("never makes the request's logger for a call that logs nothing (challenges off)", async () => {
    const caller = { call: vi.fn(async () => ({})) };
    const limiter = { consume: vi.fn(async () => ({ settle: async () => {} })) };
    const calls = new CallRunner(
      caller as unknown as CognitoCaller,
      { clientId: 'client', sendUserContextIp: false, analyticsEnabled: false },
      () => limiter as unknown as AbuseLimiter,
      NO_LINKS,
      new ChallengeGate({ mode: 'off' }),
      NO_SPEND_GUARD,
      NO_LOOKUP,
    );
    const input = Object.assign(new ResendConfirmationCodeInput(), { username: 'jane' });
    // The request context makes a child logger when `log` is read: a read here is a child made per request.
    const log = vi.fn(() => createLogger('silent'));
    const ctx = {
      clientIp: '192.0.2.1',
      get log() {
        return log();
      },
    };

    await calls.run(resendConfirmationCodeCall, input, ctx);

    expect(caller.call).toHaveBeenCalledTimes(1);
    expect(log).not.toHaveBeenCalled();
  });
});

describe('CallRunner.limiterOf', () => {
  it("builds each call's limiter once, from the call itself", () => {
    const built: AnyUserPoolCall[] = [];
    const calls = new CallRunner(
      {} as CognitoCaller,
      { clientId: 'client', sendUserContextIp: false, analyticsEnabled: false },
      (call) => {
        built.push(call);
        return {} as AbuseLimiter;
      },
      {} as DestinationLinks,
      new ChallengeGate({ mode: 'off' }),
      NO_SPEND_GUARD,
      NO_LOOKUP,
    );
    expect(calls.limiterOf(resendConfirmationCodeCall)).toBe(calls.limiterOf(resendConfirmationCodeCall));
    expect(built).toEqual([resendConfirmationCodeCall]);
  });
});
