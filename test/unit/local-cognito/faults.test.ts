// The fault injector without HTTP: its seeded random source, settings validation, how it picks a fault per
// call and counts outcomes, and what dispatch does with each decision.
import { describe, expect, it } from 'vitest';
import { ACTIONS, dispatch } from '../../../src/local-cognito/dispatch';
import {
  type FaultDecision,
  FaultInjector,
  type FaultInjectorDeps,
  type FaultPolicy,
  type FaultSettings,
  FaultSettingsError,
  validateFaultSettings,
} from '../../../src/local-cognito/faults';
import { Outbox } from '../../../src/local-cognito/outbox';
import { DROP_CONNECTION, type Reply, type WireResponse } from '../../../src/local-cognito/protocol';
import { mulberry32, type Random } from '../../../src/local-cognito/random';
import type { Services } from '../../../src/local-cognito/services';
import { Store } from '../../../src/local-cognito/store';
import { addUserPool } from '../../../src/local-cognito/targets/create-user-pool';
import { addUserPoolClient } from '../../../src/local-cognito/targets/create-user-pool-client';
import { thrownBy } from '../../support/thrown';

function draws(random: () => number, count: number): number[] {
  return Array.from({ length: count }, () => random());
}

describe('mulberry32', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draws(mulberry32(42), 20)).toEqual(draws(mulberry32(42), 20));
  });

  it('gives a different sequence for a different seed', () => {
    expect(draws(mulberry32(42), 20)).not.toEqual(draws(mulberry32(43), 20));
  });

  it('draws numbers in [0, 1) spread evenly over ten buckets', () => {
    const values = draws(mulberry32(7), 10_000);
    const buckets = new Array<number>(10).fill(0);
    for (const value of values) buckets[Math.floor(value * 10)] = (buckets[Math.floor(value * 10)] ?? 0) + 1;

    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(Math.min(...buckets)).toBeGreaterThan(900);
    expect(Math.max(...buckets)).toBeLessThan(1100);
  });
});

describe('validateFaultSettings', () => {
  const validate = (input: unknown) => validateFaultSettings(input, ACTIONS);
  const refusal = (input: unknown) => thrownBy(FaultSettingsError, () => validate(input));

  it('accepts every setting at once and returns a copy of them', () => {
    const input: FaultSettings = {
      latencyMs: 50,
      latencyJitterMs: 10,
      throttleRate: 0.1,
      serverErrorRate: 0.2,
      htmlErrorRate: 0.05,
      dropRate: 0.05,
      actions: ['SignUp'],
      seed: 42,
    };

    const settings = validate(input);

    expect(settings).toEqual(input);
    expect(settings.actions).not.toBe(input.actions);
  });

  it('treats an explicit undefined as a setting left out', () => {
    expect(validate({ throttleRate: undefined, latencyMs: 5 })).toEqual({ latencyMs: 5 });
  });

  it.each([
    ['throttleRate', 1.5],
    ['serverErrorRate', -0.1],
    ['htmlErrorRate', Number.NaN],
    ['dropRate', '0.5'],
    ['throttleRate', null],
  ])('refuses %s = %s as outside 0..1', (key, value) => {
    expect(refusal({ [key]: value }).message).toContain(`${key} must be a number from 0 to 1`);
  });

  it.each([
    ['latencyMs', 60_001],
    ['latencyMs', -1],
    ['latencyJitterMs', Number.POSITIVE_INFINITY],
  ])('refuses %s = %s as outside 0..60000 ms', (key, value) => {
    expect(refusal({ [key]: value }).message).toContain(
      `${key} must be a number of milliseconds from 0 to 60000`,
    );
  });

  it('accepts the edges of each range', () => {
    expect(() => validate({ latencyMs: 0, latencyJitterMs: 60_000, throttleRate: 1 })).not.toThrow();
  });

  it('refuses a seed that is not an integer', () => {
    expect(refusal({ seed: 1.5 }).message).toContain('seed must be an integer, got 1.5');
  });

  it('refuses an unknown setting by name', () => {
    expect(refusal({ throttle: 0.5 }).message).toContain('unknown setting "throttle"');
  });

  it('refuses rates that add up to more than 1', () => {
    expect(refusal({ throttleRate: 0.6, serverErrorRate: 0.5 }).message).toContain('at most 1');
  });

  it('accepts rates that add up to 1 give or take floating-point error', () => {
    // Summed in decision order these come to 1.0000000000000002.
    expect(() =>
      validate({ dropRate: 0.2, htmlErrorRate: 0.4, serverErrorRate: 0.3, throttleRate: 0.1 }),
    ).not.toThrow();
  });

  it('refuses an action name the stand-in does not serve, naming it', () => {
    expect(refusal({ actions: ['ResendConfirmation'] }).message).toContain(
      'unknown action(s) "ResendConfirmation"',
    );
  });

  it('refuses actions that are not a list of names', () => {
    expect(refusal({ actions: 'SignUp' }).message).toContain('actions must be a list of action names');
  });

  it.each([null, [], 'throttle', 3])('refuses %j as not an object', (input) => {
    expect(refusal(input).message).toMatch(/^Fault settings must be an object/);
  });

  it('reports every problem in one message', () => {
    const { message } = refusal({ throttleRate: 2, latencyMs: -5, bogus: true });

    expect(message).toMatch(/throttleRate.*; latencyMs.*; unknown setting "bogus"/);
  });
});

