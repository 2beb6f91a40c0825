// The supported Node is stated once per tool that reads it, and the stated places agree: .nvmrc and
// .node-version, package.json's engines (enforced by .npmrc's engine-strict), the Node 24 that
// scripts/node24.sh fetches, and .ci/run, which uses that script rather than its own copy.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const FETCHED = /^NODE_VERSION=(\d+)\.(\d+)\.(\d+)$/m.exec(read('scripts/node24.sh'));
const FLOOR = /^>=(\d+)\.(\d+)\.(\d+)$/.exec(JSON.parse(read('package.json')).engines.node);

const atLeast = (version: number[], floor: number[]) =>
  (version[0] ?? 0) > (floor[0] ?? 0) ||
  ((version[0] ?? 0) === (floor[0] ?? 0) && (version[1] ?? 0) >= (floor[1] ?? 0));

describe('the supported Node', () => {
  it('is one major in .nvmrc, .node-version and the Node that scripts/node24.sh fetches', () => {
    expect(FETCHED?.[1]).toBe('24');
    expect(read('.nvmrc').trim()).toBe(FETCHED?.[1]);
    expect(read('.node-version').trim()).toBe(FETCHED?.[1]);
  });

  it("is enforced at install: package.json's engines is a floor the fetched Node meets, and .npmrc makes it strict", () => {
    expect(FLOOR).not.toBeNull();
    expect(atLeast(FETCHED?.slice(1).map(Number) ?? [], FLOOR?.slice(1).map(Number) ?? [])).toBe(true);
    expect(read('.npmrc')).toMatch(/^engine-strict=true$/m);
  });

  it('runs these tests (under an older Node, `eval "$(bash scripts/node24.sh)"` first)', () => {
    expect(atLeast(process.versions.node.split('.').map(Number), FLOOR?.slice(1).map(Number) ?? [])).toBe(
      true,
    );
  });

  it('is fetched for CI by scripts/node24.sh, and .ci/run still runs exactly npm ci && npm test', () => {
    const ci = read('.ci/run');
    expect(ci).toContain('eval "$(bash scripts/node24.sh)"');
    expect(ci).not.toContain('npm install');
    expect(ci).toMatch(/^set -euo pipefail$/m);
    expect(ci.trimEnd().split('\n').slice(-2)).toEqual(['npm ci', 'npm test']);
  });

  it('once cached, is put on PATH by the line scripts/node24.sh prints, without a fetch', () => {
    const cache = mkdtempSync(join(tmpdir(), 'node24-'));
    try {
      const bin = join(
        cache,
        'cognito-public-gateway',
        `node-${FETCHED?.slice(1).join('.')}`,
        'node_modules',
        'node',
        'bin',
      );
      mkdirSync(bin, { recursive: true });
      writeFileSync(join(bin, 'node'), '#!/bin/sh\necho v-cached\n');
      chmodSync(join(bin, 'node'), 0o755);
      const env = { ...process.env, XDG_CACHE_HOME: cache };
      const line = execFileSync('bash', [join(ROOT, 'scripts', 'node24.sh')], { env, encoding: 'utf8' });
      expect(line).toBe(`export PATH="${bin}:$PATH"\n`);
      expect(execFileSync('bash', ['-c', `${line} node`], { env, encoding: 'utf8' })).toBe('v-cached\n');
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
