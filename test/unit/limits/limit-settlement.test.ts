// How a call's outcome settles the points its limits took: codes-sent rules keep them only when a code may
// have gone out, failures rules only when a code check may have failed, and nothing is kept for a call that
// never reached Cognito. Rules of one name share one counter across calls.
import { describe, expect, it } from 'vitest';
import {
  AbuseLimiter,
  type CallOutcome,
  keepsPoint,
  type LimitRule,
} from '../../../src/limits/abuse-limiter';
import { reachOf } from '../../../src/limits/code-reach';
import { attributeDestinations, destinationKey } from '../../../src/limits/destination';
import { memoryLimiterStore } from '../../../src/limits/limiter-store';

const KEYS = { usernameCaseSensitive: false, ipv6PrefixBits: 64 };

describe('keepsPoint', () => {
  const cases: Array<[Parameters<typeof keepsPoint>[0], CallOutcome, boolean]> = [
    ['attempts', 'ok', true],
    ['attempts', 'USER_NOT_FOUND', true],
    ['attempts', 'not-reached', false],
    ['codes-sent', 'ok', true],
    ['codes-sent', 'UPSTREAM_UNAVAILABLE', true],
    ['codes-sent', 'CODE_DELIVERY_FAILED', true],
    ['codes-sent', 'ALREADY_CONFIRMED', false],
    ['codes-sent', 'USER_NOT_FOUND', false],
    ['codes-sent', 'USERNAME_EXISTS', false],
    ['codes-sent', 'not-reached', false],
    ['failures', 'CODE_MISMATCH', true],
    ['failures', 'CODE_EXPIRED', true],
    ['failures', 'LIMIT_EXCEEDED', true],
    ['failures', 'ok', false],
    ['failures', 'ALREADY_CONFIRMED', false],
    ['failures', 'not-reached', false],
  ];
  it.each(cases)('%s rules after %s keep the point: %s', (counts, outcome, kept) => {
    expect(keepsPoint(counts, outcome)).toBe(kept);
  });
});

describe('AbuseLimiter settlement', () => {
  it('holds a failures rule while the call runs, so parallel guesses cannot overtake it', async () => {
    const rule: LimitRule = {
      name: 'f',
      subject: 'username',
      points: 2,
      durationSeconds: 60,
      counts: 'failures',
    };
    const l = new AbuseLimiter([rule], memoryLimiterStore(), KEYS);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => l.consume({ username: 'jane', ip: '192.0.2.1' })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
  });

  it('gives a failures point back when the code was right, and keeps it when it was wrong', async () => {
    const rule: LimitRule = {
      name: 'f',
      subject: 'username',
      points: 1,
      durationSeconds: 60,
      counts: 'failures',
    };
    const l = new AbuseLimiter([rule], memoryLimiterStore(), KEYS);
    await (await l.consume({ username: 'jane', ip: '192.0.2.1' })).settle('ok');
    const wrong = await l.consume({ username: 'jane', ip: '192.0.2.1' });
    await wrong.settle('CODE_MISMATCH');
    await expect(l.consume({ username: 'jane', ip: '192.0.2.1' })).rejects.toThrow(/Too many attempts/);
  });

  it('gives a per-user codes-sent point back when the answer sent no code (the sign-in factors on offer), and keeps the per-IP attempt', async () => {
    const cooldown: LimitRule = {
      name: 'c',
      subject: 'username',
      points: 1,
      durationSeconds: 60,
      counts: 'codes-sent',
    };
    const perIp: LimitRule = { name: 'i', subject: 'ip', points: 3, durationSeconds: 60 };
    const l = new AbuseLimiter([cooldown, perIp], memoryLimiterStore(), KEYS);
    const caller = { username: 'jane', ip: '192.0.2.1' };
    await (await l.consume(caller)).settle('ok', 'none');
    await (await l.consume(caller)).settle('ok', 'EMAIL');
    // The code that went keeps the cooldown; the listing before it cost the per-IP rule its point.
    await expect(l.consume(caller)).rejects.toThrow(/Too many attempts/);
    await (await l.consume({ username: 'john', ip: '192.0.2.1' })).settle('ok', 'none');
    await expect(l.consume({ username: 'june', ip: '192.0.2.1' })).rejects.toThrow(/Too many attempts/);
  });

  it('counts (username, IP) pairs apart from each other', async () => {
    const rule: LimitRule = { name: 'p', subject: 'username+ip', points: 1, durationSeconds: 60 };
    const l = new AbuseLimiter([rule], memoryLimiterStore(), KEYS);
    await l.consume({ username: 'jane', ip: '192.0.2.1' });
    await expect(l.consume({ username: 'JANE', ip: '192.0.2.1' })).rejects.toThrow(/Too many attempts/);
    await expect(l.consume({ username: 'jane', ip: '192.0.2.2' })).resolves.toBeDefined();
    await expect(l.consume({ username: 'john', ip: '192.0.2.1' })).resolves.toBeDefined();
  });

  it('shares one destination counter between the limiters of different calls', async () => {
    const store = memoryLimiterStore();
    const rule: LimitRule = {
      name: 'destination-hour',
      subject: 'destination',
      points: 2,
      durationSeconds: 60,
    };
    const signUp = new AbuseLimiter([rule], store, KEYS);
    const resend = new AbuseLimiter([{ ...rule }], store, KEYS);
    const destinations = [destinationKey('victim@example.com') ?? ''];
    await signUp.consume({ username: 'a', ip: '192.0.2.1', reach: reachOf(destinations) });
    await resend.consume({ username: 'b', ip: '192.0.2.2', reach: reachOf(destinations) });
    await expect(
      resend.consume({ username: 'c', ip: '192.0.2.3', reach: reachOf(destinations) }),
    ).rejects.toThrow(/Too many attempts/);
  });

  it('refuses two rules of one name with different budgets', () => {
    const store = memoryLimiterStore();
    const rule: LimitRule = { name: 'same', subject: 'ip', points: 2, durationSeconds: 60 };
    store.createLimiter(rule);
    expect(() => store.createLimiter({ ...rule, points: 3 })).toThrow(/different budgets/);
  });
});

