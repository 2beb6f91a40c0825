// AbuseLimiter.usedRatio, which the adaptive challenge reads: the largest share used of the rules that cover a
// call's subjects, looked up without taking a point.
import { describe, expect, it } from 'vitest';
import { AbuseLimiter, type LimitRule } from '../../../src/limits/abuse-limiter';
import { reachOf } from '../../../src/limits/code-reach';
import { destinationKey } from '../../../src/limits/destination';
import { memoryLimiterStore } from '../../../src/limits/limiter-store';

const KEYS = { usernameCaseSensitive: false, ipv6PrefixBits: 64 };
const RULES: LimitRule[] = [
  { name: 'ip', subject: 'ip', points: 4, durationSeconds: 3_600 },
  { name: 'user', subject: 'username', points: 10, durationSeconds: 3_600 },
  { name: 'dest', subject: 'destination', points: 5, durationSeconds: 3_600 },
  { name: 'off', subject: 'username', points: 0, durationSeconds: 3_600 },
];

describe('AbuseLimiter.usedRatio', () => {
  it('is 0 before anything is counted, and for a limiter with no rules in force', async () => {
    const l = new AbuseLimiter(RULES, memoryLimiterStore(), KEYS);
    expect(await l.usedRatio({ username: 'jane', ip: '192.0.2.1' })).toBe(0);
    const none = new AbuseLimiter([], memoryLimiterStore(), KEYS);
    expect(await none.usedRatio({ username: 'jane', ip: '192.0.2.1' })).toBe(0);
  });

  it('is the largest share used over the rules covering the subjects, and takes no point', async () => {
    const l = new AbuseLimiter(RULES, memoryLimiterStore(), KEYS);
    const jane = { username: 'jane', ip: '192.0.2.1' };
    for (let i = 0; i < 3; i++) await l.consume(jane);
    // ip: 3 of 4, username: 3 of 10.
    expect(await l.usedRatio(jane)).toBe(0.75);
    expect(await l.usedRatio(jane)).toBe(0.75);
    // Another IP of the same user: only the username's rule is used, 3 of 10.
    expect(await l.usedRatio({ username: 'JANE', ip: '192.0.2.2' })).toBeCloseTo(0.3);
    // Another user from the same IP shares the IP's rule.
    expect(await l.usedRatio({ username: 'sam', ip: '192.0.2.1' })).toBe(0.75);
    // The 4th call still passes: looking took nothing.
    await l.consume(jane);
    expect(await l.usedRatio(jane)).toBe(1);
  });

  it('covers every destination of the call', async () => {
    const l = new AbuseLimiter(RULES, memoryLimiterStore(), KEYS);
    const inbox = destinationKey('jane@example.com') ?? '';
    for (let i = 0; i < 3; i++)
      await l.consume({ username: `user${i}`, ip: `192.0.2.${10 + i}`, reach: reachOf([inbox]) });
    expect(await l.usedRatio({ username: 'new', ip: '192.0.2.99' })).toBe(0);
    const other = destinationKey('sam@example.com') ?? '';
    expect(await l.usedRatio({ username: 'new', ip: '192.0.2.99', reach: reachOf([other, inbox]) })).toBe(
      0.6,
    );
  });
});
