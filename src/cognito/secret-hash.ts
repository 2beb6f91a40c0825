// Cognito's SecretHash: Base64(HMAC-SHA256(key = client secret, message = username + client id)), all UTF-8.
import { createHmac } from 'node:crypto';

export function computeSecretHash(username: string, clientId: string, clientSecret: string): string {
  return createHmac('sha256', Buffer.from(clientSecret, 'utf8'))
    .update(Buffer.from(username + clientId, 'utf8'))
    .digest('base64');
}
