// The cookie as the sign-in calls will use it: a session started is read back from the Cookie header a
// browser would send, a duplicate cannot hide it, a rotation re-seals it under the new key with its expiry
// kept, and a reloaded key set applies from the next call.
import { describe, expect, it } from 'vitest';
import { SessionCookie } from '../../../src/session/session-cookie';
import type { SessionKeys } from '../../../src/session/session-keys';
import {
  COOKIE,
  DAY_MS,
  DEVICE_KEY,
  keysOf,
  NOW,
  REFRESH_TOKEN,
  SECRET_A,
  SECRET_B,
  USERNAME,
} from './support';

const SETTINGS = { cookieName: COOKIE, sameSite: 'Strict' as const, refreshTokenValidityDays: 30 };

function cookieWith(keys: SessionKeys) {
  let current = keys;
  const cookie = new SessionCookie(SETTINGS, () => current);
  return {
    cookie,
    rotate: (next: SessionKeys) => {
      current = next;
    },
  };
}

/** What a browser sends back for a Set-Cookie line: its name=value pair. */
const sent = (setCookie: string) => setCookie.slice(0, setCookie.indexOf(';'));
const TOKENS = { refreshToken: REFRESH_TOKEN, username: USERNAME, deviceKey: DEVICE_KEY };

describe('SessionCookie', () => {
  it('starts a session for the refresh token validity and reads it back from the Cookie header', () => {
    const { cookie } = cookieWith(keysOf(SECRET_A));
    const line = cookie.start(TOKENS, NOW);
    expect(line).toMatch(
      new RegExp(`^${COOKIE}=[A-Za-z0-9_-]+; Max-Age=2592000; Path=/; HttpOnly; Secure; SameSite=Strict$`),
    );
    const result = cookie.read(`theme=dark; ${sent(line)}; other=1`, NOW + DAY_MS);
    expect(result).toMatchObject({ ok: true, sealedWith: 'current', payload: { username: USERNAME } });
    expect(result.ok && result.payload.refreshToken.reveal()).toBe(REFRESH_TOKEN);
  });

  it('answers missing without the cookie, and the reason when its value does not open', () => {
    const { cookie } = cookieWith(keysOf(SECRET_A));
    expect(cookie.read(undefined, NOW)).toEqual({ ok: false, reason: 'missing' });
    expect(cookie.read('theme=dark', NOW)).toEqual({ ok: false, reason: 'missing' });
    expect(cookie.read(`${COOKIE}=garbage!`, NOW)).toEqual({ ok: false, reason: 'malformed' });
    const line = cookie.start(TOKENS, NOW);
    expect(cookie.read(sent(line), NOW + 30 * DAY_MS)).toEqual({ ok: false, reason: 'expired' });
  });

  it('reads the session whether a duplicate value comes before or after it, and answers the first reason when none opens', () => {
    const { cookie } = cookieWith(keysOf(SECRET_A));
    const good = sent(cookie.start(TOKENS, NOW));
    const foreign = sent(cookieWith(keysOf(SECRET_B)).cookie.start(TOKENS, NOW));
    expect(cookie.read(`${foreign}; ${good}`, NOW).ok).toBe(true);
    expect(cookie.read(`${good}; ${foreign}`, NOW).ok).toBe(true);
    expect(cookie.read(`${foreign}; ${COOKIE}=x`, NOW)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(cookie.read(`${COOKIE}=x; ${foreign}`, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('tries no more than two values, however many a client sends', () => {
    const { cookie } = cookieWith(keysOf(SECRET_A));
    const good = sent(cookie.start(TOKENS, NOW));
    expect(cookie.read(`${COOKIE}=x; ${COOKIE}=y; ${good}`, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('after a rotation reads a session sealed under the previous key and stores it again under the new one, expiry kept', () => {
    const { cookie, rotate } = cookieWith(keysOf(SECRET_A));
    const old = sent(cookie.start(TOKENS, NOW));
    rotate(keysOf(SECRET_B, SECRET_A));
    const later = NOW + 10 * DAY_MS;
    const read = cookie.read(old, later);
    expect(read).toMatchObject({ ok: true, sealedWith: 'previous' });
    if (!read.ok) return;
    const again = cookie.store(read.payload, later);
    expect(again).toContain(`; Max-Age=${20 * 86_400};`);
    // Once the old key is retired, the old value is dead and the re-sealed one lives on to the same expiry.
    rotate(keysOf(SECRET_B));
    expect(cookie.read(old, later)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(cookie.read(sent(again), later)).toMatchObject({ ok: true, sealedWith: 'current' });
    expect(cookie.read(sent(again), NOW + 30 * DAY_MS)).toEqual({ ok: false, reason: 'expired' });
  });

  it('clears the cookie with the attributes it was set with', () => {
    const { cookie } = cookieWith(keysOf(SECRET_A));
    expect(cookie.clear()).toBe(`${COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict`);
    const none = new SessionCookie({ ...SETTINGS, sameSite: 'None' }, () => keysOf(SECRET_A));
    expect(none.clear()).toContain('; Secure; SameSite=None');
  });
});
