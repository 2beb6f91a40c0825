import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { USER_POOL_CALLS } from '../../../src/user-pool-calls/registry';

const CALLS_DIR = join(__dirname, '..', '..', '..', 'src', 'user-pool-calls');
const callFolders = readdirSync(CALLS_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && entry.name !== 'shared')
  .map((entry) => entry.name);

describe('the user-pool call registry', () => {
  it('registers every call folder under src/user-pool-calls/', () => {
    const registry = readFileSync(join(CALLS_DIR, 'registry.ts'), 'utf8');
    const unregistered = callFolders.filter(
      (folder) => !registry.includes(`'./${folder}/call'`) || !registry.includes(`'./${folder}/resolver'`),
    );
    expect(unregistered).toEqual([]);
    expect(USER_POOL_CALLS).toHaveLength(callFolders.length);
  });

  it('gives each call folder exactly call.ts, input.ts, payload.ts and resolver.ts (sign-up adds its attribute input)', () => {
    const extra: Record<string, readonly string[]> = { 'sign-up': ['attribute.input.ts'] };
    for (const folder of callFolders) {
      expect(readdirSync(join(CALLS_DIR, folder)).sort(), folder).toEqual(
        ['call.ts', 'input.ts', 'payload.ts', 'resolver.ts', ...(extra[folder] ?? [])].sort(),
      );
    }
  });
});
