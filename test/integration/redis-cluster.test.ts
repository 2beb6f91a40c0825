// Limits shared through a Redis Cluster (REDIS_MODE=cluster), as ElastiCache Serverless and cluster-mode
// caches need: two gateways, each with its own cluster client, in front of one stand-in, on a real local
// cluster of three masters (and a replica each where a master is killed). Counts what reached Cognito.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redisLimiterStore } from '../../src/limits/store/redis-store';
import { createLogger } from '../../src/logger';
import { codeOf } from '../support/answers';
import { fetchChallenge, solvedResponse } from '../support/challenge';
import {
  type GatewayHarness,
  type Harness,
  startGatewayHarness,
  startHarness,
} from '../support/gateway-harness';
import { type RedisCluster, skipWithoutRedisCluster, startRedisCluster } from '../support/redis-cluster';
import { resend, signUp, signUpWith, TEST_PASSWORD } from '../support/user-pool-requests';

const SKIP = skipWithoutRedisCluster('redis cluster');

/** Any key of the gateway's: all of them are in this hash tag's slot. */
const GATEWAY_KEY = '{cognito-gateway}';

const LIMITS = {
  LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '60',
  LIMIT_RESEND_USERNAME_PER_HOUR: '5',
  LIMIT_RESEND_IP_PER_HOUR: '1000',
  LIMIT_SIGN_UP_IP_PER_HOUR: '1000',
  LIMIT_DESTINATION_PER_HOUR: '5',
};

/** Gateway A (with the stand-in) and gateway B in front of A's pool, both on `cluster`. */
async function startPair(
  cluster: RedisCluster,
  env: Record<string, string> = {},
): Promise<[Harness, GatewayHarness]> {
  const clusterEnv = { REDIS_MODE: 'cluster', REDIS_URL: cluster.url, ...LIMITS, ...env };
  const a = await startHarness({ env: clusterEnv });
  const b = await startGatewayHarness(
    { url: a.standIn.url, poolId: a.poolId, clientId: a.clientId, clientSecret: a.clientSecret },
    { env: clusterEnv },
  );
  return [a, b];
}

function callsOf(a: Harness, action: string, username: (name: string) => boolean): number {
  return a.standIn.calls.filter(
    (c) => c.action === action && username(String((c.body as { Username?: unknown } | undefined)?.Username)),
  ).length;
}

const waitFor = async (done: () => boolean, poke: () => Promise<unknown>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await poke();
  }
};

