// What a production start loads and needs. `npm start` runs the bundle (dist/server/, scripts/server-bundle.js):
// it requires nothing from dist/src/ or node_modules, takes the V8 code cache the build wrote, and starts from a
// read-only copy elsewhere. The compiled modules it is bundled from keep the stand-in and the demo page
// (src/dev, src/local-cognito) for local mode only: a production process never loads them, and the bundle
// keeps that, since esbuild runs a bundled CommonJS module only when it is first required.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startScriptFlags } from '../../bench/measure';
import { TEST_SESSION_KEYS } from '../support/gateway-harness';
import { announceSkip } from '../support/test-resources';
import { MAIN, ROOT, type Started, startProcess } from './process';

const START_FLAGS = startScriptFlags(ROOT);
const COMPILED_MAIN = join(ROOT, 'dist', 'src', 'main.js');
const CODE_CACHE_REJECTED = 'GATEWAY_CODE_CACHE_REJECTED';

const PRODUCTION_ENV = {
  NODE_ENV: 'production',
  SESSION_KEYS: TEST_SESSION_KEYS,
  PORT: '0',
  HOST: '127.0.0.1',
  COGNITO_USER_POOL_ID: 'us-east-1_Prod00001',
  COGNITO_CLIENT_ID: 'prodclient00000000000000000',
  COGNITO_CLIENT_SECRET: 'prodsecret0000000000000000000000000000000000000000',
};

