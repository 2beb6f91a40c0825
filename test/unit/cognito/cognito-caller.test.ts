// The caller's two bounds, per action: how the in-flight cap is shared among actions, and a breaker of
// each action's own, so that one action failing or slow never refuses the others.
import { afterEach, describe, expect, it } from 'vitest';
import { CognitoCaller, type Refusal, refusalOf } from '../../../src/cognito/cognito-caller';
import { createLogger } from '../../../src/logger';
import { rejectionOf } from '../../support/thrown';

describe('refusalOf (the in-flight cap shared among actions)', () => {
  /** How many calls of each action start, in turns, when every action sends calls that never end. */
  function fill(max: number, actions: number): number[] {
    const held = Array<number>(actions).fill(0);
    for (let turn = 0; turn < max; turn++)
      for (let action = 0; action < actions; action++) {
        const total = held.reduce((a, b) => a + b, 0);
        if (refusalOf(held[action] ?? 0, total, max) === undefined) held[action] = (held[action] ?? 0) + 1;
      }
    return held;
  }

  it('lets one action alone take half the cap, and the rest only to the others', () => {
    expect(fill(256, 1)).toEqual([128]);
    expect(fill(10, 1)).toEqual([5]);
    expect(refusalOf(5, 5, 10)).toBe('action-share');
    expect(refusalOf(0, 5, 10)).toBeUndefined();
  });

  it('leaves room whatever the number of actions flooding: two get a third each, five a sixth', () => {
    expect(fill(256, 2)).toEqual([85, 85]);
    const five = fill(256, 5);
    expect(five.every((n) => n === 42 || n === 43)).toBe(true);
    expect(256 - five.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(42);
  });

  it('always lets in an action holding none while a slot is free, and nobody past the cap', () => {
    expect(refusalOf(0, 255, 256)).toBeUndefined();
    expect(refusalOf(0, 256, 256)).toBe('in-flight-cap');
    expect(refusalOf(0, 0, 1)).toBeUndefined();
    expect(refusalOf(1, 1, 1)).toBe('in-flight-cap');
  });
});

describe('CognitoCaller', () => {
  const log = createLogger('silent');
  const request = { log };
  let caller: CognitoCaller | undefined;
  afterEach(() => caller?.shutdown());

  /** A network failure, as the SDK reports a connection reset: an outage, which counts against a breaker. */
  const reset = () => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

  it("opens only the failing action's breaker, and reports each refusal and state by action", async () => {
    const refused: Array<[string, Refusal]> = [];
    const circuits: Array<[string, boolean]> = [];
    let sent = 0;
    caller = new CognitoCaller(
      {
        send: async () => {
          sent += 1;
          return {};
        },
      },
      { maxInFlight: 10 },
      log,
      {
        refused: (action, by) => refused.push([action, by]),
        circuit: (action, open) => circuits.push([action, open]),
      },
    );
    const c = caller;
    for (let i = 0; i < 20; i++) await rejectionOf(c.call('SignUp', reset, request));
    expect(circuits).toEqual([
      ['SignUp', false],
      ['SignUp', true],
    ]);

    const error = await rejectionOf(c.call('SignUp', (client) => client.send({} as never), request));
    expect(error).toMatchObject({ extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
    expect(sent).toBe(0);
    expect(refused).toEqual([['SignUp', 'breaker']]);

    await c.call('ResendConfirmationCode', (client) => client.send({} as never), request);
    expect(sent).toBe(1);
    expect(circuits.at(-1)).toEqual(['ResendConfirmationCode', false]);
  });

  it("refuses an action past its share of the cap while another's calls still go", async () => {
    const refused: Array<[string, Refusal]> = [];
    const pending: Array<() => void> = [];
    caller = new CognitoCaller(
      { send: () => new Promise((resolve) => pending.push(() => resolve({} as never))) },
      { maxInFlight: 4 },
      log,
      { refused: (action, by) => refused.push([action, by]) },
    );
    const c = caller;
    const slow = [1, 2, 3].map(() => c.call('SignUp', (client) => client.send({} as never), request));
    const third = slow[2];
    expect(await rejectionOf(third ?? Promise.resolve())).toMatchObject({
      extensions: { code: 'UPSTREAM_UNAVAILABLE' },
    });
    const other = c.call('ConfirmSignUp', (client) => client.send({} as never), request);
    expect(pending).toHaveLength(3);
    expect(refused).toEqual([['SignUp', 'action-share']]);
    for (const finish of pending) finish();
    await Promise.all([slow[0], slow[1], other]);
  });
});
