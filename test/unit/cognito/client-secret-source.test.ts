// The reloadable client secret: a new valid value from the file replaces the one in use; anything else
// (malformed, unreadable, the same) keeps it, says so, and counts the outcome. The value is never logged.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientSecretSource, type ReloadResult } from '../../../src/cognito/client-secret-source';
import { clientSecretProblem } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import { Secret } from '../../../src/secret';

const OLD = 'old_secret_0123456789abcdefghij';
const NEW = 'new_secret_0123456789abcdefghij';

function source(fileText: string | (() => string), initial = OLD) {
  const logs: Array<Record<string, unknown>> = [];
  const results: ReloadResult[] = [];
  const logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line)) });
  let text = fileText;
  const s = new ClientSecretSource(new Secret(initial), {
    file: '/run/secrets/client-secret',
    validate: (value) => clientSecretProblem(value, 'COGNITO_CLIENT_SECRET_FILE', false),
    logger,
    onReload: (result) => results.push(result),
    readFile: () => (typeof text === 'function' ? text() : text),
  });
  return {
    s,
    logs,
    results,
    setText: (t: string) => {
      text = t;
    },
  };
}

const everything = (logs: unknown[]) => JSON.stringify(logs);

describe('ClientSecretSource', () => {
  it('swaps to a new valid value, which the next read sees, and logs it without the value', () => {
    const { s, logs, results } = source(NEW);

    expect(s.reload('signal')).toBe('ok');
    expect(s.current().reveal()).toBe(NEW);
    expect(results).toEqual(['ok']);
    expect(logs.find((l) => l.msg === 'client secret reloaded')).toMatchObject({
      level: 30,
      trigger: 'signal',
    });
    expect(everything(logs)).not.toContain(NEW);
    expect(everything(logs)).not.toContain(OLD);
  });

  it('tolerates the one trailing newline a file written by echo or an editor ends with, as start-up does', () => {
    const { s } = source(`${NEW}\n`);
    expect(s.reload('signal')).toBe('ok');
    expect(s.current().reveal()).toBe(NEW);
  });

  it('refuses a malformed value with an error log and the metric, and keeps the secret in use', () => {
    const bad = 'not a secret, has spaces';
    const { s, logs, results } = source(bad);

    expect(s.reload('watch')).toBe('invalid');
    expect(s.current().reveal()).toBe(OLD);
    expect(results).toEqual(['invalid']);
    const line = logs.find((l) => l.level === 50);
    expect(line).toMatchObject({
      msg: 'client secret file refused: the secret in use is kept',
      problem: expect.stringContaining('COGNITO_CLIENT_SECRET_FILE: is not an app client secret'),
    });
    expect(everything(logs)).not.toContain(bad);
  });

  it('refuses an empty file (a write caught half-way) and keeps the secret in use', () => {
    const { s } = source('');
    expect(s.reload('watch')).toBe('invalid');
    expect(s.current().reveal()).toBe(OLD);
  });

  it('keeps the secret in use when the file cannot be read, logging the reason at error level', () => {
    const { s, logs, results } = source(() => {
      throw Object.assign(new Error('gone'), { code: 'ENOENT' });
    });

    expect(s.reload('watch')).toBe('unreadable');
    expect(s.current().reveal()).toBe(OLD);
    expect(results).toEqual(['unreadable']);
    expect(logs.find((l) => l.level === 50)).toMatchObject({
      msg: 'client secret file unreadable: the secret in use is kept',
      code: 'ENOENT',
    });
  });

  it('answers unchanged for the value in use, without swapping or logging above debug', () => {
    const { s, logs, results } = source(OLD);

    expect(s.reload('signal')).toBe('unchanged');
    expect(results).toEqual(['unchanged']);
    expect(logs.filter((l) => (l.level as number) > 20)).toEqual([]);
  });

  it('counts a poll only when the file says something new, so a refused file is reported once, not every poll', () => {
    const { s, results, setText } = source('bad value');
    s.reload('poll');
    s.reload('poll');
    setText(OLD);
    s.reload('poll');
    setText(NEW);
    s.reload('poll');
    s.reload('poll');

    expect(results).toEqual(['invalid', 'unchanged', 'ok']);
    expect(s.current().reveal()).toBe(NEW);
  });

  it('without a file never changes, and says there is nothing to reload', () => {
    const s = new ClientSecretSource(new Secret(OLD));
    expect(s.reloadable).toBe(false);
    expect(s.reload('signal')).toBeUndefined();
    expect(s.current().reveal()).toBe(OLD);
  });
});

describe('ClientSecretSource.watch', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('follows a file replaced by rename (as Kubernetes and editors replace it) within a second', async () => {
    dir = mkdtempSync(join(tmpdir(), 'secret-watch-'));
    const file = join(dir, 'client-secret');
    writeFileSync(file, OLD);
    const results: ReloadResult[] = [];
    const s = new ClientSecretSource(new Secret(OLD), {
      file,
      validate: (value) => clientSecretProblem(value, 'COGNITO_CLIENT_SECRET_FILE', false),
      logger: createLogger('silent'),
      onReload: (r) => results.push(r),
    });
    const stop = s.watch({ debounceMs: 20, pollMs: 60_000 });
    try {
      writeFileSync(join(dir, 'client-secret.tmp'), NEW);
      renameSync(join(dir, 'client-secret.tmp'), file);
      const deadline = Date.now() + 1_000;
      while (s.current().reveal() !== NEW && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(s.current().reveal()).toBe(NEW);
      expect(results).toEqual(['ok']);
    } finally {
      stop();
    }
  });

  it('falls back to polling, which finds a change no watch event announced', async () => {
    dir = mkdtempSync(join(tmpdir(), 'secret-poll-'));
    const file = join(dir, 'client-secret');
    writeFileSync(file, OLD);
    let text = OLD;
    const s = new ClientSecretSource(new Secret(OLD), {
      file,
      validate: (value) => clientSecretProblem(value, 'COGNITO_CLIENT_SECRET_FILE', false),
      logger: createLogger('silent'),
      // Read from memory: the file on disk never changes, so no watch event can be what found the change.
      readFile: () => text,
    });
    const stop = s.watch({ debounceMs: 20, pollMs: 30 });
    try {
      text = NEW;
      const deadline = Date.now() + 1_000;
      while (s.current().reveal() !== NEW && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(s.current().reveal()).toBe(NEW);
    } finally {
      stop();
    }
  });
});
