// Each user pool's RSA signing keys and their JWKS. Like Cognito, a pool signs ID tokens and access tokens with
// two different keys (developer guide, "Understanding the access token": the kid of an access token does not
// match the ID token's), and publishes both at GET /<pool id>/.well-known/jwks.json.
//
// Keys are made on first use (a sign-in or a JWKS fetch), not with the pool: most test pools never sign anyone
// in, and an RSA key takes tens of milliseconds to make. They live as long as the stand-in, so tokens stop
// verifying after a restart, as after a key rotation.
import { createHash, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: PublicJwk;
}

// A node:crypto JsonWebKey, so createPublicKey({ key, format: 'jwk' }) takes it as it is.
export interface PublicJwk extends JsonWebKey {
  alg: 'RS256';
  e: string;
  kid: string;
  kty: 'RSA';
  n: string;
  use: 'sig';
}

export interface PoolSigningKeys {
  id: SigningKey;
  access: SigningKey;
}

// Cognito's keys are RSA 2048 with RS256 (developer guide, "Verifying a JSON Web Token").
const MODULUS_BITS = 2048;

export class SigningKeys {
  private readonly pools = new Map<string, PoolSigningKeys>();

  forPool(poolId: string): PoolSigningKeys {
    let keys = this.pools.get(poolId);
    if (!keys) {
      keys = { id: newSigningKey(), access: newSigningKey() };
      this.pools.set(poolId, keys);
    }
    return keys;
  }

  jwks(poolId: string): { keys: PublicJwk[] } {
    const { id, access } = this.forPool(poolId);
    return { keys: [id.jwk, access.jwk] };
  }

  /** The pool's key with this kid, if any (a token signed by another pool or stand-in has none). */
  byKid(poolId: string, kid: unknown): SigningKey | undefined {
    const { id, access } = this.forPool(poolId);
    return [id, access].find((key) => key.kid === kid);
  }
}

function newSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: MODULUS_BITS });
  const exported = publicKey.export({ format: 'jwk' }) as JsonWebKey;
  const e = String(exported.e);
  const n = String(exported.n);
  // The RFC 7638 thumbprint: a kid that names the key itself, so it never collides with another key's.
  const kid = createHash('sha256')
    .update(JSON.stringify({ e, kty: 'RSA', n }))
    .digest('base64');
  return { kid, privateKey, publicKey, jwk: { alg: 'RS256', e, kid, kty: 'RSA', n, use: 'sig' } };
}
