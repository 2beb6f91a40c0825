// Whole-process tests of abuse limits shared through Redis: two built gateway processes (what `npm start` runs)
// in front of one in-process Cognito stand-in and one real, private Redis server. Needs `npm run build` first.
// The answered proof-of-work challenges are shared the same way, so that a solution passes once, on one of them.
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { fetchChallenge, solvedResponse } from '../support/challenge';
import { type RedisCluster, skipWithoutRedisCluster, startRedisCluster } from '../support/redis-cluster';
import { type RedisInstance, skipWithoutRedis, startRedis } from '../support/redis-server';
import {
  resend as resendRequest,
  signUp as signUpRequest,
  signUpWith,
  TEST_PASSWORD,
} from '../support/user-pool-requests';
import { MAIN, type Started, startProcess } from './process';

const SKIP = skipWithoutRedis('shared-limits');

interface Reply {
  status: number;
  ms: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  body: any;
}

interface GatewayProcess {
  name: string;
  url: string;
  process: Started;
}

async function resend(gateway: GatewayProcess, username: string): Promise<Reply> {
  const started = performance.now();
  const res = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(resendRequest({ username })),
    // A gateway that hangs on a dead Redis fails the test with a clear timeout rather than stalling it.
    signal: AbortSignal.timeout(5_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Non-JSON bodies stay text for the assertion message.
  }
  return { status: res.status, ms: performance.now() - started, body };
}

function expectDelivered(reply: Reply, from: string): void {
  expect({ from, status: reply.status, body: reply.body }).toEqual({
    from,
    status: 200,
    body: {
      data: {
        resendConfirmationCode: {
          codeDeliveryDetails: {
            destination: expect.stringMatching(/^\S+\*\*\*@\S+$/),
            deliveryMedium: 'EMAIL',
            attributeName: 'email',
          },
        },
      },
    },
  });
}

function expectRateLimited(reply: Reply, from: string): void {
  expect({ from, status: reply.status, data: reply.body?.data }).toEqual({ from, status: 200, data: null });
  const extensions = reply.body?.errors?.[0]?.extensions;
  expect({ from, code: extensions?.code }).toEqual({ from, code: 'RATE_LIMITED' });
  const retryAfter = extensions?.retryAfterSeconds;
  expect(Number.isInteger(retryAfter) && retryAfter > 0, `${from}: retryAfterSeconds ${retryAfter}`).toBe(
    true,
  );
}

/** The JSON log lines a gateway process wrote to stdout. */
function logLines(gateway: GatewayProcess): Array<Record<string, unknown>> {
  return gateway.process.stdout.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      return [JSON.parse(line) as Record<string, unknown>];
    } catch {
      return [];
    }
  });
}

const isRedisOutage = (line: Record<string, unknown>) =>
  typeof line.msg === 'string' && line.msg.startsWith('redis unreachable');

