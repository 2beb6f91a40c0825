// The session keys follow SESSION_KEYS_FILE as the client secret follows its file: a new valid pair replaces
// the keys in use, so values sealed before keep opening as long as their key is listed; anything else keeps
// the keys in use, says why and counts it. No key ever reaches a log.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger';
import { Secret } from '../../../src/secret';
import type { ReloadResult } from '../../../src/secret-file-source';
import { seal, unseal } from '../../../src/session/sealed-cookie';
import { sessionKeySource } from '../../../src/session/session-key-source';
import { context, keysOf, NOW, payload, SECRET_A, SECRET_B, SECRET_C } from './support';

const FILE = '/run/secrets/session-keys';

function source(fileText: string | (() => string), initial: string[] = [SECRET_A]) {
  const logs: Array<Record<string, unknown>> = [];
  const results: ReloadResult[] = [];
  let text = fileText;
  const s = sessionKeySource(
    { keys: initial.map((k) => new Secret(k)), keysFile: FILE },
    {
      logger: createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line)) }),
      onReload: (result) => results.push(result),
      readFile: () => (typeof text === 'function' ? text() : text),
    },
  );
  return {
    s,
    logs,
    results,
    setText: (t: string) => {
      text = t;
    },
  };
}

const noKeyIn = (logs: unknown[]) => {
  const all = JSON.stringify(logs);
  for (const secret of [SECRET_A, SECRET_B, SECRET_C]) expect(all).not.toContain(secret.slice(0, 20));
};

describe('sessionKeySource', () => {
  it('swaps to the keys a rotation writes (newest first): new values seal under the new key, old ones still open', () => {
    const { s, logs, results } = source(`${SECRET_B}\n${SECRET_A}\n`);
    const before = seal(payload(), context(s.current()));

    expect(s.reload('signal')).toBe('ok');
    expect(results).toEqual(['ok']);
    expect(unseal(before, context(s.current()), NOW)).toMatchObject({ ok: true, sealedWith: 'previous' });
    const after = seal(payload(), context(s.current()));
    expect(unseal(after, context(keysOf(SECRET_B)), NOW).ok).toBe(true);
    expect(logs.find((l) => l.msg === 'session keys reloaded')).toMatchObject({
      level: 30,
      trigger: 'signal',
    });
    noKeyIn(logs);
  });

  it('answers unchanged for the same keys however they are separated', () => {
    const { s, results } = source(`${SECRET_B}, ${SECRET_A}`, [SECRET_B, SECRET_A]);
    expect(s.reload('signal')).toBe('unchanged');
    expect(results).toEqual(['unchanged']);
  });

  it('does not count a first poll that finds the newline-separated file it started with', () => {
    const { s, results } = source(`${SECRET_B}\n${SECRET_A}\n`, [SECRET_B, SECRET_A]);
    expect(s.reload('poll')).toBe('unchanged');
    expect(results).toEqual([]);
  });

  it('refuses a file start-up would refuse, keeps the keys in use and says why without a key', () => {
    for (const [text, problem] of [
      ['', 'SESSION_KEYS_FILE: holds no key'],
      [
        `${SECRET_C},${SECRET_B},${SECRET_A}`,
        'SESSION_KEYS_FILE: holds 3 keys; give one, or two while rotating (newest first)',
      ],
      [`${SECRET_B}\nshort-old-key`, 'SESSION_KEYS_FILE: key 2 of 2 must be 32 random bytes or more'],
    ] as const) {
      const { s, logs, results } = source(text);
      expect(s.reload('watch')).toBe('invalid');
      expect(results).toEqual(['invalid']);
      expect(unseal(seal(payload(), context(keysOf(SECRET_A))), context(s.current()), NOW)).toMatchObject({
        ok: true,
        sealedWith: 'current',
      });
      expect(logs.find((l) => l.level === 50)).toMatchObject({
        msg: 'session keys file refused: the keys in use are kept',
        problem: expect.stringContaining(problem),
      });
      noKeyIn(logs);
    }
  });

  it('keeps the keys in use when the file cannot be read', () => {
    const { s, logs } = source(() => {
      throw Object.assign(new Error('gone'), { code: 'EACCES' });
    });
    expect(s.reload('signal')).toBe('unreadable');
    expect(s.current().current.key.equals(keysOf(SECRET_A).current.key)).toBe(true);
    expect(logs.find((l) => l.level === 50)).toMatchObject({
      msg: 'session keys file unreadable: the keys in use are kept',
      code: 'EACCES',
    });
  });

  it('without a file never changes and has nothing to reload', () => {
    const s = sessionKeySource({ keys: [new Secret(SECRET_A)] }, { logger: createLogger('silent') });
    expect(s.reloadable).toBe(false);
    expect(s.reload('signal')).toBeUndefined();
  });
});

describe('sessionKeySource.watch', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('follows a keys file replaced by rename within a second', async () => {
    dir = mkdtempSync(join(tmpdir(), 'session-keys-'));
    const file = join(dir, 'session-keys');
    writeFileSync(file, `${SECRET_A}\n`);
    const s = sessionKeySource(
      { keys: [new Secret(SECRET_A)], keysFile: file },
      { logger: createLogger('silent') },
    );
    const stop = s.watch({ debounceMs: 20, pollMs: 60_000 });
    try {
      writeFileSync(join(dir, 'session-keys.tmp'), `${SECRET_B}\n${SECRET_A}\n`);
      renameSync(join(dir, 'session-keys.tmp'), file);
      const deadline = Date.now() + 1_000;
      while (s.current().previous === undefined && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(s.current().current.key.equals(keysOf(SECRET_B).current.key)).toBe(true);
    } finally {
      stop();
    }
  });
});