describe.skipIf(SKIP)('limits shared by two gateways through a three-master Redis Cluster', () => {
  let cluster: RedisCluster;
  let a: Harness;
  let b: GatewayHarness;

  beforeAll(async () => {
    cluster = await startRedisCluster({ replicas: 0 });
    [a, b] = await startPair(cluster, {
      CHALLENGE_MODE: 'always',
      CHALLENGE_HMAC_KEY: 'cluster-challenge-key-0123456789abcdef',
      CHALLENGE_COST: '100',
    });
  }, 60_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await cluster?.stop();
  });

  /** signUp with a fresh solution of a challenge issued by `from`. */
  async function signUpSolved(through: GatewayHarness, username: string, email: string, response?: string) {
    const challengeResponse = response ?? (await solvedResponse(await fetchChallenge(through.url)));
    return through.graphql(
      signUp({
        username,
        password: TEST_PASSWORD,
        challengeResponse,
        userAttributes: [{ name: 'email', value: email }],
      }),
    );
  }

  it('lets one of six resends for a username, alternating over both gateways, reach Cognito', async () => {
    await a.signUp('cluster.alternating');
    const codes = [];
    for (let i = 0; i < 6; i++) {
      const through = i % 2 === 0 ? a : b;
      const challengeResponse = await solvedResponse(await fetchChallenge(through.url));
      codes.push(
        codeOf(await through.graphql(resend({ username: 'cluster.alternating', challengeResponse }))),
      );
    }
    expect(codes.filter((code) => code === 'RATE_LIMITED')).toHaveLength(5);
    expect(codes[0]).toBe('OK');
    expect(callsOf(a, 'ResendConfirmationCode', (u) => u === 'cluster.alternating')).toBe(1);
  });

  it('sends five codes to one inbox through both gateways, whatever the usernames, and no sixth', async () => {
    const codes = [];
    for (let i = 0; i < 8; i++) {
      codes.push(
        codeOf(await signUpSolved(i % 2 === 0 ? a : b, `cluster.inbox.${i}`, 'cluster.inbox@example.com')),
      );
    }
    expect(codes.filter((c) => c === 'OK')).toHaveLength(5);
    expect(codes.slice(5)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(a.standIn.outbox.list().filter((m) => m.destination === 'cluster.inbox@example.com')).toHaveLength(
      5,
    );
  });

  it('passes one solution of a challenge once, on either gateway', async () => {
    const response = await solvedResponse(await fetchChallenge(a.url));
    expect(codeOf(await signUpSolved(b, 'cluster.pow.first', 'pow.1@example.com', response))).toBe('OK');
    expect(codeOf(await signUpSolved(a, 'cluster.pow.second', 'pow.2@example.com', response))).toBe(
      'CHALLENGE_FAILED',
    );
    expect(codeOf(await signUpSolved(b, 'cluster.pow.third', 'pow.3@example.com', response))).toBe(
      'CHALLENGE_FAILED',
    );
    expect(callsOf(a, 'SignUp', (u) => u.startsWith('cluster.pow.'))).toBe(1);
  });

  it("keeps every key of the gateway's in one hash slot, on one master", async () => {
    const perNode = await Promise.all(cluster.nodes.map((n) => cluster.command(n, 'DBSIZE').then(Number)));
    const serving = await cluster.masterOf(GATEWAY_KEY);
    const slot = Number(await cluster.command(serving, 'CLUSTER', 'KEYSLOT', GATEWAY_KEY));
    const inSlot = Number(await cluster.command(serving, 'CLUSTER', 'COUNTKEYSINSLOT', String(slot)));
    expect(inSlot).toBeGreaterThan(10);
    expect(perNode.reduce((sum, n) => sum + n, 0)).toBe(inSlot);
  });

  it('serves a first burst right after start from the cluster, not from memory (fresh stores, 5 times)', async () => {
    // ioredis opens a node's connection when a command first needs it, and without an offline queue it
    // refused the other commands of a burst meanwhile: each new instance fell back to its own limits for 5 s.
    for (let i = 0; i < 5; i++) {
      const store = redisLimiterStore(
        {
          mode: 'cluster',
          nodes: cluster.nodes.map((n) => ({ host: '127.0.0.1', port: n.port })),
          tls: false,
        },
        createLogger('silent'),
      );
      try {
        await store.ready();
        const burst = await Promise.allSettled(
          Array.from({ length: 20 }, (_, j) => store.links.members(`burst.${i}.${j}`)),
        );
        expect(burst.filter((r) => r.status === 'rejected')).toEqual([]);
        expect(store.healthy()).toBe(true);
      } finally {
        await store.close();
      }
    }
  });

  it('keeps every spent budget spent when the whole cluster is unreachable, and says so', async () => {
    await a.signUp('cluster.down');
    expect(
      codeOf(await a.graphql(resend({ username: 'cluster.down', challengeResponse: await solvedFrom(a) }))),
    ).toBe('OK');
    for (const node of cluster.nodes) node.kill();
    await Promise.all(cluster.nodes.map((n) => n.exited));
    // A spent it: refused from its shadow, before it has noticed the outage and after, without waiting on Redis.
    for (const through of [a, a]) {
      const started = performance.now();
      const reply = await through.graphql(
        resend({ username: 'cluster.down', challengeResponse: await solvedFrom(a) }),
      );
      expect(codeOf(reply)).toBe('RATE_LIMITED');
      expect(performance.now() - started).toBeLessThan(1_500);
    }
    // B had spent the inbox's budget with A: its own shadow holds it too.
    expect(codeOf(await signUpSolved(b, 'cluster.inbox.after', 'cluster.inbox@example.com'))).toBe(
      'RATE_LIMITED',
    );
    expect(callsOf(a, 'ResendConfirmationCode', (u) => u === 'cluster.down')).toBe(1);
    expect(a.standIn.outbox.list().filter((m) => m.destination === 'cluster.inbox@example.com')).toHaveLength(
      5,
    );
    expect(a.logs.some((l) => l.includes('redis unreachable'))).toBe(true);
    const ready = await fetch(a.url.replace(/\/graphql$/, '/readyz'));
    expect(ready.status).toBe(503);
  });

  const solvedFrom = async (h: GatewayHarness) => solvedResponse(await fetchChallenge(h.url));
});

