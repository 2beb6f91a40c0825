// The per-username cooldown over HTTP counts a username as the case-insensitive pool does: spellings that
// lower-case to one user share one cooldown, so they cannot each trigger a code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/gateway-harness';
import { resend } from '../support/user-pool-requests';

describe('the per-username cooldown in a case-insensitive pool', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '60',
        LIMIT_RESEND_USERNAME_PER_HOUR: '5',
        LIMIT_RESEND_IP_PER_HOUR: '30',
      },
    });
  });
  afterAll(() => h.close());

  it('sends one code for STRAUẞ@EXAMPLE.COM then strauß@example.com, one user, and refuses the second', async () => {
    await h.signUp('strau\u00df@example.com', { email: 'strauss@example.com' });
    h.standIn.calls.length = 0;
    const first = await h.graphql(resend({ username: 'STRAU\u1e9e@EXAMPLE.COM' }));
    expect(first.body.errors).toBeUndefined();
    const second = await h.graphql(resend({ username: 'strau\u00df@example.com' }));
    expect(second.body.errors).toEqual([
      expect.objectContaining({ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 60 } }),
    ]);
    expect(h.standIn.calls.filter((c) => c.action === 'ResendConfirmationCode')).toHaveLength(1);
  });
});
