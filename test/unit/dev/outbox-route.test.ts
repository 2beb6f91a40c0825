// What the demo page's outbox route hands the page of each message: enough to tell a sign-in code from a
// sign-up or reset code, newest first.
import { describe, expect, it } from 'vitest';
import { OUTBOX_SHOWN, shownMessages } from '../../../src/dev/outbox-route';
import { Outbox } from '../../../src/local-cognito/outbox';

function deliver(outbox: Outbox, reason: 'SignUp' | 'ForgotPassword' | 'SignIn', code: string) {
  outbox.deliver({
    at: new Date(0).toISOString(),
    poolId: 'us-east-1_demo',
    clientId: 'client',
    username: 'jane@example.com',
    identifier: 'jane@example.com',
    code,
    attribute: 'email',
    destination: 'jane@example.com',
    medium: 'EMAIL',
    reason,
  });
}

describe('shownMessages', () => {
  it('tells each code’s purpose, so that the page labels a sign-in code as one', () => {
    const outbox = new Outbox();
    deliver(outbox, 'SignUp', '111111');
    deliver(outbox, 'ForgotPassword', '222222');
    deliver(outbox, 'SignIn', '333333');
    expect(shownMessages(outbox).map(({ code, reason, purpose }) => ({ code, reason, purpose }))).toEqual([
      { code: '333333', reason: 'SignIn', purpose: 'sign-in' },
      { code: '222222', reason: 'ForgotPassword', purpose: 'password-reset' },
      { code: '111111', reason: 'SignUp', purpose: 'confirmation' },
    ]);
  });

  it('shows the newest few only, and nothing of a message but what the page needs', () => {
    const outbox = new Outbox();
    for (let i = 0; i < OUTBOX_SHOWN + 5; i++) deliver(outbox, 'SignUp', String(100_000 + i));
    const shown = shownMessages(outbox);
    expect(shown).toHaveLength(OUTBOX_SHOWN);
    expect(shown[0]?.code).toBe(String(100_000 + OUTBOX_SHOWN + 4));
    expect(Object.keys(shown[0] ?? {}).sort()).toEqual(
      ['at', 'code', 'destination', 'id', 'identifier', 'medium', 'purpose', 'reason', 'username'].sort(),
    );
  });
});
