// The challenge gate: when a call needs a solved challenge (by mode, and in adaptive mode by how much of its
// limits is used), what it answers without one or with a bad one, and what it counts.
import { describe, expect, it, vi } from 'vitest';
import { GatewayError } from '../../../../src/errors';
import { ipKey } from '../../../../src/limits/limit-keys';
import { memoryLimiterStore } from '../../../../src/limits/limiter-store';
import { createLogger } from '../../../../src/logger';
import {
  ChallengeGate,
  type ChallengeResult,
  challengeFailureBudget,
} from '../../../../src/spend-guard/challenge/challenge-gate';
import type {
  ChallengeVerdict,
  ChallengeVerifier,
} from '../../../../src/spend-guard/challenge/challenge-verifier';
import { rejectionOf } from '../../../support/thrown';

const CALLER = { clientIp: '198.51.100.9', log: createLogger('silent') };

function setUp(mode: 'off' | 'always' | 'adaptive', verdict: ChallengeVerdict = { ok: true }) {
  const verifier = { verify: vi.fn<ChallengeVerifier['verify']>(async () => verdict) };
  const counted: ChallengeResult[] = [];
  const gate =
    mode === 'off'
      ? new ChallengeGate({ mode }, (result) => counted.push(result))
      : new ChallengeGate({ mode, verifier }, (result) => counted.push(result));
  return { gate, verifier, counted };
}

const used = (ratio: number) => vi.fn(async () => ratio);

describe('ChallengeGate.check', () => {
  it('asks nothing while off: no look at the limits, no verification, whatever is sent', async () => {
    const { gate, verifier, counted } = setUp('off');
    const usage = used(0.9);
    await gate.check(undefined, usage, CALLER);
    await gate.check('anything', usage, CALLER);
    expect(usage).not.toHaveBeenCalled();
    expect(verifier.verify).not.toHaveBeenCalled();
    expect(counted).toEqual([]);
  });

  it('in always mode answers CHALLENGE_REQUIRED without a response, before verifying anything', async () => {
    const { gate, verifier, counted } = setUp('always');
    for (const missing of [undefined, null]) {
      const error = await rejectionOf(gate.check(missing, used(0), CALLER));
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({
        message:
          'This call needs a solved challenge: get one from GET /challenge, solve it and send it as challengeResponse.',
        extensions: { code: 'CHALLENGE_REQUIRED' },
      });
    }
    expect(verifier.verify).not.toHaveBeenCalled();
    expect(counted).toEqual(['required', 'required']);
  });

  it('in always mode passes a response the verifier accepts, with the caller’s IP', async () => {
    const { gate, verifier, counted } = setUp('always');
    const usage = used(0);
    await gate.check('solved', usage, CALLER);
    expect(verifier.verify).toHaveBeenCalledWith('solved', { clientIp: '198.51.100.9' });
    expect(usage).not.toHaveBeenCalled();
    expect(counted).toEqual(['passed']);
  });

  it.each(['malformed', 'forged', 'expired', 'wrong-solution', 'replayed'] as const)(
    'answers CHALLENGE_FAILED, with one message whatever the reason, for a %s response',
    async (reason) => {
      const { gate, counted } = setUp('always', { ok: false, reason });
      const error = await rejectionOf(gate.check('bad', used(0), CALLER));
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({
        message:
          'The challenge response was not accepted (malformed, expired, already used or not issued by this gateway): solve a new challenge.',
        extensions: { code: 'CHALLENGE_FAILED' },
      });
      expect(counted).toEqual(['failed']);
    },
  );

  it('in adaptive mode asks nothing while every limit is at most half used, and ignores a response then', async () => {
    const { gate, verifier, counted } = setUp('adaptive');
    for (const ratio of [0, 0.25, 0.5]) {
      await gate.check(undefined, used(ratio), CALLER);
      await gate.check('solved', used(ratio), CALLER);
    }
    expect(verifier.verify).not.toHaveBeenCalled();
    expect(counted).toEqual([]);
  });

  it('in adaptive mode asks for a solved challenge once a limit is more than half used', async () => {
    const { gate, verifier, counted } = setUp('adaptive');
    const error = await rejectionOf(gate.check(undefined, used(0.75), CALLER));
    expect(error).toMatchObject({ extensions: { code: 'CHALLENGE_REQUIRED' } });
    await gate.check('solved', used(0.51), CALLER);
    expect(verifier.verify).toHaveBeenCalledTimes(1);
    expect(counted).toEqual(['required', 'passed']);
  });

  it('in adaptive mode asks nothing of a call that a used-up limit will refuse anyway (RATE_LIMITED, not a challenge)', async () => {
    const { gate, verifier, counted } = setUp('adaptive');
    await gate.check(undefined, used(1), CALLER);
    await gate.check(undefined, used(1.5), CALLER);
    expect(verifier.verify).not.toHaveBeenCalled();
    expect(counted).toEqual([]);
  });

  it('lets a verifier failure surface instead of passing the call', async () => {
    const verifier = {
      verify: vi.fn(async () => {
        throw new Error('store unusable');
      }),
    };
    const gate = new ChallengeGate({ mode: 'always', verifier });
    expect((await rejectionOf(gate.check('solved', used(0), CALLER))).message).toBe('store unusable');
  });
});

