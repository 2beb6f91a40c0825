// Limits shared through a Redis that Sentinel names (REDIS_MODE=sentinel, the sentinels in REDIS_URL,
// REDIS_SENTINEL_NAME): two gateways ask a real local sentinel (Debian's redis-server in sentinel mode) for the
// master, then count on it. Counts what reached Cognito.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../support/answers';
import {
  type GatewayHarness,
  type Harness,
  startGatewayHarness,
  startHarness,
} from '../support/gateway-harness';
import { ensureRedisServer, type RedisInstance, skipWithoutRedis, startRedis } from '../support/redis-server';
import { freePort } from '../support/test-resources';
import { resend } from '../support/user-pool-requests';

const SKIP = skipWithoutRedis('redis sentinel');
const MASTER_NAME = 'gateway-master';

interface Sentinel {
  port: number;
  stop(): Promise<void>;
}

/** One sentinel watching `master` (quorum 1), with a config file of its own that it may rewrite. */
async function startSentinel(master: RedisInstance): Promise<Sentinel> {
  const found = ensureRedisServer();
  if (!('path' in found)) throw new Error(found.skipped);
  const dir = mkdtempSync(join(tmpdir(), 'gateway-sentinel-'));
  const port = await freePort();
  const config = join(dir, 'sentinel.conf');
  writeFileSync(
    config,
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master.port} 1`,
      `sentinel down-after-milliseconds ${MASTER_NAME} 1000`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(found.path, [config, '--sentinel'], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => null });
  probe.on('error', () => {});
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await probe.connect();
      // Ready once it names the master it watches.
      const address = (await probe.call('SENTINEL', 'get-master-addr-by-name', MASTER_NAME)) as
        | string[]
        | null;
      if (address?.[1] === String(master.port)) break;
    } catch {
      probe.disconnect();
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the sentinel on port ${port} did not name its master within 5 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  probe.disconnect();
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.skipIf(SKIP)('limits shared by two gateways through the master a sentinel names', () => {
  let master: RedisInstance;
  let sentinel: Sentinel;
  let a: Harness;
  let b: GatewayHarness;

  beforeAll(async () => {
    master = await startRedis();
    sentinel = await startSentinel(master);
    const env = {
      REDIS_MODE: 'sentinel',
      REDIS_URL: `redis://127.0.0.1:${sentinel.port}`,
      REDIS_SENTINEL_NAME: MASTER_NAME,
      LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '60',
      LIMIT_RESEND_IP_PER_HOUR: '1000',
    };
    a = await startHarness({ env });
    b = await startGatewayHarness(
      { url: a.standIn.url, poolId: a.poolId, clientId: a.clientId, clientSecret: a.clientSecret },
      { env },
    );
  }, 30_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await sentinel?.stop();
    await master?.stop();
  });

  it('lets one of six resends for a username, alternating over both gateways, reach Cognito, counted on the master', async () => {
    await a.signUp('sentinel.alternating');
    const codes: string[] = [];
    for (let i = 0; i < 6; i++)
      codes.push(codeOf(await (i % 2 === 0 ? a : b).graphql(resend({ username: 'sentinel.alternating' }))));
    expect(codes).toEqual(['OK', ...Array(5).fill('RATE_LIMITED')]);
    expect(
      a.standIn.calls.filter(
        (c) =>
          c.action === 'ResendConfirmationCode' &&
          (c.body as { Username?: string }).Username === 'sentinel.alternating',
      ),
    ).toHaveLength(1);
    // The counters are on the master the sentinel named, under the gateway's prefix.
    const control = new Redis({ port: master.port, host: '127.0.0.1' });
    try {
      expect(await control.keys('{cognito-gateway}:*')).not.toEqual([]);
    } finally {
      control.disconnect();
    }
  });
});
