// RFC 6238 TOTP as the stand-in checks SOFTWARE_TOKEN_MFA codes, against the RFC's own test vectors.
import { describe, expect, it } from 'vitest';
import { base32Decode, isBase32Secret, totp, totpMatches } from '../../../src/local-cognito/totp';

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890", codes are 8 digits.
const RFC_SECRET = Buffer.from('12345678901234567890', 'ascii');
const RFC_SECRET_BASE32 = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('local Cognito TOTP', () => {
  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('gives the RFC 6238 SHA-1 code at T=%i', (seconds, code) => {
    expect(totp(RFC_SECRET, new Date(seconds * 1000), { digits: 8 })).toBe(code);
  });

  it('gives the six-digit code an authenticator app shows (the last six digits of the RFC vector)', () => {
    expect(totp(RFC_SECRET, new Date(59_000))).toBe('287082');
  });

  it('decodes base32 case-insensitively, ignoring padding and spaces, and refuses other characters', () => {
    expect(base32Decode(RFC_SECRET_BASE32)).toEqual(RFC_SECRET);
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).toEqual(RFC_SECRET);
    expect(base32Decode('MZXW6===')).toEqual(Buffer.from('foo'));
    expect(base32Decode('not base32!')).toBeUndefined();
    expect(isBase32Secret('')).toBe(false);
    expect(isBase32Secret(RFC_SECRET_BASE32)).toBe(true);
  });

  it('accepts the current code and the previous one, but not older or later ones', () => {
    const now = new Date(1_234_567_890_000);
    const at = (offsetSeconds: number) => totp(RFC_SECRET, new Date(now.getTime() + offsetSeconds * 1000));

    expect(totpMatches(RFC_SECRET_BASE32, at(0), now)).toBe(true);
    expect(totpMatches(RFC_SECRET_BASE32, at(-30), now)).toBe(true);
    expect(totpMatches(RFC_SECRET_BASE32, at(-60), now)).toBe(false);
    expect(totpMatches(RFC_SECRET_BASE32, at(30), now)).toBe(false);
    expect(totpMatches('not base32!', at(0), now)).toBe(false);
  });
});
