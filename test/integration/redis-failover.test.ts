// A Redis fail-over must never be a budget reset: while Redis answers, the gateway keeps a warm in-memory
// shadow of every counter and destination link it touched, and answers from it when Redis dies, and reads
// the larger of the two when an empty Redis comes back. Real Redis, killed mid-test; counts what reached
// Cognito.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { codeOf } from '../support/answers';
import { type Harness, startHarness } from '../support/gateway-harness';
import { type RedisInstance, skipWithoutRedis, startRedis } from '../support/redis-server';
import { resend, signUpWith } from '../support/user-pool-requests';

const SKIP = skipWithoutRedis('redis fail-over');

describe.skipIf(SKIP)('limits across a Redis fail-over', () => {
  let redis: RedisInstance;
  let h: Harness;
  const extra: RedisInstance[] = [];

  beforeEach(async () => {
    redis = await startRedis();
    h = await startHarness({
      env: {
        REDIS_URL: redis.url,
        LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '60',
        LIMIT_RESEND_USERNAME_PER_HOUR: '5',
        LIMIT_RESEND_IP_PER_HOUR: '30',
        LIMIT_SIGN_UP_IP_PER_HOUR: '10',
        LIMIT_DESTINATION_PER_HOUR: '5',
      },
    });
  });
  afterEach(async () => {
    await h.close();
    await redis.stop();
  });
  afterAll(async () => {
    for (const r of extra) await r.stop();
  });

  const resends = () => h.standIn.calls.filter((c) => c.action === 'ResendConfirmationCode').length;
  const signUp = (username: string, email: string) => h.graphql(signUpWith(username, { email }));

  it('refuses the second resend within the cooldown when Redis was killed between the two', async () => {
    await h.signUp('between');
    expect(codeOf(await h.graphql(resend({ username: 'between' })))).toBe('OK');
    redis.kill();
    await redis.exited;
    expect(codeOf(await h.graphql(resend({ username: 'between' })))).toBe('RATE_LIMITED');
    expect(codeOf(await h.graphql(resend({ username: 'BETWEEN' })))).toBe('RATE_LIMITED');
    expect(resends()).toBe(1);
    expect(h.logs.some((l) => l.includes('redis unreachable'))).toBe(true);
  });

  it('keeps counting codes to one inbox, and the links of usernames to it, through the fail-over', async () => {
    for (let i = 0; i < 3; i++) expect(codeOf(await signUp(`inbox.${i}`, 'bombed@example.com'))).toBe('OK');
    redis.kill();
    await redis.exited;
    const after = [];
    for (let i = 3; i < 6; i++) after.push(codeOf(await signUp(`inbox.${i}`, 'bombed@example.com')));
    expect(after).toEqual(['OK', 'OK', 'RATE_LIMITED']);
    // A resend for a username learned before the outage is still counted against the inbox.
    expect(codeOf(await h.graphql(resend({ username: 'inbox.0' })))).toBe('RATE_LIMITED');
    expect(h.standIn.outbox.list().filter((m) => m.destination === 'bombed@example.com')).toHaveLength(5);
  });

  it('keeps the cooldown when an empty Redis comes back in place of the killed one', async () => {
    await h.signUp('restarted');
    expect(codeOf(await h.graphql(resend({ username: 'restarted' })))).toBe('OK');
    redis.kill();
    await redis.exited;
    expect(codeOf(await h.graphql(resend({ username: 'restarted' })))).toBe('RATE_LIMITED');
    const fresh = await startRedis(redis.port);
    extra.push(fresh);
    // The gateway reconnects and, after its back-off, uses Redis again.
    const deadline = Date.now() + 15_000;
    while (!h.logs.some((l) => l.includes('redis is back')) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await h.graphql(resend({ username: 'someone.else' }));
    }
    expect(h.logs.some((l) => l.includes('redis is back'))).toBe(true);
    expect(codeOf(await h.graphql(resend({ username: 'restarted' })))).toBe('RATE_LIMITED');
    const calls = h.standIn.calls.filter(
      (c) =>
        c.action === 'ResendConfirmationCode' &&
        (c.body as { Username?: string } | undefined)?.Username === 'restarted',
    );
    expect(calls).toHaveLength(1);
  });

  it('does not let a budget be spent again when an empty Redis comes back', async () => {
    for (let i = 0; i < 4; i++) expect(codeOf(await signUp(`spent.${i}`, 'spent@example.com'))).toBe('OK');
    redis.kill();
    await redis.exited;
    const fresh = await startRedis(redis.port);
    extra.push(fresh);
    const deadline = Date.now() + 15_000;
    for (let n = 0; !h.logs.some((l) => l.includes('redis is back')) && Date.now() < deadline; n++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await signUp(`elsewhere.${n}`, `elsewhere.${n}@example.org`);
    }
    expect(h.logs.some((l) => l.includes('redis is back'))).toBe(true);
    const after = [];
    for (let i = 4; i < 10; i++) after.push(codeOf(await signUp(`spent.${i}`, 'spent@example.com')));
    expect(after).toEqual([
      'OK',
      'RATE_LIMITED',
      'RATE_LIMITED',
      'RATE_LIMITED',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    expect(h.standIn.outbox.list().filter((m) => m.destination === 'spent@example.com')).toHaveLength(5);
    // Redis was healed: it now holds the count the shadow knew, for the other instances.
    const { Redis } = await import('ioredis');
    const client = new Redis(fresh.url);
    const keys = await client.keys('{cognito-gateway}:destination-hour:*');
    const counts = await Promise.all(keys.map((k) => client.get(k)));
    client.disconnect();
    expect(counts.map(Number)).toContain(5);
  });
});
