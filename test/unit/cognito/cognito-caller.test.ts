// A breaker of each operation's own, so that one operation failing or slow never refuses the others.
import { afterEach, describe, expect, it } from 'vitest';
import { CognitoCaller, type Refusal } from '../../../src/cognito/cognito-caller';
import { createLogger } from '../../../src/logger';
import { rejectionOf } from '../../support/thrown';

describe('CognitoCaller', () => {
  const log = createLogger('silent');
  const request = { log };
  let caller: CognitoCaller | undefined;
  afterEach(() => caller?.shutdown());

  /** A network failure, as the SDK reports a connection reset: an outage, which counts against a breaker. */
  const reset = () => Promise.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

  it("opens only the failing operation's breaker, and reports each refusal and state by operation", async () => {
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
        refused: (operation, by) => refused.push([operation, by]),
        circuit: (operation, open) => circuits.push([operation, open]),
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
});
