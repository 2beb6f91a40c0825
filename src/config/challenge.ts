// The proof-of-work challenge's settings: its mode, its HMAC key (inline or from a file) and its cost.
import { randomBytes } from 'node:crypto';
import { Secret } from '../secret';
import type { Env } from './env-schema';
import { CHALLENGE_KEY, CHALLENGE_KEY_RULE } from './formats';
import { readSecretVariable } from './secret-variables';
import type { ChallengeSettings, ReadFile } from './types';

/**
 * The challenge settings. The key is checked whenever it is given; once the challenge is on it is required,
 * except in local mode, where a random one is made for this process (challenges then die with it).
 */
export function challengeSettings(
  e: Env,
  localMode: boolean,
  readFile: ReadFile,
  report: (problem: string) => void,
): ChallengeSettings {
  const given = readSecretVariable(
    { inline: 'CHALLENGE_HMAC_KEY', file: 'CHALLENGE_HMAC_KEY_FILE' },
    e.CHALLENGE_HMAC_KEY,
    e.CHALLENGE_HMAC_KEY_FILE,
    readFile,
    report,
  );
  const valid = given !== undefined && CHALLENGE_KEY.test(given.value);
  if (given !== undefined && !valid) report(`${given.from}: ${CHALLENGE_KEY_RULE}`);
  const mode = e.CHALLENGE_MODE;
  // A key named but refused (malformed, unreadable, both variables) is reported already, which stops start-up.
  const named = e.CHALLENGE_HMAC_KEY !== undefined || e.CHALLENGE_HMAC_KEY_FILE !== undefined;
  if (mode === 'off' || (named && !valid)) return { mode: 'off' };
  const on = { mode, cost: e.CHALLENGE_COST, failuresIpPerHour: e.CHALLENGE_FAILURES_IP_PER_HOUR };
  if (given !== undefined) return { ...on, hmacKey: new Secret(given.value), keyGenerated: false };
  if (localMode) return { ...on, hmacKey: new Secret(randomBytes(32).toString('hex')), keyGenerated: true };
  report(
    'CHALLENGE_HMAC_KEY: is required when CHALLENGE_MODE is always or adaptive (or CHALLENGE_HMAC_KEY_FILE)',
  );
  return { mode: 'off' };
}
