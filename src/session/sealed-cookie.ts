// The refresh-token cookie's value: the session sealed with AES-256-GCM, so that whoever holds the cookie can
// neither read the refresh token nor change a byte of it. Layout, base64url without padding:
//
//   version (1 byte) | key id (4) | IV (12, random) | ciphertext | tag (16)
//
// The additional authenticated data is the version, the key id and the cookie's name: a value sealed for one
// cookie does not open as another, nor under another version's rules. Opening never throws on what a client
// sent and never says more than why it failed; nothing here logs.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Secret } from '../secret';
import { KEY_ID_BYTES, type SessionKey, type SessionKeys } from './session-keys';

export const SEALED_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES;
/** Browsers keep a cookie only while its name and value together fit in 4096 bytes (RFC 6265bis). */
export const MAX_COOKIE_BYTES = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** What the cookie carries: all that refreshTokens and signOut need, with no server-side state. */
export interface SessionPayload {
  /** Printed as `[redacted]` wherever the payload ends up (logs, JSON). */
  refreshToken: Secret;
  /** The username as Cognito knows the user: a refresh's SECRET_HASH is computed over it. */
  username: string;
  /** The device the tokens were issued to, when the pool remembers devices. */
  deviceKey?: string;
  /** Seconds since the epoch. */
  issuedAt: number;
  /** Seconds since the epoch: the refresh token's own end, after which the value opens as `expired`. */
  expiresAt: number;
}

/** Why a value did not open: each is the client's doing (or an old key's), never the server's error. */
export type UnsealFailure =
  /** Not a value this gateway seals: wrong alphabet, length or version, or a body that is not a session. */
  | 'malformed'
  /** Sealed under a key that is neither the current nor the previous one (retired, or never ours). */
  | 'unknown-key'
  /** A key of ours, but the tag does not verify: changed bytes, or moved from another cookie. */
  | 'tampered'
  /** Genuine, but past its absolute expiry. */
  | 'expired';

export type UnsealResult =
  | {
      ok: true;
      payload: SessionPayload;
      /** `previous`: sealed before the last rotation; seal it again under the current key when convenient. */
      sealedWith: 'current' | 'previous';
    }
  | { ok: false; reason: UnsealFailure };

/** Where a value is sealed: the keys, and the cookie name it is bound to. */
export interface SealContext {
  keys: SessionKeys;
  cookieName: string;
}

const DAY_SECONDS = 86_400;

/**
 * A new session's payload: issued now, ending when the refresh token does (the app client's refresh-token
 * validity, REFRESH_TOKEN_VALIDITY_DAYS). `now` in milliseconds since the epoch.
 */
export function newSessionPayload(
  session: { refreshToken: string; username: string; deviceKey?: string | undefined },
  validityDays: number,
  now: number,
): SessionPayload {
  const issuedAt = Math.floor(now / 1000);
  return {
    refreshToken: new Secret(session.refreshToken),
    username: session.username,
    ...(session.deviceKey !== undefined && { deviceKey: session.deviceKey }),
    issuedAt,
    expiresAt: issuedAt + validityDays * DAY_SECONDS,
  };
}

function additionalData(header: Buffer, cookieName: string): Buffer {
  // The header has a fixed length, so header + name cannot be read as another header + another name.
  return Buffer.concat([header, Buffer.from(cookieName, 'utf8')]);
}

/**
 * The cookie value for `payload`, sealed under the current key with a fresh random IV. Throws a RangeError
 * (naming sizes, never the payload) when the cookie would exceed what browsers keep, which a Cognito refresh
 * token (about 1.8 KB) with a username of Cognito's 128 characters at most never does.
 */
export function seal(payload: SessionPayload, { keys, cookieName }: SealContext): string {
  const body = Buffer.from(
    JSON.stringify({
      t: payload.refreshToken.reveal(),
      u: payload.username,
      ...(payload.deviceKey !== undefined && { d: payload.deviceKey }),
      iat: payload.issuedAt,
      exp: payload.expiresAt,
    }),
    'utf8',
  );
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = SEALED_VERSION;
  keys.current.id.copy(header, 1);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.current.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(additionalData(header, cookieName));
  const sealed = Buffer.concat([header, iv, cipher.update(body), cipher.final(), cipher.getAuthTag()]);
  body.fill(0);
  const value = sealed.toString('base64url');
  const bytes = Buffer.byteLength(cookieName) + 1 + value.length;
  if (bytes > MAX_COOKIE_BYTES)
    throw new RangeError(
      `sealed session cookie would take ${bytes} bytes, more than the ${MAX_COOKIE_BYTES} browsers keep`,
    );
  return value;
}

/**
 * Opens a cookie value: the session, or why not. Work is bounded by MAX_COOKIE_BYTES whatever is sent (a
 * longer value is refused before it is decoded), and at most the two keys are tried. `now` in milliseconds.
 */
export function unseal(value: string, { keys, cookieName }: SealContext, now: number): UnsealResult {
  if (value.length === 0 || value.length > MAX_COOKIE_BYTES || !BASE64URL.test(value))
    return failed('malformed');
  const bytes = Buffer.from(value, 'base64url');
  // Node's decoder ignores the spare bits of the last character: only the one spelling of these bytes opens,
  // so that no change to the text, however small, goes unnoticed.
  if (bytes.length < HEADER_BYTES + IV_BYTES + TAG_BYTES + 1 || bytes.toString('base64url') !== value)
    return failed('malformed');
  if (bytes[0] !== SEALED_VERSION) return failed('malformed');
  const header = bytes.subarray(0, HEADER_BYTES);
  const id = header.subarray(1);
  const candidates: Array<[SessionKey, 'current' | 'previous']> = [];
  if (keys.current.id.equals(id)) candidates.push([keys.current, 'current']);
  if (keys.previous?.id.equals(id)) candidates.push([keys.previous, 'previous']);
  if (candidates.length === 0) return failed('unknown-key');
  const iv = bytes.subarray(HEADER_BYTES, HEADER_BYTES + IV_BYTES);
  const ciphertext = bytes.subarray(HEADER_BYTES + IV_BYTES, bytes.length - TAG_BYTES);
  const tag = bytes.subarray(bytes.length - TAG_BYTES);
  const aad = additionalData(header, cookieName);
  for (const [key, sealedWith] of candidates) {
    const body = open(key, iv, ciphertext, tag, aad);
    if (body === undefined) continue;
    const payload = payloadOf(body);
    body.fill(0);
    if (payload === undefined) return failed('malformed');
    if (now >= payload.expiresAt * 1000) return failed('expired');
    return { ok: true, payload, sealedWith };
  }
  return failed('tampered');
}

function failed(reason: UnsealFailure): UnsealResult {
  return { ok: false, reason };
}

/** The plaintext, or undefined when the tag does not verify under this key. */
function open(key: SessionKey, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return undefined;
  }
}

/**
 * The session in an authentic body. Only this gateway can have sealed it, so a body that is not a session means
 * a version of the gateway that wrote another shape: refused as malformed rather than trusted in part.
 */
function payloadOf(body: Buffer): SessionPayload | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { t, u, d, iat, exp } = parsed as Record<string, unknown>;
  const text = (v: unknown): v is string => typeof v === 'string' && v !== '';
  const seconds = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!text(t) || !text(u) || (d !== undefined && !text(d)) || !seconds(iat) || !seconds(exp))
    return undefined;
  return {
    refreshToken: new Secret(t),
    username: u,
    ...(d !== undefined && { deviceKey: d }),
    issuedAt: iat,
    expiresAt: exp,
  };
}