/** Log lines reach the test through a pipe, possibly after the response that caused them: poll. */
async function waitForLine(
  gateway: GatewayProcess,
  matches: (line: Record<string, unknown>) => boolean,
  what: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!logLines(gateway).some(matches)) {
    if (performance.now() > deadline) {
      throw new Error(`gateway ${gateway.name} logged no "${what}" line within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function waitForOutageLog(gateway: GatewayProcess, timeoutMs: number): Promise<void> {
  return waitForLine(gateway, isRedisOutage, 'redis unreachable', timeoutMs);
}

function isAlive(gateway: GatewayProcess): boolean {
  return gateway.process.child.exitCode === null && gateway.process.child.signalCode === null;
}

async function stopGateway(gateway: GatewayProcess): Promise<void> {
  if (!isAlive(gateway)) return;
  gateway.process.child.kill('SIGTERM');
  const timer = setTimeout(() => gateway.process.child.kill('SIGKILL'), 10_000);
  await gateway.process.exited;
  clearTimeout(timer);
}

/** Runs commands on a short-lived control connection of the test's own. */
async function withControl<T>(url: string, run: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  await redis.connect();
  try {
    return await run(redis);
  } finally {
    redis.disconnect();
  }
}

/** Redis numbers connections in order: every connection opened after this call gets a larger id. */
function lastConnectionId(url: string): Promise<number> {
  return withControl(url, async (redis) => Number(await redis.client('ID')));
}

/**
 * Waits until `count` connections opened after `afterId` have had a command answered (ioredis's ready check,
 * INFO): from then on those gateways' limiters use Redis. 'gateway listening' alone does not promise that
 * (see the start-up test below).
 */
async function waitForReadyConnections(url: string, afterId: number, count: number): Promise<void> {
  const deadline = performance.now() + 5_000;
  for (;;) {
    const ready = await withControl(url, async (redis) => {
      const list = String(await redis.client('LIST'));
      return list.split('\n').filter((line) => {
        const id = Number(/(?:^|\s)id=(\d+)/.exec(line)?.[1] ?? 0);
        const cmd = /(?:^|\s)cmd=(\S+)/.exec(line)?.[1] ?? 'NULL';
        // Our own control connections only ever run CLIENT commands.
        return id > afterId && cmd !== 'NULL' && !cmd.startsWith('client');
      }).length;
    });
    if (ready >= count) return;
    if (performance.now() > deadline) {
      throw new Error(`only ${ready} of ${count} gateway connections to Redis became ready within 5 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(SKIP)('abuse limits shared through Redis by two gateway processes', () => {
  let standIn: LocalCognito;
  let sdk: CognitoIdentityProviderClient;
  let clientId: string;
  let clientSecret: string;
  let redis: RedisInstance;
  const gateways = new Set<GatewayProcess>();
  const redisServers: RedisInstance[] = [];

  beforeAll(async () => {
    standIn = await startLocalCognito();
    const pool = standIn.createUserPool();
    const client = standIn.createUserPoolClient(pool.id, { generateSecret: true });
    clientId = client.clientId;
    clientSecret = client.clientSecret ?? '';
    sdk = new CognitoIdentityProviderClient({
      region: 'us-east-1',
      endpoint: standIn.url,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    redis = await startRedis();
    redisServers.push(redis);
  });

  afterAll(async () => {
    await stopGateways([...gateways]);
    await Promise.all(redisServers.splice(0).map((r) => r.stop()));
    sdk?.destroy();
    await standIn?.close();
  });

  /** Seeds an unconfirmed user through the real SDK's SignUp, as the integration harness does. */
  async function signUp(username: string): Promise<void> {
    await sdk.send(
      new SignUpCommand({
        ClientId: clientId,
        SecretHash: computeSecretHash(username, clientId, clientSecret),
        Username: username,
        Password: 'correct-horse-battery',
        UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
      }),
    );
  }

  /** How many ResendConfirmationCode calls for this username reached the stand-in. */
  function resendCalls(username: string): number {
    return standIn.calls.filter(
      (call) =>
        call.action === 'ResendConfirmationCode' &&
        (call.body as { Username?: unknown } | undefined)?.Username === username,
    ).length;
  }

  function startGateway(
    name: string,
    redisUrl: string,
    limits: { cooldownSeconds: number; perHour: number },
    env: Record<string, string> = {},
  ): Promise<GatewayProcess> {
    const started = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      COGNITO_REGION: 'us-east-1',
      COGNITO_CLIENT_ID: clientId,
      COGNITO_CLIENT_SECRET: clientSecret,
      COGNITO_ENDPOINT: standIn.url,
      REDIS_URL: redisUrl,
      LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: String(limits.cooldownSeconds),
      LIMIT_RESEND_USERNAME_PER_HOUR: String(limits.perHour),
      LIMIT_RESEND_IP_PER_HOUR: '1000',
      LOG_LEVEL: 'info',
      ...env,
    });
    const gateway: GatewayProcess = { name, url: '', process: started };
    gateways.add(gateway);
    return started.waitForLog('gateway listening', 15_000).then((line) => {
      gateway.url = line.url as string;
      return gateway;
    });
  }

  /** Starts gateways A and B on one Redis; unless told otherwise, waits until both use it. */
  async function startPair(
    redisUrl: string,
    limits: { cooldownSeconds: number; perHour: number },
    options: { waitForRedis: boolean; env?: Record<string, string> } = { waitForRedis: true },
  ): Promise<[GatewayProcess, GatewayProcess]> {
    const before = options.waitForRedis ? await lastConnectionId(redisUrl) : 0;
    const pair = await Promise.all([
      startGateway('A', redisUrl, limits, options.env),
      startGateway('B', redisUrl, limits, options.env),
    ]);
    if (options.waitForRedis) await waitForReadyConnections(redisUrl, before, 2);
    return pair;
  }

  async function stopGateways(list: GatewayProcess[]): Promise<void> {
    await Promise.all(
      list.map(async (gateway) => {
        await stopGateway(gateway);
        gateways.delete(gateway);
      }),
    );
  }

  describe('with a 60 s cooldown', () => {
    let a: GatewayProcess;
    let b: GatewayProcess;
    beforeAll(async () => {
      [a, b] = await startPair(redis.url, { cooldownSeconds: 60, perHour: 5 });
    });
    afterAll(() => stopGateways([a, b].filter(Boolean)));

    it('lets one of six resends for a username alternating over both gateways reach Cognito, and refuses the rest on both', async () => {
      const username = 'alternating.user';
      await signUp(username);
      const replies: Array<{ from: string; reply: Reply }> = [];
      for (let i = 0; i < 6; i++) {
        const gateway = i % 2 === 0 ? a : b;
        replies.push({ from: gateway.name, reply: await resend(gateway, username) });
      }

      const [first, ...rest] = replies;
      expectDelivered(first?.reply as Reply, 'A');
      for (const { from, reply } of rest) expectRateLimited(reply, from);
      expect(resendCalls(username)).toBe(1);
    });

    it('lets exactly one of a concurrent burst over both gateways reach Cognito', async () => {
      const username = 'burst.user';
      await signUp(username);
      const replies = await Promise.all(
        [a, b, a, b, a, b].map(async (g) => ({ from: g.name, reply: await resend(g, username) })),
      );

      const delivered = replies.filter((r) => r.reply.body?.data?.resendConfirmationCode);
      expect(delivered).toHaveLength(1);
      for (const { from, reply } of replies.filter((r) => !delivered.includes(r))) {
        expectRateLimited(reply, from);
      }
      expect(resendCalls(username)).toBe(1);
    });
  });

  describe('with no cooldown and 3 resends per username per hour', () => {
    let a: GatewayProcess;
    let b: GatewayProcess;
    beforeAll(async () => {
      [a, b] = await startPair(redis.url, { cooldownSeconds: 0, perHour: 3 });
    });
    afterAll(() => stopGateways([a, b].filter(Boolean)));

    it('counts resends over both gateways against one hourly cap: the 4th on either is RATE_LIMITED', async () => {
      const username = 'hourly.user';
      await signUp(username);

      for (const gateway of [a, b, a]) expectDelivered(await resend(gateway, username), gateway.name);
      expect(resendCalls(username)).toBe(3);

      for (const gateway of [b, a]) {
        const reply = await resend(gateway, username);
        expectRateLimited(reply, gateway.name);
        expect(reply.body.errors[0].extensions.retryAfterSeconds).toBeLessThanOrEqual(3_600);
      }
      expect(resendCalls(username)).toBe(3);
    });
  });

  describe('with an SMS budget of 6 per country per hour', () => {
    let a: GatewayProcess;
    let b: GatewayProcess;
    let smsClientId: string;
    beforeAll(async () => {
      // A pool that texts its codes, with a client of its own: the gateways sign users up with phone numbers.
      const pool = standIn.createUserPool({ autoVerifiedAttributes: ['phone_number'] });
      const client = standIn.createUserPoolClient(pool.id, { generateSecret: true });
      smsClientId = client.clientId;
      [a, b] = await startPair(
        redis.url,
        { cooldownSeconds: 60, perHour: 5 },
        {
          waitForRedis: true,
          env: {
            COGNITO_CLIENT_ID: client.clientId,
            COGNITO_CLIENT_SECRET: client.clientSecret ?? '',
            TRUST_PROXY: 'loopback',
            LIMIT_SMS_PER_COUNTRY_PER_HOUR: '6',
            LIMIT_SIGN_UP_IP_PER_HOUR: '1000',
          },
        },
      );
    });
    afterAll(() => stopGateways([a, b].filter(Boolean)));

    it('lets 6 of 20 sign-ups with numbers of one country, alternating over both gateways and 20 IPs, reach Cognito', async () => {
      const codes: string[] = [];
      for (let i = 0; i < 20; i++) {
        const gateway = i % 2 === 0 ? a : b;
        const res = await fetch(gateway.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${i + 1}` },
          body: JSON.stringify(
            signUpWith(`pump.${i}`, { phone_number: `+4474001234${String(i).padStart(2, '0')}` }),
          ),
          signal: AbortSignal.timeout(5_000),
        });
        const body = (await res.json()) as {
          errors?: Array<{ extensions: { code: string; rule?: string } }>;
        };
        codes.push(body.errors?.[0]?.extensions.rule ?? body.errors?.[0]?.extensions.code ?? 'OK');
      }
      expect(codes.filter((c) => c === 'OK')).toHaveLength(6);
      expect(codes.filter((c) => c === 'sms-country-hour')).toHaveLength(14);
      const reached = standIn.calls.filter(
        (call) => call.action === 'SignUp' && (call.body as { ClientId?: string }).ClientId === smsClientId,
      );
      expect(reached).toHaveLength(6);
    });
  });

  describe('while a starting gateway waits for Redis to answer', () => {
    // CLIENT PAUSE holds every command, so each new gateway's Redis connection stays open but not ready.
    const PAUSE_MS = 3_000;
    let a: GatewayProcess;
    let b: GatewayProcess;
    afterAll(() => stopGateways([a, b].filter(Boolean)));

    it('never serves with silently per-instance limits: the resend is refused globally, or the fallback is logged', async () => {
      const username = 'starting.user';
      await signUp(username);
      await withControl(redis.url, (control) => control.client('PAUSE', PAUSE_MS, 'ALL'));
      [a, b] = await startPair(redis.url, { cooldownSeconds: 60, perHour: 5 }, { waitForRedis: false });

      expectDelivered(await resend(a, username), 'A');
      const second = await resend(b, username);

      // A gateway may wait for Redis, or answer from memory when it has said so loudly; it must not answer
      // from memory without a word, which lets every new instance grant a fresh budget unnoticed.
      const fellBackLoudly = [a, b].every((g) => logLines(g).some(isRedisOutage));
      if (!fellBackLoudly) {
        expect(
          second.body?.errors?.[0]?.extensions?.code,
          'B answered the 2nd resend within the cooldown from its own memory, and no gateway logged "redis unreachable"',
        ).toBe('RATE_LIMITED');
        expect(resendCalls(username)).toBe(1);
      }
    });
  });

  /** Gateways A and B on a Redis of their own, so that what a test does to that Redis affects no other suite. */
  function pairOnOwnRedis(env: Record<string, string> = {}): {
    redis: RedisInstance;
    a: GatewayProcess;
    b: GatewayProcess;
  } {
    const own = {} as { redis: RedisInstance; a: GatewayProcess; b: GatewayProcess };
    beforeAll(async () => {
      own.redis = await startRedis();
      redisServers.push(own.redis);
      [own.a, own.b] = await startPair(
        own.redis.url,
        { cooldownSeconds: 60, perHour: 5 },
        { waitForRedis: true, env },
      );
    });
    afterAll(() => stopGateways([own.a, own.b].filter(Boolean)));
    return own;
  }

  describe('when Redis dies mid-test', () => {
    const own = pairOnOwnRedis();

    it('keeps both gateways serving promptly with per-instance limits, and each logs the outage once', async () => {
      const { redis: ownRedis, a, b } = own;
      const users = { A: 'after.kill.a', B: 'after.kill.b' } as const;
      await signUp('before.kill');
      await Promise.all(Object.values(users).map(signUp));

      // Limits are shared while Redis lives.
      expectDelivered(await resend(a, 'before.kill'), 'A');
      expectRateLimited(await resend(b, 'before.kill'), 'B');
      expect(logLines(a).some(isRedisOutage) || logLines(b).some(isRedisOutage)).toBe(false);

      ownRedis.kill();
      await ownRedis.exited;

      const after: Array<{ from: string; reply: Reply }> = [];
      const send = async (gateway: GatewayProcess, username: string) => {
        const reply = await resend(gateway, username);
        after.push({ from: gateway.name, reply });
        return reply;
      };

      // At once, before the gateways may even have noticed: a new username is served by both...
      const [firstA, firstB] = await Promise.all([send(a, users.A), send(b, users.B)]);
      expectDelivered(firstA, 'A');
      expectDelivered(firstB, 'B');
      // ...and a repeat on the same gateway is still refused: the limits did not fail open.
      expectRateLimited(await send(a, users.A), 'A');
      expectRateLimited(await send(b, users.B), 'B');

      // Each process says loudly that limits are now per instance.
      await Promise.all([waitForOutageLog(a, 5_000), waitForOutageLog(b, 5_000)]);

      // Later requests, with the Redis client reconnecting in the background, behave the same.
      expectRateLimited(await send(a, users.A), 'A');
      expectRateLimited(await send(b, users.B), 'B');
      await signUp('later.user');
      expectDelivered(await send(b, 'later.user'), 'B');
      expectRateLimited(await send(b, 'later.user'), 'B');

      for (const { from, reply } of after) {
        expect(reply.ms, `${from} answered in ${Math.round(reply.ms)} ms`).toBeLessThan(1_000);
        expect(reply.status, from).toBeLessThan(500);
        const codes = (reply.body?.errors ?? []).map(
          (e: { extensions?: { code?: string } }) => e.extensions?.code,
        );
        expect(codes, from).not.toContain('INTERNAL_SERVER_ERROR');
        expect(codes, from).not.toContain('UPSTREAM_UNAVAILABLE');
      }
      expect(resendCalls(users.A)).toBe(1);
      expect(resendCalls(users.B)).toBe(1);
      expect(resendCalls('later.user')).toBe(1);

      expect(isAlive(a) && isAlive(b)).toBe(true);
      for (const gateway of [a, b]) {
        const health = await fetch(new URL('/healthz', gateway.url), { signal: AbortSignal.timeout(2_000) });
        expect(health.status).toBe(200);
        // Logged once for the outage, not once per reconnect attempt or request.
        expect(logLines(gateway).filter(isRedisOutage)).toHaveLength(1);
      }
    });
  });

  describe('when Redis hangs mid-test', () => {
    // CLIENT PAUSE keeps the connections open but answers no command: the worst case, a Redis that hangs.
    const PAUSE_MS = 3_000;
    const own = pairOnOwnRedis();

    it('fails over to memory promptly, logs it once, and shares limits again when Redis answers', async () => {
      const { redis: ownRedis, a, b } = own;
      for (const u of ['hang.a', 'hang.b', 'after.hang']) await signUp(u);
      await withControl(ownRedis.url, (control) => control.client('PAUSE', PAUSE_MS, 'ALL'));
      const pausedAt = performance.now();

      const first = await resend(a, 'hang.a');
      expectDelivered(first, 'A');
      expect(first.ms, 'the first request pays at most one Redis timeout').toBeLessThan(1_000);
      const repeat = await resend(a, 'hang.a');
      expectRateLimited(repeat, 'A');
      expect(repeat.ms, 'later requests skip the hung Redis').toBeLessThan(200);
      expectDelivered(await resend(b, 'hang.b'), 'B');
      await Promise.all([waitForOutageLog(a, 2_000), waitForOutageLog(b, 2_000)]);

      // Once Redis answers again (and the failover's 5 s back-off has passed), the limits are shared again.
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, PAUSE_MS + 5_500 - (performance.now() - pausedAt))),
      );
      expectDelivered(await resend(a, 'after.hang'), 'A');
      expectRateLimited(await resend(b, 'after.hang'), 'B');
      expect(resendCalls('after.hang')).toBe(1);
      for (const gateway of [a, b]) {
        await waitForLine(
          gateway,
          (l) => l.msg === 'redis is back: abuse limits are shared again',
          'redis is back',
          2_000,
        );
        expect(logLines(gateway).filter(isRedisOutage)).toHaveLength(1);
      }
    }, 20_000);
  });
  describe('with CHALLENGE_MODE=always and one CHALLENGE_HMAC_KEY on both', () => {
    const CHALLENGE = {
      CHALLENGE_MODE: 'always',
      CHALLENGE_HMAC_KEY: 'shared-limits-challenge-key-0123456789',
      CHALLENGE_COST: '100',
    };
    let a: GatewayProcess;
    let b: GatewayProcess;
    beforeAll(async () => {
      [a, b] = await startPair(
        redis.url,
        { cooldownSeconds: 60, perHour: 5 },
        { waitForRedis: true, env: CHALLENGE },
      );
    });
    afterAll(() => stopGateways([a, b].filter(Boolean)));

    it('passes a challenge issued by one gateway on the other, once: the same solution is CHALLENGE_FAILED on either after', async () => {
      const response = await solvedResponse(await fetchChallenge(a.url));
      expect(codeOf(await signUpThrough(b, 'pow.first', response))).toBe('OK');
      expect(signUpCalls('pow.')).toBe(1);
      for (const [gateway, username] of [
        [a, 'pow.second'],
        [b, 'pow.third'],
      ] as const) {
        expect({
          from: gateway.name,
          code: codeOf(await signUpThrough(gateway, username, response)),
        }).toEqual({
          from: gateway.name,
          code: 'CHALLENGE_FAILED',
        });
      }
      expect(signUpCalls('pow.')).toBe(1);
    });

    it('lets exactly one of a concurrent burst of one solution over both gateways through', async () => {
      const response = await solvedResponse(await fetchChallenge(b.url));
      const codes = await Promise.all(
        [a, b, a, b, a, b].map(async (gateway, i) =>
          codeOf(await signUpThrough(gateway, `burst.pow.${i}`, response)),
        ),
      );
      expect(codes.filter((code) => code === 'OK')).toHaveLength(1);
      expect(codes.filter((code) => code === 'CHALLENGE_FAILED')).toHaveLength(5);
      expect(signUpCalls('burst.pow.')).toBe(1);
    });
  });

  describe('with CHALLENGE_MODE=always when Redis dies', () => {
    const own = pairOnOwnRedis({
      CHALLENGE_MODE: 'always',
      CHALLENGE_HMAC_KEY: 'shared-limits-challenge-key-0123456789',
      CHALLENGE_COST: '100',
    });

    it('keeps refusing on each gateway what it saw answered, logs the outage, and serves fresh solutions', async () => {
      const { redis: ownRedis, a, b } = own;
      const usedOnA = await solvedResponse(await fetchChallenge(a.url));
      expect(codeOf(await signUpThrough(a, 'outage.first', usedOnA))).toBe('OK');

      ownRedis.kill();
      await ownRedis.exited;

      // A remembers the solution in its own memory: no replay on A, before or after it notices the outage.
      expect(codeOf(await signUpThrough(a, 'outage.replay.a', usedOnA))).toBe('CHALLENGE_FAILED');
      await Promise.all([waitForOutageLog(a, 5_000), waitForOutageLog(b, 5_000)]);
      expect(codeOf(await signUpThrough(a, 'outage.replay.a2', usedOnA))).toBe('CHALLENGE_FAILED');
      // B never saw it: while Redis is down each instance knows its own answers only, so it passes there once,
      // and B logged that limits are per instance. Then B refuses it too.
      expect(codeOf(await signUpThrough(b, 'outage.replay.b', usedOnA))).toBe('OK');
      expect(codeOf(await signUpThrough(b, 'outage.replay.b2', usedOnA))).toBe('CHALLENGE_FAILED');
      // Fresh solutions still pass: the outage does not turn into one for sign-ups.
      expect(
        codeOf(await signUpThrough(a, 'outage.fresh', await solvedResponse(await fetchChallenge(b.url)))),
      ).toBe('OK');
      expect(signUpCalls('outage.')).toBe(3);
    });
  });

  describe.skipIf(skipWithoutRedisCluster('shared-limits on a cluster'))(
    'on a three-master Redis Cluster (REDIS_MODE=cluster, the seed nodes in REDIS_URL)',
    () => {
      let cluster: RedisCluster;
      const CLUSTER_CHALLENGE = {
        CHALLENGE_MODE: 'always',
        CHALLENGE_HMAC_KEY: 'shared-limits-cluster-challenge-0123456789',
        CHALLENGE_COST: '100',
      };
      beforeAll(async () => {
        cluster = await startRedisCluster({ replicas: 0 });
      }, 30_000);
      afterAll(() => cluster?.stop());

      /** Gateways A and B on the cluster; the start waits for Redis (or logs the fallback, which fails). */
      async function clusterPair(
        env: Record<string, string> = {},
      ): Promise<[GatewayProcess, GatewayProcess]> {
        const pair = await startPair(
          cluster.url,
          { cooldownSeconds: 60, perHour: 5 },
          { waitForRedis: false, env: { REDIS_MODE: 'cluster', TRUST_PROXY: 'loopback', ...env } },
        );
        for (const gateway of pair) expect(logLines(gateway).filter(isRedisOutage)).toEqual([]);
        return pair;
      }

      it('shares one cooldown and one inbox cap between two processes: 1 resend and 5 sign-up codes reach Cognito', async () => {
        const [a, b] = await clusterPair({ LIMIT_SIGN_UP_IP_PER_HOUR: '1000' });
        try {
          const username = 'cluster.alternating';
          await signUp(username);
          const codes: string[] = [];
          for (let i = 0; i < 6; i++) codes.push(codeOf(await resend(i % 2 === 0 ? a : b, username)));
          expect(codes).toEqual(['OK', ...Array(5).fill('RATE_LIMITED')]);
          expect(resendCalls(username)).toBe(1);

          // Eight usernames, one inbox, from eight addresses, alternating: the destination cap counts once.
          const inbox: string[] = [];
          for (let i = 0; i < 8; i++) {
            const res = await fetch((i % 2 === 0 ? a : b).url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-forwarded-for': `198.51.100.${i + 1}` },
              body: JSON.stringify(signUpWith(`cluster.inbox.${i}`, { email: 'one.inbox@example.com' })),
              signal: AbortSignal.timeout(5_000),
            });
            inbox.push(codeOf({ status: res.status, ms: 0, body: await res.json() }));
          }
          expect(inbox).toEqual([...Array(5).fill('OK'), ...Array(3).fill('RATE_LIMITED')]);
          expect(signUpCalls('cluster.inbox.')).toBe(5);
          for (const gateway of [a, b]) expect(logLines(gateway).filter(isRedisOutage)).toEqual([]);
        } finally {
          await stopGateways([a, b]);
        }
      });

      it('passes one challenge solution once over two processes', async () => {
        const [a, b] = await clusterPair(CLUSTER_CHALLENGE);
        try {
          const response = await solvedResponse(await fetchChallenge(a.url));
          const codes = [];
          for (const [gateway, username] of [
            [b, 'cluster.pow.1'],
            [a, 'cluster.pow.2'],
            [b, 'cluster.pow.3'],
          ] as const)
            codes.push(codeOf(await signUpThrough(gateway, username, response)));
          expect(codes).toEqual(['OK', 'CHALLENGE_FAILED', 'CHALLENGE_FAILED']);
          expect(signUpCalls('cluster.pow.')).toBe(1);
        } finally {
          await stopGateways([a, b]);
        }
      });
    },
  );

  /** signUp through a gateway with a challenge response; resolves with the reply. */
  async function signUpThrough(
    gateway: GatewayProcess,
    username: string,
    challengeResponse: string,
  ): Promise<Reply> {
    const res = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signUpRequest({ username, password: TEST_PASSWORD, challengeResponse })),
      signal: AbortSignal.timeout(5_000),
    });
    return { status: res.status, ms: 0, body: await res.json() };
  }

  /** OK, or the first error's code. */
  function codeOf(reply: Reply): string {
    return reply.body?.errors?.[0]?.extensions?.code ?? (reply.body?.data ? 'OK' : `HTTP ${reply.status}`);
  }

  /** SignUp calls that reached the stand-in for usernames starting with `prefix`. */
  function signUpCalls(prefix: string): number {
    return standIn.calls.filter(
      (call) =>
        call.action === 'SignUp' &&
        String((call.body as { Username?: unknown } | undefined)?.Username).startsWith(prefix),
    ).length;
  }
});
