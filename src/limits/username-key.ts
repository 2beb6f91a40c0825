// How a username is keyed for abuse limits: compared the way the pool compares usernames (case-insensitive
// unless configured otherwise), and hashed so that shared stores such as Redis never hold addresses.
import { createHash } from 'node:crypto';

export function usernameKey(username: string, caseSensitive: boolean): string {
  const normalised = username.normalize('NFC');
  const compared = caseSensitive ? normalised : normalised.toLowerCase();
  return createHash('sha256').update(compared, 'utf8').digest('base64url').slice(0, 32);
}