// A random source that hands out the given draws in order, then fails the test if asked for more.
function scripted(values: number[]): (seed: number) => Random {
  return () => {
    const queue = [...values];
    return () => {
      const next = queue.shift();
      if (next === undefined) throw new Error('asked for more draws than scripted');
      return next;
    };
  };
}

function injector(overrides: Partial<FaultInjectorDeps> = {}): FaultInjector {
  return new FaultInjector({ actions: ACTIONS, newSeed: () => 1234, ...overrides });
}

function faultsOf(decisions: FaultDecision[]): Array<string | undefined> {
  return decisions.map((d) => d.fault);
}

describe('FaultInjector', () => {
  it('serves every call normally and without delay until settings are set', () => {
    expect(injector().decide('SignUp')).toEqual({ delayMs: 0 });
  });

  it('picks the fault by cumulative ranges in the order drop, HTML, 5xx, throttle', () => {
    // Two draws per call: the first picks the fault, the second the jitter.
    const faults = injector({ createRandom: scripted([0.05, 0, 0.15, 0, 0.25, 0, 0.35, 0, 0.45, 0]) });
    faults.set({ dropRate: 0.1, htmlErrorRate: 0.1, serverErrorRate: 0.1, throttleRate: 0.1 });

    const decisions = Array.from({ length: 5 }, () => faults.decide('SignUp'));

    expect(faultsOf(decisions)).toEqual(['drop', 'htmlError', 'serverError', 'throttle', undefined]);
  });

  it('adds jitter from the second draw on top of the fixed latency', () => {
    const faults = injector({ createRandom: scripted([0.9, 0.5]) });
    faults.set({ latencyMs: 50, latencyJitterMs: 20 });

    expect(faults.decide('SignUp')).toEqual({ delayMs: 60 });
  });

  it('keeps every delay within latencyMs..latencyMs + latencyJitterMs', () => {
    const faults = injector();
    faults.set({ latencyMs: 50, latencyJitterMs: 20, seed: 9 });

    const delays = Array.from({ length: 200 }, () => faults.decide('SignUp').delayMs);

    expect(Math.min(...delays)).toBeGreaterThanOrEqual(50);
    expect(Math.max(...delays)).toBeLessThanOrEqual(70);
  });

  it('faults the same calls for a seed whether or not jitter is on', () => {
    const run = (settings: FaultSettings) => {
      const faults = injector();
      faults.set(settings);
      return faultsOf(Array.from({ length: 50 }, () => faults.decide('SignUp')));
    };

    expect(run({ serverErrorRate: 0.5, seed: 3, latencyJitterMs: 40 })).toEqual(
      run({ serverErrorRate: 0.5, seed: 3 }),
    );
  });

  it('restarts the same fault sequence when the same seed is set again', () => {
    const faults = injector();
    const run = () => {
      faults.set({ serverErrorRate: 0.3, throttleRate: 0.3, seed: 11 });
      return faultsOf(Array.from({ length: 50 }, () => faults.decide('SignUp')));
    };

    expect(run()).toEqual(run());
  });

  it('leaves actions outside the filter untouched, without taking a draw for them', () => {
    const faults = injector({ createRandom: scripted([0, 0]) });
    faults.set({ throttleRate: 1, latencyMs: 50, actions: ['ResendConfirmationCode'] });

    expect(faults.decide('SignUp')).toEqual({ delayMs: 0 });
    expect(faults.decide('ResendConfirmationCode')).toEqual({ fault: 'throttle', delayMs: 50 });
  });

  it('counts every call and each outcome', () => {
    const faults = injector({
      createRandom: scripted([0.05, 0, 0.15, 0, 0.25, 0, 0.35, 0, 0.45, 0, 0.55, 0]),
    });
    faults.set({ dropRate: 0.1, htmlErrorRate: 0.1, serverErrorRate: 0.1, throttleRate: 0.1 });

    for (let i = 0; i < 6; i++) faults.decide('SignUp');

    expect(faults.stats()).toEqual({
      total: 6,
      ok: 2,
      throttled: 1,
      serverError: 1,
      htmlError: 1,
      dropped: 1,
    });
  });

  it('zeroes the counters on resetStats()', () => {
    const faults = injector();
    faults.decide('SignUp');

    faults.resetStats();

    expect(faults.stats()).toEqual({
      total: 0,
      ok: 0,
      throttled: 0,
      serverError: 0,
      htmlError: 0,
      dropped: 0,
    });
  });

  it('replaces the settings on set() rather than merging them', () => {
    const faults = injector();
    faults.set({ throttleRate: 1, seed: 1 });

    faults.set({ latencyMs: 5, seed: 1 });

    expect(faults.current()).toEqual({ latencyMs: 5, seed: 1 });
  });

  it('reports the seed it chose when none was given, so the run can be replayed', () => {
    const faults = injector({ newSeed: () => 987 });
    faults.set({ throttleRate: 0.5 });

    expect(faults.current()).toEqual({ throttleRate: 0.5, seed: 987 });
  });

  it('keeps the previous settings when set() is given invalid ones', () => {
    const faults = injector();
    faults.set({ throttleRate: 0.5, seed: 1 });

    expect(() => faults.set({ throttleRate: 5 })).toThrow(FaultSettingsError);
    expect(faults.current()).toEqual({ throttleRate: 0.5, seed: 1 });
  });

  it('serves normally again after clear(), still counting calls', () => {
    const faults = injector();
    faults.set({ throttleRate: 1 });

    faults.clear();

    expect(faults.decide('SignUp')).toEqual({ delayMs: 0 });
    expect(faults.current()).toEqual({});
    expect(faults.stats()).toMatchObject({ total: 1, ok: 1 });
  });

  it('hands out copies, so callers cannot change the settings in force', () => {
    const faults = injector();
    faults.set({ throttleRate: 1, actions: ['SignUp'] });

    faults.current().actions?.push('ConfirmSignUp');

    expect(faults.current().actions).toEqual(['SignUp']);
  });

  it('logs changes of settings, but not a clear() with nothing set', () => {
    const lines: string[] = [];
    const faults = injector({ log: (line) => lines.push(line) });

    faults.clear();
    faults.set({ throttleRate: 1, seed: 5 });
    faults.clear();

    expect(lines).toEqual([
      '[local-cognito] faults set: {"throttleRate":1,"seed":5}',
      '[local-cognito] faults cleared',
    ]);
  });
});

