// Gives a test suite its own cognito-local (the npm Cognito emulator, a devDependency) on a free loopback
// port: run as a child process with this Node, in a temporary working directory that holds its `.cognito`
// data, so nothing is written into the repository. It prints the codes it "sends" in boxes on its console,
// but 5.3's console can hold the latest box back until its next log line: a suite that needs codes fixes them
// with its CODE variable instead. When the package is not installed the suite skips with one loud line; when it
// is installed but does not come up, the suite fails, so a broken emulator is never mistaken for a missing one.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { announceSkip, freePort } from './test-resources';

export interface CognitoLocalServer {
  /** `http://127.0.0.1:PORT`, for the SDK's `endpoint` and COGNITO_ENDPOINT. */
  url: string;
  port: number;
  /** cognito-local's package version. */
  version: string;
  /** Its working directory (a fresh temporary one), where it keeps `.cognito/config.json` and `.cognito/db/`. */
  cwd: string;
  /** Its output lines so far, without colours (the last 500), for failure messages. */
  output(): string[];
  /** SIGTERM, then waits for the process to exit (SIGKILL after 5 s), then removes its working directory. */
  stop(): Promise<void>;
}

export type CognitoLocalAvailability =
  | { bin: string; version: string }
  /** The package is not installed: skip, loudly. */
  | { skipped: string }
  /** The package is there but incomplete: fail, do not skip. */
  | { broken: string };

const ROOT = join(__dirname, '..', '..');
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
// pino-pretty colours cognito-local's log lines even when they go to a pipe.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
const ANSI = /\u001b\[[0-9;]*m/g;

let availability: CognitoLocalAvailability | undefined;

/** Whether cognito-local is installed where this project resolves packages. The answer is cached. */
export function cognitoLocalAvailability(): CognitoLocalAvailability {
  availability ??= probe();
  return availability;
}

function probe(): CognitoLocalAvailability {
  let manifestPath: string;
  try {
    manifestPath = createRequire(join(ROOT, 'package.json')).resolve('cognito-local/package.json');
  } catch {
    return { skipped: 'the npm package cognito-local is not installed (it is a devDependency: npm ci)' };
  }
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { version?: string; bin?: unknown };
    const binPath = typeof manifest.bin === 'string' ? manifest.bin : undefined;
    if (!binPath) return { broken: `${manifestPath} names no bin` };
    const bin = join(dirname(manifestPath), binPath);
    if (!existsSync(bin)) return { broken: `cognito-local's bin ${bin} is missing` };
    return { bin, version: manifest.version ?? 'unknown' };
  } catch (error) {
    return { broken: `cannot read ${manifestPath}: ${(error as Error).message}` };
  }
}

/**
 * For `describe.skipIf(...)`: true when cognito-local is not installed, after printing one loud line naming
 * the suite and the reason. False when it is installed, even if broken: then startCognitoLocal() throws.
 */
export function skipWithoutCognitoLocal(suite: string): boolean {
  const found = cognitoLocalAvailability();
  if (!('skipped' in found)) return false;
  announceSkip(suite, found.skipped);
  return true;
}

const running = new Map<ChildProcess, string>();
// A test runner that dies without its afterAll must leave no server and no data directory behind.
process.once('exit', () => {
  for (const [child, cwd] of running) {
    child.kill('SIGKILL');
    rmSync(cwd, { recursive: true, force: true });
  }
});

export interface CognitoLocalOptions {
  /** cognito-local's `CODE`: every code it generates (sign-up, forgot password) is this one, not a random one. */
  code?: string;
}

/** Starts cognito-local on a free loopback port and waits until it says it is listening; throws otherwise. */
export async function startCognitoLocal(options: CognitoLocalOptions = {}): Promise<CognitoLocalServer> {
  const found = cognitoLocalAvailability();
  if ('skipped' in found) throw new Error(`cannot start cognito-local: ${found.skipped}`);
  if ('broken' in found) throw new Error(`cannot start cognito-local: ${found.broken}`);

  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      return await startOn(found.bin, found.version, port, options);
    } catch (error) {
      lastError = error as Error;
      // Another process took the port between our probe and cognito-local binding it: try another one.
      if (!/EADDRINUSE/.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('could not start cognito-local');
}

async function startOn(
  bin: string,
  version: string,
  port: number,
  options: CognitoLocalOptions,
): Promise<CognitoLocalServer> {
  const cwd = mkdtempSync(join(tmpdir(), 'cognito-local-'));
  // Only what it reads (PORT, HOST, CODE): no DEBUG or AWS_* from the test runner's environment.
  const child = spawn(process.execPath, [bin], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      ...(options.code !== undefined && { CODE: options.code }),
    },
  });
  running.set(child, cwd);
  const output: string[] = [];
  const collect = () => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      output.push(...lines.map((line) => line.replace(ANSI, '')).filter(Boolean));
      if (output.length > 500) output.splice(0, output.length - 500);
    };
  };
  child.stdout?.on('data', collect());
  child.stderr?.on('data', collect());

  let exitState: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  // 'close' (not 'exit'): by then its last output lines, e.g. why it could not bind, have been read.
  const exited = new Promise<void>((resolve) => {
    child.once('close', (code, signal) => {
      exitState = { code, signal };
      resolve();
    });
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const cleanUp = async () => {
    await exited;
    running.delete(child);
    rmSync(cwd, { recursive: true, force: true });
  };

  const url = `http://127.0.0.1:${port}`;
  // Its own line proves that this child, not another process, holds the port.
  const ready = `Cognito Local running on ${url}`;
  const tail = () => output.slice(-5).join(' | ');
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError) {
      running.delete(child);
      rmSync(cwd, { recursive: true, force: true });
      throw new Error(`cannot run ${process.execPath} ${bin}: ${spawnError.message}`);
    }
    if (exitState) {
      await cleanUp();
      // Its stack trace follows the reason over many lines: name the reason wherever it is.
      const inUse = output.some((line) => line.includes('EADDRINUSE')) ? ' (EADDRINUSE)' : '';
      throw new Error(
        `cognito-local on port ${port} exited (${exitState.code ?? exitState.signal})${inUse} before listening: ${tail()}`,
      );
    }
    if (output.some((line) => line.includes(ready))) break;
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      await cleanUp();
      throw new Error(
        `cognito-local on port ${port} did not listen within ${READY_TIMEOUT_MS} ms: ${tail()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url,
    port,
    version,
    cwd,
    output: () => [...output],
    stop: async () => {
      if (!exitState) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      await cleanUp();
    },
  };
}
