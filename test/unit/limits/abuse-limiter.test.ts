import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { AbuseLimiter } from '../../../src/limits/abuse-limiter';
import { ipKey, usernameKey } from '../../../src/limits/limit-keys';
import type { LimitValues } from '../../../src/limits/limit-settings';
import { memoryLimiterStore } from '../../../src/limits/limiter-store';
import { resendConfirmationCodeCall } from '../../../src/user-pool-calls/resend-confirmation-code/call';
import type { resendConfirmationCodeLimits } from '../../../src/user-pool-calls/resend-confirmation-code/limits';

/** The resend call's own rules with these limits; the destination cap, shared with other calls, off. */
function resendLimitRules(own: LimitValues<typeof resendConfirmationCodeLimits>) {
  return resendConfirmationCodeCall.limitRules(own, {
    destinationPerHour: 0,
    smsPerCountryPerHour: 0,
    smsPerHour: 0,
    emailPerHour: 0,
    unknownDestinationPerHour: 0,
  });
}

function limiter(
  limits: { usernameCooldownSeconds: number; usernamePerHour: number; ipPerHour: number },
  caseSensitive = false,
) {
  return new AbuseLimiter(resendLimitRules(limits), memoryLimiterStore(), {
    usernameCaseSensitive: caseSensitive,
    ipv6PrefixBits: 64,
  });
}

async function refusal(promise: Promise<unknown>): Promise<GraphQLError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('expected RATE_LIMITED');
}