describe('dispatch with faults', () => {
  function services(): Services {
    return {
      store: new Store(),
      clock: { now: () => new Date('2030-01-01T00:00:00.000Z') },
      outbox: new Outbox(),
      generateCode: () => '123456',
      calls: [],
      log: () => {},
    };
  }

  const always = (decision: FaultDecision): FaultPolicy => ({ decide: () => decision });

  const signUpRequest = (clientId = 'client', signal?: AbortSignal) => ({
    headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' },
    rawBody: JSON.stringify({ ClientId: clientId, Username: 'jane', Password: 'correct-horse' }),
    ...(signal && { signal }),
  });

  function answered(reply: Reply): WireResponse {
    if (reply === DROP_CONNECTION) throw new Error('expected an answer, got a dropped connection');
    return reply;
  }

  it('records a faulted call but never runs its action', async () => {
    const s = services();
    const { id } = addUserPool(s, {});
    const { clientId } = addUserPoolClient(s, id, {});

    await dispatch(signUpRequest(clientId), s, always({ fault: 'serverError', delayMs: 0 }));

    expect(s.calls.map((c) => c.action)).toEqual(['SignUp']);
    expect(s.outbox.list()).toEqual([]);
  });

  it('answers a throttled call as Cognito does: 400 TooManyRequestsException "Rate exceeded"', async () => {
    const reply = answered(
      await dispatch(signUpRequest(), services(), always({ fault: 'throttle', delayMs: 0 })),
    );

    expect(reply.status).toBe(400);
    expect(reply.headers['x-amzn-ErrorType']).toBe('TooManyRequestsException:');
    expect(JSON.parse(reply.body)).toEqual({ __type: 'TooManyRequestsException', message: 'Rate exceeded' });
  });

  it('answers a server error as 500 InternalErrorException in AWS JSON', async () => {
    const reply = answered(
      await dispatch(signUpRequest(), services(), always({ fault: 'serverError', delayMs: 0 })),
    );

    expect(reply.status).toBe(500);
    expect(JSON.parse(reply.body)).toMatchObject({ __type: 'InternalErrorException' });
  });

  it('answers an HTML error as a 500 text/html page without a Cognito request id', async () => {
    const reply = answered(
      await dispatch(signUpRequest(), services(), always({ fault: 'htmlError', delayMs: 0 })),
    );

    expect(reply).toMatchObject({
      status: 500,
      headers: { 'Content-Type': 'text/html' },
      omitRequestId: true,
    });
    expect(reply.body).toMatch(/^<!DOCTYPE html>/);
  });

  it('answers a dropped call with no response at all', async () => {
    const reply = await dispatch(signUpRequest(), services(), always({ fault: 'drop', delayMs: 0 }));

    expect(reply).toBe(DROP_CONNECTION);
  });

  it('waits the decided delay before answering', async () => {
    const started = performance.now();
    await dispatch(signUpRequest(), services(), always({ delayMs: 50 }));

    // Node may fire a timer up to a millisecond early against performance.now().
    expect(performance.now() - started).toBeGreaterThanOrEqual(49);
  });

  it('stops waiting as soon as the caller goes away, answering nothing', async () => {
    const callerGone = new AbortController();
    const started = performance.now();
    const pending = dispatch(
      signUpRequest('client', callerGone.signal),
      services(),
      always({ delayMs: 5_000 }),
    );

    callerGone.abort();

    expect(await pending).toBe(DROP_CONNECTION);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
