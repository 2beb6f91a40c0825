// The keys refresh-token cookies are sealed with, derived from the operator's secrets (SESSION_KEYS) by
// HKDF-SHA256. Deriving rather than using a secret as it is lets one operator secret serve other purposes
// later under other labels without two of them ever sharing a key, and gives each key an id that names it in
// a sealed value without telling anything about the secret. Two keys at most: the current one seals, and
// the previous one still opens what it sealed while a rotation goes round.
import { createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import type { Secret } from '../secret';

/** Bytes of the key id in a sealed value: enough that two keys in use collide once in 4 billion rotations. */
export const KEY_ID_BYTES = 4;

/** Fixed, so that every instance derives the same keys from the same secret; it only separates domains. */
const SALT = Buffer.from('cognito-public-gateway/session-cookie', 'utf8');
const KEY_INFO = Buffer.from('aes-256-gcm key, version 1', 'utf8');
const ID_INFO = Buffer.from('key id, version 1', 'utf8');

export interface SessionKey {
  /** Names the key in a sealed value: an HKDF output of its own, so it reveals neither the key nor the secret. */
  readonly id: Buffer;
  readonly key: KeyObject;
}

export interface SessionKeys {
  /** Seals every new value and opens what it sealed. */
  readonly current: SessionKey;
  /** During a rotation: opens what it sealed before the current key came, and seals nothing. */
  readonly previous: SessionKey | undefined;
}

/** The key a secret stands for. */
export function deriveSessionKey(secret: Secret): SessionKey {
  const material = Buffer.from(secret.reveal(), 'utf8');
  const raw = Buffer.from(hkdfSync('sha256', material, SALT, KEY_INFO, 32));
  const id = Buffer.from(hkdfSync('sha256', material, SALT, ID_INFO, KEY_ID_BYTES));
  const key = createSecretKey(raw);
  // The KeyObject holds its own copy: these are the only others, and nothing needs them any more.
  raw.fill(0);
  material.fill(0);
  return { id, key };
}

/** The keys of one or two secrets, newest first (as SESSION_KEYS lists them). */
export function deriveSessionKeys(secrets: readonly Secret[]): SessionKeys {
  const [newest, older, ...rest] = secrets;
  if (newest === undefined || rest.length > 0)
    throw new RangeError(`session keys: one or two secrets, not ${secrets.length}`);
  return { current: deriveSessionKey(newest), previous: older && deriveSessionKey(older) };
}

/** Whether two key sets seal and open alike (a reload to the same secrets changes nothing). */
export function sameSessionKeys(a: SessionKeys, b: SessionKeys): boolean {
  const same = (x: SessionKey | undefined, y: SessionKey | undefined) =>
    x === undefined || y === undefined ? x === y : x.key.equals(y.key);
  return same(a.current, b.current) && same(a.previous, b.previous);
}