describe('ChallengeGate.check with a budget of failed checks per IP', () => {
  function withBudget(perHour: number, verify: ChallengeVerifier['verify']) {
    const verifier = { verify: vi.fn<ChallengeVerifier['verify']>(verify) };
    const refusals: string[] = [];
    const failures = challengeFailureBudget(perHour, memoryLimiterStore().createLimiter, {
      keyOf: (ip) => ipKey(ip, 64),
      onRefusal: (rule) => refusals.push(rule),
    });
    const counted: ChallengeResult[] = [];
    const gate = new ChallengeGate({ mode: 'always', verifier, failures }, (r) => counted.push(r));
    return { gate, verifier, refusals, counted };
  }
  const failing = async (): Promise<ChallengeVerdict> => ({ ok: false, reason: 'wrong-solution' });
  const from = (clientIp: string) => ({ ...CALLER, clientIp });

  it('checks as many failing responses as the budget, then answers RATE_LIMITED without checking', async () => {
    const { gate, verifier, refusals, counted } = withBudget(3, failing);
    for (let i = 0; i < 3; i++) {
      const error = await rejectionOf(gate.check('bad', used(0), CALLER));
      expect(error).toMatchObject({ extensions: { code: 'CHALLENGE_FAILED' } });
    }
    const refused = await rejectionOf(gate.check('bad', used(0), CALLER));
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    const { retryAfterSeconds } = (refused as GatewayError).extensions as { retryAfterSeconds: number };
    expect(retryAfterSeconds).toBeGreaterThan(3_590);
    expect(retryAfterSeconds).toBeLessThanOrEqual(3_600);
    expect(verifier.verify).toHaveBeenCalledTimes(3);
    expect(refusals).toEqual(['challenge:ip-failures-hour']);
    expect(counted).toEqual(['failed', 'failed', 'failed']);
  });

  it('counts per IP, an IPv6 caller by its /64', async () => {
    const { gate, verifier } = withBudget(1, failing);
    await rejectionOf(gate.check('bad', used(0), from('2001:db8:1:2::1')));
    const sameNetwork = await rejectionOf(gate.check('bad', used(0), from('2001:db8:1:2:ffff::9')));
    expect(sameNetwork).toMatchObject({ extensions: { code: 'RATE_LIMITED' } });
    const otherIp = await rejectionOf(gate.check('bad', used(0), from('192.0.2.1')));
    expect(otherIp).toMatchObject({ extensions: { code: 'CHALLENGE_FAILED' } });
    expect(verifier.verify).toHaveBeenCalledTimes(2);
  });

  it('spends nothing on responses that pass, however many', async () => {
    const { gate, verifier } = withBudget(2, async () => ({ ok: true }));
    for (let i = 0; i < 10; i++) await gate.check('solved', used(0), CALLER);
    expect(verifier.verify).toHaveBeenCalledTimes(10);
  });

  it('checks at most the budget of responses sent at once', async () => {
    const { gate, verifier } = withBudget(3, failing);
    const errors = await Promise.all(
      Array.from({ length: 10 }, () => rejectionOf(gate.check('bad', used(0), CALLER))),
    );
    const codes = errors.map((e) => (e as GatewayError).extensions.code);
    expect(codes.filter((c) => c === 'CHALLENGE_FAILED')).toHaveLength(3);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(7);
    expect(verifier.verify).toHaveBeenCalledTimes(3);
  });

  it('charges nothing when the verifier cannot tell (its store failed)', async () => {
    const { gate } = withBudget(1, async () => {
      throw new Error('store unusable');
    });
    for (let i = 0; i < 3; i++)
      expect((await rejectionOf(gate.check('solved', used(0), CALLER))).message).toBe('store unusable');
  });

  it('is off at 0: every response is checked', () => {
    expect(challengeFailureBudget(0, memoryLimiterStore().createLimiter, { keyOf: (ip) => ip })).toBe(
      undefined,
    );
  });
});
