import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config';
import { limitsNameOf, settingVariables } from '../../../src/limits/limit-settings';
import {
  ALL_USER_POOL_CALLS,
  USER_POOL_CALL_LIMITS,
  USER_POOL_CALLS,
} from '../../../src/user-pool-calls/registry';
import { type AnyUserPoolCall, limitRulesOf } from '../../../src/user-pool-calls/user-pool-call';

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

  it('gives each call folder exactly call.ts, input.ts, limits.ts, payload.ts and resolver.ts (sign-up adds its attribute input; the sign-in steps answer the shared SignInPayload)', () => {
    const extra: Record<string, readonly string[]> = { 'sign-up': ['attribute.input.ts'] };
    const sharedPayload = new Set(['sign-in', 'respond-to-sign-in-challenge']);
    for (const folder of callFolders) {
      const expected = ['call.ts', 'input.ts', 'limits.ts', 'resolver.ts', ...(extra[folder] ?? [])];
      if (!sharedPayload.has(folder)) expected.push('payload.ts');
      expect(readdirSync(join(CALLS_DIR, folder)).sort(), folder).toEqual(expected.sort());
    }
  });
});

describe("each call's own limits", () => {
  const calls = ALL_USER_POOL_CALLS;

  it('are read by configuration under the call’s action name (or the name calls sharing limits share), each variable named by one set of limits only', () => {
    const config = loadConfig({}, USER_POOL_CALL_LIMITS);
    expect(Object.keys(config.limits.calls).sort()).toEqual([...new Set(calls.map(limitsNameOf))].sort());
    expect(config.limits.calls.SignInCode).toBeDefined();
    const variables = USER_POOL_CALL_LIMITS.flatMap((c) => Object.values(c.limits).flatMap(settingVariables));
    expect(new Set(variables).size).toBe(variables.length);
    expect(variables.filter((v) => !/^LIMIT_[A-Z0-9_]+$/.test(v))).toEqual([]);
  });

  it('give every call its abuse rules from configuration, and a call configuration never read stops start-up', () => {
    const config = loadConfig({}, USER_POOL_CALL_LIMITS);
    for (const call of calls)
      expect(limitRulesOf(call, config.limits).length, call.action).toBeGreaterThan(0);
    const without = loadConfig({}, []);
    expect(() => limitRulesOf(calls[0] as AnyUserPoolCall, without.limits)).toThrow(
      `Configuration was read without the limits of ${calls[0]?.action}`,
    );
  });
});
