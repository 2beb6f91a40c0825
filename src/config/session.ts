// The refresh-token cookie's settings: the keys it is sealed with (inline or from a file, like the client
// secret, one or two while rotating), its name and SameSite, and the refresh token's validity.
import { randomBytes } from 'node:crypto';
import { Secret } from '../secret';
import type { Env } from './env-schema';
import { readSecretVariable } from './secret-variables';
import type { ReadFile, SessionSettings } from './types';

/**
 * The Cognito actions of the calls that set or read the refresh-token cookie: serving any of them is
 * serving sign-in, which needs SESSION_KEYS outside local mode.
 */
export const SESSION_COOKIE_ACTIONS: ReadonlySet<string> = new Set([
  'InitiateAuth',
  'RespondToAuthChallenge',
  'GetTokensFromRefreshToken',
  'RevokeToken',
]);

export const SESSION_KEY_RULE =
  'must be 32 random bytes or more, as hex (64 digits or more: openssl rand -hex 32) or base64/base64url (43 characters or more: openssl rand -base64 32), at most 1024 characters';
const HEX = /^[0-9A-Fa-f]+$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
/** A random key of the accepted lengths shows far more; fewer is a placeholder (`0000...`, `abcabc...`). */
const MIN_DISTINCT_CHARACTERS = 10;

/** Why one key is refused, or undefined. Never names the key. */
function keyProblem(key: string): string | undefined {
  if (key.length > 1024) return SESSION_KEY_RULE;
  // Hex digits are base64 characters too: a key of hex digits only is judged as hex, 4 bits a character.
  const bits = HEX.test(key) ? key.length * 4 : BASE64.test(key) ? key.replace(/=+$/, '').length * 6 : 0;
  if (bits < 256) return SESSION_KEY_RULE;
  if (new Set(key).size < MIN_DISTINCT_CHARACTERS)
    return `repeats too few characters to be random (${SESSION_KEY_RULE.replace('must be ', 'use ')})`;
  return undefined;
}

/**
 * The secrets in SESSION_KEYS or its file's text (`from` names the variable), newest first: one, or two
 * while rotating, separated by a comma or a newline; blank entries and the spaces around each are ignored.
 * Start-up and the reloading source (src/session/session-key-source.ts) judge a value by this one rule.
 * A problem names the variable and the key's position, never a key.
 */
export function parseSessionKeys(text: string, from: string): { keys: Secret[] } | { problem: string } {
  const keys = text
    .split(/[,\n]/)
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (keys.length === 0) return { problem: `${from}: holds no key` };
  if (keys.length > 2)
    return { problem: `${from}: holds ${keys.length} keys; give one, or two while rotating (newest first)` };
  for (const [index, key] of keys.entries()) {
    const problem = keyProblem(key);
    if (problem !== undefined)
      return {
        problem: keys.length === 1 ? `${from}: ${problem}` : `${from}: key ${index + 1} of 2 ${problem}`,
      };
  }
  if (keys.length === 2 && keys[0] === keys[1]) return { problem: `${from}: holds the same key twice` };
  return { keys: keys.map((k) => new Secret(k)) };
}

/**
 * The session settings. The keys are checked whenever they are given; once a call served uses the cookie
 * (`signIn`) they are required in production (NODE_ENV=production: several instances and restarts must open
 * each other's cookies); elsewhere (local mode, a gateway in front of an emulator) a random one is made for
 * this process, with a warning. Undefined when neither: nothing seals a cookie.
 */
export function sessionSettings(
  e: Env,
  { signIn, production }: { signIn: boolean; production: boolean },
  readFile: ReadFile,
  report: (problem: string) => void,
): SessionSettings | undefined {
  const given = readSecretVariable(
    { inline: 'SESSION_KEYS', file: 'SESSION_KEYS_FILE' },
    e.SESSION_KEYS,
    e.SESSION_KEYS_FILE,
    readFile,
    report,
  );
  const parsed = given && parseSessionKeys(given.value, given.from);
  if (parsed && 'problem' in parsed) report(parsed.problem);
  const cookie = {
    cookieName: e.SESSION_COOKIE_NAME,
    sameSite: e.SESSION_COOKIE_SAMESITE,
    refreshTokenValidityDays: e.REFRESH_TOKEN_VALIDITY_DAYS,
    refreshTokenInPayload: e.REFRESH_TOKEN_IN_PAYLOAD,
  };
  if (parsed && 'keys' in parsed) {
    return {
      keys: parsed.keys,
      ...(e.SESSION_KEYS_FILE && { keysFile: e.SESSION_KEYS_FILE }),
      keysGenerated: false,
      ...cookie,
    };
  }
  // Keys named but refused (malformed, unreadable, both variables) are reported already, which stops start-up.
  const named = e.SESSION_KEYS !== undefined || e.SESSION_KEYS_FILE !== undefined;
  if (named || !signIn) return undefined;
  if (!production) {
    return { keys: [new Secret(randomBytes(32).toString('base64url'))], keysGenerated: true, ...cookie };
  }
  report(
    'SESSION_KEYS: is required in production to serve sign-in (or SESSION_KEYS_FILE): one key of 32 random bytes, e.g. openssl rand -base64 32',
  );
  return undefined;
}
