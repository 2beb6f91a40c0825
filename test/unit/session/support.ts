// What the session tests share: operator secrets of the accepted format, their keys, and a session to seal.
import { Secret } from '../../../src/secret';
import { newSessionPayload, type SealContext } from '../../../src/session/sealed-cookie';
import { deriveSessionKeys, type SessionKeys } from '../../../src/session/session-keys';

/** Three operator secrets as `openssl rand -base64 32` writes them. */
export const SECRET_A = 'pZ1qJ9xW0m3V7yKc2nT5rB8dF4hL6sG0aE1uI9oQ2wY=';
export const SECRET_B = 'Xr7Kq2Lm9Np4Vs1Tz8Wb3Yc6Hd0Jf5Ga2Ue7Io4Pk1Q=';
export const SECRET_C = 'c3Vc9Lh2Qx7Mw0Zr5Tn8Bk1Yf4Gs6Jd3Ha9Pe2Uo7I=';

export const COOKIE = '__Host-cognito-refresh';

/** A refresh token shaped like Cognito's (a JWE of about 1,780 characters) that no test output may contain. */
export const REFRESH_TOKEN = `eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.${'R'.repeat(342)}.${'i'.repeat(16)}.${'Tk9QRQ'.repeat(228)}.${'t'.repeat(22)}`;
export const USERNAME = '0c5b7e6a-1d2f-4a3b-9c8d-7e6f5a4b3c2d';
export const DEVICE_KEY = 'eu-west-1_0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';

/** 2030-01-01T00:00:00Z, in milliseconds. */
export const NOW = Date.UTC(2030, 0, 1);
export const DAY_MS = 86_400_000;

export function keysOf(...secrets: string[]): SessionKeys {
  return deriveSessionKeys(secrets.map((s) => new Secret(s)));
}

export function context(keys: SessionKeys, cookieName = COOKIE): SealContext {
  return { keys, cookieName };
}

export function payload(now = NOW, validityDays = 30) {
  return newSessionPayload(
    { refreshToken: REFRESH_TOKEN, username: USERNAME, deviceKey: DEVICE_KEY },
    validityDays,
    now,
  );
}
