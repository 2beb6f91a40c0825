// Compact JWS with RS256 (RFC 7515/7519), by node:crypto alone: enough to sign the stand-in's ID and access
// tokens and to check the ones handed back to it. Not a general JWT library: one algorithm, no options.
import { createSign, createVerify, type KeyObject } from 'node:crypto';

export type JwtClaims = Record<string, unknown>;

export interface JwtHeader {
  kid: string;
  alg: 'RS256';
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: JwtClaims;
  signingInput: string;
  signature: Buffer;
}

function encodeSegment(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function signJwt(header: JwtHeader, payload: JwtClaims, privateKey: KeyObject): string {
  const signingInput = `${encodeSegment(header)}.${encodeSegment(payload)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/** The parts of a compact JWS, or undefined for anything that is not one. Trusts nothing: see verify. */
export function decodeJwt(token: string): DecodedJwt | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  const parsedHeader = parseSegment(header);
  const parsedPayload = parseSegment(payload);
  if (!parsedHeader || !parsedPayload || !/^[\w-]*$/.test(signature)) return undefined;
  return {
    header: parsedHeader,
    payload: parsedPayload,
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

export function signatureMatches(jwt: DecodedJwt, publicKey: KeyObject): boolean {
  if (jwt.header.alg !== 'RS256') return false;
  return createVerify('RSA-SHA256').update(jwt.signingInput).verify(publicKey, jwt.signature);
}

function parseSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[\w-]+$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
