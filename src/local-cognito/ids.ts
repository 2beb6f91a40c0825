// Identifiers shaped like Cognito's, so code that logs, validates or pattern-matches them behaves as in AWS.
import { randomInt } from 'node:crypto';
import type { ClientSecretEntry } from './types';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet.charAt(randomInt(alphabet.length));
  return out;
}

export const USER_POOL_ID_PATTERN = /^[\w-]+_[0-9a-zA-Z]+$/;

export function newUserPoolId(region: string): string {
  return `${region}_${randomString(MIXED_ALNUM, 9)}`;
}

export function newClientId(): string {
  return randomString(LOWER_ALNUM, 26);
}

export function newClientSecret(): string {
  return randomString(LOWER_ALNUM, 51);
}

/** A client secret's entry, id'd as Cognito ids them: `<client id>--<creation epoch in ms>`. */
export function newSecretEntry(clientId: string, value: string, createdAt: Date): ClientSecretEntry {
  return { id: `${clientId}--${createdAt.getTime()}`, value, createdAt };
}

export function newConfirmationCode(): string {
  return String(randomInt(1_000_000)).padStart(6, '0');
}
