// Runs the built gateway as a real process (what `npm start` runs) and reads its log lines. Also what a test
// needs to act as a process supervisor: a process in its own group, the group's live members read from
// /proc, and a port probe.
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startScriptEntry } from '../../bench/measure';

export const ROOT = join(__dirname, '..', '..');
/** What `npm start` runs (the bundle, dist/server/index.js): every whole-process test runs that. */
export const MAIN = startScriptEntry(ROOT);

export interface Started {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the first JSON log line whose msg matches. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Every JSON log line so far whose msg matches. */
  logs(msg: string): Record<string, unknown>[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
  /** Default: the repository root. */
  cwd?: string;
  /**
   * Starts the process as the leader of its own process group, as a supervisor starts its service: a signal
   * to its pid reaches it alone, and killProcessGroup(child.pid) reaches whatever it left behind.
   */
  ownProcessGroup?: boolean;
}

export function startProcess(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: StartOptions = {},
): Started {
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.ownProcessGroup ?? false,
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: Array<() => void> = [];
  // A chunk may end mid-line: keep the unfinished tail until its newline arrives.
  const collect = (into: string[]) => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      into.push(...lines.filter(Boolean));
      for (const w of waiters) w();
    };
  };
  child.stdout?.on('data', collect(stdout));
  child.stderr?.on('data', collect(stderr));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const logs = (msg: string) =>
    stdout.flatMap((line) => {
      if (!line.startsWith('{')) return [];
      const parsed = JSON.parse(line) as Record<string, unknown>;
      return parsed.msg === msg ? [parsed] : [];
    });

  return {
    child,
    stdout,
    stderr,
    exited,
    logs,
    waitForLog: (msg, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "${msg}" log line in ${timeoutMs} ms; stderr: ${stderr.join('\n')}`)),
          timeoutMs,
        );
        const check = () => {
          const found = logs(msg)[0];
          if (found) {
            clearTimeout(timer);
            resolve(found);
          }
        };
        waiters.push(check);
        check();
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`process exited before "${msg}"; stderr: ${stderr.join('\n')}`));
        });
      }),
  };
}

export interface RunningProcess {
  pid: number;
  command: string;
}

/** The processes of a process group that are still running (zombies have finished). */
export function processGroupMembers(pgid: number): RunningProcess[] {
  return runningProcesses().filter((p) => p.pgid === pgid);
}

/**
 * The running processes whose working directory is `dir` or inside it, in any process group, orphaned or
 * not: for a test that runs its processes in a directory of its own.
 */
export function processesIn(dir: string): RunningProcess[] {
  return runningProcesses().filter((p) => {
    const cwd = readProcLink(`/proc/${p.pid}/cwd`);
    return cwd === dir || cwd?.startsWith(`${dir}/`);
  });
}

function runningProcesses(): Array<RunningProcess & { pgid: number }> {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    const stat = readProc(`/proc/${entry}/stat`);
    // The command name may hold spaces and parentheses: the fields that follow it start after the last ')'.
    const [state, _ppid, pgid] = stat?.slice(stat.lastIndexOf(')') + 2).split(' ') ?? [];
    if (state === undefined || state === 'Z') return [];
    const command = readProc(`/proc/${entry}/cmdline`)?.replaceAll('\0', ' ').trim() ?? '';
    return [{ pid: Number(entry), pgid: Number(pgid), command }];
  });
}

/** Whether a process with this pid is still running (not gone, not a zombie). */
export function isRunning(pid: number): boolean {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** SIGKILL to each process, for clean-up after a test; those already gone are skipped. */
export function killAll(processes: readonly RunningProcess[]): void {
  for (const { pid } of processes) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // ESRCH: it has ended meanwhile.
    }
  }
}

/** SIGKILL to every process of the group, for clean-up after a test; nothing happens when it is empty. */
export function killProcessGroup(pgid: number | undefined): void {
  if (pgid === undefined) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // ESRCH: the group is empty already.
  }
}

/** True when this process can listen on the loopback port (nothing holds it any more). */
export function canListen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

// A process may end between listing /proc and reading its entries.
function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function readProcLink(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
