// Gives a test a real Redis server (Debian's `redis-server`) of its own on a free loopback port. When the
// binary is missing and we are root with apt-get (the CI machine), it is installed once; the system service is
// never started or used. A suite that cannot get Redis skips loudly rather than passing without it.
import { type ChildProcess, spawn } from 'node:child_process';
import { connect } from 'node:net';
import { findOrInstall as findOrInstallProgram } from './debian-package';
import { announceSkip, freePort } from './test-resources';

export interface RedisInstance {
  /** `redis://127.0.0.1:PORT` */
  url: string;
  port: number;
  /** SIGTERM, then waits for the process to exit (SIGKILL if it has not after 5 s). */
  stop(): Promise<void>;
  /** SIGKILL at once, for "Redis dies mid-test"; `exited` tells when it is gone. */
  kill(): void;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export type RedisAvailability = { path: string } | { skipped: string };

const FIXED_LOCATIONS = ['/usr/bin/redis-server', '/usr/sbin/redis-server', '/usr/local/bin/redis-server'];
const READY_TIMEOUT_MS = 5_000;

let availability: RedisAvailability | undefined;

/** Finds `redis-server`, installing Debian's package when missing and possible. The answer is cached. */
export function ensureRedisServer(): RedisAvailability {
  availability ??= findOrInstall();
  return availability;
}

function findOrInstall(): RedisAvailability {
  const found = findOrInstallProgram({
    executable: 'redis-server',
    locations: FIXED_LOCATIONS,
    debianPackage: 'redis-server',
  });
  return 'path' in found ? { path: found.path } : found;
}

/**
 * For `describe.skipIf(...)`: true when Redis cannot be had, after printing one loud line to stderr naming the
 * suite and the reason, so that a skipped Redis suite is never mistaken for a passing one.
 */
export function skipWithoutRedis(suite: string): boolean {
  const found = ensureRedisServer();
  if ('path' in found) return false;
  announceSkip(`${suite} (Redis)`, found.skipped);
  return true;
}

const running = new Set<ChildProcess>();
// A test runner that dies without its afterAll must not leave Redis servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts a private, non-persistent Redis on a free loopback port (or on `port`, e.g. to restart an empty one
 * where a killed one was) and waits until it answers PING. `args` are added to the command line (a cluster
 * node's, TLS, ACL users).
 */
export async function startRedis(port?: number, args: readonly string[] = []): Promise<RedisInstance> {
  const found = ensureRedisServer();
  if (!('path' in found)) throw new Error(`cannot start Redis: ${found.skipped}`);
  if (port !== undefined) return startOn(found.path, port, args);

  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      return await startOn(found.path, port, args);
    } catch (error) {
      lastError = error as Error;
      // Another process took the port between our probe and Redis binding it: try another one.
      if (!/address already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('could not start Redis');
}

async function startOn(binary: string, port: number, args: readonly string[]): Promise<RedisInstance> {
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.add(child);
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 50) output.splice(0, output.length - 50);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let exitState: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  // 'close' (not 'exit'): by then Redis's last output lines, e.g. why it could not bind, have been read.
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      exitState = { code, signal };
      resolve(exitState);
    });
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
    running.delete(child);
  });

  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw new Error(`cannot run ${binary}: ${spawnError.message}`);
    if (exitState) {
      throw new Error(
        `redis-server on port ${port} exited (${exitState.code ?? exitState.signal}) before answering PING: ${output.slice(-5).join(' | ')}`,
      );
    }
    if (await answersPing(port)) break;
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(
        `redis-server on port ${port} did not answer PING within ${READY_TIMEOUT_MS} ms: ${output.slice(-5).join(' | ')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    exited,
    kill: () => {
      if (!exitState) child.kill('SIGKILL');
    },
    stop: async () => {
      if (exitState) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Sends an inline `PING` over a raw socket; true when Redis answers `+PONG`. */
function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('end', () => done(reply.startsWith('+PONG')));
  });
}
