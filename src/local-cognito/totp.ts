// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): what an authenticator app shows for a
// SOFTWARE_TOKEN_MFA challenge. Cognito's TOTP is the common profile: HMAC-SHA1, 30-second steps, 6 digits, the
// secret shared as base32 (AssociateSoftwareToken's SecretCode).
import { createHmac } from 'node:crypto';

export const TOTP_STEP_SECONDS = 30;
export const TOTP_DIGITS = 6;

const BASE32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32, case-insensitive, padding and spaces ignored; undefined for any other character. */
export function base32Decode(text: string): Buffer | undefined {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of clean) {
    const index = BASE32_ALPHABET.indexOf(char);
    if (index < 0) return undefined;
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((value >>> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

export function isBase32Secret(text: string): boolean {
  const decoded = base32Decode(text);
  return decoded !== undefined && decoded.length > 0;
}

/** The code for `time`: HOTP (dynamic truncation) of the number of whole steps since the epoch. */
export function totp(
  secret: Buffer,
  time: Date,
  { digits = TOTP_DIGITS, stepSeconds = TOTP_STEP_SECONDS } = {},
): string {
  const counter = Math.floor(time.getTime() / 1000 / stepSeconds);
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', secret).update(message).digest();
  const offset = (mac[mac.length - 1] ?? 0) & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/**
 * Whether `code` is the current code or the one before it. One step back tolerates a code typed just as it
 * rolled over and a little clock drift; Cognito documents no window, so this one is the stand-in's choice.
 */
export function totpMatches(base32Secret: string, code: string, now: Date): boolean {
  const secret = base32Decode(base32Secret);
  if (!secret || secret.length === 0) return false;
  const previous = new Date(now.getTime() - TOTP_STEP_SECONDS * 1000);
  return [now, previous].some((time) => totp(secret, time) === code);
}