const running: Started[] = [];
const temporary: string[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
  for (const dir of temporary.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** Starts `entry` in production with `--require` of a file that writes require.cache's keys when it exits. */
async function loadedFiles(entry: string, flags: string[] = []): Promise<string[]> {
  const dir = tempDir('production-start-');
  const record = join(dir, 'record.js');
  const loaded = join(dir, 'loaded.json');
  writeFileSync(
    record,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(Object.keys(require.cache))));\n`,
  );
  const gateway = startProcess(
    process.execPath,
    [...START_FLAGS, ...flags, '--require', record, entry],
    PRODUCTION_ENV,
  );
  running.push(gateway);
  await gateway.waitForLog('gateway listening');
  gateway.child.kill('SIGTERM');
  expect((await gateway.exited).code).toBe(0);
  expect(gateway.stderr.join('\n')).not.toContain(CODE_CACHE_REJECTED);
  return (JSON.parse(readFileSync(loaded, 'utf8')) as string[])
    .filter((file) => file !== record)
    .map((file) => relative(ROOT, file));
}

/** A copy of dist/server/ in a temporary directory, away from the repository: its path. */
function serverCopy(): string {
  const copy = join(tempDir('server-copy-'), 'server');
  cpSync(dirname(MAIN), copy, { recursive: true });
  return copy;
}

/** The copy's entry with `npm start`'s flags. */
const copyArgs = (copy: string) => [...START_FLAGS, join(copy, basename(MAIN))];

/** Starts the copy's entry as `npm start` does, in production; with `command`, through it (a read-only mount). */
function startCopy(copy: string, command = { command: process.execPath, args: copyArgs(copy) }): Started {
  const gateway = startProcess(command.command, command.args, PRODUCTION_ENV, { cwd: copy });
  running.push(gateway);
  return gateway;
}

/** `{ serviceInfo }` from a started gateway: GraphQL answers, without a call to Cognito. */
async function serviceInfo(gateway: Started): Promise<unknown> {
  const { url } = (await gateway.waitForLog('gateway listening')) as { url: string };
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ serviceInfo { name } }' }),
  });
  return res.json();
}

/**
 * The command that runs `node args` with `dir` read-only: its permissions taken away, or for root (whom they do
 * not stop) a read-only bind mount in a user and mount namespace of its own; undefined when neither works here.
 */
function readOnly(dir: string, args: string[]): { command: string; args: string[] } | undefined {
  if (process.getuid?.() !== 0) {
    spawnSync('chmod', ['-R', 'a-w', dir]);
    return { command: process.execPath, args };
  }
  const mount = 'mount --bind -o ro "$0" "$0" && ';
  const probe = spawnSync('unshare', ['-rm', 'sh', '-c', `${mount}! touch "$0/probe"`, dir]);
  if (probe.status !== 0) return undefined;
  return {
    command: 'unshare',
    args: ['-rm', 'sh', '-c', `${mount}exec "$@"`, dir, process.execPath, ...args],
  };
}

describe('a production start', () => {
  it('runs the bundle: it requires nothing from dist/src/ or node_modules, and takes the code cache', async () => {
    expect(relative(ROOT, MAIN)).toBe(join('dist', 'server', 'index.js'));
    expect(existsSync(join(dirname(MAIN), 'main.js.v8-cache'))).toBe(true);
    expect(await loadedFiles(MAIN)).toEqual([
      join('dist', 'server', 'index.js'),
      join('dist', 'server', 'code-cache.js'),
    ]);
  });

  it('with source maps on, requires the bundle itself, so that stack traces point into src/*.ts', async () => {
    expect(await loadedFiles(MAIN, ['--enable-source-maps'])).toEqual([
      join('dist', 'server', 'index.js'),
      join('dist', 'server', 'code-cache.js'),
      join('dist', 'server', 'main.js'),
    ]);
  });

  it('of the compiled modules the bundle is made of loads neither the local stand-in nor the demo page', async () => {
    const files = await loadedFiles(COMPILED_MAIN);
    expect(files).toContain(join('dist', 'src', 'node-server', 'start-server.js'));
    expect(files.filter((file) => /^dist\/src\/(dev|local-cognito)\//.test(file))).toEqual([]);
  });

  it('starts from a read-only copy of dist/server/ away from the repository, and takes its code cache', async () => {
    const copy = serverCopy();
    const command = readOnly(copy, copyArgs(copy));
    if (!command) {
      announceSkip(
        'read-only production start',
        'neither file permissions nor `unshare -rm` make a directory read-only here',
      );
      return;
    }
    const gateway = startCopy(copy, command);
    expect(await serviceInfo(gateway)).toEqual({ data: { serviceInfo: { name: 'cognito-public-gateway' } } });
    gateway.child.kill('SIGTERM');
    expect((await gateway.exited).code).toBe(0);
    expect(gateway.stderr.join('\n')).not.toContain(CODE_CACHE_REJECTED);
  });

  it('runs a main.js that is not what its code cache was made from, even of the same length, and says so', async () => {
    const copy = serverCopy();
    const main = join(copy, 'main.js');
    // V8 alone would take the cache (it compares lengths) and answer with the old code's name.
    writeFileSync(
      main,
      readFileSync(main, 'utf8').replaceAll('cognito-public-gateway', 'cognito-public-gatewaX'),
    );
    const gateway = startCopy(copy);
    expect(await serviceInfo(gateway)).toEqual({ data: { serviceInfo: { name: 'cognito-public-gatewaX' } } });
    expect(gateway.stderr.join('\n')).toContain(CODE_CACHE_REJECTED);
  });

  it('starts without the code cache when V8 refuses it (another Node wrote it), and says why', async () => {
    const copy = serverCopy();
    // After our CRC-32s of main.js and of V8's data, V8's header: its magic number, then the hash of the V8
    // version it was made by. Both CRC-32s made again, as the Node that wrote it would have.
    const cache = readFileSync(join(copy, 'main.js.v8-cache'));
    cache.writeUInt32LE(cache.readUInt32LE(12) ^ 0xffffffff, 12);
    cache.writeUInt32LE(crc32(cache.subarray(8)), 4);
    writeFileSync(join(copy, 'main.js.v8-cache'), cache);
    const gateway = startCopy(copy);
    expect(await serviceInfo(gateway)).toEqual({ data: { serviceInfo: { name: 'cognito-public-gateway' } } });
    expect(gateway.stderr.join('\n')).toContain(CODE_CACHE_REJECTED);
  });

  it('starts without a damaged code cache, which V8 alone would die on, and says so', async () => {
    const copy = serverCopy();
    // Bit rot in V8's data, past its header: a release V8 does not check it and ends the process.
    const cache = readFileSync(join(copy, 'main.js.v8-cache'));
    for (let i = 1_000_000; i < 1_000_064; i++) cache.writeUInt8(cache.readUInt8(i) ^ 0xff, i);
    writeFileSync(join(copy, 'main.js.v8-cache'), cache);
    const gateway = startCopy(copy);
    expect(await serviceInfo(gateway)).toEqual({ data: { serviceInfo: { name: 'cognito-public-gateway' } } });
    expect(gateway.stderr.join('\n')).toContain(CODE_CACHE_REJECTED);
    expect(gateway.stderr.join('\n')).toContain('is damaged');
  });
});
