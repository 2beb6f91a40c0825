// Gives a test a real Redis Cluster of its own, made of Debian's `redis-server` processes on free loopback
// ports: three masters, and one replica each when the test kills a master. Nodes are started as redis-server.ts
// starts one (stopped at teardown, and killed when the test process exits), joined by `redis-cli --cluster
// create`, and waited for until every node says cluster_state:ok. A suite that cannot get both programs skips
// loudly.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { findOrInstall } from './debian-package';
import { ensureRedisServer, type RedisInstance, startRedis } from './redis-server';
import { announceSkip, freePort } from './test-resources';

/** Small, so that a killed master is failed over in about two seconds. */
const NODE_TIMEOUT_MS = 1_000;
const READY_TIMEOUT_MS = 20_000;

export interface RedisCluster {
  nodes: RedisInstance[];
  /** The seed nodes as REDIS_URL takes them with REDIS_MODE=cluster: every node, comma-separated. */
  url: string;
  /** The node that serves `key`'s slot now (a master). */
  masterOf(key: string): Promise<RedisInstance>;
  /** Waits until a live node other than `dead` serves `key`'s slot and the cluster says ok again. */
  waitForPromotion(key: string, dead: RedisInstance): Promise<RedisInstance>;
  /** Runs a command on one node over a short-lived connection of the test's own. */
  command(node: RedisInstance, ...args: string[]): Promise<unknown>;
  stop(): Promise<void>;
}

let cli: { path: string } | { skipped: string } | undefined;

function redisCli(): { path: string } | { skipped: string } {
  cli ??= findOrInstall({
    executable: 'redis-cli',
    locations: ['/usr/bin/redis-cli', '/usr/local/bin/redis-cli'],
    debianPackage: 'redis-tools',
  });
  return cli;
}

/** For `describe.skipIf(...)`: true, after one loud line naming the suite and why, when no cluster can be had. */
export function skipWithoutRedisCluster(suite: string): boolean {
  const server = ensureRedisServer();
  if (!('path' in server)) {
    announceSkip(`${suite} (Redis Cluster)`, server.skipped);
    return true;
  }
  const found = redisCli();
  if (!('path' in found)) {
    announceSkip(`${suite} (Redis Cluster)`, found.skipped);
    return true;
  }
  return false;
}

export interface ClusterOptions {
  /** Replicas per master: 0 (three nodes) or 1 (six). */
  replicas: 0 | 1;
  /** Added to each node's command line (TLS, ACL users); asked once per node started. */
  args?: () => Promise<readonly string[]>;
}

export async function startRedisCluster(options: ClusterOptions): Promise<RedisCluster> {
  const found = redisCli();
  if (!('path' in found)) throw new Error(`cannot create a Redis Cluster: ${found.skipped}`);
  const dir = mkdtempSync(join(tmpdir(), 'gateway-redis-cluster-'));
  const count = 3 * (1 + options.replicas);
  const nodes: RedisInstance[] = [];
  try {
    for (let i = 0; i < count; i++) {
      nodes.push(
        await startNode(
          [
            // A replica writes the copy it receives to its directory: the temporary one, not the test's cwd.
            '--dir',
            mkdtempSync(join(dir, `node-${i}-`)),
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            join(dir, `nodes-${i}.conf`),
            '--cluster-node-timeout',
            String(NODE_TIMEOUT_MS),
          ],
          options.args,
        ),
      );
    }
    await run(found.path, [
      '--cluster',
      'create',
      ...nodes.map((n) => `127.0.0.1:${n.port}`),
      '--cluster-replicas',
      String(options.replicas),
      '--cluster-yes',
    ]);
    await waitUntil(async () => (await Promise.all(nodes.map(clusterOk))).every(Boolean), 'cluster_state:ok');
    if (options.replicas > 0) await waitUntil(() => replicasInSync(nodes), 'every replica in sync');
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const masterOf = async (key: string): Promise<RedisInstance> => {
    for (const node of nodes) {
      if (!(await isAlive(node))) continue;
      const slot = Number(await command(node, 'CLUSTER', 'KEYSLOT', key));
      const port = servingPort(await command(node, 'CLUSTER', 'SLOTS'), slot);
      const master = nodes.find((n) => n.port === port);
      if (master) return master;
    }
    throw new Error(`no live node says who serves ${key}`);
  };

  return {
    nodes,
    url: nodes.map((n) => `redis://127.0.0.1:${n.port}`).join(','),
    masterOf,
    waitForPromotion: async (key, dead) => {
      let promoted: RedisInstance | undefined;
      await waitUntil(async () => {
        const live = [];
        for (const n of nodes) if (n !== dead && (await isAlive(n))) live.push(n);
        if (!(await Promise.all(live.map(clusterOk))).every(Boolean)) return false;
        promoted = await masterOf(key);
        return (
          promoted !== dead && (await command(promoted, 'ROLE').then((r) => (r as string[])[0])) === 'master'
        );
      }, `a replica promoted in place of 127.0.0.1:${dead.port}`);
      return promoted as RedisInstance;
    },
    command,
    stop: async () => {
      await Promise.all(nodes.map((n) => n.stop()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A node on a free port, its cluster bus on another: by default the bus takes the port + 10000, which may be
 * taken, or past 65535 for an ephemeral port.
 */
async function startNode(
  args: readonly string[],
  more: () => Promise<readonly string[]> = async () => [],
): Promise<RedisInstance> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const [port, bus] = [await freePort(), await freePort()];
    if (port === bus) continue;
    try {
      return await startRedis(port, ['--cluster-port', String(bus), ...args, ...(await more())]);
    } catch (error) {
      lastError = error as Error;
      if (!/address already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('could not start a Redis Cluster node');
}

async function command(node: RedisInstance, ...args: string[]): Promise<unknown> {
  const redis = new Redis(node.port, '127.0.0.1', {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 1_000,
  });
  // A dead node's refusal is the answer (the caller's catch), not an unhandled error to print.
  redis.on('error', () => {});
  await redis.connect();
  try {
    const [name, ...rest] = args;
    return await redis.call(name as string, ...rest);
  } finally {
    redis.disconnect();
  }
}

async function isAlive(node: RedisInstance): Promise<boolean> {
  return command(node, 'PING').then(
    (reply) => reply === 'PONG',
    () => false,
  );
}

async function clusterOk(node: RedisInstance): Promise<boolean> {
  const info = String(await command(node, 'CLUSTER', 'INFO').catch(() => ''));
  return info.includes('cluster_state:ok');
}

async function replicasInSync(nodes: RedisInstance[]): Promise<boolean> {
  const infos = await Promise.all(nodes.map((n) => command(n, 'INFO', 'replication').then(String)));
  const replicas = infos.filter((info) => info.includes('role:slave'));
  return replicas.length > 0 && replicas.every((info) => info.includes('master_link_status:up'));
}

/** The port of the master serving `slot`, from CLUSTER SLOTS' answer ([start, end, [ip, port, id], ...]...). */
function servingPort(slots: unknown, slot: number): number | undefined {
  for (const range of slots as Array<[number, number, [string, number]]>) {
    if (slot >= range[0] && slot <= range[1]) return Number(range[2][1]);
  }
  return undefined;
}

async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (performance.now() > deadline)
      throw new Error(`Redis Cluster: no ${what} within ${READY_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function run(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `redis-cli ${args.slice(0, 2).join(' ')} exited ${code}: ${output.join('').slice(-500)}`,
            ),
          ),
    );
  });
}
