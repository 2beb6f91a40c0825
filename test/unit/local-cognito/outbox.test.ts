import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxMessage } from '../../../src/local-cognito/outbox';

function message(username: string, code: string): Omit<OutboxMessage, 'id' | 'purpose'> {
  return {
    at: '2030-01-01T00:00:00.000Z',
    poolId: 'us-east-1_Pool12345',
    clientId: 'client',
    username,
    identifier: username,
    code,
    attribute: 'email',
    destination: `${username}@example.com`,
    medium: 'EMAIL',
    reason: 'SignUp',
  };
}

describe('local Cognito outbox', () => {
  it('keeps only the newest messages once over capacity', () => {
    const outbox = new Outbox(undefined, 2);
    outbox.deliver(message('a', '111111'));
    outbox.deliver(message('b', '222222'));
    outbox.deliver(message('c', '333333'));

    expect(outbox.list().map((m) => m.code)).toEqual(['222222', '333333']);
  });

  it('returns the newest code for a username, ignoring case', () => {
    const outbox = new Outbox();
    outbox.deliver(message('Jane', '111111'));
    outbox.deliver(message('jane', '222222'));

    expect(outbox.latestCode('JANE')).toBe('222222');
  });

  it('returns no code for a username it never delivered to', () => {
    expect(new Outbox().latestCode('nobody')).toBeUndefined();
  });

  it('hands out a copy of its list, so callers cannot edit the outbox', () => {
    const outbox = new Outbox();
    outbox.deliver(message('jane', '111111'));
    outbox.list().pop();

    expect(outbox.list()).toHaveLength(1);
  });

  it('gives every message its own id', () => {
    const outbox = new Outbox();
    const first = outbox.deliver(message('jane', '111111'));
    const second = outbox.deliver(message('jane', '111111'));

    expect(first.id).not.toBe(second.id);
  });

  it('logs a delivery as a single console-ready line that names the pool', () => {
    const lines: string[] = [];
    new Outbox((line) => lines.push(line)).deliver(message('jane', '123456'));

    expect(lines).toEqual([
      '[local-cognito] code 123456 for "jane" in pool us-east-1_Pool12345 -> jane@example.com (EMAIL)',
    ]);
  });

  it('finds a message by the identifier the caller sent as well as by the real username', () => {
    const outbox = new Outbox();
    outbox.deliver({ ...message('0b5c7f0e-sub', '111111'), identifier: 'Jane@Example.com' });

    expect(outbox.latestCode('jane@example.com')).toBe('111111');
    expect(outbox.latestCode('0b5c7f0e-sub')).toBe('111111');
  });

  it('says what each code is for, so a sign-in code is never taken for a confirmation code', () => {
    const outbox = new Outbox();
    outbox.deliver(message('jane', '111111'));
    outbox.deliver({ ...message('jane', '222222'), reason: 'ForgotPassword' });
    outbox.deliver({ ...message('jane', '333333'), reason: 'SignIn' });
    outbox.deliver({ ...message('jane', 'Temporary-1'), reason: 'AdminCreateUser' });

    expect(outbox.list().map((m) => m.purpose)).toEqual([
      'confirmation',
      'password-reset',
      'sign-in',
      'invitation',
    ]);
    expect(outbox.latestCode('jane', 'confirmation')).toBe('111111');
    expect(outbox.latestCode('jane', 'sign-in')).toBe('333333');
    expect(outbox.list({ purpose: 'password-reset' }).map((m) => m.code)).toEqual(['222222']);
  });

  it('names the purpose in the log line of any code but a confirmation code', () => {
    const lines: string[] = [];
    new Outbox((line) => lines.push(line)).deliver({ ...message('jane', '123456'), reason: 'SignIn' });

    expect(lines).toEqual([
      '[local-cognito] sign-in code 123456 for "jane" in pool us-east-1_Pool12345 -> jane@example.com (EMAIL)',
    ]);
  });

  it('counts simulated deliveries without storing them, and forgets the count on clear', () => {
    const outbox = new Outbox();
    outbox.recordSimulated();
    outbox.recordSimulated();

    expect([outbox.list(), outbox.simulatedDeliveries]).toEqual([[], 2]);
    outbox.clear();
    expect(outbox.simulatedDeliveries).toBe(0);
  });
});
