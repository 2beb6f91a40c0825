// Finds a program a test needs, installing its Debian package when it is missing and we are root with
// apt-get (the CI machine). The answer says why when the program cannot be had, so that suites skip loudly.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export type Availability = { path: string; installedInSeconds?: number } | { skipped: string };

export const APT_STEP_TIMEOUT_MS = 5 * 60_000;

export interface DebianProgram {
  /** The executable's name, looked up on PATH and in `locations`. */
  executable: string;
  locations: readonly string[];
  /** The Debian package that provides it. */
  debianPackage: string;
}

export function findExecutable(name: string, fixed: readonly string[]): string | undefined {
  const fromPath = (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name));
  return [...fixed, ...fromPath].find((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The program's path, installing the package when needed and possible (`apt-get update` only if required). */
export function findOrInstall(program: DebianProgram): Availability {
  const find = () => findExecutable(program.executable, program.locations);
  const found = find();
  if (found) return { path: found };

  const what = `${program.executable} is not installed`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { skipped: `${what} and we are not root, so it cannot be installed` };
  }
  const aptGet = findExecutable('apt-get', ['/usr/bin/apt-get']);
  if (!aptGet) return { skipped: `${what} and apt-get is not available` };

  const started = performance.now();
  // Wait for the dpkg lock rather than fail when another apt run (e.g. a parallel suite) holds it.
  const lock = ['-o', 'DPkg::Lock::Timeout=120'];
  const update = () => runApt(aptGet, [...lock, 'update']);
  const install = () =>
    runApt(aptGet, [...lock, 'install', '-y', '--no-install-recommends', program.debianPackage]);

  let updated = false;
  if (!hasPackageLists()) {
    const failed = update();
    if (failed) return { skipped: `apt-get update failed: ${failed}` };
    updated = true;
  }
  let failed = install();
  // Stale lists ("Unable to locate package", 404s for superseded versions): refresh them once and retry.
  if (failed && !updated) {
    const updateFailed = update();
    if (updateFailed) {
      return {
        skipped: `apt-get install ${program.debianPackage} failed (${failed}), then apt-get update failed: ${updateFailed}`,
      };
    }
    failed = install();
  }
  if (failed) return { skipped: `apt-get install ${program.debianPackage} failed: ${failed}` };

  const installed = find();
  if (!installed) {
    return { skipped: `apt-get installed ${program.debianPackage} but no ${program.executable} was found` };
  }
  const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
  process.stderr.write(`[${program.executable}] installed ${installed} with apt-get in ${seconds} s\n`);
  return { path: installed, installedInSeconds: seconds };
}

/** True when apt has downloaded package lists at least once (a fresh container image often has none). */
function hasPackageLists(): boolean {
  try {
    return readdirSync('/var/lib/apt/lists').some((name) => name.includes('_Packages'));
  } catch {
    return false;
  }
}

/** Runs one apt-get step with its output captured; returns why it failed, or undefined on success. */
function runApt(aptGet: string, args: string[]): string | undefined {
  const result = spawnSync(aptGet, args, {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: APT_STEP_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) return result.error.message;
  if (result.status === 0) return undefined;
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-5).join(' | ');
  return `exit ${result.status ?? result.signal}: ${output}`;
}
