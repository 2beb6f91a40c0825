// What the benchmark reads from a server process: its CPU time and resident memory from /proc, and the
// time from spawn to its first successful mutation.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let ticksPerSecond: number | undefined;

/** User + system CPU time of a process in milliseconds (Linux /proc). */
export function cpuMs(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / ticksPerSecond;
}

/** The words of package.json's `start` script under `root` (`exec node [flags] <script>`). */
function startScriptWords(root: string): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { start: string } };
  return pkg.scripts.start.split(/\s+/);
}

/** The Node flags (`--...`) of package.json's `start` script under `root`: how `npm start` runs the gateway. */
export function startScriptFlags(root: string): string[] {
  return startScriptWords(root).filter((word) => word.startsWith('--'));
}

/** The file package.json's `start` script runs, under `root`: what `npm start` runs (dist/server/index.js). */
export function startScriptEntry(root: string): string {
  return join(root, startScriptWords(root).at(-1) ?? '');
}

export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) / 1024;
}

export interface ServerProcess {
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/**
 * Spawns `node [flags] script`, resolves when it logs its URL (a `gateway listening` JSON line or
 * `listening PORT`).
 */
export function startServer(
  script: string,
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...nodeFlags, script], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const port = /^listening (\d+)$/m.exec(buffer)?.[1];
      const url = port ? `http://127.0.0.1:${port}` : listeningUrl(buffer);
      if (!url) return;
      child.stdout?.off('data', onData);
      child.stdout?.resume();
      resolve({
        pid: child.pid as number,
        url,
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    void exited.then(() => reject(new Error(`${script} exited before listening: ${stderr.slice(0, 2_000)}`)));
  });
}

/**
 * Milliseconds from spawn until the server answers one mutation with data, its RSS then (what a freshly
 * started process holds before any load: "idle RSS after start") and the CPU time it took (user + system).
 */
export async function coldStart(
  script: string,
  env: Record<string, string>,
  body: string,
  nodeFlags: string[] = [],
): Promise<{ ms: number; idleRssMb: number; cpuMs: number }> {
  const started = performance.now();
  const server = await startServer(script, env, nodeFlags);
  try {
    for (;;) {
      try {
        const res = await fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const json = (await res.json()) as { data?: unknown };
        if (res.ok && json.data)
          return { ms: performance.now() - started, idleRssMb: rssMb(server.pid), cpuMs: cpuMs(server.pid) };
      } catch {
        // not accepting yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    await server.stop();
  }
}

function listeningUrl(output: string): string | undefined {
  for (const line of output.split('\n')) {
    if (!line.includes('"gateway listening"')) continue;
    try {
      return (JSON.parse(line) as { url?: string }).url;
    } catch {
      // a partial line: wait for the rest
    }
  }
  return undefined;
}
