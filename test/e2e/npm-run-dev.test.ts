// Whole-process tests of the dev loop: the real `npm run dev` (tsc --watch plus the gateway restarted on
// changes to dist/), run in a scratch copy of the sources so that its builds and the source file a test
// changes never touch the checkout, or the dist/ other e2e tests run from.
import { appendFileSync, cpSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { killAll, killProcessGroup, processesIn, ROOT, type Started, startProcess } from './process';

/** What `npm run dev` needs: the build's inputs, its scripts, the demo page; node_modules is linked. */
const COPIED = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts', 'src', 'bench', 'demo'];
/** How long a dev loop may take from start to listening: one full compile, then the gateway's start. */
const STARTED_WITHIN_MS = 30_000;

const scratches: string[] = [];
const groups: number[] = [];
afterEach(() => {
  for (const pgid of groups.splice(0)) killProcessGroup(pgid);
  // Every process of the dev loop, in npm's process group or another, runs in the scratch directory.
  for (const dir of scratches.splice(0)) {
    killAll(processesIn(dir));
    rmSync(dir, { recursive: true, force: true });
  }
});

function scratchCopy(): string {
  // Real path: it is compared with the processes' working directories.
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'gateway-dev-')));
  scratches.push(dir);
  for (const entry of COPIED) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  return dir;
}

/** `npm run dev` in a scratch copy, in a process group of its own (as a supervisor starts it). */
function startDev(): { npm: Started; dir: string } {
  const dir = scratchCopy();
  const npm = startProcess(
    'npm',
    ['run', 'dev', '--silent'],
    { PORT: '0', HOST: '127.0.0.1', LOCAL_COGNITO_PORT: '0' },
    { cwd: dir, ownProcessGroup: true },
  );
  groups.push(npm.child.pid as number);
  return { npm, dir };
}

function exitWithin(started: Started, ms: number) {
  return Promise.race([started.exited, sleep(ms, 'still running' as const)]);
}

async function healthz(graphqlUrl: string): Promise<number> {
  return (await fetch(new URL('/healthz', graphqlUrl))).status;
}

/** The commands still running in the scratch copy (npm, tsc, the watcher and the gateway run there). */
function runningIn(dir: string): string[] {
  return processesIn(dir).map((p) => p.command);
}

describe('npm run dev', () => {
  it(
    'serves /healthz, does not restart without a change, and on SIGTERM to npm exits 0 leaving no tsc or gateway',
    async () => {
      const { npm, dir } = startDev();
      const listening = await npm.waitForLog('gateway listening', STARTED_WITHIN_MS);
      expect(await healthz(listening.url as string)).toBe(200);
      expect(runningIn(dir)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/tsc.*--watch/),
          expect.stringMatching(/dist\/src\/main\.js/),
        ]),
      );

      // tsc's first build is over before the gateway starts: nothing rewrites dist/ behind it.
      await sleep(8_000);
      expect(npm.logs('gateway listening')).toHaveLength(1);

      process.kill(npm.child.pid as number, 'SIGTERM');
      expect(await exitWithin(npm, 10_000)).toEqual({ code: 0, signal: null });
      expect(npm.logs('stopped')).toHaveLength(1);
      expect(runningIn(dir)).toEqual([]);
    },
    STARTED_WITHIN_MS + 25_000,
  );

  it(
    'restarts the gateway after a source file changes, and on SIGINT to npm exits 0 leaving nothing',
    async () => {
      const { npm, dir } = startDev();
      await npm.waitForLog('gateway listening', STARTED_WITHIN_MS);

      appendFileSync(join(dir, 'src', 'service-info.resolver.ts'), '\n// changed by the npm run dev test\n');
      const deadline = performance.now() + 15_000;
      while (npm.logs('gateway listening').length < 2 && performance.now() < deadline) await sleep(100);
      const restarted = npm.logs('gateway listening');
      expect(restarted).toHaveLength(2);
      expect(await healthz(restarted[1]?.url as string)).toBe(200);

      process.kill(npm.child.pid as number, 'SIGINT');
      expect(await exitWithin(npm, 10_000)).toEqual({ code: 0, signal: null });
      expect(runningIn(dir)).toEqual([]);
    },
    STARTED_WITHIN_MS + 25_000,
  );
});