describe('destinationKey', () => {
  it('merges the spellings that reach one inbox', () => {
    const key = destinationKey('victim@example.com');
    for (const spelling of ['VICTIM@Example.COM', ' victim+1@example.com ', 'victim+bomb.2@EXAMPLE.com'])
      expect(destinationKey(spelling)).toBe(key);
    expect(destinationKey('v.i.c.t.i.m+x@googlemail.com')).toBe(destinationKey('victim@gmail.com'));
    expect(destinationKey('v.ictim@example.com')).not.toBe(key);
  });

  it('merges the spellings of one phone number', () => {
    const key = destinationKey('+15550100123');
    expect(destinationKey('+1 (555) 010-0123')).toBe(key);
    expect(destinationKey('+1.555.010.0123')).toBe(key);
  });

  it('hashes, so stores never hold the address', () => {
    expect(destinationKey('victim@example.com')).not.toMatch(/victim|example/);
  });

  it('is undefined for what is not an address, and sign-ups give their email and phone', () => {
    expect(destinationKey('jane')).toBeUndefined();
    expect(
      attributeDestinations([
        { name: 'email', value: 'jane@example.com' },
        { name: 'phone_number', value: '+15550100123' },
        { name: 'custom:email', value: 'other@example.com' },
      ]),
    ).toEqual([destinationKey('jane@example.com'), destinationKey('+15550100123')]);
  });
});

describe('giving points back', () => {
  it('gives nothing back once the window the point was taken in has ended', async () => {
    const rule: LimitRule = { name: 'w', subject: 'username', points: 1, durationSeconds: 1 };
    const l = new AbuseLimiter([rule], memoryLimiterStore(), KEYS);
    const ticket = await l.consume({ username: 'jane', ip: '192.0.2.1' });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await ticket.settle('not-reached');
    await ticket.settle('not-reached');
    await l.consume({ username: 'jane', ip: '192.0.2.1' });
    await expect(l.consume({ username: 'jane', ip: '192.0.2.1' })).rejects.toThrow(/Too many attempts/);
  });
});
