// Cognito's SecretHash: Base64(HMAC-SHA256(key = client secret, message = username + client id)), all UTF-8.
import { createHmac, type KeyObject } from 'node:crypto';

/** `clientSecret` as text, or as the key Secret.hmacKey() imported once (the gateway's per-request path). */
export function computeSecretHash(
  username: string,
  clientId: string,
  clientSecret: string | KeyObject,
): string {
  return createHmac(
    'sha256',
    typeof clientSecret === 'string' ? Buffer.from(clientSecret, 'utf8') : clientSecret,
  )
    .update(Buffer.from(username + clientId, 'utf8'))
    .digest('base64');
}
