// The sealed refresh-token cookie, attacked: every change to a value, every value from elsewhere (another
// cookie, a retired key, the past) and every value that is not one must fail to open, without throwing, with
// bounded work, and without the refresh token ever appearing in what the code answers, throws or logs.
import { createCipheriv, randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger';
import { Secret } from '../../../src/secret';
import {
  MAX_COOKIE_BYTES,
  SEALED_VERSION,
  type SessionPayload,
  seal,
  type UnsealResult,
  unseal,
} from '../../../src/session/sealed-cookie';
import { deriveSessionKey } from '../../../src/session/session-keys';
import {
  COOKIE,
  context,
  DAY_MS,
  DEVICE_KEY,
  keysOf,
  NOW,
  payload,
  REFRESH_TOKEN,
  SECRET_A,
  SECRET_B,
  SECRET_C,
  USERNAME,
} from './support';

const KEYS = keysOf(SECRET_A);
const SEALED = seal(payload(), context(KEYS));

const reasonOf = (result: UnsealResult) => (result.ok ? 'ok' : result.reason);

/** The value with one bit of its decoded bytes flipped, encoded again (so it is still base64url). */
function flipBit(value: string, bit: number): string {
  const bytes = Buffer.from(value, 'base64url');
  bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return bytes.toString('base64url');
}

describe('seal and unseal', () => {
  it('open what they sealed: the refresh token, the username, the device key, issued-at and expiry', () => {
    const result = unseal(SEALED, context(KEYS), NOW);
    expect(result).toMatchObject({ ok: true, sealedWith: 'current' });
    const opened = (result as { payload: SessionPayload }).payload;
    expect(opened.refreshToken.reveal()).toBe(REFRESH_TOKEN);
    expect(opened).toMatchObject({
      username: USERNAME,
      deviceKey: DEVICE_KEY,
      issuedAt: NOW / 1000,
      expiresAt: NOW / 1000 + 30 * 86_400,
    });
  });

  it('leave the device key out when the pool remembers no device', () => {
    const { deviceKey: _, ...noDevice } = payload();
    const opened = unseal(seal(noDevice, context(KEYS)), context(KEYS), NOW);
    expect(opened.ok && opened.payload).not.toHaveProperty('deviceKey');
  });

  it('write version 1, the key id, a 96-bit IV, the ciphertext and a 128-bit tag, base64url without padding', () => {
    expect(SEALED).toMatch(/^[A-Za-z0-9_-]+$/);
    const bytes = Buffer.from(SEALED, 'base64url');
    expect(bytes[0]).toBe(SEALED_VERSION);
    expect(bytes.subarray(1, 5).equals(KEYS.current.id)).toBe(true);
    const body = JSON.stringify({
      t: REFRESH_TOKEN,
      u: USERNAME,
      d: DEVICE_KEY,
      iat: NOW / 1000,
      exp: NOW / 1000 + 30 * 86_400,
    });
    // AES-GCM is a stream cipher: the ciphertext is as long as the body.
    expect(bytes.length).toBe(1 + 4 + 12 + Buffer.byteLength(body) + 16);
  });

  it('never give the same value twice (a fresh random IV each time) and show nothing of the session', () => {
    const again = seal(payload(), context(KEYS));
    expect(again).not.toBe(SEALED);
    expect(Buffer.from(again, 'base64url').subarray(5, 17)).not.toEqual(
      Buffer.from(SEALED, 'base64url').subarray(5, 17),
    );
    const decoded = Buffer.from(SEALED, 'base64url').toString('latin1');
    for (const clear of [REFRESH_TOKEN.slice(0, 40), USERNAME, DEVICE_KEY, '"exp"']) {
      expect(SEALED).not.toContain(clear);
      expect(decoded).not.toContain(clear);
    }
  });

  it('fit a Cognito-sized refresh token, a 128-character username and a device key in the 4096 bytes browsers keep', () => {
    const big = { ...payload(), username: 'u'.repeat(128) };
    const value = seal(big, context(KEYS));
    expect(COOKIE.length + 1 + value.length).toBeLessThan(MAX_COOKIE_BYTES);
  });

  it('refuse to seal what browsers would drop, naming sizes and never the token', () => {
    const token = `secret-refresh-${'x'.repeat(3_000)}`;
    const huge = { ...payload(), refreshToken: new Secret(token) };
    let error: unknown;
    try {
      seal(huge, context(KEYS));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RangeError);
    expect(String((error as Error).message)).toMatch(/^sealed session cookie would take \d+ bytes/);
    expect(inspect(error)).not.toContain('secret-refresh-');
  });
});

describe('unseal, attacked', () => {
  it('refuses a value with any one bit flipped, anywhere: malformed version, unknown key id, or tampered', () => {
    const bits = Buffer.from(SEALED, 'base64url').length * 8;
    const reasons = new Map<string, number>();
    for (let bit = 0; bit < bits; bit++) {
      const reason = reasonOf(unseal(flipBit(SEALED, bit), context(KEYS), NOW));
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      const expected = bit < 8 ? 'malformed' : bit < 40 ? 'unknown-key' : 'tampered';
      if (reason !== expected) expect({ bit, reason }).toEqual({ bit, reason: expected });
    }
    expect(reasons.get('ok')).toBeUndefined();
    expect(reasons.get('tampered')).toBe(bits - 40);
  });

  it('refuses a value with any one bit flipped in any character of its text', () => {
    for (let i = 0; i < SEALED.length; i++) {
      for (let bit = 0; bit < 7; bit++) {
        const changed =
          SEALED.slice(0, i) + String.fromCharCode(SEALED.charCodeAt(i) ^ (1 << bit)) + SEALED.slice(i + 1);
        const result = unseal(changed, context(KEYS), NOW);
        if (result.ok) expect({ i, bit, changed: 'opened' }).toBeUndefined();
      }
    }
  });

  it('refuses every truncation and every extension of a genuine value', () => {
    for (let length = 0; length < SEALED.length; length++)
      expect(unseal(SEALED.slice(0, length), context(KEYS), NOW).ok).toBe(false);
    for (const tail of ['A', 'AA', 'AAA', 'AAAA', '_', SEALED.slice(0, 24)])
      expect(unseal(SEALED + tail, context(KEYS), NOW).ok).toBe(false);
  });

  it('refuses a value moved from another cookie name, although the key is the same', () => {
    const other = seal(payload(), context(KEYS, '__Host-other-app'));
    expect(unseal(other, context(KEYS, COOKIE), NOW)).toEqual({ ok: false, reason: 'tampered' });
    expect(unseal(other, context(KEYS, '__Host-other-app'), NOW).ok).toBe(true);
    // Nor does a name that only differs in case, as an older browser might send a look-alike.
    expect(unseal(SEALED, context(KEYS, '__host-cognito-refresh'), NOW)).toEqual({
      ok: false,
      reason: 'tampered',
    });
  });

  it('opens a value sealed under the previous key during a rotation, and says so', () => {
    const rotated = keysOf(SECRET_B, SECRET_A);
    expect(unseal(SEALED, context(rotated), NOW)).toMatchObject({ ok: true, sealedWith: 'previous' });
    const fresh = seal(payload(), context(rotated));
    expect(unseal(fresh, context(rotated), NOW)).toMatchObject({ ok: true, sealedWith: 'current' });
    // Sealed under the new key: an instance that has not reloaded yet cannot open it.
    expect(reasonOf(unseal(fresh, context(KEYS), NOW))).toBe('unknown-key');
  });

  it('refuses a value sealed under a retired key, or replayed after the key set changed', () => {
    expect(reasonOf(unseal(SEALED, context(keysOf(SECRET_B)), NOW))).toBe('unknown-key');
    expect(reasonOf(unseal(SEALED, context(keysOf(SECRET_C, SECRET_B)), NOW))).toBe('unknown-key');
    // And the value keeps opening where its key still is: a retired key's values die with it, not before.
    expect(reasonOf(unseal(SEALED, context(keysOf(SECRET_B, SECRET_A)), NOW))).toBe('ok');
  });

  it('refuses a forged value that names our key id with random bytes', () => {
    for (let i = 0; i < 200; i++) {
      const forged = Buffer.concat([
        Buffer.from([SEALED_VERSION]),
        KEYS.current.id,
        randomBytes(12 + 40 + 16),
      ]);
      expect(reasonOf(unseal(forged.toString('base64url'), context(KEYS), NOW))).toBe('tampered');
    }
  });

  it('refuses a value past its absolute expiry, to the second, whatever the keys', () => {
    const expiry = NOW + 30 * DAY_MS;
    expect(unseal(SEALED, context(KEYS), expiry - 1).ok).toBe(true);
    expect(unseal(SEALED, context(KEYS), expiry)).toEqual({ ok: false, reason: 'expired' });
    expect(unseal(SEALED, context(keysOf(SECRET_B, SECRET_A)), expiry + DAY_MS)).toEqual({
      ok: false,
      reason: 'expired',
    });
    // A one-day session is over after one day, not after the default thirty.
    const short = seal(payload(NOW, 1), context(KEYS));
    expect(reasonOf(unseal(short, context(KEYS), NOW + DAY_MS))).toBe('expired');
  });

  it('refuses a genuine value of another version, and an authentic body that is not a session', () => {
    const key = deriveSessionKey(new Secret(SECRET_A));
    const sealRaw = (version: number, body: string) => {
      const header = Buffer.concat([Buffer.from([version]), key.id]);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key.key, iv);
      cipher.setAAD(Buffer.concat([header, Buffer.from(COOKIE)]));
      return Buffer.concat([header, iv, cipher.update(body), cipher.final(), cipher.getAuthTag()]).toString(
        'base64url',
      );
    };
    const good = JSON.stringify({ t: 'rt', u: 'user', iat: 1, exp: 4_000_000_000 });
    expect(reasonOf(unseal(sealRaw(1, good), context(KEYS), NOW))).toBe('ok');
    expect(reasonOf(unseal(sealRaw(2, good), context(KEYS), NOW))).toBe('malformed');
    for (const body of [
      'not json',
      'null',
      '[]',
      '"text"',
      JSON.stringify({ u: 'user', iat: 1, exp: 4_000_000_000 }),
      JSON.stringify({ t: '', u: 'user', iat: 1, exp: 4_000_000_000 }),
      JSON.stringify({ t: 'rt', u: 'user', d: 7, iat: 1, exp: 4_000_000_000 }),
      JSON.stringify({ t: 'rt', u: 'user', iat: 1, exp: '4000000000' }),
      JSON.stringify({ t: 'rt', u: 'user', iat: 1.5, exp: 4_000_000_000 }),
    ])
      expect({ body, reason: reasonOf(unseal(sealRaw(1, body), context(KEYS), NOW)) }).toEqual({
        body,
        reason: 'malformed',
      });
  });

  it('refuses what is not base64url, or not even close, as malformed', () => {
    for (const value of [
      '',
      ' ',
      `${SEALED}=`,
      `${SEALED} `,
      `"${SEALED}"`,
      SEALED.replace(/_/g, '/').replace(/-/g, '+'),
      '%41%42',
      'ÄÖÜ',
      '\u0000',
      'a.b.c',
      'deleted',
    ])
      expect(reasonOf(unseal(value, context(KEYS), NOW))).toBe('malformed');
  });

  it('does bounded work on very long input: refused on its length before any decoding', () => {
    const long = 'A'.repeat(1_000_000);
    const justOver = 'A'.repeat(MAX_COOKIE_BYTES + 1);
    const started = performance.now();
    for (let i = 0; i < 1_000; i++) {
      expect(reasonOf(unseal(long, context(KEYS), NOW))).toBe('malformed');
      expect(reasonOf(unseal(justOver, context(KEYS), NOW))).toBe('malformed');
    }
    // 2,000 refusals of up to a megabyte each: a decode of each would take seconds.
    expect(performance.now() - started).toBeLessThan(500);
    const longest = 'A'.repeat(MAX_COOKIE_BYTES);
    expect(['malformed', 'unknown-key']).toContain(reasonOf(unseal(longest, context(KEYS), NOW)));
  });

  it('never throws on anything a client could send, genuine values mangled included', () => {
    const mangled = fc
      .tuple(fc.nat({ max: SEALED.length }), fc.nat({ max: SEALED.length }), fc.string({ maxLength: 8 }))
      .map(
        ([from, to, insert]) =>
          SEALED.slice(0, Math.min(from, to)) + insert + SEALED.slice(Math.max(from, to)),
      );
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 5_000 }), fc.base64String({ maxLength: 400 }), mangled),
        (value) => {
          const result = unseal(value, context(keysOf(SECRET_B, SECRET_A)), NOW);
          return (
            typeof result.ok === 'boolean' &&
            (result.ok ? value === SEALED : typeof result.reason === 'string')
          );
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it('keeps the refresh token out of every answer and out of a log line that holds the whole result', () => {
    const lines: string[] = [];
    const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
    const opened = unseal(SEALED, context(KEYS), NOW);
    const refusals = [
      SEALED.slice(0, 100),
      flipBit(SEALED, 300),
      seal(payload(), context(KEYS, '__Host-x')),
    ].map((value) => unseal(value, context(KEYS), NOW));
    logger.info({ session: opened, refusals }, 'careless log of a session');
    const everything = [
      lines.join('\n'),
      JSON.stringify(opened),
      inspect(opened, { depth: 10 }),
      JSON.stringify(refusals),
    ];
    for (const text of everything) expect(text).not.toContain(REFRESH_TOKEN.slice(0, 40));
    expect(lines.join('\n')).toContain(USERNAME);
  });
});