describe.skipIf(SKIP)(
  'limits through a Redis Cluster whose master is killed and replaced by its replica',
  () => {
    let cluster: RedisCluster;
    let a: Harness;
    let b: GatewayHarness;

    beforeEach(async () => {
      cluster = await startRedisCluster({ replicas: 1 });
      [a, b] = await startPair(cluster);
    }, 60_000);
    afterEach(async () => {
      await b?.close();
      await a?.close();
      await cluster?.stop();
    });

    it('refuses every spent budget during the fail-over and after the promotion, on both gateways', async () => {
      // Spent before the kill: A's user's cooldown, B's user's cooldown, 3 of the inbox's 5 codes over both.
      await a.signUp('failover.a');
      await a.signUp('failover.b');
      expect(codeOf(await a.graphql(resend({ username: 'failover.a' })))).toBe('OK');
      expect(codeOf(await b.graphql(resend({ username: 'failover.b' })))).toBe('OK');
      for (let i = 0; i < 3; i++) {
        const through = i % 2 === 0 ? a : b;
        expect(
          codeOf(await through.graphql(signUpWith(`failover.inbox.${i}`, { email: 'failover@example.com' }))),
        ).toBe('OK');
      }

      const master = await cluster.masterOf(GATEWAY_KEY);
      master.kill();
      await master.exited;
      // While the cluster fails over, each gateway answers from its shadow: what it spent stays spent.
      expect(codeOf(await a.graphql(resend({ username: 'failover.a' })))).toBe('RATE_LIMITED');
      expect(codeOf(await b.graphql(resend({ username: 'failover.b' })))).toBe('RATE_LIMITED');

      const promoted = await cluster.waitForPromotion(GATEWAY_KEY, master);
      expect(promoted.port).not.toBe(master.port);
      const back = (h: GatewayHarness) => h.logs.some((l) => l.includes('redis is back'));
      await waitFor(
        () => back(a) && back(b),
        () =>
          Promise.all([
            a.graphql(resend({ username: 'nobody.a' })),
            b.graphql(resend({ username: 'nobody.b' })),
          ]),
        20_000,
      );
      expect({ a: back(a), b: back(b) }).toEqual({ a: true, b: true });

      // After the promotion, the replica's copy holds what either spent: each gateway refuses the other's too.
      expect(codeOf(await b.graphql(resend({ username: 'failover.a' })))).toBe('RATE_LIMITED');
      expect(codeOf(await a.graphql(resend({ username: 'failover.b' })))).toBe('RATE_LIMITED');
      const after = [];
      for (let i = 3; i < 7; i++) {
        const through = i % 2 === 0 ? a : b;
        after.push(
          codeOf(await through.graphql(signUpWith(`failover.inbox.${i}`, { email: 'failover@example.com' }))),
        );
      }
      expect(after).toEqual(['OK', 'OK', 'RATE_LIMITED', 'RATE_LIMITED']);

      expect(callsOf(a, 'ResendConfirmationCode', (u) => u.startsWith('failover.'))).toBe(2);
      expect(a.standIn.outbox.list().filter((m) => m.destination === 'failover@example.com')).toHaveLength(5);
    }, 60_000);
  },
);
