// Keys derived from operator secrets: the same on every instance for the same secret, apart for different
// secrets, and named by an id that reveals neither the key nor the secret.
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/secret';
import {
  deriveSessionKey,
  deriveSessionKeys,
  KEY_ID_BYTES,
  sameSessionKeys,
} from '../../../src/session/session-keys';
import { keysOf, SECRET_A, SECRET_B, SECRET_C } from './support';

describe('deriveSessionKey', () => {
  it('derives the same AES-256 key and id from the same secret, so every instance opens what another sealed', () => {
    const one = deriveSessionKey(new Secret(SECRET_A));
    const other = deriveSessionKey(new Secret(SECRET_A));
    expect(one.key.symmetricKeySize).toBe(32);
    expect(one.key.equals(other.key)).toBe(true);
    expect(one.id.equals(other.id)).toBe(true);
    expect(one.id).toHaveLength(KEY_ID_BYTES);
  });

  it('derives different keys and ids from different secrets', () => {
    const a = deriveSessionKey(new Secret(SECRET_A));
    const b = deriveSessionKey(new Secret(SECRET_B));
    expect(a.key.equals(b.key)).toBe(false);
    expect(a.id.equals(b.id)).toBe(false);
  });

  it('names a key by an id that is no part of the secret, its hash or the key', () => {
    const { id, key } = deriveSessionKey(new Secret(SECRET_A));
    const raw = key.export();
    for (const known of [
      Buffer.from(SECRET_A),
      Buffer.from(SECRET_A, 'base64'),
      createHash('sha256').update(SECRET_A).digest(),
      raw,
    ])
      expect(known.includes(id)).toBe(false);
    // Nor is the key the secret's bytes or their hash: a leaked derived key is not the operator's secret.
    expect(raw.equals(Buffer.from(SECRET_A, 'base64').subarray(0, 32))).toBe(false);
    expect(raw.equals(createHash('sha256').update(SECRET_A).digest())).toBe(false);
  });

  it('prints nothing of the key', () => {
    const keys = keysOf(SECRET_A);
    const raw = keys.current.key.export().toString('hex');
    expect(inspect(keys, { depth: 5 })).not.toContain(raw);
    expect(JSON.stringify(keys)).not.toContain(raw);
  });
});

describe('deriveSessionKeys', () => {
  it('takes the newest secret as the current key and the other as the previous one', () => {
    const keys = keysOf(SECRET_B, SECRET_A);
    expect(keys.current.key.equals(deriveSessionKey(new Secret(SECRET_B)).key)).toBe(true);
    expect(keys.previous?.key.equals(deriveSessionKey(new Secret(SECRET_A)).key)).toBe(true);
    expect(keysOf(SECRET_A).previous).toBeUndefined();
  });

  it('takes one or two secrets, no other number', () => {
    expect(() => deriveSessionKeys([])).toThrow(RangeError);
    expect(() => keysOf(SECRET_A, SECRET_B, SECRET_C)).toThrow(RangeError);
  });
});

describe('sameSessionKeys', () => {
  it('tells key sets apart by what they seal with and what they open', () => {
    expect(sameSessionKeys(keysOf(SECRET_A), keysOf(SECRET_A))).toBe(true);
    expect(sameSessionKeys(keysOf(SECRET_B, SECRET_A), keysOf(SECRET_B, SECRET_A))).toBe(true);
    expect(sameSessionKeys(keysOf(SECRET_A), keysOf(SECRET_B))).toBe(false);
    expect(sameSessionKeys(keysOf(SECRET_B, SECRET_A), keysOf(SECRET_A, SECRET_B))).toBe(false);
    expect(sameSessionKeys(keysOf(SECRET_B, SECRET_A), keysOf(SECRET_B))).toBe(false);
  });
});
