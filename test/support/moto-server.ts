// Gives a test suite its own `moto` server (the Python AWS emulator, `python3 -m moto.server`) on a free
// loopback port: an independent Cognito implementation to check the gateway against. Nothing is installed.
// When python3 or moto is not there, the suite skips with one loud line; when moto is there but cannot be
// imported or does not come up, the suite fails, so a broken emulator is never mistaken for a missing one.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { announceSkip, freePort } from './test-resources';

export interface MotoServer {
  /** `http://127.0.0.1:PORT`, for the SDK's `endpoint`. */
  url: string;
  port: number;
  /** moto's `__version__`. */
  version: string;
  /** The server's last output lines (werkzeug logs one line per request), for failure messages. */
  output(): string[];
  /** SIGTERM to the server's process group, then waits for it to exit (SIGKILL if it has not after 5 s). */
  stop(): Promise<void>;
}

export type MotoAvailability =
  | { python: string; version: string }
  /** python3 or the moto package (with its server extras) is not installed: skip, loudly. */
  | { skipped: string }
  /** moto is installed but importing it fails for another reason: fail, do not skip. */
  | { broken: string };

const PYTHON = 'python3';
const PROBE_TIMEOUT_MS = 15_000;
const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

let availability: MotoAvailability | undefined;

/** Whether `python3 -m moto.server` can run here. The answer is cached. */
export function motoAvailability(): MotoAvailability {
  availability ??= probe();
  return availability;
}

function probe(): MotoAvailability {
  const result = spawnSync(PYTHON, ['-c', 'import moto, moto.server; print(moto.__version__)'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: PROBE_TIMEOUT_MS,
  });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { skipped: `${PYTHON} is not installed (not on PATH)` };
    return { broken: `${PYTHON} -c "import moto.server" could not run: ${result.error.message}` };
  }
  if (result.status === 0) return { python: PYTHON, version: result.stdout.trim() };
  const lastLine = (result.stderr ?? '').trim().split('\n').at(-1) ?? '';
  // A missing module (moto itself, or flask/werkzeug when moto lacks its [server] extra) means "not installed".
  const missing = /^ModuleNotFoundError: No module named '([^']+)'/.exec(lastLine);
  if (missing) {
    const what = missing[1] === 'moto' ? 'the Python package moto' : `moto's dependency ${missing[1]}`;
    return { skipped: `${what} is not installed (pip install 'moto[server]')` };
  }
  // pyenv's shim exits 127 when python3 exists in no selected version.
  if (result.status === 127) return { skipped: `${PYTHON} is not usable: ${lastLine}` };
  return { broken: `${PYTHON} -c "import moto.server" failed (exit ${result.status}): ${lastLine}` };
}

/**
 * For `describe.skipIf(...)`: true when moto cannot be had, after printing one loud line naming the suite and
 * the reason. False when moto is installed, even if broken: then startMoto() throws and the suite fails.
 */
export function skipWithoutMoto(suite: string): boolean {
  const found = motoAvailability();
  if (!('skipped' in found)) return false;
  announceSkip(suite, found.skipped);
  return true;
}

const running = new Set<ChildProcess>();
// A test runner that dies without its afterAll must not leave moto servers behind.
process.once('exit', () => {
  for (const child of running) killGroup(child, 'SIGKILL');
});

/** Starts moto on a free loopback port and waits until it answers HTTP; throws when it cannot. */
export async function startMoto(): Promise<MotoServer> {
  const found = motoAvailability();
  if ('skipped' in found) throw new Error(`cannot start moto: ${found.skipped}`);
  if ('broken' in found) throw new Error(`cannot start moto: ${found.broken}`);

  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      return await startOn(found.python, found.version, port);
    } catch (error) {
      lastError = error as Error;
      // Another process took the port between our probe and moto binding it: try another one.
      if (!/address already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('could not start moto');
}

async function startOn(python: string, version: string, port: number): Promise<MotoServer> {
  // Its own process group (detached), so that stop() reaches whatever python3 runs under (a pyenv shim).
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  running.add(child);
  const output: string[] = [];
  const collect = (chunk: Buffer) => {
    output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (output.length > 200) output.splice(0, output.length - 200);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let exitState: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  // 'close' (not 'exit'): by then moto's last output lines, e.g. why it could not bind, have been read.
  const exited = new Promise<void>((resolve) => {
    child.once('close', (code, signal) => {
      running.delete(child);
      exitState = { code, signal };
      resolve();
    });
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
    running.delete(child);
  });

  const url = `http://127.0.0.1:${port}`;
  const tail = () => output.slice(-5).join(' | ');
  const deadline = performance.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError) throw new Error(`cannot run ${python}: ${spawnError.message}`);
    if (exitState) {
      throw new Error(
        `moto on port ${port} exited (${exitState.code ?? exitState.signal}) before answering HTTP: ${tail()}`,
      );
    }
    // Any HTTP answer would do, but it must be moto's, not another process's that took the port.
    if (await answersAsMoto(url)) break;
    if (performance.now() > deadline) {
      killGroup(child, 'SIGKILL');
      await exited;
      throw new Error(`moto on port ${port} did not answer HTTP within ${READY_TIMEOUT_MS} ms: ${tail()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    port,
    version,
    output: () => [...output],
    stop: async () => {
      if (exitState) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

async function answersAsMoto(url: string): Promise<boolean> {
  try {
    // moto's own API: the emulator's state as JSON (`{}` while it is empty).
    const res = await fetch(`${url}/moto-api/data.json`, { signal: AbortSignal.timeout(1_000) });
    const body = await res.text();
    return res.ok && body.trimStart().startsWith('{');
  } catch {
    return false;
  }
}
