// A private Redis for the bench's store runs: Debian's `redis-server` on a free loopback port, no
// persistence, and what it counted (INFO commandstats) to tell how many round trips a call costs.
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export interface BenchRedis {
  url: string;
  /** Calls per command since the last reset (INFO commandstats), the bench's own INFO and CONFIG left out. */
  commandCalls(): Promise<Map<string, number>>;
  resetStats(): Promise<void>;
  stop(): Promise<void>;
}

/** The path of `redis-server`, or why there is none. */
export function findRedisServer(): { path: string } | { missing: string } {
  for (const path of ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server']) {
    try {
      execFileSync(path, ['--version'], { stdio: 'ignore' });
      return { path };
    } catch {}
  }
  return { missing: 'redis-server is not installed (apt-get install redis-server)' };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export async function startBenchRedis(binary: string): Promise<BenchRedis> {
  const port = await freePort();
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: () => 100 });
  // Refused connections while it starts are answered by the loop below.
  client.on('error', () => {});
  const deadline = Date.now() + 5_000;
  for (;;) {
    try {
      await client.connect();
      await client.ping();
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`redis-server on port ${port} did not answer: ${(error as Error).message}`);
      }
      client.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    commandCalls: async () => commandCallsOf([await client.info('commandstats')]),
    resetStats: async () => {
      await client.config('RESETSTAT');
    },
    stop: async () => {
      client.disconnect();
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Calls per command in the INFO commandstats of one or more nodes (a cluster's, added up), the bench's own
 * INFO and CONFIG left out.
 */
export function commandCallsOf(infos: readonly string[]): Map<string, number> {
  const calls = new Map<string, number>();
  for (const text of infos) {
    for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
      const [, name = '', count = '0'] = match;
      if (name !== 'info' && !name.startsWith('config'))
        calls.set(name, (calls.get(name) ?? 0) + Number(count));
    }
  }
  return calls;
}

/**
 * Round trips of the gateway to Redis among `calls`: what a client sends outside a script or transaction
 * (a script's EVALSHA or EVAL, a MULTI ... EXEC block counted once at EXEC, the links' SMEMBERS). The
 * commands that scripts and transactions run inside are counted by Redis too, but cost no round trip.
 * test/integration/redis-round-trips.test.ts counts the same with MONITOR.
 */
export function roundTripsOf(calls: ReadonlyMap<string, number>): number {
  return ['evalsha', 'eval', 'exec', 'smembers'].reduce((sum, name) => sum + (calls.get(name) ?? 0), 0);
}

/** Every command Redis ran, in scripts and transactions too. */
export function commandsOf(calls: ReadonlyMap<string, number>): number {
  let sum = 0;
  for (const [name, count] of calls) if (name !== 'multi') sum += count;
  return sum;
}
