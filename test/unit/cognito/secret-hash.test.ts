import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../../src/cognito/secret-hash';
import { Secret } from '../../../src/secret';

const CLIENT_ID = '18u8119jgbpr464n28s1itk2mq';
const SECRET = 'ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b';

describe('computeSecretHash', () => {
  it('matches the published vector for a uuid username', () => {
    expect(computeSecretHash('a2c2e290-6d0f-4a08-a5ca-f0162935f3a6', CLIENT_ID, SECRET)).toBe(
      'QW3YkSgjkc9VNMtbTkuQflK54A6+9GS8ZiRDj0mSvPI=',
    );
  });

  it('gives the same hash with the key a Secret imported once, which shows nothing of the secret', () => {
    const secret = new Secret(SECRET);
    for (const username of ['a2c2e290-6d0f-4a08-a5ca-f0162935f3a6', 'jöhn.müller@exämple.com', '用户名']) {
      expect(computeSecretHash(username, CLIENT_ID, secret.hmacKey())).toBe(
        computeSecretHash(username, CLIENT_ID, SECRET),
      );
    }
    expect(secret.hmacKey()).toBe(secret.hmacKey());
    expect(
      `${inspect(secret.hmacKey())} ${JSON.stringify(secret.hmacKey())} ${inspect(secret)}`,
    ).not.toContain(SECRET.slice(0, 12));
  });

  it('matches the published vector for an email username', () => {
    expect(computeSecretHash('a@b.com', 'user-pool-client-id', 'user-pool-client-secret')).toBe(
      'hJAY3VKwKQyz2H1A6+Jgy7nUxmNepNrLTL8ltH+BzX8=',
    );
  });

  it('encodes a non-ASCII username as UTF-8, not latin-1', () => {
    // Expected values computed independently with Python's hmac module.
    const hash = computeSecretHash('jöhn.müller@exämple.com', CLIENT_ID, SECRET);
    expect(hash).toBe('9/kOWX0ejr2bZyVs6g6/7K8meC/ypUuNNPU2Xheurqo=');
    expect(hash).not.toBe('gyuDw2w2Nl3lbK1dp6LJA8/La53o4eLm3wQRa0pFAuY=');
  });

  it('handles characters outside latin-1 entirely', () => {
    expect(computeSecretHash('用户名', CLIENT_ID, SECRET)).toBe(
      'CMoP+ZtEJOD9unxF2ZDJXl6gCvNpaUlXmNRuBgCrcKs=',
    );
  });
});
