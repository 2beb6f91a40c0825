// The refresh-token cookie on the wire: only the exact name is read, duplicates are read in order up to a cap,
// and the Set-Cookie lines carry every attribute the `__Host-` prefix and the threat model need.
import { describe, expect, it } from 'vitest';
import {
  clearingSetCookie,
  cookieValues,
  MAX_COOKIE_AGE_SECONDS,
  sessionSetCookie,
} from '../../../src/session/cookies';
import { COOKIE } from './support';

describe('cookieValues', () => {
  it('finds the cookie among others, however the pairs are spaced', () => {
    expect(cookieValues(`a=1; ${COOKIE}=v4lue; b=2`, COOKIE)).toEqual(['v4lue']);
    expect(cookieValues(`a=1;${COOKIE}=v4lue;b=2`, COOKIE)).toEqual(['v4lue']);
    expect(cookieValues(` ${COOKIE} = v4lue \t`, COOKIE)).toEqual(['v4lue']);
    expect(cookieValues(`${COOKIE}=`, COOKIE)).toEqual(['']);
  });

  it('answers nothing without a header, or without that cookie', () => {
    expect(cookieValues(undefined, COOKIE)).toEqual([]);
    expect(cookieValues('', COOKIE)).toEqual([]);
    expect(cookieValues('a=1; b=2', COOKIE)).toEqual([]);
  });

  it('reads only the exact name: no look-alike in another case, no other prefix, no nameless pair', () => {
    const header = [
      '__host-cognito-refresh=lower',
      '__Secure-cognito-refresh=secure',
      'cognito-refresh=bare',
      `x${COOKIE}=longer`,
      COOKIE,
    ].join('; ');
    expect(cookieValues(header, COOKIE)).toEqual([]);
  });

  it('reads several values of the name in the order sent, and no more than two', () => {
    expect(cookieValues(`${COOKIE}=first; a=1; ${COOKIE}=second`, COOKIE)).toEqual(['first', 'second']);
    const many = Array.from({ length: 1_000 }, (_, i) => `${COOKIE}=v${i}`).join('; ');
    expect(cookieValues(many, COOKIE)).toEqual(['v0', 'v1']);
    expect(cookieValues(many, COOKIE, 5)).toHaveLength(5);
  });

  it("reads the list API Gateway's HTTP API gives, as it reads a header", () => {
    expect(cookieValues(['a=1', `${COOKIE}=v4lue`, 'b=2'], COOKIE)).toEqual(['v4lue']);
    expect(cookieValues([`${COOKIE}=one`, `${COOKIE}=two`, `${COOKIE}=three`], COOKIE)).toEqual([
      'one',
      'two',
    ]);
  });

  it('keeps what follows the first = (base64 padding, equals in a foreign value)', () => {
    expect(cookieValues(`${COOKIE}=a=b==`, COOKIE)).toEqual(['a=b==']);
  });
});

describe('sessionSetCookie', () => {
  it('sets a __Host- cookie: HttpOnly, Secure, Path=/, no Domain, the SameSite asked for, for the time asked', () => {
    expect(sessionSetCookie(COOKIE, 'AbC_-1', { sameSite: 'Strict', maxAgeSeconds: 2_592_000 })).toBe(
      `${COOKIE}=AbC_-1; Max-Age=2592000; Path=/; HttpOnly; Secure; SameSite=Strict`,
    );
    expect(sessionSetCookie(COOKIE, 'v', { sameSite: 'Lax', maxAgeSeconds: 60 })).toBe(
      `${COOKIE}=v; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=Lax`,
    );
  });

  it('keeps Secure with SameSite=None, without which browsers refuse it', () => {
    const line = sessionSetCookie(COOKIE, 'v', { sameSite: 'None', maxAgeSeconds: 60 });
    expect(line).toBe(`${COOKIE}=v; Max-Age=60; Path=/; HttpOnly; Secure; SameSite=None`);
    expect(line).not.toMatch(/Domain|Partitioned|Expires/i);
  });

  it('says no more than the 400 days browsers keep a cookie, and never a negative age', () => {
    expect(sessionSetCookie(COOKIE, 'v', { sameSite: 'Strict', maxAgeSeconds: 3_650 * 86_400 })).toContain(
      `Max-Age=${MAX_COOKIE_AGE_SECONDS};`,
    );
    expect(MAX_COOKIE_AGE_SECONDS).toBe(34_560_000);
    expect(sessionSetCookie(COOKIE, 'v', { sameSite: 'Strict', maxAgeSeconds: -5 })).toContain('Max-Age=0;');
    expect(sessionSetCookie(COOKIE, 'v', { sameSite: 'Strict', maxAgeSeconds: 59.9 })).toContain(
      'Max-Age=59;',
    );
  });

  it('refuses a name or a value that would break the header or lose the prefix', () => {
    const set = (name: string, value: string) => () =>
      sessionSetCookie(name, value, { sameSite: 'Strict', maxAgeSeconds: 1 });
    expect(set('cognito-refresh', 'v')).toThrow(TypeError);
    expect(set('__host-cognito-refresh', 'v')).toThrow(TypeError);
    expect(set(`${COOKIE}; Domain=evil.example`, 'v')).toThrow(TypeError);
    expect(set(COOKIE, 'v\r\nSet-Cookie: x=y')).toThrow(TypeError);
    expect(set(COOKIE, 'v; Domain=evil.example')).toThrow(TypeError);
    expect(set(COOKIE, 'a+b/c=')).toThrow(TypeError);
  });
});

describe('clearingSetCookie', () => {
  it('deletes the cookie: same name, path and attributes, empty, Max-Age=0', () => {
    expect(clearingSetCookie(COOKIE, 'Strict')).toBe(
      `${COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict`,
    );
    expect(clearingSetCookie(COOKIE, 'None')).toBe(
      `${COOKIE}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=None`,
    );
  });
});