describe('AbuseLimiter', () => {
  it('refuses a second send to one username within the cooldown, with retryAfterSeconds', async () => {
    const l = limiter({ usernameCooldownSeconds: 60, usernamePerHour: 5, ipPerHour: 30 });
    await l.consume({ username: 'jane', ip: '192.0.2.1' });
    const error = await refusal(l.consume({ username: 'jane', ip: '192.0.2.2' }));
    expect(error.extensions).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
    expect(error.message).toBe('Too many attempts; try again in 60 s.');
  });

  it('compares usernames case-insensitively by default', async () => {
    const l = limiter({ usernameCooldownSeconds: 60, usernamePerHour: 5, ipPerHour: 30 });
    await l.consume({ username: 'Jane@Example.com', ip: '192.0.2.1' });
    await expect(l.consume({ username: 'jane@example.COM', ip: '192.0.2.1' })).rejects.toThrow(
      /Too many attempts/,
    );
  });

  it('keeps case-different usernames apart when the pool is case-sensitive', async () => {
    const l = limiter({ usernameCooldownSeconds: 60, usernamePerHour: 5, ipPerHour: 30 }, true);
    await l.consume({ username: 'Jane', ip: '192.0.2.1' });
    await expect(l.consume({ username: 'jane', ip: '192.0.2.1' })).resolves.toBeDefined();
  });

  it('caps sends per username per hour', async () => {
    const l = limiter({ usernameCooldownSeconds: 0, usernamePerHour: 3, ipPerHour: 100 });
    for (let i = 0; i < 3; i++) await l.consume({ username: 'jane', ip: `192.0.2.${i}` });
    const error = await refusal(l.consume({ username: 'jane', ip: '192.0.2.9' }));
    expect(error.extensions.retryAfterSeconds).toBeGreaterThan(3_500);
  });

  it('caps sends per IP per hour across usernames', async () => {
    const l = limiter({ usernameCooldownSeconds: 60, usernamePerHour: 5, ipPerHour: 2 });
    await l.consume({ username: 'a', ip: '192.0.2.1' });
    await l.consume({ username: 'b', ip: '192.0.2.1' });
    await expect(l.consume({ username: 'c', ip: '192.0.2.1' })).rejects.toThrow(/Too many attempts/);
    await expect(l.consume({ username: 'c', ip: '192.0.2.2' })).resolves.toBeDefined();
  });

  it('gives back what other limits took when one refuses, so refusals cost no budget', async () => {
    const l = limiter({ usernameCooldownSeconds: 0, usernamePerHour: 5, ipPerHour: 1 });
    await l.consume({ username: 'a', ip: '192.0.2.1' });
    // Refused by the IP limit: the username's hourly budget must not shrink.
    for (let i = 0; i < 10; i++)
      await expect(l.consume({ username: 'b', ip: '192.0.2.1' })).rejects.toThrow();
    for (let i = 0; i < 5; i++) await l.consume({ username: 'b', ip: `198.51.100.${i}` });
    await expect(l.consume({ username: 'b', ip: '198.51.100.99' })).rejects.toThrow(/Too many attempts/);
  });

  it('creates no records for refused calls, so a flood of distinct usernames costs no memory', async () => {
    const store = memoryLimiterStore();
    const rules = resendLimitRules({
      usernameCooldownSeconds: 60,
      usernamePerHour: 5,
      ipPerHour: 1,
    });
    const l = new AbuseLimiter(rules, store, { usernameCaseSensitive: false, ipv6PrefixBits: 64 });
    await l.consume({ username: 'first', ip: '192.0.2.1' });
    const held = store.memoryUse().counterBytes;
    expect(held).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++)
      await expect(l.consume({ username: `flood.${i}`, ip: '192.0.2.1' })).rejects.toThrow();
    expect(store.memoryUse().counterBytes).toBe(held);
  });

  it('gives every point back through the ticket of a call that never reached Cognito', async () => {
    const l = limiter({ usernameCooldownSeconds: 60, usernamePerHour: 5, ipPerHour: 1 });
    const ticket = await l.consume({ username: 'jane', ip: '192.0.2.1' });
    await ticket.settle('not-reached');
    await expect(l.consume({ username: 'jane', ip: '192.0.2.1' })).resolves.toBeDefined();
  });

  it('counts an IPv6 /64 as one caller', async () => {
    const l = limiter({ usernameCooldownSeconds: 0, usernamePerHour: 0, ipPerHour: 2 });
    await l.consume({ username: 'a', ip: '2001:db8:1:2::1' });
    await l.consume({ username: 'b', ip: '2001:db8:1:2:ffff::9' });
    await expect(l.consume({ username: 'c', ip: '2001:db8:1:2:abcd::1' })).rejects.toThrow(
      /Too many attempts/,
    );
    await expect(l.consume({ username: 'c', ip: '2001:db8:1:3::1' })).resolves.toBeDefined();
  });

  it('turns a limit off with 0', async () => {
    const l = limiter({ usernameCooldownSeconds: 0, usernamePerHour: 0, ipPerHour: 0 });
    for (let i = 0; i < 50; i++) await l.consume({ username: 'jane', ip: '192.0.2.1' });
  });
});

describe('usernameKey', () => {
  it('hashes, so stores never hold the address', () => {
    expect(usernameKey('jane@example.com', false)).not.toContain('jane');
    expect(usernameKey('jane@example.com', false)).toHaveLength(32);
  });

  it('treats NFC and NFD spellings as one username', () => {
    expect(usernameKey('j\u00f6rg', false)).toBe(usernameKey('jo\u0308rg', false));
  });

  it('folds letters that lower-casing alone keeps apart', () => {
    expect(usernameKey('\u017fam', false)).toBe(usernameKey('sam', false)); // long s
    expect(usernameKey('\uff4aane', false)).toBe(usernameKey('jane', false)); // fullwidth j
  });
});

describe('ipKey', () => {
  it('keeps IPv4 as is and keys IPv6 by its network prefix', () => {
    expect(ipKey('192.0.2.1', 64)).toBe('192.0.2.1');
    expect(ipKey('2001:db8:1:2:3:4:5:6', 64)).toBe('2001:db8:1:2::/64');
    expect(ipKey('2001:db8:1:2:3:4:5:6', 56)).toBe('2001:db8:1::/56');
    expect(ipKey('2001:db8:1:2:3:4:5:6', 128)).toBe('2001:db8:1:2:3:4:5:6/128');
  });
});
