// Gateway.resetLimits() (what the local stand-in's DELETE /_local/limits calls in `npm start`'s local mode)
// forgets every abuse-limit counter and destination link, in memory and in Redis (with its shadow), so a
// refused call goes through again; Redis keys that are not the gateway's are left alone.
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { codeOf } from '../support/answers';
import { type Harness, startHarness } from '../support/gateway-harness';
import { type RedisInstance, skipWithoutRedis, startRedis } from '../support/redis-server';
import { resend, signUpWith } from '../support/user-pool-requests';

function signUp(h: Harness, username: string, email = `${username}@example.com`) {
  return h.graphql(signUpWith(username, { email }));
}

/** The same behaviour in front of either store. */
function resetBehaviour(start: (env: Record<string, string>) => Promise<Harness>) {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('lets a signUp refused by the per-IP limit through again', async () => {
    h = await start({ LIMIT_SIGN_UP_IP_PER_HOUR: '1' });
    expect(codeOf(await signUp(h, 'first'))).toBe('OK');
    expect(codeOf(await signUp(h, 'second'))).toBe('RATE_LIMITED');
    await h.gateway.resetLimits();
    expect(codeOf(await signUp(h, 'second'))).toBe('OK');
    expect(codeOf(await signUp(h, 'third'))).toBe('RATE_LIMITED');
  });

  it('lets a resend refused by the cooldown through again', async () => {
    h = await start({ LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '60' });
    await h.signUp('cooled');
    expect(codeOf(await h.graphql(resend({ username: 'cooled' })))).toBe('OK');
    expect(codeOf(await h.graphql(resend({ username: 'cooled' })))).toBe('RATE_LIMITED');
    await h.gateway.resetLimits();
    expect(codeOf(await h.graphql(resend({ username: 'cooled' })))).toBe('OK');
  });

  it('forgets the links of usernames to their inboxes', async () => {
    h = await start({ LIMIT_DESTINATION_PER_HOUR: '1' });
    expect(codeOf(await signUp(h, 'linked', 'inbox@example.com'))).toBe('OK');
    await h.gateway.resetLimits();
    // Had the link survived, this resend would take the inbox's one code of the hour.
    expect(codeOf(await h.graphql(resend({ username: 'linked' })))).toBe('OK');
    expect(codeOf(await signUp(h, 'other', 'inbox@example.com'))).toBe('OK');
    expect(codeOf(await signUp(h, 'third', 'inbox@example.com'))).toBe('RATE_LIMITED');
  });
}

describe('resetLimits with the in-memory store', () => {
  resetBehaviour((env) => startHarness({ env }));
});

describe.skipIf(skipWithoutRedis('resetLimits'))('resetLimits with the Redis store', () => {
  let redis: RedisInstance | undefined;
  let client: Redis | undefined;
  afterEach(async () => {
    client?.disconnect();
    await redis?.stop();
    redis = undefined;
    client = undefined;
  });

  resetBehaviour(async (env) => {
    redis = await startRedis();
    return startHarness({ env: { ...env, REDIS_URL: redis.url } });
  });

  it("deletes the gateway's keys from Redis and no others", async () => {
    redis = await startRedis();
    client = new Redis(redis.url);
    await client.set('someone-else:key', 'kept');
    const h = await startHarness({ env: { REDIS_URL: redis.url, LIMIT_SIGN_UP_IP_PER_HOUR: '100' } });
    try {
      for (let i = 0; i < 30; i++) expect(codeOf(await signUp(h, `many.${i}`))).toBe('OK');
      expect((await client.keys('{cognito-gateway}:*')).length).toBeGreaterThan(30);
      await h.gateway.resetLimits();
      expect(await client.keys('*')).toEqual(['someone-else:key']);
    } finally {
      await h.close();
    }
  });
});
